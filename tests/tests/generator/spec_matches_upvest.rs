//! Drift check: our hand-written `spec/upvest-user-identifiers.yaml` must describe the four
//! "User Identifiers" operations exactly as Upvest's real `upvest/openapi.yaml` does.
//!
//! The comparison is structural: each operation is reduced to a canonical JSON value holding only
//! what a code generator turns into code (paths, parameters, schemas, status codes, scopes), with
//! every local `$ref` resolved. Descriptions, examples and summaries may differ freely.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::{json, Value};

/// The operations of the "User Identifiers" group, and the only ones our spec may hold.
const OPERATION_IDS: [&str; 4] = [
    "list_user_identifiers",
    "create_identifier",
    "retrieve_identifier",
    "update_identifier",
];

/// The HTTP methods a path item may hold (its other keys are `parameters`, `summary`, ...).
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that change the generated code; every other keyword is documentation
/// (`description`, `example`, ...) or is normalized recursively in `normalize_schema`.
const SCHEMA_KEYWORDS: [&str; 19] = [
    "type",
    "format",
    "title",
    "enum",
    "default",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "nullable",
    "readOnly",
    "writeOnly",
];

// ---------------------------------------------------------------------------------------------
// Loading and finding operations
// ---------------------------------------------------------------------------------------------

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

fn our_spec() -> Value {
    load(&upvest_sdk_tests::repo_root().join("spec/upvest-user-identifiers.yaml"))
}

/// Upvest's real description, or `None` (after `shared_dir` has said why) when it is absent.
fn upvest_spec() -> Option<Value> {
    upvest_sdk_tests::shared_dir().map(|dir| load(&dir.join("upvest/openapi.yaml")))
}

/// One operation object (`node`) together with the path item it lives in, which holds the
/// parameters shared by the path's operations.
struct Operation<'a> {
    path: &'a str,
    method: &'a str,
    path_item: &'a Value,
    node: &'a Value,
}

fn operations(spec: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = spec["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, path_item)| {
            METHODS.iter().filter_map(move |method| {
                Some(Operation {
                    path,
                    method,
                    path_item,
                    node: path_item.get(*method)?,
                })
            })
        })
        .collect()
}

fn find_operation<'a>(spec: &'a Value, operation_id: &str) -> Operation<'a> {
    operations(spec)
        .into_iter()
        .find(|op| op.node["operationId"] == operation_id)
        .unwrap_or_else(|| panic!("no operation with operationId `{operation_id}`"))
}

// ---------------------------------------------------------------------------------------------
// Normalizing to a canonical value
// ---------------------------------------------------------------------------------------------

/// The canonical form of operation `operation_id` of `spec`.
fn normalized(spec: &Value, operation_id: &str) -> Value {
    let op = find_operation(spec, operation_id);
    json!({
        "path": op.path,
        "method": op.method,
        "operationId": op.node["operationId"],
        "parameters": normalize_parameters(spec, op.path_item, op.node),
        "requestBody": normalize_request_body(spec, op.node),
        "responses": normalize_responses(spec, op.node),
        "security": normalize_security(spec, op.node),
        "x-doctave-tags": op.node["x-doctave-tags"],
    })
}

/// Follows local `$ref`s, chains included, to the node they name.
fn resolve<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    // A bound instead of cycle detection: real chains are one or two links long.
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("only local $refs are supported, found `{reference}`"));
        node = root
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref `{reference}`"));
    }
    panic!("$ref chain too long (a cycle?)")
}

/// Builds an object whose keys are sorted, so that two canonical values print alike.
fn sorted_object(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    let sorted: BTreeMap<String, Value> = entries.into_iter().collect();
    Value::Object(sorted.into_iter().collect())
}

/// Maps every value of an object (a missing object counts as empty).
fn map_values(object: &Value, f: impl Fn(&Value) -> Value) -> Value {
    let entries = object.as_object().into_iter().flatten();
    sorted_object(entries.map(|(key, value)| (key.clone(), f(value))))
}

