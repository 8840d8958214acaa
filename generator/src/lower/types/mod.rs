//! Schemas to Rust types. Two passes:
//!
//! 1. collect: every schema reached from an operation is lowered to a [`Shape`]; identical shapes
//!    (same fields, field types, required-ness, nullability, enum values) are one entry however
//!    often the description writes them out inline. Titles and descriptions are not part of the
//!    shape: they are documentation.
//! 2. name: each entry gets a name from its most used title, else from where it appears (parent
//!    type and field, or operation and Request/Response). When several shapes want one name, the
//!    most used keeps it and the others are named from where they appear; anything still equal
//!    gets a numeric suffix. Every step is ordered, so names are deterministic.

mod build;
mod secrets;
mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_lines;
use super::fit::{self, Limits};
use super::{merge, naming};
use crate::describe::one_line;
use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::lock::{LockedType, NameLock};
use crate::model::{Example, Field, TypeDef, Variant};
use crate::names;
use crate::pointer::Pointer;
use build::type_def;
use text::{rust_type, tidy};

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
pub(super) enum Shape {
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
pub(super) struct Tag {
    pub(super) property: String,
    pub(super) values: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct FieldShape {
    pub(super) wire: String,
    pub(super) ty: Ty,
    pub(super) required: bool,
    pub(super) nullable: bool,
    /// The list bounds, when the field is a list that has them.
    pub(super) limits: Limits,
}

/// What one collected type knows beyond its shape: its name, docs, where it was seen.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) shape: Shape,
    /// The name it asks for: its recorded name, else its title, else where it first appears.
    pub(super) name: String,
    /// Whether `name` is a name the previous generation gave (see [`crate::lock`]).
    pub(super) locked: bool,
    /// An enum found by its values alone (see [`Key`]): named when every place is known.
    pub(super) by_values: bool,
    /// The title of every occurrence that has a usable one.
    pub(super) titles: Vec<String>,
    /// Whether `name` is the context name of its first place (no recorded name, no title).
    pub(super) name_from_context: bool,
    /// Where every occurrence is, the fallbacks when another type keeps `name`.
    pub(super) contexts: Vec<Context>,
    doc: Vec<String>,
    member_docs: Vec<Vec<String>>,
    origin: Pointer,
    /// Every place the type stands for, recorded so that the next generation keeps its name.
    pub(super) pointers: Vec<Pointer>,
    /// The fields (or values) every one of its places has: what a later copy must still have
    /// to be this type (see [`members`]).
    common: Option<Vec<String>>,
    pub(super) occurrences: usize,
    features: BTreeSet<String>,
    /// The operation or webhook value of every occurrence, and how deep in it.
    sites: Vec<(Arc<Site>, Level)>,
}

/// How the collected types are found again: a type whose name is recorded is one type however
/// its copies drift apart; any other is one type per shape and name, so that a struct or union
/// is never named after a place it does not belong to. Enums are the exception: their values
/// say what they are, and one enum in a request and its response is what users expect; an enum
/// is one type per set of values, named after what all its places have in common.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Locked(String),
    Fresh(Shape, String),
    /// An enum by its values and the first word of where it appears: the `sort` parameter of
    /// every `List...` operation is one enum, the `order` field of a response's metadata is not
    /// the `order` parameter of a list operation (no name would be true of both).
    Values(Shape, String),
}

/// Where a schema sits, for its fallback name and its error messages.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub pointer: Pointer,
    /// The place the schema's name is recorded under: its pointer, except that a wrapper that
    /// only annotates (an `allOf` or `oneOf` of one) does not count, so that rewriting
    /// `oneOf: [X, {type: null}]` as `nullable: true` keeps X's name.
    pub place: Pointer,
    /// The name to use if the schema has no title, e.g. `CreateIdentifierRequest`.
    pub name: String,
    pub feature: String,
    /// Whether the schema is sent (request bodies, parameters) or received.
    pub role: Role,
    /// The type whose name `name` extends, if any: naming follows that type's final name.
    pub parent: Option<Parent>,
    /// The operation or webhook the schema is lowered for, and which of its values it is in.
    pub site: Arc<Site>,
    /// Whether the schema is that value itself, an item of it, or somewhere inside it.
    pub level: Level,
}

/// An input or output of an operation or webhook, in SDK terms: where a type's docs say it is
/// used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Site {
    /// The client method (`create_account`) or the webhook event variant
    /// (`WebhookEvent::AccountEvent`).
    pub owner: String,
    pub webhook: bool,
    pub slot: Slot,
}

/// Which value of an operation or webhook.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    Response,
    /// The request body (of a webhook: its payload).
    Body,
    /// A parameter, by its wire name.
    Parameter(String),
}

/// How deep in a [`Site`]'s value a schema is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The value itself.
    Own,
    /// An item of the value, which is a list.
    Item,
    /// Inside a type of its own (a field, a union member, ...).
    Inside,
}

fn push_all(pointer: &Pointer, segments: &[&str]) -> Pointer {
    segments.iter().fold(pointer.clone(), |p, s| p.push(s))
}

/// A schema's name is its parent type's name and a suffix (`Address` of a field `address`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    /// Where the parent type is (the pointer it was registered at).
    pub pointer: Pointer,
    pub suffix: String,
}

/// One place a type appears at, as naming sees it.
#[derive(Debug, Clone)]
pub(super) struct Context {
    /// The name the place gives (its parent's name as it was asked for, plus a suffix).
    pub(super) name: String,
    pub(super) parent: Option<Parent>,
}

impl Ctx {
    /// A part of the type registered at this schema (a field, a union member, extra values):
    /// named after that type, `own` being the name it asks for.
    fn part(&self, segments: &[&str], own: &str, suffix: String) -> Ctx {
        Ctx {
            pointer: push_all(&self.pointer, segments),
            place: push_all(&self.place, segments),
            name: format!("{own}{suffix}"),
            feature: self.feature.clone(),
            role: self.role,
            parent: Some(Parent {
                pointer: self.place.clone(),
                suffix,
            }),
            site: self.site.clone(),
            level: Level::Inside,
        }
    }

