//! A review of the runtime, one test per defect found (and a few for behaviour that looked
//! doubtful and turned out right): token responses that would panic the client, `Retry-After`
//! honoured or given up on, redirects that would carry the client secret elsewhere, header values
//! the gateway trims, base URLs with a path prefix.

mod signing_common;

use std::time::{Duration, SystemTime};

mod identifiers_common;

use identifiers_common::{
    create, identifier_json, list, list_json, list_path, quick_retries, token_client, Logs,
    CLIENT_ID,
};
use serde_json::json;
use upvest::{Client, Config, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "cs_live_review_SECRET";
const TOKEN: &str = "tok_review_SECRET";

fn oauth_client(base_url: &str) -> Client {
    let config = Config::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .scopes(["users:read"])
        .retry_policy(quick_retries(3))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// `expires_in` as a numeric string is accepted; `"NaN"` parses as an `f64` too, and turning it
/// into a `Duration` panicked the client on data from the network.
#[tokio::test]
async fn a_token_response_with_a_nan_lifetime_does_not_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "expires_in": "NaN", "token_type": "bearer",
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(list_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .mount(&server)
        .await;
    let client = oauth_client(&server.uri());
    let call = tokio::spawn(async move { list(&client).await.map(|r| r.status) });
    let result = call.await.expect("the client does not panic");
    assert_eq!(result.expect("the call succeeds"), 200);
}

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

/// A server that asks for a longer wait than the policy allows between attempts is not asked
/// again early (that only earns another 429): the call gives up with the server's answer.
#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_not_cut_short() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let error = list(&token_client(&server.uri(), TOKEN, quick_retries(3)))
        .await
        .expect_err("429");
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.attempts(), Some(1), "{error}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

/// `Retry-After` as an HTTP date is honoured.
#[tokio::test]
async fn a_retry_after_http_date_is_waited_for() {
    let logs = Logs::default();
    let _guard = logs.install();
    let server = MockServer::start().await;
    let at = httpdate_in(Duration::from_secs(2));
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .mount(&server)
        .await;
    let policy = quick_retries(3).max_backoff(Duration::from_secs(5));
    let started = std::time::Instant::now();
    list(&token_client(&server.uri(), TOKEN, policy))
        .await
        .expect("the retry succeeds");
    // The date has a resolution of a second: at least one of the two seconds was waited.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{logs}",
        logs = logs.text()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

fn httpdate_in(wait: Duration) -> String {
    // RFC 7231 IMF-fixdate, computed by hand to avoid a dependency.
    let secs = (SystemTime::now() + wait)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let date = chrono::DateTime::from_timestamp(secs as i64, 0).unwrap();
    date.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A policy without a bound on the wait (`Duration::MAX`) and a server asking, a second into
/// the call, for the longest wait there is: adding the wait to the elapsed time overflowed and
/// panicked.
#[tokio::test]
async fn an_enormous_retry_after_with_an_unbounded_policy_does_not_panic() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429).insert_header("retry-after", u64::MAX.to_string().as_str()),
        )
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .max_backoff(Duration::MAX)
        .max_elapsed(Duration::from_secs(10));
    let uri = server.uri();
    let call = tokio::spawn(async move {
        list(&token_client(&uri, TOKEN, policy))
            .await
            .map(|r| r.status)
            .map_err(|e| e.status())
    });
    let result = call.await.expect("the client does not panic");
    assert_eq!(result, Err(Some(429)));
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

/// A `307` from the token endpoint must not make the client send the form with its secret to
/// wherever `location` points (a signed request cannot follow a redirect anyway: its `@path` is
/// signed).
#[tokio::test]
async fn a_redirect_never_carries_the_client_secret_to_another_server() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "expires_in": 3600,
        })))
        .mount(&elsewhere)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/collect", elsewhere.uri()).as_str()),
        )
        .mount(&server)
        .await;
    let error = list(&oauth_client(&server.uri()))
        .await
        .expect_err("no token");
    let stolen = elsewhere.received_requests().await.unwrap();
    assert!(
        stolen.is_empty(),
        "the client secret went to another server: {:?}",
        stolen
            .iter()
            .map(|r| format!(
                "{} {} {}",
                r.method,
                r.url,
                String::from_utf8_lossy(&r.body)
            ))
            .collect::<Vec<_>>()
    );
    assert_eq!(error.status(), Some(307), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// Requests on the wire
// ---------------------------------------------------------------------------------------------

/// A base URL with a path prefix keeps it; the path parameters follow it.
#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/prefix/v1{}", list_path())))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_json()))
        .expect(2)
        .mount(&server)
        .await;
    for base in ["/prefix/v1", "/prefix/v1/"] {
        let client = token_client(
            &format!("{}{base}", server.uri()),
            TOKEN,
            RetryPolicy::none(),
        );
        list(&client).await.expect("the prefixed path is used");
    }
    server.verify().await;
}

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
        .client_id(CLIENT_ID)
        .access_token(TOKEN)
        .signing_key_pem(KEY_PEM)
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

/// The signing oracle's public test-only Ed25519 key.
const KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
    MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n\
    -----END PRIVATE KEY-----\n";

/// Upvest's gateway signs what it received, and a header value arrives trimmed (RFC 9110
/// field values have no leading or trailing whitespace; RFC 9421 trims them for the base). A
/// client ID read from a file with a trailing space was signed untrimmed: every request `401`.
/// Also a POST whose optional body is left out passes the gateway.
#[tokio::test]
async fn the_gateway_accepts_untrimmed_header_values_and_a_post_without_body() {
    let Some(oracle) = signing_common::oracle() else {
        return;
    };
    let (private, public) = oracle.test_key("ed25519");
    let proxy = oracle.proxy(&public, None);
    let config = Config::builder()
        .base_url(&proxy.url)
        .client_id(format!("{CLIENT_ID} "))
        .access_token(TOKEN)
        .signing_key_pem(private)
        .key_id(signing_common::KEY_ID)
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
