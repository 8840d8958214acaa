//! Every fixture's generated crate compiles without warnings, with all its features and with
//! none, and every example in a fixture decodes into its generated type and encodes again to an
//! equal value: a template bug that only some descriptions trigger fails here, not in a user's
//! build.
//!
//! All fixture crates go into one scratch workspace so that cargo builds the dependencies once.

use upvest_sdk_generator::{load, lower, validate, GroupSelection};
use upvest_sdk_tests::harness::{
    cargo, generate_into, mapped_examples, round_trip_failures, work_dir, workspace_around,
    RoundTrip,
};
use upvest_sdk_tests::repo_root;

const AREA: &str = "fixture-check";

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

fn fixture_path(name: &str) -> std::path::PathBuf {
    repo_root().join(format!("tests/fixtures/{name}.yaml"))
}

#[test]
fn every_fixture_crate_compiles_and_its_examples_round_trip() {
    let names = fixture_names();
    assert!(names.len() >= 5, "fixtures missing: {names:?}");
    let dir = work_dir(AREA, "crates");
    let mut members = Vec::new();
    let mut with_examples = Vec::new();
    for name in &names {
        let label = format!("tests/fixtures/{name}.yaml");
        let package = format!("upvest-{name}");
        generate_into(
            &fixture_path(name),
            &label,
            GroupSelection::All,
            &dir.join(name),
            &package,
        );
        members.push(name.clone());
        let loaded = load::load(&fixture_path(name)).unwrap();
        validate::validate(&loaded).unwrap();
        let api = lower::lower(&loaded, &GroupSelection::All, &label, &Default::default()).unwrap();
        let mapped = mapped_examples(&api);
        if !mapped.is_empty() {
            members.push(RoundTrip::member(name));
            let harness = RoundTrip::write(&dir, name, &loaded.raw, &mapped);
            with_examples.push((name.clone(), loaded.raw, harness));
        }
    }
    workspace_around(&dir, &members);
    for (name, raw, harness) in &with_examples {
        let outcomes = harness.run(AREA, &dir);
        let failures = round_trip_failures(raw, &outcomes);
        assert!(failures.is_empty(), "{name}: {failures:#?}");
    }
    assert!(!with_examples.is_empty(), "no fixture has examples");
    cargo(AREA, &dir, &["check", "--workspace", "--all-targets"]);
    cargo(
        AREA,
        &dir,
        &["check", "--workspace", "--no-default-features"],
    );
}
