//! What every subject drives the SDK with: the IDs and bodies of the User Identifiers group (the
//! examples of `spec/upvest-user-identifiers.yaml`), clients (a fixed token or OAuth, fast
//! retries), mock servers that check the headers the SDK must send, and captured log lines.

pub mod oracle;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use upvest::models::{IdentifierCreateRequest, IdentifierType, IdentifierUpdateRequest};
use upvest::uuid::{uuid, Uuid};
use upvest::{Client, Config, Error, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

pub const CLIENT_ID: &str = "ffa6d3d7-696d-42c6-95fc-640c6e02ce00";
pub const CLIENT_SECRET: &str = "cs_live_6b1f0e4d9c2a4b7e8f3a_SECRET";
/// The access token; no `Debug` output or log line may ever show it.
pub const TOKEN: &str = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0_SECRET";
/// The token a refresh brings.
pub const TOKEN_2: &str = "tok_second_1a2b3c4d5e6f7a8b_SECRET";
pub const REQUEST_ID: &str = "eba007fe-3796-42cf-9457-e1145c6d826e";
pub const USER_ID: Uuid = uuid!("f10c5772-ef2f-4993-a20d-0fc50809346a");
pub const IDENTIFIER_ID: Uuid = uuid!("096b03ab-75c9-4386-b5e1-5e14d51dad85");
pub const OTHER_IDENTIFIER_ID: Uuid = uuid!("2fc54681-e9e2-444a-9d86-c9cd7da35c99");

/// The signing oracle's public test-only Ed25519 key.
pub const KEY_PEM: &str = upvest_sdk_tests::keys::ED25519;
/// What of the key must never show.
pub const KEY_SECRET_PART: &str =
    "MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f";

// ---------------------------------------------------------------------------------------------
// Paths and bodies
// ---------------------------------------------------------------------------------------------

/// The path of the user's identifiers (list, create).
pub fn list_path() -> String {
    format!("/users/{USER_ID}/identifiers")
}

/// The path of one identifier (retrieve, update).
pub fn item_path() -> String {
    format!("/users/{USER_ID}/identifiers/{IDENTIFIER_ID}")
}

/// An `Identifier` body as the API sends it.
pub fn identifier_body(
    id: Uuid,
    created_at: &str,
    updated_at: &str,
    standard: &str,
    identifier: &str,
    country: &str,
) -> Value {
    json!({
        "id": id.to_string(),
        "created_at": created_at,
        "updated_at": updated_at,
        "user_id": USER_ID.to_string(),
        "identifier_standard": standard,
        "identifier": identifier,
        "type": "NATIONAL_ID",
        "issuing_country": country,
    })
}

/// The spec's Polish PESEL example.
pub fn identifier_json() -> Value {
    identifier_body(
        IDENTIFIER_ID,
        "2024-03-14T09:26:53Z",
        "2024-03-14T09:26:53Z",
        "PESEL",
        "90041703518",
        "PL",
    )
}

/// The spec's German CONCAT example (fractional seconds, empty identifier).
pub fn concat_json() -> Value {
    identifier_body(
        OTHER_IDENTIFIER_ID,
        "2024-03-02T16:05:11.250Z",
        "2024-03-02T16:05:11.250Z",
        "CONCAT",
        "",
        "DE",
    )
}

/// A list of one identifier, the PESEL example.
pub fn list_json() -> Value {
    json!({ "data": [identifier_json()] })
}

pub fn create_request() -> IdentifierCreateRequest {
    IdentifierCreateRequest::new("90041703518", "PL", IdentifierType::NationalId)
}

pub fn update_request() -> IdentifierUpdateRequest {
    IdentifierUpdateRequest::new("90041703525")
}

// ---------------------------------------------------------------------------------------------
// Clients and calls
// ---------------------------------------------------------------------------------------------

/// Fast retries, so the tests do not wait on backoff.
pub fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_secs(2))
}

/// A client with a fixed access token (no OAuth, no signing).
pub fn token_client(base_url: &str, token: &str, retry: RetryPolicy) -> Client {
    let config = Config::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .access_token(token)
        .retry_policy(retry)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// A client that fetches its tokens with the client credentials and signs its requests.
pub fn oauth_client(base_url: &str) -> Client {
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

/// A configuration builder with the settings every configuration needs.
pub fn base() -> upvest::ConfigBuilder {
    Config::builder().client_id(CLIENT_ID).client_secret("s")
}

/// A configuration pointing at the mock server with [`TOKEN`]. Retries are off: the tests that
/// use it look at single exchanges.
pub fn config_for(server: &MockServer) -> Config {
    Config::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a complete configuration builds")
}

/// A client for `server` that keeps redacted body excerpts in its errors.
pub fn excerpting_client(server: &MockServer) -> Client {
    let config = Config::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .error_body_excerpts(true)
        .build()
        .expect("a complete configuration builds");
    Client::new(config).expect("the client builds")
}

/// A fresh mock server and a client of [`config_for`] that talks to it.
pub async fn fixture() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(config_for(&server)).expect("the client builds");
    (server, client)
}

pub async fn list(
    client: &Client,
) -> Result<upvest::Response<upvest::models::IdentifiersListResponse>, Error> {
    client.list_user_identifiers(USER_ID).send().await
}

pub fn create(client: &Client) -> upvest::user_identifiers::CreateIdentifier {
    client.create_identifier(USER_ID, create_request())
}

// ---------------------------------------------------------------------------------------------
// Mock servers
// ---------------------------------------------------------------------------------------------

/// A mock that only matches when every header the SDK must send is present and exact.
pub fn api_mock(http_method: &str, request_path: String) -> MockBuilder {
    Mock::given(method(http_method))
        .and(path(request_path))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("upvest-client-id", CLIENT_ID))
        .and(header("upvest-api-version", "1"))
        .and(header("accept", "application/json"))
}

/// A `200` answer with a JSON body and the `upvest-request-id` header.
pub fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("upvest-request-id", REQUEST_ID)
        .set_body_json(body)
}

/// A token endpoint's answer, slow enough that concurrent callers pile up behind one refresh.
pub fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_delay(Duration::from_millis(150))
        .set_body_json(json!({
            "access_token": token, "expires_in": expires_in,
            "token_type": "bearer", "scope": "users:read",
        }))
}

/// How many token requests the server received.
pub async fn token_requests(server: &MockServer) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.url.path() == "/auth/token")
        .count()
}

/// Lists succeed with the bearer `accepted` and are `401` with `rejected`.
pub async fn mount_api_accepting(server: &MockServer, accepted: &str, rejected: &str) {
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

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

/// Log lines, captured for the current thread.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        // Whether a callsite is of interest is cached for every thread: with no global
        // subscriber, a test on another thread can cache "never" for a log line while this one
        // installs its own (a race in tracing's callsite cache). A global registry, interested
        // in everything and printing nothing, keeps every callsite live.
        static GLOBAL: std::sync::Once = std::sync::Once::new();
        GLOBAL.call_once(|| {
            let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
        });
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
