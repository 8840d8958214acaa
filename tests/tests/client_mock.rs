//! End-to-end tests of the generated `upvest` crate against a loopback mock server (wiremock).
//!
//! Each test drives the real client over HTTP and checks both sides of the exchange: what the
//! SDK puts on the wire (request line, headers, JSON body) and what it makes of the answer
//! (decoded models, response metadata, and the error variants for error statuses, malformed
//! bodies and missing inputs). Example values come from `spec/upvest-user-identifiers.yaml`.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{json, Value};
use upvest::models::{
    Identifier, IdentifierCreateRequest, IdentifierType, IdentifierUpdateRequest,
};
use upvest::uuid::{uuid, Uuid};
use upvest::{Client, Config, Error, RetryPolicy};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// The access token; no `Debug` output may ever show it.
const TOKEN: &str = "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0_SECRET";
const CLIENT_ID: &str = "ffa6d3d7-696d-42c6-95fc-640c6e02ce00";
const REQUEST_ID: &str = "eba007fe-3796-42cf-9457-e1145c6d826e";
const USER_ID: Uuid = uuid!("f10c5772-ef2f-4993-a20d-0fc50809346a");
const IDENTIFIER_ID: Uuid = uuid!("096b03ab-75c9-4386-b5e1-5e14d51dad85");
const OTHER_IDENTIFIER_ID: Uuid = uuid!("2fc54681-e9e2-444a-9d86-c9cd7da35c99");

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// A configuration pointing at the mock server. Retries are off: these tests look at single
/// exchanges (`tests/faults.rs` covers retries).
fn config_for(server: &MockServer) -> Config {
    Config::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .access_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a complete configuration builds")
}

/// A client for `server` that keeps redacted body excerpts in its errors.
fn excerpting_client(server: &MockServer) -> Client {
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

/// A fresh mock server and a client that talks to it.
async fn fixture() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(config_for(&server)).expect("the client builds");
    (server, client)
}

fn collection_path() -> String {
    format!("/users/{USER_ID}/identifiers")
}

fn item_path() -> String {
    format!("/users/{USER_ID}/identifiers/{IDENTIFIER_ID}")
}

/// A mock that only matches when every header the SDK must send is present and exact.
fn api_mock(http_method: &str, request_path: String) -> MockBuilder {
    Mock::given(method(http_method))
        .and(path(request_path))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("upvest-client-id", CLIENT_ID))
        .and(header("upvest-api-version", "1"))
        .and(header("accept", "application/json"))
}

/// A `200` answer with a JSON body and the `upvest-request-id` header.
fn ok_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("upvest-request-id", REQUEST_ID)
        .set_body_json(body)
}