    /// A schema inside this one that is not a type of its own (array items, map values): its
    /// name extends this one's.
    fn inner(&self, segment: &str, suffix: &str) -> Ctx {
        Ctx {
            pointer: self.pointer.push(segment),
            place: self.place.push(segment),
            name: format!("{}{suffix}", self.name),
            feature: self.feature.clone(),
            role: self.role,
            parent: self.parent.as_ref().map(|p| Parent {
                pointer: p.pointer.clone(),
                suffix: format!("{}{suffix}", p.suffix),
            }),
            site: self.site.clone(),
            level: match (self.level, segment) {
                (Level::Own, "items") => Level::Item,
                _ => Level::Inside,
            },
        }
    }
}

/// Which way a schema's values travel; a title that says the opposite is not a name for it
/// (Upvest titles some responses "... - Request").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Input,
    Output,
}

/// The result of lowering one schema: its type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
}

pub struct Collector<'a> {
    spec: &'a LoadedSpec,
    entries: Vec<Entry>,
    index: HashMap<Key, usize>,
    /// `$ref` targets (canonical pointers) being lowered right now: a reference to one of them
    /// is a cycle, lowered as [`Ty::Recursive`] instead of overflowing the stack.
    in_progress: Vec<String>,
    /// The schemas that are part of a cycle of references, with the number of their cycle.
    recursive: BTreeMap<String, usize>,
    /// The schemas of cycles met so far, numbered in the order met ([`Ty::Recursive`]).
    components: Vec<Component>,
    /// Every `example`/`examples` value met, by its pointer, with the type it must decode as.
    examples: BTreeMap<String, Lowered>,
    /// Examples whose type is a runtime type, not a generated one (problem documents).
    runtime_examples: BTreeMap<String, String>,
    /// The names the previous generation gave, by the pointer of each place.
    lock: BTreeMap<Pointer, String>,
    /// What each of those types had (fields or values), by name.
    lock_members: BTreeMap<String, Vec<String>>,
    /// The example values that reach the schema being lowered (see [`ExampleScope`]).
    scope: ExampleScope,
}

impl<'a> Collector<'a> {
    /// A collector that gives the places `lock` records the names recorded there.
    pub fn new(spec: &'a LoadedSpec, lock: &NameLock) -> Self {
        Self {
            lock: lock.by_pointer(),
            lock_members: lock
                .types
                .iter()
                .map(|(name, t)| (name.clone(), t.members.clone()))
                .collect(),
            spec,
            entries: Vec::new(),
            index: HashMap::new(),
            in_progress: Vec::new(),
            recursive: crate::describe::cycles::recursive_schemas(&spec.raw),
            components: Vec::new(),
            examples: BTreeMap::new(),
            runtime_examples: BTreeMap::new(),
            scope: ExampleScope::default(),
        }
    }

    /// Lowers the schema of a media type or parameter whose `example`/`examples` are given: the
    /// values reach the schemas inside (an enum read from a description must agree with them).
    pub fn lower_with_examples(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ctx: &Ctx,
        example: Option<&serde_json::Value>,
        examples: &IndexMap<String, ReferenceOr<openapiv3::Example>>,
    ) -> Result<Lowered> {
        let values = example
            .into_iter()
            .chain(
                examples
                    .values()
                    .filter_map(|e| e.as_item()?.value.as_ref()),
            )
            .cloned()
            .collect();
        let outer = std::mem::replace(&mut self.scope, ExampleScope(values));
        let lowered = self.lower(schema, ctx);
        self.scope = outer;
        lowered
    }

    /// Lowers the schema of the media type at `media_at` and records the media type's examples
    /// with the type they must decode as.
    pub fn lower_media(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ctx: &Ctx,
        media: &openapiv3::MediaType,
        media_at: &Pointer,
    ) -> Result<Lowered> {
        let lowered =
            self.lower_with_examples(schema, ctx, media.example.as_ref(), &media.examples)?;
        self.note_examples(media_at, media.example.as_ref(), &media.examples, &lowered);
        Ok(lowered)
    }

    /// Runs `f` with the example values projected by `project` (a property, the items of a
    /// list) as the scope, then restores the scope.
    fn within<T>(
        &mut self,
        project: impl Fn(&serde_json::Value) -> Vec<serde_json::Value>,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let inner = ExampleScope(self.scope.0.iter().flat_map(project).collect());
        let outer = std::mem::replace(&mut self.scope, inner);
        let result = f(self);
        self.scope = outer;
        result
    }

    /// Lowers a schema or `$ref` found at `ctx.pointer`.
    pub fn lower(&mut self, schema: &ReferenceOr<Schema>, ctx: &Ctx) -> Result<Lowered> {
        match schema {
            ReferenceOr::Item(schema) => self.lower_schema(schema, ctx),
            ReferenceOr::Reference { reference } => self.lower_ref(reference, ctx),
        }
    }

