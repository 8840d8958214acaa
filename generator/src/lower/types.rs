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

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_lines, one_line};
use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::model::{Example, Field, TypeDef, Variant};
use crate::names;
use crate::pointer::Pointer;

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
}

/// The structural identity of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Shape {
    /// An object's named fields, and the type of the other properties it allows, if any.
    Struct(Vec<FieldShape>, Option<Ty>),
    /// A string enum; always open to values added later.
    Enum(Vec<String>),
    /// `oneOf`/`anyOf`, decoded by trying each variant in order.
    Union(Vec<Ty>, Option<Tag>),
}

/// A union's discriminator: the property, and the values that select each variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Tag {
    property: String,
    values: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct FieldShape {
    wire: String,
    ty: Ty,
    required: bool,
    nullable: bool,
}

/// What one collected shape knows beyond its shape: names, docs, where it was seen.
#[derive(Debug)]
struct Entry {
    shape: Shape,
    titles: Vec<String>,
    contexts: Vec<String>,
    doc: Vec<String>,
    member_docs: Vec<Vec<String>>,
    origin: Pointer,
    /// Every place the shape was met (its occurrences), to hand names to the next pass.
    pointers: Vec<Pointer>,
    occurrences: usize,
    features: BTreeSet<String>,
}

/// Where a schema sits, for its fallback name and its error messages.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub pointer: Pointer,
    /// The name to use if the schema has no title, e.g. `CreateIdentifierRequest`.
    pub name: String,
    pub feature: String,
}

/// The result of lowering one schema: its type and whether `null` is allowed.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub ty: Ty,
    pub nullable: bool,
}

pub struct Collector<'a> {
    spec: &'a LoadedSpec,
    entries: IndexMap<Shape, Entry>,
    /// `$ref`s being lowered right now, to report recursion instead of overflowing the stack.
    in_progress: Vec<String>,
    /// Every `example`/`examples` value met, by its pointer, with the type it must decode as.
    examples: BTreeMap<String, Lowered>,
    /// Examples whose type is a runtime type, not a generated one (problem documents).
    runtime_examples: BTreeMap<String, String>,
    /// The final names of the previous lowering pass, by the pointer of each occurrence.
    parent_names: BTreeMap<Pointer, String>,
}

impl<'a> Collector<'a> {
    /// A collector that names children after the names `parent_names` gives their parents
    /// (empty on the first pass: titles and contexts then).
    pub fn new(spec: &'a LoadedSpec, parent_names: BTreeMap<Pointer, String>) -> Self {
        Self {
            parent_names,
            spec,
            entries: IndexMap::new(),
            in_progress: Vec::new(),
            examples: BTreeMap::new(),
            runtime_examples: BTreeMap::new(),
        }
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
        if self.in_progress.iter().any(|r| r == reference) {
            return Err(self.invalid(
                &ctx.pointer,
                format!("recursive schema through `{reference}` is not supported yet"),
            ));
        }
        let (schema, target) = self.resolve_schema(reference, &ctx.pointer)?;
        // A component's name is its title when it has none of its own.
        let name = target
            .segments()
            .last()
            .and_then(|n| names::type_ident(n))
            .unwrap_or_else(|| ctx.name.clone());
        let inner = Ctx {
            pointer: target,
            name,
            feature: ctx.feature.clone(),
        };
        self.in_progress.push(reference.to_string());
        let lowered = self.lower_schema(&schema, &inner);
        self.in_progress.pop();
        lowered
    }

    fn resolve_schema(&self, reference: &str, at: &Pointer) -> Result<(Schema, Pointer)> {
        let target = Pointer::parse_ref(reference);
        let node = target.as_ref().and_then(|t| t.resolve(&self.spec.raw));
        let (Some(target), Some(node)) = (target, node) else {
            return Err(Error::UnresolvedRef {
                location: self.spec.locate(at),
                target: reference.to_string(),
                reason: "no such node in this document".into(),
            });
        };
        let schema = serde_json::from_value::<Schema>(node.clone())
            .map_err(|e| self.invalid(&target, format!("not a schema: {e}")))?;
        Ok((schema, target))
    }

