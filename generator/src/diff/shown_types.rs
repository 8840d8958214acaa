//! How the report shows and compares Rust types: the model's [`RustType`] trees, shown the way
//! users write them (without `crate::models::`) with the names of the model they belong to (two
//! models number their types differently: types are compared by these texts), old types with
//! renamed model types translated.

use std::collections::BTreeMap;

use crate::model::{Api, RustType, TypeId, TypeNames};

/// The type as a user writes it, its types named by `names`: `Option<Vec<Identifier>>`.
pub fn shown(rust_type: &RustType, names: &dyn TypeNames) -> String {
    rust_type.unqualified().display(names).to_string()
}

/// The two models compared, for showing their types.
pub struct TypeText<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
    /// Old name -> new name, for every type renamed.
    pub renames: &'a BTreeMap<String, String>,
}

impl TypeText<'_> {
    /// A type of the old model, as it was.
    pub fn shown_old(&self, rust_type: &RustType) -> String {
        shown(rust_type, self.old)
    }

    /// A type of the new model.
    pub fn shown_new(&self, rust_type: &RustType) -> String {
        shown(rust_type, self.new)
    }

    /// A type of the old model as the new model would show it: renamed types translated.
    pub fn translated(&self, rust_type: &RustType) -> String {
        let renamed = Renamed {
            names: self.old,
            renames: self.renames,
        };
        shown(rust_type, &renamed)
    }
}

/// A model's names, renamed types under their new names.
struct Renamed<'a> {
    names: &'a dyn TypeNames,
    renames: &'a BTreeMap<String, String>,
}

impl TypeNames for Renamed<'_> {
    fn type_name(&self, id: TypeId) -> &str {
        let name = self.names.type_name(id);
        self.renames.get(name).map_or(name, String::as_str)
    }
}

/// The type inside the `Option`s a field's required-ness and nullability add.
pub fn field_inner(rust_type: &RustType, required: bool, nullable: bool) -> &RustType {
    let wrappers = match (required, nullable) {
        (true, false) => 0,
        (true, true) | (false, false) => 1,
        (false, true) => 2,
    };
    rust_type.strip_options(wrappers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scalar;

    #[test]
    fn shows_model_types_bare_and_translates_renamed_ones() {
        let old_names = vec!["Old".to_string(), "Older".to_string()];
        let ty = RustType::option(RustType::vec(RustType::model(TypeId(0))));
        assert_eq!(shown(&ty, &old_names), "Option<Vec<Old>>");
        let renames = BTreeMap::from([("Old".to_string(), "New".to_string())]);
        let renamed = Renamed {
            names: &old_names,
            renames: &renames,
        };
        assert_eq!(shown(&ty, &renamed), "Option<Vec<New>>");
        let map = RustType::map(RustType::model(TypeId(1)));
        assert_eq!(
            shown(&map, &renamed),
            "std::collections::BTreeMap<String, Older>"
        );
    }

    #[test]
    fn strips_the_options_required_and_nullable_add() {
        let x = RustType::bare_model(TypeId(0));
        let twice = RustType::option(RustType::option(x.clone()));
        let once = RustType::option(x.clone());
        assert_eq!(field_inner(&twice, false, true), &x);
        assert_eq!(field_inner(&once, false, false), &x);
        assert_eq!(field_inner(&once, true, true), &x);
        assert_eq!(field_inner(&once, true, false), &once);
        let text = RustType::from(Scalar::String);
        assert_eq!(field_inner(&text, false, true), &text);
    }
}
