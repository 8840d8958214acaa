//! Hooks and observability: [`Interceptor`]s registered on the [`Config`](super::Config) see
//! every attempt before it is sent and every response after it arrives, and each operation call
//! runs in a `tracing` span.
//!
//! The span is named `upvest.operation`, at `INFO` level, with the fields `operation` (the
//! operationId), `method`, `path` (the path template, `/users/{user_id}`), and, as they become
//! known, `attempt` (1 for the first send), `status` and `request_id` (the `upvest-request-id`
//! header). The access token request, when the client fetches one, has a span of its own inside
//! the call's. The client's log events (`sending`, `retrying`) are emitted inside the span.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::transport::Failure;
use super::{Client, Request};

/// A hook into every call a client makes: for metrics, audit logs, extra headers, or a test
/// double that answers without the network.
///
/// Register it with [`ConfigBuilder::interceptor`](super::ConfigBuilder::interceptor); several
/// run in the order they were registered. Every method has a default that does nothing.
///
/// ```ignore
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use upvest::client::{AttemptContext, Interceptor, ResponseInfo};
///
/// /// Counts error responses.
/// #[derive(Default)]
/// struct ErrorCount(AtomicU64);
///
/// impl Interceptor for ErrorCount {
///     fn after_response(&self, context: &AttemptContext<'_>, response: &ResponseInfo<'_>) {
///         if response.status >= 400 {
///             self.0.fetch_add(1, Ordering::Relaxed);
///             eprintln!("{} answered {}", context.operation, response.status);
///         }
///     }
/// }
///
/// let config = upvest::Config::builder()
///     .client_id("ebabcf4d-61c3-4942-875c-e265a7c2d062")
///     .access_token("...")
///     .interceptor(ErrorCount::default())
///     .build()?;
/// # Ok::<(), upvest::Error>(())
/// ```
pub trait Interceptor: Send + Sync + 'static {
    /// Called before each attempt is sent, with the request as it goes on the wire (signed,
    /// with its token). Adding headers is safe; changing the method, the URL, the body or a
    /// signed header makes Upvest reject the signature.
    ///
    /// Returning a [`Reply`] answers the attempt without the network (a test double): the
    /// client then treats the reply as the server's response (decoding, retries and errors
    /// alike), and the interceptors registered after this one do not see the request.
    fn before_send(
        &self,
        context: &AttemptContext<'_>,
        request: &mut reqwest::Request,
    ) -> Option<Reply> {
        let _ = (context, request);
        None
    }

    /// Called when an attempt got a response (an answer of a [`before_send`](Self::before_send)
    /// included), success or not, before its body is read.
    fn after_response(&self, context: &AttemptContext<'_>, response: &ResponseInfo<'_>) {
        let _ = (context, response);
    }

    /// Called when an attempt got no response: it could not connect, timed out, or the
    /// connection broke.
    fn after_transport_error(&self, context: &AttemptContext<'_>, error: &reqwest::Error) {
        let _ = (context, error);
    }
}

/// An interceptor the caller keeps a handle on (to read what it recorded) is registered as an
/// `Arc`.
impl<T: Interceptor + ?Sized> Interceptor for Arc<T> {
    fn before_send(
        &self,
        context: &AttemptContext<'_>,
        request: &mut reqwest::Request,
    ) -> Option<Reply> {
        (**self).before_send(context, request)
    }

    fn after_response(&self, context: &AttemptContext<'_>, response: &ResponseInfo<'_>) {
        (**self).after_response(context, response)
    }

    fn after_transport_error(&self, context: &AttemptContext<'_>, error: &reqwest::Error) {
        (**self).after_transport_error(context, error)
    }
}

