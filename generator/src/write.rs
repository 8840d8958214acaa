//! Stage 6, write: put the files in place all at once, or compare them with what is there.
//!
//! Writing goes to a fresh directory beside the output, which is then swapped in by renames: a
//! run that fails at any point leaves the output directory exactly as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The generated crate: file contents by path relative to the output directory.
pub type Files = BTreeMap<String, String>;

/// Writes `files` as the whole content of `out`, replacing what was there.
pub fn write(files: &Files, out: &Path) -> Result<()> {
    let parent = parent_dir(out);
    std::fs::create_dir_all(&parent).map_err(|source| Error::Write {
        path: parent.clone(),
        source,
    })?;
    let staging = Staging::create_in(&parent).map_err(|source| Error::Write {
        path: parent.clone(),
        source,
    })?;
    for (relative, contents) in files {
        let path = staging.path.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, contents).map_err(|source| Error::Write { path, source })?;
    }
    swap_into_place(staging, out)
}

/// Moves the old output aside, the staged one in, then deletes the old one.
fn swap_into_place(staging: Staging, out: &Path) -> Result<()> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    let staged = staging.keep();
    if out.exists() {
        let old = parent_dir(out).join(format!(
            ".generated-old-{}",
            staged
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("previous")
        ));
        std::fs::rename(out, &old).map_err(write_err(out))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            // Put the old output back before reporting.
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(write_err(out)(e));
        }
        std::fs::remove_dir_all(&old).map_err(write_err(&old))?;
    } else {
        std::fs::rename(&staged, out).map_err(write_err(out))?;
    }
    Ok(())
}

/// A fresh directory beside the output, removed when dropped unless kept. (Not the `tempfile`
/// crate: it and what it pulls in were a tenth of what a cold `cargo xtask check` compiles.)
struct Staging {
    path: PathBuf,
}

