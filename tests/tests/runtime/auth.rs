//! OAuth tokens: fetched once for concurrent first calls, refreshed before they expire and once
//! for all calls a `401` met, a failing or odd token response, and a redirect from the token
//! endpoint that must not carry the client secret elsewhere.

use std::time::Duration;

use serde_json::json;
use upvest::{Client, Config, Error, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

// ---------------------------------------------------------------------------------------------
// Fetching and refreshing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn concurrent_first_calls_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN, TOKEN_2).await;
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
    mount_token_answers(
        &server,
        token_response(TOKEN, 3600),
        token_response(TOKEN_2, 3600),
    )
    .await;
    mount_api_accepting(&server, TOKEN, TOKEN_2).await;
    let client = oauth_client(&server.uri());
    list(&client).await.expect("the first token works");

    // The server now considers the first token expired.
    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(token_response(TOKEN_2, 3600))
        .mount(&server)
        .await;
    mount_api_accepting(&server, TOKEN_2, TOKEN).await;
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
    mount_token_answers(
        &server,
        token_response(TOKEN, 0),
        token_response(TOKEN_2, 3600),
    )
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
        [TOKEN, TOKEN_2, TOKEN_2].map(|t| format!("Bearer {t}"))
    );
    assert_eq!(token_requests(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// A fetch that ends while no call waits for it
// ---------------------------------------------------------------------------------------------

/// An OAuth client whose requests (the token fetch's included) each get `timeout`, sent once.
/// The token endpoint answers `first` once, then `then` for good.
async fn mount_token_answers(server: &MockServer, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/token"))
        .respond_with(then)
        .mount(server)
        .await;
}

fn oauth_client_with(base_url: &str, timeout: Duration) -> Client {
    let config = Config::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .client_secret(CLIENT_SECRET)
        .scopes(["users:read"])
        .timeout(timeout)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// A list call that waits at most `timeout`, for its token too.
async fn impatient_list(client: &Client, timeout: Duration) -> Result<u16, Error> {
    let response = client
        .list_user_identifiers(USER_ID)
        .customize(|options| options.timeout(timeout))
        .send()
        .await?;
    Ok(response.status)
}

fn assert_gave_up_waiting(outcome: Result<u16, Error>) {
    let error = outcome.expect_err("the token comes after the call's timeout");
    let Error::Auth(inner) = &error else {
        panic!("expected Error::Auth, got {error:?}")
    };
    assert!(matches!(**inner, Error::Timeout { .. }), "{inner:?}");
}

/// The caller gave up before the token endpoint failed: the failure is not handed to the next
/// call, which asks again (it received the old `500` without sending anything).
#[tokio::test]
async fn a_failure_that_came_after_every_caller_gave_up_is_not_handed_to_the_next_call() {
    let server = MockServer::start().await;
    mount_token_answers(
        &server,
        ResponseTemplate::new(500).set_delay(Duration::from_millis(400)),
        token_response(TOKEN, 3600),
    )
    .await;
    mount_api_accepting(&server, TOKEN, TOKEN_2).await;
    let client = oauth_client_with(&server.uri(), Duration::from_secs(5));
    assert_gave_up_waiting(impatient_list(&client, Duration::from_millis(100)).await);
    // The 500 arrives while nobody waits.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let status = impatient_list(&client, Duration::from_secs(5))
        .await
        .expect("a new fetch brings a token");
    assert_eq!(status, 200);
    assert_eq!(token_requests(&server).await, 2);
}

/// The token endpoint hangs past the fetch's own timeout after the caller gave up: the next
/// call starts a fetch of its own instead of receiving that timeout.
#[tokio::test]
async fn a_fetch_that_timed_out_after_every_caller_gave_up_is_not_handed_to_the_next_call() {
    let server = MockServer::start().await;
    mount_token_answers(
        &server,
        token_response(TOKEN, 3600).set_delay(Duration::from_secs(30)),
        token_response(TOKEN, 3600),
    )
    .await;
    mount_api_accepting(&server, TOKEN, TOKEN_2).await;
    // Each attempt, the token fetch's too, has 400 ms; the first call waits 100 ms.
    let client = oauth_client_with(&server.uri(), Duration::from_millis(400));
    assert_gave_up_waiting(impatient_list(&client, Duration::from_millis(100)).await);
    tokio::time::sleep(Duration::from_millis(900)).await;
    let status = list(&client)
        .await
        .expect("a new fetch brings a token")
        .status;
    assert_eq!(status, 200);
    assert_eq!(token_requests(&server).await, 2);
}

/// A token that arrived while nobody waited is as old as its request, not as its pickup: past
/// its lifetime (less the refresh margin) it is not used, so no call spends a `401` on it.
#[tokio::test]
async fn a_token_that_arrived_while_nobody_waited_ages_from_its_request() {
    let server = MockServer::start().await;
    // Lives 2 s, refreshed 1 s before that (the margin is at most half the lifetime).
    mount_token_answers(
        &server,
        token_response(TOKEN, 2).set_delay(Duration::from_millis(400)),
        token_response(TOKEN_2, 3600),
    )
    .await;
    // The server no longer takes the first token.
    mount_api_accepting(&server, TOKEN_2, TOKEN).await;
    let client = oauth_client_with(&server.uri(), Duration::from_secs(5));
    assert_gave_up_waiting(impatient_list(&client, Duration::from_millis(100)).await);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    list(&client).await.expect("a fresh token is fetched");
    let requests = server.received_requests().await.unwrap();
    let bearers: Vec<String> = requests
        .iter()
        .filter(|r| r.url.path() != "/auth/token")
        .map(|r| r.headers["authorization"].to_str().unwrap().to_string())
        .collect();
    assert_eq!(bearers, [format!("Bearer {TOKEN_2}")], "no 401 spent");
    assert_eq!(token_requests(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// Token responses that fail or look odd
// ---------------------------------------------------------------------------------------------

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