    pub fn lower_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, ctx: &Ctx) -> Result<Lowered> {
        match schema {
            ReferenceOr::Item(schema) => self.lower_schema(schema, ctx),
            ReferenceOr::Reference { reference } => self.lower_ref(reference, ctx),
        }
    }

    fn lower_ref(&mut self, reference: &str, ctx: &Ctx) -> Result<Lowered> {
        let key = crate::describe::cycles::canonical(reference);
        // Inside a cycle, a schema of the same cycle is referred to by its place, whether it is
        // being lowered right now or not: the cycle's shapes do not depend on where it is
        // entered, so it is one set of types.
        let cycle = self.recursive.get(&key).copied();
        let enclosing = self
            .in_progress
            .last()
            .and_then(|e| self.recursive.get(e).copied());
        let in_cycle = cycle.is_some() && cycle == enclosing;
        // Inside its cycle, a schema already lowered for this feature is not lowered again:
        // the cycle's shapes are known, and lowering every path through a dense cycle would
        // take exponential time.
        if in_cycle && !self.in_progress.contains(&key) {
            let id = self.component(&key);
            if let Some(Component {
                lowered: Some(lowered),
                features,
                ..
            }) = self.components.get(id)
            {
                if features.contains(&ctx.feature) {
                    return Ok(Lowered {
                        ty: Ty::Recursive(id),
                        nullable: lowered.nullable,
                    });
                }
            }
        }
        if self.in_progress.contains(&key) {
            if !in_cycle {
                return Err(self.invalid(
                    &ctx.pointer,
                    format!("recursive schema through `{reference}` cannot be lowered"),
                ));
            }
            let (schema, _) = self.resolve_schema(reference, &ctx.pointer)?;
            return Ok(Lowered {
                ty: Ty::Recursive(self.component(&key)),
                nullable: schema.schema_data.nullable,
            });
        }
        let target = Pointer::parse_ref(reference);
        let node = target.as_ref().and_then(|t| t.resolve(&self.spec.raw));
        let (Some(target), Some(node)) = (target, node) else {
            return Err(Error::UnresolvedRef {
                location: self.spec.locate(&ctx.pointer),
                target: reference.to_string(),
                reason: "no such node in this document".into(),
            });
        };
        self.in_progress.push(key.clone());
        let lowered = match node.get("$ref") {
            // A schema that is only a reference stands for what it refers to.
            Some(next) => match next.as_str() {
                Some(next) => {
                    let alias = Ctx {
                        pointer: target.clone(),
                        place: target.clone(),
                        ..ctx.clone()
                    };
                    self.lower_ref(next, &alias)
                }
                None => Err(self.invalid(&target.push("$ref"), "a $ref must be a string".into())),
            },
            None => self.lower_target(node, target, ctx),
        };
        self.in_progress.pop();
        let lowered = lowered?;
        if cycle.is_none() {
            return Ok(lowered);
        }
        let id = self.component(&key);
        if let Some(component) = self.components.get_mut(id) {
            component.lowered.get_or_insert_with(|| lowered.clone());
            component.features.insert(ctx.feature.clone());
        }
        Ok(match in_cycle {
            true => Lowered {
                ty: Ty::Recursive(id),
                nullable: lowered.nullable,
            },
            false => lowered,
        })
    }

    /// Lowers the schema a reference points at (`node`, at `target`).
    fn lower_target(
        &mut self,
        node: &serde_json::Value,
        target: Pointer,
        ctx: &Ctx,
    ) -> Result<Lowered> {
        let schema = serde_json::from_value::<Schema>(node.clone())
            .map_err(|e| self.invalid(&target, format!("not a schema: {e}")))?;
        // A component is named after itself, not after where it is used.
        let (name, parent) = match target.segments().last().and_then(|n| names::type_ident(n)) {
            Some(component) => (component, None),
            None => (ctx.name.clone(), ctx.parent.clone()),
        };
        let inner = Ctx {
            place: target.clone(),
            pointer: target,
            name,
            feature: ctx.feature.clone(),
            role: ctx.role,
            parent,
            site: ctx.site.clone(),
            level: ctx.level,
        };
        self.lower_schema(&schema, &inner)
    }

    /// The number of a schema of a cycle (see [`Ty::Recursive`]), given on first use.
    fn component(&mut self, key: &str) -> usize {
        match self.components.iter().position(|c| c.key == key) {
            Some(id) => id,
            None => {
                self.components.push(Component {
                    key: key.to_string(),
                    lowered: None,
                    features: BTreeSet::new(),
                });
                self.components.len() - 1
            }
        }
    }

    /// The schema a reference points at, following references that point at references.
    fn resolve_schema(&self, reference: &str, at: &Pointer) -> Result<(Schema, Pointer)> {
        let mut reference = reference.to_string();
        // Validation rejects cycles of bare references; the bound only keeps this total.
        for _ in 0..=MAX_REFERENCE_HOPS {
            let target = Pointer::parse_ref(&reference);
            let node = target.as_ref().and_then(|t| t.resolve(&self.spec.raw));
            let (Some(target), Some(node)) = (target, node) else {
                return Err(Error::UnresolvedRef {
                    location: self.spec.locate(at),
                    target: reference,
                    reason: "no such node in this document".into(),
                });
            };
            if let Some(next) = node.get("$ref").and_then(|r| r.as_str()) {
                reference = next.to_string();
                continue;
            }
            let schema = serde_json::from_value::<Schema>(node.clone())
                .map_err(|e| self.invalid(&target, format!("not a schema: {e}")))?;
            return Ok((schema, target));
        }
        Err(self.invalid(
            at,
            format!("more than {MAX_REFERENCE_HOPS} references in a row from here"),
        ))
    }

    fn lower_schema(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Lowered> {
        // The schema's own example reaches it and what it contains.
        let own = schema.schema_data.example.clone();
        let pushed = own.is_some();
        self.scope.0.extend(own);
        let lowered = self.lower_schema_kind(schema, ctx);
        if pushed {
            self.scope.0.pop();
        }
        let lowered = lowered?;
        if schema.schema_data.example.is_some() {
            self.examples
                .insert(ctx.pointer.push("example").to_string(), lowered.clone());
        }
        Ok(lowered)
    }

    /// Records the examples of a media type or parameter whose schema lowered to `lowered`.
    pub fn note_examples(
        &mut self,
        at: &Pointer,
        example: Option<&serde_json::Value>,
        examples: &IndexMap<String, ReferenceOr<openapiv3::Example>>,
        lowered: &Lowered,
    ) {
        if example.is_some() {
            self.examples
                .insert(at.push("example").to_string(), lowered.clone());
        }
        for (name, item) in examples {
            if let ReferenceOr::Item(e) = item {
                if e.value.is_some() {
                    let pointer = at.push("examples").push(name).push("value");
                    self.examples.insert(pointer.to_string(), lowered.clone());
                }
            }
        }
    }

    /// Records the examples of a media type whose values decode as the runtime type `rust_type`.
    pub fn note_runtime_examples(
        &mut self,
        at: &Pointer,
        media: &openapiv3::MediaType,
        rust_type: &str,
    ) {
        let mut pointers = Vec::new();
        if media.example.is_some() {
            pointers.push(at.push("example"));
        }
        for (name, item) in &media.examples {
            if matches!(item, ReferenceOr::Item(e) if e.value.is_some()) {
                pointers.push(at.push("examples").push(name).push("value"));
            }
        }
        for pointer in pointers {
            self.runtime_examples
                .insert(pointer.to_string(), rust_type.to_string());
        }
    }

    fn lower_schema_kind(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Lowered> {
        let data = &schema.schema_data;
        // Compositions may take their type, and their nullability, from a member.
        let composed = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some(self.lower_all_of(schema, all_of, ctx)?),
            SchemaKind::OneOf { one_of } => Some(self.lower_union(schema, one_of, "oneOf", ctx)?),
            SchemaKind::AnyOf { any_of } => Some(self.lower_union(schema, any_of, "anyOf", ctx)?),
            _ => None,
        };
        if let Some(lowered) = composed {
            return Ok(Lowered {
                ty: lowered.ty,
                nullable: data.nullable || lowered.nullable,
            });
        }
        let ty = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => self.lower_string(schema, s, ctx)?,
            SchemaKind::Type(Type::Integer(i)) => integer(i),
            SchemaKind::Type(Type::Number(_)) => Ty::F64,
            SchemaKind::Type(Type::Boolean(_)) => Ty::Bool,
            SchemaKind::Type(Type::Array(a)) => self.lower_array(a, ctx)?,
            SchemaKind::Type(Type::Object(o)) => self.lower_object(schema, o, ctx)?,
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                Ty::Json
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let object = openapiv3::ObjectType {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    additional_properties: any.additional_properties.clone(),
                    ..Default::default()
                };
                self.lower_object(schema, &object, ctx)?
            }
            SchemaKind::Not { .. } | SchemaKind::Any(_) => Ty::Json,
        };
        Ok(Lowered {
            ty,
            nullable: data.nullable,
        })
    }

    fn lower_string(
        &mut self,
        schema: &Schema,
        s: &openapiv3::StringType,
        ctx: &Ctx,
    ) -> Result<Ty> {
        use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as F};
        let mut values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
        if values.is_empty() {
            values = listed_values(schema.schema_data.description.as_deref());
            // Values read from prose are a guess: an example value at this place that is not
            // among them (a free-text field whose description copies another's list) keeps the
            // field a string.
            if !self.scope.agrees_with(&values) {
                values.clear();
            }
        }
        if !values.is_empty() {
            // The meanings the description lists document the variants.
            let meanings = super::docs::listed_meanings(schema.schema_data.description.as_deref());
            let docs = values
                .iter()
                .map(|v| super::docs::variant_doc(v, &meanings))
                .collect();
            return Ok(self.register(Shape::Enum(values), schema, ctx, docs));
        }
        Ok(match &s.format {
            F::Item(StringFormat::DateTime) => Ty::DateTime,
            F::Item(StringFormat::Date) => Ty::Date,
            F::Unknown(f) if f == "uuid" => Ty::Uuid,
            _ => Ty::String,
        })
    }

    fn lower_array(&mut self, a: &openapiv3::ArrayType, ctx: &Ctx) -> Result<Ty> {
        let Some(items) = &a.items else {
            return Ok(Ty::Vec(Box::new(Ty::Json)));
        };
        let item_ctx = ctx.inner("items", "Item");
        let item = self.within(ExampleScope::items, |c| c.lower_boxed(items, &item_ctx))?;
        Ok(Ty::Vec(Box::new(item.ty)))
    }

    fn lower_object(
        &mut self,
        schema: &Schema,
        o: &openapiv3::ObjectType,
        ctx: &Ctx,
    ) -> Result<Ty> {
        use openapiv3::AdditionalProperties as A;
        if o.properties.is_empty() {
            return match &o.additional_properties {
                Some(A::Schema(values)) => {
                    let value_ctx = ctx.inner("additionalProperties", "Value");
                    let value = self.lower(values, &value_ctx)?;
                    Ok(Ty::Map(Box::new(value.ty)))
                }
                _ => Ok(Ty::JsonObject),
            };
        }
        let own_name = self.own_name(schema, ctx);
        let mut fields = Vec::new();
        let mut docs = Vec::new();
        // Sorted by name: a struct's shape (and so dedup and the output) must not depend on the
        // order the description happens to list the properties in.
        let mut properties: Vec<_> = o.properties.iter().collect();
        properties.sort_by(|a, b| a.0.cmp(b.0));
        for (wire, property) in properties {
            let field_ctx = ctx.part(
                &["properties", wire],
                &own_name,
                names::type_ident(wire).unwrap_or_else(|| "Field".into()),
            );
            let lowered = self.within(
                |v| v.get(wire.as_str()).cloned().into_iter().collect(),
                |c| c.lower_boxed(property, &field_ctx),
            )?;
            docs.push(self.property_doc(property, &field_ctx.pointer));
            fields.push(FieldShape {
                wire: wire.clone(),
                ty: boxed_in_cycle(lowered.ty),
                required: o.required.contains(wire),
                nullable: lowered.nullable,
                limits: self.limits(property),
            });
        }
        let extra = self.lower_extra(o, ctx, &own_name)?;
        let closed = matches!(
            o.additional_properties,
            Some(openapiv3::AdditionalProperties::Any(false))
        );
        Ok(self.register(Shape::Struct(fields, extra, closed), schema, ctx, docs))
    }

    /// An object that names its properties but allows others (`additionalProperties: true` or a
    /// schema) keeps the others, so decoding and encoding again loses nothing.
    fn lower_extra(
        &mut self,
        o: &openapiv3::ObjectType,
        ctx: &Ctx,
        own_name: &str,
    ) -> Result<Option<Ty>> {
        use openapiv3::AdditionalProperties as A;
        Ok(match &o.additional_properties {
            Some(A::Any(true)) => Some(Ty::Json),
            Some(A::Schema(values)) => {
                let value_ctx = ctx.part(&["additionalProperties"], own_name, "Value".into());
                Some(self.lower(values, &value_ctx)?.ty)
            }
            _ => None,
        })
    }

    /// `allOf` is merged into one object: the properties and required lists of every member.
    /// Members that only annotate (a description, no type) add nothing; a single typed member
    /// that is not an object is the type itself (`allOf: [{type: string}, {description}]`).
    fn lower_all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Lowered> {
        let mut merged = openapiv3::ObjectType::default();
        let mut others = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let at = ctx.pointer.push("allOf").push(index);
            let resolved = match member {
                ReferenceOr::Item(s) => s.clone(),
                ReferenceOr::Reference { reference } => self.resolve_schema(reference, &at)?.0,
            };
            match resolved.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    merged.properties.extend(o.properties);
                    merged.required.extend(o.required);
                }
                SchemaKind::Any(any) if any == openapiv3::AnySchema::default() => {}
                SchemaKind::Any(any) if any.typ.is_none() && !any.properties.is_empty() => {
                    merged.properties.extend(any.properties);
                    merged.required.extend(any.required);
                }
                _ => others.push((member, at)),
            }
        }
        match others.as_slice() {
            [] => Ok(Lowered {
                ty: self.lower_object(schema, &merged, ctx)?,
                nullable: false,
            }),
            [(member, at)] if merged.properties.is_empty() => {
                let member_ctx = Ctx {
                    pointer: at.clone(),
                    ..ctx.clone()
                };
                self.lower(member, &member_ctx)
            }
            [_, (_, at), ..] | [(_, at)] => Err(self.invalid(
                at,
                "allOf can only merge objects, or annotate a single schema".to_string(),
            )),
        }
    }

    fn lower_union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        keyword: &str,
        ctx: &Ctx,
    ) -> Result<Lowered> {
        // A union of one is that one (its name and docs stay with it).
        if let [member] = members {
            let member_ctx = Ctx {
                pointer: ctx.pointer.push(keyword).push(0),
                ..ctx.clone()
            };
            return self.lower(member, &member_ctx);
        }
        let own_name = self.own_name(schema, ctx);
        let mut variants = Vec::new();
        let mut limits = Vec::new();
        let mut nullable = false;
        for (index, member) in members.iter().enumerate() {
            let member_ctx = ctx.part(
                &[keyword, &index.to_string()],
                &own_name,
                format!("Variant{}", index + 1),
            );
            let lowered = self.lower(member, &member_ctx)?;
            // A member that admits null makes the whole value nullable.
            nullable |= lowered.nullable;
            variants.push(boxed_in_cycle(lowered.ty));
            limits.push(self.limits(member));
        }
        // A member's own description says what its variant holds (two string members differ
        // by what their descriptions say).
        let docs = members
            .iter()
            .map(|member| match member {
                ReferenceOr::Item(m) => doc_lines(m.schema_data.description.as_deref()),
                ReferenceOr::Reference { .. } => Vec::new(),
            })
            .collect();
        let tag = discriminator(schema, members);
        let ty = self.register(Shape::Union(variants, tag, limits), schema, ctx, docs);
        Ok(Lowered { ty, nullable })
    }

    /// The list bounds of a schema or of the schema its `$ref` points at.
    fn limits<S: std::borrow::Borrow<Schema>>(&self, schema: &ReferenceOr<S>) -> Limits {
        Limits::of_ref(schema, |reference| {
            self.resolve_schema(reference, &Pointer::root())
                .ok()
                .map(|(s, _)| s)
        })
    }

    /// A property's description: its own, else that of an `allOf` member that annotates it
    /// (`allOf: [{type: string}, {description: ...}]`), references followed.
    fn property_doc(&self, property: &ReferenceOr<Box<Schema>>, at: &Pointer) -> Vec<String> {
        // The raw node, borrowed: where the property is written (or what its `$ref` points at);
        // a property merged from an `allOf` member is not at `at`, so it is serialized instead.
        let target = match property {
            ReferenceOr::Item(_) => Some(at.clone()),
            ReferenceOr::Reference { reference } => Pointer::parse_ref(reference),
        };
        let serialized;
        let node = match target.as_ref().and_then(|p| p.resolve(&self.spec.raw)) {
            Some(node) => node,
            None => match property {
                ReferenceOr::Item(s) => {
                    serialized = serde_json::to_value(s).unwrap_or_default();
                    &serialized
                }
                ReferenceOr::Reference { .. } => return Vec::new(),
            },
        };
        let own = node.get("description").and_then(|d| d.as_str());
        let from_members = |key: &str| {
            node.get("allOf")?
                .as_array()?
                .iter()
                .find_map(|m| m.get(key)?.as_str())
        };
        let mut doc = doc_lines(own.or_else(|| from_members("description")));
        // Constraints the Rust type does not carry (formats kept as strings, decimal patterns)
        // are worth a line: they say what a valid value looks like.
        let string_keyword = |key: &str| {
            node.get(key)
                .and_then(|v| v.as_str())
                .or_else(|| from_members(key))
        };
        let format = string_keyword("format").filter(|f| !TYPED_FORMATS.contains(f));
        let pattern = string_keyword("pattern").filter(|p| !p.contains('`'));
        // Each note is one doc line, whatever line breaks the keyword's value holds.
        let notes = [
            format.map(|f| format!("Format: `{}`.", one_line(f))),
            pattern.map(|p| format!("Pattern: `{}`.", one_line(p))),
        ];
        for note in notes.into_iter().flatten() {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(note);
        }
        doc
    }

    /// The name a schema asks for, and its children are named after: the name recorded for its
    /// place, else its title (unless the title says the opposite of its role), else its context.
    /// Decided top-down in one pass: a child's name never waits for its parent's final name.
    fn own_name(&self, schema: &Schema, ctx: &Ctx) -> String {
        if let Some(name) = self.lock.get(&ctx.place) {
            return name.clone();
        }
        Self::usable_title(schema, ctx).unwrap_or_else(|| ctx.name.clone())
    }

    /// The schema's title as a type name, unless it contradicts the schema's role.
    fn usable_title(schema: &Schema, ctx: &Ctx) -> Option<String> {
        schema
            .schema_data
            .title
            .as_deref()
            .and_then(names::type_ident)
            .filter(|title| naming::title_fits_role(title, ctx.role))
    }

    /// A place the record does not know (a new operation, a response moved to another status)
    /// still belongs to a recorded type when it is that type: a struct with the recorded name
    /// (by title or place) that has all its fields, an enum with exactly its values.
    fn recorded_type_for_new_place(
        &self,
        shape: &Shape,
        title: Option<&str>,
        ctx: &Ctx,
    ) -> Option<String> {
        let wanted = title.unwrap_or(&ctx.name);
        match shape {
            Shape::Enum(_) => {
                let values = members(shape);
                let mut same = self
                    .lock_members
                    .iter()
                    .filter(|(_, recorded)| **recorded == values)
                    .map(|(name, _)| name);
                let first = same.next()?;
                let rest: Vec<&String> = same.collect();
                match rest.is_empty() {
                    true => Some(first.clone()),
                    // Several enums have these values: only the one this place is named for.
                    false => std::iter::once(first)
                        .chain(rest)
                        .find(|name| *name == wanted)
                        .cloned(),
                }
            }
            _ => {
                let recorded = self.lock_members.get(wanted)?;
                (!recorded.is_empty() && covers(shape, Some(recorded))).then(|| wanted.to_string())
            }
        }
    }

    /// Records one occurrence of a shape and returns its type.
    fn register(
        &mut self,
        shape: Shape,
        schema: &Schema,
        ctx: &Ctx,
        member_docs: Vec<Vec<String>>,
    ) -> Ty {
        let data = &schema.schema_data;
        // An enum's variants carry the meanings its description lists; its own doc keeps the
        // rest.
        let description = match shape {
            Shape::Enum(_) => data.description.as_deref().map(super::docs::without_listed),
            _ => data.description.clone(),
        };
        // A recorded place keeps its name while it still has what users were given; one that
        // lost a field or value is another type now, named as if it were new.
        let title = Self::usable_title(schema, ctx);
        let locked = match self.lock.get(&ctx.place) {
            Some(name) => Some(name)
                .filter(|name| covers(&shape, self.lock_members.get(*name)))
                .cloned(),
            None => self.recorded_type_for_new_place(&shape, title.as_deref(), ctx),
        };
        let from_context = locked.is_none() && title.is_none();
        let (name, locked) = match locked {
            Some(name) => (name, true),
            None => (title.clone().unwrap_or_else(|| ctx.name.clone()), false),
        };
        let own_members = members(&shape);
        let index = self.find_or_insert(shape, name, locked, title.as_deref(), ctx);
        let entry = &mut self.entries[index];
        entry.common = Some(match entry.common.take() {
            None => own_members,
            Some(common) => common
                .into_iter()
                .filter(|m| own_members.contains(m))
                .collect(),
        });
        entry.occurrences += 1;
        entry.pointers.push(ctx.place.clone());
        entry.features.insert(ctx.feature.clone());
        entry.sites.push((ctx.site.clone(), ctx.level));
        if entry.occurrences == 1 {
            entry.name_from_context = from_context;
        }
        entry.contexts.push(Context {
            name: ctx.name.clone(),
            parent: ctx.parent.clone(),
        });
        entry.titles.extend(title);
        if entry.doc.is_empty() {
            entry.doc = doc_lines(description.as_deref());
        }
        merge_docs(&mut entry.member_docs, member_docs);
        Ty::Named(index)
    }

    /// The entry an occurrence belongs to. A recorded name keeps its places together: a copy
    /// whose shape drifted (a new field, a new enum value) is merged into the one type, so what
    /// users name stays one type. Anything else is one type per shape and name, and joins a
    /// recorded type of the same name and shape (a new operation returning a known object).
    fn find_or_insert(
        &mut self,
        shape: Shape,
        name: String,
        locked: bool,
        title: Option<&str>,
        ctx: &Ctx,
    ) -> usize {
        if let Some(&index) = self.index.get(&Key::Locked(name.clone())) {
            let entry = &mut self.entries[index];
            if entry.shape == shape {
                return index;
            }
            if locked {
                if let Some(merged) = merge::merge(&entry.shape, &shape) {
                    entry.shape = merged;
                    return index;
                }
            }
        }
        let key = if locked && !self.index.contains_key(&Key::Locked(name.clone())) {
            Key::Locked(name.clone())
        } else if matches!(shape, Shape::Enum(_)) {
            // A title names the enum wherever it is; else the first word of where it is.
            let group = match title {
                Some(title) => title.to_string(),
                None => naming::lead_word(&ctx.name),
            };
            Key::Values(shape.clone(), group)
        } else {
            Key::Fresh(shape.clone(), name.clone())
        };
        if let Some(&index) = self.index.get(&key) {
            return index;
        }
        let index = self.entries.len();
        self.entries.push(Entry {
            shape,
            locked: matches!(key, Key::Locked(_)),
            by_values: matches!(key, Key::Values(..)),
            titles: Vec::new(),
            name_from_context: false,
            name,
            contexts: Vec::new(),
            doc: Vec::new(),
            member_docs: Vec::new(),
            origin: ctx.pointer.clone(),
            pointers: Vec::new(),
            common: None,
            occurrences: 0,
            features: BTreeSet::new(),
            sites: Vec::new(),
        });
        self.index.insert(key, index);
        index
    }

    /// The type each schema of a cycle stands for, its references to its own cycle resolved:
    /// an error for a cycle that no named type breaks (`A: {type: array, items: {$ref: A}}`).
    fn resolve_components(&self) -> Result<Vec<Ty>> {
        (0..self.components.len())
            .map(|id| self.resolve_component(id, &mut Vec::new()))
            .collect()
    }

    fn resolve_component(&self, id: usize, visiting: &mut Vec<usize>) -> Result<Ty> {
        let key = |id: usize| {
            self.components
                .get(id)
                .map(|c| c.key.clone())
                .unwrap_or_default()
        };
        let at = |id: usize| Pointer::parse_ref(&key(id)).unwrap_or_default();
        if let Some(start) = visiting.iter().position(|&v| v == id) {
            let cycle: Vec<String> = visiting[start..]
                .iter()
                .chain([&id])
                .map(|&v| key(v))
                .collect();
            return Err(self.invalid(
                &at(id),
                format!(
                    "recursive schema with no object in its cycle ({}): it contains itself only \
                     through arrays, maps or compositions of one, so no Rust type can hold it",
                    cycle.join(" -> ")
                ),
            ));
        }
        let Some(Component {
            lowered: Some(lowered),
            ..
        }) = self.components.get(id)
        else {
            return Err(self.invalid(
                &at(id),
                "recursive schema that was never lowered (a generator bug)".into(),
            ));
        };
        visiting.push(id);
        let ty = self.resolve_in_cycle(&lowered.ty, visiting)?;
        visiting.pop();
        Ok(match ty {
            Ty::Named(i) => Ty::Cyclic(i),
            other => other,
        })
    }

    fn resolve_in_cycle(&self, ty: &Ty, visiting: &mut Vec<usize>) -> Result<Ty> {
        Ok(match ty {
            Ty::Recursive(id) => self.resolve_component(*id, visiting)?,
            Ty::Vec(inner) => Ty::Vec(Box::new(self.resolve_in_cycle(inner, visiting)?)),
            Ty::Map(inner) => Ty::Map(Box::new(self.resolve_in_cycle(inner, visiting)?)),
            Ty::Boxed(inner) => Ty::Boxed(Box::new(self.resolve_in_cycle(inner, visiting)?)),
            other => other.clone(),
        })
    }

    fn invalid(&self, at: &Pointer, message: String) -> Error {
        Error::Invalid {
            location: self.spec.locate(at),
            message,
        }
    }

    /// Names every entry (one pass, see [`naming`]) and produces the type definitions, sorted
    /// by name, and the record of the names for the next generation.
    pub fn finish(mut self) -> Result<Types> {
        let components = self.resolve_components()?;
        for entry in &mut self.entries {
            entry.shape = substitute_shape(&entry.shape, &components);
        }
        for lowered in self.examples.values_mut() {
            lowered.ty = substitute(&lowered.ty, &components);
        }
        let names = naming::apply_renames(naming::assign_names(&self.entries), &self.spec.renames)?;
        let fits = fit::tables(&self.entries, &names);
        let mut defs = self
            .entries
            .iter()
            .zip(&names)
            .zip(fits)
            .map(|((entry, name), fit)| TypeDef {
                fit,
                ..type_def(entry, name, &names)
            })
            .collect::<Vec<_>>();
        build::document(&self.entries, &mut defs);
        defs.sort_by(|a, b| a.name.cmp(&b.name));
        let mut record: BTreeMap<String, LockedType> = BTreeMap::new();
        for (entry, name) in self.entries.iter().zip(&names) {
            let locked = record.entry(name.clone()).or_default();
            locked
                .places
                .extend(entry.pointers.iter().map(Pointer::to_string));
            locked.places.sort();
            locked.places.dedup();
            locked.members = entry.common.clone().unwrap_or_default();
        }
        let examples = self
            .examples
            .into_iter()
            .map(|(pointer, lowered)| {
                let inner = rust_type(&lowered.ty, &names, Some("models"));
                let ty = if lowered.nullable {
                    quote!(Option<#inner>)
                } else {
                    inner
                };
                Example {
                    pointer,
                    rust_type: tidy(&ty),
                }
            })
            .chain(
                self.runtime_examples
                    .into_iter()
                    .map(|(pointer, rust_type)| Example { pointer, rust_type }),
            )
            .collect::<Vec<_>>();
        Ok(Types {
            components,
            names,
            defs,
            examples,
            lock: NameLock::new(record),
        })
    }
}

