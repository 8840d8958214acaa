//! Access tokens: a fixed one from the configuration, or OAuth2 client credentials fetched from
//! `POST /auth/token`, cached, and refreshed shortly before they expire.
//!
//! Under load: one fetch runs at a time, and its outcome, a token or an error, goes to every
//! call that waits for it (a failing token endpoint sees one request for N concurrent calls, not
//! N). A call waits for a fetch no longer than its own timeout (then it fails with
//! [`Error::Auth`] wrapping [`Error::Timeout`]); the fetch itself is bounded by the same timeout
//! per attempt and by the retry policy, and a call that comes later joins it if it is still
//! under way.
//!
//! The fetch runs as a task of its own: it finishes whether or not anyone still waits for it,
//! and settles the cache itself. A token it brings is cached with its lifetime counted from
//! when the fetch was started (the token cannot be older than that), not from when a caller
//! picks it up; a failure is not remembered: the next call starts a new fetch.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::{FutureExt as _, Shared};
use tokio::time::Instant;

use super::config::Credentials;
use super::response::decode;
use super::{BoxFuture, Client, ClientInner, Request, Secret};
use crate::error::Error;

/// The path of Upvest's token endpoint.
pub const TOKEN_PATH: &str = "/auth/token";

/// A token is refreshed this long before it expires, unless configured otherwise.
pub(crate) const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Where a request's bearer token comes from.
#[derive(Debug)]
pub(crate) enum Auth {
    /// No `authorization` header.
    None,
    /// The configured token, as is.
    Fixed(Secret),
    /// OAuth2 client credentials.
    ClientCredentials(TokenCache),
}

/// The cached token, and the fetch under way that every caller shares.
#[derive(Debug)]
pub(crate) struct TokenCache {
    /// Shared with the fetch task, which stores its outcome here when it ends.
    state: Arc<Mutex<State>>,
    margin: Duration,
}

#[derive(Debug, Default)]
struct State {
    current: Option<CachedToken>,
    /// The fetch under way; cleared by its task when it ends, however it ends.
    fetching: Option<SharedFetch>,
}

/// A fetch's outcome, shared by all its waiters (an error is not `Clone`, hence the `Arc`).
type Outcome = Result<TokenResponse, Arc<Error>>;

/// A token fetch any number of callers can wait for.
#[derive(Clone)]
struct SharedFetch(Shared<BoxFuture<'static, Outcome>>);

impl std::fmt::Debug for SharedFetch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedFetch")
    }
}

#[derive(Debug, Clone)]
struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// The body of a token response.
#[derive(serde::Deserialize, Clone)]
pub(crate) struct TokenResponse {
    pub(crate) access_token: Secret,
    #[serde(default)]
    pub(crate) expires_in: Option<serde_json::Value>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl TokenResponse {
    /// `expires_in` as a number or a numeric string; an hour when missing or not a number.
    fn lifetime(&self) -> Duration {
        let seconds = match &self.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        // `"NaN"` parses as an `f64`, and `Duration::from_secs_f64` panics on it.
        let seconds = seconds.filter(|s| !s.is_nan()).unwrap_or(3600.0);
        Duration::from_secs_f64(seconds.clamp(0.0, 1e9))
    }
}

impl TokenCache {
    pub(crate) fn new(margin: Duration) -> Self {
        Self {
            state: Arc::new(Mutex::new(State::default())),
            margin,
        }
    }

