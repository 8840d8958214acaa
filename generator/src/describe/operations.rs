//! The operations of a description and what they declare: every operation with its path and
//! pointer, its resource group (and that group's module), its path template's parameters, and
//! the parsed components references lead to. They read the parsed description alone (loading
//! fills in missing operationIds with them); [`super::parameters`] resolves what the loaded
//! description's raw tree is needed for.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, Operation as OpenApiOperation, Parameter, ReferenceOr};

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
