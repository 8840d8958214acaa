//! The `Client` methods: matched by operationId, else by HTTP method and path (an operation whose
//! operationId changed is renamed, not removed and added); then their inputs and outputs.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{rules, Change, Kind, Placed};
use super::shown_types::{shown, TypeText};
use crate::model::{Api, Idempotency, Operation, Param, Scalar, TypeNames};

/// An operation with the resource group it belongs to.
#[derive(Clone, Copy)]
struct Op<'a> {
    group: &'a str,
    op: &'a Operation,
}

/// All operation and group changes between two models. `renames` (old -> new type names) lets a
/// type that was only renamed count as unchanged here: the rename is reported once, on the type.
pub fn compare(old: &Api, new: &Api, renames: &BTreeMap<String, String>) -> Vec<Placed> {
    let types = &TypeText { old, new, renames };
    let mut placed = group_changes(old, new);
    let before = by_id(old);
    let mut after = by_id(new);
    let mut removed = Vec::new();
    for (id, was) in &before {
        match after.remove(id) {
            Some(is) => placed.extend(changed(was, &is, types)),
            None => removed.push(*was),
        }
    }
    for was in removed {
        let twin = after
            .iter()
            .find(|(_, is)| is.op.http_method == was.op.http_method && is.op.path == was.op.path)
            .map(|(id, _)| id.clone());
        match twin.and_then(|id| after.remove(&id)) {
            Some(is) => {
                placed.push(renamed(&was, &is));
                placed.extend(changed(&was, &is, types));
            }
            None => placed.push(whole(&was, Kind::OperationRemoved, true, rules::REMOVED)),
        }
    }
    for is in after.values() {
        placed.push(whole(is, Kind::OperationAdded, false, rules::ADDED));
    }
    placed
}

fn by_id(api: &Api) -> BTreeMap<String, Op<'_>> {
    api.groups
        .iter()
        .flat_map(|g| {
            g.operations.iter().map(|op| {
                let entry = Op { group: &g.name, op };
                (op.operation_id.clone(), entry)
            })
        })
        .collect()
}

fn group_changes(old: &Api, new: &Api) -> Vec<Placed> {
    let before: BTreeSet<&str> = old.groups.iter().map(|g| g.name.as_str()).collect();
    let after: BTreeSet<&str> = new.groups.iter().map(|g| g.name.as_str()).collect();
    let feature = |api: &Api, name: &str| {
        api.groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| format!("cargo feature `{}`", g.feature))
    };
    let change =
        |name: &str, kind, breaking, old: Option<String>, new: Option<String>, reason: &str| {
            Placed {
                group: name.to_string(),
                change: Change {
                    kind,
                    breaking,
                    item: name.to_string(),
                    member: None,
                    old,
                    new,
                    reason: reason.to_string(),
                },
            }
        };
    let added = after.difference(&before).map(|name| {
        change(
            name,
            Kind::GroupAdded,
            false,
            None,
            feature(new, name),
            rules::ADDED,
        )
    });
    let removed = before.difference(&after).map(|name| {
        change(
            name,
            Kind::GroupRemoved,
            true,
            feature(old, name),
            None,
            rules::REMOVED,
        )
    });
    added.chain(removed).collect()
}

/// A change about an operation as a whole.
fn whole(op: &Op, kind: Kind, breaking: bool, reason: &str) -> Placed {
    let (old, new) = if kind == Kind::OperationAdded {
        (None, Some(signature(op.op)))
    } else {
        (Some(signature(op.op)), None)
    };
    Placed {
        group: op.group.to_string(),
        change: Change {
            kind,
            breaking,
            item: op.op.method_name.clone(),
            member: None,
            old,
            new,
            reason: reason.to_string(),
        },
    }
}

/// `GET /users/{user_id}/identifiers`.
fn signature(op: &Operation) -> String {
    format!("{} {}", op.http_method, op.path)
}

fn renamed(old: &Op, new: &Op) -> Placed {
    Placed {
        group: new.group.to_string(),
        change: Change {
            kind: Kind::OperationRenamed,
            breaking: true,
            item: old.op.method_name.clone(),
            member: None,
            old: Some(old.op.method_name.clone()),
            new: Some(new.op.method_name.clone()),
            reason: format!(
                "the `Client` method is now `{}`: calls to `{}` no longer compile",
                new.op.method_name, old.op.method_name
            ),
        },
    }
}

