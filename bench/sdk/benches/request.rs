//! Per-request overhead of the SDK: one call (sign, serialize, send, decode) to a loopback
//! server, next to a hand-written `reqwest` call that does the same work: the same headers, the
//! same signature (through the SDK's public `Signer`, so both pay the same cryptography), the
//! same body and a plain `serde_json` decode into the same model type.
//!
//! `cargo bench -p upvest-sdk-benches --bench request` prints each pair; the ratio `sdk / by_hand`
//! is the SDK's overhead (the goal is at most 1.1). `-- --quick` is CI's quick mode.

use std::net::SocketAddr;
use std::time::Duration;

use criterion::{criterion_group, BenchmarkId, Criterion};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::runtime::Runtime;
use upvest::client::signing::{Url, SIGNATURE_VERSION};
use upvest::client::{Signer, API_VERSION};
use upvest::models::{Identifier, IdentifierCreateRequest, IdentifierType};
use upvest::{Client, Config, RetryPolicy, SigningKey};
use upvest_sdk_tests::keys;
use uuid::{uuid, Uuid};

const USER_ID: Uuid = uuid!("f10c5772-ef2f-4993-a20d-0fc50809346a");
const IDENTIFIER_ID: Uuid = uuid!("096b03ab-75c9-4386-b5e1-5e14d51dad85");
const CLIENT_ID: &str = "ebabcf4d-61c3-4942-875c-e265a7c2d062";
const TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl";
const KEY_ID: &str = "key-id";

/// The key kinds measured (`upvest_sdk_tests::keys`).
const KEYS: &[(&str, &str)] = &[("ed25519", keys::ED25519), ("p521", keys::P521)];

const IDENTIFIER: &str = r#"{"id":"096b03ab-75c9-4386-b5e1-5e14d51dad85","created_at":"2024-03-14T09:26:53Z","updated_at":"2024-03-14T09:26:53Z","user_id":"f10c5772-ef2f-4993-a20d-0fc50809346a","identifier_standard":"PESEL","identifier":"90041703518","type":"NATIONAL_ID","issuing_country":"PL"}"#;

