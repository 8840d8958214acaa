//! Error answers: every documented error status of every operation is an `Error::Api` with its
//! problem document, and an error body that is not a problem document is kept as an excerpt.

use serde_json::json;
use upvest::{Client, Error};
use wiremock::ResponseTemplate;

use crate::support::*;

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
            Op::List | Op::Create => list_path(),
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
// Problem documents
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
// Bodies that are not problem documents
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
