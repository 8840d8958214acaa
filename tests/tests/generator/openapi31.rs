//! OpenAPI 3.1 read as the 3.0 the generator knows: Upvest's own description, rewritten here as
//! the same API in OpenAPI 3.1 (`openapi: 3.1.0`; `nullable` as type lists and `null` members;
//! a schema's `example` as `examples`; boolean exclusive bounds as numbers; `x-webhooks` as
//! `webhooks`; the siblings of `$ref`s, which 3.0 ignores, dropped), generates the same SDK
//! (but for the recorded copy of the description and its hash), and the change report between
//! the two finds no change.

use std::path::Path;

use serde_json::{json, Map, Value};
use upvest_sdk_generator::{diff, generate_from, load, GroupSelection, Options};
use upvest_sdk_tests::shared_dir;

/// Where a node is, for the rewriting: only schemas have the keywords it changes.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Schema,
    SchemaMap,
    SchemaList,
    Other,
    Data,
}

fn child_place(place: Place, key: &str, parent_is_components: bool) -> Place {
    match place {
        Place::SchemaMap | Place::SchemaList => Place::Schema,
        Place::Schema => match key {
            "items" | "not" | "additionalProperties" => Place::Schema,
            "properties" => Place::SchemaMap,
            "allOf" | "anyOf" | "oneOf" => Place::SchemaList,
            _ => Place::Data,
        },
        Place::Other => match key {
            "schema" => Place::Schema,
            "schemas" if parent_is_components => Place::SchemaMap,
            "example" | "examples" => Place::Data,
            _ => Place::Other,
        },
        Place::Data => Place::Data,
    }
}

/// Rewrites a 3.0 schema object as 3.1 says the same.
fn schema_to_31(map: &mut Map<String, Value>) {
    if map.contains_key("$ref") {
        map.retain(|k, _| k == "$ref");
        return;
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".into(), json!([example]));
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.remove(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = map.remove(bound) {
                    map.insert(flag.into(), limit);
                }
            }
            Some(Value::Bool(false)) | None => {}
            Some(other) => {
                map.insert(flag.into(), other);
            }
        }
    }
    if map.remove("nullable") != Some(Value::Bool(true)) {
        return;
    }
    if let Some(Value::String(t)) = map.get("type").cloned() {
        map.insert("type".into(), json!([t, "null"]));
    } else if let Some(Value::Array(mut members)) = map.remove("allOf") {
        if let [one] = members.as_slice() {
            // `allOf: [X], nullable: true` is `X or null`.
            map.insert("oneOf".into(), json!([one, {"type": "null"}]));
        } else {
            // Every member that has a type admits null (one that only annotates already does).
            for member in &mut members {
                if let Some(t @ Value::String(_)) = member.get_mut("type") {
                    *t = json!([t.clone(), "null"]);
                }
            }
            map.insert("allOf".into(), Value::Array(members));
        }
    } else {
        let keyword = if map.contains_key("oneOf") {
            "oneOf"
        } else {
            "anyOf"
        };
        if let Some(Value::Array(members)) = map.get_mut(keyword) {
            members.push(json!({"type": "null"}));
        }
    }
    // A schema without a type already admits null.
}

fn to_31(node: &mut Value, place: Place, parent_is_components: bool) {
    match node {
        Value::Object(map) => {
            if place == Place::Schema {
                schema_to_31(map);
            }
            for (key, child) in map.iter_mut() {
                let inner = child_place(place, key, parent_is_components);
                to_31(child, inner, key == "components" && place == Place::Other);
            }
        }
        Value::Array(items) => {
            let inner = match place {
                Place::SchemaList => Place::Schema,
                Place::Other => Place::Other,
                _ => Place::Data,
            };
            for item in items {
                to_31(item, inner, false);
            }
        }
        _ => {}
    }
}

/// The description as OpenAPI 3.1, as YAML text.
fn upvest_as_31(source: &str) -> String {
    let mut doc: Value = serde_yaml::from_str(source).expect("the description is YAML");
    to_31(&mut doc, Place::Other, false);
    let map = doc.as_object_mut().expect("a mapping");
    map.insert("openapi".into(), json!("3.1.0"));
    if let Some(webhooks) = map.remove("x-webhooks") {
        map.insert("webhooks".into(), webhooks);
    }
    serde_yaml::to_string(&doc).expect("a JSON tree is YAML")
}

#[test]
fn the_same_api_in_openapi_3_1_generates_the_same_sdk() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let source = std::fs::read_to_string(shared.join("upvest/openapi.yaml"))
        .expect("readable whole description");
    let label = "upvest/openapi.yaml";
    let v30 = load::parse(Path::new(label), source.clone()).unwrap_or_else(|e| panic!("{e}"));
    let v31 =
        load::parse(Path::new(label), upvest_as_31(&source)).unwrap_or_else(|e| panic!("{e}"));
    // The rewriting is not vacuous: each kind of 3.1 keyword is read, and reported.
    for said in ["a list of types", "`examples` list", "`webhooks`"] {
        let count = v31
            .warnings
            .iter()
            .filter(|w| w.message.contains(said))
            .count();
        assert!(count > 0, "no repair says {said}");
    }
    let options = Options {
        spec: Path::new(label),
        spec_label: label,
        groups: GroupSelection::All,
    };
    let old = generate_from(&v30, &options).unwrap_or_else(|e| panic!("{e}"));
    let new = generate_from(&v31, &options).unwrap_or_else(|e| panic!("{e}"));
    // The recorded copy of the description and the metadata with its hash differ, as they must.
    let recorded = |path: &str| path.starts_with("source/") || path.ends_with(".json");
    let old_paths: Vec<&String> = old.keys().collect();
    let new_paths: Vec<&String> = new.keys().collect();
    assert_eq!(old_paths, new_paths);
    let mut differing = Vec::new();
    for (path, text) in &old {
        if !recorded(path) && new.get(path) != Some(text) {
            differing.push(path.clone());
        }
    }
    if let Some(path) = differing.first() {
        let (line, (was, is)) = old[path]
            .lines()
            .zip(new[path].lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("", "")));
        panic!(
            "{differing:?} differ; {path} first at line {}:\n- {was}\n+ {is}",
            line + 1
        );
    }
    let report = diff::diff_specs((&v30, "3.0"), (&v31, "3.1"), &GroupSelection::All)
        .unwrap_or_else(|e| panic!("{e}"));
    let changes: Vec<_> = report.groups.iter().flat_map(|g| &g.changes).collect();
    assert!(changes.is_empty(), "{changes:#?}");
    assert_eq!(report.summary.changes, 0);
}
