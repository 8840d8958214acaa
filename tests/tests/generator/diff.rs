//! The change report (`cargo xtask diff`): one small pair of descriptions per kind of change under
//! `tests/fixtures/diff/<kind>/{old,new}.yaml`, each with snapshots of the human and the JSON
//! report; and Upvest's real revisions, where v1 -> v2 renames a type.

use std::path::Path;

use upvest_sdk_generator::diff::{self, print, Kind, Report};
use upvest_sdk_generator::lock::{NameLock, NAMES_FILE};
use upvest_sdk_generator::{generate_release, load, GroupSelection, Options, Release};
use upvest_sdk_tests::{repo_root, shared_dir};

/// The path as the report names it: from the repository root, so snapshots do not depend on
/// where the checkout is.
fn label(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn report(old: &Path, new: &Path, selection: &GroupSelection) -> Report {
    let (old_label, new_label) = (label(old), label(new));
    let old = load::load_named(old, Path::new(&old_label)).unwrap_or_else(|e| panic!("{e}"));
    let new = load::load_named(new, Path::new(&new_label)).unwrap_or_else(|e| panic!("{e}"));
    diff::diff_specs((&old, &old_label), (&new, &new_label), selection)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The report of the fixture pair `tests/fixtures/diff/<name>`, all groups.
fn pair(name: &str) -> Report {
    let dir = repo_root().join("tests/fixtures/diff").join(name);
    report(
        &dir.join("old.yaml"),
        &dir.join("new.yaml"),
        &GroupSelection::All,
    )
}

fn changes(report: &Report) -> Vec<&diff::Change> {
    report.groups.iter().flat_map(|g| &g.changes).collect()
}

#[test]
fn fixture_pairs() {
    insta::with_settings!({ snapshot_path => "snapshots/diff", prepend_module_to_snapshot => false }, {
        insta::glob!("../../fixtures/diff", "*/old.yaml", |old| {
            let new = old.with_file_name("new.yaml");
            let report = report(old, &new, &GroupSelection::All);
            insta::assert_snapshot!("human", print::human(&report));
            insta::assert_snapshot!("json", print::json(&report));
        });
    });
}

/// Each pair is about its kind: a pair is named after a kind of change (`field-added-...`), its
/// report has a change of that kind, and only the `no-change` pair has none.
#[test]
fn every_pair_reports_its_own_kind() {
    let root = repo_root().join("tests/fixtures/diff");
    let mut pairs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pairs.sort();
    assert!(pairs.len() >= 30, "{pairs:?}");
    for pair in pairs {
        let name = pair.file_name().unwrap().to_string_lossy().into_owned();
        let report = report(
            &pair.join("old.yaml"),
            &pair.join("new.yaml"),
            &GroupSelection::All,
        );
        let kinds: Vec<String> = changes(&report)
            .iter()
            .map(|c| c.kind.words().replace(' ', "-"))
            .collect();
        if name.starts_with("no-change") {
            assert!(kinds.is_empty(), "{name}: {kinds:?}");
            continue;
        }
        assert!(
            kinds.iter().any(|kind| name.starts_with(kind.as_str())),
            "{name}: {kinds:?}"
        );
    }
}

/// Optional inputs are setters and required ones are `new`'s or the method's arguments: only
/// what changes those breaks.
#[test]
fn optional_inputs_never_break_and_required_ones_do() {
    for (name, breaking) in [
        ("field-added-request-optional", false),
        ("field-added-request-nested-optional", false),
        ("field-added-response", false),
        ("parameter-added-optional", false),
        ("parameter-added-idempotency-key", false),
        ("request-body-required-changed", false),
        ("parameter-renamed", false),
        ("deprecation-changed-on-a-field", false),
        ("field-added-request-required", true),
        ("field-added-response-required", true),
        ("field-required-changed", true),
        ("parameter-added-required", true),
        ("parameter-required-changed", true),
        ("parameter-required-changed-to-optional", true),
        ("request-body-required-changed-to-argument", true),
    ] {
        let report = pair(name);
        assert!(report.summary.changes > 0, "{name}");
        assert_eq!(report.summary.breaking > 0, breaking, "{name}");
        let bump = if breaking {
            diff::Bump::Major
        } else {
            diff::Bump::Minor
        };
        assert_eq!(report.summary.bump, bump, "{name}");
    }
}

/// A new error status and a new union member are changes users are told about, and neither
/// breaks them (`ErrorStatus` and unions are `#[non_exhaustive]`).
#[test]
fn new_error_statuses_and_union_members_are_compatible_changes() {
    for (name, kind, member) in [
        ("error-status-added", Kind::ErrorStatusAdded, "409"),
        ("error-status-removed", Kind::ErrorStatusRemoved, "409"),
    ] {
        let report = pair(name);
        let all = changes(&report);
        assert_eq!(all.len(), 1, "{name}: {}", print::human(&report));
        assert_eq!(all[0].kind, kind);
        assert_eq!(all[0].item, "create_account");
        assert_eq!(all[0].member.as_deref(), Some(member));
        assert!(!all[0].breaking);
        assert_eq!(report.summary.bump, diff::Bump::Minor);
        assert!(!print::human(&report).contains("No changes for SDK users."));
    }
    let union = pair("union-variant-added");
    assert!(changes(&union)
        .iter()
        .any(|c| c.kind == Kind::UnionVariantAdded));
    assert_eq!(union.summary.breaking, 0, "{}", print::human(&union));
    let removed = pair("union-variant-removed");
    assert!(removed.summary.breaking > 0);
}

#[test]
fn groups_limit_the_report() {
    let dir = repo_root().join("tests/fixtures/diff/operation-added");
    let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
    let accounts = report(&old, &new, &GroupSelection::Only(vec!["accounts".into()]));
    assert_eq!(accounts.summary.changes, 0);
    // A group only the new description has can be selected: it was added.
    let users = report(&old, &new, &GroupSelection::Only(vec!["Users".into()]));
    assert_eq!(users.groups.len(), 1);
    assert_eq!(users.groups[0].group, "Users");
    assert_eq!(users.summary.changes, 3);
}

#[test]
fn an_unknown_group_is_an_error_naming_the_groups() {
    let dir = repo_root().join("tests/fixtures/diff/operation-added");
    let old = load::load(&dir.join("old.yaml")).unwrap();
    let new = load::load(&dir.join("new.yaml")).unwrap();
    let err = diff::diff_specs(
        (&old, "old"),
        (&new, "new"),
        &GroupSelection::Only(vec!["Nope".into()]),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown resource group `Nope`; the description has: Accounts, Users"
    );
    assert_eq!(err.exit_code(), 2);
}

/// Upvest's real revisions (see `../shared/upvest/README.md`).
mod history {
    use super::*;

    fn revision(name: &str) -> Option<std::path::PathBuf> {
        let shared = shared_dir()?;
        let history = shared.join("upvest").join("history");
        let found = std::fs::read_dir(history)
            .ok()?
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name));
        Some(found.unwrap_or_else(|| panic!("no revision {name} in the shared corpus")))
    }

    /// v1 -> v2: the inline schema titled "Account - Create - Request" loses its title. The new
    /// side is named the way regenerating the old side's SDK names it, so the type keeps its
    /// name: nothing changes for SDK users.
    #[test]
    fn v1_to_v2_reports_the_title_removal_as_no_change() {
        let (Some(v1), Some(v2)) = (revision("v1-"), revision("v2-")) else {
            return;
        };
        let report = report(&v1, &v2, &GroupSelection::All);
        assert_eq!(report.summary.changes, 0, "{}", print::human(&report));
        assert_eq!(report.summary.bump, diff::Bump::None);
    }

    /// The real history regenerated in turn, as a user would: v1, v2, v3, then the current
    /// description, each generation reading the names the one before recorded. Every step is
    /// no change for SDK users, and the type v1 named `AccountCreateRequest` keeps its name
    /// although v2 took its title away (a crate made from the current description alone names
    /// it after its place instead).
    #[test]
    fn regenerating_through_the_history_keeps_every_name() {
        let (Some(v1), Some(v2), Some(v3)) = (revision("v1-"), revision("v2-"), revision("v3-"))
        else {
            return;
        };
        let current = shared_dir().unwrap().join("upvest").join("openapi.yaml");
        let mut names = NameLock::default();
        let mut previous: Option<(load::LoadedSpec, String)> = None;
        for path in [v1, v2, v3, current.clone()] {
            let spec_label = label(&path);
            let spec = load::load_named(&path, Path::new(&spec_label)).unwrap();
            if let Some((old, old_label)) = &previous {
                let report = diff::diff_specs_named(
                    (old, old_label),
                    (&spec, &spec_label),
                    &GroupSelection::All,
                    &names,
                )
                .unwrap();
                assert_eq!(report.summary.changes, 0, "{}", print::human(&report));
            }
            let release = Release {
                names: names.clone(),
                ..Release::default()
            };
            let options = Options {
                spec: &path,
                spec_label: &spec_label,
                groups: GroupSelection::All,
            };
            let files = generate_release(&spec, &options, &release).unwrap();
            names = serde_json::from_str(&files[NAMES_FILE]).unwrap();
            previous = Some((spec, spec_label));
        }
        assert!(names.types.contains_key("AccountCreateRequest"));
        assert!(!names.types.contains_key("CreateAccountRequest"));
        let fresh = NameLock::default();
        let spec = load::load(&current).unwrap();
        let api =
            upvest_sdk_generator::lower::lower(&spec, &GroupSelection::All, "x", &fresh).unwrap();
        assert!(api.names.types.contains_key("CreateAccountRequest"));
    }

    #[test]
    fn v2_to_v2_reports_no_change() {
        let Some(v2) = revision("v2-") else {
            return;
        };
        let report = report(&v2, &v2, &GroupSelection::All);
        assert_eq!(report.summary.changes, 0, "{}", print::human(&report));
        assert_eq!(report.summary.bump, diff::Bump::None);
        assert!(print::human(&report).contains("No changes for SDK users."));
    }

    /// v2 -> v3 only adds an `x-speakeasy-example`: the files differ, the SDK does not.
    #[test]
    fn v2_to_v3_reports_no_change_for_sdk_users() {
        let (Some(v2), Some(v3)) = (revision("v2-"), revision("v3-")) else {
            return;
        };
        let report = report(&v2, &v3, &GroupSelection::All);
        assert_eq!(report.summary.changes, 0, "{}", print::human(&report));
        assert_ne!(report.old.sha256, report.new.sha256);
    }

    /// The report is the same however often it is made.
    #[test]
    fn the_report_is_deterministic() {
        let (Some(v1), Some(v2)) = (revision("v1-"), revision("v2-")) else {
            return;
        };
        let first = print::json(&report(&v1, &v2, &GroupSelection::All));
        let second = print::json(&report(&v1, &v2, &GroupSelection::All));
        assert_eq!(first, second);
    }
}
