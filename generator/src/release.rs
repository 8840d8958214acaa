//! Releases of the generated crate: what changed since the description it was made from, and the
//! version bump and changelog entry `cargo xtask generate --bump` derives from that.
//!
//! The "old" description is the copy the crate keeps (`source/openapi.yaml`, see [`metadata`]),
//! so no flag or git history is needed; `--from OLD` names another one (a crate generated before
//! the copy existed has none).

use std::path::Path;

use crate::diff::{self, print, Bump, Report};
use crate::error::{Error, Location, Result};
use crate::load::{self, LoadedSpec};
use crate::lower::GroupSelection;
use crate::metadata::{self, Release};

/// A description with the name it goes by in messages and reports.
pub type Named<'a> = (&'a LoadedSpec, &'a str);

/// What `generate --bump` decided.
#[derive(Debug, Clone)]
pub struct Bumped {
    pub previous_version: String,
    pub bump: Bump,
    /// The new version and the changelog with the new entry on top.
    pub release: Release,
    pub report: Report,
}

/// The copy of the description the crate in `out` was made from, loaded; `None` when the crate
/// has no metadata or no copy. `out_label` is how `out` is named in messages.
pub fn previous_description(out: &Path, out_label: &str) -> Result<Option<(LoadedSpec, String)>> {
    let Some(record) = metadata::read(out)? else {
        return Ok(None);
    };
    let path = out.join(&record.description.copy);
    if !path.is_file() {
        return Ok(None);
    }
    let label = format!("{out_label}/{}", record.description.copy);
    let spec = load::load_named(&path, Path::new(&label))?;
    Ok(Some((spec, label)))
}

/// What changed for SDK users since the description the crate in `out` was made from; `None`
/// when the description is byte-identical or the crate keeps no copy.
pub fn changes_since(
    out: &Path,
    out_label: &str,
    new: Named,
    selection: &GroupSelection,
) -> Result<Option<Report>> {
    let Some((old, old_label)) = previous_description(out, out_label)? else {
        return Ok(None);
    };
    if old.source == new.0.source {
        return Ok(None);
    }
    let names = crate::lock::read(out)?;
    diff::diff_specs_named((&old, &old_label), new, selection, &names).map(Some)
}

/// The next release of the crate in `out` when it is regenerated from `new`: the report's bump
/// applied to its version (a patch when the description changed but not the SDK's API), and
/// the report prepended to its changelog. Nothing moves when nothing changed.
pub fn bump(out: &Path, old: Named, new: Named, selection: &GroupSelection) -> Result<Bumped> {
    let current = metadata::release(out)?;
    let report = diff::diff_specs_named(old, new, selection, &current.names)?;
    let bump = match report.summary.bump {
        Bump::None if old.0.source != new.0.source => Bump::Patch,
        level => level,
    };
    let version = bump
        .apply(&current.crate_version)
        .ok_or_else(|| bad_version(out, &current.crate_version))?;
    let changelog = match bump {
        Bump::None => current.changelog.clone(),
        _ => Some(print::prepend_to_changelog(
            current.changelog.as_deref(),
            &print::changelog_entry(&report, &version),
        )),
    };
    Ok(Bumped {
        previous_version: current.crate_version,
        bump,
        release: Release {
            crate_version: version,
            changelog,
            names: current.names,
        },
        report,
    })
}

fn bad_version(out: &Path, version: &str) -> Error {
    Error::Invalid {
        location: Box::new(Location {
            file: out.join(metadata::METADATA_FILE),
            line: None,
            column: None,
            pointer: "#/crate_version".to_string(),
        }),
        message: format!("crate version `{version}` is not MAJOR.MINOR.PATCH; cannot bump it"),
    }
}

/// The error for `--bump` without an old description to compare with.
pub fn no_previous_description(out: &Path) -> Error {
    Error::Invalid {
        location: Box::new(Location {
            file: out.join(metadata::METADATA_FILE),
            line: None,
            column: None,
            pointer: String::new(),
        }),
        message: "`--bump` needs the description the crate was made from, and the crate keeps \
                  no copy of it; pass it with `--from OLD`"
            .to_string(),
    }
}
