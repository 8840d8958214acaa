//! The committed SDK in `generated/` must be exactly what the generator makes of `spec/`: the
//! same check as `cargo xtask check`, run by `cargo test` too.

use upvest_sdk_generator::{check, GroupSelection, Options};
use upvest_sdk_tests::repo_root;

#[test]
fn generated_crate_is_fresh() {
    let root = repo_root();
    let spec_label = "spec/upvest-user-identifiers.yaml";
    let options = Options {
        spec: &root.join(spec_label),
        spec_label,
        groups: GroupSelection::All,
    };
    let drift = check(&options, &root.join("generated")).expect("the description generates");
    assert!(
        drift.is_empty(),
        "generated/ is stale:\n{}",
        drift.report("cargo xtask generate")
    );
}

#[test]
fn the_four_inline_identifier_schemas_are_one_struct() {
    let models = std::fs::read_to_string(repo_root().join("generated/src/models.rs")).unwrap();
    assert_eq!(models.matches("pub struct Identifier {").count(), 1);
    // No copy under another name either: only one struct has the identifier's fields.
    assert_eq!(models.matches("pub identifier_standard:").count(), 1);
}
