//! Which operations the generated crate's example programs (`examples/`) call. Each example is
//! written only when the description has an operation it fits; the choice is made here, on the
//! lowered model, so that the templates only print what they are given.

use crate::model::{Api, Group, Operation, SampleCall, SampleCalls, TypeDef};

/// The operations of `examples/list_and_create.rs`, which builds their request types by name:
/// it applies to the "User Identifiers" group as Upvest describes it.
const LIST_AND_CREATE: [&str; 2] = ["list_user_identifiers", "create_identifier"];

/// The media type `examples/download_pdf.rs` asks for.
const PDF: &str = "application/pdf";

pub(super) fn choose(api: &Api) -> SampleCalls {
    let ops = || {
        api.groups
            .iter()
            .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
    };
    let found = |id: &str| ops().find(|(_, op)| op.operation_id == id);
    let list_and_create = match LIST_AND_CREATE.map(found) {
        [Some((list, _)), Some((create, _))] if list.feature == create.feature => {
            Some(list.feature.clone())
        }
        _ => None,
    };
    // Fewest arguments first, then the order of the groups and operations.
    let pick = |fits: &dyn Fn(&Operation) -> bool| {
        ops()
            .filter(|(_, op)| simple_arguments(op) && fits(op))
            .min_by_key(|(_, op)| op.arguments.len())
            .map(|(g, op)| call(g, op))
    };
    SampleCalls {
        list_and_create,
        export: pick(&|op| has_items(api, op)),
        download: pick(&|op| accepts(api, op, PDF)),
        errors: pick(&|op| op.http_method == "GET"),
        webhooks: !api.webhooks.is_empty(),
    }
}

fn call(group: &Group, op: &Operation) -> SampleCall {
    SampleCall {
        feature: group.feature.clone(),
        method_name: op.method_name.clone(),
        operation_id: op.operation_id.clone(),
        scopes: op.scopes.clone(),
        arguments: op
            .arguments
            .iter()
            .map(|a| {
                let bare = a.ident.trim_start_matches("r#");
                crate::model::SampleArgument {
                    variable: format!("UPVEST_{}", bare.to_ascii_uppercase()),
                    uuid: a.rust_type == "uuid::Uuid",
                }
            })
            .collect(),
    }
}

/// Arguments an example can read from the environment: identifiers and strings.
fn simple_arguments(op: &Operation) -> bool {
    op.arguments
        .iter()
        .all(|a| matches!(a.rust_type.as_str(), "uuid::Uuid" | "String"))
}

fn type_named<'a>(api: &'a Api, rust_type: &str) -> Option<&'a TypeDef> {
    let name = rust_type.replace(' ', "");
    let name = name.strip_prefix("crate::models::")?;
    api.types.iter().find(|t| t.name == name)
}

/// Whether a list operation has `items()`: `limit` and `offset` query parameters, and a JSON
/// body whose `data` is an array of a named type, as the group template finds it.
fn has_items(api: &Api, op: &Operation) -> bool {
    list_item(api, op).is_some()
}

fn list_item(api: &Api, op: &Operation) -> Option<String> {
    let integer = |name: &str| {
        op.query_params.iter().any(|p| {
            p.name == name
                && !p.argument
                && matches!(p.rust_type.as_str(), "i32" | "i64" | "u32" | "u64")
        })
    };
    if !(integer("limit") && integer("offset") && op.success.decoding == "json") {
        return None;
    }
    let page = type_named(api, &op.success.rust_type)?;
    let data = page.fields.iter().find(|f| f.wire == "data")?;
    let ty = data.rust_type.replace(' ', "");
    let inner = ty.strip_prefix("Vec<")?.strip_suffix('>')?;
    (!inner.contains('<')).then(|| page.name.clone())
}

/// Whether the operation's `accept` header offers this media type (a `download_..` method).
fn accepts(api: &Api, op: &Operation, media: &str) -> bool {
    op.header_params
        .iter()
        .filter(|p| p.name == "accept")
        .filter_map(|p| type_named(api, &p.rust_type))
        .any(|t| t.variants.iter().any(|v| v.wire == media))
}