/// An `Identifier` body as the API sends it.
fn identifier_json(
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
fn pesel_json() -> Value {
    identifier_json(
        IDENTIFIER_ID,
        "2024-03-14T09:26:53Z",
        "2024-03-14T09:26:53Z",
        "PESEL",
        "90041703518",
        "PL",
    )
}

/// The spec's German CONCAT example (fractional seconds, empty identifier).
fn concat_json() -> Value {
    identifier_json(
        OTHER_IDENTIFIER_ID,
        "2024-03-02T16:05:11.250Z",
        "2024-03-02T16:05:11.250Z",
        "CONCAT",
        "",
        "DE",
    )
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("a valid instant")
}

fn assert_pesel(identifier: &Identifier, updated_at: DateTime<Utc>, value: &str) {
    assert_eq!(identifier.id, IDENTIFIER_ID);
    assert_eq!(identifier.created_at, utc(2024, 3, 14, 9, 26, 53));
    assert_eq!(identifier.updated_at, updated_at);
    assert_eq!(identifier.user_id, USER_ID);
    assert_eq!(identifier.identifier_standard, "PESEL");
    assert_eq!(identifier.identifier, value);
    assert_eq!(identifier.r#type, IdentifierType::NationalId);
    assert_eq!(identifier.issuing_country, "PL");
}

fn assert_concat(identifier: &Identifier) {
    let instant = utc(2024, 3, 2, 16, 5, 11) + TimeDelta::milliseconds(250);
    assert_eq!(identifier.id, OTHER_IDENTIFIER_ID);
    assert_eq!(identifier.created_at, instant);
    assert_eq!(identifier.updated_at, instant);
    assert_eq!(identifier.user_id, USER_ID);
    assert_eq!(identifier.identifier_standard, "CONCAT");
    assert_eq!(identifier.identifier, "");
    assert_eq!(identifier.r#type, IdentifierType::NationalId);
    assert_eq!(identifier.issuing_country, "DE");
}

/// Checks the one request the server received, independently of the mock's matchers: the
/// request line, that each SDK header was sent exactly once with the right value, and the body.
async fn assert_single_request(
    server: &MockServer,
    http_method: &str,
    request_path: &str,
    body: Option<Value>,
) {
    let requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(requests.len(), 1, "exactly one request: {requests:#?}");
    let request = &requests[0];
    assert_eq!(request.method.as_str(), http_method);
    assert_eq!(request.url.path(), request_path);
    assert_eq!(request.url.query(), None, "no query string");

    let single = |name: &str| -> Option<String> {
        let values: Vec<_> = request.headers.get_all(name).iter().collect();
        assert!(values.len() <= 1, "`{name}` sent {} times", values.len());
        values
            .first()
            .map(|v| v.to_str().expect("an ASCII header").to_string())
    };
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(single("authorization").as_deref(), Some(bearer.as_str()));
    assert_eq!(single("upvest-client-id").as_deref(), Some(CLIENT_ID));
    assert_eq!(single("upvest-api-version").as_deref(), Some("1"));
    assert_eq!(single("accept").as_deref(), Some("application/json"));
    let user_agent = single("user-agent").expect("a user-agent is sent");
    assert!(
        user_agent.starts_with("upvest-rust/"),
        "default user agent: {user_agent}"
    );

    match body {
        Some(expected) => {
            assert_eq!(single("content-type").as_deref(), Some("application/json"));
            let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            assert_eq!(sent, expected);
        }
        None => {
            assert_eq!(single("content-type"), None, "no content-type without body");
            assert!(request.body.is_empty(), "no body: {:?}", request.body);
        }
    }
}

fn create_request() -> IdentifierCreateRequest {
    IdentifierCreateRequest::new("90041703518", "PL", IdentifierType::NationalId)
}

fn update_request() -> IdentifierUpdateRequest {
    IdentifierUpdateRequest::new("90041703525")
}

// ---------------------------------------------------------------------------------------------
// The four operations, as a value, for the tests that loop over them
// ---------------------------------------------------------------------------------------------

/// Error statuses of every operation, from the description.
const COMMON_ERRORS: [u16; 8] = [401, 403, 404, 406, 429, 500, 503, 504];
/// Error statuses of the operations with a request body (`400` added).
const BODY_ERRORS: [u16; 9] = [400, 401, 403, 404, 406, 429, 500, 503, 504];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    List,
    Create,
    Retrieve,
    Update,
}

impl Op {
    const ALL: [Op; 4] = [Op::List, Op::Create, Op::Retrieve, Op::Update];

    fn operation_id(self) -> &'static str {
        match self {
            Op::List => "list_user_identifiers",
            Op::Create => "create_identifier",
            Op::Retrieve => "retrieve_identifier",
            Op::Update => "update_identifier",
        }
    }

    fn method(self) -> &'static str {
        match self {
            Op::List | Op::Retrieve => "GET",
            Op::Create => "POST",
            Op::Update => "PATCH",
        }
    }

    fn path(self) -> String {
        match self {
            Op::List | Op::Create => collection_path(),
            Op::Retrieve | Op::Update => item_path(),
        }
    }

    fn error_statuses(self) -> &'static [u16] {
        match self {
            Op::List | Op::Retrieve => &COMMON_ERRORS,
            Op::Create | Op::Update => &BODY_ERRORS,
        }
    }

    /// Sends the operation with all its inputs set; on success, the HTTP status.
    async fn send(self, client: &Client) -> Result<u16, Error> {
        match self {
            Op::List => client
                .list_user_identifiers(USER_ID)
                .send()
                .await
                .map(|r| r.status),
            Op::Create => client
                .create_identifier(USER_ID, create_request())
                .send()
                .await
                .map(|r| r.status),
            Op::Retrieve => client
                .retrieve_identifier(USER_ID, IDENTIFIER_ID)
                .send()
                .await
                .map(|r| r.status),
            Op::Update => client
                .update_identifier(USER_ID, IDENTIFIER_ID, update_request())
                .send()
                .await
                .map(|r| r.status),
        }
    }
}