    /// A usable token: the cached one (if fresh and not `rejected`, the one the server just
    /// refused), else the outcome of the fetch under way or of a new one started with `start`.
    /// Waits at most `timeout`; giving up leaves the fetch running for whoever comes next.
    pub(crate) async fn token<F>(
        &self,
        rejected: Option<&Secret>,
        timeout: Duration,
        start: F,
    ) -> Result<Secret, Error>
    where
        F: FnOnce() -> BoxFuture<'static, Outcome>,
    {
        let fetch = {
            let mut state = lock(&self.state);
            if let Some(cached) = &state.current {
                if Instant::now() < cached.refresh_at && Some(&cached.token) != rejected {
                    return Ok(cached.token.clone());
                }
            }
            match &state.fetching {
                Some(fetch) => fetch.clone(),
                None => {
                    tracing::debug!("fetching an access token");
                    let fetch = self.spawn_fetch(start());
                    state.fetching = Some(fetch.clone());
                    fetch
                }
            }
        };
        match tokio::time::timeout(timeout, fetch.0).await {
            Ok(outcome) => outcome.map(|r| r.access_token).map_err(Error::Auth),
            Err(_) => {
                tracing::debug!("gave up waiting for an access token");
                Err(Error::Auth(Arc::new(Error::Timeout {
                    source: None,
                    attempts: 0,
                })))
            }
        }
    }

    /// Runs `fetch` as a task of its own, which caches the token it brings (and clears the
    /// fetch, whatever its outcome) before any waiter sees the outcome. Called with the state
    /// locked, so the task cannot end before the fetch is recorded as under way.
    fn spawn_fetch(&self, fetch: BoxFuture<'static, Outcome>) -> SharedFetch {
        let requested_at = Instant::now();
        let margin = self.margin;
        let ending = FetchEnd(Arc::clone(&self.state));
        let task = tokio::spawn(async move {
            let outcome = fetch.await;
            if let Ok(response) = &outcome {
                let lifetime = response.lifetime();
                let margin = margin.min(lifetime / 2);
                lock(&ending.0).current = Some(CachedToken {
                    token: response.access_token.clone(),
                    refresh_at: requested_at + lifetime.saturating_sub(margin),
                });
                tracing::debug!(lifetime_s = lifetime.as_secs(), "access token cached");
            }
            drop(ending);
            outcome
        });
        let outcome = async move {
            // The task panicked, or its runtime shut down: its `FetchEnd` cleared the fetch.
            task.await.unwrap_or_else(|_| {
                Err(Arc::new(Error::Config(
                    "internal: the token fetch ended without an outcome".into(),
                )))
            })
        };
        SharedFetch(outcome.boxed().shared())
    }

