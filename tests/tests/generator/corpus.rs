//! Real public API descriptions (tests/corpus/, see its README): each generates, with the
//! repairs it needs reported as warnings, and generates byte for byte the same twice. That the
//! crates compile is checked by the builds test `corpus_crates` (ignored by default: it is slow).

use std::path::Path;

use upvest_sdk_generator::{generate_from, load, GroupSelection, Options};
use upvest_sdk_tests::corpus_descriptions;

#[test]
fn every_corpus_description_generates() {
    let entries = corpus_descriptions();
    assert!(entries.len() >= 10, "corpus missing: {entries:?}");
    let mut versions = std::collections::BTreeSet::new();
    for (label, path) in entries {
        let spec = load::load_named(&path, Path::new(&label)).unwrap_or_else(|e| panic!("{e}"));
        if let Some(version) = spec.raw.get("openapi").and_then(|v| v.as_str()) {
            versions.insert(version[..3].to_string());
        }
        let options = Options {
            spec: Path::new(&label),
            spec_label: &label,
            groups: GroupSelection::All,
        };
        let first = generate_from(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        let second = generate_from(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        assert!(first == second, "{label}: two generations differ");
        let lib = first
            .get("src/lib.rs")
            .unwrap_or_else(|| panic!("{label}: no crate"));
        // The crate's docs name this API's provider (by its title), not Upvest.
        let named = lib
            .lines()
            .find_map(|line| line.strip_prefix("//! ## Testing without "))
            .unwrap_or_else(|| panic!("{label}: no testing section"));
        let first_word = spec.api.info.title.split_whitespace().next();
        assert_eq!(named.split_whitespace().next(), first_word, "{label}");
        assert!(!lib.contains("fake Upvest"), "{label}: its docs say Upvest");
    }
    assert_eq!(versions.into_iter().collect::<Vec<_>>(), ["3.0", "3.1"]);
}

/// The OAI callback example has an operation without an operationId: it gets a method named
/// after its method and path, with a warning that points at the operation.
#[test]
fn an_operation_without_an_id_is_named_by_method_and_path() {
    let label = "tests/corpus/oai-callback-example.yaml";
    let path = upvest_sdk_tests::repo_root().join(label);
    let spec = load::load_named(&path, Path::new(label)).unwrap_or_else(|e| panic!("{e}"));
    let warning = spec
        .warnings
        .iter()
        .find(|w| w.location.pointer == "#/paths/~1streams/post")
        .unwrap_or_else(|| panic!("no warning at the operation: {:?}", spec.warnings));
    assert_eq!(warning.location.line, Some(7));
    assert!(warning.message.contains("`post_streams`"), "{warning}");
    let options = Options {
        spec: Path::new(label),
        spec_label: label,
        groups: GroupSelection::All,
    };
    let files = generate_from(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
    let method = files
        .iter()
        .filter(|(name, _)| name.starts_with("src/"))
        .any(|(_, text)| text.contains("pub fn post_streams("));
    assert!(method, "no `post_streams` method in the crate");
}
