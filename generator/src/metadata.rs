//! What a generated crate records about its making, so that `check` and `generate --bump` need
//! no flags: which description (path, title, version, sha256) and which groups produced it, and
//! the crate's version. Two more output files carry it:
//!
//! - `source/metadata.json`: the record below (written by the generator, never by hand);
//! - `source/openapi.yaml` (or `.json`): a byte-for-byte copy of the description. It is the
//!   "old" side of the report `generate --bump` writes into `CHANGELOG.md` when the description
//!   changes, and what `check` compares a changed description with.
//!
//! `CHANGELOG.md` and the crate version are carried from one generation to the next: a plain
//! `generate` keeps them, `generate --bump` moves them forward.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::files::{parse_record, read_optional};
use crate::lock::{self, NameLock};
use crate::lower::GroupSelection;
use crate::model::Api;

/// The record, relative to the output directory.
pub const METADATA_FILE: &str = "source/metadata.json";
/// The changelog `generate --bump` writes, relative to the output directory.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";
/// The version of a crate generated for the first time.
pub const INITIAL_VERSION: &str = "0.1.0";

/// `source/metadata.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// A note for people who open the file.
    pub about: String,
    /// The generated crate's version (its `Cargo.toml` takes it from here).
    pub crate_version: String,
    pub description: Description,
    pub groups: Groups,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Description {
    /// Where the description was read from, relative to the repository root when inside it.
    pub path: String,
    /// The copy of the description, relative to the output directory.
    pub copy: String,
    /// `info.title` and `info.version`.
    pub title: String,
    pub version: String,
    /// SHA-256 of the description file's bytes, lowercase hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Groups {
    /// `--groups` as given: `["all"]` or group names.
    pub selection: Vec<String>,
    /// The resource groups the crate has.
    pub generated: Vec<String>,
}

/// What one generation hands to the next: the crate's version, changelog and type names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub crate_version: String,
    pub changelog: Option<String>,
    /// The names the crate's types have, kept by the next generation.
    pub names: NameLock,
}

impl Default for Release {
    fn default() -> Self {
        Self {
            crate_version: INITIAL_VERSION.to_string(),
            changelog: None,
            names: NameLock::default(),
        }
    }
}

impl Metadata {
    /// The record for a crate made from a description (whose bytes have the SHA-256
    /// `source_sha256`) lowered to `api`.
    pub fn new(
        api: &Api,
        source_sha256: &str,
        selection: &GroupSelection,
        crate_version: &str,
    ) -> Self {
        Self {
            about: "Written by `cargo xtask generate`, read by `cargo xtask check` and \
                    `cargo xtask generate --bump`. Do not edit."
                .to_string(),
            crate_version: crate_version.to_string(),
            description: Description {
                path: api.source.clone(),
                copy: copy_path(&api.source),
                title: api.title.clone(),
                version: api.version.clone(),
                sha256: source_sha256.to_string(),
            },
            groups: Groups {
                selection: match selection {
                    GroupSelection::All => vec!["all".to_string()],
                    GroupSelection::Only(names) => names.clone(),
                },
                generated: api.groups.iter().map(|g| g.name.clone()).collect(),
            },
        }
    }

    /// The selection to regenerate with.
    pub fn selection(&self) -> GroupSelection {
        if self.groups.selection.iter().any(|g| g == "all") {
            GroupSelection::All
        } else {
            GroupSelection::Only(self.groups.selection.clone())
        }
    }

    /// The file's text: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `source/openapi.json` for a JSON description, else `source/openapi.yaml`.
fn copy_path(spec_path: &str) -> String {
    let extension = if spec_path.ends_with(".json") {
        "json"
    } else {
        "yaml"
    };
    format!("source/openapi.{extension}")
}

/// The record in `out`, if the crate there has one. A record that does not parse is an error
/// naming the file, line and JSON pointer.
pub fn read(out: &Path) -> Result<Option<Metadata>> {
    let path = out.join(METADATA_FILE);
    let Some(text) = read_optional(&path)? else {
        return Ok(None);
    };
    parse_record(&path, &text, "a generator metadata file").map(Some)
}

/// The version, changelog and type names the crate in `out` has now (a new crate's when there
/// is none).
pub fn release(out: &Path) -> Result<Release> {
    let crate_version = read(out)?
        .map(|m| m.crate_version)
        .unwrap_or_else(|| INITIAL_VERSION.to_string());
    let changelog = read_optional(&out.join(CHANGELOG_FILE))?;
    Ok(Release {
        crate_version,
        changelog,
        names: lock::read(out)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_record_is_reported_with_its_place() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("source")).unwrap();
        std::fs::write(
            dir.path().join(METADATA_FILE),
            "{\n  \"about\": \"x\",\n  \"crate_version\": 3\n}\n",
        )
        .unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("source/metadata.json:3:"), "{err}");
        assert!(err.contains("#/crate_version"), "{err}");
    }

    #[test]
    fn a_missing_record_is_a_new_crate() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        assert_eq!(release(dir.path()).unwrap(), Release::default());
    }
}
