//! A Rust type as lowering decided it: a tree of generated model names, primitives and library
//! paths, and the containers around them. It becomes text only when printed ([`Display`], and
//! [`Serialize`] as that text for the templates); the change report walks the tree.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

/// A type expression of the generated code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RustType {
    /// A type of the generated `models` module, by name; `qualified` when written from outside
    /// it (`crate::models::User`), else bare (`User`, as the module's own fields name it).
    Model { name: String, qualified: bool },
    /// A primitive or a library type that takes no model types.
    Scalar(Scalar),
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// `std::collections::BTreeMap<String, T>`: an object's other properties.
    Map(Box<RustType>),
    /// `Box<T>`: a field or union member that holds a type of its own cycle.
    Box(Box<RustType>),
    /// `()`: a response without a body.
    Unit,
    /// `impl Into<T>`: an argument that takes anything that becomes a `T`.
    ImplInto(Box<RustType>),
}

/// The leaves of a [`RustType`] that are not generated types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scalar {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// A byte, for a body's bytes (`Vec<u8>`).
    U8,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// `serde_json::Value`: any JSON.
    Json,
    /// `serde_json::Map<String, serde_json::Value>`: any JSON object.
    JsonObject,
    /// `crate::Problem`: the runtime's problem document (error bodies).
    Problem,
}

impl Scalar {
    /// The type as Rust code names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Scalar::String => "String",
            Scalar::Bool => "bool",
            Scalar::I32 => "i32",
            Scalar::I64 => "i64",
            Scalar::F64 => "f64",
            Scalar::U8 => "u8",
            Scalar::Uuid => "uuid::Uuid",
            Scalar::DateTime => "chrono::DateTime<chrono::Utc>",
            Scalar::Date => "chrono::NaiveDate",
            Scalar::Json => "serde_json::Value",
            Scalar::JsonObject => "serde_json::Map<String, serde_json::Value>",
            Scalar::Problem => "crate::Problem",
        }
    }
}

impl RustType {
    /// A generated type, named from outside `models` (`crate::models::Name`).
    pub fn model(name: impl Into<String>) -> Self {
        RustType::Model {
            name: name.into(),
            qualified: true,
        }
    }

    /// A generated type, named from inside `models` (`Name`).
    pub fn bare_model(name: impl Into<String>) -> Self {
        RustType::Model {
            name: name.into(),
            qualified: false,
        }
    }

    pub fn vec(inner: RustType) -> Self {
        RustType::Vec(Box::new(inner))
    }

    pub fn option(inner: RustType) -> Self {
        RustType::Option(Box::new(inner))
    }

    pub fn map(inner: RustType) -> Self {
        RustType::Map(Box::new(inner))
    }

    pub fn boxed(inner: RustType) -> Self {
        RustType::Box(Box::new(inner))
    }

    pub fn impl_into(inner: RustType) -> Self {
        RustType::ImplInto(Box::new(inner))
    }

    /// `Vec<u8>`: a body's bytes.
    pub fn bytes() -> Self {
        RustType::vec(RustType::Scalar(Scalar::U8))
    }

    /// The type directly inside this one, for a container.
    fn inner(&self) -> Option<&RustType> {
        match self {
            RustType::Vec(inner)
            | RustType::Option(inner)
            | RustType::Map(inner)
            | RustType::Box(inner)
            | RustType::ImplInto(inner) => Some(inner),
            RustType::Model { .. } | RustType::Scalar(_) | RustType::Unit => None,
        }
    }

