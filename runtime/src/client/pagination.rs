//! Walking every page of a list operation (`limit` and `offset` query parameters).
//!
//! Upvest's list responses carry `data` (the page's items) and `meta` (`offset`, `limit`,
//! `count`, `total_count`). The walk asks for the next offset (this page's offset plus the
//! number of items it holds) until a page is empty or `offset + count >= total_count`. A page
//! shorter than `limit` does not end the walk: a server may cap a page below the limit asked
//! for. A page that repeats the one before (a server that ignores `offset`) ends the walk with
//! an error.

use std::future::Future;
use std::hash::{Hash as _, Hasher as _};
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt as _};

use super::{Client, Request, Response};
use crate::error::{DecodeError, Error};

/// The next page's offset as the operation's `offset` parameter takes it (`i32` or `i64`): an
/// offset past that type's range is an error of the call, never a wrapped number. Used by the
/// generated list operations.
#[allow(dead_code)]
pub(crate) fn offset_as<T: TryFrom<u64>>(operation: &'static str, offset: u64) -> Result<T, Error> {
    T::try_from(offset).map_err(|_| Error::InvalidInput {
        operation,
        message: format!("the next page's offset {offset} does not fit the `offset` parameter"),
    })
}

/// What a page says about the walk, read from its raw JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PageInfo {
    /// How many items the page's `data` array holds.
    pub(crate) count: Option<u64>,
    /// `meta.total_count`.
    pub(crate) total: Option<u64>,
    /// A fingerprint of a non-empty `data` array, to notice a page served twice.
    pub(crate) items: Option<u64>,
}

impl PageInfo {
    pub(crate) fn read(body: &[u8]) -> Self {
        #[derive(serde::Deserialize)]
        struct Probe {
            #[serde(default)]
            data: Option<serde_json::Value>,
            #[serde(default)]
            meta: Option<Meta>,
        }
        #[derive(serde::Deserialize)]
        struct Meta {
            #[serde(default)]
            total_count: Option<u64>,
        }
        let Ok(probe) = serde_json::from_slice::<Probe>(body) else {
            return Self::default();
        };
        let array = probe.data.as_ref().and_then(|d| d.as_array());
        Self {
            count: array.map(|a| a.len() as u64),
            items: array.filter(|a| !a.is_empty()).map(|a| fingerprint(a)),
            total: probe.meta.as_ref().and_then(|m| m.total_count),
        }
    }

    /// The offset of the next page, or `None` when this one was the last: it is empty (or has
    /// no `data` array), or `offset + count` reaches `total_count`.
    fn next_offset(&self, offset: u64) -> Option<u64> {
        let count = self.count.filter(|&c| c > 0)?;
        let next = offset.saturating_add(count);
        let past_total = self.total.is_some_and(|total| next >= total);
        (!past_total).then_some(next)
    }
}

/// A hash of a page's items, as sent.
fn fingerprint(items: &[serde_json::Value]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for item in items {
        item.to_string().hash(&mut hasher);
    }
    hasher.finish()
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<(Response<T>, PageInfo), Error>> + Send>>;
type FetchPage<T> = Box<dyn FnMut(u64) -> PageFuture<T> + Send>;

/// The pages of a list operation, fetched one at a time as they are asked for. Get one from an
/// operation's `pages()`; take pages with [`Pages::next_page`], or all of them as a `Stream`.
pub struct Pages<T> {
    fetch: FetchPage<T>,
    next: Option<u64>,
    /// The fingerprint of the previous page's items.
    previous: Option<u64>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("next_offset", &self.next)
            .finish()
    }
}