    fn lower_schema(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Lowered> {
        let lowered = self.lower_schema_kind(schema, ctx)?;
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
        }
        if !values.is_empty() {
            let docs = values.iter().map(|_| Vec::new()).collect();
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
        let item_ctx = Ctx {
            pointer: ctx.pointer.push("items"),
            name: format!("{}Item", ctx.name),
            feature: ctx.feature.clone(),
        };
        let item = self.lower_boxed(items, &item_ctx)?;
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
                    let value_ctx = Ctx {
                        pointer: ctx.pointer.push("additionalProperties"),
                        name: format!("{}Value", ctx.name),
                        feature: ctx.feature.clone(),
                    };
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
            let field_ctx = Ctx {
                pointer: ctx.pointer.push("properties").push(wire),
                name: format!(
                    "{own_name}{}",
                    names::type_ident(wire).unwrap_or_else(|| "Field".into())
                ),
                feature: ctx.feature.clone(),
            };
            let lowered = self.lower_boxed(property, &field_ctx)?;
            docs.push(self.property_doc(property, &field_ctx.pointer));
            fields.push(FieldShape {
                wire: wire.clone(),
                ty: lowered.ty,
                required: o.required.contains(wire),
                nullable: lowered.nullable,
            });
        }
        let extra = self.lower_extra(o, ctx, &own_name)?;
        Ok(self.register(Shape::Struct(fields, extra), schema, ctx, docs))
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
                let value_ctx = Ctx {
                    pointer: ctx.pointer.push("additionalProperties"),
                    name: format!("{own_name}Value"),
                    feature: ctx.feature.clone(),
                };
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
        let mut nullable = false;
        for (index, member) in members.iter().enumerate() {
            let member_ctx = Ctx {
                pointer: ctx.pointer.push(keyword).push(index),
                name: format!("{own_name}Variant{}", index + 1),
                feature: ctx.feature.clone(),
            };
            let lowered = self.lower(member, &member_ctx)?;
            // A member that admits null makes the whole value nullable.
            nullable |= lowered.nullable;
            variants.push(lowered.ty);
        }
        let docs = variants.iter().map(|_| Vec::new()).collect();
        let tag = discriminator(schema, members);
        let ty = self.register(Shape::Union(variants, tag), schema, ctx, docs);
        Ok(Lowered { ty, nullable })
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

    /// The name a schema's children are named after: its final name from the previous pass,
    /// else its title, else its context name.
    fn own_name(&self, schema: &Schema, ctx: &Ctx) -> String {
        if let Some(name) = self.parent_names.get(&ctx.pointer) {
            return name.clone();
        }
        schema
            .schema_data
            .title
            .as_deref()
            .and_then(names::type_ident)
            .unwrap_or_else(|| ctx.name.clone())
    }

    /// The name every occurrence gets under the current naming, for the next pass.
    pub fn occurrence_names(&self) -> BTreeMap<Pointer, String> {
        let names = assign_names(&self.entries);
        self.entries
            .values()
            .zip(names)
            .flat_map(|(entry, name)| {
                entry
                    .pointers
                    .iter()
                    .map(move |p| (p.clone(), name.clone()))
            })
            .collect()
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
        let index = match self.entries.entry(shape.clone()) {
            indexmap::map::Entry::Occupied(o) => o.index(),
            indexmap::map::Entry::Vacant(v) => {
                let index = v.index();
                v.insert(Entry {
                    shape,
                    titles: Vec::new(),
                    contexts: Vec::new(),
                    doc: Vec::new(),
                    member_docs: Vec::new(),
                    origin: ctx.pointer.clone(),
                    pointers: Vec::new(),
                    occurrences: 0,
                    features: BTreeSet::new(),
                });
                index
            }
        };
        let entry = &mut self.entries[index];
        entry.occurrences += 1;
        entry.pointers.push(ctx.pointer.clone());
        entry.features.insert(ctx.feature.clone());
        if let Some(title) = data.title.as_deref().and_then(names::type_ident) {
            entry.titles.push(title);
        }
        entry.contexts.push(ctx.name.clone());
        if entry.doc.is_empty() {
            entry.doc = doc_lines(data.description.as_deref());
        }
        merge_docs(&mut entry.member_docs, member_docs);
        Ty::Named(index)
    }

    fn invalid(&self, at: &Pointer, message: String) -> Error {
        Error::Invalid {
            location: self.spec.locate(at),
            message,
        }
    }

    /// Pass 2: names every entry and produces the type definitions, sorted by name.
    pub fn finish(self) -> Types {
        let names = assign_names(&self.entries);
        let defs = self
            .entries
            .values()
            .zip(&names)
            .map(|(entry, name)| type_def(entry, name, &names, &self.entries))
            .collect::<Vec<_>>();
        let mut defs = defs;
        defs.sort_by(|a, b| a.name.cmp(&b.name));
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
        Types {
            names,
            defs,
            examples,
        }
    }
}

/// The collected types, named.
pub struct Types {
    names: Vec<String>,
    pub defs: Vec<TypeDef>,
    pub examples: Vec<Example>,
}

impl Types {
    /// The Rust type for `ty`, seen from outside the `models` module.
    pub fn rust(&self, ty: &Ty) -> String {
        tidy(&rust_type(ty, &self.names, Some("models")))
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
    let Some(description) = description else {
        return Vec::new();
    };
    let values: Vec<String> = description
        .lines()
        .filter_map(|line| line.trim().strip_prefix("* "))
        .filter_map(|item| item.split_once(" -").map(|(value, _)| value.trim()))
        .filter(|value| {
            !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        })
        .map(str::to_string)
        .collect();
    values
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

/// Names shared by the prelude or the crates the models use; a type with one of these names
/// would shadow them inside `models`.
const RESERVED: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Clone",
    "Debug",
    "Serialize",
    "Deserialize",
    "Uuid",
    "DateTime",
    "Utc",
    "NaiveDate",
    "BTreeMap",
];

fn assign_names(entries: &IndexMap<Shape, Entry>) -> Vec<String> {
    // The name each entry would like: its most used title, else its first context.
    let wanted: Vec<String> = entries.values().map(preferred_name).collect();
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, name) in wanted.iter().enumerate() {
        by_name.entry(name).or_default().push(index);
    }
    let mut names = wanted.clone();
    for indices in by_name.values() {
        let mut ranked = indices.clone();
        // Most used first; first seen breaks ties.
        ranked.sort_by_key(|&i| (std::cmp::Reverse(entries[i].occurrences), i));
        for &i in ranked.iter().skip(1) {
            names[i] = entries[i]
                .contexts
                .iter()
                .find(|c| **c != wanted[i])
                .cloned()
                .unwrap_or_else(|| wanted[i].clone());
        }
    }
    make_unique(names)
}

fn preferred_name(entry: &Entry) -> String {
    let name = most_common(&entry.titles)
        .or_else(|| most_common(&entry.contexts))
        .unwrap_or_else(|| "Unnamed".to_string());
    if RESERVED.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// The most frequent name; among equally frequent ones, the first seen.
fn most_common(names: &[String]) -> Option<String> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (order, name) in names.iter().enumerate() {
        counts.entry(name).or_insert((0, order)).0 += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, (count, first))| (*count, std::cmp::Reverse(*first)))
        .map(|(name, _)| name.to_string())
}

