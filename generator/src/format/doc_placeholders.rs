//! Doc comments set aside while a piece is parsed and printed. They are a large part of the
//! rendered text, and syn and prettyplease spend much of their time on them (each line becomes a
//! `#[doc = "..."]` attribute: an escaped literal, parsed, unescaped and printed), yet
//! prettyplease prints a `///` or `//!` line as that line again: the marker, the comment's text
//! without its trailing spaces, at the indentation of what it documents. So every run of
//! consecutive doc lines of one kind is replaced by one short placeholder doc line
//! (`///\u{1}N`), and after printing each placeholder line is replaced by the run's lines at the
//! placeholder's indentation. Where that does not hold (a placeholder printed other than as a
//! line of its own, as in a macro's tokens), [`restore`] says so and the piece is formatted as
//! it is.

use super::brackets::Brackets;

/// The marker that starts a placeholder's text; a text that has it anywhere is left as it is.
const MARK: char = '\u{1}';

/// The doc lines set aside from one text: per run, its kind (`"///"` or `"//!"`) and the
/// comments' texts (after the marker, without the line break).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Docs<'a> {
    runs: Vec<(&'static str, Vec<&'a str>)>,
}

/// The kind of doc comment a line is (`"///"` or `"//!"`, the way proc-macro2 reads them: `////`
/// is a plain comment) and its text, or `None`.
fn doc_line(line: &str) -> Option<(&'static str, &str)> {
    let line = line.trim_start_matches([' ', '\t']);
    let line = line.strip_suffix('\n').unwrap_or(line);
    if let Some(text) = line.strip_prefix("//!") {
        Some(("//!", text))
    } else {
        let text = line.strip_prefix("///")?;
        (!text.starts_with('/')).then_some(("///", text))
    }
}

/// `text` with each run of doc lines replaced by a placeholder line, and the runs; `None` when
/// there is nothing to set aside, or the text has a carriage return (a doc comment with a bare
/// one is an error the placeholder would hide) or the placeholders' marker.
pub(super) fn set_aside(text: &str) -> Option<(String, Docs<'_>)> {
    // Bytes, not chars, to look at: much faster, and the marker is one byte in UTF-8.
    if !text.contains("//") || text.bytes().any(|b| b == b'\r' || b == MARK as u8) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut docs = Docs::default();
    let mut brackets = Brackets::default();
    // The kind of the run the previous line belongs to.
    let mut in_run: Option<&'static str> = None;
    for line in text.split_inclusive('\n') {
        // A line in a string or block comment is not a doc comment, whatever it looks like.
        let doc = if brackets.in_code() {
            doc_line(line)
        } else {
            None
        };
        let Some((kind, comment)) = doc else {
            // Only these start or end a string or comment: most lines need no closer look.
            if !brackets.in_code() || line.bytes().any(|b| matches!(b, b'"' | b'\'' | b'/')) {
                brackets.line(line);
            }
            out.push_str(line);
            in_run = None;
            continue;
        };
        if in_run == Some(kind) {
            docs.runs.last_mut().expect("a run").1.push(comment);
        } else {
            out.push_str(kind);
            out.push(MARK);
            out.push_str(&docs.runs.len().to_string());
            out.push('\n');
            docs.runs.push((kind, vec![comment]));
            in_run = Some(kind);
        }
    }
    (!docs.runs.is_empty()).then_some((out, docs))
}

