//! Stage 1, load: read the YAML (or JSON) description into two views: the raw JSON tree, which
//! keeps every vendor extension and lets `$ref`s be checked by pointer, and the typed
//! `openapiv3::OpenAPI` the later stages walk.

use serde::de::Error as _;
use serde::Deserialize as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result, Warning};
use crate::pointer::{line_of, lines_of, Pointer};

mod normalize;
mod openapi31;
mod operation_ids;
mod refine;
mod repair;

/// A description read from disk, in both views, with its source kept for error lines.
#[derive(Debug)]
pub struct LoadedSpec {
    pub path: PathBuf,
    pub source: String,
    pub raw: serde_json::Value,
    pub api: openapiv3::OpenAPI,
    /// What was repaired on the way in (OpenAPI 3.1 idioms in a 3.0 document).
    pub warnings: Vec<Warning>,
    /// The user's names for operations and types, from the file beside the description.
    pub renames: crate::renames::Renames,
    /// The SHA-256 of `source`, taken once when first asked for (see [`LoadedSpec::sha256`]).
    sha256: std::sync::OnceLock<String>,
    /// The document says `webhooks` (OpenAPI 3.1) where `raw` says `x-webhooks`.
    webhooks_renamed: bool,
}

impl LoadedSpec {
    /// A location for `pointer` in this file, with its line when the YAML has the node.
    pub fn locate(&self, pointer: &Pointer) -> Box<Location> {
        locate(
            &self.path,
            &self.source,
            &in_source(pointer, self.webhooks_renamed),
        )
    }

    /// The lowercase hex SHA-256 of the description's bytes, computed at most once (the
    /// metadata, the change report and the bump all ask for it; it costs as much as a stage).
    pub fn sha256(&self) -> &str {
        self.sha256
            .get_or_init(|| crate::files::sha256_hex(&self.source))
    }
}

/// Reads and parses the description at `path`.
pub fn load(path: &Path) -> Result<LoadedSpec> {
    load_named(path, path)
}

/// Reads the description at `path`; messages call it `name` (the path as the user gave it).
pub fn load_named(path: &Path, name: &Path) -> Result<LoadedSpec> {
    let source = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: name.to_path_buf(),
        source,
    })?;
    let mut spec = parse(name, source)?;
    spec.renames = crate::renames::Renames::beside(path, name)?;
    Ok(spec)
}

/// Parses a description already in memory; `path` is used in messages only.
pub fn parse(path: &Path, source: String) -> Result<LoadedSpec> {
    let mut raw = parse_tree(path, &source)?;
    let mut repairs = normalize::normalize(&mut raw);
    let webhooks_renamed = repairs
        .iter()
        .any(|r| r.pointer == Pointer::root().push(openapi31::WEBHOOKS));
    let mut api = parse_openapi(path, &source, &raw, webhooks_renamed)?;
    repairs.extend(operation_ids::fill(&mut api));
    for repair in &mut repairs {
        repair.pointer = in_source(&repair.pointer, webhooks_renamed);
    }
    let warnings = warnings(path, &source, repairs);
    Ok(LoadedSpec {
        path: path.to_path_buf(),
        source,
        raw,
        api,
        warnings,
        renames: Default::default(),
        sha256: Default::default(),
        webhooks_renamed,
    })
}

