//! Per-request cost of Upvest's signatures: the signature base, SHA-512 content digest and the
//! signature itself, for each key kind, on a typical `POST` with a JSON body and on a `GET`.
//!
//! `cargo bench -p upvest-sdk-tests --bench signing`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use upvest::client::signing::Url;
use upvest::client::Signer;
use upvest::SigningKey;

/// The signing oracle's fixed, public, test-only keys (`oracle.py --print-test-key`).
const KEYS: &[(&str, &str)] = &[
    (
        "ed25519",
        "-----BEGIN PRIVATE KEY-----\n\
         MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n\
         -----END PRIVATE KEY-----\n",
    ),
    (
        "p256",
        "-----BEGIN PRIVATE KEY-----\n\
         MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAQIDBAUGBwgJCgsM\n\
         DQ4PEBESExQVFhcYGRobHB0eHyChRANCAARRXD1uueOWuQTT/sp/VP3NDMHpl783\n\
         XcpRWtCmw7QDX0U2vjpQ8xj7+aVHWQKiIVAr7w1X4IxTsswKVvF9n5NU\n\
         -----END PRIVATE KEY-----\n",
    ),
    (
        "p521",
        "-----BEGIN PRIVATE KEY-----\n\
         MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAAQIDBAUGBwgJCgsM\n\
         DQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8\n\
         PT4/QEGhgYkDgYYABAEm9+am33CHyUsMGwsZSoVmnugQ/aLq4SymQWDe1rJsRkde\n\
         vtzOrkAR2o7dXGOU4LC9QgmhUifyV0ZWJWhUp+tuRgG5okjNQBfd1ML2zCfPCjB6\n\
         GDjukjeRPYpQF2C3pjjJVzuaCgjO0wvvp6PAk4u6qncKe8N90XWVfLOkXr3jyYJu\n\
         6w==\n\
         -----END PRIVATE KEY-----\n",
    ),
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
