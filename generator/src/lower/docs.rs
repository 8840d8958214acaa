//! Descriptions are Markdown written for Upvest's documentation site. Rustdoc renders Markdown
//! too, but treats bare brackets as intra-doc links, warns on bare URLs, and cannot follow links
//! relative to the site; this turns a description into doc lines that render as intended.
//! It also words the docs the generator writes itself (where a type is used, what a union
//! variant holds).

use crate::describe::one_line;

/// Where relative links in descriptions (`/guides/...`) point.
pub const DOCS_SITE: &str = "https://docs.upvest.co";

/// Doc comment lines for a description (empty for none). Trailing blank lines are dropped.
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else {
        return Vec::new();
    };
    // A lone `\r` ends a line too: rustdoc would otherwise reject it as a bare CR in a comment.
    let mut in_fence = false;
    let mut lines: Vec<String> = text
        .replace("\r\n", "\n")
        .split(['\n', '\r'])
        .map(|l| {
            let fence = l.trim_start().starts_with("```") || l.trim_start().starts_with("~~~");
            in_fence ^= fence;
            // Four spaces or a tab may start a code block: kept as written too.
            let code = in_fence || fence || l.starts_with("    ") || l.starts_with('\t');
            if code {
                clean_line(l.trim_end())
            } else {
                clean_line(&single_spaced(l.trim_end()))
            }
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines
}

/// An operation's doc: its summary (one line), then its description, without a first line
/// that only repeats the summary (as many descriptions do: "Retrieve a direct debit").
pub fn operation_doc(summary: Option<&str>, description: Option<&str>) -> Vec<String> {
    let summary = summary
        .map(|s| clean_line(one_line(s).trim()))
        .filter(|s| !s.is_empty());
    let mut lines = doc_lines(description);
    let bare = |line: &str| line.trim().trim_end_matches('.').to_lowercase();
    let repeats = |summary: &String| {
        lines
            .first()
            .is_some_and(|first| bare(first) == bare(summary))
            && lines.get(1).is_none_or(|second| second.is_empty())
    };
    if summary.as_ref().is_some_and(repeats) {
        let rest = lines.iter().skip(1).skip_while(|l| l.is_empty());
        lines = rest.cloned().collect();
    }
    match summary {
        Some(summary) if lines.is_empty() => vec![summary],
        Some(summary) => [summary, String::new()].into_iter().chain(lines).collect(),
        None => lines,
    }
}

/// How wide the generator's own doc prose is: a doc line of a method (`    /// `) ends by
/// column 100.
pub const PROSE_WIDTH: usize = 92;

/// `text` (the generator's own prose, one paragraph) as doc lines of at most `width`
/// characters, broken between words (a longer word is a line of its own). The last line is
/// not one word alone when the line before it can give it one (a link such as
/// `` [`send`](ListAccounts::send). `` reads badly on a line of its own).
pub fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if let [.., before, last] = lines.as_mut_slice() {
        if !last.contains(' ') {
            let fits = |word: &str| word.chars().count() + 1 + last.chars().count() <= width;
            if let Some((rest, word)) = before.rsplit_once(' ').filter(|(_, w)| fits(w)) {
                *last = format!("{word} {last}");
                before.truncate(rest.len());
            }
        }
    }
    lines
}

/// A line of prose with the runs of spaces inside it (`key.  This`) made one, as Markdown
/// renders them; its indentation and code spans (`` `a  b` ``) are kept as written (so are
/// the lines of code blocks: see [`doc_lines`]).
fn single_spaced(line: &str) -> String {
    let body = line.trim_start();
    let mut out = line[..line.len() - body.len()].to_string();
    let mut in_code = false;
    for c in body.chars() {
        in_code ^= c == '`';
        if c == ' ' && !in_code && out.ends_with(' ') && out.len() > line.len() - body.len() {
            continue;
        }
        out.push(c);
    }
    out
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

/// How many names a list in a generated doc shows before "and N more".
const SHOWN: usize = 3;

/// `` `a` ``, `` `a` and `b` ``, `` `a`, `b`, `c` and 2 more ``.
fn listed(names: &[&str]) -> String {
    // "and 1 more" would take the place of the name it hides.
    let shown = if names.len() == SHOWN + 1 {
        names.len()
    } else {
        SHOWN
    };
    let quoted: Vec<String> = names.iter().take(shown).map(|n| format!("`{n}`")).collect();
    match (quoted.as_slice(), names.len().saturating_sub(shown)) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        ([rest @ .., last], 0) => format!("{} and {last}", rest.join(", ")),
        (all, more) => format!("{} and {more} more", all.join(", ")),
    }
}

