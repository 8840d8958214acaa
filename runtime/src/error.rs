//! Errors. One `#[non_exhaustive]` type for every method: configuration and input problems,
//! transport failures, bodies that do not decode, and error responses from the API (RFC 7807
//! `application/problem+json`), each kept apart so callers can react to each.
//!
//! # What an error shows
//!
//! An error's `Display` and `Debug` output carries the structure of what went wrong (the HTTP
//! status, the `upvest-request-id`, the problem's `type` and `title`, the path in the body where
//! decoding failed, the number of attempts) but no value from the response: responses carry
//! personal data (national ID numbers, names, IBANs) and, from the token endpoint, secrets, and
//! errors end up in logs. A problem's `detail` and `instance` and its extension members are
//! there to read ([`ApiError::detail`], [`ApiError::problem`]) but are not printed; a decode
//! error's message names the kind of value found, never the value.
//!
//! A body excerpt is an explicit opt-in
//! ([`ConfigBuilder::error_body_excerpts`](crate::client::ConfigBuilder::error_body_excerpts)):
//! then [`DecodeError::excerpt`] and [`ApiError::body_excerpt`] hold the start of the body with
//! every JSON string, number and boolean replaced by a placeholder (keys and structure kept); a
//! body that is not JSON is described by its length only.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;

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
    /// Fetching an access token (`POST /auth/token`) failed, or did not finish within the
    /// call's timeout; the inner error says why. One fetch runs at a time and every call that
    /// waited for it gets its outcome: that is why the inner error is shared.
    Auth(Arc<Error>),
    /// The request did not complete: connecting, TLS, or reading the response failed.
    Transport {
        /// What failed.
        source: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// An attempt took longer than the configured timeout (for a download: its headers took
    /// longer than the timeout, or no piece of its body came within the idle timeout).
    Timeout {
        /// The timeout as reported by the HTTP client; `None` when the SDK's own clock ran out
        /// (waiting for headers of a download, between pieces of one, for an access token, for
        /// an interceptor's [`Reply::delayed`](crate::client::Reply::delayed)).
        source: Option<reqwest::Error>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A success response's body did not decode into the expected type.
    Decode(Box<DecodeError>),
    /// The API answered with an error status.
    Api(Box<ApiError>),
    /// Writing a download to its destination failed
    /// ([`Download::write_to`](crate::client::Download::write_to)).
    Write(std::io::Error),
    /// A success body was larger than the configured maximum
    /// ([`ConfigBuilder::max_response_size`](crate::client::ConfigBuilder::max_response_size));
    /// reading stopped there. Downloads are streamed and not limited.
    ResponseTooLarge {
        /// The HTTP status.
        status: u16,
        /// The `upvest-request-id` header.
        request_id: Option<String>,
        /// The configured maximum, in bytes.
        limit: u64,
    },
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Auth(e) => e.status(),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The `upvest-request-id` of the failed request, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            Error::Auth(e) => e.request_id(),
            Error::ResponseTooLarge { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The error status, if the server answered with one: compare it with the statuses an
    /// operation's `send` documents (`Some(ErrorStatus::BadRequest)`), or read its numeric
    /// [`code`](ErrorStatus::code) instead.
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
    /// sent at all. For [`Error::Auth`], those of the token request; `Some(0)` when the call
    /// gave up waiting for a token fetch that another call started.
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
            Error::Write(e) => write!(f, "cannot write the download: {e}"),
            Error::ResponseTooLarge {
                status,
                request_id,
                limit,
            } => {
                write!(
                    f,
                    "the {status} response is larger than the maximum of {limit} bytes"
                )?;
                if let Some(id) = request_id {
                    write!(f, " [upvest-request-id {id}]")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Timeout { source, .. } => source.as_ref().map(|s| s as _),
            Error::Auth(e) => Some(e.as_ref()),
            Error::Write(e) => Some(e),
            _ => None,
        }
    }
}

/// An RFC 7807 problem document, as Upvest sends with every error status. `type` and `status`
/// are required (as Upvest's description says): a JSON body without them is not a problem
/// document.
///
/// Its `Debug` output shows `type`, `status`, `title` and `request_id`, and of `detail`,
/// `instance` and the extension members only whether they are there (their names, for
/// extensions): they may quote what the request sent.
#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
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

impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let present = |value: &Option<String>| value.as_ref().map(|_| Redacted);
        let extensions: Vec<&String> = self.extensions.keys().collect();
        f.debug_struct("Problem")
            .field("type", &self.r#type)
            .field("status", &self.status)
            .field("title", &self.title)
            .field("detail", &present(&self.detail))
            .field("instance", &present(&self.instance))
            .field("request_id", &self.request_id)
            .field("extensions", &extensions)
            .finish()
    }
}

/// Stands for a value `Debug` output does not show.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The API answered with an error status.
///
/// `Display` and `Debug` show the status, the request ID, the problem's `type` and `title`, the
/// attempts and the names of the response headers, never a value from the body (see the
/// [module docs](self)). The body is read up to [`ERROR_BODY_LIMIT`] bytes: enough for a
/// problem document, and a huge error page is not read in full.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The `upvest-request-id` header.
    pub request_id: Option<String>,
    /// The problem document, when the body was one.
    pub problem: Option<Problem>,
    /// When the body was not a problem document and excerpts are switched on
    /// ([`ConfigBuilder::error_body_excerpts`](crate::client::ConfigBuilder::error_body_excerpts)):
    /// the start of the body with its values redacted. `None` by default.
    pub body_excerpt: Option<String>,
    /// How many times the request was sent (retries included).
    pub attempts: u32,
    /// All response headers (`retry-after`, rate limit headers, ...).
    pub headers: HeaderMap,
}

