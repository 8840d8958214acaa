//! The version bump a report suggests, and how it applies to the crate's version.

use serde::Serialize;

/// A semver bump in semver's own terms: `Major` when something breaks, `Minor` for compatible
/// changes, `Patch` when the SDK's API is unchanged but its content is not (documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn for_changes(changes: usize, breaking: usize) -> Self {
        match (changes, breaking) {
            (0, _) => Bump::None,
            (_, 0) => Bump::Minor,
            _ => Bump::Major,
        }
    }

    /// The next version. Cargo treats the left-most non-zero component as the major one, so for
    /// a `0.x.y` crate (the SDK today): a breaking change bumps `x` (`0.1.3` -> `0.2.0`), anything
    /// else bumps `y` (`0.1.3` -> `0.1.4`). From `1.0.0` on, the usual major/minor/patch.
    /// `None` when `version` is not `MAJOR.MINOR.PATCH`.
    pub fn apply(self, version: &str) -> Option<String> {
        let parts: Vec<u64> = version
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts.as_slice() else {
            return None;
        };
        let (major, minor, patch) = (*major, *minor, *patch);
        let next = match (self, major) {
            (Bump::None, _) => (major, minor, patch),
            (Bump::Major, 0) => (0, minor + 1, 0),
            (Bump::Minor | Bump::Patch, 0) => (0, minor, patch + 1),
            (Bump::Major, _) => (major + 1, 0, 0),
            (Bump::Minor, _) => (major, minor + 1, 0),
            (Bump::Patch, _) => (major, minor, patch + 1),
        };
        Some(format!("{}.{}.{}", next.0, next.1, next.2))
    }

    /// `major`, `minor`, `patch`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_x_versions_move_the_minor_for_breaking_changes() {
        assert_eq!(Bump::Major.apply("0.1.3").as_deref(), Some("0.2.0"));
        assert_eq!(Bump::Minor.apply("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::Patch.apply("0.1.3").as_deref(), Some("0.1.4"));
        assert_eq!(Bump::None.apply("0.1.3").as_deref(), Some("0.1.3"));
    }

    #[test]
    fn stable_versions_follow_semver() {
        assert_eq!(Bump::Major.apply("1.2.3").as_deref(), Some("2.0.0"));
        assert_eq!(Bump::Minor.apply("1.2.3").as_deref(), Some("1.3.0"));
        assert_eq!(Bump::Patch.apply("1.2.3").as_deref(), Some("1.2.4"));
    }

    #[test]
    fn rejects_what_is_not_major_minor_patch() {
        assert_eq!(Bump::Major.apply("1.2"), None);
        assert_eq!(Bump::Major.apply("1.2.3-beta"), None);
    }

    #[test]
    fn the_suggestion_follows_the_worst_change() {
        assert_eq!(Bump::for_changes(0, 0), Bump::None);
        assert_eq!(Bump::for_changes(3, 0), Bump::Minor);
        assert_eq!(Bump::for_changes(3, 1), Bump::Major);
    }
}
