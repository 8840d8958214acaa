//! The collector's walk over schemas: references, compositions, objects, lists, strings to [`Ty`].

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde::Deserialize as _;

use super::super::docs::{doc_lines, listed_values};
use super::collector::{Collector, Component, Ctx};
use super::cycles::boxed_in_cycle;
use super::shape::{FieldShape, Limits, Lowered, Shape, Tag, Ty};
use super::slots::Member;
use crate::describe::one_line;
use crate::describe::operations::component as parsed_component;
use crate::error::{Error, Result};
use crate::names;
use crate::pointer::Pointer;

impl<'a> Collector<'a> {
    /// Lowers the schema of the media type at `media_at` and records the media type's examples
    /// with the type they must decode as.
    pub fn lower_media(
        &mut self,
        schema: &ReferenceOr<Schema>,
        ctx: &Ctx,
        media: &openapiv3::MediaType,
        media_at: &Pointer,
    ) -> Result<Lowered> {
        let lowered = self.lower(schema, ctx)?;
        self.note_examples(media_at, media.example.as_ref(), &media.examples, &lowered);
        Ok(lowered)
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

    pub(super) fn lower_ref(&mut self, reference: &str, ctx: &Ctx) -> Result<Lowered> {
        let key = crate::describe::ref_cycles::canonical(reference);
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
        // A merge outside this reference is not repeated by merging inside it.
        let merging = std::mem::take(&mut self.merging);
        let lowered = match node.get("$ref") {
            // A schema that is only a reference stands for what it refers to.
            Some(next) => match next.as_str() {
                Some(next) => {
                    let alias = Ctx {
                        pointer: target.clone(),
                        ..ctx.clone()
                    };
                    self.lower_ref(next, &alias)
                }
                None => Err(self.invalid(&target.push("$ref"), "a $ref must be a string".into())),
            },
            None => self.lower_target(node, target, ctx),
        };
        self.in_progress.pop();
        self.merging = merging;
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
    pub(super) fn lower_target(
        &mut self,
        node: &serde_json::Value,
        target: Pointer,
        ctx: &Ctx,
    ) -> Result<Lowered> {
        let schema = self.schema_at(node, &target)?;
        // A component is named after itself, not after where it is used.
        let (name, parent) = match target.segments().last().and_then(|n| names::type_ident(n)) {
            Some(component) => (component, None),
            None => (ctx.name.clone(), ctx.parent.clone()),
        };
        // The place stays where the schema is used: moving a schema into components, renaming
        // or deduplicating it there, or writing it out again, moves none of its places.
        let inner = Ctx {
            place: ctx.place.clone(),
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

    /// The schema `node` (at `target`, not a reference) is: the parsed component when it is one
    /// of `#/components/schemas`, else parsed from the raw tree once and kept by its pointer.
    fn schema_at(&self, node: &serde_json::Value, target: &Pointer) -> Result<Target<'a>> {
        if let Some(schema) = parsed_component::<Schema>(&self.spec.api, target) {
            return Ok(Target::Component(schema));
        }
        if let Some(parsed) = self.parsed.borrow().get(target) {
            return Ok(Target::Parsed(parsed.clone()));
        }
        let schema = Schema::deserialize(node)
            .map_err(|e| self.invalid(target, format!("not a schema: {e}")))?;
        let parsed = std::rc::Rc::new(schema);
        self.parsed
            .borrow_mut()
            .insert(target.clone(), parsed.clone());
        Ok(Target::Parsed(parsed))
    }

    /// The schema a reference points at, following references that point at references.
    pub(super) fn resolve_schema(
        &self,
        reference: &str,
        at: &Pointer,
    ) -> Result<(Target<'a>, Pointer)> {
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
            let schema = self.schema_at(node, &target)?;
            return Ok((schema, target));
        }
        Err(self.invalid(
            at,
            format!("more than {MAX_REFERENCE_HOPS} references in a row from here"),
        ))
    }

    pub(super) fn lower_schema(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Lowered> {
        if self.depth >= MAX_SCHEMA_DEPTH {
            return Err(self.invalid(
                &ctx.pointer,
                format!(
                    "schemas nested more than {MAX_SCHEMA_DEPTH} deep from here (a schema that \
                     contains itself other than through a `$ref`?)"
                ),
            ));
        }
        self.depth += 1;
        let lowered = self.lower_schema_kind(schema, ctx);
        self.depth -= 1;
        let lowered = lowered?;
        if schema.schema_data.example.is_some() {
            self.examples
                .insert(ctx.pointer.push("example").to_string(), lowered.clone());
        }
        Ok(lowered)
    }

    pub(super) fn lower_schema_kind(&mut self, schema: &Schema, ctx: &Ctx) -> Result<Lowered> {
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

    pub(super) fn lower_string(
        &mut self,
        schema: &Schema,
        s: &openapiv3::StringType,
        ctx: &Ctx,
    ) -> Result<Ty> {
        use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as F};
        let mut values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
        let from_prose = values.is_empty();
        if from_prose {
            // Values read from the description's prose make an open enum whatever the examples
            // say: examples document, they must not decide types (an example that gains a value
            // would turn an enum into a string). A value not listed decodes as `Unknown`.
            values = listed_values(schema.schema_data.description.as_deref());
            // Prose is documentation too: where the previous generation read values from it,
            // they stay, whatever the description now says (a reworded description must not
            // turn an enum back into a string, nor drop a variant).
            if let Some(recorded) = self.recorded(ctx).and_then(|n| self.lock_listed.get(n)) {
                for value in recorded {
                    if !values.contains(value) {
                        values.push(value.clone());
                    }
                }
            }
        }
        if !values.is_empty() {
            // The meanings the description lists document the variants.
            let meanings =
                super::super::docs::listed_meanings(schema.schema_data.description.as_deref());
            let docs = values
                .iter()
                .map(|v| super::super::docs::variant_doc(v, &meanings))
                .collect();
            let ty = self.register(Shape::Enum(values), schema, ctx, docs);
            if let (Ty::Named(index), true) = (&ty, from_prose) {
                self.entries[*index].listed = true;
            }
            return Ok(ty);
        }
        Ok(match &s.format {
            F::Item(StringFormat::DateTime) => Ty::DateTime,
            F::Item(StringFormat::Date) => Ty::Date,
            F::Unknown(f) if f == "uuid" => Ty::Uuid,
            _ => Ty::String,
        })
    }

    pub(super) fn lower_array(&mut self, a: &openapiv3::ArrayType, ctx: &Ctx) -> Result<Ty> {
        let Some(items) = &a.items else {
            return Ok(Ty::Vec(Box::new(Ty::Json)));
        };
        let item_ctx = ctx.inner("items", "Item");
        let item = self.lower_boxed(items, &item_ctx)?;
        Ok(Ty::Vec(Box::new(item.ty)))
    }

    pub(super) fn lower_object(
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
            let lowered = self.lower_boxed(property, &field_ctx)?;
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
    pub(super) fn lower_extra(
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
    pub(super) fn lower_all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ctx: &Ctx,
    ) -> Result<Lowered> {
        // The nullable-reference idiom on a recursive schema (`parent: {allOf: [{$ref: Node}],
        // nullable: true}`): merging Node's properties here would merge them again at `parent`
        // inside, forever; through the reference, the cycle becomes a `Box`.
        if let Some(index) = self.single_recursive_member(members) {
            let member_ctx = Ctx {
                pointer: ctx.pointer.push("allOf").push(index),
                ..ctx.clone()
            };
            return self.lower(&members[index], &member_ctx);
        }
        let mut merged = openapiv3::ObjectType::default();
        let mut others = Vec::new();
        let mut merged_refs = Vec::new();
        // Whether each merged member admits null: all of them must for the merge to (OpenAPI
        // 3.1's `type: [object, "null"]` on each member says what 3.0's outer `nullable` does).
        let mut merged_nullable = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let at = ctx.pointer.push("allOf").push(index);
            let resolved = match member {
                ReferenceOr::Item(s) => Target::Inline(s),
                ReferenceOr::Reference { reference } => {
                    let key = crate::describe::ref_cycles::canonical(reference);
                    if self.merging.contains(&key) {
                        return Err(self.invalid(
                            &at,
                            format!(
                                "`allOf` merges `{reference}` into a schema inside `{reference}` \
                                 itself: the object would contain itself without end (refer to \
                                 it with a `$ref` alone instead)"
                            ),
                        ));
                    }
                    let resolved = self.resolve_schema(reference, &at)?.0;
                    if matches!(resolved.schema_kind, SchemaKind::Type(Type::Object(_))) {
                        merged_refs.push(key);
                    }
                    resolved
                }
            };
            // A member that is itself an `allOf` of objects (a schema built in layers, each
            // a `$ref` to the one below): its objects are merged here as well.
            if let Some(all_of) = layered_all_of(&resolved.schema_kind) {
                if let Some(mut parts) = self.object_parts(all_of, &at, 0)? {
                    if let SchemaKind::Any(any) = &resolved.schema_kind {
                        parts.object.properties.extend(any.properties.clone());
                        parts.object.required.extend(any.required.iter().cloned());
                    }
                    merged_nullable.push(resolved.schema_data.nullable);
                    merged.properties.extend(parts.object.properties);
                    merged.required.extend(parts.object.required);
                    merged_refs.extend(parts.refs);
                    continue;
                }
            }
            match &resolved.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    merged_nullable.push(resolved.schema_data.nullable);
                    merged.properties.extend(o.properties.clone());
                    merged.required.extend(o.required.iter().cloned());
                }
                SchemaKind::Any(any) if only_annotates(any) => {}
                SchemaKind::Any(any) if any.typ.is_none() && !any.properties.is_empty() => {
                    merged_nullable.push(resolved.schema_data.nullable);
                    merged.properties.extend(any.properties.clone());
                    merged.required.extend(any.required.iter().cloned());
                }
                _ => others.push((member, at, scalar_kind(&resolved))),
            }
        }
        match others.as_slice() {
            [] => {
                let depth = self.merging.len();
                self.merging.extend(merged_refs);
                let ty = self.lower_object(schema, &merged, ctx);
                self.merging.truncate(depth);
                Ok(Lowered {
                    ty: ty?,
                    nullable: !merged_nullable.is_empty() && merged_nullable.iter().all(|n| *n),
                })
            }
            [(member, at, _)] if merged.properties.is_empty() => {
                let member_ctx = Ctx {
                    pointer: at.clone(),
                    ..ctx.clone()
                };
                self.lower(member, &member_ctx)
            }
            [_, _, ..] if merged.properties.is_empty() => {
                let scalars: Option<Vec<_>> = others
                    .iter()
                    .map(|(member, at, kind)| kind.clone().map(|k| (*member, at, k)))
                    .collect();
                let Some(scalars) = scalars else {
                    let (_, at, _) = &others[1];
                    return Err(self.invalid(
                        at,
                        "allOf can only merge objects, or scalars of one kind, or annotate a \
                         single schema"
                            .to_string(),
                    ));
                };
                self.lower_scalar_all_of(&scalars, ctx)
            }
            [_, (_, at, _), ..] | [(_, at, _)] => Err(self.invalid(
                at,
                "allOf can only merge objects, or annotate a single schema".to_string(),
            )),
        }
    }

    /// The properties and required lists of an `allOf` whose members are all objects (or
    /// annotations, or `allOf`s of objects in turn); `None` when one is anything else. Bounded
    /// like every walk: a deeper nesting is an error, not a stack overflow.
    fn object_parts(
        &self,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
        depth: usize,
    ) -> Result<Option<ObjectParts>> {
        if depth > MAX_SCHEMA_DEPTH {
            return Err(self.invalid(
                at,
                format!("`allOf`s nested more than {MAX_SCHEMA_DEPTH} deep"),
            ));
        }
        let mut parts = ObjectParts::default();
        for (index, member) in members.iter().enumerate() {
            let member_at = at.push("allOf").push(index);
            let resolved = match member {
                ReferenceOr::Item(s) => Target::Inline(s),
                ReferenceOr::Reference { reference } => {
                    let key = crate::describe::ref_cycles::canonical(reference);
                    if self.merging.contains(&key) || parts.refs.contains(&key) {
                        return Ok(None);
                    }
                    parts.refs.push(key);
                    self.resolve_schema(reference, &member_at)?.0
                }
            };
            match &resolved.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    parts.object.properties.extend(o.properties.clone());
                    parts.object.required.extend(o.required.iter().cloned());
                }
                SchemaKind::Any(any) if only_annotates(any) => {}
                SchemaKind::Any(any) if any.typ.is_none() && !any.properties.is_empty() => {
                    parts.object.properties.extend(any.properties.clone());
                    parts.object.required.extend(any.required.iter().cloned());
                }
                kind if layered_all_of(kind).is_some() => {
                    let all_of = layered_all_of(kind).unwrap_or_default();
                    let Some(inner) = self.object_parts(all_of, &member_at, depth + 1)? else {
                        return Ok(None);
                    };
                    if let SchemaKind::Any(any) = kind {
                        parts.object.properties.extend(any.properties.clone());
                        parts.object.required.extend(any.required.iter().cloned());
                    }
                    parts.object.properties.extend(inner.object.properties);
                    parts.object.required.extend(inner.object.required);
                    parts.refs.extend(inner.refs);
                }
                _ => return Ok(None),
            }
        }
        Ok(Some(parts))
    }

    /// `allOf` of scalars (a `$ref` to a string enum and `{type: string, nullable: true}` that
    /// annotates it): the value is all of them at once, so the most constrained member is the
    /// type (an enum, else a typed format, else a reference, which keeps its name), nullable
    /// when a member says so. Scalars of different kinds, or two enums or formats that differ,
    /// cannot be one value: an error.
    fn lower_scalar_all_of(
        &mut self,
        members: &[(&ReferenceOr<Schema>, &Pointer, ScalarKind)],
        ctx: &Ctx,
    ) -> Result<Lowered> {
        let family = |k: &ScalarKind| match k.family {
            Family::Integer | Family::Number => Family::Number,
            other => other,
        };
        if let Some((_, at, _)) = members
            .iter()
            .find(|(_, _, k)| family(k) != family(&members[0].2))
        {
            return Err(self.invalid(
                at,
                "allOf of scalars of different types (a string and a number?) admits no value"
                    .into(),
            ));
        }
        let differing = |pick: &dyn Fn(&ScalarKind) -> Option<&Vec<String>>| {
            let mut sets = members.iter().filter_map(|(_, at, k)| Some((at, pick(k)?)));
            let first = sets.next()?.1;
            sets.find(|(_, set)| *set != first).map(|(at, _)| at)
        };
        if let Some(at) = differing(&|k| k.values.as_ref()) {
            return Err(self.invalid(
                at,
                "allOf of enums with different values; write the one enum".into(),
            ));
        }
        if let Some(at) = differing(&|k| k.format.as_ref()) {
            return Err(self.invalid(
                at,
                "allOf of strings with different formats admits no value".into(),
            ));
        }
        // The most constrained member; among equals, a reference (it has a name).
        let rank = |(member, _, k): &(&ReferenceOr<Schema>, &Pointer, ScalarKind)| {
            (
                k.values.is_some(),
                k.format.is_some(),
                k.family == Family::Integer,
                matches!(member, ReferenceOr::Reference { .. }),
            )
        };
        let chosen = members
            .iter()
            .enumerate()
            .max_by_key(|(index, m)| (rank(m), std::cmp::Reverse(*index)))
            .map(|(_, m)| m);
        let Some((member, at, _)) = chosen else {
            return Ok(Lowered {
                ty: Ty::Json,
                nullable: false,
            });
        };
        let member_ctx = Ctx {
            pointer: (*at).clone(),
            ..ctx.clone()
        };
        let lowered = self.lower(member, &member_ctx)?;
        Ok(Lowered {
            ty: lowered.ty,
            nullable: lowered.nullable || members.iter().any(|(_, _, k)| k.nullable),
        })
    }

    /// The index of the one `allOf` member that is a reference into a cycle, when every other
    /// member only annotates (no type, no properties, no composition).
    fn single_recursive_member(&self, members: &[ReferenceOr<Schema>]) -> Option<usize> {
        let mut found = None;
        for (index, member) in members.iter().enumerate() {
            match member {
                ReferenceOr::Reference { .. } if found.is_none() => found = Some(index),
                ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Any(any) if only_annotates(any)) =>
                    {}
                _ => return None,
            }
        }
        found
    }

    pub(super) fn lower_union(
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
        let flat = self.flat_members(
            schema,
            members,
            &ctx.pointer.push(keyword),
            &[keyword.to_string()],
            ctx,
        );
        let slots = self.member_slots(&flat, ctx);
        let mut variants = Vec::new();
        let mut limits = Vec::new();
        let mut nullable = false;
        for (index, (flat_member, slot)) in flat.iter().zip(&slots).enumerate() {
            let member: &ReferenceOr<Schema> = &flat_member.schema;
            let slot: Vec<&str> = slot.iter().map(String::as_str).collect();
            let (suffix, titled) = member_suffix(member, index, ctx);
            let mut member_ctx = ctx.member(flat_member.pointer.clone(), &slot, &own_name, suffix);
            if let Some(parent) = &mut member_ctx.parent {
                parent.titled = titled;
            }
            let lowered = self.lower(member, &member_ctx)?;
            // A member that admits null makes the whole value nullable.
            nullable |= lowered.nullable;
            variants.push(boxed_in_cycle(lowered.ty));
            limits.push(self.limits(member));
        }
        // A member's own description says what its variant holds (two string members differ
        // by what their descriptions say).
        let docs = flat
            .iter()
            .map(|m| match &*m.schema {
                ReferenceOr::Item(m) => doc_lines(m.schema_data.description.as_deref()),
                ReferenceOr::Reference { .. } => Vec::new(),
            })
            .collect();
        let titles = member_titles(flat.iter().map(|m| match &*m.schema {
            ReferenceOr::Item(m) => m.schema_data.title.as_deref(),
            ReferenceOr::Reference { .. } => None,
        }));
        let tag = discriminator(schema, members);
        let ty = self.register(Shape::Union(variants, tag, limits), schema, ctx, docs);
        if let Ty::Named(index) = ty {
            let entry = &mut self.entries[index];
            if entry.member_titles.is_empty() {
                entry.member_titles = titles;
            }
        }
        Ok(Lowered { ty, nullable })
    }

    /// A union's members with where each is (relative to the union): a member that is itself
    /// an untitled union (`oneOf: [{anyOf: [A, B]}, C]`, as Upvest writes its user lists) gives
    /// its members instead, so the type is `A | B | C` rather than a union holding an unnamed
    /// union. Not where a discriminator, an example, or nullability hangs on either. Whether an
    /// inner union is flattened is what the previous generation did (the record has types
    /// under `oneOf/<i>/anyOf/..`, or a union at `oneOf/<i>`), so that writing the inner union
    /// out inline or moving it into components changes nothing; without a record, one written
    /// inline is flattened and a component (which has a name) is not.
    fn flat_members<'s>(
        &self,
        schema: &Schema,
        members: &'s [ReferenceOr<Schema>],
        written_at: &Pointer,
        prefix: &[String],
        ctx: &Ctx,
    ) -> Vec<Member<'s>> {
        let mut flat = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let mut segments = prefix.to_vec();
            segments.push(index.to_string());
            let pointer = written_at.push(index);
            let keep = |flat: &mut Vec<Member<'s>>| {
                flat.push(Member {
                    schema: std::borrow::Cow::Borrowed(member),
                    pointer: pointer.clone(),
                    at: segments.clone(),
                })
            };
            if schema.schema_data.discriminator.is_some() {
                keep(&mut flat);
                continue;
            }
            let (inner, inner_at, is_ref) = match member {
                ReferenceOr::Item(inner) => (Target::Inline(inner), pointer.clone(), false),
                ReferenceOr::Reference { reference } => {
                    match self.resolve_schema(reference, &pointer) {
                        Ok((target, target_at)) => (target, target_at, true),
                        Err(_) => {
                            keep(&mut flat);
                            continue;
                        }
                    }
                }
            };
            let nested = match &inner.schema_kind {
                SchemaKind::OneOf { one_of } => Some(("oneOf", one_of)),
                SchemaKind::AnyOf { any_of } => Some(("anyOf", any_of)),
                _ => None,
            };
            let data = &inner.schema_data;
            let plain = data.title.is_none()
                && data.discriminator.is_none()
                && data.example.is_none()
                && !data.nullable;
            let Some((keyword, inner_members)) = nested.filter(|(_, m)| plain && m.len() > 1)
            else {
                keep(&mut flat);
                continue;
            };
            let flatten = match self.recorded_flattening(&ctx.place, &segments) {
                Some(flattened) => flattened,
                None => !is_ref,
            };
            if !flatten {
                keep(&mut flat);
                continue;
            }
            segments.push(keyword.to_string());
            let inner_schema: &Schema = &inner;
            let found = self.flat_members(
                inner_schema,
                inner_members,
                &inner_at.push(keyword),
                &segments,
                ctx,
            );
            // The inner union's members belong to `inner`, which may be a parsed schema that
            // lives only as long as this call: they are kept as owned copies.
            flat.extend(found.into_iter().map(|m| Member {
                schema: std::borrow::Cow::Owned(m.schema.into_owned()),
                pointer: m.pointer,
                at: m.at,
            }));
        }
        flat
    }

    /// Whether the previous generation flattened the union member at `segments` of the union at
    /// `place` (see [`Self::flat_members`]), judged by the members written as this one is
    /// (`oneOf/<any index>`): `Some(true)` if it recorded types inside an inner union of one
    /// such member but no type for that member itself, `Some(false)` if it recorded a type for
    /// a member itself, `None` if it recorded neither.
    fn recorded_flattening(&self, place: &Pointer, segments: &[String]) -> Option<bool> {
        let base = crate::lock::place_key(place);
        let depth = base.segments().len();
        let keyword_at = segments.len().checked_sub(2)?;
        // Per index of a member written as this one is: a type recorded at the member, and
        // types recorded inside an inner union of it.
        let mut seen: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
        for (key, _) in self
            .lock
            .range(base.clone()..)
            .take_while(|(key, _)| key.segments().starts_with(base.segments()))
        {
            let rest = &key.segments()[depth..];
            let written_alike = rest.len() >= segments.len()
                && rest[..keyword_at] == segments[..keyword_at]
                && rest[keyword_at] == segments[keyword_at]
                && rest[keyword_at + 1].parse::<usize>().is_ok();
            if !written_alike {
                continue;
            }
            let index = seen.entry(rest[keyword_at + 1].as_str()).or_default();
            match rest.get(segments.len()).map(String::as_str) {
                None => index.0 = true,
                Some("oneOf" | "anyOf") => index.1 = true,
                Some(_) => {}
            }
        }
        if seen.values().any(|&(itself, inside)| inside && !itself) {
            return Some(true);
        }
        seen.values().any(|&(itself, _)| itself).then_some(false)
    }

    /// The list bounds of a schema or of the schema its `$ref` points at.
    pub(super) fn limits<S: std::borrow::Borrow<Schema>>(&self, schema: &ReferenceOr<S>) -> Limits {
        Limits::of_ref(schema, |reference| {
            self.resolve_schema(reference, &Pointer::root())
                .ok()
                .map(|(s, _)| Limits::of(&s))
        })
    }

    /// A property's description: its own, else that of an `allOf` member that annotates it
    /// (`allOf: [{type: string}, {description: ...}]`), references followed.
    pub(super) fn property_doc(
        &self,
        property: &ReferenceOr<Box<Schema>>,
        at: &Pointer,
    ) -> Vec<String> {
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
        // A `$ref` with a sibling `description` (OpenAPI 3.1) describes this use of it.
        let beside_ref = match property {
            ReferenceOr::Reference { .. } => at
                .resolve(&self.spec.raw)
                .and_then(|n| n.get("description"))
                .and_then(|d| d.as_str()),
            ReferenceOr::Item(_) => None,
        };
        let own = beside_ref.or_else(|| node.get("description").and_then(|d| d.as_str()));
        let from_members = |key: &str| {
            node.get("allOf")?
                .as_array()?
                .iter()
                .find_map(|m| m.get(key)?.as_str())
        };
        let description = own.or_else(|| from_members("description"));
        let description = description.map(super::super::docs::without_empty_listed);
        let mut doc = doc_lines(description.as_deref());
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
        let deprecated = node.get("deprecated").and_then(|d| d.as_bool()) == Some(true)
            || node
                .get("allOf")
                .and_then(|m| m.as_array())
                .is_some_and(|m| m.iter().any(|m| m.get("deprecated") == Some(&true.into())));
        let deprecated = deprecated.then(|| DEPRECATED_NOTE.to_string());
        for note in notes.into_iter().flatten().chain(deprecated) {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(note);
        }
        doc
    }
}

