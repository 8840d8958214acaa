//! Success bodies: what the SDK does not know yet (enum values, fields) decodes, and is kept; a
//! body that does not decode is an `Error::Decode` naming the field, with an excerpt of the body.

use serde_json::json;
use upvest::models::IdentifierType;
use upvest::{Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// Forward compatibility: unknown enum values and unknown fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_type_values_and_unknown_fields_are_accepted() {
    let (server, client) = fixture().await;
    let mut body = identifier_json();
    body["type"] = json!("TAX_ID");
    body["verified_at"] = json!("2024-03-15T08:00:00Z");
    body["source"] = json!({ "channel": "api", "attempts": [1, 2] });
    api_mock("GET", item_path())
        .respond_with(ok_json(body.clone()))
        .expect(1)
        .mount(&server)
        .await;
    api_mock("GET", list_path())
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
    // So are the unknown fields: kept as they came, and encoded again.
    assert_eq!(single.unknown_fields.get("source"), Some(&body["source"]));
    assert_eq!(
        single.unknown_fields.get("verified_at"),
        Some(&body["verified_at"])
    );
    let again = serde_json::to_value(&single).unwrap();
    assert!(
        upvest_sdk_tests::harness::same_json(&again, &body),
        "{again:#}"
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
    let response = list(&token_client(&server.uri(), TOKEN, RetryPolicy::none()))
        .await
        .expect("decodes");
    assert_eq!(
        response.data.data[0].r#type,
        IdentifierType::Unknown("PASSPORT_NUMBER".into())
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies that do not decode
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_naming_the_field() {
    let (server, client) = fixture().await;
    let mut body = identifier_json();
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
    let body_text = json!({ "data": [identifier_json(), broken], "padding": padding }).to_string();
    api_mock("GET", list_path())
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

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_its_path() {
    let server = MockServer::start().await;
    let mut bad = identifier_json();
    bad["created_at"] = json!("yesterday");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [bad] })))
        .mount(&server)
        .await;
    let error = list(&token_client(&server.uri(), TOKEN, RetryPolicy::none()))
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
    let error = list(&token_client(&server.uri(), TOKEN, RetryPolicy::none()))
        .await
        .expect_err("truncated");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

// ---------------------------------------------------------------------------------------------
// The structs' own `Deserialize` (written out by the generator, not derived)
// ---------------------------------------------------------------------------------------------

/// `json` as an `IdentifiersListResponse`, through the decoder every response goes through:
/// the error's message and the path `Error::Decode` would name.
fn page_failure(json: &str) -> (String, String) {
    use upvest::serde_helpers::{decode, error_path};
    let e = decode::<upvest::models::IdentifiersListResponse>(json.as_bytes())
        .expect_err("does not decode");
    (e.to_string(), error_path(json.as_bytes(), &e))
}

fn page_with(item: &str) -> String {
    format!(r#"{{"data": [{}, {item}]}}"#, identifier_json())
}

#[test]
fn a_missing_required_field_is_serdes_error_at_its_object() {
    let mut item = identifier_json();
    item.as_object_mut().unwrap().remove("user_id");
    let (message, path) = page_failure(&page_with(&item.to_string()));
    assert!(message.starts_with("missing field `user_id`"), "{message}");
    assert_eq!(path, "data[1]");
    // Required and null is not absent: the type's own error, at the field.
    let mut item = identifier_json();
    item["identifier"] = json!(null);
    let (message, path) = page_failure(&page_with(&item.to_string()));
    assert!(
        message.starts_with("invalid type: null, expected a string"),
        "{message}"
    );
    assert_eq!(path, "data[1].identifier");
    let (message, path) = page_failure("{}");
    assert!(message.starts_with("missing field `data`"), "{message}");
    assert_eq!(path, ".");
}

#[test]
fn a_key_given_twice_is_serdes_duplicate_field_error() {
    let item = identifier_json().to_string();
    let twice = format!(
        r#"{}, "issuing_country": "DE"}}"#,
        item.trim_end_matches('}')
    );
    let (message, path) = page_failure(&page_with(&twice));
    assert!(
        message.starts_with("duplicate field `issuing_country`"),
        "{message}"
    );
    assert_eq!(path, "data[1]");
    // Unknown keys may come twice: the last value is kept, as `serde_json::Value` keeps it.
    let twice = format!(r#"{}, "x": 1, "x": 2}}"#, item.trim_end_matches('}'));
    let mut page: upvest::models::IdentifiersListResponse =
        serde_json::from_str(&page_with(&twice)).expect("unknown keys are kept");
    let kept = std::mem::take(&mut page.data[1].unknown_fields);
    assert_eq!(kept, [("x".to_string(), json!(2))].into());
    assert_eq!(page.data[0], page.data[1]);
}

#[test]
fn keys_are_matched_unescaped_and_unknown_ones_are_kept_whatever_they_hold() {
    let expected: upvest::models::Identifier = serde_json::from_value(identifier_json()).unwrap();
    // An escaped key is the key it spells; unknown keys before, between and after the known ones.
    let mut text = identifier_json()
        .to_string()
        .replacen("\"user_id\"", "\"user\\u005fid\"", 1);
    text.insert_str(1, r#""before": {"id": [1, {"user_id": "nested"}]}, "#);
    let text = format!(r#"{}, "after": null}}"#, text.trim_end_matches('}'));
    let mut decoded: upvest::models::Identifier = serde_json::from_str(&text).expect("decodes");
    let kept = std::mem::take(&mut decoded.unknown_fields);
    assert_eq!(decoded, expected);
    assert_eq!(
        kept,
        [
            (
                "before".to_string(),
                json!({"id": [1, {"user_id": "nested"}]})
            ),
            ("after".to_string(), json!(null)),
        ]
        .into()
    );
    // An object, never an array (Upvest never sends a struct as one).
    let (message, path) = page_failure(&page_with("[]"));
    assert!(
        message.starts_with("invalid type: sequence, expected struct Identifier"),
        "{message}"
    );
    assert_eq!(path, "data[1]");
}

#[test]
fn a_nested_failure_names_its_path() {
    let mut item = identifier_json();
    item["type"] = json!(5);
    let (message, path) = page_failure(&page_with(&item.to_string()));
    assert!(
        message.starts_with("invalid type: integer `5`, expected a string"),
        "{message}"
    );
    assert_eq!(path, "data[1].type");
    let mut item = identifier_json();
    item["id"] = json!("not-a-uuid");
    assert_eq!(page_failure(&page_with(&item.to_string())).1, "data[1].id");
}
