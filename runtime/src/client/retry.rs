//! When and how long to wait before sending a request again.
//!
//! `429`, `503` and `504` answers, timeouts and connection failures are retried with
//! exponential backoff and jitter, honouring `Retry-After`, within a bound on attempts and on
//! total time; a `401` is answered by fetching a new token and sending once more (client
//! credentials only).
//!
//! One rule decides whether a request may be sent again: an idempotent one (`GET`, `PUT`,
//! `DELETE`, or any request with an `idempotency-key`) may, since a repeat does no harm; any
//! other (a `POST` or `PATCH` without a key) only when the failure proves that the server did
//! not process it ([`proves_not_processed`]): the connection could not be made, or the answer
//! was `401` (not authenticated) or `429` (rate limited). After a `503`, a `504`, a timeout or
//! a connection broken mid-exchange, it may have been processed, and sending it again could do
//! it twice: the call fails instead.

use std::time::{Duration, SystemTime};

/// The retry policy of a client. [`RetryPolicy::none`] switches retries off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 250 ms doubling up to 5 s, everything within 30 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Every request is sent once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// At most this many attempts in all (the first one included); at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles with each further one.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts. A `Retry-After` asking for longer ends the
    /// retries: the call fails with the server's answer rather than ask again too early.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts later than this after the first attempt.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `attempts + 1`, or `None` when the policy allows no more.
    pub(crate) fn next_delay(
        &self,
        attempts: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            // Asking again before the server's wait is over only earns another refusal: a
            // longer wait than the policy allows ends the retries instead.
            Some(wait) if wait > self.max_backoff => return None,
            Some(wait) => wait,
            None => self.backoff(attempts),
        };
        // Checked: with an unbounded policy the server's wait may be near `Duration::MAX`.
        let ends = elapsed.checked_add(delay)?;
        (ends <= self.max_elapsed).then_some(delay)
    }

    /// Exponential backoff with "equal jitter": half fixed, half random, so that many clients
    /// failing at once do not come back at once.
    fn backoff(&self, attempts: u32) -> Duration {
        let exponent = attempts.saturating_sub(1).min(16);
        let full = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Statuses that mean "not now": retried when the request may be repeated.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

/// Answers that prove the request was not processed: refused before any work was done
/// (`401`: not authenticated; `429`: rate limited). A request that may not be repeated is
/// still sent again after one of these.
pub(crate) fn proves_not_processed(status: u16) -> bool {
    matches!(status, 401 | 429)
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}
