//! The runtime features that Upvest's User Identifiers group does not use (idempotency keys,
//! pagination, PDF downloads, the form-encoded token operation), checked on a crate generated
//! from `tests/fixtures/runtime/runtime.yaml`: the crate and the checks in
//! `tests/fixtures/runtime/checks.rs` are put in a scratch workspace of their own and `cargo test`
//! runs there, in the target directory all nested runs share.

use upvest_sdk_generator::GroupSelection;
use upvest_sdk_tests::harness::{cargo, Scratch};
use upvest_sdk_tests::repo_root;

const CHECKS_MANIFEST: &str = r#"[package]
name = "runtime-checks"
version = "0.0.0"
edition = "2021"
publish = false

[dev-dependencies]
upvest = { path = "../sdk" }
futures-util = "0.3"
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
wiremock = "0.6"
"#;

#[test]
fn runtime_features_work_on_a_generated_crate() {
    let root = repo_root();
    let label = "tests/fixtures/runtime/runtime.yaml";
    let mut scratch = Scratch::new();
    scratch.sdk(
        "sdk",
        &root.join(label),
        label,
        GroupSelection::All,
        "upvest",
    );
    scratch.file("checks/Cargo.toml", CHECKS_MANIFEST);
    scratch.file("checks/src/lib.rs", "");
    let checks = std::fs::read_to_string(root.join("tests/fixtures/runtime/checks.rs")).unwrap();
    scratch.file("checks/tests/checks.rs", checks);
    scratch.member("checks");
    let workspace = scratch.write("runtime-fixture");

    let stdout = cargo(&workspace, &["test", "--package", "runtime-checks"]);
    assert!(stdout.contains("test result: ok. 15 passed"), "{stdout}");
}
