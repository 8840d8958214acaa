//! The User Identifiers SDK as the runtime tests drive it: a user, an identifier body, clients
//! with fast retries, and captured log lines. Shared by `faults.rs` and `runtime_review.rs`.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use upvest::models::{IdentifierCreateRequest, IdentifierType};
use upvest::uuid::{uuid, Uuid};
use upvest::{Client, Config, Error, RetryPolicy};

pub const CLIENT_ID: &str = "ffa6d3d7-696d-42c6-95fc-640c6e02ce00";
pub const USER_ID: Uuid = uuid!("f10c5772-ef2f-4993-a20d-0fc50809346a");

pub fn list_path() -> String {
    format!("/users/{USER_ID}/identifiers")
}

pub fn identifier_json() -> Value {
    json!({
        "id": "096b03ab-75c9-4386-b5e1-5e14d51dad85",
        "created_at": "2024-03-14T09:26:53Z",
        "updated_at": "2024-03-14T09:26:53Z",
        "user_id": USER_ID,
        "identifier_standard": "PESEL",
        "identifier": "90041703518",
        "type": "NATIONAL_ID",
        "issuing_country": "PL",
    })
}

pub fn list_json() -> Value {
    json!({ "data": [identifier_json()] })
}

/// Fast retries, so the tests do not wait on backoff.
pub fn quick_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_secs(2))
}

/// A client with a fixed access token (no OAuth, no signing).
pub fn token_client(base_url: &str, token: &str, retry: RetryPolicy) -> Client {
    let config = Config::builder()
        .base_url(base_url)
        .client_id(CLIENT_ID)
        .access_token(token)
        .retry_policy(retry)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

pub async fn list(
    client: &Client,
) -> Result<upvest::Response<upvest::models::IdentifiersListResponse>, Error> {
    client.list_user_identifiers(USER_ID).send().await
}

pub fn create(client: &Client) -> upvest::user_identifiers::CreateIdentifier {
    client.create_identifier(
        USER_ID,
        IdentifierCreateRequest::new("90041703518", "PL", IdentifierType::NationalId),
    )
}

/// Log lines, captured for the current thread.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let writer = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
