//! The operations of a description and what they declare: every operation with its path and
//! pointer, its resource group (and that group's module), its path template's parameters, and
//! its parameters with references resolved. Validation checks them and lowering lowers them.

use std::borrow::Cow;

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Operation as OpenApiOperation, Parameter, ReferenceOr};

use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::model::HttpMethod;
use crate::names;
use crate::pointer::Pointer;

/// The extension that names an operation's resource group.
const GROUP_EXTENSION: &str = "x-doctave-tags";

/// Every operation in document order with its path, method and pointer.
pub fn operations(api: &OpenAPI) -> Vec<(&str, HttpMethod, &OpenApiOperation, Pointer)> {
    let mut found = Vec::new();
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = Pointer::root().push("paths").push(path);
        let in_item = [
            &item.get,
            &item.put,
            &item.post,
            &item.delete,
            &item.options,
            &item.head,
            &item.patch,
            &item.trace,
        ];
        for (method, op) in HttpMethod::ALL.into_iter().zip(in_item) {
            if let Some(op) = op {
                found.push((path.as_str(), method, op, at.push(method.key())));
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

/// A kind of object that `#/components` holds by name: a reference to one of them is borrowed
/// from the parsed description (`spec.api`) rather than parsed again from the raw tree.
pub(crate) trait Component: serde::de::DeserializeOwned + Clone {
    /// The key of its section under `#/components`.
    const SECTION: &'static str;
    fn section(components: &openapiv3::Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Parameter {
    const SECTION: &'static str = "parameters";
    fn section(components: &openapiv3::Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for openapiv3::RequestBody {
    const SECTION: &'static str = "requestBodies";
    fn section(components: &openapiv3::Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Component for openapiv3::Response {
    const SECTION: &'static str = "responses";
    fn section(components: &openapiv3::Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

impl Component for openapiv3::Schema {
    const SECTION: &'static str = "schemas";
    fn section(components: &openapiv3::Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.schemas
    }
}

/// The parsed object at `target` when `target` is a component of `T`'s section that is itself
/// an object (not another reference). `spec.api` is parsed from the same tree, so it is what
/// parsing the node again would give.
pub(crate) fn component<'a, T: Component>(api: &'a OpenAPI, target: &Pointer) -> Option<&'a T> {
    let [components, section, name] = target.segments() else {
        return None;
    };
    if components != "components" || section != T::SECTION {
        return None;
    }
    T::section(api.components.as_ref()?).get(name)?.as_item()
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
        let (path, _, op, at) = operations(&spec.api).remove(0);
        let err = declared_path_params(&spec, path, op, &at).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:"), "{text}");
        assert!(text.contains("#/components/schemas/Id"), "{text}");
        assert_eq!(template_params(path), ["id"]);
    }
}
