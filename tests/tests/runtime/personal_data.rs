//! No user's personal data in the `Debug` output of the models or the request builders (it ends
//! up in logs), unless the caller opts in with `upvest::debug::Revealed`.

use serde_json::json;
use upvest::debug::Revealed;
use upvest::models::{Identifier, IdentifiersListResponse};

use crate::support::*;

/// The national ID number of the spec's PESEL example.
const NATIONAL_ID: &str = "90041703518";
/// A property this SDK version does not know, with personal data in it.
const EMAIL: &str = "ada.lovelace@example.com";

fn identifier() -> Identifier {
    let mut body = identifier_json();
    body["email"] = json!(EMAIL);
    serde_json::from_value(body).expect("the PESEL example decodes")
}

#[test]
fn debug_output_hides_personal_data_and_shows_the_shape() {
    let identifier = identifier();
    let list = IdentifiersListResponse::new(vec![identifier.clone()]);
    for shown in [
        format!("{identifier:?}"),
        format!("{identifier:#?}"),
        format!("{list:?}"),
    ] {
        for personal in [NATIONAL_ID, EMAIL, "PESEL", "2024-03-14"] {
            assert!(!shown.contains(personal), "{personal} in {shown}");
        }
        // What identifies the record and its kind is there, and every field by name.
        assert!(shown.contains(&IDENTIFIER_ID.to_string()), "{shown}");
        assert!(shown.contains(&USER_ID.to_string()), "{shown}");
        assert!(shown.contains("NationalId"), "{shown}");
        for field in ["identifier", "issuing_country", "created_at", "\"email\""] {
            assert!(shown.contains(field), "{field} missing from {shown}");
        }
        assert!(shown.contains("[redacted]"), "{shown}");
    }
    assert!(format!("{list:?}").starts_with("IdentifiersListResponse { data: [Identifier {"));
}

#[test]
fn revealed_shows_everything() {
    let identifier = identifier();
    for shown in [
        format!("{:?}", Revealed(&identifier)),
        format!("{:#?}", Revealed(&identifier)),
    ] {
        for value in [NATIONAL_ID, EMAIL, "PESEL", "PL"] {
            assert!(shown.contains(value), "{value} missing from {shown}");
        }
        assert!(!shown.contains("[redacted]"), "{shown}");
    }
    // Only while it is printed.
    assert!(!format!("{identifier:?}").contains(NATIONAL_ID));
}

#[tokio::test]
async fn a_request_builder_hides_its_body() {
    let (_server, client) = fixture().await;
    let request = client.create_identifier(USER_ID, create_request());
    let shown = format!("{request:?}");
    assert!(!shown.contains(NATIONAL_ID), "{shown}");
    assert!(shown.contains("IdentifierCreateRequest"), "{shown}");
}
