//! The committed SDK (`generated/`, crate `upvest`) driven over HTTP against loopback servers
//! (wiremock, hand-rolled TCP servers, Upvest's verifying proxy), one module per subject. Each
//! test checks both sides of the exchange: what the SDK puts on the wire and what it makes of
//! the answer. The runtime features the User Identifiers group does not use (pagination,
//! downloads, generated idempotency keys, the form-encoded token operation) are checked on a
//! generated fixture crate instead: `tests/fixtures/runtime/`, run by the `builds` tests.

mod support;

mod auth;
mod config;
mod decoding;
mod errors;
mod fake;
mod personal_data;
mod requests;
mod retries;
mod secrets;
mod signing;
