//! The generator's one error type. Every variant that comes from the description names the file,
//! the line where it is known, and the JSON pointer of the offending node, so a user can jump
//! straight to the problem.

use std::fmt;
use std::path::PathBuf;

/// Where in the description something is: file, line (1-based, when known) and JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// RFC 6901 pointer, e.g. `#/paths/~1users/get/responses/200`.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", self.pointer)?;
        }
        Ok(())
    }
}

/// Everything that can stop a generation run. Bad input never panics; it ends up here.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{location}: invalid {syntax}: {message}")]
    Yaml {
        location: Box<Location>,
        /// `YAML` or `JSON`, as the description was read.
        syntax: &'static str,
        message: String,
    },
    #[error("{location}: not a valid OpenAPI document: {message}")]
    Shape {
        location: Box<Location>,
        message: String,
    },
    #[error("{location}: unresolvable $ref `{target}`: {reason}")]
    UnresolvedRef {
        location: Box<Location>,
        target: String,
        reason: String,
    },
    #[error("{location}: {message}")]
    Invalid {
        location: Box<Location>,
        message: String,
    },
    #[error("unknown resource group `{name}`; the description has: {available}")]
    UnknownGroup { name: String, available: String },
    #[error("template `{template}` failed: {message}")]
    Template { template: String, message: String },
    #[error(
        "generated file `{file}` is not valid Rust (a template bug): {message} at line {line}:\n{excerpt}"
    )]
    RustSyntax {
        file: String,
        line: usize,
        message: String,
        excerpt: String,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code the command line uses for this error: 2 for bad input or a failed
    /// run (drift, which is 1, is not an error but an outcome of `check`).
    pub fn exit_code(&self) -> i32 {
        2
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something the generator repaired or chose to read leniently: generation goes on, and the
/// command line prints it so the description can be fixed at its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Box<Location>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}
