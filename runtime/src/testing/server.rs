//! The fake Upvest served on loopback (`127.0.0.1`, a port of the system's choosing): the
//! client's real HTTP stack, connection handling, signing and retries run end to end, and a
//! rule can drop a connection. The same engine answers as in process (`fake.rs`).

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

use super::fake::{answer_served, credentials_config, Answer, Fake};
use crate::client::{AttemptContext, Client, ConfigBuilder, Interceptor, Reply};

/// The header a served fake's client stamps each attempt's number on (the wire does not say
/// which attempt a request is); the fake reads it and does not record it.
pub(super) const ATTEMPT_HEADER: &str = "x-fake-upvest-attempt";

/// A [`Fake`] served on `127.0.0.1`: [`Fake::serve`]. Its rules, calls and store are the
/// fake's. Dropping it stops the server; after [`Fake::strict`], it then fails the test if the
/// fake rejected a request.
pub struct Served {
    fake: Fake,
    url: String,
    task: tokio::task::JoinHandle<()>,
    /// Why a strict fake rejected requests (a panic in the server's task would only close the
    /// connection).
    failures: Arc<Mutex<Vec<String>>>,
}

impl fmt::Debug for Served {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Served").field("url", &self.url).finish()
    }
}

impl Fake {
    /// Serves this fake on `127.0.0.1` (a free port): a client of [`Served::config`] talks to it
    /// over HTTP, as to Upvest. Call it inside a Tokio runtime (`#[tokio::test]`).
    ///
    /// # Errors
    ///
    /// When no loopback port can be bound.
    pub fn serve(&self) -> std::io::Result<Served> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let url = format!("http://{}", listener.local_addr()?);
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let failures = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn(accept(self.clone(), listener, failures.clone()));
        Ok(Served {
            fake: self.clone(),
            url,
            task,
            failures,
        })
    }
}

impl Served {
    /// The base URL: `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A configuration that sends to the served fake over HTTP, with the fake's client
    /// credentials (every scope its operations need) and quick retries. Add to it (a signing
    /// key, timeouts) before `build()`.
    pub fn config(&self) -> ConfigBuilder {
        credentials_config(&self.fake, &self.url, StampAttempt)
    }

    /// A client that sends to the served fake ([`config`](Self::config), built).
    ///
    /// # Panics
    ///
    /// Never for the fake's own configuration.
    pub fn client(&self) -> Client {
        let config = self
            .config()
            .build()
            .expect("the fake's configuration is valid");
        Client::new(config).expect("a client without TLS settings builds")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
        let failures =
            std::mem::take(&mut *self.failures.lock().unwrap_or_else(|e| e.into_inner()));
        if !failures.is_empty() && !std::thread::panicking() {
            panic!("{}", failures.join("\n"));
        }
    }
}

/// Stamps each attempt's number on the request (after signing: not a signed header).
struct StampAttempt;

impl Interceptor for StampAttempt {
    fn before_send(
        &self,
        context: &AttemptContext<'_>,
        request: &mut reqwest::Request,
    ) -> Option<Reply> {
        request
            .headers_mut()
            .insert(ATTEMPT_HEADER, http::HeaderValue::from(context.attempt));
        None
    }
}

async fn accept(fake: Fake, listener: tokio::net::TcpListener, failures: Arc<Mutex<Vec<String>>>) {
    while let Ok((stream, _)) = listener.accept().await {
        let fake = fake.clone();
        let failures = failures.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let fake = fake.clone();
                let failures = failures.clone();
                async move { respond(&fake, request, &failures).await }
            });
            // A dropped connection ends here with an error: what the rule asked for.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The answer to one request; an error closes the connection unanswered.
async fn respond(
    fake: &Fake,
    request: hyper::Request<hyper::body::Incoming>,
    failures: &Mutex<Vec<String>>,
) -> Result<hyper::Response<Full<Bytes>>, DroppedConnection> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let attempt = parts
        .headers
        .get(ATTEMPT_HEADER)
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .unwrap_or(1);
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let mut request = http::Request::from_parts(parts, body);
    *request.uri_mut() = format!("http://fake.invalid{path}")
        .parse()
        .unwrap_or_default();
    request.headers_mut().remove(ATTEMPT_HEADER);
    let reply = match reqwest::Request::try_from(request) {
        Ok(request) => {
            let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                answer_served(fake, attempt, &request)
            }));
            match answered {
                Ok(Answer::Reply(reply)) => {
                    if let Some(delay) = reply.delay() {
                        tokio::time::sleep(delay).await;
                    }
                    reply
                }
                Ok(Answer::Drop(delay)) => {
                    if let Some(delay) = delay {
                        tokio::time::sleep(delay).await;
                    }
                    return Err(DroppedConnection);
                }
                // A strict fake's rejection: the test fails when the server is dropped.
                Err(panic) => {
                    let reason = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "the fake Upvest panicked".into());
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(reason.clone());
                    Reply::new(500).body(reason)
                }
            }
        }
        Err(e) => Reply::new(400).body(e.to_string()),
    };
    let mut response = hyper::Response::new(Full::new(Bytes::copy_from_slice(reply.body_bytes())));
    *response.status_mut() =
        http::StatusCode::from_u16(reply.status()).unwrap_or(http::StatusCode::BAD_GATEWAY);
    *response.headers_mut() = reply.headers().clone();
    Ok(response)
}

