//! Sending: one exchange on the wire, and the loop around it that retries what may be retried,
//! refreshes a rejected token once, and turns what failed into an [`Error`].

use std::time::Instant;

use reqwest::header::HeaderMap;
use tracing::Instrument as _;

use super::{retry, Client, Request, Secret};
use crate::error::{ApiError, Error};

/// A response as received, before decoding.
pub(super) struct RawResponse {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    /// The unread body, for downloads.
    pub(super) stream: Option<reqwest::Response>,
}

impl RawResponse {
    pub(super) fn request_id(&self) -> Option<String> {
        self.headers
            .get("upvest-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    pub(super) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Why an attempt did not succeed.
pub(super) enum Failure {
    Status(Box<RawResponse>),
    Transport(reqwest::Error),
}

impl Client {
    /// Sends a request until it succeeds, fails for good, or the retry policy says stop; in
    /// the call's `tracing` span.
    pub(super) async fn execute(
        &self,
        request: &Request,
        stream: bool,
    ) -> Result<RawResponse, Error> {
        self.execute_attempts(request, stream)
            .instrument(request.span())
            .await
    }

    async fn execute_attempts(
        &self,
        request: &Request,
        stream: bool,
    ) -> Result<RawResponse, Error> {
        let policy = request.retry.as_ref().unwrap_or(&self.inner.config.retry);
        let started = Instant::now();
        let mut attempts = 0;
        let mut rejected: Option<Secret> = None;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let bearer = self.bearer(request, rejected.take()).await?;
            let http_request = self.build(request, bearer.as_ref())?;
            tracing::debug!(operation = request.operation, attempt = attempts, "sending");
            let failure = match self.attempt(request, attempts, http_request, stream).await {
                Ok(raw) if raw.is_success() => return Ok(raw),
                Ok(raw) if raw.status == 401 && !refreshed && self.refreshable(request) => {
                    tracing::info!(
                        operation = request.operation,
                        "401: refreshing the access token and retrying once"
                    );
                    refreshed = true;
                    rejected = bearer;
                    continue;
                }
                Ok(raw) => Failure::Status(Box::new(raw)),
                Err(e) => Failure::Transport(e),
            };
            let (may_retry, wait) = match &failure {
                Failure::Status(raw) => (
                    retry::is_retryable_status(raw.status) && request.repeatable(),
                    retry::retry_after(&raw.headers),
                ),
                Failure::Transport(e) => (e.is_connect() || request.repeatable(), None),
            };
            let delay = may_retry
                .then(|| policy.next_delay(attempts, started.elapsed(), wait))
                .flatten();
            let Some(delay) = delay else {
                return Err(failure.into_error(attempts));
            };
            tracing::warn!(
                operation = request.operation,
                attempt = attempts,
                reason = %failure.reason(),
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One exchange; the body is read unless the caller streams a success body.
    async fn attempt(
        &self,
        request: &Request,
        attempt: u32,
        http_request: reqwest::Request,
        stream: bool,
    ) -> Result<RawResponse, reqwest::Error> {
        let response = self.dispatch(request, attempt, http_request).await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if stream && response.status().is_success() {
            return Ok(RawResponse {
                status,
                headers,
                body: Vec::new(),
                stream: Some(response),
            });
        }
        let body = response.bytes().await?.to_vec();
        Ok(RawResponse {
            status,
            headers,
            body,
            stream: None,
        })
    }
}

impl Failure {
    fn reason(&self) -> String {
        match self {
            Failure::Status(raw) => format!("status {}", raw.status),
            Failure::Transport(e) if e.is_timeout() => "timeout".into(),
            Failure::Transport(e) if e.is_connect() => "connection failed".into(),
            Failure::Transport(_) => "connection broken".into(),
        }
    }

    fn into_error(self, attempts: u32) -> Error {
        match self {
            Failure::Status(raw) => {
                let mut error = ApiError::from_body(raw.status, raw.request_id(), &raw.body);
                error.attempts = attempts;
                Error::Api(Box::new(error))
            }
            Failure::Transport(e) => transport(e, attempts),
        }
    }
}

/// A transport error as [`Error::Timeout`] or [`Error::Transport`].
pub(super) fn transport(source: reqwest::Error, attempts: u32) -> Error {
    if source.is_timeout() {
        Error::Timeout { source, attempts }
    } else {
        Error::Transport { source, attempts }
    }
}
