//! How an operation is called, decided once its types have their final names: whether it is a
//! list walked page by page (and what its items are), which `accept` values get methods of their
//! own, and whether its success body holds a secret. The group template prints these.

use crate::model::{AcceptMethod, Decoding, Operation, Pagination, RustType, Scalar, TypeDef};
use crate::names;

/// The query parameters a list is walked by.
const LIMIT: &str = "limit";
const OFFSET: &str = "offset";
const INTEGERS: &[Scalar] = &[Scalar::I32, Scalar::I64];
/// The field of a list response that holds the page's items.
const PAGE_ITEMS: &str = "data";

/// Fills in the operation's `secret_response`, `pagination` and `accept_methods`.
pub fn operation_calls(op: &mut Operation, defs: &[TypeDef]) {
    let success = model_type(&op.success.rust_type, defs);
    op.secret_response = success.is_some_and(|t| t.has_secrets);
    op.pagination = pagination(op, success);
    op.accept_methods = accept_methods(op, defs);
}

/// The generated type a Rust type is, when it is one (`crate::models::X`).
fn model_type<'a>(rust_type: &RustType, defs: &'a [TypeDef]) -> Option<&'a TypeDef> {
    let name = rust_type.model_name()?;
    defs.iter().find(|t| t.name == name)
}

/// A list has integer `limit` and `offset` query parameters, the offset a setter (the walk sets
/// it), and a JSON success body. Its items are the `data` field's list elements, when that is a
/// list of one type.
fn pagination(op: &Operation, success: Option<&TypeDef>) -> Option<Pagination> {
    let integer = |name: &str| {
        op.query_params
            .iter()
            .find(|p| p.name == name && INTEGERS.iter().any(|i| p.rust_type == *i))
    };
    let (_, offset) = (integer(LIMIT)?, integer(OFFSET)?);
    if offset.argument || op.success.decoding != Decoding::Json {
        return None;
    }
    let item_type = success
        .and_then(|t| t.fields.iter().find(|f| f.wire == PAGE_ITEMS))
        .and_then(|f| f.rust_type.vec_item())
        .filter(|item| item.is_leaf())
        .map(RustType::qualified);
    Some(Pagination {
        offset_ident: offset.ident.clone(),
        offset_type: offset.rust_type.clone(),
        item_type,
    })
}

/// One method pair per media type of the `accept` header's enum, besides JSON; a value that
/// gives no name, or the name of an earlier one, gets none.
fn accept_methods(op: &Operation, defs: &[TypeDef]) -> Vec<AcceptMethod> {
    let Some(accept) = op
        .header_params
        .iter()
        .find(|p| p.accept)
        .and_then(|p| model_type(&p.rust_type, defs))
    else {
        return Vec::new();
    };
    let mut methods: Vec<AcceptMethod> = Vec::new();
    for value in &accept.variants {
        let suffix = names::media_suffix(&value.wire);
        let taken = methods.iter().any(|m| m.suffix == suffix);
        if value.wire.is_empty() || value.wire == "application/json" || suffix.is_empty() || taken {
            continue;
        }
        methods.push(AcceptMethod {
            wire: value.wire.clone(),
            suffix,
        });
    }
    methods
}
