//! `x-webhooks`: the events Upvest posts to a client's endpoints. Each event group (an entry
//! of `x-webhooks`) gets a typed payload; the payload's `type` property lists the event types
//! that select it, which the generated `parse` function dispatches on.

use std::collections::BTreeSet;

use openapiv3::PathItem;
use serde::Deserialize as _;

use super::docs::doc_lines;
use super::media::pick_content;
use super::types::{Collector, Ctx, Level, Role, Site, Slot, Ty, Types};
use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::model::Webhook;
use crate::names;
use crate::pointer::Pointer;

/// The extension holding the webhooks, and the feature and module they are generated into.
pub const EXTENSION: &str = crate::describe::refs::WEBHOOKS_EXTENSION;
pub const FEATURE: &str = "webhook-events";

/// A webhook event group as collected: its payload's type an expression, named once every
/// type is collected (see [`finish`] and [`Webhook`] for the fields).
pub struct CollectedWebhook {
    name: String,
    operation_id: String,
    variant: String,
    payload: Ty,
    doc: Vec<String>,
    event_types: Vec<String>,
}

/// Every webhook event group, sorted by operationId, its payload collected as a type.
pub fn collect(spec: &LoadedSpec, collector: &mut Collector) -> Result<Vec<CollectedWebhook>> {
    let Some(hooks) = spec.raw.get(EXTENSION).and_then(|v| v.as_object()) else {
        return Ok(Vec::new());
    };
    // Lowered in operationId order, not document order: type names must not depend on the
    // order of the keys.
    let mut items = Vec::new();
    for (name, item) in hooks {
        let at = Pointer::root().push(EXTENSION).push(name);
        // `x-webhooks` is an extension, not part of the typed description: parsed here, once.
        let item = PathItem::deserialize(item).map_err(|e| Error::Invalid {
            location: spec.locate(&at),
            message: format!("a webhook must be a path item: {e}"),
        })?;
        items.push((name, item, at));
    }
    let id = |(name, item, _): &(&String, PathItem, Pointer)| {
        item.post
            .as_ref()
            .and_then(|op| op.operation_id.clone())
            .unwrap_or_else(|| name.to_string())
    };
    items.sort_by_key(id);
    let mut collected = Vec::new();
    // A group whose payload no event type selects (none declared, or all claimed by an earlier
    // group) is left out by `finish`: its payload is not lowered either, or its types would be
    // compiled under a `webhook-events` feature the crate does not have.
    let mut claimed = BTreeSet::new();
    for (name, item, at) in &items {
        let Some(op) = item.post.as_ref() else {
            continue;
        };
        let at = at.push("post");
        let mut event_types = event_types(spec, &at);
        event_types.retain(|t| claimed.insert(t.clone()));
        if event_types.is_empty() {
            continue;
        }
        collected.push(collect_one(spec, collector, name, op, &at)?);
    }
    Ok(collected)
}

fn collect_one(
    spec: &LoadedSpec,
    collector: &mut Collector,
    name: &str,
    op: &openapiv3::Operation,
    at: &Pointer,
) -> Result<CollectedWebhook> {
    let operation_id = op.operation_id.clone().unwrap_or_else(|| name.to_string());
    let variant = names::type_ident(&operation_id).unwrap_or_else(|| "Event".into());
    let body = op.request_body.as_ref().and_then(|b| b.as_item());
    let media = body.and_then(|b| pick_content(&b.content));
    let payload = match media
        .as_ref()
        .and_then(|(ct, m)| Some((ct, m, m.schema.as_ref()?)))
    {
        Some((content_type, media, schema)) => {
            let media_at = at.push("requestBody").push("content").push(content_type);
            let ctx = Ctx {
                pointer: media_at.push("schema"),
                place: media_at.push("schema"),
                name: format!("{variant}Payload"),
                feature: FEATURE.to_string(),
                role: Role::Output,
                parent: None,
                site: std::sync::Arc::new(Site {
                    owner: format!("WebhookEvent::{variant}"),
                    webhook: true,
                    slot: Slot::Body,
                }),
                level: Level::Own,
            };
            collector.lower_media(schema, &ctx, media, &media_at)?.ty
        }
        None => Ty::Json,
    };
    let event_types = event_types(spec, at);
    Ok(CollectedWebhook {
        name: name.to_string(),
        operation_id,
        variant,
        payload,
        doc: doc_lines(op.description.as_deref().or(op.summary.as_deref())),
        event_types,
    })
}

/// The values of the payload's `type` enum, read from the raw tree.
fn event_types(spec: &LoadedSpec, at: &Pointer) -> Vec<String> {
    let Some(content) = at
        .push("requestBody")
        .push("content")
        .resolve(&spec.raw)
        .and_then(|c| c.as_object())
    else {
        return Vec::new();
    };
    // The payload schema and its `type` property may each be a reference (OpenAPI 3.1
    // descriptions put payloads in components).
    let follow = |node| follow_refs(&spec.raw, node);
    content
        .values()
        .filter_map(|media| {
            let schema = follow(media.get("schema")?)?;
            follow(schema.get("properties")?.get("type")?)?
                .get("enum")?
                .as_array()
        })
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The node `node` stands for, its references followed (`None` if one leads nowhere).
fn follow_refs<'a>(
    doc: &'a serde_json::Value,
    mut node: &'a serde_json::Value,
) -> Option<&'a serde_json::Value> {
    for _ in 0..MAX_HOPS {
        match node.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => node = Pointer::parse_ref(r)?.resolve(doc)?,
            None => return Some(node),
        }
    }
    None
}

/// How many references in a row [`event_types`] follows.
const MAX_HOPS: usize = 16;

/// Final types, and dispatch keys that are unambiguous: an event type claimed by two groups
/// goes to the first; a prefix (`USER.`) is kept only when one group alone uses it.
pub fn finish(mut collected: Vec<CollectedWebhook>, types: &Types) -> Vec<Webhook> {
    let mut claimed = BTreeSet::new();
    for hook in &mut collected {
        hook.event_types.retain(|t| claimed.insert(t.clone()));
    }
    let prefixes: Vec<BTreeSet<String>> = collected
        .iter()
        .map(|hook| prefixes_of(&hook.event_types))
        .collect();
    let mut webhooks: Vec<Webhook> = collected
        .into_iter()
        .enumerate()
        .map(|(index, hook)| Webhook {
            payload_type: types.rust(&hook.payload),
            prefixes: prefixes[index]
                .iter()
                .filter(|p| {
                    prefixes
                        .iter()
                        .enumerate()
                        .all(|(other, set)| other == index || !set.contains(*p))
                })
                .cloned()
                .collect(),
            name: hook.name,
            operation_id: hook.operation_id,
            variant: hook.variant,
            doc: hook.doc,
            event_types: hook.event_types,
        })
        .collect();
    // A group no event type or prefix leads to would be a variant nothing constructs (dead
    // code, which the crate denies); its events stay whole as `WebhookEvent::Unknown`.
    webhooks.retain(|w| !w.event_types.is_empty() || !w.prefixes.is_empty());
    webhooks
}

/// `USER.CREATED` -> `USER.`: new event types of a group share its prefix.
fn prefixes_of(event_types: &[String]) -> BTreeSet<String> {
    event_types
        .iter()
        .filter_map(|t| t.find('.').map(|dot| t[..=dot].to_string()))
        .collect()
}
