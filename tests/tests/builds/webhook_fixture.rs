//! Webhook deliveries on a crate generated from `tests/fixtures/webhooks.yaml`: the checks in
//! `tests/fixtures/webhooks/checks.rs` (bundles of 1, 3 and 500 events, mixed known, unknown and
//! undecodable types) run with `cargo test` in a scratch workspace of their own, and the crate's
//! `webhook_server` example runs on loopback: it acknowledges a delivery once its events are
//! stored, stores each event once (by id, across restarts), and logs no payload.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use upvest_sdk_generator::GroupSelection;
use upvest_sdk_tests::harness::{cargo, nested_target, Scratch, PROGRAM_DEPENDENCIES};
use upvest_sdk_tests::repo_root;

/// The scratch workspace: the SDK (package `upvest`) and the checks' package.
fn workspace() -> PathBuf {
    let root = repo_root();
    let label = "tests/fixtures/webhooks.yaml";
    let mut scratch = Scratch::new();
    scratch.sdk(
        "sdk",
        &root.join(label),
        label,
        GroupSelection::All,
        "upvest",
    );
    scratch.file(
        "checks/Cargo.toml",
        format!(
            "[package]\nname = \"webhook-checks\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dev-dependencies]\nupvest = {{ path = \"../sdk\" }}\n\
             {PROGRAM_DEPENDENCIES}"
        ),
    );
    scratch.file("checks/src/lib.rs", "");
    let checks = std::fs::read_to_string(root.join("tests/fixtures/webhooks/checks.rs")).unwrap();
    scratch.file("checks/tests/checks.rs", checks);
    scratch.member("checks");
    scratch.write("webhook-fixture")
}

#[test]
fn deliveries_parse_into_their_events_on_a_generated_crate() {
    let stdout = cargo(&workspace(), &["test", "--package", "webhook-checks"]);
    assert!(stdout.contains("test result: ok. 11 passed"), "{stdout}");
}

/// A value only the payloads carry: it must not reach the example's output.
const PERSONAL: &str = "Ada-Lovelace-1815-12-10";

fn event(n: usize, event_type: &str) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{n:012}"),
        "created_at": "2024-03-14T09:26:53Z",
        "type": event_type,
        "webhook_id": "1b097e06-8a14-4181-b72a-de0972a3c57b",
        "object": { "id": "6f5e8a71-0c5b-4f7e-9c6c-1d8f3c1e2b3a", "status": "NEW", "name": PERSONAL },
    })
}

fn bundle(events: &[Value]) -> String {
    json!({ "payload": events }).to_string()
}

/// One POST on a connection of its own; the answer's status.
fn post(addr: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /webhooks HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
}

/// The example, serving on a free port with its inbox in `inbox`; its output goes to `log`.
fn start(program: &Path, inbox: &Path, log: &Path) -> (Child, String) {
    let addr = {
        let probe = TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let child = Command::new(program)
        .env("UPVEST_WEBHOOK_ADDR", &addr)
        .env("UPVEST_WEBHOOK_INBOX", inbox)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().unwrap())
        .stderr(log_file)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the example does not listen"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, addr)
}

fn stored_ids(inbox: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(inbox.join("events.jsonl")).unwrap_or_default();
    text.lines()
        .map(|line| {
            serde_json::from_str::<Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_webhook_example_acknowledges_stored_events_once_each_and_logs_no_payload() {
    let dir = workspace();
    cargo(
        &dir,
        &[
            "build",
            "--package",
            "upvest",
            "--example",
            "webhook_server",
        ],
    );
    let program = nested_target().join("debug/examples/webhook_server");
    let scratch = tempfile::tempdir().unwrap();
    let inbox = scratch.path().join("inbox");
    let log = scratch.path().join("log");
    let events: Vec<Value> = (0..4)
        .map(|n| event(n, ["ORDER.NEW", "POSITION.UPDATED", "SOMETHING.NEW"][n % 3]))
        .collect();
    let id = |n: usize| events[n]["id"].as_str().unwrap().to_string();

    let (mut server, addr) = start(&program, &inbox, &log);
    // Acknowledged once stored: the events are in the inbox when the answer comes.
    assert_eq!(post(&addr, &bundle(&events[..3])), 200);
    assert_eq!(stored_ids(&inbox), [id(0), id(1), id(2)]);
    // The same delivery again (Upvest retries one it saw no success for): nothing new.
    assert_eq!(post(&addr, &bundle(&events[..3])), 200);
    assert_eq!(stored_ids(&inbox).len(), 3);
    // An event delivered alone, as the description shows one.
    assert_eq!(post(&addr, &events[3].to_string()), 200);
    assert_eq!(post(&addr, "{not json"), 400);
    // The worker handles what was stored, and records how far it got.
    let handled = || std::fs::read_to_string(inbox.join("handled")).unwrap_or_default();
    let everything = std::fs::metadata(inbox.join("events.jsonl")).unwrap().len();
    let started = Instant::now();
    while handled().trim() != everything.to_string() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "handled {:?} of {everything} bytes",
            handled()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // After a restart, the events stored before are still known.
    let (mut server, addr) = start(&program, &inbox, &log);
    assert_eq!(post(&addr, &bundle(&events)), 200);
    assert_eq!(stored_ids(&inbox), [id(0), id(1), id(2), id(3)]);
    server.kill().unwrap();
    server.wait().unwrap();

    let output = std::fs::read_to_string(&log).unwrap();
    assert!(
        !output.contains(PERSONAL),
        "a payload was logged:\n{output}"
    );
    assert!(
        output.contains(&format!("{}: handled ORDER.NEW", id(0))),
        "{output}"
    );
    assert!(
        output.contains(&format!("{}: SOMETHING.NEW is unknown", id(2))),
        "{output}"
    );
}
