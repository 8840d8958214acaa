//! `cargo xtask e2e`: the whole-API SDK against real parts, all on 127.0.0.1.
//!
//! 1. Prism (`@stoplight/prism-cli` 5.x, installed with npm under `target/e2e/prism`) mocks
//!    Upvest's description with `--errors`: a request that violates it is an error.
//! 2. `verify_proxy.py` (Upvest's signature check) sits in front of Prism and trusts only the
//!    public key of a key made for this run.
//! 3. The whole-API crate is generated into `target/e2e-sdk`, and a driver (written from the
//!    description's examples into `target/e2e-driver`) calls every operation through the proxy.
//!
//! The last line is `N/T operations passed`; the exit code is 0 only when all pass. Every
//! process the rig starts is stopped when it ends, failure or not.

mod inputs;

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::Args;
use minijinja::{context, Environment};
use serde::Serialize;
use serde_json::Value;
use upvest_sdk_generator::{self as generator, GroupSelection, Options};

const PRISM_VERSION: &str = "5";
const DRIVER_TEMPLATE: &str = include_str!("driver.rs.jinja");
const KEY_ID: &str = "e2e-key";
const CLIENT_ID: &str = "ebabcf4d-61c3-4942-875c-e265a7c2d062";

/// Examples in the description that violate its own schema, so that Prism (`--errors`) would
/// refuse to send them: Prism mocks a copy with these fixed (`target/e2e/openapi.json`); the SDK
/// is generated from the description as it is. (operation, pointer in its 200 example, value,
/// what is wrong.)
const EXAMPLE_FIXES: &[(&str, &str, &str, &str)] = &[(
    "list_user_checks",
    "/data/2/data_download_link",
    "https://bucket.customer.com/por/user3.zip",
    "the 200 example's data[2].data_download_link is `https: //...` (a space), not a URL",
)];

#[derive(Args)]
pub struct E2eArgs {
    /// Keep the driver's per-operation lines quiet; print only failures and the summary.
    #[arg(long)]
    quiet: bool,
}

type Result<T> = std::result::Result<T, String>;

