//! What changed for users of the generated SDK between two descriptions, in SDK terms.
//!
//! Both descriptions are lowered to the [`model`](crate::model) and the two models are compared,
//! so the report speaks of what a Rust user sees: `Client` methods, their parameters, request and
//! response types, the types in `models`, their fields and enum values. Types are matched by
//! structure before names: a type whose shape is unchanged but whose name differs (an inline
//! schema that lost its title) is reported as renamed, not as one type removed and another added.
//!
//! Every change says whether it breaks code written against the old SDK ([`rules`] gives the
//! reasons), and the report suggests a semver bump ([`Bump`]).
//!
//! # JSON output (`cargo xtask diff --json`), schema version 1
//!
//! Stable: fields are only ever added, and `schema_version` changes if one is removed or changes
//! meaning. Arrays are sorted, so equal inputs give byte-identical output.
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "old": { "source": "old.yaml", "title": "Upvest Investment API", "version": "1.9.0",
//!            "sha256": "5e0b...(64 hex digits)" },
//!   "new": { "source": "new.yaml", "title": "Upvest Investment API", "version": "1.9.0",
//!            "sha256": "9c1f..." },
//!   "summary": { "changes": 1, "breaking": 1, "bump": "major" },
//!   "groups": [
//!     {
//!       "group": "Accounts",
//!       "changes": [
//!         {
//!           "kind": "type_renamed",
//!           "breaking": true,
//!           "item": "AccountCreateRequest",
//!           "member": null,
//!           "old": "AccountCreateRequest",
//!           "new": "CreateAccountRequest",
//!           "reason": "code that names `AccountCreateRequest` no longer compiles"
//!         }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - `old`, `new`: the descriptions compared: the path given, `info.title`, `info.version`, and
//!   the SHA-256 of the file (`null` when the report was made from models, not files).
//! - `summary.bump`: `"major"` (something breaks), `"minor"` (only compatible changes) or
//!   `"none"`, in semver's terms; [`Bump::apply`] says how it maps onto a `0.x` version.
//! - `groups`: resource groups in name order, then `"Shared types"` for types that several groups
//!   (or none) use. Only groups with changes are listed.
//! - `kind`: one of the [`Kind`] names, snake_case (`operation_added`, `field_removed`, ...).
//! - `item`: the `Client` method (`create_user_identifier`) or the type in `models`
//!   (`IdentifierCreateRequest`) the change is about.
//! - `member`: the parameter (`user_id`), `body`, `response`, error status (`409`), field (wire
//!   name), enum value or union variant within the item; `null` when the change is about the item as a whole.
//! - `old`, `new`: the value before and after (a Rust type, a path, a status, a name), `null`
//!   when there is none (an addition has no `old`).
//! - `reason`: one sentence on why the change does or does not break a Rust user.

mod change;
mod operation_changes;
pub mod print;
mod semver;
mod shown_types;
mod type_changes;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::lock::NameLock;
use crate::lower::{self, GroupSelection};
use crate::model::Api;
use crate::names;

pub(crate) use change::Placed;
pub use change::{rules, Change, Kind, SHARED_TYPES};
pub use semver::Bump;

/// The version of the JSON schema above.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub old: Side,
    pub new: Side,
    pub summary: Summary,
    pub groups: Vec<GroupChanges>,
}

/// One of the two descriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub source: String,
    pub title: String,
    pub version: String,
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub changes: usize,
    pub breaking: usize,
    pub bump: Bump,
}

/// The changes listed under one resource group (or [`SHARED_TYPES`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupChanges {
    pub group: String,
    pub changes: Vec<Change>,
}

/// Compares two lowered models.
pub fn diff(old: &Api, new: &Api) -> Report {
    let types = type_changes::compare(old, new);
    let mut placed = operation_changes::compare(old, new, &types.renames);
    placed.extend(types.changes);
    let groups = group_changes(placed);
    let changes: Vec<&Change> = groups.iter().flat_map(|g| &g.changes).collect();
    let breaking = changes.iter().filter(|c| c.breaking).count();
    Report {
        schema_version: SCHEMA_VERSION,
        old: side(old),
        new: side(new),
        summary: Summary {
            changes: changes.len(),
            breaking,
            bump: Bump::for_changes(changes.len(), breaking),
        },
        groups,
    }
}