/// Appends 2, 3, ... to names that are still taken, in entry order.
fn make_unique(names: Vec<String>) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    names
        .into_iter()
        .map(|name| {
            let mut candidate = name.clone();
            let mut n = 2;
            while !taken.insert(candidate.clone()) {
                candidate = format!("{name}{n}");
                n += 1;
            }
            candidate
        })
        .collect()
}

fn type_def(
    entry: &Entry,
    name: &str,
    names: &[String],
    entries: &IndexMap<Shape, Entry>,
) -> TypeDef {
    let (kind, fields, variants) = match &entry.shape {
        Shape::Struct(fields, _) => (
            "struct",
            struct_fields(fields, &entry.member_docs, names),
            vec![],
        ),
        Shape::Enum(values) => ("enum", vec![], enum_variants(values)),
        Shape::Union(members, tag) => (
            "union",
            vec![],
            union_variants(members, tag.as_ref(), names, entries),
        ),
    };
    let has_secrets = fields.iter().any(|f| f.secret);
    let mut doc = entry.doc.clone();
    if doc.is_empty() {
        doc.push(format!("`{name}` (no description in the API)."));
    }
    TypeDef {
        name: name.to_string(),
        doc,
        kind: kind.to_string(),
        fields,
        variants,
        features: entry.features.iter().cloned().collect(),
        occurrences: entry.occurrences,
        origin: entry.origin.to_string(),
        has_secrets,
        discriminator: match &entry.shape {
            Shape::Union(_, Some(tag)) => Some(tag.property.clone()),
            _ => None,
        },
        extra: match &entry.shape {
            Shape::Struct(_, Some(extra)) => Some(tidy(&rust_type(extra, names, None))),
            _ => None,
        }, // Filled in by `inputs::struct_inputs` once every type is named.
        constructor: None,
        setters: Vec::new(),
        default: false,
    }
}

