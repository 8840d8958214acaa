//! A Rust type as lowering decided it: a tree of generated model types (by [`TypeId`]),
//! primitives and library paths, and the containers around them. It holds no names: it becomes
//! text only when printed with the names of the types ([`RustType::display`]; templates print
//! it through the render stage's `rust` filter), and the change report walks the tree.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::type_names::{Print, Shown, TypeId, TypeNames};

/// A type expression of the generated code; serialized as its structure (the render stage
/// prints it with the names).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RustType {
    /// A type of the generated `models` module: `id` is its index in [`Api::types`].
    /// `qualified` when written from outside the module (`crate::models::User`), else bare
    /// (`User`, as the module's own fields name it).
    Model { id: TypeId, qualified: bool },
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    pub fn model(id: TypeId) -> Self {
        RustType::Model {
            id,
            qualified: true,
        }
    }

    /// A generated type, named from inside `models` (`Name`).
    pub fn bare_model(id: TypeId) -> Self {
        RustType::Model {
            id,
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

    /// The generated type this is, when it is one (not one inside a container).
    pub fn model_id(&self) -> Option<TypeId> {
        match self {
            RustType::Model { id, .. } => Some(*id),
            _ => None,
        }
    }

    /// The generated types it mentions, in the order they are written.
    pub fn model_ids(&self) -> Vec<TypeId> {
        let mut found = Vec::new();
        let mut next = Some(self);
        while let Some(ty) = next {
            found.extend(ty.model_id());
            next = ty.inner();
        }
        found
    }

    /// The type as Rust code writes it, its generated types named by `names`.
    pub fn display<'a>(&'a self, names: &'a dyn TypeNames) -> Shown<'a, RustType> {
        Shown::new(self, names)
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

impl Print for RustType {
    /// The type the way people write it: `Option<Vec<crate::models::Account>>`.
    fn print(&self, names: &dyn TypeNames, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn inner<'a>(ty: &'a RustType, names: &'a dyn TypeNames) -> Shown<'a, RustType> {
            Shown::new(ty, names)
        }
        match self {
            RustType::Model {
                id,
                qualified: true,
            } => write!(f, "crate::models::{}", names.type_name(*id)),
            RustType::Model { id, .. } => f.write_str(names.type_name(*id)),
            RustType::Scalar(scalar) => f.write_str(scalar.as_str()),
            RustType::Vec(ty) => write!(f, "Vec<{}>", inner(ty, names)),
            RustType::Option(ty) => write!(f, "Option<{}>", inner(ty, names)),
            RustType::Map(ty) => write!(
                f,
                "std::collections::BTreeMap<String, {}>",
                inner(ty, names)
            ),
            RustType::Box(ty) => write!(f, "Box<{}>", inner(ty, names)),
            RustType::Unit => f.write_str("()"),
            RustType::ImplInto(ty) => write!(f, "impl Into<{}>", inner(ty, names)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type 0 is `Account`, 1 `Node`.
    fn names() -> Vec<String> {
        vec!["Account".to_string(), "Node".to_string()]
    }

    fn account() -> RustType {
        RustType::model(TypeId(0))
    }

    #[test]
    fn prints_nested_containers_as_people_write_them() {
        let names = names();
        let text = |ty: &RustType| ty.display(&names).to_string();
        let ty = RustType::option(RustType::option(RustType::vec(account())));
        assert_eq!(text(&ty), "Option<Option<Vec<crate::models::Account>>>");
        let map = RustType::map(RustType::vec(RustType::bare_model(TypeId(0))));
        assert_eq!(
            text(&map),
            "std::collections::BTreeMap<String, Vec<Account>>"
        );
        assert_eq!(
            text(&RustType::option(Scalar::DateTime.into())),
            "Option<chrono::DateTime<chrono::Utc>>"
        );
        assert_eq!(text(&RustType::bytes()), "Vec<u8>");
        assert_eq!(text(&RustType::Unit), "()");
        assert_eq!(
            text(&RustType::impl_into(RustType::boxed(RustType::bare_model(
                TypeId(1)
            )))),
            "impl Into<Box<Node>>"
        );
    }

    #[test]
    fn holds_ids_and_prints_the_names_it_is_given() {
        let ty = RustType::vec(RustType::option(account()));
        let renamed = vec!["Depot".to_string()];
        assert_eq!(
            ty.display(&renamed).to_string(),
            "Vec<Option<crate::models::Depot>>"
        );
        assert_eq!(
            ty.unqualified().display(&names()).to_string(),
            "Vec<Option<Account>>"
        );
        // Serialized as its structure, without a name, and read back the same.
        let json = serde_json::to_value(&ty).unwrap();
        assert!(!json.to_string().contains("Account"), "{json}");
        assert_eq!(serde_json::from_value::<RustType>(json).unwrap(), ty);
    }

    #[test]
    fn lists_the_model_ids_it_mentions_and_nothing_else() {
        let ty = RustType::option(RustType::map(RustType::boxed(account())));
        assert_eq!(ty.model_ids(), [TypeId(0)]);
        assert!(RustType::vec(Scalar::JsonObject.into())
            .model_ids()
            .is_empty());
        assert_eq!(account().model_id(), Some(TypeId(0)));
        assert_eq!(RustType::vec(account()).model_id(), None);
        assert_eq!(
            RustType::bare_model(TypeId(0)).qualified(),
            RustType::model(TypeId(0))
        );
    }

    #[test]
    fn strips_as_many_options_as_asked_and_there_are() {
        let x = RustType::bare_model(TypeId(1));
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
