//! The command line as a user runs it: exit codes, messages, and that a failed run leaves the
//! output directory exactly as it was.

use std::path::Path;

use crate::common::{ping_spec, stderr, tree, xtask};

const GOOD_SPEC: &str = ping_spec!();

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// `spec` written to `dir/name` and generated into `dir/out`: the description's path and the
/// output directory's, as arguments.
fn generated(dir: &Path, name: &str, spec: &str) -> (String, String) {
    let spec = write(dir, name, spec);
    let out = dir.join("out").display().to_string();
    let output = xtask(&["generate", "--spec", &spec, "--out", &out]);
    assert!(output.status.success(), "{}", stderr(&output));
    (spec, out)
}

#[test]
fn unresolvable_ref_exits_2_names_target_and_place_and_leaves_output_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (_, out_arg) = generated(dir.path(), "good.yaml", GOOD_SPEC);
    let out = Path::new(&out_arg);
    let before = tree(out);

    let broken = GOOD_SPEC.replace(
        "title: Pong\n                type: object",
        "$ref: '#/components/schemas/Missing'\n                type: object",
    );
    let bad = write(dir.path(), "bad.yaml", &broken);
    let output = xtask(&["generate", "--spec", &bad, "--out", &out_arg]);

    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("`#/components/schemas/Missing`"),
        "{message}"
    );
    assert!(
        message.contains("bad.yaml:16:")
            && message
                .contains("#/paths/~1ping/get/responses/200/content/application~1json/schema/$ref"),
        "{message}"
    );
    assert_eq!(tree(out), before, "a failed run must not touch the output");
}

#[test]
fn check_reports_drift_with_a_diff_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let (spec, out_arg) = generated(dir.path(), "tiny.yaml", GOOD_SPEC);
    let fresh = xtask(&["check", "--spec", &spec, "--out", &out_arg]);
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));

    // The description changes; the committed output is now stale.
    write(
        dir.path(),
        "tiny.yaml",
        &GOOD_SPEC.replace("ok:", "healthy:"),
    );
    let stale = xtask(&["check", "--spec", &spec, "--out", &out_arg]);
    assert_eq!(stale.status.code(), Some(1));
    let message = stderr(&stale);
    assert!(
        message.contains("  changed  src/models.rs  (+"),
        "{message}"
    );
    assert!(
        // Indented twice: the struct is in the module of its feature set.
        message.contains("+        pub healthy: Option<bool>,"),
        "{message}"
    );
    assert!(
        message.contains("Run `cargo xtask generate --spec"),
        "{message}"
    );
}

#[test]
fn unknown_group_exits_2_and_lists_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "tiny.yaml", GOOD_SPEC);
    let out = dir.path().join("out").display().to_string();
    let output = xtask(&[
        "generate", "--spec", &spec, "--groups", "Nope", "--out", &out,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown resource group `Nope`; the description has: Health"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn missing_spec_file_exits_2() {
    let output = xtask(&["check", "--spec", "/nonexistent/spec.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read /nonexistent/spec.yaml"));
}

/// The literal case from the issue: the default output directory, `generated/`, is untouched by
/// a run whose description has an unresolvable `$ref`.
#[test]
fn failed_run_leaves_the_committed_generated_crate_untouched() {
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let before = tree(&generated);
    let dir = tempfile::tempdir().unwrap();
    let broken = GOOD_SPEC.replace(
        "title: Pong\n                type: object",
        "$ref: '#/components/responses/Nope'",
    );
    let bad = write(dir.path(), "bad.yaml", &broken);
    let output = xtask(&["generate", "--spec", &bad]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("`#/components/responses/Nope`"));
    assert_eq!(tree(&generated), before);
}
