//! Generating crates into scratch workspaces, compiling them with cargo, and running every
//! example of a description through the generated types (decode, then encode again).
//!
//! Every nested cargo run shares one target directory, `target/nested/target`, so that the
//! dependencies of the generated crates are built once for all tests. A scratch workspace is
//! written once, into a folder named after the hash of its files ([`Scratch::write`]): tests
//! (threads or processes) that make the same workspace share it, nothing a cargo run reads is
//! ever rewritten under it, and a rerun with unchanged inputs compiles nothing. Cargo locks the
//! target directory itself, so concurrent runs wait for each other instead of clobbering it.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use upvest_sdk_generator::model::{Api, RustType};
use upvest_sdk_generator::{generate_with_warnings, Files, GroupSelection, Options};

use crate::repo_root;

/// The target directory of every nested cargo run.
pub fn nested_target() -> PathBuf {
    repo_root().join("target").join("nested").join("target")
}

/// How a program that is only checked (never run) depends on an SDK: every group, no TLS. With
/// `--no-default-features`, an SDK's own check asks the same of each dependency, so cargo
/// compiles one tree of checked dependencies for both; an SDK's default features would add
/// rustls and tokio's `io-util` and with them a second tree (about 200 s of CPU in CI). TLS does
/// not change a type a program compiles against.
pub const SDK_FEATURES: &str = "default-features = false, features = [\"full\"]";

/// The files of a scratch workspace, gathered in memory, then written once by [`Scratch::write`].
#[derive(Default)]
pub struct Scratch {
    files: Files,
    members: Vec<String>,
}

