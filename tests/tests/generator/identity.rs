//! Names follow schemas, not their places (issue 20, item 1): Upvest's whole description,
//! revised step by step the way a compatible revision may rewrite it, lowered each time with the
//! names the previous step recorded, keeps every name, field, variant and method a program can
//! name (`upvest_sdk_tests::surface`), and loses nothing along the chain. The steps: every named
//! schema moved into `#/components/schemas` (nested ones too) and referenced from where it was;
//! the components renamed; identical schemas deduplicated into one component; union members,
//! properties, enum values and parameters written in reverse order; every path parameter renamed;
//! examples that contradict the values a description lists; every schema's description reworded
//! (the values it listed gone). Then all of them at once, from the original record.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{json, Map, Value};
use upvest_sdk_generator::lock::NameLock;
use upvest_sdk_generator::{load, lower, GroupSelection};
use upvest_sdk_tests::shared_dir;
use upvest_sdk_tests::surface::{lost, surface};

/// Lowers `doc` with the names of `lock`: its surface and the names it records.
fn lowered(doc: &Value, lock: &NameLock, step: &str) -> (BTreeSet<String>, NameLock) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{step}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let spec = load::load_named(&path, Path::new(step)).unwrap_or_else(|e| panic!("{step}: {e}"));
    upvest_sdk_generator::validate::validate(&spec).unwrap_or_else(|e| panic!("{step}: {e}"));
    let api = lower::lower(&spec, &GroupSelection::All, step, lock)
        .unwrap_or_else(|e| panic!("{step}: {e}"));
    (surface(&api), api.names)
}

/// Keys under which a schema holds schemas (each value, or each item, is one).
const SCHEMA_MAPS: &[&str] = &["properties"];
const SCHEMA_LISTS: &[&str] = &["oneOf", "anyOf", "allOf"];
const SCHEMA_ONES: &[&str] = &["items", "additionalProperties", "not"];

/// Calls `visit` on every schema of the description (outermost first), wherever a media type,
/// parameter or component holds one; examples are not entered.
fn each_schema(node: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    let Value::Object(map) = node else {
        if let Value::Array(items) = node {
            items.iter_mut().for_each(|i| each_schema(i, visit));
        }
        return;
    };
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "example" | "examples" => {}
            "schema" => walk_schema(child, visit),
            "schemas" => {
                if let Value::Object(components) = child {
                    components.values_mut().for_each(|s| walk_schema(s, visit));
                }
            }
            _ => each_schema(child, visit),
        }
    }
}

fn walk_schema(schema: &mut Value, visit: &mut dyn FnMut(&mut Value)) {
    if !schema.is_object() {
        return;
    }
    visit(schema);
    let Value::Object(map) = schema else { return };
    for (key, child) in map.iter_mut() {
        if SCHEMA_MAPS.contains(&key.as_str()) {
            if let Value::Object(props) = child {
                props.values_mut().for_each(|p| walk_schema(p, visit));
            }
        } else if SCHEMA_LISTS.contains(&key.as_str()) {
            if let Value::Array(items) = child {
                items.iter_mut().for_each(|i| walk_schema(i, visit));
            }
        } else if SCHEMA_ONES.contains(&key.as_str()) {
            walk_schema(child, visit);
        }
    }
}

/// Whether a schema becomes a named type (so moving it is a real test): an object with
/// properties, a union, or an enum.
fn is_named(schema: &Value) -> bool {
    ["properties", "oneOf", "anyOf", "enum"]
        .iter()
        .any(|k| schema.get(k).is_some())
}

fn components(doc: &mut Value) -> &mut Map<String, Value> {
    let root = doc.as_object_mut().unwrap();
    let components = root.entry("components").or_insert_with(|| json!({}));
    let schemas = components
        .as_object_mut()
        .unwrap()
        .entry("schemas")
        .or_insert_with(|| json!({}));
    schemas.as_object_mut().unwrap()
}