/// An array of strings as a sorted set: the order of `required` or of scopes carries no meaning.
fn sorted_strings(array: &Value) -> Value {
    let set: BTreeSet<&str> = array
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    json!(set)
}

fn normalize_schema(root: &Value, schema: &Value) -> Value {
    let schema = resolve(root, schema);
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let kept = object.iter().filter_map(|(key, value)| {
        let normalized = match key.as_str() {
            "properties" => map_values(value, |s| normalize_schema(root, s)),
            // `additionalProperties` is either a boolean (kept as is) or a schema.
            "items" | "not" | "additionalProperties" => normalize_schema(root, value),
            // The order of alternatives can matter to a generator (untagged enums), so keep it.
            "allOf" | "oneOf" | "anyOf" => value
                .as_array()
                .into_iter()
                .flatten()
                .map(|s| normalize_schema(root, s))
                .collect(),
            "required" => sorted_strings(value),
            other if SCHEMA_KEYWORDS.contains(&other) => value.clone(),
            _ => return None,
        };
        Some((key.clone(), normalized))
    });
    sorted_object(kept)
}

/// Media type to `{schema}`: the extra level keeps pointers shaped like the spec's own.
fn normalize_content(root: &Value, content: &Value) -> Value {
    map_values(
        content,
        |media| json!({ "schema": normalize_schema(root, &media["schema"]) }),
    )
}

/// Path-level and operation-level parameters merged, keyed by `in:name`.
fn normalize_parameters(root: &Value, path_item: &Value, operation: &Value) -> Value {
    // Operation-level entries come last, so they replace path-level ones of the same (name, in).
    let all = [path_item, operation]
        .into_iter()
        .flat_map(|node| node["parameters"].as_array().into_iter().flatten());
    sorted_object(all.map(|parameter| {
        let parameter = resolve(root, parameter);
        let location = parameter["in"].as_str().unwrap_or_default();
        let mut name = parameter["name"].as_str().unwrap_or_default().to_owned();
        if location == "header" {
            // HTTP header names are case-insensitive.
            name = name.to_ascii_lowercase();
        }
        let canonical = json!({
            "required": parameter["required"].as_bool().unwrap_or(false),
            "schema": normalize_schema(root, &parameter["schema"]),
        });
        (format!("{location}:{name}"), canonical)
    }))
}

fn normalize_request_body(root: &Value, operation: &Value) -> Value {
    let Some(body) = operation.get("requestBody") else {
        return Value::Null;
    };
    let body = resolve(root, body);
    json!({
        "required": body["required"].as_bool().unwrap_or(false),
        "content": normalize_content(root, &body["content"]),
    })
}

fn normalize_headers(root: &Value, headers: &Value) -> Value {
    let entries = headers.as_object().into_iter().flatten();
    sorted_object(entries.map(|(name, header)| {
        let header = resolve(root, header);
        let canonical = json!({
            "required": header["required"].as_bool().unwrap_or(false),
            "schema": normalize_schema(root, &header["schema"]),
        });
        (name.to_ascii_lowercase(), canonical)
    }))
}

fn normalize_responses(root: &Value, operation: &Value) -> Value {
    map_values(&operation["responses"], |response| {
        let response = resolve(root, response);
        json!({
            "headers": normalize_headers(root, &response["headers"]),
            "content": normalize_content(root, &response["content"]),
        })
    })
}

/// The alternatives of the security requirement, each scheme with its sorted scopes.
fn normalize_security(root: &Value, operation: &Value) -> Value {
    // An operation without `security` inherits the document's.
    let requirements = operation.get("security").unwrap_or(&root["security"]);
    let mut alternatives: Vec<Value> = requirements
        .as_array()
        .into_iter()
        .flatten()
        .map(|requirement| map_values(requirement, sorted_strings))
        .collect();
    alternatives.sort_by_key(Value::to_string);
    Value::Array(alternatives)
}