/// A `.json` file, or one that starts as JSON does, is read as JSON (YAML parsers refuse some
/// valid JSON, such as escaped surrogate pairs); a document that starts with `{` but is not JSON
/// may still be a YAML flow mapping.
fn parse_tree(path: &Path, source: &str) -> Result<serde_json::Value> {
    let json_by_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !json_by_name && !crate::pointer::looks_like_json(source) {
        return parse_yaml(path, source);
    }
    let text = source.trim_start_matches('\u{feff}');
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    if !json_by_name {
        if let Ok(value) = serde_yaml::from_str(source) {
            return Ok(value);
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let (pointer, inner) =
        match serde_path_to_error::deserialize::<_, serde_json::Value>(&mut deserializer) {
            // Only text after the document is left to fail.
            Ok(_) => match deserializer.end() {
                Ok(()) => (
                    Pointer::root(),
                    serde_json::Error::custom("not a JSON document"),
                ),
                Err(error) => (Pointer::root(), error),
            },
            Err(error) => (Pointer::from_serde_path(error.path()), error.into_inner()),
        };
    let line = (inner.line() > 0).then_some(inner.line());
    let column = (inner.column() > 0).then_some(inner.column());
    Err(Error::Yaml {
        location: Box::new(Location {
            file: path.to_path_buf(),
            line,
            column,
            pointer: pointer.to_string(),
        }),
        syntax: "JSON",
        message: inner.to_string(),
    })
}

/// Parsing is done once; only a document that fails is parsed again, with the path to the failure
/// tracked (tracking it on every node costs as much as the parse itself).
fn parse_yaml(path: &Path, source: &str) -> Result<serde_json::Value> {
    if let Ok(value) = serde_yaml::from_str(source) {
        return Ok(value);
    }
    let deserializer = serde_yaml::Deserializer::from_str(source);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let pointer = Pointer::from_serde_path(err.path());
        let inner = err.into_inner();
        let (line, column) = match inner.location() {
            Some(l) => (Some(l.line()), Some(l.column())),
            None => (None, None),
        };
        Error::Yaml {
            location: Box::new(Location {
                file: path.to_path_buf(),
                line,
                column,
                pointer: pointer.to_string(),
            }),
            syntax: "YAML",
            message: inner.to_string(),
        }
    })
}

/// `pointer` (into the normalized tree) as the document spells it: under `#/webhooks` when the
/// document said that and the tree says `x-webhooks`.
fn in_source(pointer: &Pointer, webhooks_renamed: bool) -> Pointer {
    let extension = crate::describe::refs::WEBHOOKS_EXTENSION;
    webhooks_renamed
        .then(|| pointer.rebased(extension, openapi31::WEBHOOKS))
        .flatten()
        .unwrap_or_else(|| pointer.clone())
}

fn parse_openapi(
    path: &Path,
    source: &str,
    raw: &serde_json::Value,
    webhooks_renamed: bool,
) -> Result<openapiv3::OpenAPI> {
    if !raw.is_object() {
        return Err(Error::Shape {
            location: locate(path, source, &Pointer::root()),
            message: "the document must be a mapping with `openapi`, `info` and `paths`".into(),
        });
    }
    check_version(path, source, raw)?;
    // As for the YAML: the path to a failure is tracked only when there is one.
    if let Ok(api) = openapiv3::OpenAPI::deserialize(raw) {
        return Ok(api);
    }
    serde_path_to_error::deserialize(raw).map_err(|err| {
        // serde's own path stops at the first flattened struct; find the failing node itself.
        let (pointer, message) = refine::deepest_failure(raw).unwrap_or_else(|| {
            (
                Pointer::from_serde_path(err.path()),
                err.into_inner().to_string(),
            )
        });
        Error::Shape {
            location: locate(path, source, &in_source(&pointer, webhooks_renamed)),
            message,
        }
    })
}

/// This generator reads OpenAPI 3.0 and 3.1 documents (3.1 read as 3.0, see `openapi31`); say
/// so plainly instead of a confusing type error.
fn check_version(path: &Path, source: &str, raw: &serde_json::Value) -> Result<()> {
    let pointer = Pointer::root().push("openapi");
    match raw.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
        Some(v) => Err(Error::Shape {
            location: locate(path, source, &pointer),
            message: format!("OpenAPI version `{v}` is not supported; expected 3.0.x or 3.1.x"),
        }),
        None => Err(Error::Shape {
            location: locate(path, source, &Pointer::root()),
            message: match raw.get("swagger") {
                Some(_) => "Swagger 2.0 is not supported; convert the description to OpenAPI \
                            3.0 or 3.1"
                    .into(),
                None => "missing `openapi: 3.0.x` (or 3.1.x) version field".into(),
            },
        }),
    }
}

/// Repairs as warnings, their lines found in one pass over the source.
fn warnings(path: &Path, source: &str, repairs: Vec<repair::Repair>) -> Vec<Warning> {
    if repairs.is_empty() {
        return Vec::new();
    }
    let pointers: Vec<Pointer> = repairs.iter().map(|r| r.pointer.clone()).collect();
    let lines = lines_of(source, &pointers);
    repairs
        .into_iter()
        .zip(lines)
        .map(|(repair, line)| Warning {
            location: Box::new(Location {
                file: path.to_path_buf(),
                line: line.map(|l| l.0),
                column: line.map(|l| l.1),
                pointer: repair.pointer.to_string(),
            }),
            message: repair.message,
        })
        .collect()
}