/// What a union member's type is called when it has no name of its own (or another type has
/// it): the union's name and what the member holds, by its title, else the properties it
/// requires (one or two), else its position (`Variant2`). With whether it is the title.
fn member_suffix(member: &ReferenceOr<Schema>, index: usize, ctx: &Ctx) -> (String, bool) {
    let position = || format!("Variant{}", index + 1);
    let ReferenceOr::Item(schema) = member else {
        return (position(), false);
    };
    if let Some(title) = schema
        .schema_data
        .title
        .as_deref()
        .and_then(names::type_ident)
        .filter(|title| super::naming::title_fits_role(title, ctx.role))
    {
        return (title, true);
    }
    let required = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.required,
        SchemaKind::Any(any) => &any.required,
        _ => return (position(), false),
    };
    let named = match required.as_slice() {
        [one] => names::type_ident(one),
        [first, second] => names::type_ident(&format!("{first} and {second}")),
        _ => None,
    };
    (named.unwrap_or_else(position), false)
}

/// Whether an `allOf` member without a type says nothing about the value's shape: a
/// description, or bounds the SDK does not check (`maxProperties`, `minLength`), not
/// properties, items, an enum or a composition.
/// The members of a schema that is an `allOf` and, at most, properties and required names of
/// its own (`{required: [a], allOf: [...]}`, which is read as an "any" schema).
fn layered_all_of(kind: &SchemaKind) -> Option<&[ReferenceOr<Schema>]> {
    match kind {
        SchemaKind::AllOf { all_of } => Some(all_of),
        SchemaKind::Any(any)
            if !any.all_of.is_empty()
                && matches!(any.typ.as_deref(), None | Some("object"))
                && any.items.is_none()
                && any.additional_properties.is_none()
                && any.any_of.is_empty()
                && any.one_of.is_empty()
                && any.not.is_none()
                && any.enumeration.is_empty()
                && any.format.is_none() =>
        {
            Some(&any.all_of)
        }
        _ => None,
    }
}

