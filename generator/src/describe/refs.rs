//! The references of a description, found only where OpenAPI 3.0 allows a Reference Object.
//!
//! A `$ref` key is a reference only in a place that takes one (a schema, a parameter, a
//! response, ...), never in literal data: a property *named* `$ref` (GitHub's SCIM schemas),
//! an `example`/`examples` value, an `enum` value, a `default`, or a vendor extension (`x-...`)
//! may hold any JSON. The one extension read as OpenAPI is `x-webhooks`, a map of path items the
//! generator lowers like paths (see `lower::webhooks`).

use std::borrow::Cow;

use serde_json::Value;

use crate::pointer::Pointer;

/// What a node of the description is, so that the walk knows where references may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Responses,
    Response,
    Callback,
    Example,
    Link,
    SecurityScheme,
    Schema,
}

impl Kind {
    /// Whether a Reference Object may stand in for this kind of node.
    fn referenceable(self) -> bool {
        !matches!(
            self,
            Kind::Document
                | Kind::Components
                | Kind::Operation
                | Kind::MediaType
                | Kind::Encoding
                | Kind::Responses
        )
    }
}

/// One Reference Object: where it is (the object holding `$ref`), what it says, and the kind of
/// node it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference<'a> {
    pub at: Pointer,
    pub target: &'a Value,
    pub kind: Kind,
}

/// The extension that holds the webhooks: a map of path items, read like `paths`.
pub const WEBHOOKS_EXTENSION: &str = "x-webhooks";

/// Every reference in the document, in document order.
pub fn references(doc: &Value) -> Vec<Reference<'_>> {
    references_in(Kind::Document, doc, &Pointer::root())
}

/// The references inside a node of the given kind (the node itself included), in order.
pub fn references_in<'a>(kind: Kind, node: &'a Value, at: &Pointer) -> Vec<Reference<'a>> {
    let mut walk = Walk {
        base: at,
        path: Vec::new(),
        found: Vec::new(),
    };
    walk.node(kind, node);
    walk.found
}

/// How the children of a node are laid out.
enum Children {
    /// One child of this kind.
    One(Kind),
    /// A map whose every value is of this kind (names chosen by the author: `x-` included).
    Map(Kind),
    /// A map of this kind that may also hold extensions (`x-...`), which are skipped.
    MapWithExtensions(Kind),
    /// A list whose every item is of this kind.
    List(Kind),
}

/// The walk's state: the path from `base` to the current node, as borrowed keys (a pointer is
/// made only for a reference found, not for every node passed).
struct Walk<'p, 'a> {
    base: &'p Pointer,
    path: Vec<Cow<'a, str>>,
    found: Vec<Reference<'a>>,
}

impl<'a> Walk<'_, 'a> {
    fn node(&mut self, kind: Kind, node: &'a Value) {
        let Value::Object(map) = node else {
            return;
        };
        if kind.referenceable() {
            if let Some(target) = map.get("$ref") {
                // A Reference Object's siblings are ignored in OpenAPI 3.0.
                self.found.push(Reference {
                    at: self.base.join(&self.path),
                    target,
                    kind,
                });
                return;
            }
        }
        // In document order, so that the first problem reported is the first in the file.
        for (key, child) in map {
            let Some(children) = layout(kind, key, node) else {
                continue;
            };
            self.path.push(Cow::Borrowed(key));
            match children {
                Children::One(inner) => self.node(inner, child),
                Children::Map(inner) | Children::MapWithExtensions(inner) => {
                    let skip_extensions = matches!(children, Children::MapWithExtensions(_));
                    if let Value::Object(entries) = child {
                        for (name, value) in entries {
                            if !(skip_extensions && name.starts_with("x-")) {
                                self.path.push(Cow::Borrowed(name));
                                self.node(inner, value);
                                self.path.pop();
                            }
                        }
                    }
                }
                Children::List(inner) => {
                    if let Value::Array(items) = child {
                        for (index, value) in items.iter().enumerate() {
                            self.path.push(Cow::Owned(index.to_string()));
                            self.node(inner, value);
                            self.path.pop();
                        }
                    }
                }
            }
            self.path.pop();
        }
    }
}

