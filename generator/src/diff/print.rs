//! A report as text: for people (grouped by resource group), as JSON (the schema is in the
//! module docs of [`diff`](super)), and as a `CHANGELOG.md` entry.

use super::{Change, Kind, Report};

/// The report for a terminal.
pub fn human(report: &Report) -> String {
    let mut out = format!(
        "SDK changes from {} to {}\n{}\n",
        side(&report.old),
        side(&report.new),
        summary(report)
    );
    for group in &report.groups {
        out.push_str(&format!("\n{}\n", group.group));
        for change in &group.changes {
            let badge = if change.breaking { "breaking" } else { "ok" };
            out.push_str(&format!("  {badge:<10}{}\n", line(change)));
            out.push_str(&format!("  {:<10}  {}\n", "", change.reason));
        }
    }
    out
}

/// The report as pretty-printed JSON with a final newline.
pub fn json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// A `CHANGELOG.md` section for `version`: the summary and every change, by group.
pub fn changelog_entry(report: &Report, version: &str) -> String {
    let mut out = format!(
        "## {version}\n\nFrom {} to {}: {}\n",
        side(&report.old),
        side(&report.new),
        counts(report)
    );
    for group in &report.groups {
        out.push_str(&format!("\n### {}\n\n", group.group));
        for change in &group.changes {
            let badge = if change.breaking { "**breaking** " } else { "" };
            out.push_str(&format!("- {badge}{}: {}\n", line(change), change.reason));
        }
    }
    out
}

/// The changelog with `entry` as its newest section (after the title).
pub fn prepend_to_changelog(existing: Option<&str>, entry: &str) -> String {
    const TITLE: &str = "# Changelog\n";
    let previous = existing
        .map(|text| text.strip_prefix(TITLE).unwrap_or(text).trim_start())
        .unwrap_or("");
    let mut out = format!("{TITLE}\n{}", entry.trim_end());
    if !previous.is_empty() {
        out.push_str("\n\n");
        out.push_str(previous.trim_end());
    }
    out.push('\n');
    out
}

/// `spec/x.yaml (Upvest Investment API 1.9.0, sha256 5e0b1c2d3e4f)`.
fn side(side: &super::Side) -> String {
    let sha = side
        .sha256
        .as_deref()
        .map(|sha| format!(", sha256 {}", &sha[..sha.len().min(12)]))
        .unwrap_or_default();
    format!("{} ({} {}{sha})", side.source, side.title, side.version)
}

/// The one-line summary: counts and the suggested bump.
pub fn summary(report: &Report) -> String {
    let bump = report.summary.bump;
    if bump == super::Bump::None {
        return format!("{} Suggested version bump: none.", counts(report));
    }
    format!(
        "{} Suggested version bump: {} ({}).",
        counts(report),
        bump.as_str(),
        for_zero_x(bump)
    )
}

/// `3 changes, 1 breaking.`, or why there are none.
fn counts(report: &Report) -> String {
    let s = &report.summary;
    match s.changes {
        0 if report.old.sha256 != report.new.sha256 => "No changes for SDK users; the \
            description changed elsewhere (documentation, examples)."
            .to_string(),
        0 => "No changes for SDK users.".to_string(),
        1 => format!("1 change, {} breaking.", s.breaking),
        n => format!("{n} changes, {} breaking.", s.breaking),
    }
}

/// What the bump means for the SDK while it is `0.x`.
fn for_zero_x(bump: super::Bump) -> &'static str {
    match bump {
        super::Bump::Major => "while the crate is 0.x: 0.MINOR+1.0",
        super::Bump::Minor | super::Bump::Patch => "while the crate is 0.x: 0.MINOR.PATCH+1",
        super::Bump::None => "nothing to release",
    }
}

/// `kind: subject: old -> new`, leaving out what would repeat the subject.
fn line(change: &Change) -> String {
    // As users write them: `Identifier.label` for a field, `UserCheck::Compliance` for a
    // union's variant.
    let union_variant = matches!(
        change.kind,
        Kind::UnionVariantAdded | Kind::UnionVariantRemoved | Kind::UnionVariantTypeChanged
    );
    let subject = match &change.member {
        Some(member) if union_variant => format!("{}::{member}", change.item),
        Some(member) => format!("{}.{member}", change.item),
        None => change.item.clone(),
    };
    // A value that only repeats the subject's last part (a type's name, an enum value, a scope).
    let is_subject = |value: &String| match &change.member {
        Some(member) => value == member,
        None => *value == change.item,
    };
    let values = match (&change.old, &change.new) {
        (Some(old), Some(new)) if is_subject(old) => format!(" -> {new}"),
        (Some(old), Some(new)) => format!(": {old} -> {new}"),
        (None, Some(new)) if !is_subject(new) => format!(" ({new})"),
        (Some(old), None) if !is_subject(old) => format!(" (was {old})"),
        _ => String::new(),
    };
    format!("{}: {subject}{values}", change.kind.words())
}
