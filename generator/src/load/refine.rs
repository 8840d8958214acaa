//! openapiv3's types flatten their `x-` extensions into every struct, and serde loses track of
//! the path inside flattened and untagged types; a typed error therefore only says "somewhere
//! under `#/paths`". This finds the deepest node that fails on its own, by deserializing the
//! parts of the document into their openapiv3 types from the top down.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::pointer::Pointer;

/// The kinds of node the descent knows the children of.
#[derive(Debug, Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Header,
    Schema,
    /// A mapping whose values are all of the inner kind.
    MapOf(&'static Kind),
    /// A list whose items are all of the inner kind.
    ListOf(&'static Kind),
}

/// The deepest failing node and its own error, or `None` if no part fails by itself.
pub fn deepest_failure(doc: &Value) -> Option<(Pointer, String)> {
    let root = Pointer::root();
    if let Some(paths) = doc.get("paths") {
        if let Some(found) = descend(Kind::MapOf(&Kind::PathItem), paths, &root.push("paths")) {
            return Some(found);
        }
    }
    components(doc.get("components")?, &root.push("components"))
}

fn components(node: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let sections: [(&str, Kind); 5] = [
        ("schemas", Kind::MapOf(&Kind::Schema)),
        ("parameters", Kind::MapOf(&Kind::Parameter)),
        ("responses", Kind::MapOf(&Kind::Response)),
        ("requestBodies", Kind::MapOf(&Kind::RequestBody)),
        ("headers", Kind::MapOf(&Kind::Header)),
    ];
    sections.into_iter().find_map(|(key, kind)| {
        let child = node.get(key)?;
        descend(kind, child, &at.push(key))
    })
}

/// If `node` fails as `kind`, the deepest failing descendant (or the node itself).
fn descend(kind: Kind, node: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let error = check(kind, node)?;
    for (key, child_kind) in children(kind, node) {
        if let Some(child) = child_at(node, &key) {
            if let Some(found) = descend(child_kind, child, &at.push(&key)) {
                return Some(found);
            }
        }
    }
    Some((at.clone(), error))
}

fn child_at<'a>(node: &'a Value, key: &str) -> Option<&'a Value> {
    match node {
        Value::Object(map) => map.get(key),
        Value::Array(items) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The node's own error when deserialized as `kind`.
fn check(kind: Kind, node: &Value) -> Option<String> {
    use openapiv3 as o;
    fn try_as<T: DeserializeOwned>(node: &Value) -> Option<String> {
        serde_json::from_value::<T>(node.clone())
            .err()
            .map(|e| e.to_string())
    }
    // A `$ref` object stands for its target; the target is checked where it is defined. In a
    // map of names (`properties`), `$ref` is a name like any other.
    if !matches!(kind, Kind::MapOf(_) | Kind::ListOf(_)) && node.get("$ref").is_some() {
        return None;
    }
    match kind {
        Kind::PathItem => try_as::<o::PathItem>(node),
        Kind::Operation => try_as::<o::Operation>(node),
        Kind::Parameter => try_as::<o::Parameter>(node),
        Kind::RequestBody => try_as::<o::RequestBody>(node),
        Kind::Responses => try_as::<o::Responses>(node),
        Kind::Response => try_as::<o::Response>(node),
        Kind::MediaType => try_as::<o::MediaType>(node),
        Kind::Header => try_as::<o::Header>(node),
        Kind::Schema => try_as::<o::Schema>(node),
        Kind::MapOf(_) => try_as::<indexmap::IndexMap<String, Value>>(node).or_else(|| {
            children(kind, node)
                .into_iter()
                .find_map(|(k, inner)| check(inner, node.get(&k)?))
        }),
        Kind::ListOf(_) => try_as::<Vec<Value>>(node),
    }
}

/// The children of a node that have a known kind, in document order.
fn children(kind: Kind, node: &Value) -> Vec<(String, Kind)> {
    let keys = |map_kind: Kind| -> Vec<(String, Kind)> {
        match node {
            // Extensions (`x-...`) may hold anything.
            Value::Object(map) => map
                .keys()
                .filter(|k| !k.starts_with("x-"))
                .map(|k| (k.clone(), map_kind))
                .collect(),
            Value::Array(items) => (0..items.len())
                .map(|i| (i.to_string(), map_kind))
                .collect(),
            _ => Vec::new(),
        }
    };
    let fixed = |pairs: &[(&str, Kind)]| -> Vec<(String, Kind)> {
        pairs
            .iter()
            .map(|(k, kind)| (k.to_string(), *kind))
            .collect()
    };
    match kind {
        Kind::MapOf(inner) | Kind::ListOf(inner) => keys(*inner),
        Kind::PathItem => fixed(&[
            ("parameters", Kind::ListOf(&Kind::Parameter)),
            ("get", Kind::Operation),
            ("put", Kind::Operation),
            ("post", Kind::Operation),
            ("delete", Kind::Operation),
            ("options", Kind::Operation),
            ("head", Kind::Operation),
            ("patch", Kind::Operation),
            ("trace", Kind::Operation),
        ]),
        Kind::Operation => fixed(&[
            ("parameters", Kind::ListOf(&Kind::Parameter)),
            ("requestBody", Kind::RequestBody),
            ("responses", Kind::Responses),
        ]),
        Kind::Parameter | Kind::Header => fixed(&[("schema", Kind::Schema)]),
        Kind::RequestBody => fixed(&[("content", Kind::MapOf(&Kind::MediaType))]),
        Kind::Responses => keys(Kind::Response),
        Kind::Response => fixed(&[
            ("headers", Kind::MapOf(&Kind::Header)),
            ("content", Kind::MapOf(&Kind::MediaType)),
        ]),
        Kind::MediaType => fixed(&[("schema", Kind::Schema)]),
        Kind::Schema => {
            let mut found = fixed(&[
                ("properties", Kind::MapOf(&Kind::Schema)),
                ("items", Kind::Schema),
                ("additionalProperties", Kind::Schema),
                ("allOf", Kind::ListOf(&Kind::Schema)),
                ("oneOf", Kind::ListOf(&Kind::Schema)),
                ("anyOf", Kind::ListOf(&Kind::Schema)),
                ("not", Kind::Schema),
            ]);
            // `additionalProperties: true` is not a schema; leave it to the parent's error.
            found.retain(|(k, _)| {
                !(k == "additionalProperties" && node.get(k).is_some_and(Value::is_boolean))
            });
            found
        }
    }
}