fn locate(path: &Path, source: &str, pointer: &Pointer) -> Box<Location> {
    let (line, column) = match line_of(source, pointer) {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    Box::new(Location {
        file: path.to_path_buf(),
        line,
        column,
        pointer: pointer.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_errors_name_the_line() {
        let err = parse(Path::new("x.yaml"), "openapi: 3.0.3\ninfo: [\n".into()).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:"), "{text}");
        assert!(matches!(err, Error::Yaml { location, .. } if location.line.is_some()));
    }

    #[test]
    fn shape_errors_name_the_pointer_and_line() {
        let src = "openapi: 3.0.3\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = parse(Path::new("x.yaml"), src.into()).unwrap_err();
        let Error::Shape { location, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(location.pointer, "#/paths/~1a/get/responses");
        assert_eq!(location.line, Some(8));
    }

    #[test]
    fn json_is_read_as_json() {
        // Escaped surrogate pairs, which YAML parsers refuse, and errors with JSON lines.
        let src = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t \\ud83d\\ude00\", \"version\": \"1\"},\n \"paths\": {\"/a\": {\"get\": {\n  \"responses\": 7}}}}";
        let err = parse(Path::new("x.json"), src.into()).unwrap_err();
        let Error::Shape { location, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(location.pointer, "#/paths/~1a/get/responses");
        assert_eq!(location.line, Some(3));
        let fixed = src.replace("7", "{\"200\": {\"description\": \"ok\"}}");
        let spec = parse(Path::new("x.json"), fixed).unwrap();
        assert_eq!(spec.api.info.title, "t \u{1f600}");
    }

    #[test]
    fn json_syntax_errors_name_the_line_and_pointer() {
        let src = "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": tru}\n}";
        let err = parse(Path::new("x.json"), src.into()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("invalid JSON"), "{text}");
        let Error::Yaml { location, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(
            (location.line, location.pointer.as_str()),
            (Some(3), "#/info/title")
        );
    }

    #[test]
    fn rejects_other_versions() {
        let err = parse(Path::new("x.yaml"), "openapi: 3.2.0\n".into()).unwrap_err();
        assert!(err.to_string().contains("3.2.0"), "{err}");
        let err = parse(Path::new("x.yaml"), "swagger: '2.0'\n".into()).unwrap_err();
        assert!(err.to_string().contains("Swagger 2.0"), "{err}");
    }

    #[test]
    fn webhooks_are_named_as_the_document_names_them() {
        let src =
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  hook:\n    post:\n      \
                   requestBody:\n        content:\n          application/json:\n            \
                   schema: {type: [string, 'null']}\n      responses: {'200': {description: ok}}\n";
        let spec = parse(Path::new("x.yaml"), src.into()).unwrap();
        let pointers: Vec<(&str, Option<usize>)> = spec
            .warnings
            .iter()
            .map(|w| (w.location.pointer.as_str(), w.location.line))
            .collect();
        let schema = "#/webhooks/hook/post/requestBody/content/application~1json/schema/type";
        assert_eq!(pointers, [("#/webhooks", Some(3)), (schema, Some(9))]);
        // Errors of the later stages, which read `x-webhooks`, too.
        let later = Pointer::parse_ref("#/x-webhooks/hook/post").unwrap();
        let location = spec.locate(&later);
        assert_eq!(
            (location.pointer.as_str(), location.line),
            ("#/webhooks/hook/post", Some(5))
        );
        // A 3.0 document's own `x-webhooks` stays as it is.
        let src = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-webhooks: {}\n";
        let spec = parse(Path::new("x.yaml"), src.into()).unwrap();
        let location = spec.locate(&Pointer::root().push("x-webhooks"));
        assert_eq!(
            (location.pointer.as_str(), location.line),
            ("#/x-webhooks", Some(4))
        );
    }

    #[test]
    fn reads_3_1_documents() {
        let src = "openapi: 3.1.0\ninfo: {title: t, version: '1', license: {name: MIT, identifier: MIT}}\npaths: {}\nwebhooks: {}\n";
        let spec = parse(Path::new("x.yaml"), src.into()).unwrap();
        assert_eq!(spec.warnings.len(), 1);
        assert_eq!(spec.warnings[0].location.line, Some(4));
    }
}
