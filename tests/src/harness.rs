//! Generating crates into scratch workspaces, checking them with cargo, and running every
//! example of a description through the generated types (decode, then encode again).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use upvest_sdk_generator::model::Api;
use upvest_sdk_generator::{generate_with_warnings, GroupSelection, Options};

use crate::repo_root;

/// A fresh directory under `target/<area>/<name>`.
pub fn work_dir(area: &str, name: &str) -> PathBuf {
    let dir = repo_root().join("target").join(area).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    dir
}

/// Generates `spec` into `out` (as package `package`), returning the warnings as text.
pub fn generate_into(
    spec: &Path,
    label: &str,
    groups: GroupSelection,
    out: &Path,
    package: &str,
) -> Vec<String> {
    let options = Options {
        spec,
        spec_label: label,
        groups,
    };
    let (mut files, warnings) = generate_with_warnings(&options).unwrap_or_else(|e| panic!("{e}"));
    if package != "upvest" {
        let manifest = files.get_mut("Cargo.toml").expect("a manifest");
        *manifest = manifest.replacen("name = \"upvest\"", &format!("name = \"{package}\""), 1);
    }
    upvest_sdk_generator::write::write(&files, out).expect("the output is writable");
    warnings.iter().map(ToString::to_string).collect()
}

/// Makes `dir` a workspace of `members`, with the repository's lock file (same dependency
/// versions as the committed SDK, and no registry look-up for what it already pins).
pub fn workspace_around(dir: &Path, members: &[String]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("writable");
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copyable");
}

/// Runs cargo in `dir` with warnings denied and a target directory shared by `area`.
fn run_cargo(area: &str, dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target").join(area).join("target"),
        )
        .stdin(Stdio::null())
        .output()
        .expect("cargo runs")
}

