//! Which operations the generated crate's example programs (`examples/`) call. Each example is
//! written only when the description has an operation it fits; the choice is made here, on the
//! lowered model, so that the templates only print what they are given.

use crate::model::{
    Group, HttpMethod, Operation, Placeholder, SampleArgumentKind, SampleCall, SampleCalls, Scalar,
    Webhook,
};

/// The operations of `examples/list_and_create.rs`, which builds their request types by name:
/// it applies to the "User Identifiers" group as Upvest describes it.
const LIST_AND_CREATE: [&str; 2] = ["list_user_identifiers", "create_identifier"];

/// The media type `examples/download_pdf.rs` asks for.
const PDF: &str = "application/pdf";

/// The operations the example programs call, from the groups' operations.
pub(super) fn choose(groups: &[Group], webhooks: &[Webhook]) -> SampleCalls {
    let ops = || {
        groups
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
        export: pick(&|op| has_items(op)),
        download: pick(&|op| accepts(op, PDF)),
        errors: pick(&|op| op.http_method == HttpMethod::Get),
        webhooks: !webhooks.is_empty(),
        crate_doc: ops()
            .find(|(_, op)| simple_arguments(op))
            .map(|(g, op)| call(g, op)),
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
                let (kind, placeholder) = if a.rust_type == Scalar::Uuid {
                    (SampleArgumentKind::Uuid, Placeholder::NilUuid)
                } else {
                    (SampleArgumentKind::Text, Placeholder::Text)
                };
                crate::model::SampleArgument {
                    variable: format!("UPVEST_{}", bare.to_ascii_uppercase()),
                    kind,
                    placeholder,
                }
            })
            .collect(),
    }
}

/// Arguments an example can read from the environment: identifiers and strings; and not
/// deprecated (the examples compile with warnings denied, and should not teach it).
fn simple_arguments(op: &Operation) -> bool {
    !op.deprecated
        && op
            .arguments
            .iter()
            .all(|a| a.rust_type == Scalar::Uuid || a.rust_type == Scalar::String)
}

/// A list whose pages have one item type, so `.items()` yields typed items (the pagination
/// lowering decided, see `calls.rs`).
fn has_items(op: &Operation) -> bool {
    op.pagination
        .as_ref()
        .is_some_and(|p| p.items.item_type().is_some())
}

/// Whether the operation has a `download_..` method for this media type.
fn accepts(op: &Operation, media: &str) -> bool {
    op.accept_methods.iter().any(|m| m.wire == media)
}
