//! The bodies of some macro calls kept as the template wrote them. prettyplease prints a
//! macro's tokens as one paragraph of text (`0 : id = "id" by required, 1 : ...`): a struct's
//! `deserialize_object!` call, which lists its fields one a line, would become a block no one
//! can read (nor would a struct's `debug_struct!`). So each such body is set aside while the piece is parsed and printed (a
//! placeholder token in its place), and put back after, line by line, at the indentation the
//! placeholder was printed at. A body is checked to be valid tokens, as parsing would check it.

/// How a call whose body is kept starts: the whole line, spaces before it aside.
pub(super) const KEPT: &[&str] = &[
    "crate::serde_helpers::deserialize_object! {",
    "crate::debug::debug_struct! {",
];

/// The placeholder's token, numbered; a text that has it anywhere is left as it is.
const PLACEHOLDER: &str = "__macro_body_";

/// The bodies set aside from one text: the lines of each, without their line breaks.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Bodies<'a> {
    bodies: Vec<Vec<&'a str>>,
}

/// `text` with the body of each kept macro call replaced by a placeholder line, and the bodies;
/// `None` when there is none, when one does not end (a `}` alone at the indentation of its
/// call), when one is not valid tokens, or when the text has the placeholder's token.
pub(super) fn set_aside(text: &str) -> Option<(String, Bodies<'_>)> {
    if !KEPT.iter().any(|start| text.contains(start)) || text.contains(PLACEHOLDER) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut bodies = Bodies::default();
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out.push_str(line);
        let code = line.trim_start_matches(' ');
        if !KEPT.contains(&code.trim_end()) {
            continue;
        }
        let indent = &line[..line.len() - code.len()];
        let close = format!("{indent}}}");
        let mut body = Vec::new();
        loop {
            let next = lines.next()?;
            if next.trim_end() == close {
                out.push_str(&format!(
                    "{indent}    {PLACEHOLDER}{}\n",
                    bodies.bodies.len()
                ));
                out.push_str(next);
                break;
            }
            body.push(next.strip_suffix('\n').unwrap_or(next));
        }
        body.join("\n").parse::<proc_macro2::TokenStream>().ok()?;
        bodies.bodies.push(body);
    }
    (!bodies.bodies.is_empty()).then_some((out, bodies))
}

/// `printed` with each placeholder line replaced by its body's lines, indented as the
/// placeholder was (less the indentation the body's lines share); `None` unless every
/// placeholder is a line of its own and each is there exactly once.
pub(super) fn restore(printed: &str, bodies: &Bodies) -> Option<String> {
    let mut out = String::with_capacity(printed.len() + printed.len() / 4);
    let mut seen = vec![false; bodies.bodies.len()];
    for line in printed.split_inclusive('\n') {
        if !line.contains(PLACEHOLDER) {
            out.push_str(line);
            continue;
        }
        let token = line.trim_start_matches(' ');
        let indent = &line[..line.len() - token.len()];
        let index: usize = token.trim_end().strip_prefix(PLACEHOLDER)?.parse().ok()?;
        let body = bodies.bodies.get(index)?;
        if std::mem::replace(&mut seen[index], true) {
            return None;
        }
        let shared = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        for body_line in body {
            let body_line = body_line.trim_end();
            if !body_line.is_empty() {
                out.push_str(indent);
                out.push_str(&body_line[shared..]);
            }
            out.push('\n');
        }
    }
    seen.iter().all(|&seen| seen).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kept call names a macro the runtime declares where the call says
    /// (`crate::serde_helpers::deserialize_object!` in `src/serde_helpers.rs`).
    #[test]
    fn the_kept_macros_are_the_runtimes() {
        for start in KEPT {
            let path = start.trim_end_matches("! {");
            let (module, name) = path
                .trim_start_matches("crate::")
                .rsplit_once("::")
                .unwrap();
            let file = format!("src/{}.rs", module.replace("::", "/"));
            let (_, source) = crate::runtime::FILES
                .iter()
                .find(|(p, _)| *p == file)
                .unwrap_or_else(|| panic!("{file} is not a runtime file"));
            assert!(
                source.contains(&format!("\nmacro_rules! {name} {{")),
                "{file} declares no macro `{name}`"
            );
        }
    }

    fn printed(text: &str) -> String {
        prettyplease::unparse(&syn::parse_file(text).unwrap())
    }

    #[test]
    fn a_kept_body_is_printed_as_written_at_the_calls_indentation() {
        let text = "mod m {\nstruct S {}\ncrate::serde_helpers::deserialize_object! {\n    S {\n        0: id = \"id\" by required,\n        1: name = \"name\" by optional,\n    }\n    others { unknown_fields }\n}\n}\n";
        let (short, bodies) = set_aside(text).unwrap();
        let restored = restore(&printed(&short), &bodies).unwrap();
        assert_eq!(
            restored,
            "mod m {\n    struct S {}\n    crate::serde_helpers::deserialize_object! {\n        S {\n            0: id = \"id\" by required,\n            1: name = \"name\" by optional,\n        }\n        others { unknown_fields }\n    }\n}\n"
        );
    }

    #[test]
    fn texts_without_a_kept_call_or_with_a_broken_one_are_left_as_they_are() {
        assert_eq!(set_aside("struct S;\n"), None);
        // Not closed at its indentation, or not valid tokens.
        assert_eq!(
            set_aside("crate::serde_helpers::deserialize_object! {\n    S {}\n"),
            None
        );
        assert_eq!(
            set_aside("crate::serde_helpers::deserialize_object! {\n    S { ) }\n}\n"),
            None
        );
        let (_, bodies) =
            set_aside("crate::serde_helpers::deserialize_object! {\n    S {}\n}\n").unwrap();
        // A placeholder lost, or printed twice.
        assert_eq!(restore("x! {\n}\n", &bodies), None);
        assert_eq!(
            restore("    __macro_body_0\n    __macro_body_0\n", &bodies),
            None
        );
    }
}
