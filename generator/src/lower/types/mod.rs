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
//!
//! By job: `shape.rs` the type expressions and shapes, `walk.rs` the walk over schemas,
//! `registry.rs` the entries and their keys, `cycles.rs` recursive schemas, `example_values.rs`
//! the example values; this file the collector itself and its finish (naming, definitions, the
//! record of names); `build.rs` the definitions, `secrets.rs` secret fields,
//! `ty_to_rust_type.rs` type expressions as the model's `RustType`. Passes over the collected
//! types: `naming.rs` names them, `merge.rs` merges drifted copies, `fit.rs` writes the tables
//! unions choose their variant by.

mod build;
mod cycles;
mod example_values;
mod fit_tables;
mod merge;
mod naming;
mod registry;
mod secrets;
mod shape;
mod slots;
mod ty_to_rust_type;
mod walk;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde::Deserialize as _;

use super::docs::doc_lines;
use crate::describe::one_line;
use crate::describe::operations::component as parsed_component;
use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::lock::{LockedType, NameLock};
use crate::model::{Example, Field, RustType, Scalar, TypeDef, TypeId, TypeKind, Variant};
use crate::names;
use crate::pointer::Pointer;
use build::type_def;
use cycles::{boxed_in_cycle, substitute, substitute_shape, Component};
use fit_tables::Limits;
pub(super) use registry::Entry;
use registry::Key;
pub(super) use shape::{FieldShape, Shape, Tag};
pub use shape::{Lowered, Ty};
use slots::Member;
use ty_to_rust_type::rust_type;

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

/// A schema's name is its parent type's name and a suffix (`Address` of a field `address`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    /// Where the parent type is (the pointer it was registered at).
    pub pointer: Pointer,
    pub suffix: String,
    /// Whether `suffix` is the schema's own title (a union member's): the place then says
    /// nothing about whether the title belongs there (see `naming::agreement`).
    pub titled: bool,
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
            pointer: self.pointer.join(segments),
            place: self.place.join(segments),
            name: format!("{own}{suffix}"),
            feature: self.feature.clone(),
            role: self.role,
            parent: Some(Parent {
                pointer: self.place.clone(),
                suffix,
                titled: false,
            }),
            site: self.site.clone(),
            level: Level::Inside,
        }
    }

    /// A member of the union registered at this schema, written at `pointer` and placed at
    /// `place_segments` (by what it holds: see `slots`), named after the union.
    fn member(&self, pointer: Pointer, place_segments: &[&str], own: &str, suffix: String) -> Ctx {
        Ctx {
            pointer,
            place: self.place.join(place_segments),
            ..self.part(&[] as &[&str], own, suffix)
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
                titled: p.titled,
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

pub struct Collector<'a> {
    spec: &'a LoadedSpec,
    entries: Vec<Entry>,
    index: HashMap<Key, usize>,
    /// `$ref` targets (canonical pointers) being lowered right now: a reference to one of them
    /// is a cycle, lowered as [`Ty::Recursive`] instead of overflowing the stack.
    in_progress: Vec<String>,
    /// How many schemas deep the walk is now: a cycle that no `$ref` breaks (an `allOf` that
    /// merges a schema into itself) is stopped by [`MAX_SCHEMA_DEPTH`] with an error, not by
    /// the stack.
    depth: usize,
    /// The `$ref` targets whose properties an `allOf` is merging right now, since the last
    /// reference followed: merging one of them again inside itself would never end.
    merging: Vec<String>,
    /// The schemas that are part of a cycle of references, with the number of their cycle.
    recursive: BTreeMap<String, usize>,
    /// The schemas of cycles met so far, numbered in the order met ([`Ty::Recursive`]).
    components: Vec<Component>,
    /// Every `example`/`examples` value met, by its pointer, with the type it must decode as.
    examples: BTreeMap<String, Lowered>,
    /// Examples whose type is a runtime type, not a generated one (problem documents).
    runtime_examples: BTreeMap<String, Scalar>,
    /// The names the previous generation gave, by the pointer of each place.
    lock: BTreeMap<Pointer, String>,
    /// What each of those types had (fields or values), by name.
    lock_members: BTreeMap<String, Vec<String>>,
    /// The variants each recorded union gave, by its name (see [`LockedType::variants`]).
    lock_variants: BTreeMap<String, BTreeMap<String, String>>,
    /// The values of each recorded enum that were read from a description's prose, by name.
    lock_listed: BTreeMap<String, Vec<String>>,
    /// Schemas that references lead to outside `#/components/schemas`, parsed once each.
    parsed: RefCell<HashMap<Pointer, Rc<Schema>>>,
    /// The types of JSON request bodies: the fake checks a body against its type's fit table,
    /// so they get one as the types a union can reach do.
    fit_roots: Vec<Ty>,
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
            lock_variants: lock
                .types
                .iter()
                .map(|(name, t)| (name.clone(), t.variants.clone()))
                .collect(),
            lock_listed: lock
                .types
                .iter()
                .filter(|(_, t)| t.listed)
                .map(|(name, t)| (name.clone(), t.members.clone()))
                .collect(),
            spec,
            entries: Vec::new(),
            index: HashMap::new(),
            in_progress: Vec::new(),
            depth: 0,
            merging: Vec::new(),
            recursive: crate::describe::ref_cycles::recursive_schemas(&spec.raw),
            components: Vec::new(),
            examples: BTreeMap::new(),
            runtime_examples: BTreeMap::new(),
            parsed: RefCell::default(),
            fit_roots: Vec::new(),
        }
    }

    /// Gives `ty` (a JSON request body's type) and every type it holds a fit table.
    pub fn fit_root(&mut self, ty: &Ty) {
        self.fit_roots.push(ty.clone());
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
        // From here types refer to each other by id: their index among the definitions
        // sorted by name (see `sort_by_name`); a name is looked up only where it is printed.
        let ids = sorted_ids(&names);
        let roots: Vec<Ty> = self
            .fit_roots
            .iter()
            .map(|ty| substitute(ty, &components))
            .collect();
        let fits = fit_tables::tables(&self.entries, &ids, &roots);
        let mut defs = self
            .entries
            .iter()
            .zip(&names)
            .zip(fits)
            .map(|((entry, name), fit)| TypeDef {
                fit,
                ..type_def(entry, name, &names, &ids, &self.variant_naming(entry))
            })
            .collect::<Vec<_>>();
        build::document(&self.entries, &mut defs);
        // Each union's variants by the name of their member's type, recorded so that a later
        // rule for naming variants cannot rename them.
        let variants: Vec<BTreeMap<String, String>> = self
            .entries
            .iter()
            .zip(&defs)
            .map(|(entry, def)| match &entry.shape {
                Shape::Union(members, ..) => build::variant_keys(members, &names)
                    .into_iter()
                    .zip(def.variants.iter().map(|v| v.ident.clone()))
                    .collect(),
                _ => BTreeMap::new(),
            })
            .collect();
        sort_by_name(&mut defs, &ids);
        let mut record: BTreeMap<String, LockedType> = BTreeMap::new();
        for ((entry, name), variants) in self.entries.iter().zip(&names).zip(variants) {
            let locked = record.entry(name.clone()).or_default();
            locked.variants.extend(variants);
            locked
                .places
                .extend(entry.pointers.iter().map(Pointer::to_string));
            locked.places.sort();
            locked.places.dedup();
            locked.members = entry.common.clone().unwrap_or_default();
            locked.listed |= entry.listed;
        }
        let examples = self
            .examples
            .into_iter()
            .map(|(pointer, lowered)| {
                let inner = rust_type(&lowered.ty, &ids, true);
                let ty = if lowered.nullable {
                    RustType::option(inner)
                } else {
                    inner
                };
                Example {
                    pointer,
                    rust_type: ty,
                }
            })
            .chain(
                self.runtime_examples
                    .into_iter()
                    .map(|(pointer, scalar)| Example {
                        pointer,
                        rust_type: scalar.into(),
                    }),
            )
            .collect::<Vec<_>>();
        Ok(Types {
            components,
            ids,
            defs,
            examples,
            lock: NameLock::new(record),
        })
    }
}