/// A schema that is part of a cycle of references (see [`Ty::Recursive`]).
#[derive(Debug)]
struct Component {
    /// Its canonical pointer.
    key: String,
    /// The type it lowered to the first time.
    lowered: Option<Lowered>,
    /// The features it has been lowered for: its types are compiled for each.
    features: BTreeSet<String>,
}

/// How many references that point at references [`Collector::resolve_schema`] follows.
const MAX_REFERENCE_HOPS: usize = 64;

/// The example values of the description that reach the schema being lowered: those of its
/// media type or parameter and of enclosing schemas, projected through properties and list items.
#[derive(Debug, Default)]
struct ExampleScope(Vec<serde_json::Value>);

impl ExampleScope {
    /// The items of a list value.
    fn items(value: &serde_json::Value) -> Vec<serde_json::Value> {
        value.as_array().cloned().unwrap_or_default()
    }

    /// Whether every string example value here is one of `values`.
    fn agrees_with(&self, values: &[String]) -> bool {
        self.0
            .iter()
            .filter_map(|v| v.as_str())
            .all(|v| values.iter().any(|known| known == v))
    }
}

/// What a type gives users that a later copy must still have: a struct's fields, an enum's
/// values (sorted); nothing for a union, whose members have no names of their own to keep.
fn members(shape: &Shape) -> Vec<String> {
    let mut members: Vec<String> = match shape {
        Shape::Struct(fields, ..) => fields.iter().map(|f| f.wire.clone()).collect(),
        Shape::Enum(values) => values.clone(),
        Shape::Union(..) => Vec::new(),
    };
    members.sort();
    members
}

