//! What a call returns: the decoded body with the response's metadata, or a body to read piece
//! by piece; and decoding a JSON body.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, Stream, StreamExt as _};
use reqwest::header::HeaderMap;
use tokio::io::AsyncWrite;

use super::transport::{transport, RawResponse};
use crate::error::{describe_json_error, DecodeError, Error};

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

/// A response body read piece by piece, for large documents (reports, statements): a
/// [`Stream`] of [`Bytes`] pieces, or read with [`chunk`](Self::chunk), or written to a file
/// with [`write_to`](Self::write_to).
///
/// A download is not bounded by the client's [`timeout`](super::ConfigBuilder::timeout), which
/// limits only the wait for its headers, but by its idle timeout
/// ([`download_idle_timeout`](super::ConfigBuilder::download_idle_timeout), default 30 s): the
/// longest wait for the next piece. A document that keeps arriving is read however long it
/// takes; one that stalls fails with [`Error::Timeout`]. After an error the stream ends.
pub struct Download {
    body: BoxStream<'static, Result<Bytes, Error>>,
    content_length: Option<u64>,
    attempts: u32,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("content_length", &self.content_length)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

impl Download {
    /// The body of `response`, read with at most `idle` between two pieces; `attempts` is how
    /// many times the request was sent.
    pub(super) fn new(response: reqwest::Response, idle: Duration, attempts: u32) -> Self {
        let content_length = response.content_length();
        let body = stream::unfold(Some(response), move |response| async move {
            let mut response = response?;
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(piece))) => Some((Ok(piece), Some(response))),
                Ok(Ok(None)) => None,
                Ok(Err(e)) => Some((Err(transport(e, attempts)), None)),
                Err(_) => Some((
                    Err(Error::Timeout {
                        source: None,
                        attempts,
                    }),
                    None,
                )),
            }
        })
        .boxed();
        Self {
            body,
            content_length,
            attempts,
        }
    }

    /// The next piece of the body, or `None` at its end. A failure ([`Error::Transport`], or
    /// [`Error::Timeout`] when no piece came within the idle timeout) reports how many times
    /// the request was sent.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.body.next().await.transpose()
    }

    /// The body's length, when the server announced it.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// How many times the request was sent before this body came (retries included).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Writes the whole body to `writer` (a `tokio::fs::File`, a socket, a `Vec<u8>`) and
    /// flushes it; returns the number of bytes written. A failure to write is an
    /// [`Error::Write`] error.
    pub async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let mut written = 0u64;
        while let Some(piece) = self.chunk().await? {
            let mut rest: &[u8] = &piece;
            while !rest.is_empty() {
                let n = poll_fn(|cx| Pin::new(&mut *writer).poll_write(cx, rest))
                    .await
                    .map_err(Error::Write)?;
                if n == 0 {
                    return Err(Error::Write(std::io::ErrorKind::WriteZero.into()));
                }
                rest = &rest[n..];
                written += n as u64;
            }
        }
        poll_fn(|cx| Pin::new(&mut *writer).poll_flush(cx))
            .await
            .map_err(Error::Write)?;
        Ok(written)
    }
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.body.as_mut().poll_next(cx)
    }
}

/// Decodes a JSON body; a token response's body never goes into an error, and another body
/// only as a redacted excerpt, when the configuration asks for excerpts. Only the call to
/// [`serde_helpers::decode`](crate::serde_helpers::decode) depends on `T`; the error, and the
/// path of the failing value in it, are built by code compiled once.
pub(super) fn decode<T: serde::de::DeserializeOwned>(
    raw: &RawResponse,
    secret: bool,
) -> Result<T, Error> {
    crate::serde_helpers::decode(&raw.body).map_err(|e| decode_error(raw, secret, &e))
}