/// Which call and which attempt an [`Interceptor`] is called for.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct AttemptContext<'a> {
    /// The operationId, `list_user_identifiers` (`issue_token` for the access token request).
    pub operation: &'a str,
    /// The HTTP method.
    pub method: &'a reqwest::Method,
    /// The path as the description writes it, `/users/{user_id}/identifiers`.
    pub path_template: &'a str,
    /// The attempt: 1 for the first send, 2 for the first retry, ...
    pub attempt: u32,
}

/// What an [`Interceptor`] sees of a response.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (`upvest-request-id`, `retry-after`, ...).
    pub headers: &'a HeaderMap,
    /// The time from sending the attempt to its response headers.
    pub elapsed: Duration,
}

impl ResponseInfo<'_> {
    /// The `upvest-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get("upvest-request-id")
            .and_then(|v| v.to_str().ok())
    }
}

/// A response made up by an [`Interceptor`] (a test double) instead of one from the network.
///
/// ```ignore
/// use upvest::client::Reply;
///
/// let reply = Reply::json(200, &serde_json::json!({ "data": [] }))
///     .header("upvest-request-id", "test-1");
/// # let _ = reply;
/// ```
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
    /// How long the answer takes to come, as from a slow server.
    delay: Option<Duration>,
}

impl Reply {
    /// An empty response with this status.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body: bytes::Bytes::new(),
            delay: None,
        }
    }

    /// A response with this status and a JSON body (`content-type: application/json`).
    pub fn json<T: serde::Serialize + ?Sized>(status: u16, body: &T) -> Self {
        Self::new(status)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap_or_default())
    }

    /// A further header; an invalid name or value is left out.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.append(name, value);
        }
        self
    }

    /// The body.
    pub fn body(mut self, body: impl Into<bytes::Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body as set.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The answer comes after this delay, as from a slow server: the attempt's timeout applies
    /// (a delay as long as the timeout or longer makes the attempt time out, and the client
    /// retries as its policy says).
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The delay set with [`delayed`](Self::delayed).
    pub fn delay(&self) -> Option<Duration> {
        self.delay
    }

    /// The reply as the response, after its delay; an attempt whose `timeout` runs out first
    /// times out, as one waiting on a slow server does.
    async fn arrive(self, timeout: Option<Duration>) -> Result<reqwest::Response, Failure> {
        if let Some(delay) = self.delay {
            match timeout {
                Some(timeout) if delay >= timeout => {
                    tokio::time::sleep(timeout).await;
                    return Err(Failure::TimedOut);
                }
                _ => tokio::time::sleep(delay).await,
            }
        }
        Ok(self.into_response())
    }

    fn into_response(self) -> reqwest::Response {
        let mut response = http::Response::new(self.body);
        *response.status_mut() =
            http::StatusCode::from_u16(self.status).unwrap_or(http::StatusCode::BAD_GATEWAY);
        *response.headers_mut() = self.headers;
        reqwest::Response::from(response)
    }
}

/// The interceptors of a configuration, in registration order.
#[derive(Clone, Default)]
pub(super) struct Interceptors(pub(super) Vec<Arc<dyn Interceptor>>);

impl fmt::Debug for Interceptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} interceptor(s)", self.0.len())
    }
}

