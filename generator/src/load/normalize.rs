//! Repairs of idioms that are common in real descriptions but not valid OpenAPI 3.0, applied to
//! the raw tree before it is read as OpenAPI 3.0. Each repair is reported as a warning naming
//! the JSON pointer, so the description's authors can fix it at the source.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::repair::Repair;
use crate::pointer::Pointer;

/// Applies every repair to `doc` in place, in document order; an OpenAPI 3.1 document's
/// keywords are read as their 3.0 equivalents first (see [`super::openapi31`]).
pub fn normalize(doc: &mut Value) -> Vec<Repair> {
    let mut repairs = Vec::new();
    let v31 = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1"));
    super::openapi31::normalize(doc, v31, &mut repairs);
    walk(doc, &mut Vec::new(), &mut repairs);
    repairs
}

/// `path` is the way from the root to `node`, as keys: a pointer is made only for a repair,
/// not for each of the document's nodes.
fn walk<'a>(node: &'a mut Value, path: &mut Vec<Cow<'a, str>>, repairs: &mut Vec<Repair>) {
    match node {
        Value::Object(map) => {
            for keyword in ["oneOf", "anyOf"] {
                if let Some(repair) = null_member_to_nullable(map, keyword, path) {
                    repairs.push(repair);
                }
            }
            for (key, child) in map {
                path.push(Cow::Borrowed(key));
                walk(child, path, repairs);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                path.push(Cow::Owned(index.to_string()));
                walk(child, path, repairs);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `oneOf: [X, {type: "null"}]` (OpenAPI 3.1) means "X or null": in 3.0 that is `nullable: true`.
/// With one member left, `allOf: [X]` keeps X whether it is inline or a `$ref` (a `$ref`'s
/// siblings would be ignored in 3.0).
fn null_member_to_nullable(
    map: &mut Map<String, Value>,
    keyword: &str,
    path: &[Cow<str>],
) -> Option<Repair> {
    let members = map.get_mut(keyword)?.as_array_mut()?;
    let before = members.len();
    members.retain(|m| !is_null_schema(m));
    if members.len() == before {
        return None;
    }
    let remaining = members.len();
    if remaining == 1 {
        let member = map.remove(keyword).unwrap_or(Value::Null);
        map.insert("allOf".into(), member);
    }
    map.insert("nullable".into(), Value::Bool(true));
    let shape = if remaining == 1 {
        "`allOf` of the other member"
    } else {
        "the other members"
    };
    Some(Repair {
        pointer: Pointer::root().join(path).push(keyword),
        message: format!(
            "`{keyword}` with a `{{type: \"null\"}}` member is OpenAPI 3.1, not 3.0; read as \
             `nullable: true` with {shape}"
        ),
    })
}

fn is_null_schema(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("null")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_of_with_null_becomes_nullable() {
        let mut doc =
            json!({"a": {"description": "d", "oneOf": [{"$ref": "#/x"}, {"type": "null"}]}});
        let repairs = normalize(&mut doc);
        assert_eq!(
            doc,
            json!({"a": {"description": "d", "allOf": [{"$ref": "#/x"}], "nullable": true}})
        );
        assert_eq!(repairs.len(), 1);
        assert_eq!(repairs[0].pointer.to_string(), "#/a/oneOf");
    }

    #[test]
    fn several_members_stay_a_union() {
        let mut doc = json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]});
        normalize(&mut doc);
        assert_eq!(
            doc,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn valid_documents_are_untouched() {
        let mut doc = json!({"oneOf": [{"type": "string"}, {"type": "integer"}]});
        let copy = doc.clone();
        assert!(normalize(&mut doc).is_empty());
        assert_eq!(doc, copy);
    }
}