impl<T: Send + 'static> Pages<T> {
    #[allow(dead_code)]
    pub(crate) fn new<F>(first_offset: u64, fetch: F) -> Self
    where
        F: FnMut(u64) -> PageFuture<T> + Send + 'static,
    {
        Self {
            fetch: Box::new(fetch),
            next: Some(first_offset),
            previous: None,
        }
    }

    /// The pages of a list operation: `request` makes, from the operation's request builder,
    /// the request for the page at an offset. Generic, like the sending of any operation, so a
    /// list's sending and decoding are compiled only in a program that walks it.
    #[allow(dead_code)]
    pub(crate) fn of_operation<B>(
        client: Client,
        first_offset: u64,
        builder: B,
        request: fn(&B, u64) -> Result<Request, Error>,
    ) -> Self
    where
        B: Send + 'static,
        T: serde::de::DeserializeOwned,
    {
        Self::new(first_offset, move |offset| {
            let request = request(&builder, offset);
            let client = client.clone();
            Box::pin(async move { client.send_page(request?).await })
        })
    }

    /// The next page, or `None` after the last one. After an error the walk ends.
    pub async fn next_page(&mut self) -> Option<Result<Response<T>, Error>> {
        let offset = self.next.take()?;
        match (self.fetch)(offset).await {
            Ok((page, info)) => {
                // A server that ignores `offset` serves the same items at every offset: the
                // walk would repeat them and, without `total_count`, never end.
                if info.items.is_some() && info.items == self.previous {
                    let message = format!(
                        "the page at offset {offset} repeats the previous one: the server ignores `offset`"
                    );
                    let error =
                        DecodeError::new(page.status, page.request_id, "data".into(), message);
                    return Some(Err(Error::Decode(Box::new(error))));
                }
                self.previous = info.items;
                self.next = info.next_offset(offset);
                Some(Ok(page))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// Every page, in order, as a stream.
    pub fn into_stream(self) -> impl Stream<Item = Result<Response<T>, Error>> + Send {
        stream::unfold(self, |mut pages| async move {
            let page = pages.next_page().await?;
            Some((page, pages))
        })
    }

    /// Every item of every page, in order, as a stream; `items` takes a page's items out.
    pub fn items<I, F>(self, items: F) -> impl Stream<Item = Result<I, Error>> + Send
    where
        I: Send + 'static,
        F: Fn(T) -> Vec<I> + Send + 'static,
    {
        self.into_stream().flat_map(move |page| {
            let batch: Vec<Result<I, Error>> = match page {
                Ok(page) => items(page.data).into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(batch)
        })
    }

    /// Every item of every page as JSON, for lists whose `data` the SDK has no single item type
    /// for (a union of lists): each page's `data` array, element by element.
    pub fn json_items<F, D>(
        self,
        data: F,
    ) -> impl Stream<Item = Result<serde_json::Value, Error>> + Send
    where
        F: Fn(T) -> D + Send + 'static,
        D: serde::Serialize,
    {
        self.items(move |page| match serde_json::to_value(data(page)) {
            Ok(serde_json::Value::Array(items)) => items,
            Ok(serde_json::Value::Null) | Err(_) => Vec::new(),
            Ok(other) => vec![other],
        })
    }

    /// Every page, fetched until the last one or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<Response<T>>, Error> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.push(page?);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_stops_at_the_total_or_an_empty_page_not_a_short_one() {
        let info = |count, total| PageInfo {
            count: Some(count),
            total,
            items: None,
        };
        assert_eq!(info(10, Some(25)).next_offset(0), Some(10));
        assert_eq!(info(10, Some(20)).next_offset(10), None);
        assert_eq!(info(5, Some(15)).next_offset(10), None);
        // A page shorter than the limit asked for (a server capping pages) goes on.
        assert_eq!(info(5, Some(100)).next_offset(20), Some(25));
        assert_eq!(info(5, None).next_offset(20), Some(25));
        assert_eq!(info(0, None).next_offset(20), None);
        assert_eq!(info(0, Some(100)).next_offset(20), None);
        let no_data = PageInfo::read(br#"{"meta":{"total_count":10}}"#);
        assert_eq!(no_data.next_offset(0), None);
        let read = PageInfo::read(br#"{"data":[1,2],"meta":{"limit":10,"total_count":9}}"#);
        assert_eq!(read.next_offset(0), Some(2));
    }

    /// A list served like Upvest's: `limit` and `offset` query parameters, pages capped at
    /// `cap` items whatever the limit, `meta.total_count`.
    fn capped_server(total: u64, cap: u64) -> impl Fn(u64) -> PageFuture<serde_json::Value> {
        move |offset| {
            Box::pin(async move {
                let items: Vec<u64> = (offset..total.min(offset + cap)).collect();
                let body = serde_json::json!({
                    "data": items,
                    "meta": {"offset": offset, "limit": 10, "count": items.len(), "total_count": total},
                });
                let bytes = body.to_string().into_bytes();
                let response = Response {
                    data: body,
                    status: 200,
                    request_id: None,
                    headers: Default::default(),
                };
                Ok((response, PageInfo::read(&bytes)))
            })
        }
    }

    #[tokio::test]
    async fn items_walk_every_page_when_the_server_caps_pages_below_the_limit() {
        let fetched = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counter = fetched.clone();
        let server = capped_server(23, 4);
        let pages = Pages::new(0, move |offset| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            server(offset)
        });
        let items: Vec<u64> = pages
            .items(|page| {
                page["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap())
                    .collect()
            })
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(items, (0..23).collect::<Vec<_>>());
        // 6 pages of 4, 4, 4, 4, 4, 3: the last reaches `total_count`, no empty page is asked.
        assert_eq!(fetched.load(std::sync::atomic::Ordering::SeqCst), 6);
    }

    #[tokio::test]
    async fn json_items_take_the_elements_of_data() {
        let pages = Pages::new(0, capped_server(5, 2));
        let items: Vec<serde_json::Value> = pages
            .json_items(|page| page["data"].clone())
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(
            items,
            (0..5).map(serde_json::Value::from).collect::<Vec<_>>()
        );
    }
}

#[cfg(test)]
mod loopback {
    use futures_util::StreamExt as _;
    use serde_json::json;
    use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

    use super::super::test_server::{client, config};
    use super::super::{Client, Request};
    use super::Pages;

    /// A list endpoint like Upvest's that serves at most 4 items a page whatever `limit` asks.
    async fn capped_list(total: u64) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::path("/items"))
            .respond_with(move |request: &Received| {
                let query = |name: &str| {
                    request
                        .url
                        .query_pairs()
                        .find(|(n, _)| n == name)
                        .and_then(|(_, v)| v.parse::<u64>().ok())
                };
                let offset = query("offset").unwrap_or(0);
                let limit = query("limit").unwrap_or(10).min(4);
                let items: Vec<u64> = (offset..total.min(offset + limit)).collect();
                ResponseTemplate::new(200).set_body_json(json!({
                    "data": items,
                    "meta": {"offset": offset, "limit": 10, "count": items.len(), "total_count": total},
                }))
            })
            .mount(&server)
            .await;
        server
    }

    /// The pages as a generated list operation's `pages()` makes them: from its request
    /// builder (here a limit) and a function that makes the request for an offset.
    fn pages(client: Client) -> Pages<serde_json::Value> {
        Pages::of_operation(client, 0, 10_u32, |limit, offset| {
            let mut request = Request::new("list_items", reqwest::Method::GET);
            request.segment("items");
            request.query("limit", limit)?;
            request.query("offset", &offset)?;
            Ok(request)
        })
    }

    #[test]
    fn an_offset_past_the_parameters_range_is_an_error() {
        assert_eq!(super::offset_as::<i32>("list_items", 7).unwrap(), 7);
        let too_far = u64::try_from(i32::MAX).unwrap() + 1;
        let error = super::offset_as::<i32>("list_items", too_far).unwrap_err();
        use crate::error::Error;
        assert!(
            matches!(&error, Error::InvalidInput { operation: "list_items", message } if message.contains("2147483648")),
            "{error:?}"
        );
        assert_eq!(
            super::offset_as::<i64>("list_items", too_far).unwrap(),
            2_147_483_648
        );
    }

    #[tokio::test]
    async fn a_short_page_does_not_end_the_walk() {
        let server = capped_list(10).await;
        let items: Vec<serde_json::Value> = pages(client(config(&server.uri())))
            .json_items(|page| page["data"].clone())
            .map(|item| item.unwrap())
            .collect()
            .await;
        assert_eq!(
            items,
            (0..10).map(serde_json::Value::from).collect::<Vec<_>>()
        );
        // Offsets 0, 4 and 8; the third page reaches `total_count` and ends the walk.
        let offsets: Vec<String> = server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .map(|r| r.url.query().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            offsets,
            [
                "limit=10&offset=0",
                "limit=10&offset=4",
                "limit=10&offset=8"
            ]
        );
    }
}
