//! No secret (client secret, access token, signing key, extra header values) in any `Debug`
//! output, error message or log line, whatever happened.

use serde_json::json;
use upvest::{Client, Config, SigningKey};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

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

#[test]
fn debug_output_hides_the_secret_and_the_key() {
    let builder = base()
        .client_secret("cs_SECRET_value")
        .signing_key_pem(KEY_PEM)
        .key_id("k");
    let key = SigningKey::from_pem(KEY_PEM).unwrap();
    let config = builder.clone().build().unwrap();
    let shown = format!("{builder:?}\n{config:?}\n{key:?}");
    assert!(!shown.contains("cs_SECRET_value"), "{shown}");
    assert!(!shown.contains("MC4CAQAw"), "{shown}");
    assert!(shown.contains("ed25519"), "{shown}");
}

#[test]
fn extra_header_values_are_redacted_in_debug() {
    let builder = base().header("x-partner-token", "pt_SECRET_value");
    let config = builder.clone().build().unwrap();
    let shown = format!("{builder:?}\n{config:?}");
    assert!(!shown.contains("pt_SECRET_value"), "{shown}");
    assert!(shown.contains("x-partner-token"), "{shown}");
}

#[test]
fn a_signature_shows_its_base_without_the_bearer_token() {
    let signer = upvest::client::Signer::new(SigningKey::from_pem(KEY_PEM).unwrap(), "k");
    let url =
        upvest::client::signing::Url::parse("https://sandbox.upvest.co/users?limit=1").unwrap();
    let headers = [
        ("accept", "application/json"),
        ("authorization", "Bearer tok_SECRET_value"),
        ("upvest-client-id", CLIENT_ID),
    ];
    let signature = signer.sign("GET", &url, &headers, b"").unwrap();
    // The base itself signs the token, as Upvest requires ...
    assert!(signature.base.contains("Bearer tok_SECRET_value"));
    // ... but printing the signature does not show it.
    let shown = format!("{signature:?}");
    assert!(!shown.contains("tok_SECRET_value"), "{shown}");
    assert!(
        shown.contains("\\\"authorization\\\": [redacted]"),
        "{shown}"
    );
    assert!(shown.contains("\\\"@path\\\": /users"), "{shown}");
}

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
        .respond_with(token_response(TOKEN, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_2, TOKEN).await;

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
    for secret in [CLIENT_SECRET, TOKEN, TOKEN_2, KEY_SECRET_PART] {
        assert!(!all.contains(secret), "`{secret}` shows in:\n{all}");
    }
}
