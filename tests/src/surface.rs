//! What code written against an SDK can name, as a set of lines read from the generator's
//! lowered model: types and their kinds, fields with their types, `new` with its argument types,
//! setters, enum values, union variants with what they hold, client methods with their argument
//! and result types, builder setters, webhook events and cargo features.
//!
//! An SDK whose surface contains every line of another's compiles every program written against
//! the other, as far as names and types go (arguments are positional, so a method's line holds
//! its argument types, not their names). The compile-based checks (`tests/tests/builds/`) prove
//! this on programs; this is the cheap, exact check that runs on many descriptions in-process.

use std::collections::BTreeSet;

use upvest_sdk_generator::model::{Api, RustType, TypeKind};

/// The surface of `api`, one line per thing a program can name.
pub fn surface(api: &Api) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let text = |ty: &RustType| ty.display(api).to_string();
    for t in &api.types {
        let name = &t.name;
        lines.insert(format!("type {name}: {:?}", t.kind));
        match t.kind {
            TypeKind::Struct => {
                for f in &t.fields {
                    lines.insert(format!("field {name}.{}: {}", f.ident, text(&f.rust_type)));
                }
                if let Some(new) = &t.constructor {
                    let params: Vec<String> =
                        new.params.iter().map(|p| text(&p.param_type)).collect();
                    lines.insert(format!("new {name}({})", params.join(", ")));
                }
                for s in &t.setters {
                    lines.insert(format!("setter {name}.{}({})", s.name, text(&s.param_type)));
                }
                if let Some(extra) = &t.extra {
                    lines.insert(format!("others {name}: {}", text(extra)));
                }
            }
            TypeKind::Enum => {
                for v in &t.variants {
                    lines.insert(format!("value {name}::{}", v.ident));
                }
            }
            TypeKind::Union => {
                for v in &t.variants {
                    let held = v.rust_type.as_ref().map(text);
                    lines.insert(format!(
                        "variant {name}::{}({})",
                        v.ident,
                        held.unwrap_or_default()
                    ));
                }
            }
        }
    }
    for group in &api.groups {
        lines.insert(format!("feature {}", group.feature));
        for op in &group.operations {
            let args: Vec<String> = op.arguments.iter().map(|a| text(&a.param_type)).collect();
            lines.insert(format!(
                "method {}({}) -> {}",
                op.method_name,
                args.join(", "),
                text(&op.success.rust_type)
            ));
            let params = op
                .path_params
                .iter()
                .chain(&op.query_params)
                .chain(&op.header_params);
            for p in params.filter(|p| !p.argument) {
                lines.insert(format!(
                    "setter {}.{}({})",
                    op.builder,
                    p.ident,
                    text(&p.setter_type)
                ));
            }
            if let Some(body) = op.body.as_ref().filter(|b| !b.argument) {
                lines.insert(format!(
                    "setter {}.body({})",
                    op.builder,
                    text(&body.rust_type)
                ));
            }
        }
    }
    for hook in &api.webhooks {
        lines.insert(format!(
            "event WebhookEvent::{}({})",
            hook.variant,
            text(&hook.payload_type)
        ));
    }
    lines
}

/// The lines of `old` that `new` lacks: what a program written against `old` could name and
/// can no longer.
pub fn lost(old: &BTreeSet<String>, new: &BTreeSet<String>) -> Vec<String> {
    old.difference(new).cloned().collect()
}
