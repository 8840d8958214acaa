//! Helpers shared by the integration tests under `tests/tests/`.

use std::path::PathBuf;

pub mod evolution;
pub mod harness;
pub mod keys;
pub mod lossless;
pub mod mutation;
pub mod surface;
pub mod usage;

/// The repository root (the workspace that holds `generator/`, `spec/`, `generated/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lives inside the repository")
        .to_path_buf()
}

/// The read-only `shared/` folder beside the checkout (Upvest's real description, the signing
/// oracle). Found through `UPVEST_SHARED_DIR`, else at `../shared` next to the repository.
///
/// When it is missing, tests that need it say so clearly. Under CI (`CI=true`) a missing folder is
/// a failure, never a silent skip; on a developer machine the test prints why it did nothing.
pub fn shared_dir() -> Option<PathBuf> {
    let candidate = match std::env::var_os("UPVEST_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("..").join("shared"),
    };
    if candidate.join("upvest").join("openapi.yaml").is_file() {
        return Some(candidate);
    }
    let message = format!(
        "the shared corpus was not found at {} (set UPVEST_SHARED_DIR to the folder that holds \
         upvest/openapi.yaml)",
        candidate.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}; CI=true, so this is a failure, not a skip");
    }
    eprintln!("SKIPPED: {message}");
    None
}

/// The descriptions of `tests/corpus/` (YAML and JSON), each with its label (its path from the
/// repository root), sorted.
pub fn corpus_descriptions() -> Vec<(String, PathBuf)> {
    let root = repo_root();
    let mut found: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("tests/corpus"))
        .expect("tests/corpus exists")
        .map(|e| e.expect("a readable corpus folder").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            (format!("tests/corpus/{name}"), p)
        })
        .collect();
    found.sort();
    found
}
