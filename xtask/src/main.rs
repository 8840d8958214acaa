//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask generate [--spec PATH] [--groups NAME,...|all] [--out DIR] [--bump [--from OLD]]`
//!   writes the SDK; `--bump` also moves the crate version by what changed for SDK users and
//!   adds the report to `CHANGELOG.md`.
//! - `cargo xtask check [--spec PATH] [--groups ...] [--out DIR]` regenerates in memory and
//!   compares with the output directory: the drift check CI runs.
//! - `cargo xtask diff OLD NEW [--groups ...] [--json]`: what changed for SDK users.
//! - `cargo xtask e2e`: the whole-API SDK against Prism behind Upvest's signature-checking
//!   proxy, every operation once; ends with `N/94 operations passed`.
//!
//! `generate` and `check` take the description and groups from the flags, else from the
//! metadata of the crate in `--out` (`source/metadata.json`), else from the defaults.
//!
//! Exit codes: 0 success, 1 drift (check only), 2 bad input or a failed run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

mod e2e;
use upvest_sdk_generator::{self as generator, GroupSelection, Options};

/// The description the SDK in `generated/` is made from.
const DEFAULT_SPEC: &str = "spec/upvest-user-identifiers.yaml";
const DEFAULT_OUT: &str = "generated";

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Generate and check the Upvest SDK")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the SDK crate from an OpenAPI description.
    Generate(GenerateArgs),
    /// Fail (exit 1) with a diff when the output directory is not what `generate` would write.
    Check(Target),
    /// Run the whole-API SDK against Prism behind Upvest's signature-checking proxy; prints
    /// `N/94 operations passed` last and fails unless all pass.
    E2e(e2e::E2eArgs),
    /// Report what changed for SDK users between two descriptions (exit 0 whatever it finds).
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// The older description. Relative paths are from the repository root.
    old: PathBuf,
    /// The newer description.
    new: PathBuf,
    /// Resource groups to compare, by name or feature name, comma-separated; or `all`.
    #[arg(long, default_value = "all", value_delimiter = ',')]
    groups: Vec<String>,
    /// Print the report as JSON (schema: the `upvest_sdk_generator::diff` module docs).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    target: Target,
    /// Bump the crate version by what changed for SDK users since the description the crate was
    /// generated from, and add the change report to its CHANGELOG.md.
    #[arg(long)]
    bump: bool,
    /// With --bump: the description to compare with (default: the copy the crate keeps).
    #[arg(long, requires = "bump")]
    from: Option<PathBuf>,
}

#[derive(Args)]
struct Target {
    /// The OpenAPI 3.0 or 3.1 description (YAML or JSON). Relative paths are from the
    /// repository root. Default: the one the crate in --out was generated from, else
    /// spec/upvest-user-identifiers.yaml.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Resource groups to generate, by name or feature name, comma-separated; or `all`.
    /// Default: those the crate in --out was generated with, else all.
    #[arg(long, value_delimiter = ',')]
    groups: Option<Vec<String>>,
    /// The output crate directory. Relative paths are from the repository root.
    #[arg(long, default_value = DEFAULT_OUT)]
    out: PathBuf,
}

/// A [`Target`] with its defaults filled in.
struct Resolved {
    spec: PathBuf,
    label: String,
    groups: Vec<String>,
    out: PathBuf,
    out_label: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    match cli.command {
        Command::Generate(args) => generate(&root, &args),
        Command::Check(target) => check(&root, &target),
        Command::E2e(args) => e2e::run(&root, &args),
        Command::Diff(args) => diff(&root, &args),
    }
}

/// The repository root: xtask lives in `<root>/xtask`.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Fills in what the flags leave out: from the crate's metadata, else the defaults.
fn resolve(root: &Path, target: &Target) -> generator::Result<Resolved> {
    let out = root.join(&target.out);
    let recorded = generator::metadata::read(&out)?;
    let spec = match (&target.spec, &recorded) {
        (Some(spec), _) => spec.clone(),
        (None, Some(record)) => PathBuf::from(&record.description.path),
        (None, None) => PathBuf::from(DEFAULT_SPEC),
    };
    let groups = match (&target.groups, &recorded) {
        (Some(groups), _) => groups.clone(),
        (None, Some(record)) => record.groups.selection.clone(),
        (None, None) => vec!["all".to_string()],
    };
    Ok(Resolved {
        label: label(root, &spec),
        spec: root.join(spec),
        groups,
        out_label: label(root, &target.out),
        out,
    })
}

/// Loads a description, printing what was repaired on the way.
fn load(spec: &Path, label: &str) -> generator::Result<generator::load::LoadedSpec> {
    let loaded = generator::load::load_named(spec, Path::new(label))?;
    warn(&loaded.warnings);
    Ok(loaded)
}

/// Prints warnings, a few in full: a description can repeat one mistake many times.
fn warn(warnings: &[generator::Warning]) {
    const SHOWN: usize = 5;
    for warning in warnings.iter().take(SHOWN) {
        eprintln!("warning: {warning}");
    }
    if warnings.len() > SHOWN {
        eprintln!(
            "warning: ... and {} more like these",
            warnings.len() - SHOWN
        );
    }
}

