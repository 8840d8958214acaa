//! When the description changes, as a user meets it on the command line: `diff`, `check` that
//! knows from the crate's metadata how to regenerate it, `generate --bump`, and output that does
//! not depend on the process or the current directory.

use std::path::PathBuf;

use crate::common::{ping_spec, stderr, stdout, tree, xtask, xtask_in};

const SPEC: &str = concat!(
    ping_spec!(),
    "  /echo:
    post:
      operationId: echo
      x-doctave-tags: [Echo]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              title: Echo - Input
              type: object
              required: [text]
              properties:
                text:
                  type: string
      responses:
        '204':
          description: Done
",
);

/// A response field added: compatible.
fn compatible_change(spec: &str) -> String {
    spec.replace(
        "                  ok:\n                    type: boolean\n",
        "                  ok:\n                    type: boolean\n                  \
         at:\n                    type: string\n",
    )
}

/// The request field changes its type: breaking. (A lost title is not: the type keeps the
/// name the crate recorded.)
fn breaking_change(spec: &str) -> String {
    spec.replace(
        "                text:\n                  type: string\n",
        "                text:\n                  type: integer\n",
    )
}

/// A temporary directory with `spec.yaml` and a crate generated from it in `out/`.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new(groups: Option<&str>) -> Self {
        let project = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        project.write_spec(SPEC);
        let (spec, out) = (project.spec(), project.out());
        let mut args = vec!["generate", "--spec", &spec, "--out", &out];
        if let Some(groups) = groups {
            args.extend(["--groups", groups]);
        }
        let output = xtask(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        project
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn spec(&self) -> String {
        self.path("spec.yaml").display().to_string()
    }

    fn out(&self) -> String {
        self.path("out").display().to_string()
    }

    fn write_spec(&self, text: &str) {
        std::fs::write(self.path("spec.yaml"), text).unwrap();
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path("out").join(name)).unwrap()
    }

    fn version(&self) -> String {
        let manifest = self.read("Cargo.toml");
        let line = manifest
            .lines()
            .find(|l| l.starts_with("version = "))
            .unwrap();
        line.trim_start_matches("version = ")
            .trim_matches('"')
            .into()
    }
}

