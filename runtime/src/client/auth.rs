//! Access tokens: a fixed one from the configuration, or OAuth2 client credentials fetched from
//! `POST /auth/token`, cached, and refreshed shortly before they expire. Concurrent requests that
//! find the token missing or stale wait for one refresh instead of each fetching their own.

use std::time::Duration;

use tokio::sync::{Mutex, RwLock};
use tokio::time::Instant;

use super::config::Credentials;
use super::response::decode;
use super::{BoxFuture, Client, Request, Secret};
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

/// The cached token and the lock that makes refreshes single-flight.
#[derive(Debug)]
pub(crate) struct TokenCache {
    current: RwLock<Option<CachedToken>>,
    refresh: Mutex<()>,
    margin: Duration,
}

#[derive(Debug, Clone)]
struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// The body of a token response.
#[derive(serde::Deserialize)]
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
            current: RwLock::new(None),
            refresh: Mutex::new(()),
            margin,
        }
    }

    /// The cached token if it is fresh and is not the one the server just rejected.
    async fn fresh(&self, rejected: Option<&Secret>) -> Option<Secret> {
        let current = self.current.read().await;
        let cached = current.as_ref()?;
        let usable = Instant::now() < cached.refresh_at && Some(&cached.token) != rejected;
        usable.then(|| cached.token.clone())
    }

    /// A usable token: the cached one, or one fetched by `fetch`. Only one caller fetches at a
    /// time; the others wait and then take what it stored.
    pub(crate) async fn token<F, Fut, E>(
        &self,
        rejected: Option<&Secret>,
        fetch: F,
    ) -> Result<Secret, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<TokenResponse, E>>,
    {
        if let Some(token) = self.fresh(rejected).await {
            return Ok(token);
        }
        let _refreshing = self.refresh.lock().await;
        if let Some(token) = self.fresh(rejected).await {
            return Ok(token);
        }
        tracing::debug!("fetching an access token");
        let response = fetch().await?;
        let lifetime = response.lifetime();
        let margin = self.margin.min(lifetime / 2);
        let token = response.access_token;
        *self.current.write().await = Some(CachedToken {
            token: token.clone(),
            refresh_at: Instant::now() + lifetime.saturating_sub(margin),
        });
        tracing::debug!(lifetime_s = lifetime.as_secs(), "access token cached");
        Ok(token)
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
            Auth::ClientCredentials(cache) => cache
                .token(rejected.as_ref(), || self.fetch_token_boxed())
                .await
                .map(Some)
                .map_err(|e| Error::Auth(Box::new(e))),
        }
    }

    /// Boxed, and in a plain function: fetching a token sends a request through `execute`,
    /// which may itself need a token, and a boxed future breaks that cycle.
    fn fetch_token_boxed(&self) -> BoxFuture<'_, Result<TokenResponse, Error>> {
        Box::pin(self.fetch_token())
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
