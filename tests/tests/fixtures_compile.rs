//! Every fixture's generated crate compiles without warnings, with all its features and with
//! none: a template bug that only some descriptions trigger fails here, not in a user's build.
//!
//! All fixture crates go into one temporary workspace so that one `cargo check` builds the
//! dependencies once; the target directory is kept under `target/` to make reruns fast.

use std::path::Path;
use std::process::Command;

use upvest_sdk_generator::{generate, write::write, GroupSelection, Options};
use upvest_sdk_tests::repo_root;

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn generate_into(workspace: &Path, name: &str) {
    let spec = repo_root().join(format!("tests/fixtures/{name}.yaml"));
    let label = format!("tests/fixtures/{name}.yaml");
    let options = Options {
        spec: &spec,
        spec_label: &label,
        groups: GroupSelection::All,
    };
    let mut files = generate(&options).unwrap_or_else(|e| panic!("{e}"));
    // Package names must differ within one workspace.
    let manifest = files.get_mut("Cargo.toml").expect("a manifest");
    *manifest = manifest.replacen("name = \"upvest\"", &format!("name = \"upvest-{name}\""), 1);
    write(&files, &workspace.join(name)).unwrap();
}

fn cargo_check(workspace: &Path, extra: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(["check", "--workspace", "--all-targets", "--quiet"])
        .args(extra)
        .current_dir(workspace)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", repo_root().join("target/fixture-check"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo check {extra:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let names = fixture_names();
    assert!(names.len() >= 5, "fixtures missing: {names:?}");
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path();
    for name in &names {
        generate_into(workspace, name);
    }
    let members: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The repository's lock file pins the same dependency versions the committed SDK uses.
    std::fs::copy(repo_root().join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    cargo_check(workspace, &[]);
    cargo_check(workspace, &["--no-default-features"]);
}