/// Collects the changes of one operation that exists on both sides.
struct Changes<'a> {
    group: &'a str,
    item: &'a str,
    found: Vec<Placed>,
}

impl Changes<'_> {
    fn push(
        &mut self,
        kind: Kind,
        breaking: bool,
        member: Option<&str>,
        values: (Option<String>, Option<String>),
        reason: &str,
    ) {
        self.found.push(Placed {
            group: self.group.to_string(),
            change: Change {
                kind,
                breaking,
                item: self.item.to_string(),
                member: member.map(str::to_string),
                old: values.0,
                new: values.1,
                reason: reason.to_string(),
            },
        });
    }
}

fn changed(old: &Op, new: &Op, types: &TypeText) -> Vec<Placed> {
    let mut changes = Changes {
        group: new.group,
        item: &new.op.method_name,
        found: Vec::new(),
    };
    location(&mut changes, old, new);
    parameters(&mut changes, old.op, new.op, types);
    argument_order(&mut changes, old.op, new.op);
    body(&mut changes, old.op, new.op, types);
    response(&mut changes, old.op, new.op, types);
    error_statuses(&mut changes, old.op, new.op);
    scopes(&mut changes, old.op, new.op);
    if old.op.deprecated != new.op.deprecated {
        let state = |d: bool| Some(if d { "deprecated" } else { "not deprecated" }.to_string());
        let values = (state(old.op.deprecated), state(new.op.deprecated));
        changes.push(
            Kind::DeprecationChanged,
            false,
            None,
            values,
            rules::DEPRECATION,
        );
    }
    changes.found
}

/// Group, path and HTTP method.
fn location(changes: &mut Changes, old: &Op, new: &Op) {
    if old.group != new.group {
        let values = (Some(old.group.to_string()), Some(new.group.to_string()));
        changes.push(Kind::OperationMoved, true, None, values, rules::MOVED);
    }
    // A path whose parameters were only renamed is the same path on the wire (the renames are
    // reported per parameter).
    if unnamed(&old.op.path) != unnamed(&new.op.path) {
        let values = (Some(old.op.path.clone()), Some(new.op.path.clone()));
        changes.push(Kind::PathChanged, false, None, values, rules::WIRE_ONLY);
    }
    if old.op.http_method != new.op.http_method {
        let values = (
            Some(old.op.http_method.to_string()),
            Some(new.op.http_method.to_string()),
        );
        changes.push(Kind::MethodChanged, false, None, values, rules::WIRE_ONLY);
    }
}

/// Parameters by their setter name, whatever their location; path parameters by their
/// position in the path (they are the client method's arguments, passed by position).
fn parameters(changes: &mut Changes, old: &Operation, new: &Operation, types: &TypeText) {
    let before = params(old, new);
    let after = params(new, old);
    for (key, (location, param)) in &after {
        let ident = param.ident.as_str();
        let Some((was_location, was)) = before.get(key) else {
            let (breaking, reason) = if param.argument {
                (true, rules::ARGUMENT_ADDED)
            } else if param.required {
                (false, rules::SENT_BY_SDK)
            } else {
                (false, rules::OPTIONAL_INPUT)
            };
            let values = (None, Some(describe_param(location, param, types.new)));
            changes.push(Kind::ParameterAdded, breaking, Some(ident), values, reason);
            continue;
        };
        if was.ident != param.ident {
            let values = (Some(was.ident.clone()), Some(param.ident.clone()));
            changes.push(
                Kind::ParameterRenamed,
                false,
                Some(ident),
                values,
                rules::POSITIONAL,
            );
        }
        if was.required != param.required {
            let (breaking, reason) = required_change(was.argument, param.argument);
            let values = (required(was.required), required(param.required));
            changes.push(
                Kind::ParameterRequiredChanged,
                breaking,
                Some(ident),
                values,
                reason,
            );
        }
        let old_type = types.translated(&was.rust_type);
        let new_type = types.shown_new(&param.rust_type);
        if old_type != new_type {
            let values = (Some(old_type), Some(new_type));
            changes.push(
                Kind::ParameterTypeChanged,
                true,
                Some(ident),
                values,
                rules::TYPE_CHANGED,
            );
        }
        if was_location != location {
            let values = (Some(was_location.to_string()), Some(location.to_string()));
            changes.push(
                Kind::ParameterLocationChanged,
                false,
                Some(ident),
                values,
                rules::WIRE_ONLY,
            );
        }
    }
    for (key, (location, param)) in &before {
        let ident = param.ident.as_str();
        if !after.contains_key(key) {
            let values = (Some(describe_param(location, param, types.old)), None);
            // Every `POST` and `PATCH` keeps an `idempotency_key` setter of the same type.
            let kept = new.idempotency == Idempotency::Optional
                && param
                    .name
                    .eq_ignore_ascii_case(crate::lower::IDEMPOTENCY_HEADER)
                && param.rust_type == Scalar::Uuid;
            let (breaking, reason) = if kept {
                (false, rules::SETTER_KEPT)
            } else {
                (true, rules::REMOVED)
            };
            changes.push(
                Kind::ParameterRemoved,
                breaking,
                Some(ident),
                values,
                reason,
            );
        }
    }
}

