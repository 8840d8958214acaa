//! Retries: `429`, `503` and broken connections are retried with backoff, `Retry-After` (seconds or
//! an HTTP date) honoured or given up on; a POST without an idempotency key only when the failure
//! proves it was not processed (a `429`, a connection never made), never after a `503`, a `504`
//! or a connection broken once its body may have reached the server; a server too slow to
//! answer is a timeout.

use std::time::{Duration, SystemTime};

use upvest::testing::Fake;
use upvest::{Client, Config, Error, ErrorStatus, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::*;

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

    let response = list(&token_client(&server.uri(), TOKEN, quick_retries(3)))
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

    let error = list(&token_client(&server.uri(), TOKEN, quick_retries(3)))
        .await
        .expect_err("503 every time");
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.attempts(), Some(3));
    assert_eq!(error.error_status(), Some(ErrorStatus::ServiceUnavailable));
    assert_eq!(error.error_status().map(ErrorStatus::code), Some(503));
    assert!(error.to_string().contains("after 3 attempts"), "{error}");
    server.verify().await;
}

/// A `503` or `504` does not prove the server did nothing (a gateway may have timed out while
/// the request was processed): a POST without an idempotency key is not sent again.
#[tokio::test]
async fn a_post_without_idempotency_key_is_not_retried_after_a_503_or_504() {
    for status in [503, 504] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status))
            .expect(1)
            .mount(&server)
            .await;
        let error = create(&token_client(&server.uri(), TOKEN, quick_retries(3)))
            .send()
            .await
            .expect_err("an error status");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.attempts(), Some(1));
        server.verify().await;
    }
}

/// A `429` proves the request was not processed (it was refused for its rate): a POST without
/// an idempotency key is sent again, as after a `401`.
#[tokio::test]
async fn a_post_without_idempotency_key_is_retried_after_a_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok_json(identifier_json()))
        .mount(&server)
        .await;
    let created = create(&token_client(&server.uri(), TOKEN, quick_retries(3)))
        .send()
        .await
        .expect("the third attempt is processed");
    assert_eq!(created.status, 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    // No key was invented for the repeats: the same request, sent three times.
    assert!(requests
        .iter()
        .all(|r| !r.headers.contains_key("idempotency-key")));
    assert!(requests.iter().all(|r| r.body == requests[0].body));
}

#[tokio::test]
async fn retries_switched_off_send_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429))
        .expect(1)
        .mount(&server)
        .await;
    let error = list(&token_client(&server.uri(), TOKEN, RetryPolicy::none()))
        .await
        .expect_err("429");
    assert_eq!(error.attempts(), Some(1));
    server.verify().await;
}

// ---------------------------------------------------------------------------------------------
// Retry-After
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
// Broken connections and slow servers
// ---------------------------------------------------------------------------------------------

/// The fake Upvest on loopback with `rule` (one that drops a connection after reading the
/// request), and a client of it that tries 3 times.
fn dropping_fake(rule: impl FnOnce(&Fake)) -> (Fake, upvest::testing::Served, Client) {
    let fake = Fake::new();
    fake.strict();
    rule(&fake);
    let served = fake.serve().expect("a loopback port");
    let config = served.config().retry_policy(quick_retries(3));
    let client = Client::new(config.build().unwrap()).unwrap();
    (fake, served, client)
}

fn attempts<In>(calls: Vec<upvest::testing::Call<In>>) -> Vec<(u32, u16)> {
    calls.iter().map(|c| (c.attempt, c.status)).collect()
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_get() {
    let (fake, _served, client) = dropping_fake(|fake| {
        fake.list_user_identifiers()
            .when(|call| call.attempt == 1)
            .drops_connection();
    });
    let response = list(&client).await.expect("the second attempt succeeds");
    assert!(!response.data.data.is_empty());
    // The dropped attempt has no status: nothing was answered.
    let calls = fake.list_user_identifiers().calls();
    assert_eq!(attempts(calls), [(1, 0), (2, 200)]);
}

#[tokio::test]
async fn a_dropped_connection_is_not_retried_for_a_post_without_key() {
    let (fake, _served, client) = dropping_fake(|fake| {
        fake.create_identifier()
            .when(|call| call.attempt == 1)
            .drops_connection();
    });
    let error = create(&client)
        .send()
        .await
        .expect_err("the body may have reached the server");
    assert!(
        matches!(error, Error::Transport { attempts: 1, .. }),
        "{error:?}"
    );
    let calls = fake.create_identifier().calls();
    assert_eq!(attempts(calls), [(1, 0)]);
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
        .access_token(TOKEN)
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
