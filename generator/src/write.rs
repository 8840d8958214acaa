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
    let staging = tempfile::Builder::new()
        .prefix(".generated-staging-")
        .tempdir_in(&parent)
        .map_err(|source| Error::Write {
            path: parent.clone(),
            source,
        })?;
    for (relative, contents) in files {
        let path = staging.path().join(relative);
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
fn swap_into_place(staging: tempfile::TempDir, out: &Path) -> Result<()> {
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

fn parent_dir(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// How the files on disk differ from the freshly generated ones.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Changed files with a unified diff (on disk -> generated), cut to a few hunks.
    pub changed: Vec<(String, String)>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// A readable report, ending with the command that fixes it.
    pub fn report(&self, fix: &str) -> String {
        let mut out = String::new();
        for path in &self.added {
            out.push_str(&format!("missing from the output directory: {path}\n"));
        }
        for path in &self.removed {
            out.push_str(&format!("not generated any more: {path}\n"));
        }
        for (path, diff) in &self.changed {
            out.push_str(&format!("differs: {path}\n{diff}\n"));
        }
        out.push_str(&format!(
            "{} file(s) are stale. Run `{fix}` and commit the result.\n",
            self.added.len() + self.removed.len() + self.changed.len()
        ));
        out
    }
}

/// Compares `files` with the content of `out` (a missing directory counts as empty).
pub fn compare(files: &Files, out: &Path) -> Result<Drift> {
    let on_disk = read_tree(out)?;
    let mut drift = Drift::default();
    for (path, generated) in files {
        match on_disk.get(path) {
            None => drift.added.push(path.clone()),
            Some(existing) if existing != generated => drift
                .changed
                .push((path.clone(), unified_diff(path, existing, generated))),
            Some(_) => {}
        }
    }
    drift.removed = on_disk
        .keys()
        .filter(|p| !files.contains_key(*p))
        .cloned()
        .collect();
    Ok(drift)
}

/// At most this many diff lines per file: enough to see what changed, not a wall of text.
const MAX_DIFF_LINES: usize = 40;

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_DIFF_LINES {
        return text;
    }
    let mut cut = lines[..MAX_DIFF_LINES].join("\n");
    cut.push_str(&format!(
        "\n... ({} more diff lines)\n",
        lines.len() - MAX_DIFF_LINES
    ));
    cut
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
    fn compare_reports_added_removed_and_changed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "x\n").unwrap();
        std::fs::write(dir.path().join("old"), "o").unwrap();
        let drift = compare(&files(&[("a", "y\n"), ("new", "n")]), dir.path()).unwrap();
        assert_eq!(drift.added, ["new"]);
        assert_eq!(drift.removed, ["old"]);
        assert_eq!(drift.changed.len(), 1);
        assert!(
            drift.changed[0].1.contains("-x\n+y"),
            "{}",
            drift.changed[0].1
        );
        assert!(drift
            .report("cargo xtask generate")
            .contains("Run `cargo xtask generate`"));
    }
}