/// Every named schema under `paths` and `x-webhooks`, nested ones included, becomes a component
/// `Moved<n>` referenced from its place.
fn move_to_components(doc: &mut Value) {
    let mut moved: Vec<Value> = Vec::new();
    for key in ["paths", "x-webhooks"] {
        if let Some(part) = doc.get_mut(key) {
            each_schema(part, &mut |schema| {
                if is_named(schema) && schema.get("$ref").is_none() {
                    let name = format!("Moved{}", moved.len());
                    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
                    moved.push(std::mem::replace(schema, reference));
                    // The moved schema's own parts are visited below, where it now is.
                    let Some(Value::Object(_)) = moved.last() else {
                        unreachable!()
                    };
                }
            });
        }
    }
    // `each_schema` does not descend into a node it replaced: move the parts of the moved ones
    // in turn, until none is left inline.
    let mut index = 0;
    while index < moved.len() {
        let mut schema = moved[index].clone();
        let Value::Object(map) = &mut schema else {
            unreachable!()
        };
        let mut inner = Vec::new();
        for (key, child) in map.iter_mut() {
            let mut take = |s: &mut Value| {
                if s.is_object() && is_named(s) && s.get("$ref").is_none() {
                    let name = format!("Moved{}", moved.len() + inner.len());
                    let reference = json!({ "$ref": format!("#/components/schemas/{name}") });
                    inner.push(std::mem::replace(s, reference));
                }
            };
            if SCHEMA_MAPS.contains(&key.as_str()) {
                if let Value::Object(props) = child {
                    props.values_mut().for_each(&mut take);
                }
            } else if SCHEMA_LISTS.contains(&key.as_str()) {
                if let Value::Array(items) = child {
                    items.iter_mut().for_each(&mut take);
                }
            } else if SCHEMA_ONES.contains(&key.as_str()) {
                take(child);
            }
        }
        moved[index] = schema;
        moved.extend(inner);
        index += 1;
    }
    let schemas = components(doc);
    for (n, schema) in moved.into_iter().enumerate() {
        schemas.insert(format!("Moved{n}"), schema);
    }
}

/// Every `$ref` string in the document, rewritten by `f`.
fn each_ref(node: &mut Value, f: &dyn Fn(&str) -> String) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), &*child) {
                    ("$ref", Value::String(r)) => *child = Value::String(f(r)),
                    _ => each_ref(child, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| each_ref(i, f)),
        _ => {}
    }
}

/// Every component `X` becomes `RenamedX`.
fn rename_components(doc: &mut Value) {
    let schemas = std::mem::take(components(doc));
    *components(doc) = schemas
        .into_iter()
        .map(|(k, v)| (format!("Renamed{k}"), v))
        .collect();
    each_ref(doc, &|r| {
        r.replace("#/components/schemas/", "#/components/schemas/Renamed")
    });
}

/// Identical named schemas (outermost first) become one component `Same<n>`.
fn deduplicate(doc: &mut Value) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for key in ["paths", "x-webhooks"] {
        if let Some(part) = doc.get_mut(key) {
            each_schema(part, &mut |schema| {
                if is_named(schema) {
                    *seen.entry(schema.to_string()).or_default() += 1;
                }
            });
        }
    }
    let shared: Vec<String> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(text, _)| text)
        .collect();
    let mut made: BTreeMap<String, String> = BTreeMap::new();
    for key in ["paths", "x-webhooks"] {
        if let Some(part) = doc.get_mut(key) {
            each_schema(part, &mut |schema| {
                let text = schema.to_string();
                if shared.contains(&text) {
                    let next = made.len();
                    let name = made
                        .entry(text)
                        .or_insert_with(|| format!("Same{next}"))
                        .clone();
                    *schema = json!({ "$ref": format!("#/components/schemas/{name}") });
                }
            });
        }
    }
    let schemas = components(doc);
    for (text, name) in made {
        schemas.insert(name, serde_json::from_str(&text).unwrap());
    }
}

/// Union members, properties, enum values and parameters in reverse order.
fn reverse_orders(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    ("example" | "examples", _) => {}
                    ("oneOf" | "anyOf" | "enum" | "parameters", Value::Array(items)) => {
                        items.reverse();
                        items.iter_mut().for_each(reverse_orders);
                    }
                    ("properties", Value::Object(props)) => {
                        let reversed: Map<String, Value> =
                            std::mem::take(props).into_iter().rev().collect();
                        *props = reversed;
                        props.values_mut().for_each(reverse_orders);
                    }
                    (_, child) => reverse_orders(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(reverse_orders),
        _ => {}
    }
}

