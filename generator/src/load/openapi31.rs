//! OpenAPI 3.1 read into the OpenAPI 3.0 model the generator has: each 3.1 keyword rewritten
//! into its 3.0 equivalent in the raw tree, before it is read as OpenAPI 3.0, with a repair
//! naming its pointer (as the 3.0 repairs do). What has no 3.0 equivalent is left for the later
//! stages, which keep it as JSON or say clearly why not.
//!
//! Type arrays (`type: [string, "null"]`) are also repaired in 3.0 documents, where they are a
//! common mistake; everything else only in a 3.1 document, where it is valid.

use serde_json::{json, Map, Value};

use super::repair::Repair;
use crate::pointer::Pointer;

/// OpenAPI 3.1's key for webhooks, read as `x-webhooks` (see [`crate::load::LoadedSpec::locate`]).
pub const WEBHOOKS: &str = "webhooks";

/// The dialect OpenAPI 3.1 assumes when a document names none.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Keywords of a `$ref`'s siblings that only annotate: kept on an `allOf` of the reference.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "summary",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "nullable",
    "externalDocs",
];

/// Where a node is, as far as the repairs care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A schema object.
    Schema,
    /// A mapping whose values are schemas (`properties`, `components/schemas`, `$defs`).
    SchemaMap,
    /// A list of schemas (`allOf`, `prefixItems`).
    SchemaList,
    /// Anywhere else in the document: schemas are found under `schema` keys.
    Other,
    /// A value (an example, an enum's values): nothing inside is a schema.
    Data,
}

/// Repairs `doc` in place; `v31` when the document says `openapi: 3.1.x`.
pub fn normalize(doc: &mut Value, v31: bool, repairs: &mut Vec<Repair>) {
    if v31 {
        top_level(doc, repairs);
    }
    let mut path = Vec::new();
    walk(doc, Place::Other, v31, &mut path, repairs);
}

/// `webhooks` (3.1) is what `x-webhooks` was before; `jsonSchemaDialect` other than OpenAPI's
/// own cannot be honoured.
fn top_level(doc: &mut Value, repairs: &mut Vec<Repair>) {
    let Some(map) = doc.as_object_mut() else {
        return;
    };
    if let Some(dialect) = map.remove("jsonSchemaDialect") {
        if dialect.as_str() != Some(DEFAULT_DIALECT) {
            repairs.push(repair(
                &["jsonSchemaDialect".into()],
                format!(
                    "`jsonSchemaDialect` {dialect} is not OpenAPI's own; its schemas are read as \
                     OpenAPI's dialect"
                ),
            ));
        }
    }
    // `paths` is optional in 3.1 (a description of webhooks only).
    if !map.contains_key("paths") {
        map.insert("paths".into(), json!({}));
    }
    if map.contains_key("webhooks") && !map.contains_key("x-webhooks") {
        if let Some(webhooks) = map.remove("webhooks") {
            map.insert("x-webhooks".into(), webhooks);
            repairs.push(repair(
                &[WEBHOOKS.into()],
                "OpenAPI 3.1 `webhooks` read as `x-webhooks`".into(),
            ));
        }
    }
}