/// `printed` with each placeholder line replaced by its run's lines, printed as prettyplease
/// prints doc comments; `None` unless every placeholder is a line of its own (spaces, then
/// the placeholder) and each is there exactly once.
pub(super) fn restore(printed: &str, docs: &Docs) -> Option<String> {
    let extra: usize = docs
        .runs
        .iter()
        .flat_map(|(_, lines)| lines)
        .map(|line| line.len() + 8)
        .sum();
    let mut out = String::with_capacity(printed.len() + extra);
    let mut seen = vec![false; docs.runs.len()];
    for line in printed.split_inclusive('\n') {
        if !line.contains(MARK) {
            out.push_str(line);
            continue;
        }
        let body = line.trim_start_matches(' ');
        let indent = &line[..line.len() - body.len()];
        let body = body.strip_suffix('\n')?;
        let (kind, index) = body.split_once(MARK)?;
        let index: usize = index.parse().ok()?;
        let (run_kind, comments) = docs.runs.get(index)?;
        if kind != *run_kind || std::mem::replace(&mut seen[index], true) {
            return None;
        }
        for comment in comments {
            out.push_str(indent);
            out.push_str(kind);
            out.push_str(comment.trim_end_matches(' '));
            out.push('\n');
        }
    }
    seen.iter().all(|&seen| seen).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` printed by prettyplease as it is.
    fn printed(text: &str) -> String {
        prettyplease::unparse(&syn::parse_file(text).unwrap())
    }

    /// `text` printed with its docs set aside and restored.
    fn round_trip(text: &str) -> Option<String> {
        let (short, docs) = set_aside(text)?;
        restore(&printed(&short), &docs)
    }

    #[test]
    fn docs_restored_are_the_docs_printed() {
        let text = r#"//! Crate docs, with `code`, "quotes", a \ backslash and */ a comment's end.
//!
//!   Indented, with trailing spaces.   
#![allow(dead_code)]

/// Docs: ünïcödé, emoji 🦀, tabs	inside, \n \u{1F980} (not escapes).
///
///    ```
///    let x = "*/";
///    ```
#[derive(Clone)]
/// A second run, after an attribute.
pub struct S {
        /// A field, oddly indented in the text.
    pub a: u8,
    ///No space after the marker.
    ///
    pub b: u8,
    //// Four slashes: a plain comment, dropped.
    pub c: u8,
}

/// An enum.
pub enum E {
    /// A variant.
    A,
    /// Another,
    /// over two lines.
    B { /// A field of a variant.
        x: u8 },
}

impl S {
    /// A method, in an impl block.
    pub fn f(&self) -> &'static str {
        "a string
/// that is not a doc comment
"
    }
}

mod m {
    //! Inner docs of a module.
    mod n {
        /// Nested deeper.
        pub fn g() {}
    }
}
"#;
        let (short, docs) = set_aside(text).unwrap();
        // The runs, whatever their indentation, and not the lines in the string.
        assert_eq!(docs.runs.len(), 11);
        assert_eq!(docs.runs[0].0, "//!");
        assert_eq!(docs.runs[0].1[2], "   Indented, with trailing spaces.   ");
        assert!(short.contains("\n/// that is not a doc comment\n"));
        assert!(short.contains("    //// Four slashes"));
        assert_eq!(round_trip(text).unwrap(), printed(text));
    }

    #[test]
    fn texts_with_nothing_to_set_aside_or_the_marker_are_left_as_they_are() {
        assert_eq!(set_aside("pub struct S;\n"), None);
        assert_eq!(set_aside("// A comment.\npub struct S;\n"), None);
        assert_eq!(set_aside("/// \u{1}0\npub struct S;\n"), None);
        assert_eq!(
            set_aside("/// A bare\r carriage return.\npub struct S;\n"),
            None
        );
        // A doc comment in a block comment is not one.
        assert_eq!(set_aside("/*\n/// Not docs.\n*/\npub struct S;\n"), None);
    }

    #[test]
    fn a_placeholder_not_on_a_line_of_its_own_is_not_restored() {
        // In a macro's tokens a doc comment is printed as an attribute.
        let text =
            "macro_rules! m {\n    () => {\n        /// Docs.\n        struct S;\n    };\n}\n";
        let (short, docs) = set_aside(text).unwrap();
        assert_eq!(restore(&printed(&short), &docs), None);
        // A placeholder lost, or printed twice.
        let (_, docs) = set_aside("/// A.\nstruct A;\n/// B.\nstruct B;\n").unwrap();
        assert_eq!(restore("///\u{1}0\nstruct A;\nstruct B;\n", &docs), None);
        assert_eq!(
            restore("///\u{1}0\nstruct A;\n///\u{1}0\nstruct B;\n", &docs),
            None
        );
        assert_eq!(
            restore("//!\u{1}0\nstruct A;\n///\u{1}1\nstruct B;\n", &docs),
            None
        );
        assert_eq!(
            restore("///\u{1}0\nstruct A;\n///\u{1}1\nstruct B;\n", &docs).unwrap(),
            "/// A.\nstruct A;\n/// B.\nstruct B;\n"
        );
    }
}
