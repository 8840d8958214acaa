//! The user's own names: a small YAML file beside the description (`<spec>.renames.yaml`, e.g.
//! `spec/upvest-user-identifiers.renames.yaml`) that gives an operation's method or a type
//! another name than the generator would. Upvest's description is replaced on every revision;
//! this file is the user's and stays. Two operationIds that become one Rust name (`list-users`
//! and `ListUsers`) are resolved here, and the generator's error says so.
//!
//! ```yaml
//! operations:        # operationId: method name
//!   ListUsers: list_users_v2
//! types:             # generated name: the name to use instead
//!   UserGetResponse: User
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Location, Result};
use crate::pointer::{line_of, Pointer};

/// The renames, with where they were read from (for messages).
#[derive(Debug, Clone, Default)]
pub struct Renames {
    /// The file, `None` when there is none.
    pub file: Option<PathBuf>,
    source: String,
    pub operations: BTreeMap<String, String>,
    pub types: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    operations: BTreeMap<String, String>,
    #[serde(default)]
    types: BTreeMap<String, String>,
}

/// Where the renames for the description at `spec` are: beside it, `NAME.renames.yaml`.
pub fn path_for(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.renames.yaml"))
}

impl Renames {
    /// The renames beside the description at `spec` (read from disk at `path`, named `name` in
    /// messages); empty when there is no such file.
    pub fn beside(path: &Path, name: &Path) -> Result<Self> {
        let file = path_for(path);
        let Some(source) = crate::files::read_optional(&file)? else {
            return Ok(Self::default());
        };
        Self::parse(&path_for(name), source)
    }

    /// Parses a renames file; `file` names it in messages.
    pub fn parse(file: &Path, source: String) -> Result<Self> {
        let deserializer = serde_yaml::Deserializer::from_str(&source);
        let parsed: File = serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let pointer = Pointer::from_serde_path(err.path());
            let inner = err.into_inner();
            Error::Invalid {
                location: Box::new(Location {
                    file: file.to_path_buf(),
                    line: inner.location().map(|l| l.line()),
                    column: inner.location().map(|l| l.column()),
                    pointer: pointer.to_string(),
                }),
                message: format!(
                    "not a renames file (`operations:` and `types:`, each a map of names): {inner}"
                ),
            }
        })?;
        let renames = Self {
            file: Some(file.to_path_buf()),
            source,
            operations: parsed.operations,
            types: parsed.types,
        };
        renames.check_idents()?;
        Ok(renames)
    }

    /// The method an operation gets: the user's name for it, else the one from its operationId.
    pub fn method_name(&self, operation_id: &str) -> Option<String> {
        match self.operations.get(operation_id) {
            Some(method) => Some(method.clone()),
            None => crate::names::method_name(operation_id),
        }
    }

    /// The request builder type of an operation.
    pub fn builder_name(&self, operation_id: &str) -> Option<String> {
        match self.operations.get(operation_id) {
            Some(method) => crate::names::type_ident(method),
            None => crate::names::type_ident(operation_id),
        }
    }

    /// Where an entry of the file is, for messages: `section` is `operations` or `types`.
    pub fn locate(&self, section: &str, key: &str) -> Box<Location> {
        let pointer = Pointer::root().push(section).push(key);
        let file = self.file.clone().unwrap_or_default();
        let (line, column) = match line_of(&self.source, &pointer) {
            Some((line, column)) => (Some(line), Some(column)),
            None => (None, None),
        };
        Box::new(Location {
            file,
            line,
            column,
            pointer: pointer.to_string(),
        })
    }

    /// Every new name must already be a Rust name of its kind: renames are not mangled.
    fn check_idents(&self) -> Result<()> {
        for (id, method) in &self.operations {
            if crate::names::method_name(method).as_deref() != Some(method.as_str()) {
                return Err(Error::Invalid {
                    location: self.locate("operations", id),
                    message: format!("`{method}` is not a snake_case Rust method name"),
                });
            }
        }
        for (old, new) in &self.types {
            if crate::names::type_ident(new).as_deref() != Some(new.as_str()) {
                return Err(Error::Invalid {
                    location: self.locate("types", old),
                    message: format!("`{new}` is not an UpperCamelCase Rust type name"),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_sits_beside_the_description() {
        assert_eq!(
            path_for(Path::new("spec/upvest-user-identifiers.yaml")),
            Path::new("spec/upvest-user-identifiers.renames.yaml")
        );
    }

    #[test]
    fn renamed_operations_get_their_method_and_builder() {
        let renames = Renames::parse(
            Path::new("r.yaml"),
            "operations:\n  ListUsers: list_users_v2\n".into(),
        )
        .unwrap();
        assert_eq!(
            renames.method_name("ListUsers").as_deref(),
            Some("list_users_v2")
        );
        assert_eq!(
            renames.builder_name("ListUsers").as_deref(),
            Some("ListUsersV2")
        );
        assert_eq!(
            renames.method_name("list-users").as_deref(),
            Some("list_users")
        );
    }

    #[test]
    fn a_name_that_is_not_rust_is_an_error_with_its_line() {
        let err = Renames::parse(Path::new("r.yaml"), "types:\n  Old: new name\n".into())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("r.yaml:2:"), "{err}");
        assert!(err.contains("#/types/Old"), "{err}");
        let err = Renames::parse(Path::new("r.yaml"), "operation: {}\n".into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a renames file"), "{err}");
    }
}