fn only_annotates(any: &openapiv3::AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.required.is_empty()
        && any.items.is_none()
        && any.additional_properties.is_none()
        && any.all_of.is_empty()
        && any.any_of.is_empty()
        && any.one_of.is_empty()
        && any.not.is_none()
        && any.enumeration.is_empty()
        && any.format.is_none()
}

/// What an `allOf` member that is a scalar constrains.
#[derive(Debug, Clone)]
pub(super) struct ScalarKind {
    family: Family,
    /// The values of an enum (listed in `enum` or in the description's prose).
    values: Option<Vec<String>>,
    /// A string format with a Rust type of its own.
    format: Option<Vec<String>>,
    nullable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    String,
    Integer,
    Number,
    Boolean,
}

/// The scalar a schema is, or `None` for anything else.
fn scalar_kind(schema: &Schema) -> Option<ScalarKind> {
    use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as F};
    let (family, values, format) = match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            let mut values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
            if values.is_empty() {
                values = listed_values(schema.schema_data.description.as_deref());
            }
            values.sort();
            let format = match &s.format {
                F::Item(StringFormat::DateTime) => Some("date-time"),
                F::Item(StringFormat::Date) => Some("date"),
                F::Unknown(f) if f == "uuid" => Some("uuid"),
                _ => None,
            };
            (
                Family::String,
                (!values.is_empty()).then_some(values),
                format.map(|f| vec![f.to_string()]),
            )
        }
        SchemaKind::Type(Type::Integer(_)) => (Family::Integer, None, None),
        SchemaKind::Type(Type::Number(_)) => (Family::Number, None, None),
        SchemaKind::Type(Type::Boolean(_)) => (Family::Boolean, None, None),
        _ => return None,
    };
    Some(ScalarKind {
        family,
        values,
        format,
        nullable: schema.schema_data.nullable,
    })
}