fn walk(
    node: &mut Value,
    place: Place,
    v31: bool,
    path: &mut Vec<String>,
    repairs: &mut Vec<Repair>,
) {
    if place == Place::Data {
        return;
    }
    if place == Place::Schema {
        // `additionalProperties` may be a boolean in 3.0 as well.
        let boolean_allowed = path.last().is_some_and(|k| k == "additionalProperties");
        if v31 && !boolean_allowed {
            if let Value::Bool(allowed) = node {
                // `true` admits anything; `false` nothing, which no 3.0 schema but `not: {}`
                // says.
                *node = if *allowed {
                    json!({})
                } else {
                    json!({"not": {}})
                };
                repairs.push(repair(
                    path,
                    "a boolean schema (OpenAPI 3.1) read as `{}` or `{not: {}}`".into(),
                ));
            }
        }
        if let Value::Object(map) = node {
            if v31 {
                schema_31(map, path, repairs);
            }
            type_array(map, path, repairs);
        }
    }
    match node {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let inner = child_place(place, key, path);
                path.push(key.clone());
                walk(child, inner, v31, path, repairs);
                path.pop();
            }
        }
        Value::Array(items) => {
            let inner = match place {
                Place::SchemaList => Place::Schema,
                Place::Schema | Place::SchemaMap => Place::Data,
                other => other,
            };
            for (index, child) in items.iter_mut().enumerate() {
                path.push(index.to_string());
                walk(child, inner, v31, path, repairs);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Where the value under `key` of a node at `place` is.
fn child_place(place: Place, key: &str, path: &[String]) -> Place {
    match place {
        Place::SchemaMap => Place::Schema,
        Place::SchemaList => Place::Schema,
        Place::Schema => match key {
            "items"
            | "not"
            | "additionalProperties"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "additionalItems" => Place::Schema,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                Place::SchemaMap
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => Place::SchemaList,
            _ => Place::Data,
        },
        Place::Other => match key {
            "schema" => Place::Schema,
            "schemas" if path == ["components"] => Place::SchemaMap,
            "example" | "examples" | "default" | "enum" => Place::Data,
            _ => Place::Other,
        },
        Place::Data => Place::Data,
    }
}

fn repair(path: &[String], message: String) -> Repair {
    Repair {
        pointer: Pointer::root().join(path),
        message,
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; several types are an `anyOf` of one
/// schema per type, each with the keywords that apply to it.
fn type_array(map: &mut Map<String, Value>, path: &[String], repairs: &mut Vec<Repair>) {
    let Some(Value::Array(types)) = map.get("type") else {
        return;
    };
    let mut names: Vec<String> = Vec::new();
    let mut nullable = false;
    for t in types {
        match t.as_str() {
            Some("null") => nullable = true,
            Some(name) if !names.iter().any(|n| n == name) => names.push(name.to_string()),
            Some(_) => {}
            // Not a type name: left for the shape check to report.
            None => return,
        }
    }
    // `integer` is a `number` too: the wider type is the one that admits every value.
    if names.iter().any(|n| n == "integer") && names.iter().any(|n| n == "number") {
        names.retain(|n| n != "integer");
    }
    map.remove("type");
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    let at: Vec<String> = path.iter().cloned().chain(["type".into()]).collect();
    match names.as_slice() {
        [] => {
            repairs.push(repair(
                &at,
                "`type: [\"null\"]` read as a schema that admits anything, nullable".into(),
            ));
        }
        [one] => {
            map.insert("type".into(), Value::String(one.clone()));
            let how = match nullable {
                true => format!("`type: {one}` with `nullable: true`"),
                false => format!("`type: {one}`"),
            };
            repairs.push(repair(
                &at,
                format!("a list of types (OpenAPI 3.1) read as {how}"),
            ));
        }
        several => {
            let members: Vec<Value> = several
                .iter()
                .map(|name| {
                    let mut member = Map::new();
                    member.insert("type".into(), Value::String(name.clone()));
                    for keyword in keywords_of(name) {
                        if let Some(value) = map.get(*keyword) {
                            member.insert(keyword.to_string(), value.clone());
                        }
                    }
                    Value::Object(member)
                })
                .collect();
            for name in several {
                for keyword in keywords_of(name) {
                    map.remove(*keyword);
                }
            }
            map.insert("anyOf".into(), Value::Array(members));
            repairs.push(repair(
                &at,
                format!(
                    "a list of types (OpenAPI 3.1) read as `anyOf` of one schema per type ({})",
                    several.join(", ")
                ),
            ));
        }
    }
}

/// The keywords that belong with a type when a list of types becomes one schema per type.
fn keywords_of(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "string" => &["format", "enum", "pattern", "minLength", "maxLength"],
        "integer" | "number" => &[
            "format",
            "enum",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

/// The 3.1 keywords of one schema object, rewritten.
fn schema_31(map: &mut Map<String, Value>, path: &[String], repairs: &mut Vec<Repair>) {
    let at = |keyword: &str| -> Vec<String> {
        path.iter().cloned().chain([keyword.to_string()]).collect()
    };
    // A `$ref` with siblings: in 3.1 the siblings apply; in 3.0 they would be ignored.
    // Siblings that only annotate stay beside the reference: it is read as the reference, and
    // the property's docs take the sibling `description`.
    let constrained = map
        .keys()
        .any(|k| k != "$ref" && !k.starts_with("x-") && !ANNOTATIONS.contains(&k.as_str()));
    if map.contains_key("$ref") && constrained {
        if let Some(reference) = map.remove("$ref") {
            // Annotations stay on the schema; constraints are a member beside the reference.
            let (kept, constraints): (Map<String, Value>, Map<String, Value>) = std::mem::take(map)
                .into_iter()
                .partition(|(k, _)| k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()));
            *map = kept;
            let mut members = vec![json!({ "$ref": reference })];
            if !constraints.is_empty() {
                members.push(Value::Object(constraints));
            }
            map.insert("allOf".into(), Value::Array(members));
            repairs.push(repair(
                &at("$ref"),
                "a `$ref` with sibling keywords (OpenAPI 3.1) read as `allOf` of the reference \
                 and the siblings"
                    .into(),
            ));
        }
    }
    if let Some(value) = map.remove("const") {
        // The value's own type, when the schema names none.
        let typ = match &value {
            Value::String(_) => Some("string"),
            Value::Bool(_) => Some("boolean"),
            Value::Number(n) if n.is_f64() => Some("number"),
            Value::Number(_) => Some("integer"),
            _ => None,
        };
        if let (false, Some(typ)) = (map.contains_key("type"), typ) {
            map.insert("type".into(), typ.into());
        }
        if !map.contains_key("enum") {
            map.insert("enum".into(), json!([value]));
        }
        repairs.push(repair(
            &at("const"),
            "`const` read as an `enum` of one".into(),
        ));
    }
    if let Some(Value::Array(examples)) = map.get("examples") {
        let first = examples.first().cloned();
        map.remove("examples");
        if let Some(first) = first {
            map.entry("example").or_insert(first);
        }
        repairs.push(repair(
            &at("examples"),
            "a schema's `examples` list (OpenAPI 3.1) read as `example`, its first".into(),
        ));
    }
    for (keyword, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(limit)) = map.get(keyword).cloned() {
            map.insert(bound.into(), Value::Number(limit));
            map.insert(keyword.into(), Value::Bool(true));
            repairs.push(repair(
                &at(keyword),
                format!(
                    "a numeric `{keyword}` (OpenAPI 3.1) read as `{bound}` with `{keyword}: true`"
                ),
            ));
        }
    }
    // Binary and encoded strings: `format` in 3.0.
    let format = match (
        map.get("contentEncoding").and_then(Value::as_str),
        map.get("contentMediaType").and_then(Value::as_str),
    ) {
        (Some("base64" | "base64url"), _) => Some("byte"),
        (Some(_), _) | (None, Some(_)) => Some("binary"),
        (None, None) => None,
    };
    if let Some(format) = format {
        let keyword = if map.contains_key("contentEncoding") {
            "contentEncoding"
        } else {
            "contentMediaType"
        };
        map.remove("contentEncoding");
        map.remove("contentMediaType");
        map.entry("format").or_insert_with(|| format.into());
        map.entry("type").or_insert_with(|| "string".into());
        repairs.push(repair(
            &at(keyword),
            format!("`{keyword}` (OpenAPI 3.1) read as `format: {format}`"),
        ));
    }
    if let Some(Value::Array(prefix)) = map.remove("prefixItems") {
        let same = prefix.windows(2).all(|w| w[0] == w[1]);
        let how = match (map.contains_key("items"), prefix.first()) {
            (false, Some(first)) if same => {
                map.insert("items".into(), first.clone());
                "its one item schema".to_string()
            }
            (false, Some(_)) => {
                map.insert("items".into(), json!({ "anyOf": prefix }));
                "`items` of `anyOf` its item schemas".to_string()
            }
            _ => "the list's `items`".to_string(),
        };
        repairs.push(repair(
            &at("prefixItems"),
            format!("`prefixItems` (a tuple, OpenAPI 3.1) read as a list of {how}"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(mut doc: Value) -> (Value, Vec<String>) {
        let mut repairs = Vec::new();
        normalize(&mut doc, true, &mut repairs);
        (doc, repairs.iter().map(|r| r.pointer.to_string()).collect())
    }

    #[test]
    fn schema_keywords_become_3_0() {
        let (doc, at) = normalized(json!({
            "components": {"schemas": {"A": {
                "type": "object",
                "properties": {
                    "type": {"type": ["string", "null"], "examples": ["x", "y"]},
                    "n": {"type": "integer", "exclusiveMinimum": 0},
                    "c": {"const": "fixed"},
                    "r": {"$ref": "#/components/schemas/B", "description": "d"},
                    "f": {"type": "string", "contentEncoding": "base64"},
                    "t": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}]},
                    "u": {"type": ["string", "integer"], "format": "uuid", "minimum": 1}
                },
                "examples": [{"type": ["not", "a", "schema"]}]
            }}}
        }));
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(
            props["type"],
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(
            props["n"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(props["c"], json!({"type": "string", "enum": ["fixed"]}));
        assert_eq!(
            props["r"],
            json!({"$ref": "#/components/schemas/B", "description": "d"})
        );
        assert_eq!(props["f"], json!({"type": "string", "format": "byte"}));
        assert_eq!(
            props["t"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            props["u"],
            json!({"anyOf": [
                {"type": "string", "format": "uuid"},
                {"type": "integer", "format": "uuid", "minimum": 1}
            ]})
        );
        // The schema's own examples are values, not schemas: the first is its example.
        assert_eq!(
            doc["components"]["schemas"]["A"]["example"],
            json!({"type": ["not", "a", "schema"]})
        );
        assert!(at.contains(&"#/components/schemas/A/properties/n/exclusiveMinimum".into()));
        assert!(at.contains(&"#/components/schemas/A/properties/type/type".into()));
    }

    #[test]
    fn ref_with_constraints_is_all_of_both() {
        let (doc, _) = normalized(json!({"paths": {"/a": {"get": {"parameters": [{
            "name": "p", "in": "query",
            "schema": {"$ref": "#/components/schemas/B", "maxLength": 3, "description": "d"}
        }]}}}}));
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}, {"maxLength": 3}], "description": "d"})
        );
    }

    #[test]
    fn webhooks_and_dialect() {
        let (doc, at) = normalized(json!({
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "webhooks": {"hook": {"post": {}}}
        }));
        assert_eq!(
            doc,
            json!({"paths": {}, "x-webhooks": {"hook": {"post": {}}}})
        );
        assert_eq!(at, ["#/jsonSchemaDialect", "#/webhooks"]);
    }
}