impl Scratch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Generates `spec` into the member `dir` (as package `package`), returning the warnings as
    /// text.
    pub fn sdk(
        &mut self,
        dir: &str,
        spec: &Path,
        label: &str,
        groups: GroupSelection,
        package: &str,
    ) -> Vec<String> {
        let (files, warnings) = generated(spec, label, groups, package);
        self.crate_files(dir, files);
        warnings
    }

    /// Adds the files of a crate (paths relative to it) as the member `dir`.
    pub fn crate_files(&mut self, dir: &str, files: Files) {
        for (path, text) in files {
            self.files.insert(format!("{dir}/{path}"), text);
        }
        self.member(dir);
    }

    /// Adds an SDK crate's files (`upvest` in their manifest) as the member `dir`, its package
    /// renamed `package`, so that several SDKs can be members of one workspace.
    pub fn renamed_sdk(&mut self, dir: &str, mut files: Files, package: &str) {
        let manifest = files.get_mut("Cargo.toml").expect("a manifest");
        *manifest = rename_package(manifest, package);
        self.crate_files(dir, files);
    }

    /// Writes the manifest of a program that is only checked against an SDK: the package
    /// `name` in the member `dir`, depending on the SDK `package` (in the member `sdk_dir`) under
    /// the name `upvest`, with [`SDK_FEATURES`]. The member is listed; its sources are the
    /// caller's.
    pub fn checked_program(&mut self, dir: &str, name: &str, package: &str, sdk_dir: &str) {
        self.file(
            format!("{dir}/Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\nupvest = {{ package = \"{package}\", path = \"../{sdk_dir}\", {SDK_FEATURES} }}\n"
            ),
        );
        self.member(dir);
    }

    /// Adds one file (path relative to the workspace).
    pub fn file(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    /// Lists `dir` as a member of the workspace.
    pub fn member(&mut self, dir: &str) {
        if !self.members.iter().any(|m| m == dir) {
            self.members.push(dir.to_string());
        }
    }

    /// Writes the workspace (its members, a manifest listing them, and the repository's lock
    /// file, so the dependency versions are the committed SDK's and cargo looks nothing up that
    /// the lock pins) to `target/nested/<name>-<hash of the files>`, unless it is there already,
    /// and returns that folder. The folder appears whole or not at all (written aside, then
    /// renamed), so a test never sees one half written by another.
    pub fn write(mut self, name: &str) -> PathBuf {
        let members: Vec<String> = self.members.iter().map(|m| format!("{m:?}")).collect();
        self.files.insert(
            "Cargo.toml".into(),
            // No debug info: nothing debugs these programs, and it is much of what building
            // and linking them costs.
            format!(
                "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
                members.join(", ")
            ),
        );
        let lock = std::fs::read_to_string(repo_root().join("Cargo.lock")).expect("Cargo.lock");
        self.files.insert("Cargo.lock".into(), lock);
        let mut hasher = DefaultHasher::new();
        self.files.hash(&mut hasher);
        let parent = repo_root().join("target").join("nested");
        let dir = parent.join(format!("{name}-{:016x}", hasher.finish()));
        if dir.is_dir() {
            return dir;
        }
        let aside = parent.join(format!(
            ".{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&aside);
        for (path, text) in &self.files {
            let path = aside.join(path);
            std::fs::create_dir_all(path.parent().expect("a file in a folder"))
                .expect("target/ is writable");
            std::fs::write(&path, text).expect("target/ is writable");
        }
        if std::fs::rename(&aside, &dir).is_err() {
            // Another test wrote the same workspace first: use that one.
            let _ = std::fs::remove_dir_all(&aside);
            assert!(dir.is_dir(), "{} could not be written", dir.display());
        }
        dir
    }
}

/// The files the generator makes of `spec` (as package `package`), and its warnings as text.
pub fn generated(
    spec: &Path,
    label: &str,
    groups: GroupSelection,
    package: &str,
) -> (Files, Vec<String>) {
    let options = Options {
        spec,
        spec_label: label,
        groups,
    };
    let (mut files, warnings) = generate_with_warnings(&options).unwrap_or_else(|e| panic!("{e}"));
    if package != "upvest" {
        let manifest = files.get_mut("Cargo.toml").expect("a manifest");
        *manifest = rename_package(manifest, package);
        // The examples use the crate by its name, which the rename changes.
        let ident = format!("{}::", package.replace('-', "_"));
        for (path, text) in files.iter_mut() {
            if path.starts_with("examples/") {
                *text = text.replace("upvest::", &ident);
            }
        }
    }
    (files, warnings.iter().map(ToString::to_string).collect())
}

/// A generated crate's manifest with its package (`upvest`) named `package`.
fn rename_package(manifest: &str, package: &str) -> String {
    manifest.replacen("name = \"upvest\"", &format!("name = \"{package}\""), 1)
}

/// Runs cargo in `dir` with warnings denied, in the shared target directory.
///
/// Each run's time is printed to stderr (seen with `--nocapture`), and with
/// `UPVEST_NESTED_TIMINGS=1` cargo writes its `--timings` report of the run under
/// `target/nested/target/cargo-timings/`: where the nested builds spend their time.
fn run_cargo(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut args = args.to_vec();
    let compiles = ["build", "check", "clippy", "doc", "rustc", "test"].contains(&args[0]);
    if compiles && std::env::var_os("UPVEST_NESTED_TIMINGS").is_some_and(|v| v == "1") {
        args.insert(1, "--timings");
    }
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO"))
        .args(&args)
        .current_dir(dir)
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", nested_target())
        // Each generated crate is compiled once per content: incremental caches would only cost.
        .env("CARGO_INCREMENTAL", "0")
        .stdin(Stdio::null())
        .output()
        .expect("cargo runs");
    let compiled = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("Compiling ") || l.starts_with("Checking ")
        })
        .count();
    eprintln!(
        "nested: cargo {} in {}: {:.1} s, {compiled} crates compiled",
        args.join(" "),
        dir.file_name().unwrap_or_default().to_string_lossy(),
        started.elapsed().as_secs_f64()
    );
    output
}