/// Whether `shape` still has every recorded member.
fn covers(shape: &Shape, recorded: Option<&Vec<String>>) -> bool {
    let have = members(shape);
    recorded.is_none_or(|recorded| recorded.iter().all(|m| have.contains(m)))
}

/// A field or union member that holds a type of its own cycle directly needs a `Box`.
fn boxed_in_cycle(ty: Ty) -> Ty {
    match ty {
        Ty::Recursive(_) => Ty::Boxed(Box::new(ty)),
        other => other,
    }
}

/// `ty` with every reference into a cycle replaced by the type it stands for (`components`,
/// by number).
fn substitute(ty: &Ty, components: &[Ty]) -> Ty {
    match ty {
        Ty::Recursive(id) => components.get(*id).cloned().unwrap_or(Ty::Json),
        Ty::Vec(inner) => Ty::Vec(Box::new(substitute(inner, components))),
        Ty::Map(inner) => Ty::Map(Box::new(substitute(inner, components))),
        Ty::Boxed(inner) => Ty::Boxed(Box::new(substitute(inner, components))),
        other => other.clone(),
    }
}

fn substitute_shape(shape: &Shape, components: &[Ty]) -> Shape {
    match shape {
        Shape::Struct(fields, extra, closed) => Shape::Struct(
            fields
                .iter()
                .map(|f| FieldShape {
                    ty: substitute(&f.ty, components),
                    ..f.clone()
                })
                .collect(),
            extra.as_ref().map(|e| substitute(e, components)),
            *closed,
        ),
        Shape::Enum(values) => Shape::Enum(values.clone()),
        Shape::Union(members, tag, limits) => Shape::Union(
            members.iter().map(|m| substitute(m, components)).collect(),
            tag.clone(),
            limits.clone(),
        ),
    }
}