/// A schema as lowering reads it: written where it is used, a component of the parsed
/// description, or parsed from the raw tree (a reference to elsewhere, kept by the collector).
/// What [`Collector::object_parts`] collects from an `allOf` of objects.
#[derive(Default)]
struct ObjectParts {
    object: openapiv3::ObjectType,
    /// The components merged (canonical references), for the recursion guard.
    refs: Vec<String>,
}

pub(super) enum Target<'a> {
    Inline(&'a Schema),
    Component(&'a Schema),
    Parsed(std::rc::Rc<Schema>),
}

impl std::ops::Deref for Target<'_> {
    type Target = Schema;
    fn deref(&self) -> &Schema {
        match self {
            Target::Inline(schema) | Target::Component(schema) => schema,
            Target::Parsed(schema) => schema,
        }
    }
}

/// How deep schemas may nest (inline, through `allOf` merges and through references) before
/// lowering gives up with an error; real descriptions stay far below it, and it keeps the walk
/// within a 2 MiB thread stack in debug builds.
pub(super) const MAX_SCHEMA_DEPTH: usize = 64;

/// How many references that point at references [`Collector::resolve_schema`] follows.
pub(super) const MAX_REFERENCE_HOPS: usize = 64;

pub(super) fn integer(i: &openapiv3::IntegerType) -> Ty {
    use openapiv3::{IntegerFormat, VariantOrUnknownOrEmpty as F};
    match &i.format {
        F::Item(IntegerFormat::Int32) => Ty::I32,
        _ => Ty::I64,
    }
}

