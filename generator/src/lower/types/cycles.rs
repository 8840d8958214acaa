//! Cycle resolution: references into a cycle of schemas resolved to the types they stand for.

use std::collections::BTreeSet;

use super::collector::{Collector, Component};
use super::shape::{FieldShape, Shape, Ty};
use crate::error::Result;
use crate::pointer::Pointer;

impl Collector<'_> {
    /// The number of a schema of a cycle (see [`Ty::Recursive`]), given on first use.
    pub(super) fn component(&mut self, key: &str) -> usize {
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

    /// The type each schema of a cycle stands for, its references to its own cycle resolved:
    /// an error for a cycle that no named type breaks (`A: {type: array, items: {$ref: A}}`).
    pub(super) fn resolve_components(&self) -> Result<Vec<Ty>> {
        (0..self.components.len())
            .map(|id| self.resolve_component(id, &mut Vec::new()))
            .collect()
    }

    pub(super) fn resolve_component(&self, id: usize, visiting: &mut Vec<usize>) -> Result<Ty> {
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

    pub(super) fn resolve_in_cycle(&self, ty: &Ty, visiting: &mut Vec<usize>) -> Result<Ty> {
        Ok(match ty {
            Ty::Recursive(id) => self.resolve_component(*id, visiting)?,
            Ty::Vec(inner) => Ty::Vec(Box::new(self.resolve_in_cycle(inner, visiting)?)),
            Ty::Map(inner) => Ty::Map(Box::new(self.resolve_in_cycle(inner, visiting)?)),
            Ty::Boxed(inner) => Ty::Boxed(Box::new(self.resolve_in_cycle(inner, visiting)?)),
            other => other.clone(),
        })
    }
}

/// A field or union member that holds a type of its own cycle directly needs a `Box`.
pub(super) fn boxed_in_cycle(ty: Ty) -> Ty {
    match ty {
        Ty::Recursive(_) => Ty::Boxed(Box::new(ty)),
        other => other,
    }
}

/// `ty` with every reference into a cycle replaced by the type it stands for (`components`,
/// by number).
pub(super) fn substitute(ty: &Ty, components: &[Ty]) -> Ty {
    match ty {
        Ty::Recursive(id) => components.get(*id).cloned().unwrap_or(Ty::Json),
        Ty::Vec(inner) => Ty::Vec(Box::new(substitute(inner, components))),
        Ty::Map(inner) => Ty::Map(Box::new(substitute(inner, components))),
        Ty::Boxed(inner) => Ty::Boxed(Box::new(substitute(inner, components))),
        other => other.clone(),
    }
}

pub(super) fn substitute_shape(shape: &Shape, components: &[Ty]) -> Shape {
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