/// The collected types, named.
pub struct Types {
    /// What each schema of a cycle stands for (see [`Ty::Recursive`]).
    components: Vec<Ty>,
    names: Vec<String>,
    pub defs: Vec<TypeDef>,
    pub examples: Vec<Example>,
    /// The names given, with the places each stands for (`source/names.json`).
    pub lock: NameLock,
}

impl Types {
    /// The Rust type for `ty`, seen from outside the `models` module.
    pub fn rust(&self, ty: &Ty) -> String {
        let ty = substitute(ty, &self.components);
        tidy(&rust_type(&ty, &self.names, Some("models")))
    }
}

fn integer(i: &openapiv3::IntegerType) -> Ty {
    use openapiv3::{IntegerFormat, VariantOrUnknownOrEmpty as F};
    match &i.format {
        F::Item(IntegerFormat::Int32) => Ty::I32,
        _ => Ty::I64,
    }
}

/// Upvest (like drf-spectacular) documents a string's values as `* VALUE - meaning` lines; where
/// the `enum` keyword is missing, those lines still say which values exist. The enum stays open,
/// so a value not listed decodes as `Unknown` rather than failing.
fn listed_values(description: Option<&str>) -> Vec<String> {
    super::docs::listed_meanings(description)
        .into_iter()
        .map(|(value, _)| value)
        .collect()
}

