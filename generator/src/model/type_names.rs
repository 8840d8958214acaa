//! Model values refer to generated types by [`TypeId`]; they become Rust text only when printed
//! with the types' names ([`TypeNames`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// A named type: its index in [`Api::types`] (sorted by name), as lowering refers to types
/// once they have their final names; templates look the name up where they print it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct TypeId(pub usize);

/// The names of the generated types by id: what turns a model value into text.
pub trait TypeNames {
    /// The name of the type `id` (empty for an id that is none of them).
    fn type_name(&self, id: TypeId) -> &str;
}

/// Names by index (lowering's, before the definitions are made; tests').
impl TypeNames for [String] {
    fn type_name(&self, id: TypeId) -> &str {
        self.get(id.0).map_or("", String::as_str)
    }
}

impl TypeNames for Vec<String> {
    fn type_name(&self, id: TypeId) -> &str {
        self.as_slice().type_name(id)
    }
}

/// Names for some ids (the change report's digests).
impl TypeNames for BTreeMap<TypeId, String> {
    fn type_name(&self, id: TypeId) -> &str {
        self.get(&id).map_or("", String::as_str)
    }
}

/// A model value that becomes Rust text once its types' names are known.
pub trait Print {
    fn print(&self, names: &dyn TypeNames, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// A [`Print`] value with the names it is printed with: [`fmt::Display`].
pub struct Shown<'a, T: ?Sized> {
    value: &'a T,
    names: &'a dyn TypeNames,
}

impl<'a, T: ?Sized> Shown<'a, T> {
    pub fn new(value: &'a T, names: &'a dyn TypeNames) -> Self {
        Self { value, names }
    }
}

impl<T: Print + ?Sized> fmt::Display for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.print(self.names, f)
    }
}
