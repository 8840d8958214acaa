//! Valid inputs for every operation, from the description: its examples where it has them,
//! else a value made from the schema (the first enum value, a value of the format, the minimum).

use serde_json::{json, Map, Value};

/// Follows local `$ref`s.
pub fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let pointer = reference.trim_start_matches('#');
        match root.pointer(pointer) {
            Some(target) => node = target,
            None => return node,
        }
    }
    node
}

/// The operation node of `method path`.
pub fn operation<'a>(root: &'a Value, path: &str, method: &str) -> Option<&'a Value> {
    root.get("paths")?
        .get(path)?
        .get(method.to_ascii_lowercase())
}

/// The parameter `name` in `location`, from the operation or its path.
pub fn parameter<'a>(
    root: &'a Value,
    path: &str,
    method: &str,
    location: &str,
    name: &str,
) -> Option<&'a Value> {
    let item = root.get("paths")?.get(path)?;
    let levels = [operation(root, path, method), Some(item)];
    levels
        .into_iter()
        .flatten()
        .filter_map(|level| level.get("parameters")?.as_array())
        .flatten()
        .map(|p| resolve(root, p))
        .find(|p| p["name"] == name && p["in"] == location)
}

/// An example value for a parameter.
pub fn parameter_value(root: &Value, parameter: &Value) -> Value {
    if let Some(example) = parameter.get("example") {
        return example.clone();
    }
    if let Some(example) = first_example(root, parameter.get("examples")) {
        return example;
    }
    parameter
        .get("schema")
        .map(|s| sample(root, s, 0))
        .unwrap_or(Value::Null)
}

/// An example request body for `content_type`.
pub fn body_value(root: &Value, operation: &Value, content_type: &str) -> Option<Value> {
    let body = resolve(root, operation.get("requestBody")?);
    let media = body.get("content")?.get(content_type)?;
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    if let Some(example) = first_example(root, media.get("examples")) {
        return Some(example);
    }
    Some(sample(root, media.get("schema")?, 0))
}

fn first_example(root: &Value, examples: Option<&Value>) -> Option<Value> {
    let (_, first) = examples?.as_object()?.iter().next()?;
    resolve(root, first).get("value").cloned()
}

/// A value valid for `schema`: its example, else one made from its type and constraints.
pub fn sample(root: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(root, schema);
    if depth > 24 {
        return Value::Null;
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = sample(root, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            // A branch with an example or a format is surer than a pattern to satisfy.
            let branch = branches
                .iter()
                .find(|b| !pattern_only(resolve(root, b)))
                .or(branches.first());
            if let Some(branch) = branch {
                return sample(root, branch, depth + 1);
            }
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let item = schema
                .get("items")
                .map(|i| sample(root, i, depth + 1))
                .unwrap_or(Value::Null);
            json!([item])
        }
        Some("string") => string_sample(schema),
        Some("integer") => json!(schema.get("minimum").and_then(Value::as_i64).unwrap_or(1)),
        Some("number") => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.0)),
        Some("boolean") => json!(true),
        _ if schema.get("properties").is_some() || schema["type"] == "object" => {
            object_sample(root, schema, depth)
        }
        _ => Value::Null,
    }
}

/// The required properties (all of them when few are required and the rest have examples).
fn object_sample(root: &Value, schema: &Value, depth: usize) -> Value {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut fields = Map::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            if required.contains(&name.as_str()) {
                fields.insert(name.clone(), sample(root, property, depth + 1));
            }
        }
    }
    Value::Object(fields)
}

fn string_sample(schema: &Value) -> Value {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let value = match format {
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_string(),
        "date-time" => "2024-01-15T10:00:00Z".to_string(),
        "date" => "2024-01-15".to_string(),
        "email" => "jane.doe@example.com".to_string(),
        "url" | "uri" => "https://example.com/hook".to_string(),
        "ISO4217" => "EUR".to_string(),
        _ => match schema.get("pattern").and_then(Value::as_str) {
            Some(pattern) => pattern_sample(pattern),
            None => {
                let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1);
                "a".repeat(min.max(1) as usize)
            }
        },
    };
    Value::String(value)
}

/// Values for the patterns Upvest's description uses without an example.
fn pattern_sample(pattern: &str) -> String {
    match pattern {
        "^[A-Z]{2}$" => "DE".into(),
        "^[A-Z]{3}$" => "EUR".into(),
        // Instrument IDs: an ISIN or a UUID in a URN namespace.
        p if p.contains("isin:") => "isin:US0378331005".into(),
        p if p.contains("uuid:") => "uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6".into(),
        p if p.contains("[0-9]") || p.contains("\\d") => "1".into(),
        _ => "a".into(),
    }
}

/// A string constrained only by a pattern (no example, format or enum).
fn pattern_only(schema: &Value) -> bool {
    schema.get("pattern").is_some()
        && ["example", "format", "enum", "default"]
            .iter()
            .all(|k| schema.get(k).is_none())
}
