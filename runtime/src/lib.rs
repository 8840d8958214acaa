//! The runtime of the generated Upvest SDK: the client, its configuration, signing, tokens,
//! retries, pagination, errors and the serde support of the generated models.
//!
//! This crate exists so that the runtime is compiled, linted and tested like any other Rust code.
//! The generator copies its files (all but this one and the stand-in below) into every SDK it
//! writes, which stays self-contained; nothing depends on this crate. It also reads what they
//! declare (the `Client`'s methods, the named error statuses, the headers the client manages),
//! so each of those facts is written once, here.
//!
//! One file holds what depends on the description and is written by the generator from a
//! template instead: `client/servers.rs` (`templates/servers.rs.jinja`). Here it is a stand-in
//! with the values the default description (`spec/`) gives; a test checks it matches the
//! committed SDK.
//!
//! The fake Upvest of the SDK's `testing` feature is the same: its engine
//! (`testing/fake.rs`) is copied, its table of operations is written from
//! `templates/testing.rs.jinja`; here `testing.rs` holds a small table written by hand, for the
//! engine's tests (feature `testing`, on by default in this crate).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
pub mod debug;
pub mod error;
#[doc(hidden)]
pub mod serde_helpers;
/// A fake Upvest for tests, in process (the SDK's `testing` feature).
#[cfg(feature = "testing")]
pub mod testing;

/// Re-exported: downloads come in [`bytes::Bytes`] pieces.
pub use bytes;
pub use client::{
    Client, Config, ConfigBuilder, Download, Interceptor, Pages, RequestOptions, Response,
    RetryPolicy, Secret, SigningKey, SigningOptions,
};
pub use error::{ApiError, DecodeError, Error, ErrorStatus, Problem};
/// Re-exported: `items()` of a list operation is a [`futures_util::Stream`]; its
/// [`StreamExt`](futures_util::StreamExt) walks it.
pub use futures_util;
/// Re-exported: its types are part of this API (`Response::headers`, transport errors,
/// [`Interceptor`]s, [`Client::with_http_client`]); use this one to get the same version.
pub use reqwest;
/// Re-exported: free-form JSON values are `serde_json::Value`.
pub use serde_json;
