//! `cargo xtask`: the project's commands.
//!
//! - `cargo xtask generate [--spec PATH] [--groups NAME,...|all] [--out DIR]` writes the SDK.
//! - `cargo xtask check [same options]` regenerates in memory and compares with the output
//!   directory: the drift check CI runs.
//!
//! Exit codes: 0 success, 1 drift (check only), 2 bad input or a failed run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
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
    Generate(Target),
    /// Fail (exit 1) with a diff when the output directory is not what `generate` would write.
    Check(Target),
}

#[derive(Args)]
struct Target {
    /// The OpenAPI 3.0 description (YAML or JSON). Relative paths are from the repository root.
    #[arg(long, default_value = DEFAULT_SPEC)]
    spec: PathBuf,
    /// Resource groups to generate, by name or feature name, comma-separated; or `all`.
    #[arg(long, default_value = "all", value_delimiter = ',')]
    groups: Vec<String>,
    /// The output crate directory. Relative paths are from the repository root.
    #[arg(long, default_value = DEFAULT_OUT)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    match cli.command {
        Command::Generate(target) => generate(&root, &target),
        Command::Check(target) => check(&root, &target),
    }
}

/// The repository root: xtask lives in `<root>/xtask`.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(root: &Path, target: &Target) -> ExitCode {
    let spec = root.join(&target.spec);
    let label = label(root, &target.spec);
    let options = options(&spec, &label, &target.groups);
    let out = root.join(&target.out);
    let result = generator::generate_with_warnings(&options).and_then(|(files, warnings)| {
        for warning in &warnings {
            eprintln!("warning: {warning}");
        }
        generator::write::write(&files, &out)?;
        Ok(files.len())
    });
    match result {
        Ok(count) => {
            eprintln!("wrote {count} files to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn check(root: &Path, target: &Target) -> ExitCode {
    let spec = root.join(&target.spec);
    let label = label(root, &target.spec);
    let options = options(&spec, &label, &target.groups);
    let out = root.join(&target.out);
    match generator::check(&options, &out) {
        Ok(drift) if drift.is_empty() => {
            eprintln!("{} is up to date with {label}", out.display());
            ExitCode::SUCCESS
        }
        Ok(drift) => {
            eprint!("{}", drift.report(&fix_command(target)));
            ExitCode::from(1)
        }
        Err(e) => fail(&e),
    }
}

/// The command that regenerates what `check` found stale, with the same options.
fn fix_command(target: &Target) -> String {
    let mut command = String::from("cargo xtask generate");
    if target.spec != Path::new(DEFAULT_SPEC) {
        command.push_str(&format!(" --spec {}", target.spec.display()));
    }
    if target.groups != ["all"] {
        command.push_str(&format!(" --groups {}", target.groups.join(",")));
    }
    if target.out != Path::new(DEFAULT_OUT) {
        command.push_str(&format!(" --out {}", target.out.display()));
    }
    command
}

fn options<'a>(spec: &'a Path, label: &'a str, groups: &[String]) -> Options<'a> {
    let groups = if groups.iter().any(|g| g == "all") {
        GroupSelection::All
    } else {
        GroupSelection::Only(groups.to_vec())
    };
    Options {
        spec,
        spec_label: label,
        groups,
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
