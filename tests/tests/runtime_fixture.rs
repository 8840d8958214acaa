//! The runtime features that Upvest's User Identifiers group does not use (idempotency keys,
//! pagination, PDF downloads, the form-encoded token operation), checked on a crate generated
//! from `tests/fixtures/runtime/runtime.yaml`: the crate and the checks in
//! `tests/fixtures/runtime/checks.rs` are put in a workspace of their own and `cargo test` runs
//! there (the target directory is kept under `target/` so reruns are fast).

use std::process::Command;

use upvest_sdk_generator::{generate, write::write, GroupSelection, Options};
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
    let spec = root.join(label);
    let options = Options {
        spec: &spec,
        spec_label: label,
        groups: GroupSelection::All,
    };
    let files = generate(&options).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path();
    write(&files, &workspace.join("sdk")).unwrap();
    let checks = workspace.join("checks");
    std::fs::create_dir_all(checks.join("tests")).unwrap();
    std::fs::create_dir_all(checks.join("src")).unwrap();
    std::fs::write(checks.join("Cargo.toml"), CHECKS_MANIFEST).unwrap();
    std::fs::write(checks.join("src/lib.rs"), "").unwrap();
    std::fs::copy(
        root.join("tests/fixtures/runtime/checks.rs"),
        checks.join("tests/checks.rs"),
    )
    .unwrap();
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"sdk\", \"checks\"]\n",
    )
    .unwrap();
    // The repository's lock pins the versions the committed SDK is tested with.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();

    let output = Command::new(env!("CARGO"))
        .args(["test", "--package", "runtime-checks"])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", root.join("target/runtime-fixture"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the runtime checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("test result: ok. 14 passed"), "{stdout}");
}