    /// Forgets `token` if it is the cached one (the server refused it).
    pub(crate) fn reject(&self, token: &Secret) {
        let mut state = lock(&self.state);
        if state.current.as_ref().is_some_and(|c| &c.token == token) {
            state.current = None;
        }
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    // The lock is never held across an await nor while user code runs: a poisoned one still
    // holds consistent data.
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Clears the fetch under way when its task ends, also by a panic or by its runtime shutting
/// down: a fetch left marked as running would hand its stale outcome to every later call.
struct FetchEnd(Arc<Mutex<State>>);

impl Drop for FetchEnd {
    fn drop(&mut self) {
        lock(&self.0).fetching = None;
    }
}

impl Client {
    pub(super) fn refreshable(&self, request: &Request) -> bool {
        request.authorized && matches!(self.inner.auth, Auth::ClientCredentials(_))
    }

    /// The bearer token for a request: none, the fixed one, or a cached or fresh OAuth2 token
    /// (never `rejected`, the one the server just refused).
    pub(super) async fn bearer(
        &self,
        request: &Request,
        rejected: Option<Secret>,
    ) -> Result<Option<Secret>, Error> {
        if !request.authorized {
            return Ok(None);
        }
        match &self.inner.auth {
            Auth::None => Ok(None),
            Auth::Fixed(token) => Ok(Some(token.clone())),
            Auth::ClientCredentials(cache) => {
                // The call's own timeout (`.customize(..)`), else the configured one.
                let timeout = request.timeout.unwrap_or(self.inner.config.timeout);
                cache
                    .token(rejected.as_ref(), timeout, || self.start_fetch())
                    .await
                    .map(Some)
            }
        }
    }

    /// Forgets a token the server refused, so that the next call fetches another.
    pub(super) fn reject_token(&self, token: Option<&Secret>) {
        if let (Auth::ClientCredentials(cache), Some(token)) = (&self.inner.auth, token) {
            cache.reject(token);
        }
    }

    /// A token fetch that owns what it needs: it outlives the caller that started it (the
    /// callers share it) and holds a client of its own without the token cache, so the cache
    /// does not hold itself. Boxed: fetching a token sends a request through `execute`, which
    /// may itself need a token, and a boxed future breaks that cycle.
    fn start_fetch(&self) -> BoxFuture<'static, Outcome> {
        let fetcher = Client {
            inner: Arc::new(ClientInner {
                http: self.inner.http.clone(),
                config: self.inner.config.clone(),
                auth: Auth::None,
            }),
        };
        Box::pin(async move { fetcher.fetch_token().await.map_err(Arc::new) })
    }

    /// `POST /auth/token` with the client credentials.
    async fn fetch_token(&self) -> Result<TokenResponse, Error> {
        let config = &self.inner.config;
        let Credentials::ClientSecret(secret) = &config.credentials else {
            return Err(Error::Config("no client secret configured".into()));
        };
        let mut request = Request::new("issue_token", reqwest::Method::POST);
        request.segment("auth");
        request.segment("token");
        request.authorized = false;
        request.secret_response = true;
        // Issuing a token twice does no harm: the request may be repeated.
        request.idempotent = true;
        let scope = config.scopes.join(" ");
        let form = [
            ("client_id", config.client_id.as_str()),
            ("client_secret", secret.expose()),
            ("grant_type", "client_credentials"),
            ("scope", scope.as_str()),
        ];
        request.form_body(&form)?;
        let raw = self.execute(&request, false).await?;
        decode(&raw, true)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use futures_util::future::join_all;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::super::test_server::{hang, read_head, serve};
    use super::super::{Client, Config, Request, RetryPolicy};
    use crate::error::Error;

    const SECRET: &str = "client-secret-s3cr3t";

    fn oauth(url: &str) -> crate::client::ConfigBuilder {
        Config::builder()
            .base_url(url)
            .client_id("client-1")
            .client_secret(SECRET)
            .scopes(["users:read"])
    }

    fn list() -> Request {
        let mut request = Request::new("list_users", reqwest::Method::GET);
        request.segment("users");
        request
    }

    async fn token_requests(server: &MockServer) -> usize {
        let requests = server.received_requests().await.unwrap();
        requests
            .iter()
            .filter(|r| r.url.path() == "/auth/token")
            .count()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_hanging_token_endpoint_keeps_no_call_past_its_own_timeout() {
        let (url, connections) = serve(|_, mut stream| async move {
            read_head(&mut stream).await;
            hang().await;
        })
        .await;
        // The fetch may retry its timed-out attempt, but not before every call has given up.
        let policy = RetryPolicy::default().initial_backoff(Duration::from_secs(4));
        let client = Client::new(
            oauth(&url)
                .timeout(Duration::from_millis(500))
                .retry_policy(policy)
                .build()
                .unwrap(),
        )
        .unwrap();
        let calls = (0..10).map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let outcome = client.send_json::<serde_json::Value>(list()).await;
                (started.elapsed(), outcome)
            })
        });
        for call in join_all(calls).await {
            let (elapsed, outcome) = call.unwrap();
            assert!(
                elapsed < Duration::from_secs(2),
                "a call waited {elapsed:?}"
            );
            let error = outcome.unwrap_err();
            let Error::Auth(inner) = &error else {
                panic!("expected Error::Auth, got {error:?}")
            };
            assert!(matches!(**inner, Error::Timeout { .. }), "{inner:?}");
        }
        // One fetch for all ten calls, not one each, one after another.
        assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_token_fetch_is_shared_by_every_caller_waiting_for_it() {
        let server = MockServer::start().await;
        // The form comes back in the body, as some endpoints do: it must not reach the error.
        Mock::given(method("POST"))
            .and(path("/auth/token"))
            .respond_with(
                ResponseTemplate::new(500)
                    .set_delay(Duration::from_millis(500))
                    .set_body_raw(
                        format!("client_id=client-1&client_secret={SECRET}&grant_type=client_credentials"),
                        "text/plain",
                    ),
            )
            .mount(&server)
            .await;
        let client = Client::new(oauth(&server.uri()).build().unwrap()).unwrap();
        let calls = (0..10).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send_json::<serde_json::Value>(list()).await })
        });
        for call in join_all(calls).await {
            let error = call.unwrap().unwrap_err();
            assert!(matches!(error, Error::Auth(_)), "{error:?}");
            assert_eq!(error.status(), Some(500));
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(SECRET), "{shown}");
        }
        assert_eq!(token_requests(&server).await, 1);
        // A failure is not remembered: the next call fetches again.
        let _ = client.send_json::<serde_json::Value>(list()).await;
        assert_eq!(token_requests(&server).await, 2);
        // Nothing was sent to the operation without a token.
        let requests = server.received_requests().await.unwrap();
        assert!(requests.iter().all(|r| r.url.path() == "/auth/token"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_calls_share_one_token() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/auth/token"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_delay(Duration::from_millis(500))
                    .set_body_json(json!({ "access_token": "token-1", "expires_in": 3600 })),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "data": [] })))
            .mount(&server)
            .await;
        let client = Client::new(oauth(&server.uri()).build().unwrap()).unwrap();
        let calls = (0..10).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send_json::<serde_json::Value>(list()).await })
        });
        for call in join_all(calls).await {
            call.unwrap().unwrap();
        }
        assert_eq!(token_requests(&server).await, 1);
        let requests = server.received_requests().await.unwrap();
        let bearers = requests
            .iter()
            .filter(|r| r.url.path() == "/users")
            .filter(|r| r.headers.get("authorization").unwrap() == "Bearer token-1")
            .count();
        assert_eq!(bearers, 10);
    }

    /// A token endpoint handing out `token-1`, `token-2`, ... and an operation that refuses
    /// every token with 401.
    async fn refusing_server() -> MockServer {
        let server = MockServer::start().await;
        let issued = std::sync::atomic::AtomicUsize::new(0);
        Mock::given(method("POST"))
            .and(path("/auth/token"))
            .respond_with(move |_: &wiremock::Request| {
                let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                ResponseTemplate::new(200).set_body_json(
                    json!({ "access_token": format!("token-{n}"), "expires_in": 3600 }),
                )
            })
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/users"))
            .respond_with(ResponseTemplate::new(401))
            .mount(&server)
            .await;
        server
    }

    async fn sends(server: &MockServer) -> Vec<String> {
        let requests = server.received_requests().await.unwrap();
        requests
            .iter()
            .filter(|r| r.url.path() == "/users")
            .map(|r| {
                r.headers
                    .get("authorization")
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[tokio::test]
    async fn retry_policy_none_means_one_send_also_after_a_401() {
        let server = refusing_server().await;
        let config = oauth(&server.uri()).retry_policy(RetryPolicy::none());
        let client = Client::new(config.build().unwrap()).unwrap();
        let error = client
            .send_json::<serde_json::Value>(list())
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.attempts(), Some(1));
        assert_eq!(sends(&server).await, ["Bearer token-1"]);
        // The refused token is forgotten: the next call fetches another.
        let _ = client.send_json::<serde_json::Value>(list()).await;
        assert_eq!(sends(&server).await, ["Bearer token-1", "Bearer token-2"]);
    }

    #[tokio::test]
    async fn a_401_refreshes_the_token_and_sends_once_more_when_the_policy_allows() {
        let server = refusing_server().await;
        let client = Client::new(oauth(&server.uri()).build().unwrap()).unwrap();
        let error = client
            .send_json::<serde_json::Value>(list())
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.attempts(), Some(2));
        assert_eq!(sends(&server).await, ["Bearer token-1", "Bearer token-2"]);
    }
}