impl Staging {
    /// `.generated-staging-<pid>-<n>` in `parent`; `create_dir` fails on a name that is taken
    /// (say, left by a run that was killed), so the next `n` is tried.
    fn create_in(parent: &Path) -> std::io::Result<Staging> {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let pid = std::process::id();
        loop {
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = parent.join(format!(".generated-staging-{pid}-{n}"));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Staging { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 10_000 => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The directory, no longer removed on drop.
    fn keep(mut self) -> PathBuf {
        std::mem::take(&mut self.path)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn parent_dir(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// How the files on disk differ from the freshly generated ones, file by file (sorted by path).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    pub files: Vec<FileDrift>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDrift {
    pub path: String,
    pub status: FileStatus,
    /// Lines the regenerated file has and the one on disk does not, and the reverse.
    pub added_lines: usize,
    pub removed_lines: usize,
    /// The first changed lines (`@@` hunk headers, `-` on disk, `+` generated), a few at most.
    pub excerpt: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Generated, missing from the output directory.
    Added,
    /// In the output directory, not generated any more.
    Removed,
    Changed,
}

impl FileStatus {
    fn word(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Removed => "removed",
            FileStatus::Changed => "changed",
        }
    }
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// How many files have `status`.
    pub fn count(&self, status: FileStatus) -> usize {
        self.files.iter().filter(|f| f.status == status).count()
    }

    /// A compact report: a summary line, each file with its line counts and first changed lines,
    /// then the command that fixes it.
    pub fn report(&self, fix: &str) -> String {
        let mut out = format!(
            "{} generated file(s) are stale ({} changed, {} added, {} removed):\n",
            self.files.len(),
            self.count(FileStatus::Changed),
            self.count(FileStatus::Added),
            self.count(FileStatus::Removed),
        );
        for file in &self.files {
            out.push_str(&format!(
                "  {:<8} {}  ({})\n",
                file.status.word(),
                file.path,
                line_counts(file)
            ));
            for line in &file.excerpt {
                out.push_str(&format!("           {line}\n"));
            }
        }
        out.push_str(&format!("Run `{fix}` and commit the result.\n"));
        out
    }
}

fn line_counts(file: &FileDrift) -> String {
    match file.status {
        FileStatus::Added => format!("{} lines", file.added_lines),
        FileStatus::Removed => format!("{} lines", file.removed_lines),
        FileStatus::Changed => format!("+{} -{} lines", file.added_lines, file.removed_lines),
    }
}

/// Compares `files` with the content of `out` (a missing directory counts as empty).
pub fn compare(files: &Files, out: &Path) -> Result<Drift> {
    let on_disk = read_tree(out)?;
    let mut paths: Vec<&String> = files.keys().chain(on_disk.keys()).collect();
    paths.sort();
    paths.dedup();
    let drift = paths
        .into_iter()
        .filter_map(|path| {
            let generated = files.get(path).map(String::as_str);
            let existing = on_disk.get(path).map(String::as_str);
            file_drift(path, existing, generated)
        })
        .collect();
    Ok(Drift { files: drift })
}

fn file_drift(path: &str, existing: Option<&str>, generated: Option<&str>) -> Option<FileDrift> {
    let status = match (existing, generated) {
        (Some(a), Some(b)) if a == b => return None,
        (Some(_), Some(_)) => FileStatus::Changed,
        (None, _) => FileStatus::Added,
        (_, None) => FileStatus::Removed,
    };
    let (old, new) = (existing.unwrap_or(""), generated.unwrap_or(""));
    let diff = similar::TextDiff::from_lines(old, new);
    let count = |tag| diff.iter_all_changes().filter(|c| c.tag() == tag).count();
    let excerpt = if status == FileStatus::Changed {
        excerpt(&diff)
    } else {
        Vec::new()
    };
    Some(FileDrift {
        path: path.to_string(),
        status,
        added_lines: count(similar::ChangeTag::Insert),
        removed_lines: count(similar::ChangeTag::Delete),
        excerpt,
    })
}

/// At most this many diff lines per file: enough to see what changed, not a wall of text.
const EXCERPT_LINES: usize = 6;

/// The first hunks without context lines, cut to [`EXCERPT_LINES`].
fn excerpt<'a>(diff: &'a similar::TextDiff<'a, 'a, 'a, str>) -> Vec<String> {
    let text = diff.unified_diff().context_radius(0).to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut shown: Vec<String> = lines
        .iter()
        .take(EXCERPT_LINES)
        .map(|l| l.to_string())
        .collect();
    if lines.len() > EXCERPT_LINES {
        shown.push(format!(
            "... ({} more diff lines)",
            lines.len() - EXCERPT_LINES
        ));
    }
    shown
}

/// All files under `dir`, by relative path with `/` separators. Non-UTF-8 files count as
/// differing content (they are read lossily).
fn read_tree(dir: &Path) -> Result<Files> {
    let mut files = Files::new();
    if dir.exists() {
        read_into(dir, dir, &mut files)?;
    }
    Ok(files)
}

fn read_into(root: &Path, dir: &Path, files: &mut Files) -> Result<()> {
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Read { path, source }
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(read_err(dir))?
        .collect::<std::result::Result<_, _>>()
        .map_err(read_err(dir))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            read_into(root, &path, files)?;
        } else {
            let bytes = std::fs::read(&path).map_err(read_err(&path))?;
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> Files {
        pairs
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn write_replaces_the_whole_directory() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        write(&files(&[("a.txt", "1"), ("src/b.rs", "2")]), &out).unwrap();
        write(&files(&[("a.txt", "3")]), &out).unwrap();
        assert_eq!(read_tree(&out).unwrap(), files(&[("a.txt", "3")]));
        // No staging or old directories are left behind.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn a_failed_write_leaves_the_output_as_it_was_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        write(&files(&[("a.txt", "1")]), &out).unwrap();
        // `a` is written as a file, then `a/b` needs it to be a directory.
        let failed = write(&files(&[("a", "x"), ("a/b", "y")]), &out);
        assert!(matches!(failed, Err(Error::Write { .. })), "{failed:?}");
        assert_eq!(read_tree(&out).unwrap(), files(&[("a.txt", "1")]));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["generated"]);
    }

    #[test]
    fn staging_directories_are_fresh_and_removed_unless_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = Staging::create_in(dir.path()).unwrap();
        let second = Staging::create_in(dir.path()).unwrap();
        assert_ne!(first.path, second.path);
        assert!(first.path.is_dir() && second.path.is_dir());
        let dropped = second.path.clone();
        drop(second);
        assert!(!dropped.exists());
        let kept = first.keep();
        assert!(kept.is_dir());
    }

    #[test]
    fn compare_reports_added_removed_and_changed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "x\nsame\n").unwrap();
        std::fs::write(dir.path().join("old"), "o\n").unwrap();
        let drift = compare(&files(&[("a", "y\nsame\n"), ("new", "n\n")]), dir.path()).unwrap();
        let summary: Vec<_> = drift
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.status, f.added_lines, f.removed_lines))
            .collect();
        assert_eq!(
            summary,
            [
                ("a", FileStatus::Changed, 1, 1),
                ("new", FileStatus::Added, 1, 0),
                ("old", FileStatus::Removed, 0, 1),
            ]
        );
        assert_eq!(drift.files[0].excerpt, ["@@ -1 +1 @@", "-x", "+y"]);
        let report = drift.report("cargo xtask generate");
        assert!(report.starts_with("3 generated file(s) are stale (1 changed, 1 added, 1 removed)"));
        assert!(report.contains("  changed  a  (+1 -1 lines)\n           @@ -1 +1 @@\n"));
        assert!(report.ends_with("Run `cargo xtask generate` and commit the result.\n"));
    }

    #[test]
    fn long_diffs_are_cut_to_a_few_lines() {
        let dir = tempfile::tempdir().unwrap();
        let old: String = (0..50).map(|i| format!("{i}\n")).collect();
        std::fs::write(dir.path().join("a"), &old).unwrap();
        let drift = compare(&files(&[("a", "")]), dir.path()).unwrap();
        let excerpt = &drift.files[0].excerpt;
        assert_eq!(excerpt.len(), EXCERPT_LINES + 1);
        assert_eq!(excerpt.last().unwrap(), "... (45 more diff lines)");
    }
}