/// The same arguments in another order (path parameters follow the path template): a change of
/// the set is reported per parameter already.
fn argument_order(changes: &mut Changes, old: &Operation, new: &Operation) {
    let names =
        |op: &Operation| -> Vec<String> { op.arguments.iter().map(|a| a.ident.clone()).collect() };
    let (before, after) = (names(old), names(new));
    let sorted = |names: &[String]| {
        let mut names = names.to_vec();
        names.sort();
        names
    };
    if before != after && sorted(&before) == sorted(&after) {
        let values = (Some(before.join(", ")), Some(after.join(", ")));
        changes.push(
            Kind::ArgumentsReordered,
            true,
            None,
            values,
            rules::ARGUMENTS_REORDERED,
        );
    }
}

/// An operation's parameters by how they are matched with those of `other` (the same
/// operation in the other description): by their setter's name, except that a path parameter
/// whose name the other's path does not have is matched by its position in the path
/// (`/users/{user_id}` and `/users/{id}` take the same argument; the method's arguments are
/// passed by position).
fn params<'a>(op: &'a Operation, other: &Operation) -> BTreeMap<String, (&'static str, &'a Param)> {
    let template = crate::describe::operations::template_params(&op.path);
    let other_template = crate::describe::operations::template_params(&other.path);
    let path = op.path_params.iter().map(|p| {
        let position = template.iter().position(|name| *name == p.name);
        let renamed = position.filter(|&at| {
            !other_template.contains(&p.name)
                && other_template
                    .get(at)
                    .is_some_and(|theirs| !template.contains(theirs))
        });
        let key = match renamed {
            Some(position) => format!("path #{position}"),
            None => p.ident.clone(),
        };
        (key, ("path", p))
    });
    path.chain(
        op.query_params
            .iter()
            .map(|p| (p.ident.clone(), ("query", p))),
    )
    .chain(
        op.header_params
            .iter()
            .map(|p| (p.ident.clone(), ("header", p))),
    )
    .collect()
}

/// A path template without its parameters' names: `/users/{user_id}` -> `/users/{}`.
fn unnamed(path: &str) -> String {
    let root = crate::pointer::Pointer::root().push("paths").push(path);
    crate::lock::place_key(&root)
        .segments()
        .get(1)
        .cloned()
        .unwrap_or_default()
}

/// Where a parameter goes, its wire name and type: ``optional query parameter `limit`: i64``.
fn describe_param(location: &str, param: &Param, names: &dyn TypeNames) -> String {
    let required = if param.required {
        "required"
    } else {
        "optional"
    };
    format!(
        "{required} {location} parameter `{}`: {}",
        param.name,
        shown(&param.rust_type, names)
    )
}

fn required(is: bool) -> Option<String> {
    Some(if is { "required" } else { "optional" }.to_string())
}