pub fn run(root: &Path, args: &E2eArgs) -> ExitCode {
    let started = Instant::now();
    match rig(root, args) {
        Ok((passed, total)) => {
            eprintln!("e2e took {:.1} s", started.elapsed().as_secs_f64());
            println!("{passed}/{total} operations passed");
            if passed == total {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            println!("0/94 operations passed");
            ExitCode::from(2)
        }
    }
}

/// Everything the rig starts lives in `processes` and is stopped when it goes out of scope.
fn rig(root: &Path, args: &E2eArgs) -> Result<(usize, usize)> {
    let shared = shared_dir(root)?;
    let spec = shared.join("upvest/openapi.yaml");
    let work = root.join("target/e2e");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    let prism = install_prism(&work)?;
    let python = oracle_python(&shared)?;
    let keys = make_key(&python, &work)?;
    let ops = generate(root, &spec)?;
    let mock_spec = fixed_spec(&spec, &work)?;
    let driver = build_driver(root, &ops)?;

    let mut processes = Processes::default();
    let prism_port = free_port()?;
    eprintln!("== starting Prism on 127.0.0.1:{prism_port}");
    let prism_log = std::fs::File::create(work.join("prism.log")).map_err(|e| e.to_string())?;
    let child = own_group(&mut Command::new(&prism))
        .args(["mock", "--host", "127.0.0.1", "--port"])
        .arg(prism_port.to_string())
        .arg("--errors")
        .arg(&mock_spec)
        .stdout(prism_log.try_clone().map_err(|e| e.to_string())?)
        .stderr(prism_log)
        .spawn()
        .map_err(|e| format!("cannot start Prism: {e}"))?;
    processes.add("prism", child);
    wait_for_port(prism_port, Duration::from_secs(120), &mut processes)?;

    eprintln!("== starting verify_proxy.py");
    let log = work.join("proxy.jsonl");
    let _ = std::fs::remove_file(&log);
    let mut child = own_group(&mut Command::new(&python))
        .arg(shared.join("signing-oracle/verify_proxy.py"))
        .args(["--listen", "127.0.0.1:0", "--max-seconds", "1800"])
        .arg("--upstream")
        .arg(format!("http://127.0.0.1:{prism_port}"))
        .arg("--public-key")
        .arg(&keys.public)
        .arg("--log")
        .arg(&log)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the proxy: {e}"))?;
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
    }
    processes.add("verify_proxy", child);
    let address = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected proxy output {line:?}"))?
        .to_string();

    eprintln!("== running the driver ({} operations)", ops.len());
    let scopes = scopes(&spec)?;
    let output = Command::new(&driver)
        .args(["--base-url", &format!("http://{address}")])
        .args(["--client-id", CLIENT_ID, "--client-secret", "e2e-secret"])
        .args(["--scopes", &scopes])
        .arg("--key-file")
        .arg(&keys.private)
        .args(["--key-id", KEY_ID])
        .output()
        .map_err(|e| format!("cannot run the driver: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut passed = 0;
    for line in stdout.lines() {
        if line.starts_with("PASS ") {
            passed += 1;
        }
        let summary = line.ends_with("operations passed");
        if !summary && (!args.quiet || line.starts_with("FAIL ")) {
            println!("{line}");
        }
    }
    if !output.status.success() {
        eprint!("{}", String::from_utf8_lossy(&output.stderr));
    }
    drop(processes);
    let rejected = rejected_signatures(&log);
    for reason in &rejected {
        println!("signature rejected: {reason}");
    }
    let passed = if rejected.is_empty() { passed } else { 0 };
    Ok((passed, ops.len()))
}

/// `UPVEST_SHARED_DIR`, else `../shared` next to the repository.
fn shared_dir(root: &Path) -> Result<PathBuf> {
    let dir = std::env::var_os("UPVEST_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    if dir.join("upvest/openapi.yaml").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "the shared corpus is not at {} (set UPVEST_SHARED_DIR)",
            dir.display()
        ))
    }
}

/// Prism, installed once under `target/e2e/prism` with npm.
fn install_prism(work: &Path) -> Result<PathBuf> {
    let prefix = work.join("prism");
    let bin = prefix.join("node_modules/.bin/prism");
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!("== installing @stoplight/prism-cli@{PRISM_VERSION} with npm");
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&prefix)
        .arg(format!("@stoplight/prism-cli@{PRISM_VERSION}"))
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !status.success() || !bin.is_file() {
        return Err("npm could not install @stoplight/prism-cli".into());
    }
    Ok(bin)
}

