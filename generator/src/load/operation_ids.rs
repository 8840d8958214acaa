//! Operations without an `operationId` (optional in OpenAPI, and left out by real descriptions)
//! get one made from their method and path, `get /pets/{id}` -> `get_pets_by_id`, so that they
//! have a method name; each is reported as a repair with the operation's pointer, since a name
//! chosen in the description (or the renames file) is better than a made one.

use std::collections::BTreeSet;

use super::repair::Repair;

/// Fills in the missing operationIds of `api`. The names the description gives are kept and
/// reserved first; a made name that would give a method another operation (or the `Client`)
/// already has gets `_2`, `_3`, ... in document order, so the result does not depend on
/// anything but the document.
pub fn fill(api: &mut openapiv3::OpenAPI) -> Vec<Repair> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for (_, _, op, _) in crate::describe::operations::operations(api) {
        if let Some(id) = &op.operation_id {
            taken.insert(id.clone());
            taken.extend(crate::names::method_name(id));
        }
    }
    let mut repairs = Vec::new();
    for (path, item) in api.paths.paths.iter_mut() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = crate::pointer::Pointer::root().push("paths").push(path);
        // The order of `describe::operations::operations`, which validation reports in.
        for (method, op) in [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("delete", &mut item.delete),
            ("options", &mut item.options),
            ("head", &mut item.head),
            ("patch", &mut item.patch),
            ("trace", &mut item.trace),
        ] {
            let Some(op) = op.as_mut().filter(|op| op.operation_id.is_none()) else {
                continue;
            };
            let id = free_name(&made_name(method, path), &taken);
            taken.insert(id.clone());
            repairs.push(Repair {
                pointer: at.push(method),
                message: format!(
                    "operation has no operationId; named `{id}` after its method and path (give \
                     it an operationId to choose the name)"
                ),
            });
            op.operation_id = Some(id);
        }
    }
    repairs
}

/// `get /pets/{id}/toys` -> `get_pets_by_id_toys`; `/` is `root`.
fn made_name(method: &str, path: &str) -> String {
    let words: Vec<String> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| match segment.strip_prefix('{') {
            Some(param) => format!("by_{}", param.trim_end_matches('}')),
            None => segment.to_string(),
        })
        .collect();
    let rest = if words.is_empty() {
        "root".to_string()
    } else {
        words.join("_")
    };
    crate::names::method_name(&format!("{method}_{rest}"))
        .unwrap_or_else(|| format!("{method}_operation"))
}

/// `name`, else `name_2`, `name_3`, ...: the first whose method name no operation and no
/// `Client` method has.
fn free_name(name: &str, taken: &BTreeSet<String>) -> String {
    let client = crate::runtime::client_methods();
    (1..)
        .map(|n| match n {
            1 => name.to_string(),
            n => format!("{name}_{n}"),
        })
        .find(|candidate| {
            let method = crate::names::method_name(candidate).unwrap_or_default();
            !taken.contains(candidate) && !taken.contains(&method) && !client.contains(&method)
        })
        .unwrap_or_else(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(paths: &str) -> openapiv3::OpenAPI {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}");
        serde_yaml::from_str(&text).unwrap()
    }

    fn ids(api: &openapiv3::OpenAPI) -> Vec<String> {
        crate::describe::operations::operations(api)
            .into_iter()
            .map(|(_, _, op, _)| op.operation_id.clone().unwrap_or_default())
            .collect()
    }

    #[test]
    fn names_come_from_method_and_path() {
        let mut api = api(
            "  /:\n    get: {responses: {}}\n  /pets/{pet-id}/toys:\n    get: {responses: {}}\n    \
             post: {operationId: addToy, responses: {}}\n",
        );
        let repairs = fill(&mut api);
        assert_eq!(ids(&api), ["get_root", "get_pets_by_pet_id_toys", "addToy"]);
        assert_eq!(repairs.len(), 2);
        assert_eq!(
            repairs[1].pointer.to_string(),
            "#/paths/~1pets~1{pet-id}~1toys/get"
        );
        assert!(repairs[1].message.contains("`get_pets_by_pet_id_toys`"));
    }

    #[test]
    fn a_made_name_never_takes_a_given_or_earlier_one() {
        // The given `getPets` is `get_pets` as a method: the made names step aside, in order.
        let mut api = api(
            "  /pets:\n    get: {responses: {}}\n  /pets/:\n    get: {responses: {}}\n  /x:\n    \
             get: {operationId: getPets, responses: {}}\n",
        );
        fill(&mut api);
        assert_eq!(ids(&api), ["get_pets_2", "get_pets_3", "getPets"]);
        let mut again = api.clone();
        assert!(fill(&mut again).is_empty(), "nothing left to name");
    }
}
