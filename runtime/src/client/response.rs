//! What a call returns: the decoded body with the response's metadata, or a body to read piece
//! by piece; and decoding a JSON body.

use reqwest::header::HeaderMap;

use super::transport::{transport, RawResponse};
use crate::error::{DecodeError, Error};

/// A decoded response with the metadata callers need for support requests.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub data: T,
    /// The HTTP status.
    pub status: u16,
    /// The `upvest-request-id` header: quote it when asking Upvest about a request.
    pub request_id: Option<String>,
    /// All response headers.
    pub headers: HeaderMap,
}

impl<T> Response<T> {
    /// The decoded body, without the metadata.
    pub fn into_data(self) -> T {
        self.data
    }

    pub(super) fn from_raw(raw: &RawResponse, data: T) -> Self {
        Self {
            data,
            status: raw.status,
            request_id: raw.request_id(),
            headers: raw.headers.clone(),
        }
    }
}

/// A response body read piece by piece, for large documents (reports).
#[derive(Debug)]
pub struct Download {
    pub(super) response: reqwest::Response,
}

impl Download {
    /// The next piece of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        self.response.chunk().await.map_err(|e| transport(e, 1))
    }

    /// The body's length, when the server announced it.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }
}

/// Decodes a JSON body; a token response's body never goes into an error.
pub(super) fn decode<T: serde::de::DeserializeOwned>(
    raw: &RawResponse,
    secret: bool,
) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(&raw.body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let body: &[u8] = if secret {
            b"[redacted: token response]"
        } else {
            &raw.body
        };
        let message = if secret {
            "not a token response".to_string()
        } else {
            e.inner().to_string()
        };
        Error::Decode(Box::new(DecodeError::new(
            raw.status,
            raw.request_id(),
            e.path().to_string(),
            message,
            body,
        )))
    })
}