fn struct_fields(fields: &[FieldShape], docs: &[Vec<String>], names: &[String]) -> Vec<Field> {
    let mut used = BTreeSet::new();
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let base = names::snake_ident(&f.wire).unwrap_or_else(|| format!("field_{i}"));
            let ident = unique_field(&mut used, base);
            let inner = rust_type(&f.ty, names, None);
            let rust_type = match (f.required, f.nullable) {
                (true, false) => inner,
                (true, true) | (false, false) => quote!(Option<#inner>),
                (false, true) => quote!(Option<Option<#inner>>),
            };
            Field {
                ident,
                wire: f.wire.clone(),
                rust_type: tidy(&rust_type),
                required: f.required,
                nullable: f.nullable,
                doc: field_doc(docs.get(i), &f.wire),
                secret: is_secret(&f.wire),
            }
        })
        .collect()
}

/// Property names that hold credentials (the token request's `client_secret`, the token
/// response's `access_token`): secrets never appear in `Debug` output.
const SECRET_NAMES: &[&str] = &[
    "access_token",
    "api_key",
    "client_secret",
    "id_token",
    "password",
    "private_key",
    "refresh_token",
    "secret",
];

fn is_secret(wire: &str) -> bool {
    SECRET_NAMES.contains(&wire.to_ascii_lowercase().as_str())
}

