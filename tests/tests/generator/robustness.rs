//! The generator on thousands of broken descriptions: every fixture and `spec/`, mutated by a
//! seeded PRNG (nodes deleted, retyped, renamed, duplicated; `$ref`s to odd targets; empty and
//! self-referencing compositions; odd names and path templates; truncated and corrupted bytes).
//! The project standard: bad input gets a clear error naming the file, never a panic. So for
//! every mutant the whole in-memory pipeline must either generate (syn has then parsed every
//! Rust file) or fail with an error that starts with the file's label; an error the templates or
//! syn raise is a generator bug, whatever the input. Mutants are deterministic (from the seed,
//! the file and the mutant's index): a failure says what was mutated and is kept under the
//! target directory for minimizing. The engine is `upvest_sdk_tests::mutation`.

use std::path::{Path, PathBuf};

use serde_json::Value;
use upvest_sdk_tests::mutation::{
    byte_mutant, run_pipeline, scaled, structural_mutant, Outcome, Tally, BYTES_PER_FILE,
    STRUCTURAL_PER_FILE, WHOLE_STRUCTURAL,
};
use upvest_sdk_tests::{repo_root, shared_dir};

/// Where failing mutants are kept.
fn saved_in() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("robustness")
}

/// The fixtures and `spec/`, with their labels (paths from the repository root).
fn small_descriptions() -> Vec<(String, String)> {
    let root = repo_root();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable fixture folder").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths.push(root.join("spec/upvest-user-identifiers.yaml"));
    paths
        .into_iter()
        .map(|path| {
            let label = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            let source = std::fs::read_to_string(&path).expect("readable description");
            (label, source)
        })
        .collect()
}

fn parse_tree(label: &str, source: &str) -> Value {
    serde_yaml::from_str(source).unwrap_or_else(|e| panic!("{label} is not YAML: {e}"))
}

#[test]
fn mutated_descriptions_fail_cleanly_or_generate() {
    let mut tally = Tally::new(saved_in());
    for (label, source) in small_descriptions() {
        let doc = parse_tree(&label, &source);
        tally.run(&label, "structural", scaled(STRUCTURAL_PER_FILE), |i| {
            structural_mutant(&doc, &label, i, 3)
        });
        tally.run(&label, "bytes", scaled(BYTES_PER_FILE), |i| {
            byte_mutant(&source, &label, i)
        });
    }
    tally.report("fixtures and spec/");
}

/// The same descriptions written as JSON (read as JSON, with JSON's lines in errors), mutated
/// structurally and byte by byte: fewer mutants, the YAML run covers the structures.
#[test]
fn mutated_json_descriptions_fail_cleanly_or_generate() {
    let mut tally = Tally::new(saved_in());
    for (label, source) in small_descriptions() {
        let doc = parse_tree(&label, &source);
        let label = format!("{label}.json");
        let json = serde_json::to_string_pretty(&doc).expect("a JSON tree");
        let as_json = |yaml: &str| {
            let tree: Value = serde_yaml::from_str(yaml).expect("mutants are YAML");
            serde_json::to_string_pretty(&tree).expect("a JSON tree")
        };
        tally.run(&label, "structural", scaled(STRUCTURAL_PER_FILE / 5), |i| {
            let (yaml, what) = structural_mutant(&doc, &label, i, 3);
            (as_json(&yaml), what)
        });
        tally.run(&label, "bytes", scaled(BYTES_PER_FILE / 5), |i| {
            byte_mutant(&json, &label, i)
        });
    }
    tally.report("fixtures and spec/ as JSON");
}

/// Real public descriptions (tests/corpus/): other styles, OpenAPI 3.1, JSON. Fewer mutants
/// per file than the fixtures get; each is written back in the format it came in.
#[test]
fn mutated_corpus_fails_cleanly_or_generates() {
    let mut tally = Tally::new(saved_in());
    for (label, path) in upvest_sdk_tests::corpus_descriptions() {
        let source = std::fs::read_to_string(&path).expect("a readable corpus description");
        let json = label.ends_with(".json");
        let doc: Value = match json {
            true => serde_json::from_str(&source).expect("corpus JSON"),
            false => parse_tree(&label, &source),
        };
        tally.run(&label, "structural", scaled(STRUCTURAL_PER_FILE / 5), |i| {
            let (yaml, what) = structural_mutant(&doc, &label, i, 2);
            let text = match json {
                true => {
                    let tree: Value = serde_yaml::from_str(&yaml).expect("mutants are YAML");
                    serde_json::to_string_pretty(&tree).expect("a JSON tree")
                }
                false => yaml,
            };
            (text, what)
        });
    }
    tally.report("corpus");
}

