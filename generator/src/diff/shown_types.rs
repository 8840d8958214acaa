//! How the report shows and compares Rust types: the model's [`RustType`] trees, shown the way
//! users write them (without `crate::models::`), old types with renamed model types translated.

use std::collections::BTreeMap;

use crate::model::RustType;

/// The type as a user writes it: `Option<Vec<Identifier>>`.
pub fn shown(rust_type: &RustType) -> String {
    rust_type.unqualified().to_string()
}

/// The old type as the new model would show it: renamed model types translated.
pub fn translated(rust_type: &RustType, renames: &BTreeMap<String, String>) -> String {
    shown(&rust_type.renamed(renames))
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
        let ty = RustType::option(RustType::vec(RustType::model("Old")));
        assert_eq!(shown(&ty), "Option<Vec<Old>>");
        let renames = BTreeMap::from([("Old".to_string(), "New".to_string())]);
        assert_eq!(translated(&ty, &renames), "Option<Vec<New>>");
        let map = RustType::map(RustType::model("Older"));
        assert_eq!(
            translated(&map, &renames),
            "std::collections::BTreeMap<String, Older>"
        );
    }

    #[test]
    fn strips_the_options_required_and_nullable_add() {
        let x = RustType::bare_model("X");
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