fn generate(root: &Path, args: &GenerateArgs) -> ExitCode {
    let result = resolve(root, &args.target).and_then(|target| {
        let spec = load(&target.spec, &target.label)?;
        let options = options(&target.spec, &target.label, &target.groups);
        let release = if args.bump {
            bump(root, &target, &spec, args.from.as_deref())?
        } else {
            generator::metadata::release(&target.out)?
        };
        let files = generator::generate_release(&spec, &options, &release)?;
        generator::write::write(&files, &target.out)?;
        Ok((files.len(), target.out))
    });
    match result {
        Ok((count, out)) => {
            eprintln!("wrote {count} files to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// The release `--bump` makes, reported on stderr.
fn bump(
    root: &Path,
    target: &Resolved,
    spec: &generator::load::LoadedSpec,
    from: Option<&Path>,
) -> generator::Result<generator::Release> {
    let old = match from {
        Some(path) => {
            let label = label(root, path);
            (load(&root.join(path), &label)?, label)
        }
        None => generator::release::previous_description(&target.out, &target.out_label)?
            .ok_or_else(|| generator::release::no_previous_description(&target.out))?,
    };
    let bumped = generator::release::bump(
        &target.out,
        (&old.0, &old.1),
        (spec, &target.label),
        &selection(&target.groups),
    )?;
    eprint!("{}", generator::diff::print::human(&bumped.report));
    eprintln!(
        "crate version {} -> {} ({} bump)",
        bumped.previous_version,
        bumped.release.crate_version,
        bumped.bump.as_str()
    );
    Ok(bumped.release)
}

fn check(root: &Path, target: &Target) -> ExitCode {
    let target = match resolve(root, target) {
        Ok(target) => target,
        Err(e) => return fail(&e),
    };
    let options = options(&target.spec, &target.label, &target.groups);
    match generator::check(&options, &target.out) {
        Ok(drift) if drift.is_empty() => {
            eprintln!("{} is up to date with {}", target.out_label, target.label);
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            let fix = fix_command(&target);
            if let Some(note) = description_note(&target, &fix) {
                eprint!("{note}");
            }
            eprint!("{}", drift.report(&fix));
            ExitCode::from(1)
        }
        Err(e) => fail(&e),
    }
}

/// When the description itself changed since the crate was generated: what that means for SDK
/// users, in short. Nothing when it did not, or when that cannot be worked out.
fn description_note(target: &Resolved, fix: &str) -> Option<String> {
    let spec = generator::load::load_named(&target.spec, Path::new(&target.label)).ok()?;
    let report = generator::release::changes_since(
        &target.out,
        &target.out_label,
        (&spec, &target.label),
        &selection(&target.groups),
    )
    .ok()??;
    Some(format!(
        "The description changed since {out} was generated: {summary}\n\
         Details: `cargo xtask diff {old} {spec}`. `{fix} --bump` also applies the bump to the \
         crate version and adds the report to {out}/CHANGELOG.md.\n",
        out = target.out_label,
        old = report.old.source,
        spec = target.label,
        summary = generator::diff::print::summary(&report),
    ))
}

/// The command that regenerates what `check` found stale, with the same options.
fn fix_command(target: &Resolved) -> String {
    let mut command = String::from("cargo xtask generate");
    if target.label != DEFAULT_SPEC {
        command.push_str(&format!(" --spec {}", target.label));
    }
    if target.groups != ["all"] {
        command.push_str(&format!(" --groups {}", target.groups.join(",")));
    }
    if target.out_label != DEFAULT_OUT {
        command.push_str(&format!(" --out {}", target.out_label));
    }
    command
}

fn options<'a>(spec: &'a Path, label: &'a str, groups: &[String]) -> Options<'a> {
    Options {
        spec,
        spec_label: label,
        groups: selection(groups),
    }
}

fn selection(groups: &[String]) -> GroupSelection {
    if groups.iter().any(|g| g == "all") {
        GroupSelection::All
    } else {
        GroupSelection::Only(groups.to_vec())
    }
}

fn diff(root: &Path, args: &DiffArgs) -> ExitCode {
    let load = |path: &Path| -> generator::Result<(generator::load::LoadedSpec, String)> {
        let label = label(root, path);
        Ok((load(&root.join(path), &label)?, label))
    };
    let result = load(&args.old).and_then(|old| {
        let new = load(&args.new)?;
        // A generated crate keeps its type names beside its copy of the description.
        let names = generator::lock::read_beside(&root.join(&args.old))?;
        generator::diff::diff_specs_named(
            (&old.0, &old.1),
            (&new.0, &new.1),
            &selection(&args.groups),
            &names,
        )
    });
    match result {
        Ok(report) if args.json => {
            print!("{}", generator::diff::print::json(&report));
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print!("{}", generator::diff::print::human(&report));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// How the spec is named in generated headers: relative to the repository when inside it, so
/// the output does not depend on where the repository is checked out.
fn label(root: &Path, spec: &Path) -> String {
    let absolute = root.join(spec);
    let shown = absolute.strip_prefix(root).unwrap_or(spec);
    shown.display().to_string()
}

fn fail(error: &generator::Error) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}
