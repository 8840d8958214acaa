//! Every fixture's generated crate compiles without warnings, with all its features and with
//! none, and every example in a fixture decodes into its generated type and encodes again to an
//! equal value: a template bug that only some descriptions trigger fails here, not in a user's
//! build.
//!
//! All fixture crates go into one scratch workspace, and their round-trip programs are built by
//! one cargo run, so that cargo compiles them in parallel.

use upvest_sdk_generator::{load, lower, validate, GroupSelection};
use upvest_sdk_tests::harness::{
    build_programs, cargo, mapped_examples, round_trip_failures, RoundTrip, Scratch,
};
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

fn fixture_path(name: &str) -> std::path::PathBuf {
    repo_root().join(format!("tests/fixtures/{name}.yaml"))
}

#[test]
fn every_fixture_crate_compiles_and_its_examples_round_trip() {
    let names = fixture_names();
    assert!(names.len() >= 5, "fixtures missing: {names:?}");
    let mut scratch = Scratch::new();
    let mut with_examples = Vec::new();
    for name in &names {
        let label = format!("tests/fixtures/{name}.yaml");
        let package = format!("upvest-{name}");
        scratch.sdk(
            name,
            &fixture_path(name),
            &label,
            GroupSelection::All,
            &package,
        );
        let loaded = load::load(&fixture_path(name)).unwrap();
        validate::validate(&loaded).unwrap();
        let api = lower::lower(&loaded, &GroupSelection::All, &label, &Default::default()).unwrap();
        let mapped = mapped_examples(&api);
        if !mapped.is_empty() {
            let harness = RoundTrip::add(&mut scratch, name, &package, &loaded.raw, &mapped);
            with_examples.push((name.clone(), loaded.raw, harness));
        }
    }
    let dir = scratch.write("fixtures");
    let packages: Vec<String> = with_examples
        .iter()
        .map(|(_, _, harness)| harness.package().to_string())
        .collect();
    let programs = build_programs(&dir, &packages);
    for (name, raw, harness) in &with_examples {
        let outcomes = harness.run(&dir, &programs);
        let failures = round_trip_failures(raw, &outcomes);
        assert!(failures.is_empty(), "{name}: {failures:#?}");
    }
    assert!(!with_examples.is_empty(), "no fixture has examples");
    // The SDK crates alone (the round-trip programs, built above, would turn their default
    // features on and add the programs' dependencies to the features checked), with the fake:
    // the whole-API crate is checked with the same features, so cargo checks one tree of
    // dependencies for both.
    let testing = names
        .iter()
        .map(|name| format!("upvest-{name}/testing"))
        .collect::<Vec<_>>()
        .join(",");
    cargo(
        &dir,
        &[
            "check",
            "--workspace",
            "--exclude",
            "*-roundtrip",
            "--all-targets",
            "--features",
            &testing,
        ],
    );
    cargo(
        &dir,
        &[
            "check",
            "--workspace",
            "--exclude",
            "*-roundtrip",
            "--no-default-features",
        ],
    );
}
