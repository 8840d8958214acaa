//! The registry of collected types: each occurrence joins the [`Entry`] its [`Key`] finds.

use std::collections::BTreeSet;

use openapiv3::Schema;

use super::super::docs::doc_lines;
use super::collector::{Collector, Context, Ctx, Entry, Key};
use super::shape::{Shape, Ty};
use crate::names;

impl Collector<'_> {
    /// The name a schema asks for, and its children are named after: the name recorded for its
    /// place, else its title (unless the title says the opposite of its role), else its context.
    /// Decided top-down in one pass: a child's name never waits for its parent's final name.
    pub(super) fn own_name(&self, schema: &Schema, ctx: &Ctx) -> String {
        if let Some(name) = self.recorded(ctx) {
            return name.clone();
        }
        Self::usable_title(schema, ctx).unwrap_or_else(|| ctx.name.clone())
    }

    /// The name the previous generation recorded for the schema at `ctx`: by its place (where
    /// it is used), else by where it is written (a component whose uses moved, or a record
    /// written before places were where schemas are used).
    pub(super) fn recorded(&self, ctx: &Ctx) -> Option<&String> {
        self.lock
            .get(&crate::lock::place_key(&ctx.place))
            .or_else(|| match ctx.pointer == ctx.place {
                true => None,
                false => self.lock.get(&crate::lock::place_key(&ctx.pointer)),
            })
    }

    /// The schema's title as a type name, unless it contradicts the schema's role.
    pub(super) fn usable_title(schema: &Schema, ctx: &Ctx) -> Option<String> {
        schema
            .schema_data
            .title
            .as_deref()
            .and_then(names::type_ident)
            .filter(|title| super::naming::title_fits_role(title, ctx.role))
    }

    /// A place the record does not know (a new operation, a response moved to another status)
    /// still belongs to a recorded type when it is that type: a struct with the recorded name
    /// (by title or place) that has all its fields, an enum with exactly its values.
    pub(super) fn recorded_type_for_new_place(
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
    pub(super) fn register(
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
            Shape::Enum(_) => data
                .description
                .as_deref()
                .map(super::super::docs::without_listed),
            _ => data.description.clone(),
        };
        // A recorded place keeps its name while it still has what users were given; one that
        // lost a field or value is another type now, named as if it were new.
        let title = Self::usable_title(schema, ctx);
        let locked = match self.recorded(ctx) {
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
        // A component is also found by its own pointer when its uses move.
        if ctx.pointer != ctx.place
            && ctx
                .pointer
                .segments()
                .first()
                .is_some_and(|s| s == "components")
        {
            entry.pointers.push(ctx.pointer.clone());
        }
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
    pub(super) fn find_or_insert(
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
                if let Some(merged) = super::merge::merge(&entry.shape, &shape) {
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
                None => super::naming::lead_word(&ctx.name),
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
            listed: false,
            titles: Vec::new(),
            name_from_context: false,
            name,
            contexts: Vec::new(),
            doc: Vec::new(),
            member_docs: Vec::new(),
            member_titles: Vec::new(),
            pointers: Vec::new(),
            common: None,
            occurrences: 0,
            features: BTreeSet::new(),
            sites: Vec::new(),
        });
        self.index.insert(key, index);
        index
    }
}

/// What a type gives users that a later copy must still have: a struct's fields, an enum's
/// values (sorted); nothing for a union, whose members have no names of their own to keep.
pub(super) fn members(shape: &Shape) -> Vec<String> {
    let mut members: Vec<String> = match shape {
        Shape::Struct(fields, ..) => fields.iter().map(|f| f.wire.clone()).collect(),
        Shape::Enum(values) => values.clone(),
        Shape::Union(..) => Vec::new(),
    };
    members.sort();
    members
}

/// Whether `shape` still has every recorded member.
pub(super) fn covers(shape: &Shape, recorded: Option<&Vec<String>>) -> bool {
    let have = members(shape);
    recorded.is_none_or(|recorded| recorded.iter().all(|m| have.contains(m)))
}

pub(super) fn merge_docs(into: &mut Vec<Vec<String>>, docs: Vec<Vec<String>>) {
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