impl Request {
    /// The span of one operation call; `attempt`, `status` and `request_id` are recorded as
    /// they become known.
    pub(super) fn span(&self) -> tracing::Span {
        tracing::info_span!(
            "upvest.operation",
            operation = self.operation,
            method = %self.method,
            path = %self.template(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        )
    }

    fn template(&self) -> String {
        if self.path_template.is_empty() {
            format!("/{}", self.segments.join("/"))
        } else {
            self.path_template.to_string()
        }
    }
}

impl Client {
    /// Sends one attempt through the interceptors: a [`Reply`] from one of them stands in for
    /// the network. Runs inside the call's span, where it records the attempt and its outcome.
    pub(super) async fn dispatch(
        &self,
        request: &Request,
        attempt: u32,
        mut http_request: reqwest::Request,
    ) -> Result<reqwest::Response, Failure> {
        let span = tracing::Span::current();
        span.record("attempt", attempt);
        let template = request.template();
        let context = AttemptContext {
            operation: request.operation,
            method: &request.method,
            path_template: &template,
            attempt,
        };
        let interceptors = &self.inner.config.interceptors.0;
        let started = Instant::now();
        let reply = interceptors
            .iter()
            .find_map(|i| i.before_send(&context, &mut http_request));
        let outcome = match reply {
            Some(reply) => reply.arrive(http_request.timeout().copied()).await,
            None => self
                .inner
                .http
                .execute(http_request)
                .await
                .map_err(Failure::Transport),
        };
        match &outcome {
            Ok(response) => {
                let info = ResponseInfo {
                    status: response.status().as_u16(),
                    headers: response.headers(),
                    elapsed: started.elapsed(),
                };
                span.record("status", info.status);
                if let Some(id) = info.request_id() {
                    span.record("request_id", id);
                }
                for interceptor in interceptors {
                    interceptor.after_response(&context, &info);
                }
            }
            Err(Failure::Transport(error)) => {
                for interceptor in interceptors {
                    interceptor.after_transport_error(&context, error);
                }
            }
            // A made-up answer that came too late: no transport error to show.
            Err(_) => {}
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing_subscriber::layer::{Context, SubscriberExt as _};
    use tracing_subscriber::Layer;
    use wiremock::matchers::{header, method};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::client::{Config, RetryPolicy};

    /// Records what each interceptor call saw.
    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);

    struct Recorder(Arc<Log>, Option<Reply>);

    impl Interceptor for Recorder {
        fn before_send(
            &self,
            context: &AttemptContext<'_>,
            request: &mut reqwest::Request,
        ) -> Option<Reply> {
            request
                .headers_mut()
                .insert("x-audit", HeaderValue::from_static("on"));
            self.0 .0.lock().unwrap().push(format!(
                "before {} {} {} #{} auth={}",
                context.operation,
                context.method,
                context.path_template,
                context.attempt,
                request.headers().contains_key("authorization"),
            ));
            self.1.clone()
        }

        fn after_response(&self, context: &AttemptContext<'_>, response: &ResponseInfo<'_>) {
            self.0 .0.lock().unwrap().push(format!(
                "after {} #{} {} {:?}",
                context.operation,
                context.attempt,
                response.status,
                response.request_id(),
            ));
        }

        fn after_transport_error(&self, context: &AttemptContext<'_>, _: &reqwest::Error) {
            self.0
                 .0
                .lock()
                .unwrap()
                .push(format!("failed {} #{}", context.operation, context.attempt));
        }
    }

    fn request() -> Request {
        let mut request = Request::new("get_user", reqwest::Method::GET);
        request.path_template("/users/{user_id}");
        request.segment("users");
        request.path_param(&"u1").unwrap();
        request
    }

    fn client(base_url: &str, interceptor: Recorder) -> Client {
        let config = Config::builder()
            .base_url(base_url)
            .client_id("tenant")
            .access_token("token")
            .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
            .interceptor(interceptor)
            .build()
            .unwrap();
        Client::new(config).unwrap()
    }

    #[tokio::test]
    async fn interceptors_see_and_change_each_attempt_and_see_each_response() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(header("x-audit", "on"))
            .respond_with(ResponseTemplate::new(503).insert_header("upvest-request-id", "r1"))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(header("x-audit", "on"))
            .respond_with(ResponseTemplate::new(204).insert_header("upvest-request-id", "r2"))
            .mount(&server)
            .await;
        let log = Arc::new(Log::default());
        let client = client(&server.uri(), Recorder(log.clone(), None));
        client.send_empty(request()).await.unwrap();
        assert_eq!(
            *log.0.lock().unwrap(),
            [
                "before get_user GET /users/{user_id} #1 auth=true",
                "after get_user #1 503 Some(\"r1\")",
                "before get_user GET /users/{user_id} #2 auth=true",
                "after get_user #2 204 Some(\"r2\")",
            ]
        );
        // `x-audit` added after signing: it reached the server.
        assert_eq!(server.received_requests().await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_reply_answers_without_the_network() {
        // Nothing listens on port 9 of the loopback: a request sent there would fail.
        let log = Arc::new(Log::default());
        let reply = Reply::json(200, &serde_json::json!({ "id": "u1" }))
            .header("upvest-request-id", "fake");
        let answered = client("http://127.0.0.1:9", Recorder(log.clone(), Some(reply)));
        let response = answered
            .send_json::<serde_json::Value>(request())
            .await
            .unwrap();
        assert_eq!(response.data["id"], "u1");
        assert_eq!(response.request_id.as_deref(), Some("fake"));
        // An error status from a double is an `Error::Api` like any other.
        let log = Arc::new(Log::default());
        let double = client(
            "http://127.0.0.1:9",
            Recorder(log.clone(), Some(Reply::json(404, &serde_json::json!({})))),
        );
        let error = double.send_empty(request()).await.unwrap_err();
        assert_eq!(error.as_api().map(|e| e.status), Some(404));
    }

    #[tokio::test]
    async fn transport_errors_reach_the_interceptors() {
        let log = Arc::new(Log::default());
        let config = Config::builder()
            .base_url("http://127.0.0.1:9")
            .client_id("tenant")
            .retry_policy(RetryPolicy::none())
            .interceptor(Recorder(log.clone(), None))
            .build()
            .unwrap();
        let client = Client::new(config).unwrap();
        client.send_empty(request()).await.unwrap_err();
        assert_eq!(
            *log.0.lock().unwrap(),
            [
                "before get_user GET /users/{user_id} #1 auth=false",
                "failed get_user #1"
            ]
        );
    }

    /// Collects the fields of every `upvest.operation` span.
    #[derive(Clone, Default)]
    struct Spans(Arc<Mutex<BTreeMap<u64, BTreeMap<String, String>>>>);

    struct Fields<'a>(&'a mut BTreeMap<String, String>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.insert(field.name().into(), format!("{value:?}"));
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.insert(field.name().into(), value.into());
        }
    }