/// Required inputs are the client method's arguments and optional ones its builder's setters:
/// an input that moves between them breaks every call that passes it. One that stays where it
/// was (the `idempotency-key` header; a body whose schema requires properties either way)
/// breaks nothing.
fn required_change(was_argument: bool, is_argument: bool) -> (bool, &'static str) {
    if was_argument != is_argument {
        (true, rules::ARGUMENTS_CHANGED)
    } else {
        (false, rules::SAME_ARGUMENTS)
    }
}

fn body(changes: &mut Changes, old: &Operation, new: &Operation, types: &TypeText) {
    match (&old.body, &new.body) {
        (None, None) => {}
        (None, Some(body)) => {
            let (breaking, reason) = if body.argument {
                (true, rules::ARGUMENT_ADDED)
            } else {
                (false, rules::OPTIONAL_INPUT)
            };
            let values = (None, Some(types.shown_new(&body.rust_type)));
            changes.push(
                Kind::RequestBodyAdded,
                breaking,
                Some("body"),
                values,
                reason,
            );
        }
        (Some(body), None) => {
            let values = (Some(types.shown_old(&body.rust_type)), None);
            changes.push(
                Kind::RequestBodyRemoved,
                true,
                Some("body"),
                values,
                rules::REMOVED,
            );
        }
        (Some(was), Some(is)) => {
            if was.required != is.required {
                let (breaking, reason) = required_change(was.argument, is.argument);
                let values = (required(was.required), required(is.required));
                changes.push(
                    Kind::RequestBodyRequiredChanged,
                    breaking,
                    Some("body"),
                    values,
                    reason,
                );
            }
            let old_type = types.translated(&was.rust_type);
            let new_type = types.shown_new(&is.rust_type);
            if old_type != new_type {
                let values = (Some(old_type), Some(new_type));
                changes.push(
                    Kind::RequestBodyTypeChanged,
                    true,
                    Some("body"),
                    values,
                    rules::TYPE_CHANGED,
                );
            }
        }
    }
}

fn response(changes: &mut Changes, old: &Operation, new: &Operation, types: &TypeText) {
    let old_type = types.translated(&old.success.rust_type);
    let new_type = types.shown_new(&new.success.rust_type);
    if old_type != new_type {
        let values = (Some(old_type), Some(new_type));
        changes.push(
            Kind::ResponseTypeChanged,
            true,
            Some("response"),
            values,
            rules::TYPE_CHANGED,
        );
    }
    if old.success.status != new.success.status {
        let values = (
            Some(old.success.status.to_string()),
            Some(new.success.status.to_string()),
        );
        changes.push(
            Kind::SuccessStatusChanged,
            false,
            Some("response"),
            values,
            rules::WIRE_ONLY,
        );
    }
}

/// The error statuses the description lists, each as its response key (`409`, `default`).
fn error_statuses(changes: &mut Changes, old: &Operation, new: &Operation) {
    let listed = |op: &Operation| -> BTreeSet<String> {
        op.errors.iter().map(|e| e.status.clone()).collect()
    };
    let (before, after) = (listed(old), listed(new));
    for status in after.difference(&before) {
        let values = (None, Some(status.clone()));
        let kind = Kind::ErrorStatusAdded;
        changes.push(kind, false, Some(status), values, rules::ERROR_STATUS);
    }
    for status in before.difference(&after) {
        let values = (Some(status.clone()), None);
        let kind = Kind::ErrorStatusRemoved;
        changes.push(kind, false, Some(status), values, rules::ERROR_STATUS);
    }
}

fn scopes(changes: &mut Changes, old: &Operation, new: &Operation) {
    let before: BTreeSet<&String> = old.scopes.iter().collect();
    let after: BTreeSet<&String> = new.scopes.iter().collect();
    for scope in after.difference(&before) {
        let values = (None, Some(scope.to_string()));
        changes.push(
            Kind::ScopeAdded,
            true,
            Some(scope),
            values,
            rules::SCOPE_ADDED,
        );
    }
    for scope in before.difference(&after) {
        let values = (Some(scope.to_string()), None);
        changes.push(
            Kind::ScopeRemoved,
            false,
            Some(scope),
            values,
            rules::SCOPE_REMOVED,
        );
    }
}