/// Runs cargo in `dir` (see [`run_cargo`]); panics with cargo's output when it fails, returns its
/// stdout otherwise.
pub fn cargo(dir: &Path, args: &[&str]) -> String {
    let output = run_cargo(dir, args);
    assert!(
        output.status.success(),
        "cargo {args:?} in {} failed:\n{}\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs cargo like [`cargo`], but returns whether it succeeded and its stderr instead of
/// panicking: for runs where some members are meant not to compile (`--keep-going`).
pub fn cargo_outcome(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = run_cargo(dir, args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Builds the programs of `packages` in one cargo run (so they compile in parallel) and returns
/// each package's executable, as cargo reports it.
pub fn build_programs(dir: &Path, packages: &[String]) -> BTreeMap<String, PathBuf> {
    let mut args = vec![
        "build",
        "--bins",
        "--message-format=json-render-diagnostics",
    ];
    for package in packages {
        args.extend(["-p", package]);
    }
    let out = cargo(dir, &args);
    let programs: BTreeMap<String, PathBuf> = out
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter_map(|m| {
            let executable = m["executable"].as_str()?;
            let package = m["target"]["name"].as_str()?;
            Some((package.to_string(), PathBuf::from(executable)))
        })
        .collect();
    for package in packages {
        assert!(
            programs.contains_key(package),
            "cargo built no program {package}: {programs:?}"
        );
    }
    programs
}

/// Runs a program built by [`build_programs`]; panics with its output when it fails.
pub fn run_program(program: &Path, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the program runs");
    assert!(
        output.status.success(),
        "{} {args:?} failed:\n{}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The examples the model maps to types, with the types as seen from a crate that depends on
/// the SDK under the name `upvest`.
pub fn mapped_examples(api: &Api) -> BTreeMap<String, String> {
    api.examples
        .iter()
        .map(|e| (e.pointer.clone(), type_text(api, &e.rust_type)))
        .collect()
}

/// A type of the model as written from a crate that depends on the SDK as `upvest`.
pub fn type_text(api: &Api, ty: &RustType) -> String {
    ty.display(api)
        .to_string()
        .replace("crate ::", "upvest ::")
        .replace("crate::", "upvest::")
}

/// The dependencies, besides the SDK, of every program the tests build to run it (the round
/// trips, the whole API's decoding checks, the runtime fixture's checks, whose test needs them
/// all): one list, so that cargo resolves one set of features of tokio, hyper, reqwest and
/// the rest for all of these builds and compiles them once in the shared target directory. A
/// program that lists one of them without using it costs nothing more.
pub const PROGRAM_DEPENDENCIES: &str = "futures-util = \"0.3\"\nserde = \"1\"\nserde_json = \"1\"\n\
     tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nwiremock = \"0.6\"\n";

/// What the harness reports per example: the value encoded again (or why not), for a webhook
/// payload the `WebhookEvent` variant `parse` chose, and the decoded value's `Debug` text (empty
/// when it did not decode).
pub type Outcome = (Result<Value, String>, Option<String>, String);

/// Between an example's pointer and the label of a changed copy of it, in the harness's input
/// (see [`RoundTrip::add_with_changes`]): a character no pointer of a description holds.
pub const CHANGED: char = '\0';

/// A program, added to a scratch workspace, that decodes each example of a description as its
/// type and encodes it again, against the SDK crate generated from it.
pub struct RoundTrip {
    package: String,
    input: String,
}

impl RoundTrip {
    /// Adds the program `<sdk>-roundtrip` and its input to `scratch`, beside the SDK crate in
    /// the member `sdk` (package `package`).
    pub fn add(
        scratch: &mut Scratch,
        sdk: &str,
        package: &str,
        raw: &Value,
        mapped: &BTreeMap<String, String>,
    ) -> Self {
        Self::add_with_changes(scratch, sdk, package, raw, mapped, Vec::new())
    }

    /// [`RoundTrip::add`], the input also holding `changed` copies of examples, each keyed by
    /// the example's pointer, [`CHANGED`] and a label: decoded as the example's type.
    pub fn add_with_changes(
        scratch: &mut Scratch,
        sdk: &str,
        package: &str,
        raw: &Value,
        mapped: &BTreeMap<String, String>,
        changed: Vec<(String, Value)>,
    ) -> Self {
        let harness = format!("{sdk}-roundtrip");
        add_program(scratch, &harness, sdk, package, harness_source(mapped));
        let input: Vec<(String, Value)> = mapped
            .keys()
            .map(|p| (p.clone(), lookup(raw, p).clone()))
            .chain(changed)
            .collect();
        let input_path = format!("{sdk}-examples.json");
        scratch.file(
            input_path.clone(),
            serde_json::to_string(&input).expect("json"),
        );
        Self {
            package: harness,
            input: input_path,
        }
    }

    /// A program `<name>` that decodes values by their type rather than by their example:
    /// each key of its input (see [`RoundTrip::run_input`]) starts with one of `types` (as
    /// [`mapped_examples`] writes them), then [`CHANGED`] and a label. Against the SDK in the
    /// member `sdk` (package `package`), which may be older than the descriptions the values
    /// come from.
    pub fn add_by_type(
        scratch: &mut Scratch,
        sdk: &str,
        package: &str,
        name: &str,
        types: &std::collections::BTreeSet<String>,
    ) -> Self {
        let by_type: BTreeMap<String, String> =
            types.iter().map(|t| (t.clone(), t.clone())).collect();
        add_program(scratch, name, sdk, package, harness_source(&by_type));
        Self {
            package: name.to_string(),
            input: String::new(),
        }
    }

    /// Runs the program on the `[key, value]` pairs of `input` (a file anywhere) and returns the
    /// outcome per key.
    pub fn run_input(
        &self,
        programs: &BTreeMap<String, PathBuf>,
        input: &Path,
    ) -> BTreeMap<String, Outcome> {
        let input = input.display().to_string();
        let out = run_program(&programs[&self.package], &[&input]);
        serde_json::from_str::<Vec<(String, Result<Value, String>, Option<String>, String)>>(&out)
            .expect("the harness prints JSON")
            .into_iter()
            .map(|(key, result, parsed, shown)| (key, (result, parsed, shown)))
            .collect()
    }

    /// The package name of the program.
    pub fn package(&self) -> &str {
        &self.package
    }

    /// The file of example values the program reads (`[pointer, value]` pairs), in `dir`.
    pub fn input(&self, dir: &Path) -> PathBuf {
        dir.join(&self.input)
    }

    /// Runs the program (built by [`build_programs`]) and returns the outcome per example
    /// pointer (and per key of a changed copy).
    pub fn run(
        &self,
        dir: &Path,
        programs: &BTreeMap<String, PathBuf>,
    ) -> BTreeMap<String, Outcome> {
        self.run_input(programs, &self.input(dir))
    }
}

/// Adds the program `name` (its `main.rs` is `source`) to `scratch`, depending on the SDK crate
/// in the member `sdk` (package `package`) as `upvest`.
fn add_program(scratch: &mut Scratch, name: &str, sdk: &str, package: &str, source: String) {
    scratch.file(
        format!("{name}/Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nupvest = {{ package = \"{package}\", path = \"../{sdk}\" }}\n\
             {PROGRAM_DEPENDENCIES}"
        ),
    );
    scratch.file(format!("{name}/src/main.rs"), source);
    scratch.member(name);
}

/// The examples whose value does not come back equal, with why.
pub fn round_trip_failures(
    raw: &Value,
    outcomes: &BTreeMap<String, Outcome>,
) -> BTreeMap<String, String> {
    outcomes
        .iter()
        .filter_map(|(pointer, (result, ..))| match result {
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
            "(pointer.starts_with(\"#/x-webhooks/\") && !pointer.contains('\\0')).then(|| parse_webhook(&value))",
            PARSE_WEBHOOK,
        )
    } else {
        ("None::<String>", "")
    };
    format!(
        r##"//! Decodes each example as its type and encodes it again.
#[allow(unused_imports)]
use upvest::{{chrono, uuid}};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize + std::fmt::Debug>(value: serde_json::Value) -> Result<(serde_json::Value, String), String> {{
    // Decoded as the SDK decodes a body: from its bytes, by the SDK's one deserializer (so the
    // program reuses the SDK's compiled decoding where the SDK has it), the failing path
    // worked out by the SDK's own `error_path`.
    let json = serde_json::to_vec(&value).expect("json");
    let typed: T = upvest::serde_helpers::decode(&json).map_err(|e| {{
        let path = upvest::serde_helpers::error_path(&json, &e);
        format!("does not decode at `{{path}}`: {{e}}")
    }})?;
    // A union keeps a value that fits none of its shapes as `Unknown(serde_json::Value)`: that
    // round-trips, but an example of the description must fit a shape of its own type.
    // In full: the comparisons need the values, which the SDK's `Debug` output redacts.
    let shown = format!("{{:?}}", upvest::debug::Revealed(&typed));
    for json in ["Null", "Bool(", "Number(", "String(", "Array [", "Object {{"] {{
        if let Some(at) = shown.find(&format!("Unknown({{json}}")) {{
            let end = shown.len().min(at + 200);
            return Err(format!("fits no shape of a union: {{}}", &shown[at..end]));
        }}
    }}
    // Encoded as the SDK encodes a body (`serde_json::to_vec`), then read back as a value.
    let again = serde_json::to_vec(&typed).map_err(|e| format!("does not encode: {{e}}"))?;
    let again = serde_json::from_slice(&again).map_err(|e| format!("does not encode: {{e}}"))?;
    Ok((again, shown))
}}

fn main() {{
    let path = std::env::args().nth(1).expect("the examples file");
    let input: Vec<(String, serde_json::Value)> =
        serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("json");
    let output: Vec<(String, Result<serde_json::Value, String>, Option<String>, String)> = input
        .into_iter()
        .map(|(pointer, value)| {{
            let parsed = {parse_call};
            // A changed copy of an example (its pointer, NUL, a label) is decoded as the example.
            let example = pointer.split('\0').next().unwrap_or_default();
            let result = match example {{
{arms}                _ => Err("no type for this example".to_string()),
            }};
            let (result, shown) = match result {{
                Ok((again, shown)) => (Ok(again), shown),
                Err(e) => (Err(e), String::new()),
            }};
            (pointer, result, parsed, shown)
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

/// The files under `dir`, by path relative to it (a generated crate or a program to copy into
/// a scratch workspace).
pub fn read_tree(dir: &Path) -> Files {
    let mut files = Files::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
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