/// A keep-alive HTTP/1.1 server on loopback that answers every request with one identifier.
async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     upvest-request-id: bench\r\ncontent-length: {}\r\n\r\n{IDENTIFIER}",
                    IDENTIFIER.len()
                );
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    // One request: its head, then `content-length` bytes of body.
                    let (head_end, body_len) = loop {
                        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            break (end + 4, content_length(&buffer[..end]));
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    };
                    while buffer.len() < head_end + body_len {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buffer.drain(..head_end + body_len);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

fn sdk_client(base: &str, pem: &str) -> Client {
    let config = Config::builder()
        .base_url(base)
        .client_id(CLIENT_ID)
        .access_token(TOKEN)
        .signing_key_pem(pem)
        .key_id(KEY_ID)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// What the SDK does for one call, written by hand against `reqwest`.
struct ByHand {
    http: reqwest::Client,
    signer: Signer,
    base: String,
}

impl ByHand {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Vec<u8>>) -> Identifier {
        let url = Url::parse(&format!("{}{path}", self.base)).unwrap();
        let authorization = format!("Bearer {TOKEN}");
        let mut headers = vec![
            ("accept", "application/json"),
            ("authorization", authorization.as_str()),
        ];
        if body.is_some() {
            headers.push(("content-type", "application/json"));
        }
        headers.push(("upvest-api-version", API_VERSION));
        headers.push(("upvest-client-id", CLIENT_ID));
        let bytes = body.clone().unwrap_or_default();
        let signature = self
            .signer
            .sign(method.as_str(), &url, &headers, &bytes)
            .unwrap();
        let mut request = self.http.request(method, url);
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        request = request
            .header("upvest-signature-version", SIGNATURE_VERSION)
            .header("signature-input", &signature.signature_input)
            .header("signature", &signature.signature);
        if let Some(digest) = &signature.content_digest {
            request = request.header("content-digest", digest);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success());
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
    }
}

/// One measured call: its case name (`post/ed25519/sdk`) and what one iteration does.
type Call = (String, Box<dyn Fn(&Runtime)>);

/// The measured calls, both sides of every pair on the same loopback server.
struct Cases {
    runtime: Runtime,
    calls: Vec<Call>,
}

fn cases() -> Cases {
    let runtime = Runtime::new().unwrap();
    let addr = runtime.block_on(serve());
    let base = format!("http://{addr}");
    let get_path = format!("/users/{USER_ID}/identifiers/{IDENTIFIER_ID}");
    let post_path = format!("/users/{USER_ID}/identifiers");
    let create = || IdentifierCreateRequest::new("90041703518", "PL", IdentifierType::NationalId);

    let mut calls: Vec<Call> = Vec::new();
    for (key, pem) in KEYS {
        let sdk = std::rc::Rc::new(sdk_client(&base, pem));
        let by_hand = std::rc::Rc::new(ByHand {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            signer: Signer::new(SigningKey::from_pem(pem).unwrap(), KEY_ID),
            base: base.clone(),
        });
        // Both answer the same, so the pair measures the same work.
        let from_sdk = runtime.block_on(async {
            sdk.retrieve_identifier(USER_ID, IDENTIFIER_ID)
                .send()
                .await
                .unwrap()
                .data
        });
        let from_hand = runtime.block_on(by_hand.call(reqwest::Method::GET, &get_path, None));
        assert_eq!(from_sdk, from_hand);

        let client = sdk.clone();
        calls.push((
            format!("get/{key}/sdk"),
            Box::new(move |runtime: &Runtime| {
                runtime.block_on(async {
                    client
                        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
                        .send()
                        .await
                        .unwrap();
                })
            }),
        ));
        let (hand, path) = (by_hand.clone(), get_path.clone());
        calls.push((
            format!("get/{key}/by_hand"),
            Box::new(move |runtime: &Runtime| {
                runtime.block_on(hand.call(reqwest::Method::GET, &path, None));
            }),
        ));
        let client = sdk.clone();
        calls.push((
            format!("post/{key}/sdk"),
            Box::new(move |runtime: &Runtime| {
                runtime.block_on(async {
                    client
                        .create_identifier(USER_ID, create())
                        .send()
                        .await
                        .unwrap();
                })
            }),
        ));
        let (hand, path) = (by_hand.clone(), post_path.clone());
        calls.push((
            format!("post/{key}/by_hand"),
            Box::new(move |runtime: &Runtime| {
                let body = serde_json::to_vec(&create()).unwrap();
                runtime.block_on(hand.call(reqwest::Method::POST, &path, Some(body)));
            }),
        ));
    }
    Cases { runtime, calls }
}

fn request(c: &mut Criterion) {
    let Cases { runtime, calls } = cases();
    let mut group = c.benchmark_group("request");
    for (name, call) in &calls {
        let (case, side) = name.rsplit_once('/').unwrap();
        group.bench_function(BenchmarkId::new(case, side), |b| b.iter(|| call(&runtime)));
    }
    group.finish();
}

criterion_group!(benches, request);

/// `UPVEST_BENCH_CALLS=post/ed25519/sdk:1000` makes that many calls of one case and nothing
/// else, for an instruction count that any load on the machine leaves as it is:
/// `valgrind --tool=callgrind` at two counts, the difference divided by theirs is one call.
fn main() {
    if let Ok(spec) = std::env::var("UPVEST_BENCH_CALLS") {
        let (name, count) = spec
            .rsplit_once(':')
            .expect("UPVEST_BENCH_CALLS=<case>:<count>");
        let count: u32 = count.parse().expect("a count of calls");
        let Cases { runtime, calls } = cases();
        let Some((_, call)) = calls.iter().find(|(case, _)| case == name) else {
            let names: Vec<_> = calls.iter().map(|(case, _)| case.as_str()).collect();
            panic!("no case {name}: the cases are {names:?}");
        };
        for _ in 0..count {
            call(&runtime);
        }
        return;
    }
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
