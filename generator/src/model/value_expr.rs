//! The values generated code stores in fields (a setter's, a constructor's, a builder's), as
//! lowering decided them. They name no type (unlike [`RustType`](super::RustType), which is
//! printed with the types' names), so they become Rust text by themselves when printed
//! ([`Display`](fmt::Display), and [`Serialize`] as that text for the templates).

use std::fmt;

use serde::{Serialize, Serializer};

/// An expression stored in a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueExpr {
    /// The argument `name`; `into` when it is taken as `impl Into<T>` (`name.into()`).
    Arg { name: String, into: bool },
    /// `Some(inner)`.
    Some(Box<ValueExpr>),
    /// `None`.
    None,
    /// `std::collections::BTreeMap::new()`: a map of properties, empty.
    EmptyMap,
}

impl ValueExpr {
    /// The argument `name` as it is.
    pub fn arg(name: impl Into<String>) -> Self {
        ValueExpr::Arg {
            name: name.into(),
            into: false,
        }
    }

    /// `Some(self)`.
    pub fn some(self) -> Self {
        ValueExpr::Some(Box::new(self))
    }
}

impl fmt::Display for ValueExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueExpr::Arg { name, into: false } => f.write_str(name),
            ValueExpr::Arg { name, into: true } => write!(f, "{name}.into()"),
            ValueExpr::Some(inner) => write!(f, "Some({inner})"),
            ValueExpr::None => f.write_str("None"),
            ValueExpr::EmptyMap => f.write_str("std::collections::BTreeMap::new()"),
        }
    }
}

impl Serialize for ValueExpr {
    /// As its text: templates print it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A field's value in a struct expression (`Self { ... }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Init {
    pub field: String,
    pub value: ValueExpr,
}

impl fmt::Display for Init {
    /// `field: value`, or `field` alone when the value is the argument of that name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            ValueExpr::Arg { name, into: false } if *name == self.field => f.write_str(name),
            value => write!(f, "{}: {value}", self.field),
        }
    }
}

impl Serialize for Init {
    /// As its text: templates print it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_values_and_field_inits_as_rust() {
        let into = ValueExpr::Arg {
            name: "value".into(),
            into: true,
        };
        assert_eq!(into.clone().some().to_string(), "Some(value.into())");
        assert_eq!(ValueExpr::arg("value").some().to_string(), "Some(value)");
        assert_eq!(
            serde_json::to_value(ValueExpr::EmptyMap).unwrap(),
            "std::collections::BTreeMap::new()"
        );
        let init = |field: &str, value| Init {
            field: field.into(),
            value,
        };
        assert_eq!(init("id", ValueExpr::arg("id")).to_string(), "id");
        assert_eq!(init("id", ValueExpr::arg("other")).to_string(), "id: other");
        assert_eq!(
            init(
                "name",
                ValueExpr::Arg {
                    name: "name".into(),
                    into: true
                }
            )
            .to_string(),
            "name: name.into()"
        );
        assert_eq!(init("body", ValueExpr::None).to_string(), "body: None");
    }
}
