//! Type expressions to the model's [`RustType`]: a [`Ty`] with its entries' final names.

use super::shape::Ty;
use crate::model::{RustType, Scalar};

/// The Rust type of `ty`; named types are written from outside `models` when `qualified`
/// (`crate::models::X`), else bare (`X`, inside `models`).
pub(super) fn rust_type(ty: &Ty, names: &[String], qualified: bool) -> RustType {
    let scalar = |s: Scalar| RustType::Scalar(s);
    match ty {
        Ty::String => scalar(Scalar::String),
        Ty::Uuid => scalar(Scalar::Uuid),
        Ty::DateTime => scalar(Scalar::DateTime),
        Ty::Date => scalar(Scalar::Date),
        Ty::I32 => scalar(Scalar::I32),
        Ty::I64 => scalar(Scalar::I64),
        Ty::F64 => scalar(Scalar::F64),
        Ty::Bool => scalar(Scalar::Bool),
        Ty::Json => scalar(Scalar::Json),
        Ty::JsonObject => scalar(Scalar::JsonObject),
        Ty::Vec(inner) => RustType::vec(rust_type(inner, names, qualified)),
        Ty::Map(inner) => RustType::map(rust_type(inner, names, qualified)),
        Ty::Boxed(inner) => RustType::boxed(rust_type(inner, names, qualified)),
        // Resolved before any type is printed (see `substitute`).
        Ty::Recursive(_) => scalar(Scalar::Json),
        Ty::Named(i) | Ty::Cyclic(i) => RustType::Model {
            name: names.get(*i).cloned().unwrap_or_default(),
            qualified,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_types_take_their_final_names() {
        let ty = Ty::Map(Box::new(Ty::Vec(Box::new(Ty::Named(0)))));
        let names = vec!["Account".to_string()];
        assert_eq!(
            rust_type(&ty, &names, true).to_string(),
            "std::collections::BTreeMap<String, Vec<crate::models::Account>>"
        );
        assert_eq!(
            rust_type(&Ty::Boxed(Box::new(Ty::Cyclic(0))), &names, false).to_string(),
            "Box<Account>"
        );
        assert_eq!(
            rust_type(&Ty::Vec(Box::new(Ty::DateTime)), &names, true).to_string(),
            "Vec<chrono::DateTime<chrono::Utc>>"
        );
    }
}
