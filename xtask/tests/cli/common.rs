//! Running the `xtask` binary as a user does, and looking at what it wrote. Shared by the
//! command-line tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The smallest description the tests start from: one operation, `GET /ping`, answering a
/// `Pong` object. A macro, not a `const`, so that `concat!` can add paths to it.
macro_rules! ping_spec {
    () => {
        "openapi: 3.0.3
info:
  title: Tiny
  version: '1'
paths:
  /ping:
    get:
      operationId: ping
      x-doctave-tags: [Health]
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                title: Pong
                type: object
                properties:
                  ok:
                    type: boolean
"
    };
}
pub(crate) use ping_spec;

/// Runs `xtask` with `args` from `dir`.
pub fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("xtask runs")
}

/// Runs `xtask` with `args` from the xtask package's directory.
pub fn xtask(args: &[&str]) -> Output {
    xtask_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file under `dir` (by path relative to it) with its bytes, to compare directories.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    files.sort();
    files
}
