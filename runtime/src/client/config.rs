//! The client's configuration: where requests go, the credentials, the signing key, timeouts,
//! retries and extra headers. Checked once, when it is built.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::auth;
use super::intercept::Interceptors;
use super::servers::DEFAULT_BASE_URL;
use super::{Interceptor, RetryPolicy, Signer, SigningKey, SigningOptions};
use crate::error::Error;

/// Upvest's sandbox, for development and testing.
pub const SANDBOX_URL: &str = "https://sandbox.upvest.co";

/// Upvest's live environment.
pub const LIVE_URL: &str = "https://api.upvest.co";

/// The API version sent as `upvest-api-version` on every request.
pub const API_VERSION: &str = "1";

/// Each attempt's limit, from connecting to reading the whole body, unless configured.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest wait for the next piece of a download, unless configured.
const DEFAULT_DOWNLOAD_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest success body read into memory, unless configured: 64 MiB.
const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// A secret (access token, client secret). Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// The secret value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value.into())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

/// How the client reaches the API and identifies itself. Build one with [`Config::builder`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(super) base_url: reqwest::Url,
    pub(super) client_id: String,
    pub(super) credentials: Credentials,
    pub(super) scopes: Vec<String>,
    pub(super) signer: Option<Signer>,
    pub(super) user_agent: String,
    pub(super) timeout: Duration,
    pub(super) connect_timeout: Option<Duration>,
    pub(super) retry: RetryPolicy,
    pub(super) token_refresh_margin: Duration,
    pub(super) extra_headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) download_idle_timeout: Duration,
    pub(super) max_response_size: u64,
    pub(super) error_body_excerpts: bool,
    pub(super) interceptors: Interceptors,
}

#[derive(Clone, Debug)]
pub(super) enum Credentials {
    None,
    AccessToken(Secret),
    ClientSecret(Secret),
}

impl Config {
    /// Starts a configuration; `client_id` and a credential are required.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &reqwest::Url {
        &self.base_url
    }

    /// The tenant client ID, sent as `upvest-client-id`.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The scopes requested with client credentials.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The signer, when a signing key is configured.
    pub fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }
}

/// Where the signing key comes from; read when the configuration is built.
#[derive(Clone, Debug)]
enum KeySource {
    Key(SigningKey),
    Pem(Secret),
    File(PathBuf),
}

/// Builds a [`Config`].
///
/// Upvest needs three things: the tenant's client ID; OAuth2 client credentials (the client
/// secret and the scopes to ask for) or a ready access token; and a signing key with the key ID
/// Upvest registered for its public key. Without a key, requests go unsigned (only a mock server
/// accepts them).
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    access_token: Option<Secret>,
    scopes: Vec<String>,
    key: Option<KeySource>,
    key_id: Option<String>,
    signing_options: Option<SigningOptions>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    token_refresh_margin: Option<Duration>,
    /// Values kept as secrets: a header may carry a credential, and `Debug` must not show it.
    extra_headers: Vec<(String, Secret)>,
    download_idle_timeout: Option<Duration>,
    max_response_size: Option<u64>,
    error_body_excerpts: bool,
    interceptors: Interceptors,
}

impl ConfigBuilder {
    /// The API's base URL, any URL; defaults to [`DEFAULT_BASE_URL`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Upvest's sandbox ([`SANDBOX_URL`]).
    pub fn sandbox(self) -> Self {
        self.base_url(SANDBOX_URL)
    }

    /// Upvest's live environment ([`LIVE_URL`]).
    pub fn live(self) -> Self {
        self.base_url(LIVE_URL)
    }

