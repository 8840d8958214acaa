//! Sending: one exchange on the wire, and the loop around it that retries what may be retried,
//! refreshes a rejected token once (if the retry policy allows another send), and turns what
//! failed into an [`Error`].
//!
//! Bodies are read only as far as needed: an error body up to
//! [`ERROR_BODY_LIMIT`](crate::error::ERROR_BODY_LIMIT) bytes, a success body up to the
//! configured maximum (else [`Error::ResponseTooLarge`]). A download's attempt is bounded by the
//! timeout until its headers arrive; its body then by the idle timeout between pieces.

use std::time::Instant;

use reqwest::header::HeaderMap;
use tracing::Instrument as _;

use super::{retry, Client, Request, Secret};
use crate::error::{ApiError, Error, ERROR_BODY_LIMIT};

/// A response as received, before decoding.
pub(super) struct RawResponse {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
    /// The unread body, for downloads.
    pub(super) stream: Option<reqwest::Response>,
    /// How many times the request was sent.
    pub(super) attempts: u32,
    /// Whether errors keep a redacted excerpt of the body.
    pub(super) excerpts: bool,
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
    /// The SDK's own clock ran out (waiting for a download's headers, or for an interceptor's
    /// delayed reply).
    TimedOut,
    /// A success body larger than the configured maximum.
    TooLarge {
        status: u16,
        request_id: Option<String>,
        limit: u64,
    },
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
                Ok(mut raw) if raw.is_success() => {
                    raw.attempts = attempts;
                    return Ok(raw);
                }
                // A `401` proves the request was not processed: sent again with a new token
                // whether or not it may be repeated.
                Ok(raw) if raw.status == 401 && !refreshed && self.refreshable(request) => {
                    // The next token fetch skips the rejected one, whether this call sends
                    // again or not: `RetryPolicy::none()` means one send, also after a 401.
                    self.reject_token(bearer.as_ref());
                    if attempts >= policy.attempts() {
                        Failure::Status(Box::new(raw))
                    } else {
                        tracing::info!(
                            operation = request.operation,
                            "401: refreshing the access token and retrying once"
                        );
                        refreshed = true;
                        rejected = bearer;
                        continue;
                    }
                }
                Ok(raw) => Failure::Status(Box::new(raw)),
                Err(failure) => failure,
            };
            // The one rule (see `retry`): a temporary failure is retried when the request may
            // be repeated, or when the failure proves it was not processed.
            let (may_retry, wait) = match &failure {
                Failure::Status(raw) => (
                    retry::is_retryable_status(raw.status)
                        && (request.repeatable() || retry::proves_not_processed(raw.status)),
                    retry::retry_after(&raw.headers),
                ),
                // A connection that could not be made carried nothing.
                Failure::Transport(e) => (e.is_connect() || request.repeatable(), None),
                Failure::TimedOut => (request.repeatable(), None),
                Failure::TooLarge { .. } => (false, None),
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
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One exchange; the body is read (as far as needed) unless the caller streams a success
    /// body.
    async fn attempt(
        &self,
        request: &Request,
        attempt: u32,
        mut http_request: reqwest::Request,
        stream: bool,
    ) -> Result<RawResponse, Failure> {
        let config = &self.inner.config;
        let response = if stream {
            // The request's timeout would also bound reading the body: a download gets it for
            // its headers only, and the idle timeout between pieces of its body.
            let timeout = http_request.timeout_mut().take();
            let sending = self.dispatch(request, attempt, http_request);
            match timeout {
                Some(timeout) => tokio::time::timeout(timeout, sending)
                    .await
                    .map_err(|_| Failure::TimedOut)?,
                None => sending.await,
            }
        } else {
            self.dispatch(request, attempt, http_request).await
        }?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let success = response.status().is_success();
        let mut raw = RawResponse {
            status,
            headers,
            body: Vec::new(),
            stream: None,
            attempts: 1,
            excerpts: config.error_body_excerpts,
        };
        if stream && success {
            raw.stream = Some(response);
            return Ok(raw);
        }
        let limit = if success {
            config.max_response_size
        } else {
            ERROR_BODY_LIMIT as u64
        };
        let (body, complete) = read_limited(response, limit, success)
            .await
            .map_err(Failure::Transport)?;
        if success && !complete {
            return Err(Failure::TooLarge {
                status,
                request_id: raw.request_id(),
                limit,
            });
        }
        raw.body = body;
        Ok(raw)
    }
}

/// At most `limit` bytes of a body, and whether that was all of it. Reading stops at the limit
/// (the connection is then dropped, not drained); `give_up_early` skips a body whose announced
/// length is already over it.
async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
    give_up_early: bool,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    if give_up_early
        && response
            .content_length()
            .is_some_and(|length| length > limit)
    {
        return Ok((Vec::new(), false));
    }
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, true))
}

impl Failure {
    fn reason(&self) -> String {
        match self {
            Failure::Status(raw) => format!("status {}", raw.status),
            Failure::Transport(e) if e.is_timeout() => "timeout".into(),
            Failure::Transport(e) if e.is_connect() => "connection failed".into(),
            Failure::Transport(_) => "connection broken".into(),
            Failure::TimedOut => "timeout".into(),
            Failure::TooLarge { .. } => "response too large".into(),
        }
    }

    fn into_error(self, attempts: u32) -> Error {
        match self {
            Failure::Status(raw) => {
                let raw = *raw;
                let mut error =
                    ApiError::from_response(raw.status, raw.headers, &raw.body, raw.excerpts);
                error.attempts = attempts;
                Error::Api(Box::new(error))
            }
            Failure::Transport(e) => transport(e, attempts),
            Failure::TimedOut => Error::Timeout {
                source: None,
                attempts,
            },
            Failure::TooLarge {
                status,
                request_id,
                limit,
            } => Error::ResponseTooLarge {
                status,
                request_id,
                limit,
            },
        }
    }
}

/// A transport error as [`Error::Timeout`] or [`Error::Transport`]. The error shows its URL
/// without the query: query parameters may be what a user searched by.
pub(super) fn transport(mut source: reqwest::Error, attempts: u32) -> Error {
    if let Some(url) = source.url_mut() {
        url.set_query(None);
        url.set_fragment(None);
    }
    if source.is_timeout() {
        Error::Timeout {
            source: Some(source),
            attempts,
        }
    } else {
        Error::Transport { source, attempts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_transport_error_does_not_show_the_query() {
        // A port nothing listens on: bound, then released.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("http://127.0.0.1:{port}/users?last_name=Lovelace#Ada");
        let failed = reqwest::Client::new().get(url).send().await.unwrap_err();
        assert!(
            format!("{failed:?}").contains("Lovelace"),
            "the query was in the URL"
        );
        let error = transport(failed, 1);
        for shown in [format!("{error}"), format!("{error:?}")] {
            assert!(!shown.contains("Lovelace"), "{shown}");
            assert!(!shown.contains("Ada"), "{shown}");
            assert!(
                shown.contains("/users"),
                "the path still says where: {shown}"
            );
        }
        assert!(matches!(error, Error::Transport { attempts: 1, .. }));
    }
}
