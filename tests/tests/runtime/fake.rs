//! The fake Upvest (`testing` feature) of the committed SDK: a user's identifiers are created,
//! read back and changed through the fake's store without a rule, as an onboarding test would.

use upvest::models::{IdentifierCreateRequest, IdentifierType, IdentifierUpdateRequest};
use upvest::testing::Fake;
use upvest::ErrorStatus;

fn polish_id(value: &str) -> IdentifierCreateRequest {
    IdentifierCreateRequest::new(value, "PL", IdentifierType::NationalId)
}

#[tokio::test]
async fn a_created_identifier_is_read_back_and_updated_without_a_rule() {
    let fake = Fake::new();
    fake.strict();
    let client = fake.client();
    let user = upvest::uuid::Uuid::from_u128(1);
    let other_user = upvest::uuid::Uuid::from_u128(2);
    let first = client
        .create_identifier(user, polish_id("90041703518"))
        .send()
        .await
        .unwrap()
        .data;
    let second = client
        .create_identifier(user, polish_id("02070803628"))
        .send()
        .await
        .unwrap()
        .data;
    // The request's members and the path's user are in the answer, under IDs of their own.
    assert_eq!(
        (first.identifier.as_str(), first.user_id),
        ("90041703518", user)
    );
    assert_ne!(first.id, second.id);
    let read = client
        .retrieve_identifier(user, second.id)
        .send()
        .await
        .unwrap()
        .data;
    assert_eq!(read, second);
    // Another user's path holds none of them: the description's example answers.
    let elsewhere = client
        .retrieve_identifier(other_user, second.id)
        .send()
        .await
        .unwrap()
        .data;
    assert_ne!(elsewhere.id, second.id);
    let updated = client
        .update_identifier(user, first.id, IdentifierUpdateRequest::new("90041703525"))
        .send()
        .await
        .unwrap()
        .data;
    assert_eq!(
        (updated.id, updated.identifier.as_str()),
        (first.id, "90041703525")
    );
    let read = client
        .retrieve_identifier(user, first.id)
        .send()
        .await
        .unwrap()
        .data;
    assert_eq!(read.identifier, "90041703525");
    assert_eq!(read.issuing_country, "PL");
    // A rule still answers first.
    fake.retrieve_identifier().fails(ErrorStatus::NotFound);
    let error = client
        .retrieve_identifier(user, first.id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.error_status(), Some(ErrorStatus::NotFound));
}
