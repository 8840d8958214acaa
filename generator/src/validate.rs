//! Stage 2, validate: check the whole description up front, so that the later stages can trust it
//! and every problem is reported with its place rather than as a confusing failure later.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::pointer::Pointer;

/// Runs every check; the first problem found (in document order) is returned.
pub fn validate(spec: &LoadedSpec) -> Result<()> {
    check_refs(spec, &spec.raw, &Pointer::root())?;
    check_operations(spec)
}

/// Every `$ref` must be local (`#/...`) and point at a node that exists.
fn check_refs(spec: &LoadedSpec, node: &serde_json::Value, at: &Pointer) -> Result<()> {
    match node {
        serde_json::Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                check_ref(spec, reference, &at.push("$ref"))?;
            }
            for (key, child) in map {
                check_refs(spec, child, &at.push(key))?;
            }
        }
        serde_json::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_refs(spec, child, &at.push(index))?;
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_ref(spec: &LoadedSpec, reference: &serde_json::Value, at: &Pointer) -> Result<()> {
    let unresolved = |target: String, reason: &str| Error::UnresolvedRef {
        location: spec.locate(at),
        target,
        reason: reason.to_string(),
    };
    let Some(text) = reference.as_str() else {
        return Err(unresolved(reference.to_string(), "a $ref must be a string"));
    };
    let Some(target) = Pointer::parse_ref(text) else {
        return Err(unresolved(
            text.to_string(),
            "only local references (`#/...`) are supported",
        ));
    };
    if target.resolve(&spec.raw).is_none() {
        return Err(unresolved(
            text.to_string(),
            "no such node in this document",
        ));
    }
    Ok(())
}

/// Operations need unique operationIds (they become method names) and every `{param}` in a path
/// must be declared as a path parameter.
fn check_operations(spec: &LoadedSpec) -> Result<()> {
    let mut seen: BTreeMap<String, Pointer> = BTreeMap::new();
    for (path, _, operation, at) in crate::lower::operations(&spec.api) {
        let Some(id) = operation.operation_id.as_deref() else {
            return Err(invalid(spec, &at, "operation has no operationId"));
        };
        let Some(method) = crate::names::method_name(id) else {
            return Err(invalid(
                spec,
                &at.push("operationId"),
                &format!("operationId `{id}` cannot become a Rust method name"),
            ));
        };
        if let Some(first) = seen.insert(method, at.clone()) {
            return Err(invalid(
                spec,
                &at.push("operationId"),
                &format!("operationId `{id}` gives the same method name as the one at {first}"),
            ));
        }
        check_path_params(spec, path, &at)?;
    }
    Ok(())
}

fn check_path_params(spec: &LoadedSpec, path: &str, at: &Pointer) -> Result<()> {
    let declared = crate::lower::declared_path_params(spec, path, at);
    for name in crate::lower::template_params(path) {
        if !declared.iter().any(|d| d == &name) {
            return Err(invalid(
                spec,
                at,
                &format!("path `{path}` uses `{{{name}}}` but declares no path parameter `{name}`"),
            ));
        }
    }
    Ok(())
}

fn invalid(spec: &LoadedSpec, at: &Pointer, message: &str) -> Error {
    Error::Invalid {
        location: spec.locate(at),
        message: message.to_string(),
    }
}
