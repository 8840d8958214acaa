//! How an operation is called: which `accept` values get methods of their own (decided from the
//! header's schema, before the parameters are named), and, once its types have their final
//! names, whether it is a list walked page by page (and what its items are) and whether its
//! success body holds a secret. The group template prints these.

use std::borrow::Cow;

use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};
use serde::Deserialize as _;

use crate::load::LoadedSpec;
use crate::model::{
    AcceptMethod, Decoding, PageItems, Pagination, Param, RustType, Scalar, Success, TypeDef,
    TypeKind,
};
use crate::names;
use crate::pointer::Pointer;

/// The header whose values choose the response's media type: its values besides JSON get
/// `send_...`/`download_...` methods instead of a setter (see [`accept_methods`]).
pub const ACCEPT_HEADER: &str = "accept";

/// The query parameters a list is walked by: the generator's rule for what a list is (the
/// runtime's walk sets the offset through the builder's setter and names neither).
const LIMIT: &str = "limit";
const OFFSET: &str = "offset";
const INTEGERS: &[Scalar] = &[Scalar::I32, Scalar::I64];

/// What an operation's types decide about calling it (see the fields of
/// [`Operation`](crate::model::Operation) of the same names).
pub struct OperationCalls {
    pub secret_response: bool,
    pub pagination: Option<Pagination>,
}

/// Decides how an operation with these query parameters and this success is called.
pub fn operation_calls(
    query_params: &[Param],
    success: &Success,
    defs: &[TypeDef],
) -> OperationCalls {
    let success_type = model_type(&success.rust_type, defs);
    OperationCalls {
        secret_response: success_type.is_some_and(|t| t.has_secrets),
        pagination: pagination(query_params, success.decoding, success_type),
    }
}

/// The generated type a Rust type is, when it is one (`crate::models::X`).
fn model_type<'a>(rust_type: &RustType, defs: &'a [TypeDef]) -> Option<&'a TypeDef> {
    defs.get(rust_type.model_id()?.0)
}

/// A list has integer `limit` and `offset` query parameters, the offset a setter (the walk sets
/// it), and a JSON success body whose type is a struct with the field the runtime reads a
/// page's items from, `data` ([`crate::runtime::page_items_field`]; reading the `data` of a
/// page of any other type would not compile). Its items are typed when `data` is always
/// there and a list of one generated or scalar type, else JSON values (a union of lists, as
/// Upvest's user lists are, or an optional list).
fn pagination(
    query_params: &[Param],
    decoding: Decoding,
    success: Option<&TypeDef>,
) -> Option<Pagination> {
    let integer = |name: &str| {
        query_params
            .iter()
            .find(|p| p.name == name && INTEGERS.iter().any(|i| p.rust_type == *i))
    };
    let (_, offset) = (integer(LIMIT)?, integer(OFFSET)?);
    if offset.argument || decoding != Decoding::Json {
        return None;
    }
    let data = success
        .filter(|t| t.kind == TypeKind::Struct)?
        .fields
        .iter()
        .find(|f| f.wire == crate::runtime::page_items_field())?;
    // Typed items only from a `Vec` of one type that is always there; any other `data` (a union
    // of lists, `Option<Vec<_>>`) is read as JSON values by `.items()`.
    let items = match data.rust_type.vec_item().filter(|item| item.is_leaf()) {
        Some(item) => PageItems::Typed {
            item_type: item.qualified(),
        },
        None => PageItems::Json,
    };
    Some(Pagination {
        offset_ident: offset.ident.clone(),
        offset_type: offset.rust_type.clone(),
        items_field: data.ident.clone(),
        items,
    })
}

/// The methods a builder gets for the values of its `accept` header parameter (besides `send`):
/// `send_pdf` and `download_pdf` for `application/pdf`, one pair per media type of the header's
/// enum besides JSON; a value that gives no name, or the name of an earlier one, gets none.
/// Decided before the parameters are named, which must not take these names.
pub fn accept_methods(
    spec: &LoadedSpec,
    params: &[(Cow<Parameter>, Pointer)],
) -> Vec<AcceptMethod> {
    let Some(schema) = params.iter().find_map(|(p, _)| {
        let data = p.parameter_data_ref();
        let accept = matches!(**p, Parameter::Header { .. })
            && data.name.eq_ignore_ascii_case(ACCEPT_HEADER);
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) if accept => Some(schema),
            _ => None,
        }
    }) else {
        return Vec::new();
    };
    let schema =
        match schema {
            ReferenceOr::Item(schema) => Some(Cow::Borrowed(schema)),
            ReferenceOr::Reference { reference } => Pointer::parse_ref(reference).and_then(|p| {
                match crate::describe::operations::component::<Schema>(&spec.api, &p) {
                    Some(schema) => Some(Cow::Borrowed(schema)),
                    None => Schema::deserialize(p.resolve(&spec.raw)?)
                        .ok()
                        .map(Cow::Owned),
                }
            }),
        };
    let values: Vec<String> = match schema.as_deref().map(|s| &s.schema_kind) {
        Some(SchemaKind::Type(Type::String(s))) => {
            s.enumeration.iter().flatten().cloned().collect()
        }
        _ => Vec::new(),
    };
    let mut methods: Vec<AcceptMethod> = Vec::new();
    for value in values {
        let suffix = names::media_suffix(&value);
        let taken = methods.iter().any(|m| m.suffix == suffix);
        if value.is_empty() || value == "application/json" || suffix.is_empty() || taken {
            continue;
        }
        methods.push(AcceptMethod {
            wire: value,
            suffix,
        });
    }
    methods
}