/// The oracle's Python environment (made by its idempotent `setup.sh`).
fn oracle_python(shared: &Path) -> Result<PathBuf> {
    let output = Command::new("bash")
        .arg(shared.join("signing-oracle/setup.sh"))
        .output()
        .map_err(|e| format!("cannot run setup.sh: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "setup.sh failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let python = stdout.lines().last().unwrap_or_default().trim();
    Ok(PathBuf::from(python))
}

struct Keys {
    private: PathBuf,
    public: PathBuf,
}

/// A fresh Ed25519 key for this run.
fn make_key(python: &Path, work: &Path) -> Result<Keys> {
    let keys = Keys {
        private: work.join("client.key.pem"),
        public: work.join("client.pub.pem"),
    };
    let script = "import sys\n\
        from cryptography.hazmat.primitives import serialization as s\n\
        from cryptography.hazmat.primitives.asymmetric import ed25519\n\
        k = ed25519.Ed25519PrivateKey.generate()\n\
        open(sys.argv[1], 'wb').write(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))\n\
        open(sys.argv[2], 'wb').write(k.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))\n";
    let status = Command::new(python)
        .args(["-c", script])
        .arg(&keys.private)
        .arg(&keys.public)
        .status()
        .map_err(|e| format!("cannot make a key: {e}"))?;
    if !status.success() {
        return Err("cannot make a key".into());
    }
    Ok(keys)
}

/// Every scope the description declares, space-separated.
fn scopes(spec: &Path) -> Result<String> {
    let loaded = generator::load::load(spec).map_err(|e| e.to_string())?;
    let api = generator::lower::lower(&loaded, &GroupSelection::All, "e2e", &Default::default())
        .map_err(|e| e.to_string())?;
    Ok(api
        .scopes
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(" "))
}

/// The description with [`EXAMPLE_FIXES`] applied, as JSON for Prism.
fn fixed_spec(spec: &Path, work: &Path) -> Result<PathBuf> {
    let loaded = generator::load::load(spec).map_err(|e| e.to_string())?;
    let mut raw = loaded.raw;
    for (operation_id, pointer, value, why) in EXAMPLE_FIXES {
        let example = example_of(&mut raw, operation_id)
            .and_then(|example| example.pointer_mut(pointer))
            .ok_or_else(|| format!("the example fix for {operation_id} no longer applies"))?;
        *example = Value::String(value.to_string());
        eprintln!("note: Prism mocks {operation_id} with a fixed example: {why}");
    }
    let path = work.join("openapi.json");
    let text = serde_json::to_string(&raw).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// The JSON example of the 200 response of `operation_id`.
fn example_of<'a>(raw: &'a mut Value, operation_id: &str) -> Option<&'a mut Value> {
    let paths = raw.get_mut("paths")?.as_object_mut()?;
    let operation = paths
        .values_mut()
        .filter_map(|item| item.as_object_mut())
        .flat_map(|item| item.values_mut())
        .find(|op| op["operationId"] == operation_id)?;
    operation.pointer_mut("/responses/200/content/application~1json/example")
}

/// One operation call of the driver.
#[derive(Serialize)]
struct DriverOp {
    operation_id: String,
    method_name: String,
    fn_name: String,
    /// The client method's arguments (what the request cannot be sent without), in order.
    arguments: Vec<Setter>,
    /// Builder setters: an optional body (sent too, with its example).
    setters: Vec<Setter>,
}

#[derive(Serialize)]
struct Setter {
    ident: String,
    rust_type: String,
    json: String,
}

/// Generates the whole-API crate into `target/e2e-sdk` and describes the driver's calls.
fn generate(root: &Path, spec: &Path) -> Result<Vec<DriverOp>> {
    eprintln!("== generating the whole-API SDK into target/e2e-sdk");
    let label = "upvest/openapi.yaml";
    let options = Options {
        spec,
        spec_label: label,
        groups: GroupSelection::All,
    };
    let files = generator::generate(&options).map_err(|e| e.to_string())?;
    generator::write::write(&files, &root.join("target/e2e-sdk")).map_err(|e| e.to_string())?;
    let loaded = generator::load::load(spec).map_err(|e| e.to_string())?;
    let api = generator::lower::lower(&loaded, &GroupSelection::All, label, &Default::default())
        .map_err(|e| e.to_string())?;
    let mut ops = Vec::new();
    for group in &api.groups {
        for op in &group.operations {
            ops.push(driver_op(&loaded.raw, &api, op));
        }
    }
    ops.sort_by(|a, b| a.operation_id.cmp(&b.operation_id));
    Ok(ops)
}

/// The arguments of `op` (required parameters, a required body) and its optional body, with
/// example values.
fn driver_op(
    raw: &Value,
    api: &generator::model::Api,
    op: &generator::model::Operation,
) -> DriverOp {
    let example = |location: &str, name: &str| -> Value {
        if location == "body" {
            let content_type = op.body.as_ref().map_or("", |b| b.content_type.as_str());
            return inputs::operation(raw, &op.path, op.http_method.as_str())
                .and_then(|o| inputs::body_value(raw, o, content_type))
                .unwrap_or(Value::Null);
        }
        inputs::parameter(raw, &op.path, op.http_method.as_str(), location, name)
            .map(|param| inputs::parameter_value(raw, param))
            .unwrap_or(Value::Null)
    };
    let arguments = op
        .arguments
        .iter()
        .map(|a| Setter {
            ident: a.ident.clone(),
            rust_type: sdk_type(&a.rust_type.display(api).to_string()),
            json: example(a.location.as_str(), &a.name).to_string(),
        })
        .collect();
    let setters = op
        .body
        .iter()
        .filter(|b| !b.argument)
        .map(|b| Setter {
            ident: "body".into(),
            rust_type: sdk_type(&b.rust_type.display(api).to_string()),
            json: example("body", "body").to_string(),
        })
        .collect();
    DriverOp {
        operation_id: op.operation_id.clone(),
        method_name: op.method_name.clone(),
        fn_name: format!("call_{}", op.method_name.trim_start_matches("r#")),
        arguments,
        setters,
    }
}

/// A type as the driver names it (outside the SDK crate).
fn sdk_type(rust_type: &str) -> String {
    rust_type
        .replace("crate ::", "upvest ::")
        .replace("crate::", "upvest::")
}

/// Writes and builds the driver crate; returns its binary.
fn build_driver(root: &Path, ops: &[DriverOp]) -> Result<PathBuf> {
    eprintln!("== building the driver");
    let dir = root.join("target/e2e-driver");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    let main = env
        .render_str(DRIVER_TEMPLATE, context! { ops => ops })
        .map_err(|e| format!("driver template: {e}"))?;
    let manifest = "[package]\nname = \"upvest-e2e-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
        [workspace]\n\n[dependencies]\nupvest = { path = \"../e2e-sdk\" }\n\
        serde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\
        uuid = { version = \"1\", features = [\"serde\", \"v4\"] }\n\
        chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\", \"clock\"] }\n\
        tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n";
    write_if_changed(&dir.join("Cargo.toml"), manifest)?;
    write_if_changed(&dir.join("src/main.rs"), &main)?;
    if !dir.join("Cargo.lock").exists() {
        // The repository's lock pins the versions the committed SDK is tested with.
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| e.to_string())?;
    }
    let target = root.join("target/e2e-target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the driver does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(target.join("debug/upvest-e2e-driver"))
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Waits until something listens on `port`, or fails when a started process died.
fn wait_for_port(port: u16, limit: Duration, processes: &mut Processes) -> Result<()> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        processes.check_alive()?;
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "nothing listens on 127.0.0.1:{port} after {limit:?}"
    ))
}

/// The reasons of every request the proxy rejected.
fn rejected_signatures(log: &Path) -> Vec<String> {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(log) {
        let _ = file.read_to_string(&mut text);
    }
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|record| record["verdict"] != "ok")
        .map(|record| {
            format!(
                "{} {}: {}",
                record["method"], record["path"], record["reason"]
            )
        })
        .collect()
}

/// The processes the rig started; each is killed and reaped on drop.
#[derive(Default)]
struct Processes {
    children: Vec<(&'static str, Child)>,
}

impl Processes {
    /// `child` must lead its own process group (see [`own_group`]).
    fn add(&mut self, name: &'static str, child: Child) {
        self.children.push((name, child));
    }

    fn check_alive(&mut self) -> Result<()> {
        for (name, child) in &mut self.children {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("{name} exited early ({status}); see target/e2e/"));
            }
        }
        Ok(())
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            // The whole group: Prism's node may have started workers of its own.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts the command as the leader of a new process group, so it can be stopped whole.
fn own_group(command: &mut Command) -> &mut Command {
    use std::os::unix::process::CommandExt as _;
    command.process_group(0)
}
