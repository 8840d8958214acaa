//! Reading the files the generator keeps beside a crate (its records, `renames.toml`, the
//! names files) and the description's checksum: helpers of `load`, `lock`, `renames` and
//! `metadata`, which depend on nothing else of the generator (so none of those depends on
//! another through them).

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Result};
use crate::pointer::Pointer;

/// The file's text, `None` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// A JSON record the generator wrote (`T`), parsed; an error names the file, line and JSON
/// pointer, and says what the file should have been (`what`).
pub fn parse_record<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    what: &str,
) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let pointer = Pointer::from_serde_path(err.path());
        let inner = err.into_inner();
        Error::Invalid {
            location: Box::new(Location {
                file: path.to_path_buf(),
                line: Some(inner.line()),
                column: Some(inner.column()),
                pointer: pointer.to_string(),
            }),
            message: format!("not {what}: {inner}"),
        }
    })
}

/// Lowercase hex SHA-256 of `text`'s bytes.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_lowercase_hex_of_the_bytes() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
