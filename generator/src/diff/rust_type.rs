//! The model keeps Rust types as strings (`Option < Vec < crate :: models :: Identifier > >`).
//! The diff reads them as tokens: to show them compactly, to find the model types they name, and
//! to compare them with renamed types translated.

use std::collections::BTreeMap;

/// The type as a user writes it: no token spacing, no `crate::models::` prefix.
pub fn normalize(rust_type: &str) -> String {
    let compact: String = rust_type.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.replace(",", ", ");
    compact.replace("crate::models::", "")
}

/// The model type names a Rust type mentions, in order (a word preceded by `::` belongs to a
/// path such as `serde_json::Map`, never to a model type).
pub fn model_names(rust_type: &str, is_model: impl Fn(&str) -> bool) -> Vec<String> {
    words(&normalize(rust_type))
        .into_iter()
        .filter(|(word, after_path)| !after_path && is_model(word))
        .map(|(word, _)| word.to_string())
        .collect()
}

/// `rust_type` (normalized) with each model type name replaced by `replace(name)`.
pub fn map_names(rust_type: &str, mut replace: impl FnMut(&str) -> Option<String>) -> String {
    let normalized = normalize(rust_type);
    let mut out = String::new();
    let mut rest = normalized.as_str();
    while let Some(start) = rest.find(is_word_start) {
        let (before, from_word) = rest.split_at(start);
        out.push_str(before);
        let end = from_word
            .find(|c: char| !is_word_char(c))
            .unwrap_or(from_word.len());
        let (word, after) = from_word.split_at(end);
        let replacement = if out.ends_with("::") {
            None
        } else {
            replace(word)
        };
        out.push_str(replacement.as_deref().unwrap_or(word));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The old type as the new model would spell it: renamed model types translated.
pub fn translate(rust_type: &str, renames: &BTreeMap<String, String>) -> String {
    map_names(rust_type, |name| renames.get(name).cloned())
}

/// The Rust type inside the `Option`s a field's required-ness and nullability add.
pub fn field_inner(rust_type: &str, required: bool, nullable: bool) -> String {
    let wrappers = match (required, nullable) {
        (true, false) => 0,
        (true, true) | (false, false) => 1,
        (false, true) => 2,
    };
    let mut inner = normalize(rust_type);
    for _ in 0..wrappers {
        match inner
            .strip_prefix("Option<")
            .and_then(|s| s.strip_suffix('>'))
        {
            Some(unwrapped) => inner = unwrapped.to_string(),
            None => break,
        }
    }
    inner
}

/// Identifier-like words with whether each directly follows `::`.
fn words(rust_type: &str) -> Vec<(&str, bool)> {
    let mut found = Vec::new();
    let mut rest = rust_type;
    let mut consumed = 0;
    while let Some(start) = rest.find(is_word_start) {
        let end = rest[start..]
            .find(|c: char| !is_word_char(c))
            .map_or(rest.len(), |e| start + e);
        let before = rust_type[..consumed + start].trim_end();
        found.push((&rest[start..end], before.ends_with("::")));
        consumed += end;
        rest = &rest[end..];
    }
    found
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_token_spacing_and_the_models_path() {
        assert_eq!(
            normalize("Option < Vec < crate :: models :: Identifier > >"),
            "Option<Vec<Identifier>>"
        );
        assert_eq!(
            normalize("std :: collections :: BTreeMap < String , X >"),
            "std::collections::BTreeMap<String, X>"
        );
    }

    #[test]
    fn finds_model_names_but_not_path_segments() {
        let is_model = |w: &str| w == "Map" || w == "Identifier";
        assert_eq!(
            model_names(
                "Vec < serde_json :: Map < String , crate :: models :: Identifier > >",
                is_model
            ),
            ["Identifier"]
        );
        assert_eq!(model_names("Option < Map >", is_model), ["Map"]);
    }

    #[test]
    fn translates_renamed_names_only() {
        let renames = BTreeMap::from([("Old".to_string(), "New".to_string())]);
        assert_eq!(
            translate("Option < Vec < crate :: models :: Old > >", &renames),
            "Option<Vec<New>>"
        );
        assert_eq!(translate("x :: Old", &renames), "x::Old");
        assert_eq!(translate("Older", &renames), "Older");
    }

    #[test]
    fn strips_the_options_required_and_nullable_add() {
        assert_eq!(field_inner("Option < Option < X > >", false, true), "X");
        assert_eq!(field_inner("Option < X >", false, false), "X");
        assert_eq!(field_inner("Option < X >", true, true), "X");
        assert_eq!(field_inner("Option < X >", true, false), "Option<X>");
    }
}
