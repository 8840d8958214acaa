//! The type expressions and shapes schemas lower to: [`Ty`], [`Shape`], [`Lowered`].

use super::*;

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
