//! What a union needs to choose its variant without losing data: for every type a union can
//! hold (directly or nested), a table of what its description says a value looks like. The
//! types of JSON request bodies get one too: the fake of the `testing` feature checks a body
//! against it. Lowering records the constraints that are not in the Rust type (list lengths) in
//! the shape; this module turns the collected shapes into the tables ([`Fit`]), which the models
//! template prints as constants read by the runtime's one `serde_helpers::grade` function (and
//! the fake's strict `conform`).

use std::collections::BTreeSet;

use super::collector::Entry;
use super::shape::{Limits, Shape, Ty};
use crate::model::{Fit, FitNeed, FitProp, TypeId};

/// The fit table of each entry (by index) that a union or one of `roots` (the JSON request
/// bodies' types, which the fake checks bodies against) can reach; `None` for the others (they
/// need none). The types a table refers to are their model ids (`ids`, by entry index).
pub fn tables(entries: &[Entry], ids: &[TypeId], roots: &[Ty]) -> Vec<Option<Fit>> {
    let mut reached = BTreeSet::new();
    let mut stack: Vec<usize> = entries
        .iter()
        .map(|entry| &entry.shape)
        .enumerate()
        .filter(|(_, shape)| matches!(shape, Shape::Union(..)))
        .map(|(i, _)| i)
        .collect();
    roots.iter().for_each(|root| named(root, &mut stack));
    while let Some(i) = stack.pop() {
        if !reached.insert(i) {
            continue;
        }
        let mut children = Vec::new();
        match entries.get(i).map(|entry| &entry.shape) {
            Some(Shape::Struct(fields, extra, _)) => {
                fields.iter().for_each(|f| named(&f.ty, &mut children));
                if let Some(extra) = extra {
                    named(extra, &mut children);
                }
            }
            Some(Shape::Union(members, _, _)) => {
                members.iter().for_each(|m| named(m, &mut children));
            }
            _ => {}
        }
        stack.extend(children);
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            reached
                .contains(&i)
                .then(|| table(&entry.shape, entry.listed, ids))
        })
        .collect()
}

fn named(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Named(i) => out.push(*i),
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => named(inner, out),
        // A type of a cycle is not followed: its table would contain itself.
        _ => {}
    }
}

/// The table of one type; `listed`: an enum whose values were read from prose.
fn table(shape: &Shape, listed: bool, ids: &[TypeId]) -> Fit {
    match shape {
        // Whether the description forbids other properties does not matter: every struct keeps
        // them (in `unknown_fields`), so a newer server's new property fits openly.
        Shape::Struct(fields, extra, _) => {
            let props = fields
                .iter()
                .map(|f| FitProp {
                    wire: f.wire.clone(),
                    fit: fit(&f.ty, &f.limits, ids),
                    need: match (f.required, f.nullable) {
                        (true, false) => FitNeed::Required,
                        (false, false) => FitNeed::Optional,
                        (true, true) => FitNeed::RequiredNullable,
                        (false, true) => FitNeed::OptionalNullable,
                    },
                })
                .collect();
            let extra = extra
                .as_ref()
                .map(|ty| Box::new(fit(ty, &Limits::default(), ids)));
            Fit::Object(props, extra)
        }
        // Values read from prose grade as an enum's, but the schema takes any string.
        Shape::Enum(values) if listed => Fit::ProseEnum(values.clone()),
        Shape::Enum(values) => Fit::Enum(values.clone()),
        Shape::Union(members, _, limits) => Fit::Union(
            members
                .iter()
                .enumerate()
                .map(|(i, ty)| fit(ty, &limits.get(i).cloned().unwrap_or_default(), ids))
                .collect(),
        ),
    }
}

/// The table of a type expression.
fn fit(ty: &Ty, limits: &Limits, ids: &[TypeId]) -> Fit {
    match ty {
        Ty::String => Fit::String,
        Ty::Uuid => Fit::Uuid,
        Ty::DateTime => Fit::DateTime,
        Ty::Date => Fit::Date,
        Ty::I32 => Fit::I32,
        Ty::I64 => Fit::I64,
        Ty::F64 => Fit::F64,
        Ty::Bool => Fit::Bool,
        Ty::Json => Fit::Any,
        Ty::JsonObject => Fit::AnyObject,
        Ty::Vec(inner) => Fit::List(
            Box::new(fit(inner, &Limits::default(), ids)),
            limits.min_items,
            limits.max_items,
        ),
        Ty::Map(inner) => Fit::Map(Box::new(fit(inner, &Limits::default(), ids))),
        Ty::Named(i) => Fit::Type(ids.get(*i).copied().unwrap_or(TypeId(*i))),
        Ty::Boxed(inner) => fit(inner, limits, ids),
        // A constant cannot contain itself: inside a cycle, any value fits.
        Ty::Cyclic(_) | Ty::Recursive(_) => Fit::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_struct_keeps_unknown_properties_whether_its_description_forbids_them_or_not() {
        let names = vec!["Thing".to_string()];
        let ids = [TypeId(0)];
        for closed in [true, false] {
            assert_eq!(
                table(&Shape::Struct(Vec::new(), None, closed), false, &ids)
                    .display(&names)
                    .to_string(),
                "fit::Fit::Object(&[], fit::Extra::Unknown)"
            );
        }
        assert_eq!(
            table(&Shape::Struct(Vec::new(), Some(Ty::I32), true), false, &ids)
                .display(&names)
                .to_string(),
            "fit::Fit::Object(&[], fit::Extra::Kept(&fit::Fit::I32))"
        );
    }

    #[test]
    fn list_bounds_and_names_are_printed() {
        // Entry 0 is the model's type 1.
        let names = vec!["Other".to_string(), "Thing".to_string()];
        let ids = [TypeId(1)];
        let limits = Limits {
            min_items: Some(1),
            max_items: None,
        };
        assert_eq!(
            fit(&Ty::Vec(Box::new(Ty::Named(0))), &limits, &ids)
                .display(&names)
                .to_string(),
            "fit::Fit::List(&Thing::FIT, Some(1), None)"
        );
    }

    #[test]
    fn an_enum_read_from_prose_is_told_apart_from_one_its_schema_lists() {
        let shape = Shape::Enum(vec!["ISIN".to_string()]);
        let names: Vec<String> = Vec::new();
        assert_eq!(
            table(&shape, false, &[]).display(&names).to_string(),
            r#"fit::Fit::Enum(&["ISIN"])"#
        );
        assert_eq!(
            table(&shape, true, &[]).display(&names).to_string(),
            r#"fit::Fit::ProseEnum(&["ISIN"])"#
        );
    }
}
