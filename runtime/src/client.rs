//! The client: the one type every operation is sent through. Its parts live in submodules by
//! job: the configuration (`config`), building each HTTP request (`request`), sending it with
//! retries (`transport`), access tokens (`auth`), signatures (`signing`), what comes back
//! (`response`) and walking lists (`pagination`). The per-operation builders in the group
//! modules describe a request; everything here is shared by all of them.

mod auth;
mod config;
mod intercept;
mod pagination;
// For the generated list operations' paging (a crate without one does not use it).
#[allow(unused_imports)]
pub(crate) use pagination::offset_as;
mod request;
mod response;
mod retry;
mod servers;
pub mod signing;
#[cfg(test)]
mod test_server;
mod transport;

use std::sync::Arc;

pub use auth::TOKEN_PATH;
pub use config::{Config, ConfigBuilder, Secret, API_VERSION, LIVE_URL, SANDBOX_URL};
pub use intercept::{AttemptContext, Interceptor, Reply, ResponseInfo};
pub use pagination::Pages;
pub(crate) use request::Request;
pub use request::RequestOptions;
pub use response::{Download, Response};
pub(crate) use retry::retry_after;
pub use retry::RetryPolicy;
pub use servers::{DEFAULT_BASE_URL, SERVERS};
pub use signing::{Signer, SigningKey, SigningOptions};

use crate::error::Error;
use auth::{Auth, TokenCache};
use config::Credentials;
use futures_util::FutureExt as _;
use response::decode;
use transport::{transport, RawResponse};

/// The client for every operation. Cheap to clone: clones share one connection pool and one
/// token cache.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<ClientInner>,
}

#[derive(Debug)]
struct ClientInner {
    http: reqwest::Client,
    config: Config,
    auth: Auth,
}

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

impl Client {
    /// A client with its own HTTP connection pool.
    pub fn new(config: Config) -> Result<Self, Error> {
        // No redirects: a signed request cannot follow one (its `@path` is signed), and a
        // followed `307` would resend the body (the token request's client secret) to wherever
        // `location` points.
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none());
        if let Some(timeout) = config.connect_timeout {
            builder = builder.connect_timeout(timeout);
        }
        let http = builder.build().map_err(|e| transport(e, 0))?;
        Ok(Self::with_http_client(config, http))
    }

    /// A client that sends through the given `reqwest::Client` (proxies, custom TLS roots).
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`, as [`Client::new`] does: a
    /// followed redirect would resend request bodies, the client secret included, elsewhere.
    pub fn with_http_client(config: Config, http: reqwest::Client) -> Self {
        let auth = match &config.credentials {
            Credentials::None => Auth::None,
            Credentials::AccessToken(token) => Auth::Fixed(token.clone()),
            Credentials::ClientSecret(_) => {
                Auth::ClientCredentials(TokenCache::new(config.token_refresh_margin))
            }
        };
        Self {
            inner: Arc::new(ClientInner { http, config, auth }),
        }
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Sends a request and decodes a JSON success body. Only the decoding depends on `T`: the
    /// sending is one future for every operation, not a copy per body type.
    #[allow(dead_code)]
    pub(crate) fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        request: Request,
    ) -> impl std::future::Future<Output = Result<Response<T>, Error>> + Send + '_ {
        self.execute_owned(request).map(|sent| {
            let (raw, secret) = sent?;
            let data = decode(&raw, secret)?;
            Ok(Response::from_raw(&raw, data))
        })
    }

    /// [`send_json`](Self::send_json) for one page of a list, with what the page says about
    /// the walk.
    #[allow(dead_code)]
    pub(crate) fn send_page<T: serde::de::DeserializeOwned>(
        &self,
        request: Request,
    ) -> impl std::future::Future<Output = Result<(Response<T>, pagination::PageInfo), Error>> + Send + '_
    {
        self.execute_owned(request).map(|sent| {
            let (raw, _) = sent?;
            let data = decode(&raw, false)?;
            Ok((
                Response::from_raw(&raw, data),
                pagination::PageInfo::read(&raw.body),
            ))
        })
    }

    /// Sends a request whose body is read whole; with whether it holds a secret.
    async fn execute_owned(&self, request: Request) -> Result<(RawResponse, bool), Error> {
        let raw = self.execute(&request, false).await?;
        Ok((raw, request.secret_response))
    }

    /// Sends a request whose success body is returned as bytes (documents, reports).
    #[allow(dead_code)]
    pub(crate) async fn send_bytes(&self, request: Request) -> Result<Response<Vec<u8>>, Error> {
        let raw = self.execute(&request, false).await?;
        let body = raw.body.clone();
        Ok(Response::from_raw(&raw, body))
    }

    /// Sends a request whose success body is read by the caller, piece by piece.
    #[allow(dead_code)]
    pub(crate) async fn send_download(
        &self,
        request: Request,
    ) -> Result<Response<Download>, Error> {
        let mut raw = self.execute(&request, true).await?;
        let response = raw
            .stream
            .take()
            .ok_or_else(|| Error::Config("internal: a download without a body".into()))?;
        let idle = self.inner.config.download_idle_timeout;
        Ok(Response::from_raw(
            &raw,
            Download::new(response, idle, raw.attempts),
        ))
    }

    /// Sends a request whose success response has no body.
    #[allow(dead_code)]
    pub(crate) async fn send_empty(&self, request: Request) -> Result<Response<()>, Error> {
        let raw = self.execute(&request, false).await?;
        Ok(Response::from_raw(&raw, ()))
    }
}
