//! The SDK's request signatures against Upvest's own signer (`oracle.py`, built on Upvest's
//! PyPI package): the signature base, `signature-input` and, for Ed25519, the signature itself
//! must be byte for byte the same; ECDSA signatures (randomised) must pass the oracle's verify
//! mode. First on the `Signer` the client uses, with the exact headers the client sends; then on
//! requests the client really sent, captured by a mock server, and through the oracle's
//! verifying proxy (Upvest's gateway).

use serde_json::{json, Value};
use upvest::{Client, Config, RetryPolicy, SigningKey, SigningOptions};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::oracle::{in_parallel, oracle, Message, CLIENT_ID, CREATED, KEY_ID, NONCE};
use crate::support::{
    self, create, create_request, identifier_json, item_path, list, list_json, list_path,
    update_request, IDENTIFIER_ID, TOKEN, USER_ID,
};

const IDEMPOTENCY_KEY: &str = "3f1e0a8c-5d2b-4c7e-9a61-2b8d4e6f0a13";

fn signer(key_pem: &str) -> upvest::client::Signer {
    let key = SigningKey::from_pem(key_pem).expect("the oracle's test key loads");
    upvest::client::Signer::new(key, KEY_ID).with_options(fixed())
}

fn fixed() -> SigningOptions {
    SigningOptions::new().created(CREATED).nonce(NONCE)
}

/// A request as the client builds it: its accept/authorization/content-type first, then its
/// own headers, then the operation's (here the idempotency key).
fn message(
    http_method: &str,
    url: &str,
    authorized: bool,
    body: Option<(&str, &str)>,
    idempotency_key: Option<&str>,
) -> Message {
    let mut headers = vec![("accept".to_string(), "application/json".to_string())];
    if authorized {
        headers.push(("authorization".into(), format!("Bearer {TOKEN}")));
    }
    if let Some((content_type, _)) = body {
        headers.push(("content-type".into(), content_type.into()));
    }
    Message {
        method: http_method.into(),
        url: url.into(),
        headers,
        body: body.map(|(_, b)| b.as_bytes().to_vec()),
        idempotency_key: idempotency_key.map(str::to_string),
    }
}

/// Signs `message` with the SDK's `Signer`, giving it the headers in the order the client does.
fn sdk_sign(
    signer: &upvest::client::Signer,
    message: &Message,
) -> upvest::client::signing::Signature {
    let mut headers: Vec<(&str, &str)> = message
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    headers.push(("upvest-api-version", "1"));
    headers.push(("upvest-client-id", CLIENT_ID));
    if let Some(key) = &message.idempotency_key {
        headers.push(("idempotency-key", key));
    }
    let url = upvest::client::signing::Url::parse(&message.url).unwrap();
    signer
        .sign(
            &message.method,
            &url,
            &headers,
            message.body.as_deref().unwrap_or_default(),
        )
        .expect("signing succeeds")
}

/// Our signature of `message` (with the oracle's test key `private`) against the oracle's own.
fn assert_same_as_oracle(private: &str, message: &Message, theirs: &Value) {
    let ours = sdk_sign(&signer(private), message);
    let context = format!("{} {}", message.method, message.url);
    assert_eq!(ours.base, theirs["signature_base"], "base of {context}");
    assert_eq!(
        ours.signature_input, theirs["signature_input"],
        "signature-input of {context}"
    );
    assert_eq!(
        ours.content_digest.as_deref(),
        theirs["headers"]["content-digest"].as_str(),
        "content-digest of {context}"
    );
    assert_eq!(
        ours.signature, theirs["signature"],
        "signature of {context}"
    );
}

