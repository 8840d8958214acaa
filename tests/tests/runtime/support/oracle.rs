//! Upvest's own signer (`../shared/signing-oracle/oracle.py`) and its verifying proxy, for the
//! signing tests. The Python environment is made once by the oracle's `setup.sh` (idempotent).
//! Its IDs are the oracle's defaults, not the ones of [`super`].

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// The key ID and client ID the oracle uses by default.
pub const KEY_ID: &str = "b2a53e9f-8e1b-426c-89f3-fe78818359b8";
pub const CLIENT_ID: &str = "ebabcf4d-61c3-4942-875c-e265a7c2d062";
pub const CREATED: u64 = 1_700_000_000;
pub const NONCE: &str = "00000000-0000-4000-8000-000000000000";

pub struct Oracle {
    python: PathBuf,
    dir: PathBuf,
}

/// The oracle, or `None` (after `shared_dir` said why) when `../shared` is missing.
pub fn oracle() -> Option<&'static Oracle> {
    static ORACLE: OnceLock<Option<Oracle>> = OnceLock::new();
    ORACLE
        .get_or_init(|| {
            let dir = upvest_sdk_tests::shared_dir()?.join("signing-oracle");
            let output = Command::new("bash")
                .arg(dir.join("setup.sh"))
                .output()
                .expect("bash runs the oracle's setup.sh");
            assert!(
                output.status.success(),
                "setup.sh failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let stdout = String::from_utf8(output.stdout).expect("UTF-8");
            let python = PathBuf::from(stdout.lines().last().expect("setup.sh prints python"));
            Some(Oracle { python, dir })
        })
        .as_ref()
}

/// `f` of each item, each on a thread of its own: for the oracle and its proxy, each call a Python
/// process that mostly waits for its interpreter to start.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("the oracle call panicked"))
            .collect()
    })
}

/// One request as the oracle needs it.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub method: String,
    pub url: String,
    /// `accept`, `authorization`, `content-type`, in the order the client sends them.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub idempotency_key: Option<String>,
}

impl Oracle {
    /// The PKCS#8 private key and the public key of one of the oracle's fixed test keys.
    pub fn test_key(&self, kind: &str) -> (String, String) {
        let out = self.run(&["--print-test-key", "--test-key", kind]);
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let split = text
            .find("-----BEGIN PUBLIC KEY-----")
            .expect("a public key");
        (text[..split].to_string(), text[split..].to_string())
    }

    /// The oracle's signature of `message` (Ed25519 test key, fixed created and nonce, no date).
    pub fn sign(&self, message: &Message, key: &str) -> Value {
        let (args, _body) = self.args(message, key, &["--json"]);
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "oracle failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("the oracle prints JSON")
    }

    /// Whether the oracle's verify mode accepts `signature` (base64) for `message`.
    pub fn verifies(&self, message: &Message, key: &str, signature: &str) -> bool {
        let (args, _body) = self.args(message, key, &["--verify-signature", signature]);
        let out = self.run(&args);
        match out.status.code() {
            Some(0) => true,
            Some(1) => false,
            other => panic!(
                "oracle verify failed ({other:?}): {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    /// Converts a PKCS#8 EC key to SEC1 (`BEGIN EC PRIVATE KEY`) with the `cryptography` package.
    pub fn to_sec1(&self, pkcs8: &str) -> String {
        let script = "import sys\nfrom cryptography.hazmat.primitives import serialization as s\n\
                      k = s.load_pem_private_key(sys.stdin.read().encode(), None)\n\
                      sys.stdout.write(k.private_bytes(s.Encoding.PEM, \
                      s.PrivateFormat.TraditionalOpenSSL, s.NoEncryption()).decode())";
        let mut child = Command::new(&self.python)
            .args(["-c", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python runs");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(pkcs8.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    /// The oracle's arguments, and the temporary file that holds the body while it runs.
    fn args(
        &self,
        message: &Message,
        key: &str,
        extra: &[&str],
    ) -> (Vec<String>, Option<tempfile::NamedTempFile>) {
        let mut args: Vec<String> = vec![
            "--method".into(),
            message.method.clone(),
            "--url".into(),
            message.url.clone(),
            "--created".into(),
            CREATED.to_string(),
            "--nonce".into(),
            NONCE.into(),
            "--key-id".into(),
            KEY_ID.into(),
            "--client-id".into(),
            CLIENT_ID.into(),
            "--test-key".into(),
            key.into(),
            "--no-date".into(),
        ];
        for (name, value) in &message.headers {
            args.push("-H".into());
            args.push(format!("{name}: {value}"));
        }
        let file = message.body.as_deref().map(body_file);
        if let Some(file) = &file {
            args.push("--body-file".into());
            args.push(file.path().display().to_string());
        }
        if let Some(key) = &message.idempotency_key {
            args.push("--idempotency-key".into());
            args.push(key.clone());
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        (args, file)
    }

    fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> std::process::Output {
        Command::new(&self.python)
            .arg(self.dir.join("oracle.py"))
            .args(args)
            .output()
            .expect("python runs the oracle")
    }

    /// Starts `verify_proxy.py` trusting `public_key_pem`; without an upstream it answers
    /// `200 {}` to every valid request.
    pub fn proxy(&self, public_key_pem: &str, upstream: Option<&str>) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("client.pub.pem");
        std::fs::write(&key, public_key_pem).unwrap();
        let log = dir.path().join("requests.jsonl");
        let mut command = Command::new(&self.python);
        command
            .arg(self.dir.join("verify_proxy.py"))
            .args(["--listen", "127.0.0.1:0", "--max-seconds", "120"])
            .arg("--public-key")
            .arg(&key)
            .arg("--log")
            .arg(&log)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(upstream) = upstream {
            command.args(["--upstream", upstream]);
        }
        let mut child = command.spawn().expect("the proxy starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected proxy output {line:?}"))
            .to_string();
        Proxy {
            child,
            url: format!("http://{address}"),
            log,
            _dir: dir,
        }
    }
}

/// A running verifying proxy, stopped when dropped.
pub struct Proxy {
    child: Child,
    pub url: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Proxy {
    /// The proxy's log: one JSON object per request it checked. The proxy writes a line after
    /// it answered, so this waits (up to 10 s) until `expected` lines are there.
    pub fn records(&self, expected: usize) -> Vec<Value> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let records: Vec<Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            if records.len() >= expected || std::time::Instant::now() > deadline {
                return records;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn body_file(body: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), body).unwrap();
    file
}
