//! Loopback servers for the runtime's unit tests, for faults a mock server cannot express (a
//! token endpoint that never answers, a body that stalls or trickles, an endless error page).
//! Not copied into the SDK.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use super::{Client, Config, ConfigBuilder};

/// A server on 127.0.0.1 that hands each connection, with its number (from 0), to `handle`.
/// Returns its URL and the number of connections accepted so far.
pub(crate) async fn serve<F, Fut>(handle: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(usize, TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let number = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(handle(number, stream));
        }
    });
    (url, accepted)
}

/// Reads a request's head; its body, if any, is left unread.
pub(crate) async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// Writes `bytes`, ignoring a closed connection.
pub(crate) async fn write(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream.write_all(bytes).await.is_ok() && stream.flush().await.is_ok()
}

/// Holds a connection open without answering, for longer than any test runs.
pub(crate) async fn hang() {
    tokio::time::sleep(Duration::from_secs(120)).await;
}

/// A configuration for `url` with a client ID and a fixed token, unsigned.
pub(crate) fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .base_url(url)
        .client_id("client-1")
        .access_token("token-1")
}

/// A client from `config`.
pub(crate) fn client(config: ConfigBuilder) -> Client {
    Client::new(config.build().unwrap()).unwrap()
}