    /// The name of the generated type this is, when it is one (not one inside a container).
    pub fn model_name(&self) -> Option<&str> {
        match self {
            RustType::Model { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The generated types it mentions, in the order they are written.
    pub fn model_names(&self) -> Vec<&str> {
        let mut found = Vec::new();
        let mut next = Some(self);
        while let Some(ty) = next {
            if let Some(name) = ty.model_name() {
                found.push(name);
            }
            next = ty.inner();
        }
        found
    }

    /// This type with each generated type's name replaced by `rename(name)` (kept where it
    /// gives none).
    pub fn map_models(&self, rename: &mut dyn FnMut(&str) -> Option<String>) -> RustType {
        match self {
            RustType::Model { name, qualified } => RustType::Model {
                name: rename(name).unwrap_or_else(|| name.clone()),
                qualified: *qualified,
            },
            RustType::Scalar(s) => RustType::Scalar(*s),
            RustType::Unit => RustType::Unit,
            RustType::Vec(inner) => RustType::vec(inner.map_models(rename)),
            RustType::Option(inner) => RustType::option(inner.map_models(rename)),
            RustType::Map(inner) => RustType::map(inner.map_models(rename)),
            RustType::Box(inner) => RustType::boxed(inner.map_models(rename)),
            RustType::ImplInto(inner) => RustType::impl_into(inner.map_models(rename)),
        }
    }

    /// This type with renamed generated types (old name -> new name) translated.
    pub fn renamed(&self, renames: &BTreeMap<String, String>) -> RustType {
        self.map_models(&mut |name| renames.get(name).cloned())
    }

    /// This type with every generated type named bare (`User`, not `crate::models::User`): how
    /// users write it, and how the change report shows it.
    pub fn unqualified(&self) -> RustType {
        let mut bare = self.clone();
        bare.set_qualified(false);
        bare
    }

    /// This type with every generated type named from outside `models`.
    pub fn qualified(&self) -> RustType {
        let mut outside = self.clone();
        outside.set_qualified(true);
        outside
    }

    fn set_qualified(&mut self, to: bool) {
        match self {
            RustType::Model { qualified, .. } => *qualified = to,
            RustType::Vec(inner)
            | RustType::Option(inner)
            | RustType::Map(inner)
            | RustType::Box(inner)
            | RustType::ImplInto(inner) => inner.set_qualified(to),
            RustType::Scalar(_) | RustType::Unit => {}
        }
    }

    /// The type inside up to `layers` `Option`s (fewer where there are fewer).
    pub fn strip_options(&self, layers: usize) -> &RustType {
        let mut ty = self;
        for _ in 0..layers {
            match ty {
                RustType::Option(inner) => ty = inner,
                _ => break,
            }
        }
        ty
    }

    /// The element type of a `Vec`.
    pub fn vec_item(&self) -> Option<&RustType> {
        match self {
            RustType::Vec(inner) => Some(inner),
            _ => None,
        }
    }

    /// Whether it is a generated type or a [`Scalar`] (no container).
    pub fn is_leaf(&self) -> bool {
        matches!(self, RustType::Model { .. } | RustType::Scalar(_))
    }
}

impl From<Scalar> for RustType {
    fn from(scalar: Scalar) -> Self {
        RustType::Scalar(scalar)
    }
}

impl PartialEq<Scalar> for RustType {
    fn eq(&self, other: &Scalar) -> bool {
        matches!(self, RustType::Scalar(s) if s == other)
    }
}

impl fmt::Display for RustType {
    /// The type the way people write it: `Option<Vec<crate::models::Account>>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Model {
                name,
                qualified: true,
            } => write!(f, "crate::models::{name}"),
            RustType::Model { name, .. } => f.write_str(name),
            RustType::Scalar(scalar) => f.write_str(scalar.as_str()),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Map(inner) => write!(f, "std::collections::BTreeMap<String, {inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
            RustType::Unit => f.write_str("()"),
            RustType::ImplInto(inner) => write!(f, "impl Into<{inner}>"),
        }
    }
}

impl Serialize for RustType {
    /// As its text: templates print it.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> RustType {
        RustType::model("Account")
    }

    #[test]
    fn prints_nested_containers_as_people_write_them() {
        let ty = RustType::option(RustType::option(RustType::vec(account())));
        assert_eq!(
            ty.to_string(),
            "Option<Option<Vec<crate::models::Account>>>"
        );
        let map = RustType::map(RustType::vec(RustType::bare_model("Account")));
        assert_eq!(
            map.to_string(),
            "std::collections::BTreeMap<String, Vec<Account>>"
        );
        assert_eq!(
            RustType::option(Scalar::DateTime.into()).to_string(),
            "Option<chrono::DateTime<chrono::Utc>>"
        );
        assert_eq!(RustType::bytes().to_string(), "Vec<u8>");
        assert_eq!(RustType::Unit.to_string(), "()");
        assert_eq!(
            RustType::impl_into(RustType::boxed(RustType::bare_model("Node"))).to_string(),
            "impl Into<Box<Node>>"
        );
        assert_eq!(
            serde_json::to_value(RustType::vec(Scalar::JsonObject.into())).unwrap(),
            "Vec<serde_json::Map<String, serde_json::Value>>"
        );
    }

    #[test]
    fn lists_the_model_names_it_mentions_and_nothing_else() {
        let ty = RustType::option(RustType::map(RustType::boxed(account())));
        assert_eq!(ty.model_names(), ["Account"]);
        assert!(RustType::vec(Scalar::JsonObject.into())
            .model_names()
            .is_empty());
        assert_eq!(account().model_name(), Some("Account"));
        assert_eq!(RustType::vec(account()).model_name(), None);
    }

    #[test]
    fn renames_models_only_and_keeps_qualification() {
        let renames = BTreeMap::from([
            ("Account".to_string(), "Depot".to_string()),
            ("String".to_string(), "Nope".to_string()),
        ]);
        let ty = RustType::vec(RustType::option(account()));
        assert_eq!(
            ty.renamed(&renames).to_string(),
            "Vec<Option<crate::models::Depot>>"
        );
        assert_eq!(
            ty.renamed(&renames).unqualified().to_string(),
            "Vec<Option<Depot>>"
        );
        let text = RustType::vec(Scalar::String.into());
        assert_eq!(text.renamed(&renames), text);
        let other = RustType::model("Accounts");
        assert_eq!(other.renamed(&renames), other);
        assert_eq!(
            RustType::bare_model("Account").qualified().to_string(),
            "crate::models::Account"
        );
    }

    #[test]
    fn strips_as_many_options_as_asked_and_there_are() {
        let x = RustType::bare_model("X");
        let twice = RustType::option(RustType::option(x.clone()));
        assert_eq!(twice.strip_options(2), &x);
        assert_eq!(twice.strip_options(1), &RustType::option(x.clone()));
        assert_eq!(twice.strip_options(0), &twice);
        assert_eq!(x.strip_options(2), &x);
        let list = RustType::vec(RustType::option(x.clone()));
        assert_eq!(list.strip_options(1), &list);
        assert_eq!(list.vec_item(), Some(&RustType::option(x)));
    }

    #[test]
    fn compares_with_scalars() {
        let uuid = RustType::from(Scalar::Uuid);
        let text = RustType::from(Scalar::String);
        assert!(uuid == Scalar::Uuid);
        assert!(text != Scalar::Uuid);
        assert!(RustType::option(uuid) != Scalar::Uuid);
    }
}