/// One sentence saying where a type is, from `(phrase, subject)` pairs such as
/// `("the response of", "create_account")`: subjects of one phrase are listed together, in
/// the order given; `None` for no pairs.
pub fn where_it_is(places: &[(String, String)]) -> Option<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (phrase, subject) in places {
        let (phrase, subject) = (phrase.as_str(), subject.as_str());
        match groups.iter_mut().find(|group| group.0 == phrase) {
            Some((_, subjects)) => {
                if !subjects.contains(&subject) {
                    subjects.push(subject)
                }
            }
            None => groups.push((phrase, vec![subject])),
        }
    }
    let more = groups.len().saturating_sub(SHOWN);
    let mut parts: Vec<String> = groups
        .iter()
        .take(SHOWN)
        .map(|(phrase, subjects)| format!("{phrase} {}", listed(subjects)))
        .collect();
    if more > 0 {
        parts.push(format!("{more} more"));
    }
    let sentence = parts.join("; ");
    let mut chars = sentence.chars();
    let first = chars.next()?;
    Some(format!("{}{}.", first.to_uppercase(), chars.as_str()))
}

/// `Used by `a`, `b` and `c`.`: the client methods and webhook events whose values hold a type.
pub fn used_by(owners: &[&str]) -> String {
    format!("Used by {}.", listed(owners))
}

/// Which values of a union's discriminator choose a variant.
pub fn selected_when(property: &str, values: &[String]) -> Option<String> {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| format!("`{}`", one_line(v)))
        .collect();
    let property = one_line(property);
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("Chosen when `{property}` is {one}.")),
        [rest @ .., last] => Some(format!(
            "Chosen when `{property}` is {} or {last}.",
            rest.join(", ")
        )),
    }
}

/// The first sentence of doc lines (of their first paragraph), ending in a full stop.
pub fn first_sentence(lines: &[String]) -> Option<String> {
    let paragraph: Vec<&str> = lines
        .iter()
        .map(|l| l.trim())
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .collect();
    let text = paragraph.join(" ");
    if text.is_empty() {
        return None;
    }
    let sentence = match text.find(". ") {
        Some(end) => &text[..=end],
        None => text.as_str(),
    };
    Some(match sentence.chars().last() {
        Some('.' | '!' | '?') => sentence.to_string(),
        _ => format!("{sentence}."),
    })
}

/// `* VALUE - meaning` lines (Upvest's way of listing a string's values): each value with its
/// meaning (possibly empty).
pub fn listed_meanings(description: Option<&str>) -> Vec<(String, String)> {
    let Some(description) = description else {
        return Vec::new();
    };
    description.lines().filter_map(listed_item).collect()
}

fn listed_item(line: &str) -> Option<(String, String)> {
    let item = line.trim().strip_prefix("* ")?;
    let (value, meaning) = item.split_once(" -")?;
    let value = value.trim();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    valid.then(|| (value.to_string(), meaning.trim().to_string()))
}

/// A description without its `* VALUE - meaning` lines (they document the variants).
pub fn without_listed(description: &str) -> String {
    description
        .lines()
        .filter(|line| listed_item(line).is_none())
        .collect::<Vec<_>>()
        .join("\n")
}

/// "a" or "an" before a type name, as it is read aloud: `an Identifier`, `a User`, `an UUID`
/// would be wrong (`a UUID`: letters read as letters), so a name that starts with two capitals
/// (an initialism) takes the article of its first letter's name.
pub fn indefinite_article(name: &str, capital: bool) -> &'static str {
    let mut letters = name.chars();
    let first = letters.next().unwrap_or('x');
    let initialism =
        first.is_ascii_uppercase() && letters.next().is_some_and(|c| c.is_ascii_uppercase());
    let lower: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    let is_vowel = |c: Option<&char>| c.is_some_and(|c| "aeiou".contains(*c));
    let vowel_sound = match initialism {
        // A, E, F, H, I, L, M, N, O, R, S, X are read with a vowel sound first.
        true => "AEFHILMNORSX".contains(first),
        // `User`, `Unit`, `Usage` start with a "you" (a u, a consonant, a vowel); `One` with a
        // "w".
        false if lower.first() == Some(&'u') => is_vowel(lower.get(1)) || !is_vowel(lower.get(2)),
        false if lower.starts_with(&['o', 'n', 'e']) => false,
        false => is_vowel(lower.first()),
    };
    match (vowel_sound, capital) {
        (true, true) => "An",
        (true, false) => "an",
        (false, true) => "A",
        (false, false) => "a",
    }
}