    /// The tenant client ID (required), sent as `upvest-client-id`.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_id = Some(client_id.into());
        self
    }

    /// The OAuth2 client secret: tokens are then fetched from `POST /auth/token`, cached and
    /// refreshed by the client.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// The scopes to request with client credentials, e.g. `users:read`.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// A fixed access token, sent as `authorization: Bearer <token>` (no OAuth2 flow, no
    /// refresh): for tokens obtained elsewhere.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// The key that signs every request.
    pub fn signing_key(mut self, key: SigningKey) -> Self {
        self.key = Some(KeySource::Key(key));
        self
    }

    /// The signing key as PEM text (PKCS#8 or SEC1); read by [`build`](Self::build).
    pub fn signing_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.key = Some(KeySource::Pem(Secret::from(pem.into())));
        self
    }

    /// The signing key from a PEM file (PKCS#8 or SEC1); read by [`build`](Self::build).
    pub fn signing_key_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key = Some(KeySource::File(path.into()));
        self
    }

    /// The ID under which Upvest knows the signing key's public key (`keyid`).
    pub fn key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// Fixes the signature's time, nonce and component order: for tests only.
    pub fn signing_options(mut self, options: SigningOptions) -> Self {
        self.signing_options = Some(options);
        self
    }

    /// The `user-agent` header; defaults to `upvest-rust/<crate version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A limit on each attempt, from connecting to reading the body (default 30 s). Not on the
    /// call: a call retried by the [`RetryPolicy`] may take up to this times its attempts, plus
    /// the waits between them; waiting for an access token has a limit of this length too.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A limit on connecting.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// When to retry; [`RetryPolicy::none`] switches retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// How long before its expiry a token is refreshed (default 60 s, at most half its
    /// lifetime).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = Some(margin);
        self
    }

    /// A further header sent, unsigned, with every request (a tracing ID, or `prefer` for a
    /// mock server). Headers the client sets itself cannot be replaced.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_headers
            .push((name.into(), Secret::from(value.into())));
        self
    }

    /// The longest wait for the next piece of a download's body (default 30 s). A download is
    /// bounded by this idle timeout, not by [`timeout`](Self::timeout), which limits only the
    /// wait for its headers: a large document that keeps arriving is never cut off.
    pub fn download_idle_timeout(mut self, timeout: Duration) -> Self {
        self.download_idle_timeout = Some(timeout);
        self
    }

    /// The largest success body read into memory (default 64 MiB); a larger one fails with
    /// [`Error::ResponseTooLarge`] without being read further. Downloads are streamed and not
    /// limited; error bodies are read up to [`ERROR_BODY_LIMIT`](crate::error::ERROR_BODY_LIMIT)
    /// bytes whatever this says.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = Some(bytes);
        self
    }

    /// Keeps an excerpt of the body in errors ([`DecodeError::excerpt`](crate::error::DecodeError::excerpt),
    /// [`ApiError::body_excerpt`](crate::error::ApiError::body_excerpt)), with every value
    /// replaced by `"***"` (keys and structure kept; a body that is not JSON is described by its
    /// length). Off by default: errors carry no response values.
    pub fn error_body_excerpts(mut self, on: bool) -> Self {
        self.error_body_excerpts = on;
        self
    }

    /// An [`Interceptor`] that sees every attempt before it is sent and every response: for
    /// metrics, audit logs, or a test double. Several run in the order they are added.
    pub fn interceptor(mut self, interceptor: impl Interceptor) -> Self {
        self.interceptors.0.push(std::sync::Arc::new(interceptor));
        self
    }

    /// Checks the configuration and reads the signing key.
    pub fn build(self) -> Result<Config, Error> {
        let base = self
            .base_url
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let base_url = reqwest::Url::parse(&base)
            .map_err(|e| Error::Config(format!("invalid base URL `{base}`: {e}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::Config(format!("`{base}` cannot be a base URL")));
        }
        let client_id = self.client_id.filter(|id| !id.is_empty()).ok_or_else(|| {
            Error::Config("a client ID is required: Config::builder().client_id(..)".into())
        })?;
        let credentials = match (self.access_token, self.client_secret) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "set either a client secret (OAuth2 client credentials) or an access token, not both"
                        .into(),
                ))
            }
            (Some(token), None) => Credentials::AccessToken(token),
            (None, Some(secret)) => Credentials::ClientSecret(secret),
            (None, None) => Credentials::None,
        };
        let signer = signer(self.key, self.key_id, self.signing_options)?;
        let extra_headers = extra_headers(self.extra_headers)?;
        Ok(Config {
            base_url,
            client_id,
            credentials,
            scopes: self.scopes,
            signer,
            user_agent: self
                .user_agent
                .unwrap_or_else(|| concat!("upvest-rust/", env!("CARGO_PKG_VERSION")).into()),
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            connect_timeout: self.connect_timeout,
            retry: self.retry.unwrap_or_default(),
            token_refresh_margin: self
                .token_refresh_margin
                .unwrap_or(auth::DEFAULT_REFRESH_MARGIN),
            extra_headers,
            download_idle_timeout: self
                .download_idle_timeout
                .unwrap_or(DEFAULT_DOWNLOAD_IDLE_TIMEOUT),
            max_response_size: self.max_response_size.unwrap_or(DEFAULT_MAX_RESPONSE_SIZE),
            error_body_excerpts: self.error_body_excerpts,
            interceptors: self.interceptors,
        })
    }
}

/// Headers the client manages: Upvest's, the signature's and the body's.
const MANAGED_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "content-type",
    "content-length",
    "content-digest",
    "idempotency-key",
    "signature",
    "signature-input",
    "upvest-api-version",
    "upvest-client-id",
    "upvest-signature-version",
];

fn extra_headers(headers: Vec<(String, Secret)>) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    headers
        .into_iter()
        .map(|(name, value)| checked_header(&name, value.expose()).map_err(Error::Config))
        .collect()
}

/// A further header (configured, or set for one call): a valid name the client does not manage,
/// and a valid value, marked sensitive so that no `Debug` output shows it.
pub(super) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    if MANAGED_HEADERS.contains(&name.as_str()) {
        return Err(format!("`{name}` is set by the client itself"));
    }
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| format!("the value of `{name}` is not a valid header value"))?;
    // Shown as "Sensitive" in `Debug`, like the client's own credentials.
    value.set_sensitive(true);
    Ok((name, value))
}

/// A key needs its key ID and the other way round.
fn signer(
    key: Option<KeySource>,
    key_id: Option<String>,
    options: Option<SigningOptions>,
) -> Result<Option<Signer>, Error> {
    let key = match key {
        None if key_id.is_some() => return Err(Error::Config(
            "a key ID is set but no signing key: add .signing_key_file(..) or .signing_key_pem(..)"
                .into(),
        )),
        None => return Ok(None),
        Some(KeySource::Key(key)) => key,
        Some(KeySource::Pem(pem)) => SigningKey::from_pem(pem.expose())?,
        Some(KeySource::File(path)) => SigningKey::from_pem_file(path)?,
    };
    let key_id = key_id.filter(|id| !id.is_empty()).ok_or_else(|| {
        Error::Config("a signing key needs its key ID: Config::builder().key_id(..)".into())
    })?;
    // The key ID is written as a quoted string in `signature-input`: a quote, a backslash or a
    // control character would make that header malformed.
    if key_id
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        return Err(Error::Config(format!(
            "the key ID {key_id:?} cannot be sent: quotes, backslashes and control characters are not allowed"
        )));
    }
    let signer = Signer::new(key, key_id).with_options(options.unwrap_or_default());
    Ok(Some(signer))
}
