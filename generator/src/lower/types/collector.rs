//! The collector of types: where a schema sits as it is lowered ([`Ctx`]), and the state the
//! walk over schemas (`walk.rs`, `registry.rs`, `slots.rs`, `cycles.rs`, `example_values.rs`)
//! fills in, which [`super`]'s `finish` names and turns into definitions.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use openapiv3::Schema;

use super::shape::{Lowered, Shape, Ty};
use crate::error::Error;
use crate::load::LoadedSpec;
use crate::lock::NameLock;
use crate::model::Scalar;
use crate::pointer::Pointer;

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
    pub(super) fn part(&self, segments: &[&str], own: &str, suffix: String) -> Ctx {
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
    pub(super) fn member(
        &self,
        pointer: Pointer,
        place_segments: &[&str],
        own: &str,
        suffix: String,
    ) -> Ctx {
        Ctx {
            pointer,
            place: self.place.join(place_segments),
            ..self.part(&[] as &[&str], own, suffix)
        }
    }

    /// A schema inside this one that is not a type of its own (array items, map values): its
    /// name extends this one's.
    pub(super) fn inner(&self, segment: &str, suffix: &str) -> Ctx {
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
    pub(super) spec: &'a LoadedSpec,
    pub(super) entries: Vec<Entry>,
    pub(super) index: HashMap<Key, usize>,
    /// `$ref` targets (canonical pointers) being lowered right now: a reference to one of them
    /// is a cycle, lowered as [`Ty::Recursive`] instead of overflowing the stack.
    pub(super) in_progress: Vec<String>,
    /// How many schemas deep the walk is now: a cycle that no `$ref` breaks (an `allOf` that
    /// merges a schema into itself) is stopped by [`MAX_SCHEMA_DEPTH`] with an error, not by
    /// the stack.
    pub(super) depth: usize,
    /// The `$ref` targets whose properties an `allOf` is merging right now, since the last
    /// reference followed: merging one of them again inside itself would never end.
    pub(super) merging: Vec<String>,
    /// The schemas that are part of a cycle of references, with the number of their cycle.
    pub(super) recursive: BTreeMap<String, usize>,
    /// The schemas of cycles met so far, numbered in the order met ([`Ty::Recursive`]).
    pub(super) components: Vec<Component>,
    /// Every `example`/`examples` value met, by its pointer, with the type it must decode as.
    pub(super) examples: BTreeMap<String, Lowered>,
    /// Examples whose type is a runtime type, not a generated one (problem documents).
    pub(super) runtime_examples: BTreeMap<String, Scalar>,
    /// The names the previous generation gave, by the pointer of each place.
    pub(super) lock: BTreeMap<Pointer, String>,
    /// What each of those types had (fields or values), by name.
    pub(super) lock_members: BTreeMap<String, Vec<String>>,
    /// The variants each recorded union gave, by its name (see [`LockedType::variants`]).
    pub(super) lock_variants: BTreeMap<String, BTreeMap<String, String>>,
    /// The values of each recorded enum that were read from a description's prose, by name.
    pub(super) lock_listed: BTreeMap<String, Vec<String>>,
    /// Schemas that references lead to outside `#/components/schemas`, parsed once each.
    pub(super) parsed: RefCell<HashMap<Pointer, Rc<Schema>>>,
    /// The types of JSON request bodies: the fake checks a body against its type's fit table,
    /// so they get one as the types a union can reach do.
    pub(super) fit_roots: Vec<Ty>,
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

    pub(super) fn invalid(&self, at: &Pointer, message: String) -> Error {
        Error::Invalid {
            location: self.spec.locate(at),
            message,
        }
    }
}

/// A schema that is part of a cycle of references (see [`Ty::Recursive`]).
#[derive(Debug)]
pub(super) struct Component {
    /// Its canonical pointer.
    pub(super) key: String,
    /// The type it lowered to the first time.
    pub(super) lowered: Option<Lowered>,
    /// The features it has been lowered for: its types are compiled for each.
    pub(super) features: BTreeSet<String>,
}

/// What one collected type knows beyond its shape: its name, docs, where it was seen.
#[derive(Debug)]
pub(in crate::lower) struct Entry {
    pub(in crate::lower) shape: Shape,
    /// The name it asks for: its recorded name, else its title, else where it first appears.
    pub(in crate::lower) name: String,
    /// Whether `name` is a name the previous generation gave (see [`crate::lock`]).
    pub(in crate::lower) locked: bool,
    /// An enum found by its values alone (see [`Key`]): named when every place is known.
    pub(in crate::lower) by_values: bool,
    /// An enum whose values were read from a description's prose (recorded, see
    /// [`LockedType::listed`]).
    pub(super) listed: bool,
    /// The title of every occurrence that has a usable one.
    pub(in crate::lower) titles: Vec<String>,
    /// Whether `name` is the context name of its first place (no recorded name, no title).
    pub(in crate::lower) name_from_context: bool,
    /// Where every occurrence is, the fallbacks when another type keeps `name`.
    pub(in crate::lower) contexts: Vec<Context>,
    pub(super) doc: Vec<String>,
    pub(super) member_docs: Vec<Vec<String>>,
    /// A union's members' titles (of members written inline): what a variant is called where
    /// its type says too little (see `build::union_variants`).
    pub(super) member_titles: Vec<Option<String>>,
    /// Every place the type stands for, recorded so that the next generation keeps its name.
    pub(in crate::lower) pointers: Vec<Pointer>,
    /// The fields (or values) every one of its places has: what a later copy must still have
    /// to be this type (see [`members`]).
    pub(super) common: Option<Vec<String>>,
    pub(in crate::lower) occurrences: usize,
    pub(super) features: BTreeSet<String>,
    /// The operation or webhook value of every occurrence, and how deep in it.
    pub(in crate::lower) sites: Vec<(Arc<Site>, Level)>,
}

/// How the collected types are found again: a type whose name is recorded is one type however
/// its copies drift apart; any other is one type per shape and name, so that a struct or union
/// is never named after a place it does not belong to. Enums are the exception: their values
/// say what they are, and one enum in a request and its response is what users expect; an enum
/// is one type per set of values, named after what all its places have in common.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Locked(String),
    Fresh(Shape, String),
    /// An enum by its values and the first word of where it appears: the `sort` parameter of
    /// every `List...` operation is one enum, the `order` field of a response's metadata is not
    /// the `order` parameter of a list operation (no name would be true of both).
    Values(Shape, String),
}