/// At most this many bytes of an error body are read.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.keys().map(|n| n.as_str()).collect();
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("problem", &self.problem)
            .field("body_excerpt", &self.body_excerpt)
            .field("attempts", &self.attempts)
            .field("headers", &header_names)
            .finish()
    }
}

impl ApiError {
    /// An error from a response's status, headers and (the start of) its body; `excerpts` keeps
    /// a redacted excerpt of a body that is not a problem document.
    pub(crate) fn from_response(
        status: u16,
        headers: HeaderMap,
        body: &[u8],
        excerpts: bool,
    ) -> Self {
        let problem = serde_json::from_slice::<Problem>(body).ok();
        let body_excerpt = match problem {
            None if excerpts => Some(redacted_excerpt(body)),
            _ => None,
        };
        let request_id = headers
            .get("upvest-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Self {
            status,
            request_id,
            problem,
            body_excerpt,
            attempts: 1,
            headers,
        }
    }

    /// The `retry-after` header: how long the server asks to wait before sending again
    /// (seconds or an HTTP date, read as the time from now).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        crate::client::retry_after(&self.headers)
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
            // The title names the kind of error; the detail may quote the request.
            if let Some(title) = &problem.title {
                write!(f, ": {title}")?;
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
///
/// Its `message` names what was wrong (`missing field `id``, `invalid type: string, expected
/// u32`) without the value found; `excerpt` is `None` unless excerpts are switched on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status.
    pub status: u16,
    /// The `upvest-request-id` header.
    pub request_id: Option<String>,
    /// Where in the body decoding failed, e.g. `data[0].created_at`.
    pub path: String,
    /// What was wrong, without the value found.
    pub message: String,
    /// When excerpts are switched on
    /// ([`ConfigBuilder::error_body_excerpts`](crate::client::ConfigBuilder::error_body_excerpts)):
    /// the start of the body with its values redacted. `None` by default.
    pub excerpt: Option<String>,
}

impl DecodeError {
    pub(crate) fn new(
        status: u16,
        request_id: Option<String>,
        path: String,
        message: String,
    ) -> Self {
        Self {
            status,
            request_id,
            path,
            message,
            excerpt: None,
        }
    }

    /// Keeps a redacted excerpt of `body`.
    pub(crate) fn with_excerpt(mut self, body: &[u8]) -> Self {
        self.excerpt = Some(redacted_excerpt(body));
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response at `{}`: {}",
            self.status, self.path, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [upvest-request-id {id}]")?;
        }
        if let Some(excerpt) = &self.excerpt {
            write!(f, " (body, values redacted: {excerpt})")?;
        }
        Ok(())
    }
}

/// What serde said about a body that did not decode, without the value it found: the messages
/// of serde's own errors are kept up to the value (`invalid type: string "PL123", expected u32`
/// becomes `invalid type: string, expected u32`); any other message, which may quote the value,
/// is replaced.
pub(crate) fn describe_json_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let full = error.to_string();
    // serde_json appends " at line L column C" to every message.
    let message = match full.rfind(" at line ") {
        Some(at) => &full[..at],
        None => full.as_str(),
    };
    let position = format!("at line {} column {}", error.line(), error.column());
    let described = match error.classify() {
        Category::Syntax | Category::Eof => format!("not valid JSON: {message}"),
        Category::Io => "the body could not be read".to_string(),
        Category::Data => describe_data_error(message),
    };
    format!("{described} ({position})")
}

fn describe_data_error(message: &str) -> String {
    // Messages that name keys and types only.
    for prefix in [
        "missing field ",
        "unknown field ",
        "duplicate field ",
        "invalid length ",
    ] {
        if message.starts_with(prefix) {
            return message.to_string();
        }
    }
    // `expected ...` comes from the SDK's types, never from the body.
    let expected = message
        .find(", expected ")
        .map(|at| &message[at..])
        .unwrap_or("");
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let kind: String = rest
                .split([' ', ','])
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .collect();
            let kind = match kind.as_str() {
                "floating" => "floating point".to_string(),
                "" => "value".to_string(),
                other => other.to_string(),
            };
            return format!("{prefix}{kind}{expected}");
        }
    }
    if message.starts_with("unknown variant ") {
        return format!("unknown variant{expected}");
    }
    "the value does not have the expected form (the message is withheld: it may quote the value)"
        .to_string()
}

