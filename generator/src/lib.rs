//! Generates the Rust SDK for the Upvest Investment API from its OpenAPI description.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: YAML into a raw JSON tree and a typed `openapiv3::OpenAPI`;
//! 2. [`validate`]: `$ref`s, operationIds and path parameters checked up front;
//! 3. [`lower`]: the description becomes the [`model`]: groups, operations, deduplicated types;
//! 4. [`render`]: the model goes through the minijinja templates in `templates/`, and the
//!    [`runtime`] crate's files are copied;
//! 5. [`format`](mod@format): every Rust file is parsed with syn and printed with prettyplease;
//! 6. [`write`](mod@write): the files replace the output directory at once, or are compared with it.
//!
//! [`generate`] runs stages 1 to 5 in memory; [`write::write`] and [`write::compare`] finish.

pub mod describe;
pub mod diff;
pub mod error;
pub mod files;
pub mod format;
pub mod load;
pub mod lock;
pub mod lower;
pub mod metadata;
pub mod model;
pub mod names;
pub mod pointer;
pub mod release;
pub mod renames;
pub mod render;
pub mod runtime;
pub mod validate;
pub mod write;

use std::path::Path;

pub use error::{Error, Result, Warning};
pub use lower::GroupSelection;
pub use metadata::Release;
pub use write::{Drift, Files};

/// What to generate from.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The OpenAPI description to read.
    pub spec: &'a Path,
    /// How the description is named in the generated files' header (a path relative to the
    /// repository, so the output does not depend on where the repository is checked out).
    pub spec_label: &'a str,
    pub groups: GroupSelection,
}

/// Runs the pipeline in memory: the generated crate's files, formatted, or the first error.
pub fn generate(options: &Options) -> Result<Files> {
    generate_with_warnings(options).map(|(files, _)| files)
}

/// [`generate`], also returning what was repaired on the way (to be shown to the user).
pub fn generate_with_warnings(options: &Options) -> Result<(Files, Vec<Warning>)> {
    let spec = load::load_named(options.spec, Path::new(options.spec_label))?;
    let files = generate_from(&spec, options)?;
    Ok((files, spec.warnings))
}

/// The same as [`generate`], for a description already loaded.
pub fn generate_from(spec: &load::LoadedSpec, options: &Options) -> Result<Files> {
    generate_release(spec, options, &Release::default())
}

/// Generates a crate with the given version and changelog (carried over from the crate being
/// replaced, or moved forward by `generate --bump`). Besides the crate, the output holds its
/// [`metadata`] and a copy of the description.
pub fn generate_release(
    spec: &load::LoadedSpec,
    options: &Options,
    release: &Release,
) -> Result<Files> {
    std::thread::scope(|scope| {
        // The description's digest (for the metadata) depends on nothing else: it is taken on
        // a thread of its own while the stages run.
        scope.spawn(|| spec.sha256());
        generate_files(spec, options, release)
    })
}

fn generate_files(spec: &load::LoadedSpec, options: &Options, release: &Release) -> Result<Files> {
    validate::validate(spec)?;
    let api = lower::lower(spec, &options.groups, options.spec_label, &release.names)?;
    let rendered = render::render(&api, &release.crate_version)?;
    let mut files = format::format(rendered, options.spec_label)?;
    let record =
        metadata::Metadata::new(&api, spec.sha256(), &options.groups, &release.crate_version);
    files.insert(record.description.copy.clone(), spec.source.clone());
    files.insert(metadata::METADATA_FILE.to_string(), record.to_json());
    files.insert(lock::NAMES_FILE.to_string(), api.names.to_json());
    if let Some(changelog) = &release.changelog {
        files.insert(metadata::CHANGELOG_FILE.to_string(), changelog.clone());
    }
    Ok(files)
}

/// Generates and compares with `out`, keeping the version and changelog of the crate there:
/// `Ok` with the drift (empty when up to date).
pub fn check(options: &Options, out: &Path) -> Result<Drift> {
    let release = metadata::release(out)?;
    let spec = load::load_named(options.spec, Path::new(options.spec_label))?;
    let files = generate_release(&spec, options, &release)?;
    write::compare(&files, out)
}
