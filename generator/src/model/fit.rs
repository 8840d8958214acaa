//! A type's fit table as lowering decided it: what its description says a value looks like,
//! for choosing a union's variant. It mirrors the runtime's `serde_helpers::Fit` and holds the
//! types it refers to by id: it becomes the Rust expression of one only when printed with the
//! types' names ([`Fit::display`] for a type's `FIT` constant in `models`, [`Fit::crate_ref`]
//! for a reference from elsewhere in the crate; templates print it through the render stage's
//! `fit` and `crate_fit_ref` filters).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::type_names::{Print, Shown, TypeId, TypeNames};

/// A `serde_helpers::Fit` value (the runtime module is imported as `fit` where it is printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The table of a generated type (its `FIT` constant): its index in
    /// [`Api::types`](super::Api::types).
    Type(TypeId),
}

/// A named property of a [`Fit::Object`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitProp {
    pub wire: String,
    pub fit: Fit,
    pub need: FitNeed,
}

/// The runtime's `serde_helpers::Need`: whether a property must be present and may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

impl Fit {
    /// The value as a Rust expression inside `models`, where the runtime module is imported as
    /// `fit` and types are named bare: `fit::Fit::List(&fit::Fit::String, Some(1), None)`.
    pub fn display<'a>(&'a self, names: &'a dyn TypeNames) -> Shown<'a, Fit> {
        Shown::new(self, names)
    }

    /// A `&'static Fit` expression for the value from anywhere in the crate:
    /// `&crate::serde_helpers::Fit::List(&crate::models::Thing::FIT, None, None)`.
    pub fn crate_ref<'a>(&'a self, names: &'a dyn TypeNames) -> CrateRef<'a> {
        CrateRef { fit: self, names }
    }
}

impl Print for Fit {
    fn print(&self, names: &dyn TypeNames, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Writer::MODELS.value(self, names, f)
    }
}

/// See [`Fit::crate_ref`].
pub struct CrateRef<'a> {
    fit: &'a Fit,
    names: &'a dyn TypeNames,
}

impl fmt::Display for CrateRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Writer::CRATE.reference(self.fit, self.names, f)
    }
}

/// How the runtime's items and the generated types are reached where a table is printed.
struct Writer {
    /// The runtime's `serde_helpers` module (`fit::`).
    runtime: &'static str,
    /// The generated types' module (empty inside it).
    models: &'static str,
}

impl Writer {
    const MODELS: Writer = Writer {
        runtime: "fit::",
        models: "",
    };
    const CRATE: Writer = Writer {
        runtime: "crate::serde_helpers::",
        models: "crate::models::",
    };

    /// A `&'static Fit` expression: another type's constant, or a reference to the value.
    fn reference(
        &self,
        fit: &Fit,
        names: &dyn TypeNames,
        f: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        match fit {
            Fit::Type(id) => write!(f, "&{}{}::FIT", self.models, names.type_name(*id)),
            fit => {
                f.write_str("&")?;
                self.value(fit, names, f)
            }
        }
    }

    /// Items separated by `, `.
    fn list<T>(
        f: &mut fmt::Formatter<'_>,
        items: &[T],
        mut item: impl FnMut(&mut fmt::Formatter<'_>, &T) -> fmt::Result,
    ) -> fmt::Result {
        for (i, each) in items.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            item(f, each)?;
        }
        Ok(())
    }

    /// The value as a Rust expression.
    fn value(&self, fit: &Fit, names: &dyn TypeNames, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bound = |n: &Option<usize>| match n {
            Some(n) => format!("Some({n})"),
            None => "None".to_string(),
        };
        let rt = self.runtime;
        let word = match fit {
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
                let kind = if matches!(fit, Fit::Enum(_)) {
                    "Enum"
                } else {
                    "ProseEnum"
                };
                write!(f, "{rt}Fit::{kind}(&[")?;
                Self::list(f, values, |f, v| write!(f, "{v:?}"))?;
                return f.write_str("])");
            }
            Fit::List(item, min, max) => {
                write!(f, "{rt}Fit::List(")?;
                self.reference(item, names, f)?;
                return write!(f, ", {}, {})", bound(min), bound(max));
            }
            Fit::Map(item) => {
                write!(f, "{rt}Fit::Map(")?;
                self.reference(item, names, f)?;
                return f.write_str(")");
            }
            Fit::Object(props, extra) => {
                write!(f, "{rt}Fit::Object(&[")?;
                Self::list(f, props, |f, p| {
                    write!(f, "{rt}Prop({:?}, ", p.wire)?;
                    self.reference(&p.fit, names, f)?;
                    write!(f, ", {rt}Need::{})", p.need.as_str())
                })?;
                return match extra {
                    Some(kept) => {
                        write!(f, "], {rt}Extra::Kept(")?;
                        self.reference(kept, names, f)?;
                        f.write_str("))")
                    }
                    None => write!(f, "], {rt}Extra::Unknown)"),
                };
            }
            Fit::Union(members) => {
                write!(f, "{rt}Fit::Union(&[")?;
                Self::list(f, members, |f, m| self.reference(m, names, f))?;
                return f.write_str("])");
            }
            // Not a value of its own: printed where it is referred to (see `reference`).
            Fit::Type(id) => return write!(f, "{}{}::FIT", self.models, names.type_name(*id)),
        };
        write!(f, "{rt}Fit::{word}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_the_runtime_expression_with_references_inside() {
        let names = vec!["Thing".to_string()];
        let object = Fit::Object(
            vec![FitProp {
                wire: "say \"hi\"".into(),
                fit: Fit::Map(Box::new(Fit::Type(TypeId(0)))),
                need: FitNeed::OptionalNullable,
            }],
            Some(Box::new(Fit::Any)),
        );
        assert_eq!(
            object.display(&names).to_string(),
            r#"fit::Fit::Object(&[fit::Prop("say \"hi\"", &fit::Fit::Map(&Thing::FIT), fit::Need::OptionalNullable)], fit::Extra::Kept(&fit::Fit::Any))"#
        );
        let union = Fit::Union(vec![
            Fit::Enum(vec!["A".into(), "B".into()]),
            Fit::List(Box::new(Fit::Uuid), None, Some(2)),
        ]);
        assert_eq!(
            union.display(&names).to_string(),
            r#"fit::Fit::Union(&[&fit::Fit::Enum(&["A", "B"]), &fit::Fit::List(&fit::Fit::Uuid, None, Some(2))])"#
        );
    }

    #[test]
    fn prints_a_reference_from_the_crate() {
        let names = vec!["Thing".to_string()];
        let list = Fit::List(Box::new(Fit::Type(TypeId(0))), None, None);
        assert_eq!(
            list.crate_ref(&names).to_string(),
            "&crate::serde_helpers::Fit::List(&crate::models::Thing::FIT, None, None)"
        );
        assert_eq!(
            Fit::Type(TypeId(0)).crate_ref(&names).to_string(),
            "&crate::models::Thing::FIT"
        );
        assert_eq!(
            Fit::AnyObject.crate_ref(&names).to_string(),
            "&crate::serde_helpers::Fit::AnyObject"
        );
    }
}