/// What a dropped connection's service answers: hyper closes the connection.
#[derive(Debug)]
struct DroppedConnection;

impl fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the fake Upvest dropped the connection")
    }
}

impl std::error::Error for DroppedConnection {}

#[cfg(test)]
mod tests {
    use super::super::{Fake, Thing};
    use crate::client::Request;
    use crate::error::ErrorStatus;

    fn retrieve(id: &str) -> Request {
        let mut request = Request::new("retrieve_thing", reqwest::Method::GET);
        request.segment("things");
        request.path_param(&id).unwrap();
        request
    }

    fn create(name: &str) -> Request {
        let mut request = Request::new("create_thing", reqwest::Method::POST);
        request.segment("things");
        request.idempotency_key(&"k").unwrap();
        let thing = Thing {
            id: uuid::Uuid::from_u128(7),
            name: name.into(),
        };
        request.json_body(&thing).unwrap();
        request
    }

    #[tokio::test]
    async fn a_client_of_the_loopback_url_is_answered_over_http() {
        let fake = Fake::new();
        fake.strict();
        let served = fake.serve().unwrap();
        assert!(served.url().starts_with("http://127.0.0.1:"), "{served:?}");
        let client = served.client();
        let created = client.send_json::<Thing>(create("Ada")).await.unwrap();
        assert_eq!(created.status, 201);
        let id = created.data.id.to_string();
        let read = client.send_json::<Thing>(retrieve(&id)).await.unwrap();
        assert_eq!(read.data, created.data);
        let calls = fake.retrieve_thing().calls();
        assert_eq!((calls.len(), calls[0].attempt), (1, 1));
        assert_eq!(calls[0].path_param("thing_id"), Some(id.as_str()));
        // The attempt's stamp is not part of what the test reads.
        assert!(calls[0].header(super::ATTEMPT_HEADER).is_none());
        // The token request went over the wire too.
        assert!(fake.calls().len() >= 2);
    }

    #[tokio::test]
    async fn a_busy_upvest_and_a_dropped_connection_are_retried_over_http() {
        let fake = Fake::new();
        let served = fake.serve().unwrap();
        let client = served.client();
        let id = "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d";
        fake.retrieve_thing()
            .fails(ErrorStatus::ServiceUnavailable)
            .drops_connection()
            .returns(Thing {
                id: uuid::Uuid::from_u128(1),
                name: "third".into(),
            });
        let read = client.send_json::<Thing>(retrieve(id)).await.unwrap();
        assert_eq!(read.data.name, "third");
        let attempts: Vec<(u32, u16)> = fake
            .retrieve_thing()
            .calls()
            .iter()
            .map(|c| (c.attempt, c.status))
            .collect();
        // The dropped attempt has no status: nothing was answered.
        assert_eq!(attempts, [(1, 503), (2, 0), (3, 200)]);
    }

    #[tokio::test]
    async fn a_slow_answer_times_out_over_http_and_is_retried() {
        use crate::client::{Client, RetryPolicy};
        use crate::error::Error;
        use std::time::Duration;
        let fake = Fake::new();
        let served = fake.serve().unwrap();
        // Far longer than a loopback exchange takes, far shorter than the delay.
        let timeout = Duration::from_secs(1);
        let delay = Duration::from_secs(600);
        let client = Client::new(served.config().timeout(timeout).build().unwrap()).unwrap();
        let id = "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d";
        fake.retrieve_thing()
            .returns(Thing {
                id: uuid::Uuid::from_u128(1),
                name: "slow".into(),
            })
            .delays(delay)
            .returns(Thing {
                id: uuid::Uuid::from_u128(2),
                name: "quick".into(),
            });
        let read = client.send_json::<Thing>(retrieve(id)).await.unwrap();
        assert_eq!(read.data.name, "quick");
        let attempts: Vec<u32> = fake
            .retrieve_thing()
            .calls()
            .iter()
            .map(|c| c.attempt)
            .collect();
        assert_eq!(attempts, [1, 2]);
        // Without retries, the client's own HTTP timeout is the error.
        fake.reset();
        fake.retrieve_thing().delays(delay);
        let once = served
            .config()
            .timeout(timeout)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let error = Client::new(once)
            .unwrap()
            .send_json::<Thing>(retrieve(id))
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Timeout {
                    source: Some(_),
                    attempts: 1
                }
            ),
            "{error:?}"
        );
        assert_eq!(fake.retrieve_thing().calls().len(), 1);
    }

    #[tokio::test]
    #[should_panic(expected = "rejected `retrieve_thing` (attempt 1) with 400")]
    async fn a_strict_served_fake_fails_the_test_when_dropped() {
        let fake = Fake::new();
        fake.strict();
        let served = fake.serve().unwrap();
        let error = served
            .client()
            .send_json::<Thing>(retrieve("not-a-uuid"))
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(500));
        drop(served);
    }
}
