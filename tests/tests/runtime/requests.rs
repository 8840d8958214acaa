//! What the SDK puts on the wire for each operation of the User Identifiers group (request line,
//! headers, JSON body, idempotency keys, base URLs with a path prefix) and what it makes of the
//! answer (decoded models, response metadata).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{json, Value};
use upvest::models::{Identifier, IdentifierType};
use upvest::RetryPolicy;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// The four operations
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_user_identifiers_sends_the_request_and_decodes_the_list() {
    let (server, client) = fixture().await;
    api_mock("GET", list_path())
        .respond_with(ok_json(
            json!({ "data": [identifier_json(), concat_json()] }),
        ))
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
    assert_single_request(&server, "GET", &list_path(), None).await;
}

#[tokio::test]
async fn create_identifier_sends_the_body_and_decodes_the_identifier() {
    let (server, client) = fixture().await;
    let expected_body = json!({
        "type": "NATIONAL_ID",
        "issuing_country": "PL",
        "identifier": "90041703518",
    });
    api_mock("POST", list_path())
        .and(header("content-type", "application/json"))
        .and(body_json(&expected_body))
        .respond_with(ok_json(identifier_json()))
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
    assert_single_request(&server, "POST", &list_path(), Some(expected_body)).await;
}

#[tokio::test]
async fn retrieve_identifier_sends_both_ids_and_decodes_the_identifier() {
    let (server, client) = fixture().await;
    api_mock("GET", item_path())
        .respond_with(ok_json(identifier_json()))
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
    let mut updated = identifier_json();
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
// Idempotency keys: creating calls take one, sent only when set (the group does not declare
// the header); required inputs are arguments (a missing one does not compile: `builds/growing_inputs.rs`)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn post_and_patch_send_an_idempotency_key_only_when_set() {
    let (server, client) = fixture().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ok_json(identifier_json()))
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
// Base URLs
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