/// Runs cargo in `dir` with warnings denied and a target directory shared by `area`; panics
/// with cargo's output when it fails, returns its stdout otherwise.
pub fn cargo(area: &str, dir: &Path, args: &[&str]) -> String {
    let output = run_cargo(area, dir, args);
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs cargo like [`cargo`], but returns whether it succeeded and its stderr instead of
/// panicking: for runs where some members are meant not to compile (`--keep-going`).
pub fn cargo_outcome(area: &str, dir: &Path, args: &[&str]) -> (bool, String) {
    let output = run_cargo(area, dir, args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The examples the model maps to types, with the types as seen from a crate that depends on
/// the SDK under the name `upvest`.
pub fn mapped_examples(api: &Api) -> BTreeMap<String, String> {
    api.examples
        .iter()
        .map(|e| {
            let ty = e
                .rust_type
                .replace("crate ::", "upvest ::")
                .replace("crate::", "upvest::");
            (e.pointer.clone(), ty)
        })
        .collect()
}

/// What the harness reports per example: the value encoded again (or why not), and for a
/// webhook payload the `WebhookEvent` variant `parse` chose.
pub type Outcome = (Result<Value, String>, Option<String>);

/// A program, written into a workspace, that decodes each example of a description as its type
/// and encodes it again, against the SDK crate generated from it.
pub struct RoundTrip {
    harness: String,
    input: PathBuf,
}

impl RoundTrip {
    /// Writes the program `<sdk>-roundtrip` and its input into `dir`, beside the SDK crate
    /// `dir/<sdk>`. The workspace in `dir` must list it (see [`workspace_around`]).
    pub fn write(dir: &Path, sdk: &str, raw: &Value, mapped: &BTreeMap<String, String>) -> Self {
        let harness = format!("{sdk}-roundtrip");
        let package = package_name(&dir.join(sdk).join("Cargo.toml"));
        std::fs::create_dir_all(dir.join(&harness).join("src")).expect("writable");
        std::fs::write(
            dir.join(&harness).join("Cargo.toml"),
            format!(
                "[package]\nname = \"{harness}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\nupvest = {{ package = \"{package}\", path = \"../{sdk}\" }}\n\
                 serde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n"
            ),
        )
        .expect("writable");
        std::fs::write(
            dir.join(&harness).join("src/main.rs"),
            harness_source(mapped),
        )
        .expect("writable");
        let input: Vec<(String, Value)> = mapped
            .keys()
            .map(|p| (p.clone(), lookup(raw, p).clone()))
            .collect();
        let input_path = dir.join(format!("{sdk}-examples.json"));
        std::fs::write(&input_path, serde_json::to_vec(&input).expect("json")).expect("writable");
        Self {
            harness,
            input: input_path,
        }
    }

    /// The file of example values the program reads: `[pointer, value]` pairs.
    pub fn input(&self) -> &Path {
        &self.input
    }

    /// The package name of this program, to list in the workspace.
    pub fn member(sdk: &str) -> String {
        format!("{sdk}-roundtrip")
    }

    /// Runs the program and returns the outcome per example pointer.
    pub fn run(&self, area: &str, dir: &Path) -> BTreeMap<String, Outcome> {
        let input = self.input.display().to_string();
        let out = cargo(
            area,
            dir,
            &["run", "--quiet", "-p", &self.harness, "--", &input],
        );
        serde_json::from_str::<Vec<(String, Result<Value, String>, Option<String>)>>(&out)
            .expect("the harness prints JSON")
            .into_iter()
            .map(|(pointer, result, parsed)| (pointer, (result, parsed)))
            .collect()
    }
}

fn package_name(manifest: &Path) -> String {
    std::fs::read_to_string(manifest)
        .ok()
        .and_then(|m| {
            m.lines().find_map(|l| {
                l.strip_prefix("name = \"")
                    .map(|n| n.trim_end_matches('"').to_string())
            })
        })
        .expect("the SDK's package name")
}

/// The examples whose value does not come back equal, with why.
pub fn round_trip_failures(
    raw: &Value,
    outcomes: &BTreeMap<String, Outcome>,
) -> BTreeMap<String, String> {
    outcomes
        .iter()
        .filter_map(|(pointer, (result, _))| match result {
            Ok(again) if same_json(lookup(raw, pointer), again) => None,
            Ok(again) => Some((
                pointer.clone(),
                format!("encodes again differently: {again}"),
            )),
            Err(e) => Some((pointer.clone(), e.clone())),
        })
        .collect()
}

/// The node at a `#/...` pointer (null when absent).
pub fn lookup<'a>(raw: &'a Value, pointer: &str) -> &'a Value {
    raw.pointer(pointer.trim_start_matches('#'))
        .unwrap_or(&Value::Null)
}

fn harness_source(mapped: &BTreeMap<String, String>) -> String {
    let arms: String = mapped
        .iter()
        .map(|(pointer, ty)| format!("                {pointer:?} => round_trip::<{ty}>(value),\n"))
        .collect();
    let has_webhooks = mapped.keys().any(|p| p.starts_with("#/x-webhooks/"));
    let (parse_call, parse_fn) = if has_webhooks {
        (
            "pointer.starts_with(\"#/x-webhooks/\").then(|| parse_webhook(&value))",
            PARSE_WEBHOOK,
        )
    } else {
        ("None::<String>", "")
    };
    format!(
        r##"//! Decodes each example as its type and encodes it again.
#[allow(unused_imports)]
use upvest::{{chrono, uuid}};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(value: serde_json::Value) -> Result<serde_json::Value, String> {{
    let typed: T = serde_path_to_error::deserialize(value)
        .map_err(|e| format!("does not decode at `{{}}`: {{}}", e.path(), e.inner()))?;
    // A union keeps a value that fits none of its shapes as `Unknown(serde_json::Value)`: that
    // round-trips, but an example of the description must fit a shape of its own type.
    let shown = format!("{{typed:?}}");
    for json in ["Null", "Bool(", "Number(", "String(", "Array [", "Object {{"] {{
        if let Some(at) = shown.find(&format!("Unknown({{json}}")) {{
            let end = shown.len().min(at + 200);
            return Err(format!("fits no shape of a union: {{}}", &shown[at..end]));
        }}
    }}
    serde_json::to_value(&typed).map_err(|e| format!("does not encode: {{e}}"))
}}

fn main() {{
    let path = std::env::args().nth(1).expect("the examples file");
    let input: Vec<(String, serde_json::Value)> =
        serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("json");
    let output: Vec<(String, Result<serde_json::Value, String>, Option<String>)> = input
        .into_iter()
        .map(|(pointer, value)| {{
            let parsed = {parse_call};
            let result = match pointer.as_str() {{
{arms}                _ => Err("no type for this example".to_string()),
            }};
            (pointer, result, parsed)
        }})
        .collect();
    println!("{{}}", serde_json::to_string(&output).expect("json"));
}}
{parse_fn}"##
    )
}

const PARSE_WEBHOOK: &str = r#"
/// The `WebhookEvent` variant `parse` picks for a payload, or its error.
fn parse_webhook(value: &serde_json::Value) -> String {
    match upvest::webhook_events::parse(value.to_string().as_bytes()) {
        Ok(event) => format!("{event:?}").split('(').next().unwrap_or_default().to_string(),
        Err(e) => format!("error: {e}"),
    }
}
"#;

/// JSON equality up to representation: numbers by value (`1` = `1.0`) and date-times by instant
/// (`14:10:00.00Z` = `14:10:00Z`), since the SDK keeps values, not their spelling.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y || same_instant(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_json_ignores_spelling_not_values() {
        assert!(same_json(&json!(1), &json!(1.0)));
        assert!(same_json(
            &json!("2021-07-21T14:10:00.00Z"),
            &json!("2021-07-21T14:10:00Z")
        ));
        assert!(!same_json(
            &json!("2021-07-21T14:10:00Z"),
            &json!("2021-07-21T14:10:01Z")
        ));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!same_json(&json!([1, 2]), &json!([2, 1])));
    }
}
