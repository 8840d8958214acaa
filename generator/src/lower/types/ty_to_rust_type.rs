//! Type expressions to the model's [`RustType`]: a [`Ty`] with its entries' ids in the model.

use super::shape::Ty;
use crate::model::{RustType, Scalar, TypeId};

/// The Rust type of `ty`, its entries referred to by `ids` (an entry's [`TypeId`], by entry
/// index); named types are written from outside `models` when `qualified`
/// (`crate::models::X`), else bare (`X`, inside `models`).
pub(super) fn rust_type(ty: &Ty, ids: &[TypeId], qualified: bool) -> RustType {
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
        Ty::Vec(inner) => RustType::vec(rust_type(inner, ids, qualified)),
        Ty::Map(inner) => RustType::map(rust_type(inner, ids, qualified)),
        Ty::Boxed(inner) => RustType::boxed(rust_type(inner, ids, qualified)),
        // Resolved before any type is printed (see `substitute`).
        Ty::Recursive(_) => scalar(Scalar::Json),
        Ty::Named(i) | Ty::Cyclic(i) => RustType::Model {
            id: ids.get(*i).copied().unwrap_or(TypeId(*i)),
            qualified,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_types_take_their_ids() {
        // Entry 0 is the model's type 1.
        let ids = [TypeId(1)];
        let names = vec!["Other".to_string(), "Account".to_string()];
        let ty = Ty::Map(Box::new(Ty::Vec(Box::new(Ty::Named(0)))));
        assert_eq!(
            rust_type(&ty, &ids, true).display(&names).to_string(),
            "std::collections::BTreeMap<String, Vec<crate::models::Account>>"
        );
        assert_eq!(
            rust_type(&Ty::Boxed(Box::new(Ty::Cyclic(0))), &ids, false),
            RustType::boxed(RustType::bare_model(TypeId(1)))
        );
        assert_eq!(
            rust_type(&Ty::Vec(Box::new(Ty::DateTime)), &ids, true),
            RustType::vec(Scalar::DateTime.into())
        );
    }
}
