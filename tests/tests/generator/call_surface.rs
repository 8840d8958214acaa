//! The generated builders' call surface (issue 11, items 1 and 2) through the `upvest` crate:
//! `.customize(..)` reaches the wire for one call only, and interceptors see the operation's
//! path template as the description writes it, from the generated code. The runtime's own unit
//! tests (`runtime/src/client/{request,intercept}.rs`) cover the rest on a loopback server.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use upvest::client::{AttemptContext, Reply};
use upvest::uuid::{uuid, Uuid};
use upvest::{Client, Config, Error, Interceptor, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const USER_ID: Uuid = uuid!("f10c5772-ef2f-4993-a20d-0fc50809346a");

fn config(base_url: &str) -> upvest::ConfigBuilder {
    Config::builder()
        .base_url(base_url)
        .client_id("ffa6d3d7-696d-42c6-95fc-640c6e02ce00")
        .access_token("token")
        .retry_policy(RetryPolicy::none())
}

#[tokio::test]
async fn customize_sets_headers_and_a_timeout_for_one_call() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/users/{USER_ID}/identifiers")))
        .and(header("x-correlation-id", "c-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri()).build().unwrap()).unwrap();
    let listed = client
        .list_user_identifiers(USER_ID)
        .customize(|o| o.header("x-correlation-id", "c-1"))
        .send()
        .await
        .unwrap();
    assert!(listed.data.data.is_empty());

    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(500)))
        .mount(&server)
        .await;
    let error = client
        .list_user_identifiers(USER_ID)
        .customize(|o| o.timeout(Duration::from_millis(50)))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");

    let refused = client
        .list_user_identifiers(USER_ID)
        .customize(|o| o.header("authorization", "Bearer someone-else"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::InvalidInput { .. }), "{refused:?}");
}

/// A test double: answers every call itself and remembers what it was asked.
#[derive(Default)]
struct Double(Mutex<Vec<String>>);

impl Interceptor for Double {
    fn before_send(
        &self,
        context: &AttemptContext<'_>,
        request: &mut upvest::reqwest::Request,
    ) -> Option<Reply> {
        self.0.lock().unwrap().push(format!(
            "{} {} {} {}",
            context.operation,
            context.method,
            context.path_template,
            request.url().path()
        ));
        Some(Reply::json(200, &json!({ "data": [] })).header("upvest-request-id", "double"))
    }
}

#[tokio::test]
async fn an_interceptor_sees_the_path_template_and_can_answer_without_the_network() {
    let double = Arc::new(Double::default());
    // Nothing listens there: only the double answers.
    let client = Client::new(
        config("http://127.0.0.1:9")
            .interceptor(double.clone())
            .build()
            .unwrap(),
    )
    .unwrap();
    let listed = client.list_user_identifiers(USER_ID).send().await.unwrap();
    assert_eq!(listed.request_id.as_deref(), Some("double"));
    assert_eq!(
        *double.0.lock().unwrap(),
        [format!(
            "list_user_identifiers GET /users/{{user_id}}/identifiers /users/{USER_ID}/identifiers"
        )]
    );
}
