//! References as the generator reads them: only where OpenAPI allows a Reference Object (a
//! `$ref` key in literal data is data), recursive schemas through `Box`/`Vec`, and a cycle of
//! bare references refused with the cycle named and nothing written. The fixtures' crates are
//! compiled by `fixtures_compile.rs` and their output snapshotted by `snapshots.rs`; this checks
//! the points that matter by name.

use std::path::Path;

use upvest_sdk_generator::{generate, write, GroupSelection, Options};
use upvest_sdk_tests::repo_root;

fn generate_fixture(path: &str) -> upvest_sdk_generator::Result<upvest_sdk_generator::Files> {
    let spec = repo_root().join(path);
    generate(&Options {
        spec: &spec,
        spec_label: path,
        groups: GroupSelection::All,
    })
}

fn models(path: &str) -> String {
    let files = generate_fixture(path).unwrap_or_else(|e| panic!("{e}"));
    files["src/models.rs"].clone()
}

#[test]
fn a_property_named_ref_and_ref_keys_in_data_are_not_references() {
    let models = models("tests/fixtures/literal-refs.yaml");
    assert!(
        models.contains("0: r#ref = \"$ref\" by optional,"),
        "{models}"
    );
    assert!(models.contains("pub r#ref: Option<String>"), "{models}");
    assert!(models.contains("pub members: Vec<Member>"), "{models}");
}

#[test]
fn recursive_schemas_get_box_and_vec_indirection() {
    let models = models("tests/fixtures/recursive.yaml");
    for expected in [
        "pub children: Vec<Node>",
        "pub parent: Option<Box<Node>>",
        "pub employer: Option<Box<Company>>",
        "pub ceo: Box<Person>",
        "Sum(Box<Sum>)",
        "pub left: Box<Expression>",
        "pub subfolders: Option<std::collections::BTreeMap<String, Folder>>",
        "pub reply_to: Option<Box<Comment>>",
    ] {
        assert!(models.contains(expected), "missing `{expected}`:\n{models}");
    }
    // One type per schema, wherever the cycle is entered (no `Node2`, `Person2`, ...).
    for name in ["Node", "Person", "Company", "Expression", "Sum", "Comment"] {
        let count = models.matches(&format!("pub struct {name} ")).count()
            + models.matches(&format!("pub enum {name} ")).count();
        assert_eq!(count, 1, "{name}:\n{models}");
        assert!(!models.contains(&format!("{name}2")), "{name}2:\n{models}");
    }
}

/// The output directory of a refused run keeps every byte it had.
fn assert_refused_untouched(path: &str, expected: &[&str]) {
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join(Path::new(path).file_stem().unwrap());
    let before = generate_fixture("tests/fixtures/minimal.yaml").unwrap();
    write::write(&before, &out).unwrap();
    let error = generate_fixture(path).expect_err("a cycle of references must be refused");
    let message = error.to_string();
    assert_eq!(error.exit_code(), 2);
    assert!(message.starts_with(path), "{message}");
    for part in expected {
        assert!(message.contains(part), "missing `{part}`: {message}");
    }
    assert!(write::compare(&before, &out).unwrap().is_empty());
}

#[test]
fn a_cycle_of_bare_references_is_an_error_naming_it() {
    assert_refused_untouched(
        "tests/fixtures/invalid/ref-cycle.yaml",
        &[
            ":24:",
            "at #/components/schemas/A/$ref",
            "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
        ],
    );
}

#[test]
fn a_cycle_with_no_object_is_an_error_naming_it() {
    assert_refused_untouched(
        "tests/fixtures/invalid/recursive-without-object.yaml",
        &[
            "at #/components/schemas/Nested:",
            "#/components/schemas/Nested -> #/components/schemas/Nested",
        ],
    );
}

/// Every schema of a dense cycle refers to every other: each is lowered once per feature, not
/// once per path through the cycle (which would never finish).
#[test]
fn a_dense_cycle_generates_quickly() {
    const N: usize = 14;
    let mut schemas = serde_json::Map::new();
    for i in 0..N {
        let properties: serde_json::Map<String, serde_json::Value> = (0..N)
            .map(|j| {
                let target = serde_json::json!({"$ref": format!("#/components/schemas/S{j}")});
                (format!("s{j}"), target)
            })
            .collect();
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({"type": "object", "properties": properties}),
        );
    }
    let paths: serde_json::Map<String, serde_json::Value> = (0..3)
        .map(|i| {
            let operation = serde_json::json!({"get": {
                "operationId": format!("get_s{i}"),
                "x-doctave-tags": [format!("Group {i}")],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/S{i}")}
                }}}}
            }});
            (format!("/s{i}"), operation)
        })
        .collect();
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Dense", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    });
    let label = Path::new("dense.json");
    let spec = upvest_sdk_generator::load::parse(label, doc.to_string()).unwrap();
    let started = std::time::Instant::now();
    let files = upvest_sdk_generator::generate_from(
        &spec,
        &Options {
            spec: label,
            spec_label: "dense.json",
            groups: GroupSelection::All,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let models = &files["src/models.rs"];
    assert_eq!(models.matches("pub struct S").count(), N, "{models}");
    assert!(models.contains("pub s1: Option<Box<S1>>"), "{models}");
}
