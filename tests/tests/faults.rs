//! The client under faults, on loopback servers: rate limiting with `Retry-After`, an
//! unavailable service, tokens expiring while requests run, connections reset, a server too slow
//! to answer, bodies that do not decode or carry what the SDK does not know yet. And no secret
//! in any `Debug` output or log line, whatever happened.

use std::sync::{Arc, Mutex};
use std::time::Duration;

mod identifiers_common;

use identifiers_common::{
    create, identifier_json, list, list_json, list_path, quick_retries, token_client, Logs,
    CLIENT_ID,
};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use upvest::models::IdentifierType;
use upvest::{Client, Config, Error, ErrorStatus, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "cs_live_6b1f0e4d9c2a4b7e8f3a_SECRET";
const TOKEN_1: &str = "tok_first_8d2c1b0a9f8e7d6c_SECRET";
const TOKEN_2: &str = "tok_second_1a2b3c4d5e6f7a8b_SECRET";

/// The signing oracle's public test-only Ed25519 key.
const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
    MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n\
    -----END PRIVATE KEY-----\n";
/// What of the key must never show.
const KEY_SECRET_PART: &str = "MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";

fn oauth_client(base_url: &str) -> Client {
    let config = Config::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .scopes(["users:read"])
        .signing_key_pem(KEY_PEM)
        .key_id("key-1")
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Rate limiting and unavailability
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_429_with_retry_after_is_retried_once_after_the_wait_it_asks_for() {
    let logs = Logs::default();
    let _guard = logs.install();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .mount(&server)
        .await;

    let response = list(&token_client(&server.uri(), TOKEN_1, quick_retries(3)))
        .await
        .expect("the retry succeeds");
    assert_eq!(response.status, 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // The wait was the server's, not the 5 ms backoff.
    let log = logs.text();
    assert!(log.contains("delay_ms=1000"), "{log}");
    assert!(log.contains("reason=status 429"), "{log}");
}

#[tokio::test]
async fn three_503s_give_up_and_report_three_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            r#"{"type":"https://docs.upvest.co/errors/service_unavailable","status":503}"#,
            "application/problem+json",
        ))
        .expect(3)
        .mount(&server)
        .await;

    let error = list(&token_client(&server.uri(), TOKEN_1, quick_retries(3)))
        .await
        .expect_err("503 every time");
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(error.error_status(), Some(ErrorStatus::ServiceUnavailable));
    assert_eq!(error.error_status().map(ErrorStatus::code), Some(503));
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    server.verify().await;
}

#[tokio::test]
async fn a_post_without_idempotency_key_is_not_retried_once_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let error = create(&token_client(&server.uri(), TOKEN_1, quick_retries(3)))
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.attempts(), Some(1));
    server.verify().await;
}

#[tokio::test]
async fn retries_switched_off_send_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .expect(1)
        .mount(&server)
        .await;
    let error = list(&token_client(&server.uri(), TOKEN_1, RetryPolicy::none()))
        .await
        .expect_err("429");
    assert_eq!(error.attempts(), Some(1));
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        // Slow enough that concurrent callers pile up behind one refresh.
        .set_delay(Duration::from_millis(150))
        .set_body_json(json!({
            "access_token": token, "expires_in": expires_in,
            "token_type": "bearer", "scope": "users:read",
        }))
}

async fn token_requests(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.url.path() == "/auth/token")
        .count()
}

async fn mount_api_accepting(server: &MockServer, accepted: &str, rejected: &str) {
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(header(
            "authorization",
            format!("Bearer {accepted}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .and(header("authorization", format!("Bearer {rejected}").as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"type":"https://docs.upvest.co/errors/unauthorized","status":401,"detail":"The access token has expired."}"#,
            "application/problem+json",
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn concurrent_first_calls_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_1, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_1, TOKEN_2).await;
    let client = oauth_client(&server.uri());
    let calls = (0..8).map(|_| list(&client));
    for result in futures_util::future::join_all(calls).await {
        result.expect("every call succeeds");
    }
    assert_eq!(token_requests(&server).await, 1);
}

#[tokio::test]
async fn a_token_expiring_mid_run_is_refreshed_once_for_all_concurrent_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_1, 3600))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_2, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_1, TOKEN_2).await;
    let client = oauth_client(&server.uri());
    list(&client).await.expect("the first token works");

    // The server now considers the first token expired.
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_2, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_2, TOKEN_1).await;
    let calls = (0..8).map(|_| list(&client));
    for result in futures_util::future::join_all(calls).await {
        result.expect("every call succeeds after the refresh");
    }
    assert_eq!(
        token_requests(&server).await,
        1,
        "one refresh for eight calls"
    );
    let requests = server.received_requests().await.unwrap();
    let api_calls = requests.len() - 1;
    assert_eq!(api_calls, 16, "each call: one 401, one retry");
}

#[tokio::test]
async fn a_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    // Expires at once: the next call must not use it.
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_1, 0))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_2, 3600))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .mount(&server)
        .await;
    let client = oauth_client(&server.uri());
    for _ in 0..3 {
        list(&client).await.unwrap();
    }
    let requests = server.received_requests().await.unwrap();
    let bearers: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path() != "/auth/token")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(
        bearers,
        [TOKEN_1, TOKEN_2, TOKEN_2].map(|t| format!("Bearer {t}"))
    );
    assert_eq!(token_requests(&server).await, 2);
}

