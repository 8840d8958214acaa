//! The names a generated crate has given its types, kept in the crate (`source/names.json`) so
//! that the next generation gives the same things the same names: a name, once given, stays for
//! as long as the schema it names exists, whatever happens to titles or to other types' shapes.
//!
//! A type is recorded with every place in the description it stands for. A place is where the
//! schema is *used*, not where it is written: the JSON pointer it would have if every `$ref` on
//! the way were written out inline (so a schema moved into `#/components/schemas`, renamed there,
//! deduplicated into one component or split into copies keeps its places), with a path's
//! parameters compared without their names (`/users/{user_id}` is `/users/{id}`), parameters by
//! location and name (`parameters/query:sort`, path parameters by position: `path:0`) rather
//! than by index, and a union's members by what they hold rather than by position (see
//! `lower::types::slots`). A schema of `#/components/...` is also recorded at its own pointer,
//! which still finds it when its uses move.
//!
//! On the next generation, a schema found at a recorded place takes the recorded name, and all
//! places recorded under one name stay one type (their shapes merged where they have drifted
//! apart, see `lower::types`). Places the record does not know are named by the usual rules.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::pointer::Pointer;

/// A place as records are compared: a path template's parameter names do not count (renaming
/// `{user_id}` to `{id}` moves nothing; path parameters are positional arguments).
pub fn place_key(place: &Pointer) -> Pointer {
    match place.segments() {
        [paths, template, rest @ ..] if paths == "paths" => Pointer::root()
            .push(paths)
            .push(unnamed_parameters(template))
            .join(rest),
        _ => place.clone(),
    }
}

/// `/users/{user_id}/x` -> `/users/{}/x`.
fn unnamed_parameters(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut in_param = false;
    for c in template.chars() {
        match c {
            '{' if !in_param => {
                in_param = true;
                out.push('{');
            }
            '}' if in_param => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The record, relative to the output directory.
pub const NAMES_FILE: &str = "source/names.json";

/// `source/names.json`: every type by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameLock {
    /// A note for people who open the file.
    #[serde(default)]
    pub about: String,
    pub types: BTreeMap<String, LockedType>,
}

/// One named type: where it is, and what users were given by it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedType {
    /// The pointers of the schemas it stands for, sorted.
    pub places: Vec<String>,
    /// A struct's fields (wire names) or an enum's values, sorted. A copy that still has all of
    /// them is the same type grown; one that lost some is another type now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// A union's variants: the name each member's type gives (`UserByol`, `UserByolList`) and
    /// the variant it was given, which a later rule for naming variants must not change. A
    /// record written before variants were recorded has none: its unions' variants were named
    /// after their members' types.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    /// An enum whose values were read from its description's prose (`* VALUE - meaning`): the
    /// next generation keeps them even where the description no longer lists them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub listed: bool,
}

const ABOUT: &str = "Written by `cargo xtask generate`: the name of every generated type and the \
                     places in the description it stands for, reused by the next generation so \
                     that names stay. Do not edit.";

impl NameLock {
    /// A record of `types`.
    pub fn new(types: BTreeMap<String, LockedType>) -> Self {
        Self {
            about: ABOUT.to_string(),
            types,
        }
    }

    /// The recorded name of every place, for lookups while lowering, keyed by [`place_key`].
    pub fn by_pointer(&self) -> BTreeMap<Pointer, String> {
        let mut found = BTreeMap::new();
        for (name, locked) in &self.types {
            for pointer in &locked.places {
                if let Some(pointer) = Pointer::parse_ref(pointer) {
                    found
                        .entry(place_key(&pointer))
                        .or_insert_with(|| name.clone());
                }
            }
        }
        found
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The record of the crate in `out`; an empty one when it has none (a crate generated for the
/// first time, or before names were recorded).
pub fn read(out: &Path) -> Result<NameLock> {
    read_file(&out.join(NAMES_FILE))
}

/// The record kept beside a description, as a generated crate keeps `source/names.json` beside
/// `source/openapi.yaml`; empty when there is none.
pub fn read_beside(description: &Path) -> Result<NameLock> {
    let file = Path::new(NAMES_FILE).file_name().unwrap_or_default();
    read_file(&description.with_file_name(file))
}

/// The record at `path`; empty when there is no such file. A file that does not parse is an
/// error naming its line and JSON pointer.
pub fn read_file(path: &Path) -> Result<NameLock> {
    let Some(text) = crate::files::read_optional(path)? else {
        return Ok(NameLock::default());
    };
    crate::files::parse_record(path, &text, "a generator names file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_round_trips_and_is_looked_up_by_pointer() {
        let mut types = BTreeMap::new();
        types.insert(
            "Identifier".to_string(),
            LockedType {
                places: vec![
                    "#/paths/~1users/get/responses/200/content/application~1json/schema".into(),
                ],
                members: vec!["id".into()],
                ..LockedType::default()
            },
        );
        let lock = NameLock::new(types);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("source")).unwrap();
        std::fs::write(dir.path().join(NAMES_FILE), lock.to_json()).unwrap();
        let read_back = read(dir.path()).unwrap();
        assert_eq!(read_back, lock);
        let by_pointer = read_back.by_pointer();
        let pointer = Pointer::root()
            .push("paths")
            .push("/users")
            .push("get")
            .push("responses")
            .push("200")
            .push("content")
            .push("application/json")
            .push("schema");
        assert_eq!(
            by_pointer.get(&pointer).map(String::as_str),
            Some("Identifier")
        );
    }

    #[test]
    fn path_parameter_names_do_not_count_in_a_place() {
        let place = |template: &str| {
            Pointer::root()
                .push("paths")
                .push(template)
                .push("get")
                .push("responses")
        };
        assert_eq!(
            place_key(&place("/users/{user_id}/accounts/{account_id}")),
            place_key(&place("/users/{id}/accounts/{x}"))
        );
        assert_ne!(
            place_key(&place("/users/{id}/accounts")),
            place_key(&place("/users/{id}/account"))
        );
        let webhook = Pointer::root().push("x-webhooks").push("{a}");
        assert_eq!(place_key(&webhook), webhook);
    }

    #[test]
    fn a_missing_record_is_empty_and_a_broken_one_is_an_error_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_empty());
        std::fs::create_dir_all(dir.path().join("source")).unwrap();
        std::fs::write(
            dir.path().join(NAMES_FILE),
            "{\n  \"types\": {\"A\": {\"places\": 3}}\n}\n",
        )
        .unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("source/names.json:2:"), "{err}");
        assert!(err.contains("#/types/A/places"), "{err}");
    }
}