/// The doc line of a field the description marks `deprecated` (the field stays: a deprecation
/// is a warning, and a Rust `#[deprecated]` field would warn in every program that reads it).
pub(super) const DEPRECATED_NOTE: &str = "**Deprecated** in the API description.";

/// String formats that have a Rust type of their own; others are documented on the field.
pub(super) const TYPED_FORMATS: &[&str] = &[
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
pub(super) fn discriminator(schema: &Schema, members: &[ReferenceOr<Schema>]) -> Option<Tag> {
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

/// The names a union's members' titles give their variants (used where the member's type says
/// nothing of its own): the short name of each long title (`Uuid` for `Universally Unique
/// IDentifier (UUID) with 'uuid:' URN scheme`, see [`names::short_title`]) when those of all
/// the members differ, else each whole title.
fn member_titles<'a>(titles: impl Iterator<Item = Option<&'a str>>) -> Vec<Option<String>> {
    let titles: Vec<Option<&str>> = titles.collect();
    let short: Vec<Option<String>> = titles
        .iter()
        .map(|title| {
            let title = (*title)?;
            names::type_ident(names::short_title(title).unwrap_or(title))
        })
        .collect();
    let named: Vec<&String> = short.iter().flatten().collect();
    let distinct: BTreeSet<&&String> = named.iter().collect();
    if distinct.len() == named.len() {
        return short;
    }
    titles
        .iter()
        .map(|title| title.and_then(names::type_ident))
        .collect()
}
