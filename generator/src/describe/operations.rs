//! The operations of a description and what they declare: every operation with its path and
//! pointer, its resource group (and that group's module), its path template's parameters, and
//! its parameters with references resolved. Validation checks them and lowering lowers them.

use openapiv3::{OpenAPI, Operation as OpenApiOperation, Parameter, ReferenceOr};

use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::names;
use crate::pointer::Pointer;

/// The extension that names an operation's resource group.
const GROUP_EXTENSION: &str = "x-doctave-tags";

/// Every operation in document order with its path, method and pointer.
pub fn operations(api: &OpenAPI) -> Vec<(&str, &'static str, &OpenApiOperation, Pointer)> {
    let mut found = Vec::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = Pointer::root().push("paths").push(path);
        for (method, op) in [
            ("GET", &item.get),
            ("PUT", &item.put),
            ("POST", &item.post),
            ("DELETE", &item.delete),
            ("OPTIONS", &item.options),
            ("HEAD", &item.head),
            ("PATCH", &item.patch),
            ("TRACE", &item.trace),
        ] {
            if let Some(op) = op {
                found.push((
                    path.as_str(),
                    method,
                    op,
                    at.push(method.to_ascii_lowercase()),
                ));
            }
        }
    }
    found
}

/// The `{name}`s in a path template.
pub fn template_params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// The group of operations that have neither `x-doctave-tags` nor tags. Not `Default`: its
/// feature would be `default`, which the generated `Cargo.toml` already defines.
pub const UNTAGGED_GROUP: &str = "Untagged";

/// The resource group of an operation: its first `x-doctave-tags` entry, else its first tag.
pub fn group_of(op: &OpenApiOperation) -> String {
    op.extensions
        .get(GROUP_EXTENSION)
        .and_then(|tags| tags.as_array())
        .and_then(|tags| tags.first())
        .and_then(|tag| tag.as_str())
        .or_else(|| op.tags.first().map(String::as_str))
        .unwrap_or(UNTAGGED_GROUP)
        .to_string()
}

/// Where an operation names its group (the node [`group_of`] reads), for messages.
pub fn group_pointer(op: &OpenApiOperation, at: &Pointer) -> Pointer {
    let from_extension = op
        .extensions
        .get(GROUP_EXTENSION)
        .and_then(|tags| tags.as_array()?.first()?.as_str());
    if from_extension.is_some() {
        at.push(GROUP_EXTENSION).push(0)
    } else if op.tags.is_empty() {
        at.clone()
    } else {
        at.push("tags").push(0)
    }
}

/// The module of a resource group. A keyword gets a trailing underscore rather than `r#`:
/// the module is also a file name, and `pub mod r#type;` would look for `type.rs`.
pub fn group_module(group: &str) -> String {
    match names::snake_ident(group) {
        Some(ident) => match ident.strip_prefix("r#") {
            Some(keyword) => format!("{keyword}_"),
            None => ident,
        },
        None => "default".into(),
    }
}

/// Path-level and operation-level parameters, references resolved, the operation's own winning.
pub fn parameters(
    spec: &LoadedSpec,
    path: &str,
    op: &OpenApiOperation,
    at: &Pointer,
) -> Result<Vec<(Parameter, Pointer)>> {
    let path_at = Pointer::root().push("paths").push(path);
    let mut merged: Vec<(Parameter, Pointer)> = Vec::new();
    let path_params = match spec.api.paths.paths.get(path) {
        Some(ReferenceOr::Item(item)) => item.parameters.as_slice(),
        _ => &[],
    };
    let levels = [
        (path_params, path_at),
        (op.parameters.as_slice(), at.clone()),
    ];
    for (params, level_at) in levels {
        for (index, param) in params.iter().enumerate() {
            let param_at = level_at.push("parameters").push(index);
            let (param, param_at) = resolve(spec, param, &param_at)?;
            let data = param.parameter_data_ref();
            merged.retain(|(p, _)| {
                let d = p.parameter_data_ref();
                !(d.name == data.name && location(p) == location(&param))
            });
            merged.push((param, param_at));
        }
    }
    Ok(merged)
}

/// The names of the path parameters an operation declares (for validation); an error when a
/// parameter's reference does not lead to a parameter.
pub fn declared_path_params(
    spec: &LoadedSpec,
    path: &str,
    op: &OpenApiOperation,
    at: &Pointer,
) -> Result<Vec<String>> {
    Ok(parameters(spec, path, op, at)?
        .into_iter()
        .filter(|(p, _)| matches!(p, Parameter::Path { .. }))
        .map(|(p, _)| p.parameter_data_ref().name.clone())
        .collect())
}

fn location(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// Resolves a local `$ref` to a node of type `T` (parameters, request bodies, responses).
pub(crate) fn resolve<T: serde::de::DeserializeOwned + Clone>(
    spec: &LoadedSpec,
    item: &ReferenceOr<T>,
    at: &Pointer,
) -> Result<(T, Pointer)> {
    match item {
        ReferenceOr::Item(item) => Ok((item.clone(), at.clone())),
        ReferenceOr::Reference { reference } => {
            let target = Pointer::parse_ref(reference);
            let node = target.as_ref().and_then(|t| t.resolve(&spec.raw));
            let (Some(target), Some(node)) = (target, node) else {
                return Err(Error::UnresolvedRef {
                    location: spec.locate(at),
                    target: reference.clone(),
                    reason: "no such node in this document".into(),
                });
            };
            let value = serde_json::from_value(node.clone()).map_err(|e| Error::Invalid {
                location: spec.locate(&target),
                message: format!("`{reference}` does not point at the right kind of object: {e}"),
            })?;
            Ok((value, target))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parameter_reference_to_something_else_is_an_error_not_no_parameters() {
        let source = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - $ref: '#/components/schemas/Id'\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    Id: {type: string}\n";
        let spec = crate::load::parse(std::path::Path::new("x.yaml"), source.into()).unwrap();
        let (path, _, op, at) = operations(&spec.api).remove(0);
        let err = declared_path_params(&spec, path, op, &at).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:"), "{text}");
        assert!(text.contains("#/components/schemas/Id"), "{text}");
        assert_eq!(template_params(path), ["id"]);
    }
}