/// A description without the `* VALUE -` lines that give no meaning: in a field's docs they
/// are empty bullets (the enum's variants name the values already).
pub fn without_empty_listed(description: &str) -> String {
    description
        .lines()
        .filter(|line| !listed_item(line).is_some_and(|(_, meaning)| meaning.is_empty()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The doc of an enum variant whose value the description lists with a meaning.
pub fn variant_doc(value: &str, meanings: &[(String, String)]) -> Vec<String> {
    match meanings.iter().find(|(v, _)| v == value) {
        Some((_, meaning)) if !meaning.is_empty() => {
            doc_lines(Some(&format!("`{}`: {}", one_line(value), meaning)))
        }
        _ => Vec::new(),
    }
}

/// Upvest (like drf-spectacular) documents a string's values as `* VALUE - meaning` lines; where
/// the `enum` keyword is missing, those lines still say which values exist. The enum stays open,
/// so a value not listed decodes as `Unknown` rather than failing.
pub fn listed_values(description: Option<&str>) -> Vec<String> {
    listed_meanings(description)
        .into_iter()
        .map(|(value, _)| value)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_single_spaced_but_code_and_indentation_are_kept() {
        let text =
            "A key.  This prevents it.\n    indented  code\nSee `a  b`  here.\n```\nx  =  1\n```";
        assert_eq!(
            doc_lines(Some(text)),
            [
                "A key. This prevents it.",
                "    indented  code",
                "See `a  b` here.",
                "```",
                "x  =  1",
                "```"
            ]
        );
    }

    #[test]
    fn a_description_that_repeats_the_summary_is_left_out() {
        let doc = |summary, description| operation_doc(summary, description);
        assert_eq!(
            doc(Some("Get a thing"), Some("Get a thing.")),
            ["Get a thing"]
        );
        assert_eq!(
            doc(Some("Get a thing"), Some("Get a thing\n\nMore.")),
            ["Get a thing", "", "More."]
        );
        // A longer first paragraph is not a repeat.
        assert_eq!(
            doc(Some("Get a thing"), Some("Get a thing\nby its ID.")),
            ["Get a thing", "", "Get a thing", "by its ID."]
        );
        assert_eq!(doc(None, Some("Only this.")), ["Only this."]);
    }

    #[test]
    fn prose_is_wrapped_between_words() {
        assert_eq!(wrapped("a bb ccc dd", 6), ["a bb", "ccc dd"]);
        assert_eq!(wrapped("abcdefgh ij", 4), ["abcdefgh", "ij"]);
        // No word alone on the last line where the line before has two.
        assert_eq!(wrapped("a bb ccc dd", 8), ["a bb", "ccc dd"]);
        assert_eq!(wrapped("a bb ccc dddddd", 8), ["a bb ccc", "dddddd"]);
    }

    #[test]
    fn listed_values_follow_the_bullet_convention() {
        assert_eq!(
            listed_values(Some("Identifier type.\n* NATIONAL_ID - ")),
            ["NATIONAL_ID"]
        );
        assert_eq!(
            listed_values(Some("Status.\n* ACTIVE - on\n* INACTIVE - off")),
            ["ACTIVE", "INACTIVE"]
        );
        assert!(listed_values(Some("Just prose.\n* a note - not a value")).is_empty());
        assert!(listed_values(None).is_empty());
    }

    #[test]
    fn articles_follow_how_names_are_read() {
        assert_eq!(indefinite_article("Identifier", true), "An");
        assert_eq!(indefinite_article("User", false), "a");
        assert_eq!(indefinite_article("UserTol", true), "A");
        assert_eq!(indefinite_article("UUIDValue", true), "A");
        assert_eq!(indefinite_article("ISINCode", false), "an");
        assert_eq!(indefinite_article("Order", true), "An");
        assert_eq!(indefinite_article("Update", true), "An");
        assert_eq!(indefinite_article("Unknown", true), "An");
        assert_eq!(indefinite_article("OneOff", true), "A");
    }

    #[test]
    fn bullets_without_meaning_leave_a_field_doc() {
        let text = "Identifier type.\n* NATIONAL_ID - \n* PASSPORT - A passport.";
        assert_eq!(
            without_empty_listed(text),
            "Identifier type.\n* PASSPORT - A passport."
        );
    }

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

    #[test]
    fn generated_sentences_list_a_few_names() {
        let places = [
            ("the response of".to_string(), "create_account".to_string()),
            ("the response of".to_string(), "get_account".to_string()),
            (
                "an item of".to_string(),
                "AccountsListResponse::data".to_string(),
            ),
        ];
        assert_eq!(
            where_it_is(&places).unwrap(),
            "The response of `create_account` and `get_account`; an item of `AccountsListResponse::data`."
        );
        assert_eq!(
            used_by(&["a", "b", "c", "d", "e"]),
            "Used by `a`, `b`, `c` and 2 more."
        );
        assert_eq!(
            used_by(&["a", "b", "c", "d"]),
            "Used by `a`, `b`, `c` and `d`."
        );
        assert_eq!(
            first_sentence(&["Account object. It holds".into(), "more.".into()]).unwrap(),
            "Account object."
        );
        assert_eq!(
            selected_when("type", &["A".into(), "B".into()]).unwrap(),
            "Chosen when `type` is `A` or `B`."
        );
    }

    #[test]
    fn listed_values_document_their_variants() {
        let text = "Status of the account.\n* ACTIVE - Open for trading\n* CLOSED - \nMore.";
        assert_eq!(without_listed(text), "Status of the account.\nMore.");
        let meanings = listed_meanings(Some(text));
        assert_eq!(
            variant_doc("ACTIVE", &meanings),
            ["`ACTIVE`: Open for trading"]
        );
        assert!(variant_doc("CLOSED", &meanings).is_empty());
    }
}