#[test]
fn diff_prints_the_report_and_exits_0_whatever_it_finds() {
    let project = Project::new(None);
    std::fs::write(project.path("new.yaml"), breaking_change(SPEC)).unwrap();
    let (old, new) = (
        project.spec(),
        project.path("new.yaml").display().to_string(),
    );

    let human = xtask(&["diff", &old, &new]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    let text = stdout(&human);
    assert!(
        text.contains("Echo\n  breaking  field type changed: EchoInput.text: String -> i64"),
        "{text}"
    );

    let json = xtask(&["diff", &old, &new, "--json"]);
    assert_eq!(json.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["summary"]["bump"], "major");
    assert_eq!(
        report["groups"][0]["changes"][0]["kind"],
        "field_type_changed"
    );

    let same = xtask(&["diff", &old, &old]);
    assert_eq!(same.status.code(), Some(0));
    assert!(stdout(&same).contains("No changes for SDK users."));
}

#[test]
fn diff_of_a_bad_description_exits_2_naming_file_line_and_pointer() {
    let project = Project::new(None);
    let bad = project.path("bad.yaml");
    std::fs::write(
        &bad,
        SPEC.replace("responses:\n        '200':", "responses: 7\n        '200':"),
    )
    .unwrap();
    let output = xtask(&["diff", &project.spec(), &bad.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("bad.yaml:"), "{message}");
    assert!(message.contains("#/paths/"), "{message}");
}

#[test]
fn check_needs_only_the_output_directory() {
    let project = Project::new(Some("health"));
    let out = project.out();
    let fresh = xtask(&["check", "--out", &out]);
    assert_eq!(fresh.status.code(), Some(0), "{}", stderr(&fresh));

    project.write_spec(&compatible_change(SPEC));
    let stale = xtask(&["check", "--out", &out]);
    assert_eq!(stale.status.code(), Some(1));
    let message = stderr(&stale);
    assert!(
        message.contains("generated file(s) are stale (4 changed, 0 added, 0 removed)"),
        "{message}"
    );
    assert!(
        message.contains("  changed  src/models.rs  (+"),
        "{message}"
    );
    let fix = format!(
        "Run `cargo xtask generate --spec {} --groups health --out {out}`",
        project.spec()
    );
    assert!(message.contains(&fix), "{message}");
    assert!(
        message.contains("The description changed since")
            && message.contains("1 change, 0 breaking. Suggested version bump: minor"),
        "{message}"
    );

    // The command it prints fixes it.
    let spec = project.spec();
    let generate = xtask(&[
        "generate", "--spec", &spec, "--groups", "health", "--out", &out,
    ]);
    assert!(generate.status.success());
    assert_eq!(xtask(&["check", "--out", &out]).status.code(), Some(0));
}

#[test]
fn explicit_flags_override_the_metadata() {
    let project = Project::new(None);
    let other = project.path("other.yaml");
    std::fs::write(&other, compatible_change(SPEC)).unwrap();
    let output = xtask(&[
        "check",
        "--out",
        &project.out(),
        "--spec",
        &other.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let output = xtask(&["check", "--out", &project.out(), "--groups", "echo"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("removed  src/health.rs"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn bump_moves_the_version_and_writes_the_changelog() {
    let project = Project::new(None);
    let out = project.out();
    assert_eq!(project.version(), "0.1.0");

    // Nothing changed: nothing moves.
    let same = xtask(&["generate", "--out", &out, "--bump"]);
    assert!(same.status.success(), "{}", stderr(&same));
    assert_eq!(project.version(), "0.1.0");
    assert!(!project.path("out/CHANGELOG.md").exists());

    // Breaking, while 0.x: the minor version moves.
    project.write_spec(&breaking_change(SPEC));
    let breaking = xtask(&["generate", "--out", &out, "--bump"]);
    assert!(breaking.status.success(), "{}", stderr(&breaking));
    assert!(stderr(&breaking).contains("crate version 0.1.0 -> 0.2.0 (major bump)"));
    assert_eq!(project.version(), "0.2.0");
    let changelog = project.read("CHANGELOG.md");
    assert!(
        changelog.starts_with("# Changelog\n\n## 0.2.0\n"),
        "{changelog}"
    );
    assert!(
        changelog.contains("- **breaking** field type changed: EchoInput.text: String -> i64"),
        "{changelog}"
    );

    // The new version and the changelog are part of what check expects.
    assert_eq!(xtask(&["check", "--out", &out]).status.code(), Some(0));
    let plain = xtask(&["generate", "--out", &out]);
    assert!(plain.status.success());
    assert_eq!(project.version(), "0.2.0");
    assert_eq!(project.read("CHANGELOG.md"), changelog);

    // Compatible: the patch version moves; the newest entry comes first.
    project.write_spec(&compatible_change(&breaking_change(SPEC)));
    let compatible = xtask(&["generate", "--out", &out, "--bump"]);
    assert!(compatible.status.success(), "{}", stderr(&compatible));
    assert_eq!(project.version(), "0.2.1");
    let changelog = project.read("CHANGELOG.md");
    let (newer, older) = (
        changelog.find("## 0.2.1").unwrap(),
        changelog.find("## 0.2.0").unwrap(),
    );
    assert!(newer < older, "{changelog}");
    assert!(
        changelog.contains("- field added: Pong.at (Option<String>)"),
        "{changelog}"
    );
}

#[test]
fn bump_without_a_copy_of_the_old_description_needs_from() {
    let project = Project::new(None);
    let out = project.out();
    let old_copy = project.path("old.yaml");
    std::fs::rename(project.path("out/source/openapi.yaml"), &old_copy).unwrap();
    project.write_spec(&compatible_change(SPEC));

    let refused = xtask(&["generate", "--out", &out, "--bump"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("pass it with `--from OLD`"),
        "{}",
        stderr(&refused)
    );

    let from = old_copy.display().to_string();
    let bumped = xtask(&["generate", "--out", &out, "--bump", "--from", &from]);
    assert!(bumped.status.success(), "{}", stderr(&bumped));
    assert_eq!(project.version(), "0.1.1");
}

/// Two processes (each with its own hash seeds), run from two different directories, write the
/// same bytes.
#[test]
fn output_does_not_depend_on_the_process_or_the_current_directory() {
    let project = Project::new(None);
    let elsewhere = tempfile::tempdir().unwrap();
    let second = project.path("second").display().to_string();
    let output = xtask_in(
        elsewhere.path(),
        &["generate", "--spec", &project.spec(), "--out", &second],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(tree(&project.path("out")), tree(&project.path("second")));
}