fn decode_error(raw: &RawResponse, secret: bool, e: &serde_json::Error) -> Error {
    let message = if secret {
        "not a token response".to_string()
    } else {
        describe_json_error(e)
    };
    let path = crate::serde_helpers::error_path(&raw.body, e);
    let mut error = DecodeError::new(raw.status, raw.request_id(), path, message);
    if raw.excerpts && !secret {
        error = error.with_excerpt(&raw.body);
    }
    Error::Decode(Box::new(error))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use futures_util::StreamExt as _;
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::super::test_server::{client, config, hang, read_head, serve, write};
    use super::super::{Request, RetryPolicy};
    use crate::error::Error;

    fn get(segment: &str) -> Request {
        let mut request = Request::new("get_document", reqwest::Method::GET);
        request.segment(segment);
        request
    }

    /// 200 with a body of `pieces` pieces of `piece` bytes, `gap` apart.
    async fn trickling_server(pieces: usize, piece: usize, gap: Duration) -> String {
        let (url, _) = serve(move |_, mut stream| async move {
            read_head(&mut stream).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/pdf\r\ncontent-length: {}\r\n\r\n",
                pieces * piece
            );
            write(&mut stream, head.as_bytes()).await;
            for i in 0..pieces {
                tokio::time::sleep(gap).await;
                write(&mut stream, &vec![b'a' + i as u8; piece]).await;
            }
            hang().await;
        })
        .await;
        url
    }

    #[tokio::test]
    async fn a_download_is_a_stream_bounded_by_its_idle_timeout_not_the_request_timeout() {
        // 8 pieces 150 ms apart: 1.2 s in all, four times the 0.3 s request timeout.
        let url = trickling_server(8, 1000, Duration::from_millis(150)).await;
        let client = client(
            config(&url)
                .timeout(Duration::from_millis(300))
                .download_idle_timeout(Duration::from_secs(5)),
        );
        let download = client.send_download(get("doc")).await.unwrap().data;
        assert_eq!(download.content_length(), Some(8000));
        assert_eq!(download.attempts(), 1);
        let pieces: Vec<bytes::Bytes> = download.map(|piece| piece.unwrap()).collect().await;
        let body: Vec<u8> = pieces.concat();
        assert_eq!(body.len(), 8000);
        assert!(body.starts_with(b"aaa") && body.ends_with(b"hhh"));

        // The same through `write_to`, into any `AsyncWrite`.
        let download = client.send_download(get("doc")).await.unwrap().data;
        let mut file: Vec<u8> = Vec::new();
        assert_eq!(download.write_to(&mut file).await.unwrap(), 8000);
        assert_eq!(file, body);
    }

    #[tokio::test]
    async fn a_stalled_download_fails_after_its_idle_timeout_with_the_real_attempt_count() {
        // The first connection answers 503 (retried), the second sends one piece and stalls.
        let (url, _) = serve(|number, mut stream| async move {
            read_head(&mut stream).await;
            if number == 0 {
                let head = "HTTP/1.1 503 Service Unavailable\r\nretry-after: 0\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
                write(&mut stream, head.as_bytes()).await;
                return;
            }
            let head = "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789";
            write(&mut stream, head.as_bytes()).await;
            hang().await;
        })
        .await;
        let client = client(
            config(&url)
                .timeout(Duration::from_secs(30))
                .download_idle_timeout(Duration::from_millis(500)),
        );
        let mut download = client.send_download(get("doc")).await.unwrap().data;
        assert_eq!(download.attempts(), 2);
        assert_eq!(
            download.chunk().await.unwrap().as_deref(),
            Some(&b"0123456789"[..])
        );
        let started = Instant::now();
        let error = download.chunk().await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "does not wait past the idle timeout"
        );
        assert!(
            matches!(error, Error::Timeout { attempts: 2, .. }),
            "{error:?}"
        );
        // After an error the stream ends.
        assert!(download.chunk().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_download_whose_headers_hang_fails_after_the_request_timeout() {
        let (url, _) = serve(|_, mut stream| async move {
            read_head(&mut stream).await;
            hang().await;
        })
        .await;
        let client = client(
            config(&url)
                .timeout(Duration::from_millis(500))
                .retry_policy(RetryPolicy::none()),
        );
        let started = Instant::now();
        let error = client.send_download(get("doc")).await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(
            matches!(error, Error::Timeout { attempts: 1, .. }),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_success_body_over_the_maximum_size_is_an_error() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/big"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("upvest-request-id", "req-big")
                    .set_body_json(json!({ "data": "x".repeat(5000) })),
            )
            .mount(&server)
            .await;
        let small = client(config(&server.uri()).max_response_size(1000));
        let error = small
            .send_json::<serde_json::Value>(get("big"))
            .await
            .unwrap_err();
        let Error::ResponseTooLarge { status, limit, .. } = &error else {
            panic!("expected ResponseTooLarge, got {error:?}")
        };
        assert_eq!((*status, *limit), (200, 1000));
        assert_eq!(error.request_id(), Some("req-big"));
        let roomy = client(config(&server.uri()).max_response_size(10_000));
        let ok = roomy
            .send_json::<serde_json::Value>(get("big"))
            .await
            .unwrap();
        assert_eq!(ok.data["data"].as_str().map(str::len), Some(5000));
    }

    #[tokio::test]
    async fn an_error_body_is_read_only_as_far_as_needed() {
        // A 500 with an endless HTML body (chunked): the client stops reading after its limit.
        let written = Arc::new(AtomicUsize::new(0));
        let counter = written.clone();
        let (url, _) = serve(move |_, mut stream| {
            let counter = counter.clone();
            async move {
                read_head(&mut stream).await;
                let head = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/html\r\nretry-after: 3\r\ntransfer-encoding: chunked\r\n\r\n";
                write(&mut stream, head.as_bytes()).await;
                let piece = format!("10000\r\n{}\r\n", "<p>".repeat(0x10000 / 3 + 1).get(..0x10000).unwrap());
                // At most 200 MiB; the client's drop ends it much earlier.
                for _ in 0..3200 {
                    if !write(&mut stream, piece.as_bytes()).await {
                        return;
                    }
                    counter.fetch_add(0x10000, Ordering::SeqCst);
                }
            }
        })
        .await;
        let client = client(config(&url).retry_policy(RetryPolicy::none()));
        let error = client
            .send_json::<serde_json::Value>(get("page"))
            .await
            .unwrap_err();
        let api = error.as_api().expect("an API error");
        assert_eq!(api.status, 500);
        assert_eq!(api.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(api.body_excerpt, None, "no excerpt unless asked for");
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sent = written.load(Ordering::SeqCst);
        assert!(
            sent < 32 * 1024 * 1024,
            "the server got to write {sent} bytes of 200 MiB"
        );
    }

    #[tokio::test]
    async fn a_decode_error_shows_no_value_of_the_body_unless_excerpts_are_asked_for() {
        let server = MockServer::start().await;
        let body =
            json!({ "data": { "id": 7, "national_id": "90041703518", "created_at": "yesterday" } });
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("upvest-request-id", "req-7")
                    .set_body_json(&body),
            )
            .mount(&server)
            .await;
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Page {
            data: Item,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: u32,
            national_id: String,
            created_at: chrono::DateTime<chrono::Utc>,
        }
        let quiet = client(config(&server.uri()));
        let error = quiet.send_json::<Page>(get("users")).await.unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("expected Error::Decode, got {error:?}")
        };
        assert_eq!(decode.path, "data.created_at");
        assert_eq!(decode.excerpt, None);
        let shown = format!("{error} {error:?}");
        assert!(
            shown.contains("data.created_at") && shown.contains("req-7"),
            "{shown}"
        );
        for value in ["90041703518", "yesterday"] {
            assert!(!shown.contains(value), "{shown}");
        }

        let verbose = client(config(&server.uri()).error_body_excerpts(true));
        let error = verbose.send_json::<Page>(get("users")).await.unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("expected Error::Decode, got {error:?}")
        };
        // Compared as JSON: the keys' order depends on serde_json's `preserve_order` feature,
        // which another crate of the build may turn on.
        let excerpt: serde_json::Value =
            serde_json::from_str(decode.excerpt.as_deref().expect("an excerpt")).unwrap();
        assert_eq!(
            excerpt,
            serde_json::json!({"data": {"created_at": "***", "id": "***", "national_id": "***"}})
        );
        assert!(!format!("{error} {error:?}").contains("90041703518"));
    }
}