/// `(type, title, detail)` of the problem document the description gives for a status.
fn problem_example(status: u16) -> (&'static str, &'static str, &'static str) {
    match status {
        400 => (
            "https://docs.upvest.co/errors/bad_request",
            "Bad Request",
            "issuing_country: must match ^[A-Z]{2}$",
        ),
        401 => (
            "https://docs.upvest.co/errors/unauthorized",
            "Unauthorized",
            "The access token has expired.",
        ),
        403 => (
            "https://docs.upvest.co/errors/forbidden",
            "Forbidden",
            "The access token lacks the users:admin scope.",
        ),
        404 => (
            "https://docs.upvest.co/errors/not_found",
            "Not Found",
            "No identifier with this ID exists for the user.",
        ),
        406 => (
            "https://docs.upvest.co/errors/not_acceptable",
            "Not Acceptable",
            "Only application/json can be returned.",
        ),
        429 => (
            "https://docs.upvest.co/errors/too_many_requests",
            "Too Many Requests",
            "Retry after the period given in the Retry-After header.",
        ),
        500 => (
            "https://docs.upvest.co/errors/internal_server_error",
            "Internal Server Error",
            "An unexpected error occurred; it has been logged.",
        ),
        503 => (
            "https://docs.upvest.co/errors/service_unavailable",
            "Service Unavailable",
            "The service is temporarily unavailable.",
        ),
        504 => (
            "https://docs.upvest.co/errors/gateway_timeout",
            "Gateway Timeout",
            "The upstream service did not answer in time.",
        ),
        other => panic!("no problem example for {other}"),
    }
}

/// A request id that differs per status, so a stale or mixed-up id cannot pass.
fn error_request_id(status: u16) -> String {
    format!("3c1d9a2e-7b40-4f6a-9e55-00000000{status:04}")
}

fn problem_instance(op: Op, status: u16) -> String {
    format!(
        "https://api.upvest.co/errors/log/{}/{status}",
        op.operation_id()
    )
}

// ---------------------------------------------------------------------------------------------
// 1. Requests as sent, responses as decoded
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_user_identifiers_sends_the_request_and_decodes_the_list() {
    let (server, client) = fixture().await;
    api_mock("GET", collection_path())
        .respond_with(ok_json(json!({ "data": [pesel_json(), concat_json()] })))
        .expect(1)
        .mount(&server)
        .await;

    let response = client
        .list_user_identifiers(USER_ID)
        .send()
        .await
        .expect("the list succeeds");

    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(response.data.data.len(), 2);
    assert_pesel(
        &response.data.data[0],
        utc(2024, 3, 14, 9, 26, 53),
        "90041703518",
    );
    assert_concat(&response.data.data[1]);

    server.verify().await;
    assert_single_request(&server, "GET", &collection_path(), None).await;
}

#[tokio::test]
async fn create_identifier_sends_the_body_and_decodes_the_identifier() {
    let (server, client) = fixture().await;
    let expected_body = json!({
        "type": "NATIONAL_ID",
        "issuing_country": "PL",
        "identifier": "90041703518",
    });
    api_mock("POST", collection_path())
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(ok_json(pesel_json()))
        .expect(1)
        .mount(&server)
        .await;

    let response = client
        .create_identifier(USER_ID, create_request())
        .send()
        .await
        .expect("the create succeeds");

    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_pesel(&response.data, utc(2024, 3, 14, 9, 26, 53), "90041703518");

    server.verify().await;
    assert_single_request(&server, "POST", &collection_path(), Some(expected_body)).await;
}

#[tokio::test]
async fn retrieve_identifier_sends_both_ids_and_decodes_the_identifier() {
    let (server, client) = fixture().await;
    api_mock("GET", item_path())
        .respond_with(ok_json(pesel_json()))
        .expect(1)
        .mount(&server)
        .await;

    let response = client
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
        .expect("the retrieve succeeds");

    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_pesel(&response.data, utc(2024, 3, 14, 9, 26, 53), "90041703518");

    server.verify().await;
    assert_single_request(&server, "GET", &item_path(), None).await;
}

