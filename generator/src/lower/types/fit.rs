//! What a union needs to choose its variant without losing data: for every type a union can
//! hold (directly or nested), a table of what its description says a value looks like. The
//! types of JSON request bodies get one too: the fake of the `testing` feature checks a body
//! against it. Lowering records the constraints that are not in the Rust type (list lengths) in
//! the shape; this module turns the collected shapes into the tables' Rust text, which the
//! models template prints as constants read by the runtime's one `serde_helpers::grade`
//! function (and the fake's strict `conform`).

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::{Entry, Shape, Ty};

/// A list's `minItems` and `maxItems`, where the description gives them. Part of the shape of
/// the struct field or union member that holds the list (two lists that differ only in their
/// bounds are different shapes: a union can tell them apart by length).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Limits {
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

impl Limits {
    /// The bounds of an array schema (none for anything else). `minItems: 0` bounds nothing.
    pub fn of(schema: &Schema) -> Limits {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => Limits {
                min_items: a.min_items.filter(|&n| n > 0),
                max_items: a.max_items,
            },
            _ => Limits::default(),
        }
    }

    /// The bounds of a schema written inline; those of a `$ref`'s target come from `resolve`.
    pub fn of_ref<S: std::borrow::Borrow<Schema>>(
        schema: &ReferenceOr<S>,
        resolve: impl Fn(&str) -> Option<Limits>,
    ) -> Limits {
        match schema {
            ReferenceOr::Item(s) => Limits::of(s.borrow()),
            ReferenceOr::Reference { reference } => resolve(reference).unwrap_or_default(),
        }
    }
}

/// The fit table of each entry (by index) that a union or one of `roots` (the JSON request
/// bodies' types, which the fake checks bodies against) can reach, as the Rust expression of a
/// `crate::serde_helpers::Fit`; `None` for the others (they need none).
pub fn tables(entries: &[Entry], names: &[String], roots: &[Ty]) -> Vec<Option<String>> {
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
                .then(|| table(&entry.shape, entry.listed, names))
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
fn table(shape: &Shape, listed: bool, names: &[String]) -> String {
    match shape {
        // Whether the description forbids other properties does not matter: every struct keeps
        // them (in `unknown_fields`), so a newer server's new property fits openly.
        Shape::Struct(fields, extra, _) => {
            let props: Vec<String> = fields
                .iter()
                .map(|f| {
                    let need = match (f.required, f.nullable) {
                        (true, false) => "Required",
                        (false, false) => "Optional",
                        (true, true) => "RequiredNullable",
                        (false, true) => "OptionalNullable",
                    };
                    format!(
                        "fit::Prop({:?}, {}, fit::Need::{need})",
                        f.wire,
                        fit(&f.ty, &f.limits, names)
                    )
                })
                .collect();
            let extra = match extra {
                Some(ty) => format!("fit::Extra::Kept({})", fit(ty, &Limits::default(), names)),
                None => "fit::Extra::Unknown".to_string(),
            };
            format!("fit::Fit::Object(&[{}], {extra})", props.join(", "))
        }
        Shape::Enum(values) => {
            let values: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            // Values read from prose grade as an enum's, but the schema takes any string.
            let kind = if listed { "ProseEnum" } else { "Enum" };
            format!("fit::Fit::{kind}(&[{}])", values.join(", "))
        }
        Shape::Union(members, _, limits) => {
            let members: Vec<String> = members
                .iter()
                .enumerate()
                .map(|(i, ty)| fit(ty, &limits.get(i).cloned().unwrap_or_default(), names))
                .collect();
            format!("fit::Fit::Union(&[{}])", members.join(", "))
        }
    }
}

/// The table of a type expression, as a `&'static Fit` expression.
fn fit(ty: &Ty, limits: &Limits, names: &[String]) -> String {
    let bound = |n: Option<usize>| match n {
        Some(n) => format!("Some({n})"),
        None => "None".to_string(),
    };
    match ty {
        Ty::String => "&fit::Fit::String".into(),
        Ty::Uuid => "&fit::Fit::Uuid".into(),
        Ty::DateTime => "&fit::Fit::DateTime".into(),
        Ty::Date => "&fit::Fit::Date".into(),
        Ty::I32 => "&fit::Fit::I32".into(),
        Ty::I64 => "&fit::Fit::I64".into(),
        Ty::F64 => "&fit::Fit::F64".into(),
        Ty::Bool => "&fit::Fit::Bool".into(),
        Ty::Json => "&fit::Fit::Any".into(),
        Ty::JsonObject => "&fit::Fit::AnyObject".into(),
        Ty::Vec(inner) => format!(
            "&fit::Fit::List({}, {}, {})",
            fit(inner, &Limits::default(), names),
            bound(limits.min_items),
            bound(limits.max_items)
        ),
        Ty::Map(inner) => format!("&fit::Fit::Map({})", fit(inner, &Limits::default(), names)),
        Ty::Named(i) => format!("&{}::FIT", names[*i]),
        Ty::Boxed(inner) => fit(inner, limits, names),
        // A constant cannot contain itself: inside a cycle, any value fits.
        Ty::Cyclic(_) | Ty::Recursive(_) => "&fit::Fit::Any".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_come_from_arrays_only() {
        let schema: Schema = serde_json::from_value(serde_json::json!({
            "type": "array", "maxItems": 0, "minItems": 0, "items": {"type": "string"}
        }))
        .unwrap();
        assert_eq!(
            Limits::of(&schema),
            Limits {
                min_items: None,
                max_items: Some(0)
            }
        );
        let string: Schema = serde_json::from_value(serde_json::json!({"type": "string"})).unwrap();
        assert_eq!(Limits::of(&string), Limits::default());
    }

    #[test]
    fn every_struct_keeps_unknown_properties_whether_its_description_forbids_them_or_not() {
        let names = vec!["Thing".to_string()];
        for closed in [true, false] {
            assert_eq!(
                table(&Shape::Struct(Vec::new(), None, closed), false, &names),
                "fit::Fit::Object(&[], fit::Extra::Unknown)"
            );
        }
        assert_eq!(
            table(
                &Shape::Struct(Vec::new(), Some(Ty::I32), true),
                false,
                &names
            ),
            "fit::Fit::Object(&[], fit::Extra::Kept(&fit::Fit::I32))"
        );
    }

    #[test]
    fn an_enum_read_from_prose_is_told_apart_from_one_its_schema_lists() {
        let shape = Shape::Enum(vec!["ISIN".to_string()]);
        assert_eq!(table(&shape, false, &[]), r#"fit::Fit::Enum(&["ISIN"])"#);
        assert_eq!(
            table(&shape, true, &[]),
            r#"fit::Fit::ProseEnum(&["ISIN"])"#
        );
    }

    #[test]
    fn list_bounds_and_names_are_printed() {
        let names = vec!["Thing".to_string()];
        let limits = Limits {
            min_items: Some(1),
            max_items: None,
        };
        assert_eq!(
            fit(&Ty::Vec(Box::new(Ty::Named(0))), &limits, &names),
            "&fit::Fit::List(&Thing::FIT, Some(1), None)"
        );
    }
}