/// `{user_id}` becomes `{user_id_renamed}`, in every path and its parameters.
fn rename_path_parameters(doc: &mut Value) {
    let renamed = |name: &str| format!("{name}_renamed");
    let shared_params = doc["components"]["parameters"].clone();
    let paths = doc["paths"].as_object_mut().unwrap();
    let old = std::mem::take(paths);
    for (template, mut item) in old {
        let mut new_template = String::new();
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            new_template.push_str(&rest[..=open]);
            new_template.push_str(&renamed(&rest[open + 1..close]));
            rest = &rest[close..];
        }
        new_template.push_str(rest);
        let rename_in = |params: Option<&mut Value>| {
            for p in params.and_then(Value::as_array_mut).into_iter().flatten() {
                // A shared parameter is written out here, renamed (its component stays).
                if let Some(name) = p["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/components/parameters/"))
                {
                    if shared_params[name]["in"] == "path" {
                        *p = shared_params[name].clone();
                    }
                }
                if p["in"] == "path" {
                    let name = p["name"].as_str().unwrap_or_default().to_string();
                    p["name"] = Value::String(renamed(&name));
                }
            }
        };
        if let Value::Object(methods) = &mut item {
            for (key, op) in methods.iter_mut() {
                if key == "parameters" {
                    rename_in(Some(op));
                } else {
                    rename_in(op.get_mut("parameters"));
                }
            }
        }
        paths.insert(new_template, item);
    }
}

/// Every string schema whose description lists values (`* VALUE - meaning`) gets an example
/// that is none of them.
fn contradicting_examples(doc: &mut Value) {
    each_schema(doc, &mut |schema| {
        let lists = schema["description"]
            .as_str()
            .is_some_and(|d| d.lines().any(|l| l.trim_start().starts_with("* ")));
        if schema["type"] == "string" && lists && schema.get("enum").is_none() {
            schema["example"] = json!("a value no list has");
        }
    });
}

/// Every description of a schema reworded: the values some list (`* VALUE - meaning`) and the
/// meanings are gone.
fn reworded_descriptions(doc: &mut Value) {
    each_schema(doc, &mut |schema| {
        if let Some(Value::String(text)) = schema.get_mut("description") {
            *text = "Reworded.".to_string();
        }
    });
}

type Edit = (&'static str, fn(&mut Value));

const STEPS: &[Edit] = &[
    ("moved-to-components", move_to_components),
    ("components-renamed", rename_components),
    ("reversed", reverse_orders),
    ("path-parameters-renamed", rename_path_parameters),
    ("examples-contradict", contradicting_examples),
    ("descriptions-reworded", reworded_descriptions),
];

fn original() -> Option<Value> {
    let shared = shared_dir()?;
    let text = std::fs::read_to_string(shared.join("upvest/openapi.yaml")).unwrap();
    Some(serde_yaml::from_str(&text).unwrap())
}

fn assert_same(step: &str, before: &BTreeSet<String>, after: &BTreeSet<String>) {
    let gone = lost(before, after);
    let added = lost(after, before);
    assert!(
        gone.is_empty() && added.is_empty(),
        "{step}: {} lines lost, {} added; lost: {:#?}\nadded: {:#?}",
        gone.len(),
        added.len(),
        &gone[..gone.len().min(40)],
        &added[..added.len().min(40)]
    );
}

#[test]
fn a_chain_of_rewritings_renames_nothing() {
    let Some(mut doc) = original() else { return };
    let (first, mut lock) = lowered(&doc, &NameLock::default(), "original");
    for (step, edit) in STEPS {
        edit(&mut doc);
        let (now, recorded) = lowered(&doc, &lock, step);
        assert_same(step, &first, &now);
        lock = recorded;
    }
}

#[test]
fn every_rewriting_at_once_from_the_first_record_renames_nothing() {
    let Some(mut doc) = original() else { return };
    let (first, lock) = lowered(&doc, &NameLock::default(), "original");
    for (_, edit) in STEPS {
        edit(&mut doc);
    }
    let (now, _) = lowered(&doc, &lock, "all-at-once");
    assert_same("all at once", &first, &now);
}

#[test]
fn identical_schemas_deduplicated_into_components_keep_their_names() {
    let Some(mut doc) = original() else { return };
    let (first, lock) = lowered(&doc, &NameLock::default(), "original");
    deduplicate(&mut doc);
    assert!(
        doc["components"]["schemas"]
            .as_object()
            .is_some_and(|s| s.len() > 10),
        "the description has copies to deduplicate"
    );
    let (now, recorded) = lowered(&doc, &lock, "deduplicated");
    assert_same("deduplicated", &first, &now);
    // And split again into copies, from the record the deduplicated one wrote.
    let (split, _) = lowered(&original().unwrap(), &recorded, "split-again");
    assert_same("split again", &first, &split);
}
