//! Walking every page of a list operation (`limit` and `offset` query parameters).
//!
//! Upvest's list responses carry `data` (the page's items) and `meta` (`offset`, `limit`,
//! `count`, `total_count`). The walk asks for the next offset until a page is empty, shorter
//! than its limit, or reaches `total_count`. A page that repeats the one before (a server that
//! ignores `offset`) ends the walk with an error.

use std::future::Future;
use std::hash::{Hash as _, Hasher as _};
use std::pin::Pin;

use futures_util::stream::{self, Stream, StreamExt as _};

use super::Response;
use crate::error::{DecodeError, Error};

/// What a page says about the walk, read from its raw JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PageInfo {
    /// How many items the page's `data` array holds.
    pub(crate) count: Option<u64>,
    /// `meta.limit`.
    pub(crate) limit: Option<u64>,
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
            limit: Option<u64>,
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
            limit: probe.meta.as_ref().and_then(|m| m.limit),
            total: probe.meta.as_ref().and_then(|m| m.total_count),
        }
    }

    /// The offset of the next page, or `None` when this one was the last.
    fn next_offset(&self, offset: u64) -> Option<u64> {
        let count = self.count.filter(|&c| c > 0)?;
        let next = offset + count;
        let past_total = self.total.is_some_and(|total| next >= total);
        let short = self.limit.is_some_and(|limit| count < limit);
        (!past_total && !short).then_some(next)
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
                        DecodeError::new(page.status, page.request_id, "data".into(), message, b"");
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
    use super::PageInfo;

    #[test]
    fn the_walk_stops_at_the_total_an_empty_or_a_short_page() {
        let info = |count, limit, total| PageInfo {
            count: Some(count),
            limit: Some(limit),
            total,
            items: None,
        };
        assert_eq!(info(10, 10, Some(25)).next_offset(0), Some(10));
        assert_eq!(info(10, 10, Some(20)).next_offset(10), None);
        assert_eq!(info(5, 10, None).next_offset(20), None);
        assert_eq!(info(0, 10, None).next_offset(20), None);
        assert_eq!(info(10, 10, None).next_offset(20), Some(30));
    }
}
