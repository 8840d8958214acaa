//! Stage 2, validate: check the whole description up front, so that the later stages can trust it
//! and every problem is reported with its place rather than as a confusing failure later.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::pointer::Pointer;

/// Runs every check; the first problem found (in document order) is returned.
pub fn validate(spec: &LoadedSpec) -> Result<()> {
    check_refs(spec)?;
    check_operations(spec)?;
    check_renamed_operations(spec)
}

/// Every operation the renames file names must exist: a rename that no longer applies would
/// silently give the method back its generated name.
fn check_renamed_operations(spec: &LoadedSpec) -> Result<()> {
    let ids: Vec<&str> = crate::describe::operations::operations(&spec.api)
        .into_iter()
        .filter_map(|(_, _, op, _)| op.operation_id.as_deref())
        .collect();
    match spec
        .renames
        .operations
        .keys()
        .find(|id| !ids.contains(&id.as_str()))
    {
        Some(id) => Err(Error::Invalid {
            location: spec.renames.locate("operations", id),
            message: format!("no operation has the operationId `{id}`"),
        }),
        None => Ok(()),
    }
}

/// Every `$ref` where OpenAPI allows a reference must be local (`#/...`) and point at a node that
/// exists. A `$ref` key in literal data (an example, a property named `$ref`) is not one.
fn check_refs(spec: &LoadedSpec) -> Result<()> {
    let references = crate::describe::refs::references(&spec.raw);
    for reference in &references {
        check_ref(spec, reference.target, &reference.at.push("$ref"))?;
    }
    // Every target exists: now a chain of references that only leads to more references.
    for reference in &references {
        let Some(text) = reference.target.as_str() else {
            continue;
        };
        if let Some(cycle) = crate::describe::ref_cycles::reference_cycle(&spec.raw, text) {
            let first = cycle
                .first()
                .and_then(|p| Pointer::parse_ref(p))
                .unwrap_or_else(|| reference.at.clone());
            return Err(invalid(
                spec,
                &first.push("$ref"),
                &format!(
                    "`$ref` cycle with nothing but references in it: {}; a reference must \
                     lead to a definition in the end",
                    cycle.join(" -> ")
                ),
            ));
        }
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
    let mut seen: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
    let mut builders: BTreeMap<String, (String, Pointer)> = BTreeMap::new();
    let mut groups = BTreeMap::new();
    for (path, _, operation, at) in crate::describe::operations::operations(&spec.api) {
        let Some(id) = operation.operation_id.as_deref() else {
            return Err(invalid(spec, &at, "operation has no operationId"));
        };
        let Some(method) = spec.renames.method_name(id) else {
            return Err(invalid(
                spec,
                &at.push("operationId"),
                &format!("operationId `{id}` cannot become a Rust method name"),
            ));
        };
        let builder = spec.renames.builder_name(id).unwrap_or_default();
        let taken = if crate::runtime::client_methods().contains(&method) {
            Some(format!("the method `Client::{method}`"))
        } else if crate::render::group_imports().contains(&builder) {
            Some(format!("the type `{builder}`"))
        } else {
            None
        };
        if let Some(taken) = taken {
            return Err(invalid(
                spec,
                &at.push("operationId"),
                &format!("operationId `{id}` would become {taken}, which the SDK's runtime has"),
            ));
        }
        check_group(spec, operation, &at, &mut groups)?;
        let taken = seen
            .insert(method.clone(), (id.to_string(), at.clone()))
            .map(|first| (format!("the method `{method}`"), first))
            .or_else(|| {
                builders
                    .insert(builder.clone(), (id.to_string(), at.clone()))
                    .map(|first| (format!("the request type `{builder}`"), first))
            });
        if let Some((_, (_, first_at))) = taken.as_ref().filter(|(_, (first, _))| first == id) {
            return Err(invalid(
                spec,
                &at.push("operationId"),
                &format!(
                    "operationId `{id}` is used twice (first at {first_at}); operationIds must be \
                     unique"
                ),
            ));
        }
        if let Some((what, (first_id, first_at))) = taken {
            let file = crate::renames::path_for(&spec.path);
            return Err(invalid(
                spec,
                &at.push("operationId"),
                &format!(
                    "operationIds `{first_id}` (at {first_at}) and `{id}` both become {what}; \
                     give one of them another name in {}, for example:\n  operations:\n    \
                     {id}: {method}_2",
                    file.display()
                ),
            ));
        }
        check_path_params(spec, path, operation, &at)?;
    }
    Ok(())
}

/// A resource group becomes a module (a file) and a cargo feature: both must be usable, not the
/// SDK's own, and not shared with another group, or the generated crate would not build.
fn check_group(
    spec: &LoadedSpec,
    operation: &openapiv3::Operation,
    at: &Pointer,
    seen: &mut BTreeMap<String, (String, Pointer)>,
) -> Result<()> {
    let group = crate::describe::operations::group_of(operation);
    let module = crate::describe::operations::group_module(&group);
    let feature = crate::names::feature_name(&group);
    let at = crate::describe::operations::group_pointer(operation, at);
    let problem = if feature.is_empty() {
        Some(format!(
            "resource group `{group}` cannot become a cargo feature name"
        ))
    } else if crate::render::sdk_modules().contains(&module)
        || crate::render::sdk_features().contains(&feature)
    {
        Some(format!(
            "resource group `{group}` would become module `{module}` and feature `{feature}`; \
             the SDK itself uses one of these names"
        ))
    } else {
        [format!("module `{module}`"), format!("feature `{feature}`")]
            .into_iter()
            .find_map(|name| match seen.get(&name) {
                Some((other, first)) if *other != group => Some(format!(
                    "resource groups `{group}` and `{other}` (at {first}) would both become {name}"
                )),
                Some(_) => None,
                None => {
                    seen.insert(name, (group.clone(), at.clone()));
                    None
                }
            })
    };
    match problem {
        Some(message) => Err(invalid(spec, &at, &message)),
        None => Ok(()),
    }
}

fn check_path_params(
    spec: &LoadedSpec,
    path: &str,
    operation: &openapiv3::Operation,
    at: &Pointer,
) -> Result<()> {
    let declared = crate::describe::parameters::declared_path_params(spec, path, operation, at)?;
    for name in crate::describe::operations::template_params(path) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn validated(tag: &str, operation_id: &str) -> Result<()> {
        let source = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n  /a:\n    get:\n      \
             operationId: {operation_id}\n      tags: [{tag}]\n      responses:\n        \
             '204': {{description: OK}}\n"
        );
        validate(&crate::load::parse(std::path::Path::new("t.yaml"), source)?)
    }

    /// The names the SDK's own files take are read from those files, so a group or builder
    /// that takes one is an error, not a crate that does not build: `testing` (a module and a
    /// feature of its own), `native-tls` (a feature), `RequestOptions` (imported by every
    /// group module) were once missed by lists written by hand.
    #[test]
    fn names_the_sdk_takes_are_errors() {
        validated("Accounts", "list_accounts").unwrap();
        for tag in ["Testing", "Native TLS", "Serde Helpers", "Client"] {
            let error = validated(tag, "list_accounts").unwrap_err().to_string();
            assert!(error.contains("the SDK itself uses"), "{tag}: {error}");
        }
        for id in ["request_options", "download", "response"] {
            let error = validated("Accounts", id).unwrap_err().to_string();
            assert!(
                error.contains("which the SDK's runtime has"),
                "{id}: {error}"
            );
        }
    }
}
