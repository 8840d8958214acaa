//! A union's members by what they hold, not by their position: the place of a member in the
//! record of names (`oneOf/1`) is the slot whose recorded type holds what the member holds, so
//! writing the members in another order renames nothing (`UserTol` stays the TOL shape).
//!
//! What a member holds is a set of words: its properties (or enum values, an array's items'
//! with `[]` before them) and its title as a type name. What a recorded slot held is the same
//! words of the type recorded there (its fields or values, and its name). Members and slots are
//! paired by how much their words overlap, best pairs first; a member that pairs with no slot
//! keeps its position unless a paired member took it, and then gets a position no slot has.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::super::docs::listed_values;
use super::collector::{Collector, Ctx};
use crate::names;
use crate::pointer::Pointer;

/// What a member or a recorded slot holds, as words.
type Words = BTreeSet<String>;

/// A member of a union (see `Collector::flat_members`): its schema, where it is written, and
/// where it is relative to the union (`["anyOf", "0"]`; `["oneOf", "0", "anyOf", "1"]` for a
/// member of an inner union that gives its members to the outer one).
pub(super) struct Member<'s> {
    pub(super) schema: std::borrow::Cow<'s, ReferenceOr<Schema>>,
    pub(super) pointer: Pointer,
    pub(super) at: Vec<String>,
}

impl Collector<'_> {
    /// The place of each member of a union at `ctx`, relative to the union's place: the
    /// recorded slot that holds what it holds, else its own position where no other member
    /// took it, else a position no recorded slot has.
    pub(super) fn member_slots(&self, flat: &[Member], ctx: &Ctx) -> Vec<Vec<String>> {
        let recorded = self.recorded_slots(&ctx.place, flat);
        if recorded.is_empty() {
            return flat.iter().map(|m| m.at.clone()).collect();
        }
        let held: Vec<Words> = flat.iter().map(|m| self.words_of(&m.schema, 0)).collect();
        // Every pair with something in common, best first; ties go to a member's own position,
        // then to the earlier member and slot, so the pairing is deterministic.
        let mut pairs: Vec<(usize, bool, usize, &Vec<String>)> = Vec::new();
        for (member, words) in held.iter().enumerate() {
            for (slot, slot_words) in &recorded {
                if slot.len() != flat[member].at.len() || !same_keywords(slot, &flat[member].at) {
                    continue;
                }
                let common = words.intersection(slot_words).count();
                if common == 0 {
                    continue;
                }
                // Per mille of the words either has, so that a member is not paired with a
                // slot that holds much more than it because both share one property.
                let all = words.union(slot_words).count().max(1);
                let score = common * 1000 / all;
                pairs.push((score, *slot == flat[member].at, member, slot));
            }
        }
        pairs.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
                .then(a.3.cmp(b.3))
        });
        let mut slots: Vec<Option<Vec<String>>> = vec![None; flat.len()];
        let mut taken: BTreeSet<&Vec<String>> = BTreeSet::new();
        for (_, _, member, slot) in pairs {
            if slots[member].is_none() && !taken.contains(slot) {
                slots[member] = Some(slot.clone());
                taken.insert(slot);
            }
        }
        // A position no slot and no member has: after the largest index either uses.
        let mut next = recorded
            .keys()
            .chain(flat.iter().map(|m| &m.at))
            .filter_map(|at| at.last()?.parse::<usize>().ok())
            .max()
            .map_or(0, |max| max + 1);
        let mut placed = Vec::with_capacity(flat.len());
        for (member, slot) in slots.iter().enumerate() {
            let own = &flat[member].at;
            // `taken` holds every paired slot; `placed` what earlier members got.
            let free = |at: &Vec<String>| !taken.contains(at) && !placed.contains(at);
            let at = match slot {
                Some(slot) => slot.clone(),
                None if free(own) => own.clone(),
                None => {
                    let mut at = own.clone();
                    if let Some(last) = at.last_mut() {
                        *last = next.to_string();
                        next += 1;
                    }
                    at
                }
            };
            placed.push(at);
        }
        placed
    }

    /// The slots the record has for members of the union at `place`, with what each held: the
    /// recorded places under it whose segments start like a member's (`anyOf`, an index, ...).
    fn recorded_slots(&self, place: &Pointer, flat: &[Member]) -> BTreeMap<Vec<String>, Words> {
        let base = crate::lock::place_key(place);
        let depth = base.segments().len();
        let lengths: BTreeSet<usize> = flat.iter().map(|m| m.at.len()).collect();
        let mut slots: BTreeMap<Vec<String>, Words> = BTreeMap::new();
        let under = self
            .lock
            .range(base.clone()..)
            .take_while(|(key, _)| key.segments().starts_with(base.segments()));
        for (key, name) in under {
            let rest = &key.segments()[depth..];
            for &length in &lengths {
                let Some(slot) = rest.get(..length) else {
                    continue;
                };
                if !flat.iter().any(|m| same_keywords(slot, &m.at)) {
                    continue;
                }
                let words = slots.entry(slot.to_vec()).or_default();
                let members = self.lock_members.get(name).into_iter().flatten();
                match &rest[length..] {
                    [] => {
                        words.insert(format!("n:{name}"));
                        words.extend(members.cloned());
                    }
                    [items] if items == "items" => {
                        words.insert(format!("[]n:{name}"));
                        words.extend(members.map(|m| format!("[]{m}")));
                    }
                    _ => {}
                }
            }
        }
        slots
    }

    /// What a member holds, as words (see the module's docs); references followed.
    fn words_of<S: std::borrow::Borrow<Schema>>(
        &self,
        member: &ReferenceOr<S>,
        depth: usize,
    ) -> Words {
        let resolved;
        let schema: &Schema = match member {
            ReferenceOr::Item(schema) => schema.borrow(),
            ReferenceOr::Reference { reference } => {
                match self.resolve_schema(reference, &Pointer::root()) {
                    Ok((target, _)) => {
                        resolved = target;
                        &resolved
                    }
                    Err(_) => return Words::new(),
                }
            }
        };
        let mut words = Words::new();
        if let Some(title) = schema
            .schema_data
            .title
            .as_deref()
            .and_then(names::type_ident)
        {
            words.insert(format!("n:{title}"));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => words.extend(o.properties.keys().cloned()),
            SchemaKind::Any(any) => words.extend(any.properties.keys().cloned()),
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                match values.is_empty() {
                    true => words.extend(listed_values(schema.schema_data.description.as_deref())),
                    false => words.extend(values),
                }
            }
            SchemaKind::Type(Type::Array(a)) if depth < 4 => {
                if let Some(items) = &a.items {
                    let inner = self.words_of(items, depth + 1);
                    words.extend(inner.into_iter().map(|w| format!("[]{w}")));
                }
            }
            SchemaKind::AllOf { all_of } if depth < 4 => {
                for part in all_of {
                    words.extend(self.words_of(part, depth + 1));
                }
            }
            _ => {}
        }
        words
    }
}

/// Whether two member places have the same composition keywords (`anyOf`, `oneOf`) at the
/// same depths, with indices between them.
fn same_keywords(a: &[String], b: &[String]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).enumerate().all(|(i, (x, y))| match i % 2 {
            0 => x == y,
            _ => x.parse::<usize>().is_ok() && y.parse::<usize>().is_ok(),
        })
}