#[tokio::test]
async fn a_failing_token_request_is_an_auth_error_with_the_servers_problem() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(
            r#"{"type":"https://docs.upvest.co/errors/unauthorized","status":401,"detail":"invalid client"}"#,
            "application/problem+json",
        ))
        .mount(&server)
        .await;
    let error = list(&oauth_client(&server.uri()))
        .await
        .expect_err("no token");
    let Error::Auth(inner) = &error else {
        panic!("expected Error::Auth, got {error:?}")
    };
    assert_eq!(inner.status(), Some(401));
    // The problem's detail is there to read, but not printed: it may quote the request.
    assert_eq!(
        inner.as_api().and_then(|api| api.detail()),
        Some("invalid client")
    );
    assert!(error.to_string().contains("401"), "{error}");
    assert!(!error.to_string().contains("invalid client"), "{error}");
    // Nothing was sent to the operation without a token.
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.url.path() == "/auth/token"));
}

// ---------------------------------------------------------------------------------------------
// Broken connections and slow servers
// ---------------------------------------------------------------------------------------------

/// A server that resets its first `resets` connections after reading the request, then answers
/// `200` with `body`. Returns its URL and the number of connections it accepted.
async fn resetting_server(resets: usize, body: Value) -> (String, Arc<Mutex<usize>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(Mutex::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = {
                let mut count = counter.lock().unwrap();
                *count += 1;
                *count
            };
            let mut buffer = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut buffer).await;
            if n <= resets {
                socket.set_zero_linger().unwrap();
                drop(socket);
                continue;
            }
            let text = body.to_string();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_a_get() {
    let (url, accepted) = resetting_server(1, list_json()).await;
    let response = list(&token_client(&url, TOKEN_1, quick_retries(3)))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(response.data.data.len(), 1);
    assert_eq!(*accepted.lock().unwrap(), 2);
}

#[tokio::test]
async fn a_reset_connection_is_not_retried_for_a_post_without_key() {
    let (url, accepted) = resetting_server(1, identifier_json()).await;
    let error = create(&token_client(&url, TOKEN_1, quick_retries(3)))
        .send()
        .await
        .expect_err("the body may have reached the server");
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(*accepted.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_with_its_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(list_json())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let config = Config::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .access_token(TOKEN_1)
        .timeout(Duration::from_millis(200))
        .retry_policy(quick_retries(2))
        .build()
        .unwrap();
    let error = list(&Client::new(config).unwrap())
        .await
        .expect_err("too slow");
    assert!(
        matches!(error, Error::Timeout { attempts: 2, .. }),
        "{error:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_its_path() {
    let server = MockServer::start().await;
    let mut bad = identifier_json();
    bad["created_at"] = json!("yesterday");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [bad] })))
        .mount(&server)
        .await;
    let error = list(&token_client(&server.uri(), TOKEN_1, RetryPolicy::none()))
        .await
        .expect_err("not a date-time");
    let Error::Decode(decode) = &error else {
        panic!("expected Error::Decode, got {error:?}")
    };
    assert_eq!(decode.path, "data[0].created_at");
    // No value from the body, unless excerpts are switched on.
    assert_eq!(decode.excerpt, None);
    assert!(
        !format!("{error} {error:?}").contains("yesterday"),
        "{error:?}"
    );

    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"data\": [", "application/json"))
        .mount(&server)
        .await;
    let error = list(&token_client(&server.uri(), TOKEN_1, RetryPolicy::none()))
        .await
        .expect_err("truncated");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn unknown_enum_values_and_fields_decode() {
    let server = MockServer::start().await;
    let mut body = identifier_json();
    body["type"] = json!("PASSPORT_NUMBER");
    body["verified_by"] = json!({ "agent": "x" });
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "data": [body], "cursor": 1 })),
        )
        .mount(&server)
        .await;
    let response = list(&token_client(&server.uri(), TOKEN_1, RetryPolicy::none()))
        .await
        .expect("decodes");
    assert_eq!(
        response.data.data[0].r#type,
        IdentifierType::Unknown("PASSPORT_NUMBER".into())
    );
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn no_secret_appears_in_any_debug_output_or_log_line() {
    let logs = Logs::default();
    let _guard = logs.install();
    let server = MockServer::start().await;
    // A token response that does not decode: its body must not end up in the error.
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "token": TOKEN_2 })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_1, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_2, TOKEN_1).await;

    let builder = Config::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .signing_key_pem(KEY_PEM)
        .key_id("key-1")
        .retry_policy(quick_retries(2));
    let client = Client::new(builder.clone().build().unwrap()).unwrap();
    let mut shown = vec![
        format!("{builder:?}"),
        format!("{client:?}"),
        format!("{:?}", client.config()),
    ];

    let bad_token = list(&client)
        .await
        .expect_err("the token response is malformed");
    let rejected = list(&client).await.expect_err("the token is refused twice");
    for error in [&bad_token, &rejected] {
        shown.push(format!("{error:?}"));
        shown.push(format!("{error}"));
    }
    let key = upvest::SigningKey::from_pem(KEY_PEM).unwrap();
    shown.push(format!("{key:?}"));
    shown.push(logs.text());
    let all = shown.join("\n");
    assert!(all.contains("refreshing"), "the log was captured: {all}");
    for secret in [CLIENT_SECRET, TOKEN_1, TOKEN_2, KEY_SECRET_PART] {
        assert!(!all.contains(secret), "`{secret}` shows in:\n{all}");
    }
}