impl Collector<'_> {
    /// How the variants of `entry` are named, if it is a union: as recorded for it, as its
    /// members' types for a union recorded before variants were, else by the rule for new ones.
    fn variant_naming(&self, entry: &Entry) -> build::VariantNaming<'_> {
        match self.lock_variants.get(&entry.name) {
            Some(given) if entry.locked && !given.is_empty() => {
                build::VariantNaming::Recorded(given)
            }
            Some(_) if entry.locked => build::VariantNaming::AsTypes,
            _ => build::VariantNaming::New,
        }
    }
}

/// The collected types, named.
pub struct Types {
    /// What each schema of a cycle stands for (see [`Ty::Recursive`]).
    components: Vec<Ty>,
    /// Each entry's id in the model (its index in `defs`), by entry index.
    ids: Vec<TypeId>,
    pub defs: Vec<TypeDef>,
    pub examples: Vec<Example>,
    /// The names given, with the places each stands for (`source/names.json`).
    pub lock: NameLock,
}

impl Types {
    /// The Rust type for `ty`, seen from outside the `models` module.
    pub fn rust(&self, ty: &Ty) -> RustType {
        let ty = substitute(ty, &self.components);
        rust_type(&ty, &self.ids, true)
    }
}

/// Each entry's id in the model, by entry index: its place among the entries sorted by name
/// (names are unique).
fn sorted_ids(names: &[String]) -> Vec<TypeId> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    let mut ids = vec![TypeId(0); names.len()];
    for (sorted, &entry) in order.iter().enumerate() {
        ids[entry] = TypeId(sorted);
    }
    ids
}

/// Puts the definitions (by entry index) at their ids.
fn sort_by_name(defs: &mut Vec<TypeDef>, ids: &[TypeId]) {
    let mut placed: Vec<Option<TypeDef>> = vec![None; defs.len()];
    for (entry, def) in std::mem::take(defs).into_iter().enumerate() {
        if let Some(slot) = ids.get(entry).and_then(|id| placed.get_mut(id.0)) {
            *slot = Some(def);
        }
    }
    defs.extend(placed.into_iter().flatten());
}
