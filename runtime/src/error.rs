//! Errors. One `#[non_exhaustive]` type for every method: configuration and input problems,
//! transport failures, bodies that do not decode, and error responses from the API (RFC 7807
//! `application/problem+json`), each kept apart so callers can react to each.

use std::fmt;

mod status;

pub use status::ErrorStatus;

/// Everything a call can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client's configuration is incomplete or invalid (including an unreadable or
    /// unsupported signing key).
    Config(String),
    /// The request could not be built: an input cannot be encoded (required inputs are method
    /// arguments, so the compiler says when one is missing).
    InvalidInput {
        /// The operationId of the call.
        operation: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The request could not be signed.
    Signing(String),
    /// Fetching an access token (`POST /auth/token`) failed; the inner error says why.
    Auth(Box<Error>),
    /// The request did not complete: connecting, TLS, or reading the response failed.
    Transport {
        /// What failed.
        source: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// An attempt took longer than the configured timeout.
    Timeout {
        /// The timeout as reported by the HTTP client.
        source: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A success response's body did not decode into the expected type.
    Decode(Box<DecodeError>),
    /// The API answered with an error status.
    Api(Box<ApiError>),
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Auth(e) => e.status(),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The `upvest-request-id` of the failed request, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::Auth(e) => e.request_id(),
            _ => None,
        }
    }

    /// The error status, if the server answered with one: compare it with the statuses an
    /// operation's `send` documents (`Some(ErrorStatus::BadRequest)`), or read its
    /// [`code`](ErrorStatus::code).
    pub fn error_status(&self) -> Option<ErrorStatus> {
        self.as_api().map(ApiError::error_status)
    }

    /// The API error, if the server answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// How many times the request was sent before this error (retries included), when it was
    /// sent at all.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api(e) => Some(e.attempts),
            Error::Transport { attempts, .. } | Error::Timeout { attempts, .. } => Some(*attempts),
            Error::Auth(e) => e.attempts(),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "invalid configuration: {message}"),
            Error::InvalidInput { operation, message } => {
                write!(f, "invalid input for `{operation}`: {message}")
            }
            Error::Signing(message) => write!(f, "cannot sign the request: {message}"),
            Error::Auth(e) => write!(f, "cannot get an access token: {e}"),
            Error::Transport { source, attempts } => {
                write!(
                    f,
                    "the request failed after {attempts} attempt(s): {source}"
                )
            }
            Error::Timeout { attempts, .. } => {
                write!(f, "the request timed out ({attempts} attempt(s))")
            }
            Error::Decode(e) => e.fmt(f),
            Error::Api(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => Some(source),
            Error::Auth(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// An RFC 7807 problem document, as Upvest sends with every error status. `type` and `status`
/// are required (as Upvest's description says): a JSON body without them is not a problem
/// document and is kept as [`ApiError::body_excerpt`] instead.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// A URL or token naming the error condition.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The HTTP status, as the server saw it.
    pub status: u16,
    /// A short, human-readable summary of the error type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A human-readable explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A URI identifying this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The correlation ID of the original request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Further members of the document (RFC 7807 extension members), as sent.
    #[serde(flatten)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// The API answered with an error status.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The `upvest-request-id` header.
    pub request_id: Option<String>,
    /// The problem document, when the body was one.
    pub problem: Option<Problem>,
    /// The start of the body, when it was not a problem document.
    pub body_excerpt: Option<String>,
    /// How many times the request was sent (retries included).
    pub attempts: u32,
}

impl ApiError {
    pub(crate) fn from_body(status: u16, request_id: Option<String>, body: &[u8]) -> Self {
        let problem = serde_json::from_slice::<Problem>(body).ok();
        let body_excerpt = match problem {
            Some(_) => None,
            None => Some(excerpt(body)),
        };
        Self {
            status,
            request_id,
            problem,
            body_excerpt,
            attempts: 1,
        }
    }

    /// The status, by name.
    pub fn error_status(&self) -> ErrorStatus {
        ErrorStatus::from_code(self.status)
    }

    /// The problem's `type`.
    pub fn problem_type(&self) -> Option<&str> {
        self.problem.as_ref().map(|p| p.r#type.as_str())
    }

    /// The problem's `title`.
    pub fn title(&self) -> Option<&str> {
        self.problem.as_ref().and_then(|p| p.title.as_deref())
    }

    /// The problem's `detail`.
    pub fn detail(&self) -> Option<&str> {
        self.problem.as_ref().and_then(|p| p.detail.as_deref())
    }

    /// The problem's `instance`.
    pub fn instance(&self) -> Option<&str> {
        self.problem.as_ref().and_then(|p| p.instance.as_deref())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the API answered {}", self.status)?;
        if let Some(problem) = &self.problem {
            write!(f, " ({})", problem.r#type)?;
            if let Some(detail) = problem.detail.as_ref().or(problem.title.as_ref()) {
                write!(f, ": {detail}")?;
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " [upvest-request-id {id}]")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl std::hash::Hash for ErrorStatus {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.code().hash(state);
    }
}

impl fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

/// A success body that did not decode into the expected type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status.
    pub status: u16,
    /// The `upvest-request-id` header.
    pub request_id: Option<String>,
    /// Where in the body decoding failed, e.g. `data[0].created_at`.
    pub path: String,
    /// What serde reported.
    pub message: String,
    /// The start of the body.
    pub excerpt: String,
}

impl DecodeError {
    pub(crate) fn new(
        status: u16,
        request_id: Option<String>,
        path: String,
        message: String,
        body: &[u8],
    ) -> Self {
        Self {
            status,
            request_id,
            path,
            message,
            excerpt: excerpt(body),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response at `{}`: {} (body starts: {})",
            self.status, self.path, self.message, self.excerpt
        )
    }
}

/// At most this many bytes of a body are kept in an error.
const EXCERPT_LEN: usize = 512;

/// The start of a body, cut at a character boundary at most [`EXCERPT_LEN`] bytes in.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= EXCERPT_LEN {
        return text.into_owned();
    }
    let end = (0..=EXCERPT_LEN)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}...", &text[..end])
}