/// A few single mutations of Upvest's whole description: the same standard at full size.
#[test]
fn mutated_whole_description_fails_cleanly_or_generates() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let label = "../shared/upvest/openapi.yaml";
    let source = std::fs::read_to_string(shared.join("upvest/openapi.yaml"))
        .expect("readable whole description");
    let doc = parse_tree(label, &source);
    let mut tally = Tally::new(saved_in());
    tally.run(label, "whole", scaled(WHOLE_STRUCTURAL), |i| {
        structural_mutant(&doc, label, i, 1)
    });
    tally.report("whole description");
}

/// `run_pipeline` on `text` in a thread with the default 2 MiB stack of spawned threads (the
/// main thread's 8 MiB would hide a walk that only a deeper stack survives).
fn on_small_stack(label: &str, text: String) -> Result<Outcome, String> {
    let label = label.to_string();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || run_pipeline(&label, text))
        .expect("a thread")
        .join()
        .expect("run_pipeline catches panics")
}

/// A description with one operation returning `Start`, and `schemas` (YAML, indented 4).
fn with_schemas(schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /n:\n    get:\n      \
         operationId: get_start\n      responses:\n        '200':\n          description: ok\n          \
         content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Start'}}\n\
         components:\n  schemas:\n{schemas}"
    )
}

/// A chain of `n` components, each an object whose one property refers to the next.
fn chain(n: usize) -> String {
    let mut schemas = String::new();
    for i in 0..n {
        let name = if i == 0 {
            "Start".to_string()
        } else {
            format!("S{i}")
        };
        let next = match i + 1 < n {
            true => format!("{{$ref: '#/components/schemas/S{}'}}", i + 1),
            false => "{type: string}".to_string(),
        };
        schemas.push_str(&format!(
            "    {name}:\n      type: object\n      properties:\n        next: {next}\n"
        ));
    }
    with_schemas(&schemas)
}

#[test]
fn deep_chains_of_references_generate_or_fail_cleanly() {
    assert_eq!(
        on_small_stack("chain.yaml", chain(60)),
        Ok(Outcome::Generated)
    );
    assert_eq!(
        on_small_stack("chain.yaml", chain(500)),
        Ok(Outcome::Rejected)
    );
}

#[test]
fn deep_inline_nesting_fails_cleanly() {
    // Inline objects nested 120 deep (YAML's own recursion limit is 128).
    let mut schema = "{type: string}".to_string();
    for _ in 0..120 {
        schema = format!("{{type: object, properties: {{inner: {schema}}}}}");
    }
    let text = with_schemas(&format!("    Start: {schema}\n"));
    assert_eq!(on_small_stack("deep.yaml", text), Ok(Outcome::Rejected));
}

/// The nullable-reference idiom on a recursive schema generates (an optional boxed field);
/// an `allOf` that merges a schema into a property of itself, which no type can hold, is an
/// error naming the member.
#[test]
fn schemas_that_merge_themselves_fail_cleanly() {
    let idiom = with_schemas(
        "    Start:\n      type: object\n      properties:\n        parent:\n          \
         allOf: [{$ref: '#/components/schemas/Start'}]\n          nullable: true\n          \
         description: The parent.\n",
    );
    assert_eq!(on_small_stack("idiom.yaml", idiom), Ok(Outcome::Generated));
    let endless = with_schemas(
        "    Start:\n      type: object\n      properties:\n        parent:\n          \
         allOf:\n            - {$ref: '#/components/schemas/Start'}\n            \
         - {properties: {x: {type: string}}}\n",
    );
    let label = "endless.yaml";
    let spec = upvest_sdk_generator::load::parse(Path::new(label), endless.clone())
        .expect("the description parses");
    let options = upvest_sdk_generator::Options {
        spec: Path::new(label),
        spec_label: label,
        groups: upvest_sdk_generator::GroupSelection::All,
    };
    let error = upvest_sdk_generator::generate_from(&spec, &options).expect_err("no type holds it");
    let text = error.to_string();
    assert!(
        text.contains("/parent/allOf/0") && text.contains("itself"),
        "{text}"
    );
    assert_eq!(on_small_stack(label, endless), Ok(Outcome::Rejected));
}