fn merge_docs(into: &mut Vec<Vec<String>>, docs: Vec<Vec<String>>) {
    if into.is_empty() {
        *into = docs;
        return;
    }
    for (have, new) in into.iter_mut().zip(docs) {
        if have.is_empty() {
            *have = new;
        }
    }
}

/// String formats that have a Rust type of their own; others are documented on the field.
const TYPED_FORMATS: &[&str] = &[
    "uuid",
    "date-time",
    "date",
    "int32",
    "int64",
    "float",
    "double",
];

/// The discriminator of a `oneOf`/`anyOf`: with a `mapping`, each value selects the member that
/// is that `$ref`; without one, a `$ref` member is selected by its component's name.
fn discriminator(schema: &Schema, members: &[ReferenceOr<Schema>]) -> Option<Tag> {
    let discriminator = schema.schema_data.discriminator.as_ref()?;
    let values = members
        .iter()
        .map(|member| {
            let ReferenceOr::Reference { reference } = member else {
                return Vec::new();
            };
            let mapped: Vec<String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference)
                .map(|(value, _)| value.clone())
                .collect();
            if !mapped.is_empty() || !discriminator.mapping.is_empty() {
                return mapped;
            }
            reference
                .rsplit('/')
                .next()
                .map(|name| vec![name.to_string()])
                .unwrap_or_default()
        })
        .collect();
    Some(Tag {
        property: discriminator.property_name.clone(),
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_values_follow_the_bullet_convention() {
        assert_eq!(
            listed_values(Some("Identifier type.\n* NATIONAL_ID - ")),
            ["NATIONAL_ID"]
        );
        assert_eq!(
            listed_values(Some("Status.\n* ACTIVE - on\n* INACTIVE - off")),
            ["ACTIVE", "INACTIVE"]
        );
        assert!(listed_values(Some("Just prose.\n* a note - not a value")).is_empty());
        assert!(listed_values(None).is_empty());
    }
}