/// Two wire names can become one identifier (`fooBar`, `foo_bar`); later ones get `_2`, `_3`.
fn unique_field(used: &mut BTreeSet<String>, base: String) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let stem = base
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .to_string();
    (2..)
        .map(|n| format!("{stem}_{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(base)
}

fn field_doc(doc: Option<&Vec<String>>, wire: &str) -> Vec<String> {
    match doc {
        Some(doc) if !doc.is_empty() => doc.clone(),
        _ => vec![format!("`{}` (no description in the API).", one_line(wire))],
    }
}

fn enum_variants(values: &[String]) -> Vec<Variant> {
    // `Unknown` is the catch-all variant every enum has; a listed value may not take its name.
    let idents = make_unique(
        values
            .iter()
            .map(|v| match names::variant_ident(v) {
                ident if ident == "Unknown" => "UnknownValue".to_string(),
                ident => ident,
            })
            .collect(),
    );
    values
        .iter()
        .zip(idents)
        .map(|(value, ident)| Variant {
            ident,
            wire: value.clone(),
            rust_type: None,
            doc: Vec::new(),
            fields: Vec::new(),
            tags: Vec::new(),
        })
        .collect()
}

fn union_variants(
    members: &[Ty],
    tag: Option<&Tag>,
    names: &[String],
    entries: &IndexMap<Shape, Entry>,
) -> Vec<Variant> {
    let idents = make_unique(members.iter().map(|ty| variant_name(ty, names)).collect());
    members
        .iter()
        .zip(idents)
        .enumerate()
        .map(|(index, (ty, ident))| Variant {
            ident,
            wire: String::new(),
            rust_type: Some(tidy(&rust_type(ty, names, None))),
            doc: Vec::new(),
            fields: struct_wire_names(ty, entries),
            tags: tag
                .and_then(|t| t.values.get(index))
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

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

/// The property names of a struct variant: a union picks the variant that knows most of the
/// fields of the value (structs accept unknown fields, so the first that decodes may be wrong).
fn struct_wire_names(ty: &Ty, entries: &IndexMap<Shape, Entry>) -> Vec<String> {
    match ty {
        Ty::Named(i) => match entries.get_index(*i).map(|(shape, _)| shape) {
            Some(Shape::Struct(fields, _)) => fields.iter().map(|f| f.wire.clone()).collect(),
            // A union's variant knows what its own variants know.
            Some(Shape::Union(members, _)) => {
                let mut names: Vec<String> = members
                    .iter()
                    .flat_map(|m| struct_wire_names(m, entries))
                    .collect();
                names.sort();
                names.dedup();
                names
            }
            _ => Vec::new(),
        },
        // A list is scored by its items.
        Ty::Vec(inner) => struct_wire_names(inner, entries),
        _ => Vec::new(),
    }
}

fn variant_name(ty: &Ty, names: &[String]) -> String {
    match ty {
        Ty::Named(i) => names[*i].clone(),
        Ty::Vec(inner) => format!("{}List", variant_name(inner, names)),
        Ty::Map(inner) => format!("{}Map", variant_name(inner, names)),
        other => format!("{other:?}"),
    }
}

/// A type as text the way people write it (`Vec<crate::models::X>`), not with the spaces
/// between tokens that `TokenStream::to_string` puts in (`Vec < crate :: models :: X >`): the
/// text also appears in docs and READMEs, where no formatter tidies it.
fn tidy(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// The Rust type of `ty`; named types are qualified with `module` when given.
fn rust_type(ty: &Ty, names: &[String], module: Option<&str>) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Uuid => quote!(uuid::Uuid),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(serde_json::Value),
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Vec(inner) => {
            let inner = rust_type(inner, names, module);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner, names, module);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Named(i) => {
            let name = format_ident!("{}", names[*i]);
            match module {
                Some(m) => {
                    let m = format_ident!("{}", m);
                    quote!(crate::#m::#name)
                }
                None => quote!(#name),
            }
        }
    }
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

    #[test]
    fn most_used_title_wins_and_ties_keep_first_seen() {
        let entry = |titles: &[&str]| Entry {
            shape: Shape::Enum(vec![]),
            titles: titles.iter().map(|t| t.to_string()).collect(),
            contexts: vec!["Ctx".into()],
            doc: vec![],
            member_docs: vec![],
            origin: Pointer::root(),
            pointers: vec![],
            occurrences: titles.len(),
            features: BTreeSet::new(),
        };
        assert_eq!(preferred_name(&entry(&["B", "A", "A"])), "A");
        assert_eq!(preferred_name(&entry(&["B", "A"])), "B");
        assert_eq!(preferred_name(&entry(&[])), "Ctx");
        assert_eq!(
            most_common(&["B".into(), "A".into(), "A".into()]).as_deref(),
            Some("A")
        );
        assert_eq!(preferred_name(&entry(&["Option"])), "OptionType");
    }

    #[test]
    fn type_text_is_tidy() {
        let ty = Ty::Map(Box::new(Ty::Vec(Box::new(Ty::Named(0)))));
        let names = vec!["Account".to_string()];
        assert_eq!(
            tidy(&rust_type(&ty, &names, Some("models"))),
            "std::collections::BTreeMap<String, Vec<crate::models::Account>>"
        );
        let nested = quote!(Option<Option<chrono::DateTime<chrono::Utc>>>);
        assert_eq!(
            tidy(&nested),
            "Option<Option<chrono::DateTime<chrono::Utc>>>"
        );
    }

    #[test]
    fn unique_names_get_suffixes() {
        let names = make_unique(vec!["A".into(), "A".into(), "B".into(), "A".into()]);
        assert_eq!(names, ["A", "A2", "B", "A3"]);
    }
}
