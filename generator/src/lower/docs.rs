//! Descriptions are Markdown written for Upvest's documentation site. Rustdoc renders Markdown
//! too, but treats bare brackets as intra-doc links, warns on bare URLs, and cannot follow links
//! relative to the site; this turns a description into doc lines that render as intended.

/// Where relative links in descriptions (`/guides/...`) point.
pub const DOCS_SITE: &str = "https://docs.upvest.co";

/// Doc comment lines for a description (empty for none). Trailing blank lines are dropped.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    // A lone `\r` ends a line too: rustdoc would otherwise reject it as a bare CR in a comment.
    let mut lines: Vec<String> = text
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(|l| clean_line(l.trim_end()))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

/// One line: links made absolute, bare brackets escaped, bare URLs wrapped in `<...>`.
fn clean_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = rest.find(['[', ']', 'h']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if let Some((link, after)) = markdown_link(rest) {
            out.push_str(&link);
            rest = after;
        } else if rest.starts_with('[') || rest.starts_with(']') {
            out.push('\\');
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        } else if let Some(len) = bare_url_len(rest, &out) {
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
        } else {
            out.push('h');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `[text](target)` at the start of `s`: the rewritten link and what follows it.
fn markdown_link(s: &str) -> Option<(String, &str)> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find(']')?;
    let text = &inner[..close];
    if text.contains('[') {
        return None;
    }
    let after_text = inner[close + 1..].strip_prefix('(')?;
    let end = after_text.find(')')?;
    let target = &after_text[..end];
    let target = if target.starts_with('/') {
        format!("{DOCS_SITE}{target}")
    } else {
        target.to_string()
    };
    Some((format!("[{text}]({target})"), &after_text[end + 1..]))
}

/// The length of a bare `http(s)://` URL at the start of `s`, unless it is already inside `<...>`
/// or a link target (the character before it tells).
fn bare_url_len(s: &str, before: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    if before.ends_with('<') || before.ends_with('(') {
        return None;
    }
    let len = s
        .find(|c: char| c.is_whitespace() || c == '>' || c == ')')
        .unwrap_or(s.len());
    let trimmed = s[..len].trim_end_matches(['.', ',', ';', ':']);
    Some(trimmed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_become_absolute() {
        let lines = doc_lines(Some(
            "See [guide here](/guides/users_and_accounts/identifiers.md)",
        ));
        assert_eq!(
            lines,
            ["See [guide here](https://docs.upvest.co/guides/users_and_accounts/identifiers.md)"]
        );
    }

    #[test]
    fn bare_brackets_and_urls_are_made_safe() {
        let lines = doc_lines(Some(
            "Bearer token.\nhttps://example.com/x.\n[draft] ok\n\n",
        ));
        assert_eq!(
            lines,
            [
                "Bearer token.",
                "<https://example.com/x>.",
                "\\[draft\\] ok"
            ]
        );
    }

    #[test]
    fn line_breaks_cannot_escape_comments() {
        assert_eq!(doc_lines(Some("a\rb\r\nc\n")), ["a", "b", "c"]);
        assert_eq!(crate::describe::one_line("a\r\nb\rc\nd"), "a b c d");
    }

    #[test]
    fn absolute_links_are_kept() {
        let text = "Country code. [ISO](https://en.wikipedia.org/wiki/ISO_3166-1_alpha-2).";
        assert_eq!(doc_lines(Some(text)), [text]);
    }
}