// ---------------------------------------------------------------------------------------------
// Diffing
// ---------------------------------------------------------------------------------------------

/// Where two canonical values first part, and what each holds there (`None`: absent).
#[derive(Debug, PartialEq)]
struct Difference {
    pointer: String,
    ours: Option<Value>,
    upvest: Option<Value>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show =
            |value: &Option<Value>| value.as_ref().map_or("(absent)".into(), Value::to_string);
        write!(
            f,
            "at `{}`: ours = {}, Upvest's = {}",
            self.pointer,
            show(&self.ours),
            show(&self.upvest)
        )
    }
}

/// The first difference in a depth-first walk with object keys in sorted order.
fn first_difference(ours: &Value, upvest: &Value) -> Option<Difference> {
    difference_at(String::new(), Some(ours), Some(upvest))
}

fn difference_at(
    pointer: String,
    ours: Option<&Value>,
    upvest: Option<&Value>,
) -> Option<Difference> {
    match (ours, upvest) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter()
                .find_map(|key| difference_at(child(&pointer, key), a.get(key), b.get(key)))
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => (0..a.len().max(b.len()))
            .find_map(|i| difference_at(child(&pointer, &i.to_string()), a.get(i), b.get(i))),
        _ if ours == upvest => None,
        _ => Some(Difference {
            pointer,
            ours: ours.cloned(),
            upvest: upvest.cloned(),
        }),
    }
}

/// Appends one reference token to a JSON pointer, escaped as RFC 6901 requires.
fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn spec_matches_upvest_structurally() {
    let Some(upvest) = upvest_spec() else { return };
    let ours = our_spec();
    let failures: Vec<String> = OPERATION_IDS
        .iter()
        .filter_map(|id| {
            let difference = first_difference(&normalized(&ours, id), &normalized(&upvest, id))?;
            Some(format!("operation `{id}` differs {difference}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "spec/upvest-user-identifiers.yaml drifted from upvest/openapi.yaml:\n{}",
        failures.join("\n")
    );
}

/// Applies `edit` to the node at `pointer` of a copy of `original`.
fn mutated(original: &Value, pointer: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut copy = original.clone();
    edit(
        copy.pointer_mut(pointer)
            .unwrap_or_else(|| panic!("the canonical value has no `{pointer}`")),
    );
    copy
}

#[test]
fn differ_reports_the_pointer_of_a_mutation() {
    let Some(upvest) = upvest_spec() else { return };
    let original = normalized(&upvest, "create_identifier");

    let max_length =
        "/responses/200/content/application~1json/schema/properties/identifier/maxLength";
    let changed = mutated(&original, max_length, |node| *node = json!(31));
    assert_eq!(
        first_difference(&changed, &original),
        Some(Difference {
            pointer: max_length.into(),
            ours: Some(json!(31)),
            upvest: Some(json!(30)),
        })
    );

    // `required` is a sorted set, so dropping its last entry ("type") shortens the array.
    let required = "/requestBody/content/application~1json/schema/required";
    let dropped = mutated(&original, required, |node| {
        node.as_array_mut().expect("required is an array").pop();
    });
    assert_eq!(
        first_difference(&dropped, &original),
        Some(Difference {
            pointer: format!("{required}/2"),
            ours: None,
            upvest: Some(json!("type")),
        })
    );
}

#[test]
fn spec_holds_exactly_the_user_identifier_operations() {
    let ours = our_spec();
    let mut found: Vec<&str> = operations(&ours)
        .into_iter()
        .map(|op| {
            op.node["operationId"]
                .as_str()
                .expect("operationId is a string")
        })
        .collect();
    found.sort_unstable();
    let mut expected = OPERATION_IDS.to_vec();
    expected.sort_unstable();
    assert_eq!(found, expected);
}
