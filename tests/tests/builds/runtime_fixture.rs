//! The runtime features that Upvest's User Identifiers group does not use (idempotency keys,
//! pagination, PDF downloads, the form-encoded token operation), checked on a crate generated
//! from `tests/fixtures/runtime/runtime.yaml`: the crate and the checks in
//! `tests/fixtures/runtime/checks.rs` are put in a scratch workspace of their own and `cargo test`
//! runs there, in the target directory all nested runs share.

use upvest_sdk_generator::GroupSelection;
use upvest_sdk_tests::harness::{cargo, Scratch, PROGRAM_DEPENDENCIES};
use upvest_sdk_tests::repo_root;

/// The checks' package: its test needs the SDK, tokio and wiremock; its dependencies are every
/// run program's ([`PROGRAM_DEPENDENCIES`]), so the round-trip programs' build has already
/// compiled them.
fn checks_manifest() -> String {
    format!(
        "[package]\nname = \"runtime-checks\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dev-dependencies]\nupvest = {{ path = \"../sdk\" }}\n{PROGRAM_DEPENDENCIES}"
    )
}

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
    scratch.file("checks/Cargo.toml", checks_manifest());
    scratch.file("checks/src/lib.rs", "");
    let checks = std::fs::read_to_string(root.join("tests/fixtures/runtime/checks.rs")).unwrap();
    scratch.file("checks/tests/checks.rs", checks);
    scratch.member("checks");
    let workspace = scratch.write("runtime-fixture");

    let stdout = cargo(&workspace, &["test", "--package", "runtime-checks"]);
    assert!(stdout.contains("test result: ok. 15 passed"), "{stdout}");
}