#[tokio::test]
async fn update_identifier_sends_the_patch_and_decodes_the_identifier() {
    let (server, client) = fixture().await;
    let expected_body = json!({ "identifier": "90041703525" });
    let mut updated = pesel_json();
    updated["updated_at"] = json!("2024-05-08T11:42:07Z");
    updated["identifier"] = json!("90041703525");
    api_mock("PATCH", item_path())
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(ok_json(updated))
        .expect(1)
        .mount(&server)
        .await;

    let response = client
        .update_identifier(USER_ID, IDENTIFIER_ID, update_request())
        .send()
        .await
        .expect("the update succeeds");

    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some(REQUEST_ID));
    assert_pesel(&response.data, utc(2024, 5, 8, 11, 42, 7), "90041703525");

    server.verify().await;
    assert_single_request(&server, "PATCH", &item_path(), Some(expected_body)).await;
}

// ---------------------------------------------------------------------------------------------
// 2. Every documented error status is an `Error::Api` with its problem document
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_documented_error_status_maps_to_an_api_error_with_its_problem() {
    let (server, client) = fixture().await;
    for op in Op::ALL {
        for &status in op.error_statuses() {
            server.reset().await;
            let (problem_type, title, detail) = problem_example(status);
            let request_id = error_request_id(status);
            let instance = problem_instance(op, status);
            let body = json!({
                "type": problem_type,
                "status": status,
                "title": title,
                "detail": detail,
                "instance": instance,
                "request_id": request_id,
            });
            api_mock(op.method(), op.path())
                .respond_with(
                    ResponseTemplate::new(status)
                        .insert_header("upvest-request-id", request_id.as_str())
                        .set_body_raw(body.to_string(), "application/problem+json"),
                )
                .expect(1)
                .mount(&server)
                .await;

            let context = format!("{op:?} answering {status}");
            let error = match op.send(&client).await {
                Err(Error::Api(error)) => error,
                other => panic!("{context}: expected Error::Api, got {other:?}"),
            };
            assert_eq!(error.status, status, "{context}");
            assert_eq!(
                error.request_id.as_deref(),
                Some(request_id.as_str()),
                "{context}"
            );
            assert_eq!(error.body_excerpt, None, "{context}");
            let problem = error
                .problem
                .as_ref()
                .unwrap_or_else(|| panic!("{context}: the problem document was not decoded"));
            assert_eq!(problem.r#type, problem_type, "{context}");
            assert_eq!(problem.status, status, "{context}");
            assert_eq!(problem.title.as_deref(), Some(title), "{context}");
            assert_eq!(problem.detail.as_deref(), Some(detail), "{context}");
            assert_eq!(
                problem.instance.as_deref(),
                Some(instance.as_str()),
                "{context}"
            );
            assert_eq!(
                problem.request_id.as_deref(),
                Some(request_id.as_str()),
                "{context}"
            );
            assert_eq!(error.problem_type(), Some(problem_type), "{context}");
            assert_eq!(error.title(), Some(title), "{context}");
            assert_eq!(error.detail(), Some(detail), "{context}");
            assert_eq!(error.instance(), Some(instance.as_str()), "{context}");

            // The same facts through the `Error` accessors and its message. The message names
            // the error (status, type, title, request ID) but does not quote the detail or the
            // instance: they may echo the request's values.
            let error = Error::Api(error);
            assert_eq!(error.status(), Some(status), "{context}");
            assert_eq!(error.request_id(), Some(request_id.as_str()), "{context}");
            assert!(error.as_api().is_some(), "{context}");
            let message = error.to_string();
            for part in [
                status.to_string().as_str(),
                problem_type,
                title,
                &request_id,
            ] {
                assert!(
                    message.contains(part),
                    "{context}: `{message}` lacks `{part}`"
                );
            }
            let shown = format!("{message} {error:?}");
            for value in [detail, instance.as_str()] {
                assert!(
                    !shown.contains(value),
                    "{context}: `{shown}` shows `{value}`"
                );
            }

            server.verify().await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Forward compatibility: unknown enum values and unknown fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_type_values_and_unknown_fields_are_accepted() {
    let (server, client) = fixture().await;
    let mut body = pesel_json();
    body["type"] = json!("TAX_ID");
    body["verified_at"] = json!("2024-03-15T08:00:00Z");
    body["source"] = json!({ "channel": "api", "attempts": [1, 2] });
    api_mock("GET", item_path())
        .respond_with(ok_json(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    api_mock("GET", collection_path())
        .respond_with(ok_json(json!({ "data": [body], "next_cursor": null })))
        .expect(1)
        .mount(&server)
        .await;

    let single = client
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
        .expect("an unknown type and unknown fields still decode")
        .into_data();
    assert_eq!(single.r#type, IdentifierType::Unknown("TAX_ID".into()));
    assert_eq!(single.r#type.as_str(), "TAX_ID");
    assert_eq!(single.id, IDENTIFIER_ID);
    assert_eq!(single.identifier, "90041703518");
    // The unknown value is sent back as it came.
    assert_eq!(
        serde_json::to_value(&single.r#type).unwrap(),
        json!("TAX_ID")
    );

    let list = client
        .list_user_identifiers(USER_ID)
        .send()
        .await
        .expect("unknown fields at the top level are accepted too")
        .into_data();
    assert_eq!(list.data, vec![single]);

    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 4. A malformed success body is an `Error::Decode` naming the field
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_naming_the_field() {
    let (server, client) = fixture().await;
    let mut body = pesel_json();
    body["created_at"] = json!("yesterday at noon");
    let body_text = body.to_string();
    api_mock("GET", item_path())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("upvest-request-id", REQUEST_ID)
                .set_body_raw(body_text.clone(), "application/json"),
        )
        .expect(2)
        .mount(&server)
        .await;

    let error = match client
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
    {
        Err(Error::Decode(error)) => error,
        other => panic!("expected Error::Decode, got {other:?}"),
    };
    assert_eq!(error.path, "created_at");
    assert!(!error.message.is_empty());
    assert_eq!(error.status, 200);
    assert_eq!(error.request_id.as_deref(), Some(REQUEST_ID));
    // No value of the body, unless excerpts are switched on.
    assert_eq!(error.excerpt, None);
    assert!(!body_text.is_empty());

    let error = Error::Decode(error);
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some(REQUEST_ID));
    assert!(error.to_string().contains("created_at"), "{error}");
    assert!(
        !format!("{error} {error:?}").contains("yesterday at noon"),
        "{error:?}"
    );

    // With excerpts: the body's keys, every value replaced.
    let error = match excerpting_client(&server)
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
    {
        Err(Error::Decode(error)) => error,
        other => panic!("expected Error::Decode, got {other:?}"),
    };
    let excerpt = error.excerpt.clone().expect("an excerpt when asked for");
    assert!(excerpt.contains("\"created_at\":\"***\""), "{excerpt}");
    assert!(!excerpt.contains("yesterday at noon"), "{excerpt}");
    server.verify().await;
}

#[tokio::test]
async fn a_decode_error_inside_a_list_names_the_element_and_excerpts_a_long_body() {
    let (server, client) = fixture().await;
    let mut broken = concat_json();
    broken["updated_at"] = json!(1_709_395_511);
    // Long enough that the excerpt must be cut, even with every value redacted.
    let padding: Vec<u32> = (0..400).collect();
    let body_text = json!({ "data": [pesel_json(), broken], "padding": padding }).to_string();
    api_mock("GET", collection_path())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("upvest-request-id", REQUEST_ID)
                .set_body_raw(body_text.clone(), "application/json"),
        )
        .expect(1)
        .mount(&server)
        .await;

    drop(client);
    let error = match excerpting_client(&server)
        .list_user_identifiers(USER_ID)
        .send()
        .await
    {
        Err(Error::Decode(error)) => error,
        other => panic!("expected Error::Decode, got {other:?}"),
    };
    assert_eq!(error.path, "data[1].updated_at");
    let excerpt = error.excerpt.as_deref().expect("an excerpt when asked for");
    let kept = excerpt
        .strip_suffix("...")
        .unwrap_or_else(|| panic!("a cut excerpt ends in `...`: {excerpt}"));
    assert!(!kept.is_empty());
    assert!(
        kept.len() < body_text.len(),
        "the excerpt is shorter than the body"
    );
    assert!(kept.starts_with("{\"data\":[{"), "{kept}");
    assert!(!kept.contains("90041703518"), "{kept}");
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 5. Required inputs are arguments (a missing one does not compile: `tests/tests/compat.rs`);
//    creating calls take an idempotency key, sent only when set (the group does not declare it)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn post_and_patch_send_an_idempotency_key_only_when_set() {
    let (server, client) = fixture().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ok_json(pesel_json()))
        .mount(&server)
        .await;
    let key = uuid::Uuid::from_u128(0x3f1e0a8c_5d2b_4c7e_9a61_2b8d4e6f0a13);

    client
        .create_identifier(USER_ID, create_request())
        .send()
        .await
        .expect("the create succeeds");
    client
        .create_identifier(USER_ID, create_request())
        .idempotency_key(key)
        .send()
        .await
        .expect("the create succeeds");
    client
        .update_identifier(USER_ID, IDENTIFIER_ID, update_request())
        .idempotency_key(key)
        .send()
        .await
        .expect("the update succeeds");

    let received = server.received_requests().await.expect("recording is on");
    let keys: Vec<Option<String>> = received
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .map(|v| v.to_str().unwrap().to_string())
        })
        .collect();
    let expected = Some(key.to_string());
    assert_eq!(keys, [None, expected.clone(), expected]);
}

// ---------------------------------------------------------------------------------------------
// 6. An error body that is not a problem document is kept as an excerpt
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_plain_text_error_body_is_not_shown_but_described_when_excerpts_are_on() {
    let (server, client) = fixture().await;
    let text = "502 Bad Gateway: upstream connect error or disconnect/reset before headers";
    api_mock("GET", item_path())
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("upvest-request-id", REQUEST_ID)
                .set_body_raw(text, "text/plain"),
        )
        .expect(2)
        .mount(&server)
        .await;

    let error = match Op::Retrieve.send(&client).await {
        Err(Error::Api(error)) => error,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(error.status, 502);
    assert_eq!(error.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(error.problem, None);
    assert_eq!(error.body_excerpt, None, "no excerpt unless asked for");
    assert_eq!(error.problem_type(), None);
    assert_eq!(error.detail(), None);

    // With excerpts, a body that is not JSON cannot be redacted: only its length is told.
    let error = match excerpting_client(&server)
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
    {
        Err(Error::Api(error)) => error,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(
        error.body_excerpt,
        Some(format!("[{} bytes, not JSON: not shown]", text.len()))
    );
    server.verify().await;
}

#[tokio::test]
async fn a_json_error_body_that_is_not_a_problem_is_kept_as_a_redacted_excerpt_when_asked() {
    let (server, client) = fixture().await;
    // What a gateway in front of the API may answer: JSON, but not a problem document (the
    // description's problem schema requires `type` and `status`).
    let text = r#"{"message":"An invalid response was received from the upstream server"}"#;
    api_mock("GET", item_path())
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("upvest-request-id", REQUEST_ID)
                .set_body_raw(text, "application/json"),
        )
        .expect(2)
        .mount(&server)
        .await;

    let error = match Op::Retrieve.send(&client).await {
        Err(Error::Api(error)) => error,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(error.status, 502);
    assert_eq!(error.request_id.as_deref(), Some(REQUEST_ID));
    assert_eq!(
        error.problem, None,
        "a body without the problem's required `type` is not a problem document"
    );
    assert_eq!(error.body_excerpt, None, "no excerpt unless asked for");
    let error = match excerpting_client(&server)
        .retrieve_identifier(USER_ID, IDENTIFIER_ID)
        .send()
        .await
    {
        Err(Error::Api(error)) => error,
        other => panic!("expected Error::Api, got {other:?}"),
    };
    assert_eq!(
        error.body_excerpt.as_deref(),
        Some(r#"{"message":"***"}"#),
        "the body's shape is kept, its values are not"
    );
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// 7. The access token never shows in `Debug` output
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_shows_the_access_token() {
    let server = MockServer::start().await;
    let builder = Config::builder()
        .base_url(server.uri())
        .client_id(CLIENT_ID)
        .access_token(TOKEN);
    let config = config_for(&server);
    let client = Client::new(config.clone()).expect("the client builds");
    let request = client.update_identifier(USER_ID, IDENTIFIER_ID, update_request());

    let outputs = [
        (
            "ConfigBuilder",
            format!("{builder:?}"),
            format!("{builder:#?}"),
        ),
        ("Config", format!("{config:?}"), format!("{config:#?}")),
        ("Client", format!("{client:?}"), format!("{client:#?}")),
        (
            "UpdateIdentifier",
            format!("{request:?}"),
            format!("{request:#?}"),
        ),
    ];
    for (what, compact, pretty) in outputs {
        for output in [compact, pretty] {
            assert!(
                !output.contains(TOKEN),
                "{what} Debug shows the token: {output}"
            );
            assert!(
                !output.contains("SECRET"),
                "{what} Debug shows part of the token"
            );
            // Not vacuous: the output does describe the configuration.
            assert!(output.contains(CLIENT_ID), "{what} Debug: {output}");
        }
    }
    assert_eq!(client.config().client_id(), CLIENT_ID);
}
