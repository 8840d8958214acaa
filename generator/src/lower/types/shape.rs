//! The type expressions and shapes schemas lower to: [`Ty`], [`Shape`], [`Lowered`].

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// A type expression: a primitive, a container, or a reference to a collected entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    String,
    Uuid,
    DateTime,
    Date,
    I32,
    I64,
    F64,
    Bool,
    /// Any JSON value (free-form schema).
    Json,
    /// A free-form JSON object.
    JsonObject,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Named(usize),
    /// A reference to a schema of the cycle being lowered (by the collector's number for that
    /// schema, see [`Collector::component`]): known by its place, so that a cycle lowers to the
    /// same shapes wherever it is entered. Replaced by [`Ty::Cyclic`] (or the type the schema
    /// lowered to) once collecting is done.
    Recursive(usize),
    /// A named type reached through a cycle: printed as [`Ty::Named`], but a union's fit table
    /// does not follow it (a constant cannot contain itself).
    Cyclic(usize),
    /// A struct field or union member that holds a type of its own cycle directly: `Box`ed, so
    /// the type has a size.
    Boxed(Box<Ty>),
}

/// The structural identity of a named type.
///
/// Besides what the Rust type shows, a shape holds what a union needs to choose its variant
/// without losing data (see `fit.rs`): whether an object forbids other properties and the
/// length bounds of lists. Two schemas that differ only there are different types, so each
/// type's fit table says what all of its schemas say.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(in crate::lower) enum Shape {
    /// An object's named fields, the type of the other properties it allows (if any), and
    /// whether it forbids other properties (`additionalProperties: false`).
    Struct(Vec<FieldShape>, Option<Ty>, bool),
    /// A string enum; always open to values added later.
    Enum(Vec<String>),
    /// `oneOf`/`anyOf`, decoded through the variant the value fits best; each member's list
    /// bounds.
    Union(Vec<Ty>, Option<Tag>, Vec<Limits>),
}

/// A union's discriminator: the property, and the values that select each variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(in crate::lower) struct Tag {
    pub(in crate::lower) property: String,
    pub(in crate::lower) values: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(in crate::lower) struct FieldShape {
    pub(in crate::lower) wire: String,
    pub(in crate::lower) ty: Ty,
    pub(in crate::lower) required: bool,
    pub(in crate::lower) nullable: bool,
    /// The list bounds, when the field is a list that has them.
    pub(in crate::lower) limits: Limits,
}

/// The result of lowering one schema: its type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
}

/// A list's `minItems` and `maxItems`, where the description gives them. Part of the shape of
/// the struct field or union member that holds the list (two lists that differ only in their
/// bounds are different shapes: a union can tell them apart by length).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Limits {
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Limits {
    /// The bounds of an array schema (none for anything else). `minItems: 0` bounds nothing.
    pub fn of(schema: &Schema) -> Limits {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => Limits {
                min_items: a.min_items.filter(|&n| n > 0),
                max_items: a.max_items,
            },
            _ => Limits::default(),
        }
    }

    /// The bounds of a schema written inline; those of a `$ref`'s target come from `resolve`.
    pub fn of_ref<S: std::borrow::Borrow<Schema>>(
        schema: &ReferenceOr<S>,
        resolve: impl Fn(&str) -> Option<Limits>,
    ) -> Limits {
        match schema {
            ReferenceOr::Item(s) => Limits::of(s.borrow()),
            ReferenceOr::Reference { reference } => resolve(reference).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_come_from_arrays_only() {
        let schema: Schema = serde_json::from_value(serde_json::json!({
            "type": "array", "maxItems": 0, "minItems": 0, "items": {"type": "string"}
        }))
        .unwrap();
        assert_eq!(
            Limits::of(&schema),
            Limits {
                min_items: None,
                max_items: Some(0)
            }
        );
        let string: Schema = serde_json::from_value(serde_json::json!({"type": "string"})).unwrap();
        assert_eq!(Limits::of(&string), Limits::default());
    }
}