/// The five kinds of request the issue names, each compared byte for byte (Ed25519).
fn five_messages() -> Vec<Message> {
    let body = r#"{"type":"NATIONAL_ID","issuing_country":"PL","identifier":"90041703518"}"#;
    let form = format!(
        "client_id={CLIENT_ID}&client_secret=s3cr3t&grant_type=client_credentials&scope=users%3Aread+users%3Aadmin"
    );
    vec![
        message(
            "GET",
            "https://sandbox.upvest.co/users?limit=10&offset=20&sort=created_at&order=DESC",
            true,
            None,
            None,
        ),
        message(
            "POST",
            &format!("https://sandbox.upvest.co/users/{USER_ID}/identifiers"),
            true,
            Some(("application/json", body)),
            Some(IDEMPOTENCY_KEY),
        ),
        message(
            "PATCH",
            &format!("https://sandbox.upvest.co/users/{USER_ID}/identifiers/{IDENTIFIER_ID}"),
            true,
            Some(("application/json", r#"{"identifier":"90041703525"}"#)),
            None,
        ),
        message(
            "DELETE",
            &format!("https://sandbox.upvest.co/webhooks/{IDENTIFIER_ID}"),
            true,
            None,
            None,
        ),
        message(
            "POST",
            "https://sandbox.upvest.co/auth/token",
            false,
            Some(("application/x-www-form-urlencoded", &form)),
            None,
        ),
    ]
}

#[test]
fn ed25519_signatures_equal_the_oracle_byte_for_byte() {
    let Some(oracle) = oracle() else { return };
    let (private, _) = oracle.test_key("ed25519");
    let messages = five_messages();
    let signed = in_parallel(&messages, |message| oracle.sign(message, "ed25519"));
    for (message, theirs) in messages.iter().zip(&signed) {
        assert_same_as_oracle(&private, message, theirs);
    }
}

#[test]
fn ecdsa_signatures_pass_the_oracle_verify_mode_from_pkcs8_and_sec1_keys() {
    let Some(oracle) = oracle() else { return };
    for curve in ["p256", "p521"] {
        let (pkcs8, public) = oracle.test_key(curve);
        let sec1 = oracle.to_sec1(&pkcs8);
        assert!(sec1.starts_with("-----BEGIN EC PRIVATE KEY-----"), "{sec1}");
        for pem in [&pkcs8, &sec1] {
            let key = SigningKey::from_pem(pem).expect("the key loads");
            assert_eq!(key.public_key_pem().unwrap(), public, "{curve} public key");
            let signer = upvest::client::Signer::new(key, KEY_ID).with_options(fixed());
            let signed: Vec<_> = five_messages()
                .into_iter()
                .map(|message| {
                    let ours = sdk_sign(&signer, &message);
                    (message, ours)
                })
                .collect();
            // The oracle's answers (a Python process each), all at once.
            let answers = in_parallel(&signed, |(message, ours)| {
                let theirs = oracle.sign(message, curve);
                let verified = oracle.verifies(message, curve, signature_b64(&ours.signature));
                (theirs, verified)
            });
            for ((message, ours), (theirs, verified)) in signed.iter().zip(answers) {
                assert_eq!(ours.base, theirs["signature_base"], "{curve} base");
                assert_eq!(ours.signature_input, theirs["signature_input"]);
                assert!(
                    verified,
                    "{curve}: the oracle rejects our signature of {} {}",
                    message.method, message.url
                );
            }
        }
        // The verify mode does reject: a signature of another request fails.
        let messages = five_messages();
        let signer = signer(&pkcs8);
        let other = sdk_sign(&signer, &messages[1]);
        assert!(!oracle.verifies(&messages[0], curve, signature_b64(&other.signature)));
    }
}

/// `sig1=:<base64>:` -> `<base64>`.
fn signature_b64(header: &str) -> &str {
    header
        .strip_prefix("sig1=:")
        .and_then(|s| s.strip_suffix(':'))
        .expect("sig1=:...:")
}

// ---------------------------------------------------------------------------------------------
// Requests the client really sent
// ---------------------------------------------------------------------------------------------

async fn mock_api() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "expires_in": 3600, "token_type": "bearer", "scope": "users:admin",
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .mount(&server)
        .await;
    Mock::given(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(identifier_json()))
        .mount(&server)
        .await;
    Mock::given(path(item_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(identifier_json()))
        .mount(&server)
        .await;
    server
}

fn signing_client(base_url: &str, key_pem: &str, options: SigningOptions) -> Client {
    let config = Config::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .client_secret("s3cr3t")
        .scopes(["users:read", "users:admin"])
        .signing_key_pem(key_pem)
        .key_id(KEY_ID)
        .signing_options(options)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("the configuration builds");
    Client::new(config).unwrap()
}

/// Calls the four User Identifiers operations (the first call fetches the token).
async fn call_all(client: &Client) {
    client
        .list_user_identifiers(USER_ID)
        .send()
        .await
        .expect("list");
    client
        .create_identifier(USER_ID, create_request())
        .send()
        .await
        .expect("create");
    client
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
        .expect("retrieve");
    client
        .update_identifier(USER_ID, IDENTIFIER_ID, update_request())
        .send()
        .await
        .expect("update");
}

/// What the mock server received, as the oracle needs it.
fn received_message(request: &wiremock::Request) -> Message {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let headers = ["accept", "authorization", "content-type"]
        .into_iter()
        .filter_map(|name| header(name).map(|v| (name.to_string(), v)))
        .collect();
    Message {
        method: request.method.to_string(),
        url: request.url.to_string(),
        headers,
        body: (!request.body.is_empty()).then(|| request.body.clone()),
        idempotency_key: header("idempotency-key"),
    }
}

#[tokio::test]
async fn requests_the_client_sent_carry_the_oracles_signatures() {
    let Some(oracle) = oracle() else { return };
    let (private, _) = oracle.test_key("ed25519");
    let server = mock_api().await;
    let client = signing_client(&server.uri(), &private, fixed());
    call_all(&client).await;

    let requests = server.received_requests().await.unwrap();
    let kinds: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(requests.len(), 5, "token + four operations: {kinds:?}");
    assert_eq!(kinds[0], "POST /auth/token");
    let signed = in_parallel(&requests, |request| {
        oracle.sign(&received_message(request), "ed25519")
    });
    for (request, theirs) in requests.iter().zip(&signed) {
        let sent = |name: &str| request.headers.get(name).map(|v| v.to_str().unwrap());
        let context = format!("{} {}", request.method, request.url.path());
        assert_eq!(sent("upvest-signature-version"), Some("15"), "{context}");
        assert_eq!(
            sent("signature-input"),
            theirs["signature_input"].as_str(),
            "{context}"
        );
        assert_eq!(sent("signature"), theirs["signature"].as_str(), "{context}");
        assert_eq!(
            sent("content-digest"),
            theirs["headers"]["content-digest"].as_str(),
            "{context}"
        );
        assert_eq!(
            sent("content-length"),
            theirs["headers"]["content-length"].as_str(),
            "{context}"
        );
    }
    // The token request is a form with the client credentials and the scopes, space-separated.
    let form = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(
        form,
        format!(
            "client_id={CLIENT_ID}&client_secret=s3cr3t&grant_type=client_credentials&scope=users%3Aread+users%3Aadmin"
        )
    );
    assert!(requests[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn the_verifying_proxy_accepts_every_key_kind_and_a_custom_component_order() {
    let Some(oracle) = oracle() else { return };
    let upstream = mock_api().await;
    let curves = ["ed25519", "p256", "p521"];
    // The proxies (a Python process each) start at once.
    let proxies = in_parallel(&curves, |curve| {
        let (private, public) = oracle.test_key(curve);
        (private, oracle.proxy(&public, Some(&upstream.uri())))
    });
    for (curve, (private, proxy)) in curves.into_iter().zip(proxies) {
        // Real time and nonces (the proxy checks the time window), components in a new order.
        let options = SigningOptions::new().components([
            "upvest-client-id",
            "content-digest",
            "@path",
            "accept",
            "@method",
        ]);
        let client = signing_client(&proxy.url, &private, options);
        call_all(&client).await;
        let records = proxy.records(5);
        assert_eq!(records.len(), 5, "{curve}: {records:#?}");
        for record in &records {
            assert_eq!(record["verdict"], "ok", "{curve}: {record}");
        }
        let first = records[1]["components"].as_array().unwrap();
        assert_eq!(
            first[0], "upvest-client-id",
            "{curve}: the order chosen is kept"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Headers on the wire
// ---------------------------------------------------------------------------------------------

/// Every header the client sets is sent once: `content-length` too, even though `reqwest`
/// would add its own for the body.
#[tokio::test]
async fn content_length_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(identifier_json()))
        .mount(&server)
        .await;
    let config = Config::builder()
        .base_url(server.uri())
        .client_id(support::CLIENT_ID)
        .access_token(TOKEN)
        .signing_key_pem(support::KEY_PEM)
        .key_id("key-1")
        .build()
        .unwrap();
    create(&Client::new(config).unwrap())
        .send()
        .await
        .expect("created");
    let request = &server.received_requests().await.unwrap()[0];
    for name in [
        "content-length",
        "content-type",
        "content-digest",
        "signature",
    ] {
        assert_eq!(request.headers.get_all(name).iter().count(), 1, "{name}");
    }
}

/// Upvest's gateway signs what it received, and a header value arrives trimmed (RFC 9110
/// field values have no leading or trailing whitespace; RFC 9421 trims them for the base). A
/// client ID read from a file with a trailing space was signed untrimmed: every request `401`.
/// Also a POST whose optional body is left out passes the gateway.
#[tokio::test]
async fn the_gateway_accepts_untrimmed_header_values_and_a_post_without_body() {
    let Some(oracle) = oracle() else {
        return;
    };
    let (private, public) = oracle.test_key("ed25519");
    let proxy = oracle.proxy(&public, None);
    let config = Config::builder()
        .base_url(&proxy.url)
        .client_id(format!("{} ", support::CLIENT_ID))
        .access_token(TOKEN)
        .signing_key_pem(private)
        .key_id(KEY_ID)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    // The proxy answers `200 {}`, which does not decode: only the verdict matters here.
    let _ = list(&client).await;
    let _ = create(&client).send().await;
    let records = proxy.records(2);
    assert_eq!(records.len(), 2, "{records:#?}");
    for record in &records {
        assert_eq!(record["verdict"], "ok", "{record}");
    }
}
