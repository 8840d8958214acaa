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
//! By job: `collector.rs` the collector's state (where a schema sits, the entries and their
//! keys), `shape.rs` the type expressions, shapes and list bounds, `walk.rs` the walk over
//! schemas, `registry.rs` how an occurrence joins its entry, `slots.rs` union members,
//! `cycles.rs` recursive schemas, `example_values.rs` the example values; this file the
//! collector's finish (naming, definitions, the record of names); `build.rs` the definitions,
//! `secrets.rs` secret fields, `ty_to_rust_type.rs` type expressions as the model's `RustType`.
//! Passes over the collected types: `naming.rs` names them, `merge.rs` merges drifted copies,
//! `fit_tables.rs` writes the tables unions choose their variant by. None of them reaches back
//! here or to a module that reaches them (the `source_layout` test).

mod build;
mod collector;
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

use std::collections::BTreeMap;

use crate::error::Result;
use crate::lock::{LockedType, NameLock};
use crate::model::{Example, RustType, TypeDef, TypeId};
use crate::pointer::Pointer;
use build::type_def;
use collector::Entry;
pub use collector::{Collector, Ctx, Level, Role, Site, Slot};
use cycles::{substitute, substitute_shape};
use shape::Shape;
pub use shape::Ty;
use ty_to_rust_type::rust_type;

impl Collector<'_> {
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
