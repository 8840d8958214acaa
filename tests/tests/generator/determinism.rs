//! The generator's output depends on the description's content only: not on the run, hash map
//! order, key order in the file, where the repository is, or the clock.

use std::path::Path;

use serde_json::Value;
use upvest_sdk_generator::{
    generate, generate_from, load, metadata, Files, GroupSelection, Options,
};
use upvest_sdk_tests::{repo_root, shared_dir};

const SPEC: &str = "spec/upvest-user-identifiers.yaml";

fn options<'a>(spec: &'a Path, label: &'a str) -> Options<'a> {
    Options {
        spec,
        spec_label: label,
        groups: GroupSelection::All,
    }
}

/// The descriptions the tests run on: `spec/`, the fixtures, and Upvest's whole description
/// when the shared corpus is there. Labels are relative, as the command line makes them.
fn descriptions() -> Vec<(std::path::PathBuf, String)> {
    let mut found = small_descriptions();
    found.extend(whole_description());
    found
}

fn whole_description() -> Option<(std::path::PathBuf, String)> {
    let path = shared_dir()?.join("upvest/openapi.yaml");
    Some((path, "../shared/upvest/openapi.yaml".to_string()))
}

/// `spec/` and the fixtures.
fn small_descriptions() -> Vec<(std::path::PathBuf, String)> {
    let root = repo_root();
    let mut found = vec![(root.join(SPEC), SPEC.to_string())];
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    for path in fixtures {
        let label = path.strip_prefix(&root).unwrap().display().to_string();
        found.push((path, label));
    }
    found
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    for (path, label) in descriptions() {
        let first = generate(&options(&path, &label)).unwrap_or_else(|e| panic!("{e}"));
        let second = generate(&options(&path, &label)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, second, "{label}");
    }
}

/// Every mapping's keys in sorted order (`reverse`: the opposite order).
fn reorder(value: Value, reverse: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            if reverse {
                entries.reverse();
            }
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, reorder(v, reverse)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| reorder(v, reverse)).collect())
        }
        other => other,
    }
}

/// The description read as YAML, turned into JSON, keys reordered, and written back as YAML.
fn reserialized(path: &Path, reverse: bool) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let json: Value = serde_json::to_value(yaml).unwrap();
    let json_text = serde_json::to_string(&reorder(json, reverse)).unwrap();
    let back: serde_yaml::Value = serde_json::from_str(&json_text).unwrap();
    serde_yaml::to_string(&back).unwrap()
}

/// The files that depend on the description's content, not on its bytes: everything but the
/// copy of the description and the record of its hash.
fn content_files(mut files: Files) -> Files {
    files.retain(|path, _| !path.starts_with("source/"));
    files
}

#[test]
fn key_order_in_the_description_does_not_matter() {
    for (path, label) in small_descriptions().into_iter().chain(whole_description()) {
        assert_same_output_whatever_the_key_order(&path, &label);
    }
}

fn assert_same_output_whatever_the_key_order(path: &Path, label: &str) {
    let original = content_files(generate(&options(path, label)).unwrap());
    for reverse in [false, true] {
        let source = reserialized(path, reverse);
        assert_ne!(source, std::fs::read_to_string(path).unwrap());
        let spec = load::parse(Path::new(label), source).unwrap_or_else(|e| panic!("{e}"));
        let files = content_files(generate_from(&spec, &options(path, label)).unwrap());
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            original.keys().collect::<Vec<_>>()
        );
        for (name, text) in &files {
            assert!(
                *text == original[name],
                "{label} with keys {} differs in {name}:\n{}",
                if reverse { "reversed" } else { "sorted" },
                first_difference(&original[name], text)
            );
        }
    }
}

fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {}:\n- {x}\n+ {y}", i + 1))
        .unwrap_or_else(|| "one is a prefix of the other".into())
}

/// Nothing machine-specific or time-specific leaks into the output: no absolute path of the
/// checkout, no home directory, no date of today.
#[test]
fn output_names_no_local_path_and_no_date() {
    let root = repo_root();
    let spec = root.join(SPEC);
    let files = generate(&options(&spec, SPEC)).unwrap();
    let root_text = root.display().to_string();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/nonexistent-home".into());
    let today = today();
    for (name, text) in &files {
        assert!(!text.contains(&root_text), "{name} names {root_text}");
        assert!(!text.contains(&home), "{name} names {home}");
        assert!(!text.contains(&today), "{name} has today's date {today}");
    }
}

/// Today as `YYYY-MM-DD` (UTC), without a date crate: days since the epoch to a civil date.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let z = secs / 86_400 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The record of where the crate came from names the description by the label it was given
/// (relative to the repository), and hashes its bytes.
#[test]
fn the_metadata_records_the_description_and_groups() {
    let root = repo_root();
    let spec = root.join(SPEC);
    let files = generate(&options(&spec, SPEC)).unwrap();
    let record: metadata::Metadata = serde_json::from_str(&files[metadata::METADATA_FILE]).unwrap();
    let source = std::fs::read_to_string(&spec).unwrap();
    assert_eq!(record.description.path, SPEC);
    assert_eq!(
        record.description.sha256,
        upvest_sdk_generator::files::sha256_hex(&source)
    );
    assert_eq!(files[&record.description.copy], source);
    assert_eq!(record.groups.selection, ["all"]);
    assert_eq!(record.groups.generated, ["User Identifiers"]);
    assert_eq!(record.crate_version, metadata::INITIAL_VERSION);
}