/// At most this many bytes of an excerpt are kept.
const EXCERPT_LEN: usize = 512;

/// The start of a body with its values replaced: a JSON body keeps its keys, structure and
/// `null`s, every string, number and boolean becomes `"***"`; any other body is described by
/// its length.
pub(crate) fn redacted_excerpt(body: &[u8]) -> String {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return format!("[{} bytes, not JSON: not shown]", body.len());
    };
    redact(&mut value);
    cut(value.to_string())
}

fn redact(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            *value = Value::String("***".into());
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        Value::Object(members) => members.values_mut().for_each(redact),
    }
}

/// `text` cut at a character boundary at most [`EXCERPT_LEN`] bytes in.
fn cut(text: String) -> String {
    if text.len() <= EXCERPT_LEN {
        return text;
    }
    let end = (0..=EXCERPT_LEN)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}...", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        describe_json_error(&serde_json::from_str::<T>(body).unwrap_err())
    }

    #[test]
    fn decode_messages_name_the_kind_of_value_never_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Thing {
            id: u32,
            kind: Kind,
        }
        #[derive(Debug, serde::Deserialize)]
        enum Kind {
            A,
        }
        let message = decode_error::<Thing>(r#"{"id": "90041703518", "kind": "A"}"#);
        assert!(
            message.starts_with("invalid type: string, expected u32"),
            "{message}"
        );
        assert!(!message.contains("90041703518"), "{message}");
        let message = decode_error::<Thing>(r#"{"id": 7, "kind": "SECRET"}"#);
        assert!(
            message.starts_with("unknown variant, expected"),
            "{message}"
        );
        assert!(!message.contains("SECRET"), "{message}");
        let message = decode_error::<Thing>(r#"{"id": 7}"#);
        assert!(message.starts_with("missing field `kind`"), "{message}");
        let message = decode_error::<Thing>(r#"{"id": 7,"#);
        assert!(message.starts_with("not valid JSON"), "{message}");
        let message = decode_error::<uuid::Uuid>(r#""PL90041703518""#);
        assert!(!message.contains("90041703518"), "{message}");
    }

    #[test]
    fn an_excerpt_keeps_keys_and_replaces_values() {
        let body = br#"{"client_secret":"s3cr3t","n":12,"ok":true,"none":null,"list":[{"pesel":"90041703518"}]}"#;
        let excerpt = redacted_excerpt(body);
        // Compared as JSON: the keys' order depends on serde_json's `preserve_order` feature,
        // which another crate of the build may turn on.
        let excerpt: serde_json::Value = serde_json::from_str(&excerpt).unwrap();
        assert_eq!(
            excerpt,
            serde_json::json!({"client_secret": "***", "list": [{"pesel": "***"}], "n": "***", "none": null, "ok": "***"})
        );
        let html = redacted_excerpt(b"<html>secret</html>");
        assert_eq!(html, "[19 bytes, not JSON: not shown]");
        let long = format!(r#"{{"{}":1}}"#, "k".repeat(600));
        assert!(redacted_excerpt(long.as_bytes()).ends_with("..."));
    }

    #[test]
    fn api_error_output_shows_structure_not_values() {
        let mut headers = HeaderMap::new();
        headers.insert("upvest-request-id", "req-1".parse().unwrap());
        headers.insert("retry-after", "7".parse().unwrap());
        let body = br#"{"type":"https://docs.upvest.co/errors/bad","status":400,"title":"Bad request","detail":"client_secret=s3cr3t is wrong","instance":"/users/90041703518","pesel":"90041703518"}"#;
        let error = ApiError::from_response(400, headers, body, false);
        assert_eq!(error.detail(), Some("client_secret=s3cr3t is wrong"));
        assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
        let shown = format!(
            "{error} {error:?} {:?}",
            Error::Api(Box::new(error.clone()))
        );
        for value in ["s3cr3t", "90041703518"] {
            assert!(!shown.contains(value), "{shown}");
        }
        for structure in [
            "400",
            "req-1",
            "Bad request",
            "errors/bad",
            "pesel",
            "retry-after",
        ] {
            assert!(shown.contains(structure), "{structure}: {shown}");
        }

        // Not a problem document: an excerpt only when asked for, redacted.
        let echo = b"client_id=abc&client_secret=s3cr3t&grant_type=client_credentials";
        let error = ApiError::from_response(400, HeaderMap::new(), echo, false);
        assert_eq!(error.body_excerpt, None);
        assert!(!format!("{error:?}").contains("s3cr3t"));
        let error = ApiError::from_response(400, HeaderMap::new(), echo, true);
        assert!(!format!("{error} {error:?}").contains("s3cr3t"));
        let json = br#"{"message":"no user 90041703518"}"#;
        let error = ApiError::from_response(502, HeaderMap::new(), json, true);
        assert_eq!(error.body_excerpt.as_deref(), Some(r#"{"message":"***"}"#));
    }
}