    impl<S: tracing::Subscriber> Layer<S> for Spans {
        fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
            if attrs.metadata().name() == "upvest.operation" {
                let mut spans = self.0.lock().unwrap();
                attrs.record(&mut Fields(spans.entry(id.into_u64()).or_default()));
            }
        }
        fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
            if let Some(fields) = self.0.lock().unwrap().get_mut(&id.into_u64()) {
                values.record(&mut Fields(fields));
            }
        }
    }

    #[tokio::test]
    async fn each_call_has_a_span_with_its_operation_attempt_status_and_request_id() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(204).insert_header("upvest-request-id", "req-7"))
            .mount(&server)
            .await;
        let spans = Spans::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        // Whether a callsite is of interest is cached for every thread: with no global
        // subscriber, a test on another thread can cache "never" for the span while this one
        // installs its own (a race in tracing's callsite cache). A global registry, interested
        // in everything and printing nothing, keeps the span's callsite live.
        static GLOBAL: std::sync::Once = std::sync::Once::new();
        GLOBAL.call_once(|| {
            let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry());
        });
        let _guard = tracing::subscriber::set_default(subscriber);
        let client = client(&server.uri(), Recorder(Arc::default(), None));
        client.send_empty(request()).await.unwrap();
        let spans = spans.0.lock().unwrap();
        let fields: Vec<_> = spans.values().collect();
        assert_eq!(fields.len(), 1, "{fields:?}");
        let expected: BTreeMap<String, String> = [
            ("operation", "get_user"),
            ("method", "GET"),
            ("path", "/users/{user_id}"),
            ("attempt", "2"),
            ("status", "204"),
            ("request_id", "req-7"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(fields[0], &expected);
    }
}
