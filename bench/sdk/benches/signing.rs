//! Per-request cost of Upvest's signatures: the signature base, SHA-512 content digest and the
//! signature itself, for each key kind, on a typical `POST` with a JSON body and on a `GET`.
//!
//! `cargo bench -p upvest-sdk-benches --bench signing`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use upvest::client::signing::Url;
use upvest::client::Signer;
use upvest::SigningKey;
use upvest_sdk_tests::keys;

/// The key kinds measured (`upvest_sdk_tests::keys`).
const KEYS: &[(&str, &str)] = &[
    ("ed25519", keys::ED25519),
    ("p256", keys::P256),
    ("p521", keys::P521),
];

fn signing(c: &mut Criterion) {
    let post = Url::parse(
        "https://sandbox.upvest.co/users/d1a4be99-8bb6-4e78-b897-8168f6823ab5/identifiers",
    )
    .unwrap();
    let get = Url::parse("https://sandbox.upvest.co/users?limit=100&offset=200").unwrap();
    let body = br#"{"type":"NATIONAL_ID","issuing_country":"PL","identifier":"90041703518"}"#;
    let headers = [
        ("accept", "application/json"),
        (
            "authorization",
            "Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl",
        ),
        ("content-type", "application/json"),
        ("upvest-api-version", "1"),
        ("upvest-client-id", "ebabcf4d-61c3-4942-875c-e265a7c2d062"),
        ("idempotency-key", "3f1e0a8c-5d2b-4c7e-9a61-2b8d4e6f0a13"),
    ];
    let mut group = c.benchmark_group("sign");
    for (name, pem) in KEYS {
        let signer = Signer::new(SigningKey::from_pem(pem).unwrap(), "key-id");
        group.bench_function(BenchmarkId::new("post_json", name), |b| {
            b.iter(|| signer.sign("POST", &post, &headers, body).unwrap())
        });
        group.bench_function(BenchmarkId::new("get_query", name), |b| {
            b.iter(|| signer.sign("GET", &get, &headers[..2], b"").unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