/// What the field `key` of a node of `kind` holds, when it holds OpenAPI objects (everything
/// else, extensions included, is literal data).
fn layout(kind: Kind, key: &str, node: &Value) -> Option<Children> {
    use Children::{List, Map, MapWithExtensions, One};
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    Some(match (kind, key) {
        (Kind::Document, "paths") => MapWithExtensions(Kind::PathItem),
        (Kind::Document, "components") => One(Kind::Components),
        (Kind::Document, WEBHOOKS_EXTENSION) => Map(Kind::PathItem),
        (Kind::Components, "schemas") => Map(Kind::Schema),
        (Kind::Components, "responses") => Map(Kind::Response),
        (Kind::Components, "parameters") => Map(Kind::Parameter),
        (Kind::Components, "examples") => Map(Kind::Example),
        (Kind::Components, "requestBodies") => Map(Kind::RequestBody),
        (Kind::Components, "headers") => Map(Kind::Header),
        (Kind::Components, "securitySchemes") => Map(Kind::SecurityScheme),
        (Kind::Components, "links") => Map(Kind::Link),
        (Kind::Components, "callbacks") => Map(Kind::Callback),
        (Kind::PathItem | Kind::Operation, "parameters") => List(Kind::Parameter),
        (Kind::PathItem, method) if METHODS.contains(&method) => One(Kind::Operation),
        (Kind::Operation, "requestBody") => One(Kind::RequestBody),
        (Kind::Operation, "responses") => One(Kind::Responses),
        (Kind::Operation, "callbacks") => Map(Kind::Callback),
        // A Responses object's keys are statuses, a Callback's are expressions.
        (Kind::Responses, status) if !status.starts_with("x-") => One(Kind::Response),
        (Kind::Callback, expression) if !expression.starts_with("x-") => One(Kind::PathItem),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "schema") => One(Kind::Schema),
        (Kind::Parameter | Kind::Header | Kind::MediaType, "examples") => Map(Kind::Example),
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => {
            Map(Kind::MediaType)
        }
        (Kind::MediaType, "encoding") => Map(Kind::Encoding),
        (Kind::Encoding | Kind::Response, "headers") => Map(Kind::Header),
        (Kind::Response, "links") => Map(Kind::Link),
        (Kind::Schema, "properties") => Map(Kind::Schema),
        (Kind::Schema, "items" | "not") => One(Kind::Schema),
        (Kind::Schema, "allOf" | "oneOf" | "anyOf") => List(Kind::Schema),
        // `additionalProperties: true` is not a schema.
        (Kind::Schema, "additionalProperties") if node.get(key).is_some_and(Value::is_object) => {
            One(Kind::Schema)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn found(doc: &Value) -> Vec<(String, Kind)> {
        references(doc)
            .into_iter()
            .map(|r| (r.at.to_string(), r.kind))
            .collect()
    }

    #[test]
    fn finds_references_where_openapi_allows_them() {
        let doc = json!({
            "paths": {
                "/a": {
                    "parameters": [{"$ref": "#/components/parameters/P"}],
                    "get": {
                        "responses": {
                            "200": {"content": {"application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/S"}}
                            }}},
                            "400": {"$ref": "#/components/responses/R"}
                        }
                    }
                },
                "x-note": {"$ref": "not a path item"}
            },
            "components": {"schemas": {"S": {
                "allOf": [{"$ref": "#/T"}],
                "properties": {"x-odd": {"$ref": "#/U"}},
                "additionalProperties": {"$ref": "#/V"}
            }}},
            "x-webhooks": {"hook": {"post": {"requestBody": {"$ref": "#/B"}}}}
        });
        assert_eq!(
            found(&doc),
            [
                ("#/paths/~1a/parameters/0".to_string(), Kind::Parameter),
                (
                    "#/paths/~1a/get/responses/200/content/application~1json/schema/items"
                        .to_string(),
                    Kind::Schema
                ),
                ("#/paths/~1a/get/responses/400".to_string(), Kind::Response),
                ("#/components/schemas/S/allOf/0".to_string(), Kind::Schema),
                (
                    "#/components/schemas/S/properties/x-odd".to_string(),
                    Kind::Schema
                ),
                (
                    "#/components/schemas/S/additionalProperties".to_string(),
                    Kind::Schema
                ),
                (
                    "#/x-webhooks/hook/post/requestBody".to_string(),
                    Kind::RequestBody
                ),
            ]
        );
    }

    #[test]
    fn literal_data_holds_no_references() {
        let doc = json!({
            "components": {"schemas": {"Member": {
                "type": "object",
                // A property *named* `$ref`: its value is the property's schema.
                "properties": {"$ref": {"type": "string"}, "value": {"type": "string"}},
                "example": {"$ref": "#/nowhere", "value": "v"},
                "default": {"$ref": "#/nowhere"},
                "enum": [{"$ref": "#/nowhere"}],
                "x-extension": {"$ref": "#/nowhere"}
            }}},
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "examples": {"one": {"value": {"$ref": "#/nowhere"}}}
            }}}}}}}
        });
        assert_eq!(found(&doc), []);
    }
}
