//! Every description of tests/corpus/ (real public APIs: OpenAPI 3.0 and 3.1, YAML and JSON)
//! generates a crate that compiles with warnings denied, examples and all. Ignored by default
//! (it compiles one crate per description):
//! `cargo test -p upvest-sdk-tests --test builds corpus -- --ignored`.

use upvest_sdk_generator::GroupSelection;
use upvest_sdk_tests::corpus_descriptions;
use upvest_sdk_tests::harness::{cargo, Scratch};

#[test]
#[ignore = "compiles one crate per corpus description; run with --ignored"]
fn every_corpus_crate_compiles_without_warnings() {
    let entries = corpus_descriptions();
    assert!(!entries.is_empty(), "the corpus is empty");
    let mut scratch = Scratch::new();
    for (label, path) in &entries {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let name = format!("corpus-{stem}");
        scratch.sdk(&name, path, label, GroupSelection::All, &name);
    }
    let dir = scratch.write("corpus");
    cargo(&dir, &["check", "--workspace", "--all-targets"]);
}
