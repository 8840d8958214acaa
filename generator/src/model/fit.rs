//! A type's fit table as lowering decided it: what its description says a value looks like,
//! for choosing a union's variant. It mirrors the runtime's `serde_helpers::Fit` and becomes the
//! Rust expression of one only when printed ([`Display`](fmt::Display), and [`Serialize`] as
//! that text for the templates, which print it as the type's `FIT` constant).

use std::fmt;

use serde::{Serialize, Serializer};

/// A `serde_helpers::Fit` value (the runtime module is imported as `fit` where it is printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    Any,
    AnyObject,
    Bool,
    I32,
    I64,
    F64,
    String,
    Uuid,
    Date,
    DateTime,
    /// An open string enum's values.
    Enum(Vec<String>),
    /// Values read from the description's prose: they grade as an enum's when a union chooses
    /// its variant, but the schema takes any string (the fake's check accepts any).
    ProseEnum(Vec<String>),
    /// A list: its items, `minItems` and `maxItems`.
    List(Box<Fit>, Option<usize>, Option<usize>),
    /// A map's values.
    Map(Box<Fit>),
    /// An object's named properties, and the kind of the others it keeps (`None`: it keeps
    /// them as unknown).
    Object(Vec<FitProp>, Option<Box<Fit>>),
    Union(Vec<Fit>),
    /// The table of the generated type of this name (its `FIT` constant).
    Type(String),
}

/// A named property of a [`Fit::Object`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitProp {
    pub wire: String,
    pub fit: Fit,
    pub need: FitNeed,
}

/// The runtime's `serde_helpers::Need`: whether a property must be present and may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitNeed {
    Required,
    Optional,
    RequiredNullable,
    OptionalNullable,
}

impl FitNeed {
    fn as_str(self) -> &'static str {
        match self {
            FitNeed::Required => "Required",
            FitNeed::Optional => "Optional",
            FitNeed::RequiredNullable => "RequiredNullable",
            FitNeed::OptionalNullable => "OptionalNullable",
        }
    }
}

/// A `&'static Fit` expression for `fit`: another type's constant, or a reference to the value.
struct Ref<'a>(&'a Fit);

impl fmt::Display for Ref<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Fit::Type(name) => write!(f, "&{name}::FIT"),
            fit => write!(f, "&{fit}"),
        }
    }
}

/// Items separated by `, `.
fn list<T>(
    f: &mut fmt::Formatter<'_>,
    items: &[T],
    item: impl Fn(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (i, each) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        item(f, each)?;
    }
    Ok(())
}

impl fmt::Display for Fit {
    /// The value as a Rust expression: `fit::Fit::List(&fit::Fit::String, Some(1), None)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = |n: &Option<usize>| match n {
            Some(n) => format!("Some({n})"),
            None => "None".to_string(),
        };
        let word = match self {
            Fit::Any => "Any",
            Fit::AnyObject => "AnyObject",
            Fit::Bool => "Bool",
            Fit::I32 => "I32",
            Fit::I64 => "I64",
            Fit::F64 => "F64",
            Fit::String => "String",
            Fit::Uuid => "Uuid",
            Fit::Date => "Date",
            Fit::DateTime => "DateTime",
            Fit::Enum(values) | Fit::ProseEnum(values) => {
                let kind = if matches!(self, Fit::Enum(_)) {
                    "Enum"
                } else {
                    "ProseEnum"
                };
                write!(f, "fit::Fit::{kind}(&[")?;
                list(f, values, |f, v| write!(f, "{v:?}"))?;
                return f.write_str("])");
            }
            Fit::List(item, min, max) => {
                let (min, max) = (bound(min), bound(max));
                return write!(f, "fit::Fit::List({}, {min}, {max})", Ref(item));
            }
            Fit::Map(item) => return write!(f, "fit::Fit::Map({})", Ref(item)),
            Fit::Object(props, extra) => {
                f.write_str("fit::Fit::Object(&[")?;
                list(f, props, |f, p| {
                    let need = p.need.as_str();
                    write!(
                        f,
                        "fit::Prop({:?}, {}, fit::Need::{need})",
                        p.wire,
                        Ref(&p.fit)
                    )
                })?;
                return match extra {
                    Some(kept) => write!(f, "], fit::Extra::Kept({}))", Ref(kept)),
                    None => f.write_str("], fit::Extra::Unknown)"),
                };
            }
            Fit::Union(members) => {
                f.write_str("fit::Fit::Union(&[")?;
                list(f, members, |f, m| write!(f, "{}", Ref(m)))?;
                return f.write_str("])");
            }
            // Not a value of its own: printed where it is referred to (see `Ref`).
            Fit::Type(name) => return write!(f, "{name}::FIT"),
        };
        write!(f, "fit::Fit::{word}")
    }
}

impl Serialize for Fit {
    /// As its text: templates print it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_the_runtime_expression_with_references_inside() {
        let object = Fit::Object(
            vec![FitProp {
                wire: "say \"hi\"".into(),
                fit: Fit::Map(Box::new(Fit::Type("Thing".into()))),
                need: FitNeed::OptionalNullable,
            }],
            Some(Box::new(Fit::Any)),
        );
        assert_eq!(
            object.to_string(),
            r#"fit::Fit::Object(&[fit::Prop("say \"hi\"", &fit::Fit::Map(&Thing::FIT), fit::Need::OptionalNullable)], fit::Extra::Kept(&fit::Fit::Any))"#
        );
        let union = Fit::Union(vec![
            Fit::Enum(vec!["A".into(), "B".into()]),
            Fit::List(Box::new(Fit::Uuid), None, Some(2)),
        ]);
        assert_eq!(
            serde_json::to_value(union).unwrap(),
            r#"fit::Fit::Union(&[&fit::Fit::Enum(&["A", "B"]), &fit::Fit::List(&fit::Fit::Uuid, None, Some(2))])"#
        );
    }
}
