//! Snapshots of the generator's output over the small fixture descriptions in `tests/fixtures/`
//! (one snapshot per fixture), and of its error messages over the broken ones in
//! `tests/fixtures/invalid/`. CI runs these with `INSTA_UPDATE=no`: a changed output fails.

use std::path::Path;

use upvest_sdk_generator::{generate, runtime, GroupSelection, Options};
use upvest_sdk_tests::repo_root;

/// The runtime's files (copied, and the two written from its templates) and the examples
/// change little with the description; they are covered by the drift test of `generated/`, so
/// the fixture snapshots show only what the description shapes.
fn is_runtime_file(path: &str) -> bool {
    runtime::is_copied(path)
        || runtime::TEMPLATED
            .iter()
            .any(|(_, written)| *written == path)
        || path.starts_with("examples/")
}

/// The crate's copy of its description is the fixture itself, byte for byte.
const DESCRIPTION_COPY: &str = "source/openapi.yaml";

fn options<'a>(path: &'a Path, label: &'a str) -> Options<'a> {
    Options {
        spec: path,
        spec_label: label,
        groups: GroupSelection::All,
    }
}

/// The label a fixture has in headers and messages: its path from the repository root.
fn label(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn fixtures_generate() {
    insta::glob!("../../fixtures", "*.yaml", |path| {
        let label = label(path);
        let files = generate(&options(path, &label)).unwrap_or_else(|e| panic!("{e}"));
        let shown: String = files
            .iter()
            .filter(|(name, _)| !is_runtime_file(name) && *name != DESCRIPTION_COPY)
            .map(|(name, text)| format!("==> {name} <==\n{text}\n"))
            .collect();
        insta::assert_snapshot!(shown);
    });
}

#[test]
fn invalid_fixtures_fail_with_clear_errors() {
    insta::glob!("../../fixtures/invalid", "*.yaml", |path| {
        let label = label(path);
        let error = generate(&options(path, &label)).expect_err("a broken description must fail");
        insta::assert_snapshot!(error.to_string());
    });
}

/// Every snapshot belongs to a fixture that still exists (like `--unreferenced=reject`).
#[test]
fn no_orphaned_snapshots() {
    let root = repo_root().join("tests");
    let snapshots = root.join("tests").join("snapshots");
    let Ok(entries) = std::fs::read_dir(&snapshots) else {
        return;
    };
    for entry in entries {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let Some((test, fixture)) = name.trim_end_matches(".snap").split_once('@') else {
            continue;
        };
        let folder = if test.ends_with("invalid_fixtures_fail_with_clear_errors") {
            root.join("fixtures").join("invalid")
        } else {
            root.join("fixtures")
        };
        assert!(
            folder.join(fixture).is_file(),
            "snapshot {name} has no fixture {fixture}; delete it"
        );
    }
}
