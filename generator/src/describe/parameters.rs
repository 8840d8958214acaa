//! An operation's parameters, references resolved against the loaded description (the parsed
//! component when it is one, else the raw tree's node, parsed): validation checks them and
//! lowering lowers them.

use std::borrow::Cow;

use openapiv3::{Operation as OpenApiOperation, Parameter, ReferenceOr};

use super::operations::{component, Component};
use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::pointer::Pointer;

/// Path-level and operation-level parameters, references resolved, the operation's own winning.
/// Borrowed from the parsed description wherever it holds them.
pub fn parameters<'a>(
    spec: &'a LoadedSpec,
    path: &str,
    op: &'a OpenApiOperation,
    at: &Pointer,
) -> Result<Vec<(Cow<'a, Parameter>, Pointer)>> {
    let path_at = Pointer::root().push("paths").push(path);
    let mut merged: Vec<(Cow<'a, Parameter>, Pointer)> = Vec::new();
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
        .filter(|(p, _)| matches!(**p, Parameter::Path { .. }))
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

/// Resolves a local `$ref` to a node of type `T` (parameters, request bodies, responses): the
/// parsed component when it is one, else the node at the pointer, parsed.
pub(crate) fn resolve<'a, T: Component>(
    spec: &'a LoadedSpec,
    item: &'a ReferenceOr<T>,
    at: &Pointer,
) -> Result<(Cow<'a, T>, Pointer)> {
    match item {
        ReferenceOr::Item(item) => Ok((Cow::Borrowed(item), at.clone())),
        ReferenceOr::Reference { reference } => {
            let target = Pointer::parse_ref(reference);
            if let Some(parsed) = target.as_ref().and_then(|t| component(&spec.api, t)) {
                return Ok((Cow::Borrowed(parsed), target.unwrap_or_default()));
            }
            let node = target.as_ref().and_then(|t| t.resolve(&spec.raw));
            let (Some(target), Some(node)) = (target, node) else {
                return Err(Error::UnresolvedRef {
                    location: spec.locate(at),
                    target: reference.clone(),
                    reason: "no such node in this document".into(),
                });
            };
            let value = T::deserialize(node).map_err(|e| Error::Invalid {
                location: spec.locate(&target),
                message: format!("`{reference}` does not point at the right kind of object: {e}"),
            })?;
            Ok((Cow::Owned(value), target))
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
        let (path, _, op, at) = crate::describe::operations::operations(&spec.api).remove(0);
        let err = declared_path_params(&spec, path, op, &at).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:"), "{text}");
        assert!(text.contains("#/components/schemas/Id"), "{text}");
    }
}