/// Loads nothing: validates and lowers two loaded descriptions with the same group selection,
/// then compares them. A selected group may exist on one side only (it was added or removed).
/// The old side's types are named as a first generation would name them.
pub fn diff_specs(
    old: (&LoadedSpec, &str),
    new: (&LoadedSpec, &str),
    selection: &GroupSelection,
) -> Result<Report> {
    diff_specs_named(old, new, selection, &NameLock::default())
}

/// [`diff_specs`] for an old side whose types have the names `old_names` records (the names of
/// the crate generated from it). The new side is named the way regenerating that crate names
/// it: every type keeps the name it had, so the report speaks of the names users know.
pub fn diff_specs_named(
    old: (&LoadedSpec, &str),
    new: (&LoadedSpec, &str),
    selection: &GroupSelection,
    old_names: &NameLock,
) -> Result<Report> {
    check_selection(old.0, new.0, selection)?;
    let old_api = lower_side(old.0, old.1, selection, old_names)?;
    let new_api = lower_side(new.0, new.1, selection, &old_api.names)?;
    let mut report = diff(&old_api, &new_api);
    report.old.sha256 = Some(old.0.sha256().to_string());
    report.new.sha256 = Some(new.0.sha256().to_string());
    Ok(report)
}

fn lower_side(
    spec: &LoadedSpec,
    label: &str,
    selection: &GroupSelection,
    names: &NameLock,
) -> Result<Api> {
    crate::validate::validate(spec)?;
    let here = available_groups(spec);
    let selection = match selection {
        GroupSelection::All => GroupSelection::All,
        GroupSelection::Only(wanted) => GroupSelection::Only(
            wanted
                .iter()
                .filter(|w| {
                    *w == lower::WEBHOOK_FEATURE || here.iter().any(|g| matches_group(g, w))
                })
                .cloned()
                .collect(),
        ),
    };
    lower::lower(spec, &selection, label, names)
}

/// Every name in the selection must be a group of at least one of the two descriptions.
fn check_selection(old: &LoadedSpec, new: &LoadedSpec, selection: &GroupSelection) -> Result<()> {
    let GroupSelection::Only(wanted) = selection else {
        return Ok(());
    };
    let mut available = available_groups(old);
    available.extend(available_groups(new));
    available.sort();
    available.dedup();
    match wanted
        .iter()
        // The webhook events are selected by their feature, as in `generate --groups`.
        .filter(|w| *w != lower::WEBHOOK_FEATURE)
        .find(|w| !available.iter().any(|g| matches_group(g, w)))
    {
        Some(unknown) => Err(Error::UnknownGroup {
            name: unknown.clone(),
            available: available.join(", "),
        }),
        None => Ok(()),
    }
}

fn available_groups(spec: &LoadedSpec) -> Vec<String> {
    let mut groups: Vec<String> = crate::describe::operations::operations(&spec.api)
        .into_iter()
        .map(|(_, _, op, _)| crate::describe::operations::group_of(op))
        .collect();
    groups.sort();
    groups.dedup();
    groups
}

/// A group is selected by its name or its feature name, as in `generate --groups`.
fn matches_group(group: &str, wanted: &str) -> bool {
    group == wanted || names::feature_name(group) == wanted
}

fn side(api: &Api) -> Side {
    Side {
        source: api.source.clone(),
        title: api.title.clone(),
        version: api.version.clone(),
        sha256: None,
    }
}

/// Groups in name order, shared types last; changes sorted within each.
fn group_changes(placed: Vec<Placed>) -> Vec<GroupChanges> {
    let mut by_group: std::collections::BTreeMap<(bool, String), Vec<Change>> =
        std::collections::BTreeMap::new();
    for Placed { group, change } in placed {
        by_group
            .entry((group == SHARED_TYPES, group))
            .or_default()
            .push(change);
    }
    by_group
        .into_iter()
        .map(|((_, group), mut changes)| {
            changes.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
            changes.dedup();
            GroupChanges { group, changes }
        })
        .collect()
}

/// Operations before types, then by item, member and kind.
fn order_key(change: &Change) -> (bool, &str, Option<&str>, Kind) {
    (
        change.kind >= Kind::TypeAdded,
        change.item.as_str(),
        change.member.as_deref(),
        change.kind,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_as_words_and_serialize_in_snake_case() {
        assert_eq!(Kind::TypeRenamed.words(), "type renamed");
        assert_eq!(
            serde_json::to_string(&Kind::EnumValueAdded).unwrap(),
            "\"enum_value_added\""
        );
    }
}
