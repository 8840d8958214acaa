//! The engine of the fake Upvest: routing a request to its operation, checking it as Upvest's
//! gateway would, answering it (a rule the test set, else the operation's default answer) and
//! recording it. The description's part (the table of operations and one typed method per
//! operation) is generated beside this file.
//!
//! The fake is an [`Interceptor`] that answers every attempt itself: the client signs, retries
//! and decodes as it would against Upvest, and nothing goes on the network.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;

use crate::client::{
    AttemptContext, Client, Config, ConfigBuilder, Interceptor, Reply, RetryPolicy, TOKEN_PATH,
};
use crate::error::{ErrorStatus, Problem};
use crate::serde_helpers::{Extra, Fit, Need, Prop};

/// The base URL of a client made by [`Fake::config`]: nothing resolves it, the fake answers.
pub const FAKE_URL: &str = "http://upvest.fake.invalid";

/// The tenant client ID [`Fake::config`] configures, and the only one the fake accepts.
pub const FAKE_CLIENT_ID: &str = "00000000-0000-4000-8000-00000000f4ce";

/// The client secret [`Fake::config`] configures, and the only one the fake's token endpoint
/// accepts.
pub const FAKE_CLIENT_SECRET: &str = "fake-client-secret";

/// Items a list answers with when neither the test ([`Fake::list_items`]) nor the example
/// says.
const DEFAULT_LIMIT: usize = 100;

/// What the fake knows of one operation (generated from the description).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: &'static str,
    pub method: &'static str,
    /// The path template, `/users/{user_id}`.
    pub path: &'static str,
    pub params: Vec<Param>,
    /// The description declares the `idempotency-key` header: Upvest requires it.
    pub idempotency_key: bool,
    /// The request takes the bearer token.
    pub authorized: bool,
    /// The OAuth2 scopes the description lists for it: its token must have been granted one
    /// of them (Upvest lists alternatives, as `users:read` and `users:admin` for a read).
    pub scopes: &'static [&'static str],
    pub body: Option<BodySpec>,
    pub success_status: u16,
    /// The success body's media type; none for an empty answer.
    pub success_content_type: Option<&'static str>,
    /// The default success body: the description's example, or a value built from the schema.
    pub default_body: &'static str,
    /// For a list walked by `offset`: one item built from the schema, used when the example's
    /// page holds none.
    pub page_item: Option<&'static str>,
    /// Its part in a resource the fake keeps, when it has one.
    pub resource: Option<Resource>,
}

/// An operation's part in a resource the fake keeps: what a create answered is read back by
/// the retrieve of its ID and the list of its collection (keyed by the collection's path, so
/// that one user's identifiers are not another's), changed by an update, removed by a delete.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    pub role: ResourceRole,
    /// The member holding the resource's ID (`id`).
    pub id_field: &'static str,
    /// The members of the resource as this operation answers it: stored members copied into
    /// its answer, beside those of its default answer.
    pub fields: &'static [&'static str],
    /// Whether an answer of the operation decodes as its success type: a stored member that
    /// would not (the create's and the retrieve's types may differ) is not copied.
    pub check: fn(&[u8]) -> Result<(), String>,
}

/// What an operation does to a resource the fake keeps.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceRole {
    /// `POST /things`: stores its answer under a new ID.
    Create,
    /// `GET /things/{id}`: answers the stored resource.
    Retrieve,
    /// `GET /things`: pages through the stored resources.
    List,
    /// `PATCH /things/{id}`: copies the request's members into the stored resource.
    Update,
    /// `DELETE /things/{id}`: removes it (a later call of its ID gets `404`).
    Delete,
}

/// A path, query or header parameter the fake checks.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The name on the wire (lowercase for headers).
    pub name: &'static str,
    pub location: Location,
    pub required: bool,
    /// Whether a value as sent decodes into the parameter's type.
    pub check: fn(&str) -> bool,
}

/// Where a [`Param`] is sent.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

/// A request body the fake checks.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct BodySpec {
    pub content_type: &'static str,
    pub required: bool,
    /// Decodes the body as its type, or says why not.
    pub check: fn(&[u8]) -> Result<(), String>,
    /// For a JSON body: what its schema allows (its type's `FIT`), checked strictly by
    /// [`conform`] before the body is decoded.
    pub fit: Option<&'static Fit>,
}

/// Whether a parameter value decodes into `T`: as a JSON string (text, identifiers, enums,
/// dates), else as the JSON it spells (numbers, booleans).
#[doc(hidden)]
pub fn check_param<T: serde::de::DeserializeOwned>(value: &str) -> bool {
    param_value::<T>(value).is_some()
}

/// A parameter value as sent, decoded into `T` as [`check_param`] reads it.
fn param_value<T: serde::de::DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value::<T>(Value::String(value.to_string()))
        .ok()
        .or_else(|| serde_json::from_str::<T>(value).ok())
}

/// Whether a JSON body decodes into `T`.
#[doc(hidden)]
pub fn check_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    serde_json::from_slice::<T>(body)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Whether `value` is what `fit` allows, strictly, as Upvest's gateway checks a request body
/// against its schema: unlike [`grade`](crate::serde_helpers::grade), which chooses a union's
/// variant and keeps what fits none whole, nothing here fits "openly". A required property must
/// be there, a `null` only where the description allows it, every value of its JSON type and
/// format, an enum's value one it lists, a list within its length bounds, and a union's value
/// must conform to one of its members (the first that does; the discriminator is not checked
/// apart). Properties the description does not name are allowed (JSON Schema's default), and
/// so is any string where the SDK read an enum's values from the description's prose only.
///
/// The error names the JSON pointer of the first value that does not conform and why.
#[doc(hidden)]
pub fn conform(value: &Value, fit: &Fit) -> Result<(), String> {
    conform_at(value, fit, &mut String::new())
}

/// [`conform`] of the value at `pointer` (extended and restored while walking in).
fn conform_at(value: &Value, fit: &Fit, pointer: &mut String) -> Result<(), String> {
    let fail = |pointer: &str, what: String| {
        let at = if pointer.is_empty() {
            "the root".to_string()
        } else {
            format!("`{pointer}`")
        };
        Err(format!("at {at}: {what}"))
    };
    let expect = |ok: bool, wanted: &str| {
        if ok {
            Ok(())
        } else {
            fail(
                pointer,
                format!("{wanted} is required, not {}", describe(value)),
            )
        }
    };
    match fit {
        Fit::Any => Ok(()),
        Fit::AnyObject => expect(value.is_object(), "an object"),
        Fit::Bool => expect(value.is_boolean(), "a boolean"),
        Fit::I32 => expect(
            value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            "a 32-bit integer",
        ),
        Fit::I64 => expect(value.as_i64().is_some(), "a 64-bit integer"),
        Fit::F64 => expect(value.is_number(), "a number"),
        // Values read from prose are the SDK's guess, not the schema's rule.
        Fit::String | Fit::ProseEnum(_) => expect(value.is_string(), "a string"),
        Fit::Uuid => expect(
            value
                .as_str()
                .is_some_and(|s| s.parse::<uuid::Uuid>().is_ok()),
            "a UUID",
        ),
        Fit::Date => expect(
            value
                .as_str()
                .is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok()),
            "a date (`2024-01-31`)",
        ),
        Fit::DateTime => expect(
            value
                .as_str()
                .is_some_and(|s| s.parse::<chrono::DateTime<chrono::FixedOffset>>().is_ok()),
            "a date-time with an offset",
        ),
        Fit::Enum(values) => {
            expect(value.is_string(), "a string")?;
            match value.as_str() {
                Some(text) if values.contains(&text) => Ok(()),
                _ => {
                    let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                    // Not the value itself: it may be personal data.
                    fail(
                        pointer,
                        format!("a string that is not one of {}", listed.join(", ")),
                    )
                }
            }
        }
        Fit::List(item, min, max) => {
            expect(value.is_array(), "a list")?;
            let items = value.as_array().map_or(&[][..], Vec::as_slice);
            if let Some(min) = min.filter(|min| items.len() < *min) {
                return fail(
                    pointer,
                    format!("{} items, fewer than the {min} required", items.len()),
                );
            }
            if let Some(max) = max.filter(|max| items.len() > *max) {
                return fail(
                    pointer,
                    format!("{} items, more than the {max} allowed", items.len()),
                );
            }
            for (index, element) in items.iter().enumerate() {
                within(pointer, &index.to_string(), |p| {
                    conform_at(element, item, p)
                })?;
            }
            Ok(())
        }
        Fit::Map(item) => {
            expect(value.is_object(), "an object")?;
            for (key, element) in value.as_object().into_iter().flatten() {
                within(pointer, key, |p| conform_at(element, item, p))?;
            }
            Ok(())
        }
        Fit::Object(props, extra) => {
            expect(value.is_object(), "an object")?;
            let object = value.as_object().expect("checked: an object");
            for Prop(name, fit, need) in props.iter() {
                let required = matches!(need, Need::Required | Need::RequiredNullable);
                let nullable = matches!(need, Need::RequiredNullable | Need::OptionalNullable);
                match object.get(*name) {
                    None if required => {
                        return fail(
                            pointer,
                            format!("the required property `{name}` is missing"),
                        )
                    }
                    None => {}
                    Some(Value::Null) if nullable => {}
                    Some(Value::Null) => {
                        return within(pointer, name, |p| {
                            fail(p, "`null` is not allowed here".to_string())
                        })
                    }
                    Some(member) => within(pointer, name, |p| conform_at(member, fit, p))?,
                }
            }
            if let Extra::Kept(fit) = extra {
                let named = |key: &String| props.iter().any(|Prop(name, ..)| name == key);
                for (key, member) in object.iter().filter(|(key, _)| !named(key)) {
                    within(pointer, key, |p| conform_at(member, fit, p))?;
                }
            }
            Ok(())
        }
        Fit::Union(members) => {
            let mut reasons = Vec::new();
            for member in members.iter() {
                // Each member's reason from the same place: the pointer is not extended.
                match conform_at(value, member, pointer) {
                    Ok(()) => return Ok(()),
                    Err(reason) => reasons.push(reason),
                }
            }
            let shapes: Vec<String> = reasons
                .iter()
                .enumerate()
                .map(|(index, reason)| format!("{}. {reason}", index + 1))
                .collect();
            fail(
                pointer,
                format!(
                    "{} conforms to none of the {} shapes the schema allows ({})",
                    describe(value),
                    members.len(),
                    shapes.join("; ")
                ),
            )
        }
    }
}

/// Runs `check` with `pointer` extended by one escaped segment, then restores it.
fn within<T>(pointer: &mut String, segment: &str, check: impl FnOnce(&mut String) -> T) -> T {
    let length = pointer.len();
    pointer.push('/');
    pointer.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    let result = check(pointer);
    pointer.truncate(length);
    result
}

/// The JSON type of a value, for a reason (not the value: it may be personal data).
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "`null`",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Whether a form body decodes into `T`.
#[doc(hidden)]
pub fn check_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    serde_urlencoded::from_bytes::<T>(body)
        .map(drop)
        .map_err(|e| e.to_string())
}

/// A success value as a JSON body.
#[doc(hidden)]
pub fn encode_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

/// A document's bytes as the body (a `fn(&Out)` for `Out = Vec<u8>`).
#[doc(hidden)]
#[allow(clippy::ptr_arg)]
pub fn encode_bytes(value: &Vec<u8>) -> Vec<u8> {
    value.clone()
}

/// No body.
#[doc(hidden)]
pub fn encode_empty(_: &()) -> Vec<u8> {
    Vec::new()
}

/// A request body decoded as JSON into `T`.
#[doc(hidden)]
pub fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// A request body decoded as a form into `T`.
#[doc(hidden)]
pub fn decode_form<T: serde::de::DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_urlencoded::from_bytes(body).ok()
}

/// An operation without a request body.
#[doc(hidden)]
pub fn decode_none(_: &[u8]) -> Option<()> {
    None
}

/// The body of a webhook delivery as Upvest sends it: the events, in order, bundled as
/// `{"payload": [event, ...]}`. Give it typed events (the payload types of
/// `webhook_events::WebhookEvent`; several types at once as `serde_json::Value`s) and hand
/// the body to the code under test, which reads it with `webhook_events::parse_delivery`.
pub fn webhook_delivery<E: serde::Serialize>(events: impl IntoIterator<Item = E>) -> Vec<u8> {
    let events: Vec<Value> = events
        .into_iter()
        .map(|event| serde_json::to_value(event).unwrap_or(Value::Null))
        .collect();
    serde_json::to_vec(&serde_json::json!({ "payload": events })).unwrap_or_default()
}

/// A fake Upvest, in process: a [`Client`] made with [`Fake::client`] (or configured with
/// [`Fake::config`]) sends every request to it instead of the network.
///
/// Every operation answers with its documented example (or a value built from its schema),
/// lists page through [`Fake::list_items`] items, and each request is checked as Upvest's
/// gateway would check it (token, client ID, API version, path, required parameters and
/// headers, the idempotency key where declared, the body against its schema, strictly): a
/// request Upvest would reject gets a `problem+json` answer, or, after [`Fake::strict`], fails
/// the test. The generated method per
/// operation (`fake.create_user()`) sets its answers and reads its calls. What a create answers
/// is kept for the retrieve, list, update and delete of its resource; an ID no create answered
/// gets the default answer (any ID does without a store: a test of one call needs no setup),
/// or `404` after [`Fake::unknown_ids_not_found`]. [`Fake::serve`] serves the same fake on
/// loopback.
///
/// Cheap to clone: clones share the rules, the record and the store.
#[derive(Clone)]
pub struct Fake {
    inner: Arc<Inner>,
}

struct Inner {
    operations: Vec<Operation>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    rules: Vec<StoredRule>,
    calls: Vec<RawCall>,
    /// Each token issued, with the scopes granted to it.
    tokens: Vec<(String, Vec<String>)>,
    strict: bool,
    /// A retrieve, update or delete of an ID no create answered gets `404`.
    unknown_ids_not_found: bool,
    list_items: Option<usize>,
    answered: u64,
    /// The resources created, by collection path (`users/<id>/identifiers`), in order.
    store: BTreeMap<String, Vec<(String, Value)>>,
    /// The collection path and ID of each stored resource deleted.
    deleted: BTreeSet<(String, String)>,
    /// Resources created so far: the next one's ID.
    created: u64,
    /// The public key each request's signature is checked with, once the test gave one.
    signed_by: Option<super::signature::PublicKey>,
}

/// Shared, so that matchers run without the fake's lock held (one may read the fake).
type Matcher = Arc<dyn Fn(&RawCall) -> bool + Send + Sync>;

struct StoredRule {
    operation: &'static str,
    matchers: Vec<Matcher>,
    steps: Vec<Step>,
    /// Calls answered so far.
    used: usize,
}

struct Step {
    planned: Planned,
    /// How many calls it answers; the last step answers every further call.
    times: usize,
    /// How long its answer takes to come (or the connection to close).
    delay: Option<Duration>,
}

/// What a step of a rule answers.
#[derive(Clone)]
enum Planned {
    Reply(Reply),
    /// The connection is closed instead of answered (served on loopback only).
    Drop,
    /// What the operation answers without a rule (its default, or what the store keeps): a
    /// rule that only [`delays`](Rule::delays).
    Default,
}

impl StoredRule {
    /// The answer of the next call and its delay, when the rule has one.
    fn next(&mut self) -> Option<(Planned, Option<Duration>)> {
        let mut passed = 0;
        let last = self.steps.len().checked_sub(1)?;
        for (index, step) in self.steps.iter().enumerate() {
            if self.used < passed + step.times || index == last {
                self.used += 1;
                return Some((step.planned.clone(), step.delay));
            }
            passed += step.times;
        }
        None
    }
}

impl fmt::Debug for Fake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.state();
        f.debug_struct("Fake")
            .field("operations", &self.inner.operations.len())
            .field("rules", &state.rules.len())
            .field("calls", &state.calls.len())
            .finish()
    }
}

/// One request the fake received, as sent.
#[derive(Clone)]
struct RawCall {
    operation: &'static str,
    attempt: u32,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    /// Without `authorization`: tests read calls, and the token is a secret.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    status: u16,
    rejection: Option<String>,
}

impl Fake {
    /// A fake answering the given operations (the generated `Fake::new` passes all of them).
    #[doc(hidden)]
    pub fn from_operations(operations: Vec<Operation>) -> Self {
        Self {
            inner: Arc::new(Inner {
                operations,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// A configuration that sends to this fake: its client ID and secret (tokens come from the
    /// fake's token endpoint) with every scope its operations need, and retries that wait
    /// milliseconds instead of seconds. Add to it (a signing key, timeouts) before `build()`.
    /// [`config_with_scopes`](Self::config_with_scopes) grants fewer.
    pub fn config(&self) -> ConfigBuilder {
        credentials_config(self, FAKE_URL, self.clone())
    }

    /// A configuration like [`config`](Self::config) whose token is granted these scopes
    /// only (a fixed access token): to test how the code under test handles `403`.
    pub fn config_with_scopes<S: Into<String>>(
        &self,
        scopes: impl IntoIterator<Item = S>,
    ) -> ConfigBuilder {
        let token = self
            .inner
            .grant(scopes.into_iter().map(Into::into).collect());
        base_config(self).access_token(token)
    }

    /// A client that sends to this fake ([`config`](Self::config), built).
    ///
    /// # Panics
    ///
    /// Never for the fake's own configuration.
    pub fn client(&self) -> Client {
        let config = self
            .config()
            .build()
            .expect("the fake's configuration is valid");
        Client::new(config).expect("a client without TLS settings builds")
    }

    /// A request Upvest would reject fails the test (the fake panics, naming the reason)
    /// instead of answering with a `problem+json` error the code under test may handle.
    pub fn strict(&self) -> &Self {
        self.inner.state().strict = true;
        self
    }

    /// Checks every request's HTTP message signature with this public key (PEM, as
    /// `SigningKey::public_key_pem` writes it; configure the client with its private half): a
    /// request without a valid signature gets `401`, as from Upvest.
    ///
    /// # Panics
    ///
    /// When the PEM is not an Ed25519, P-256 or P-521 public key.
    pub fn verify_signatures(&self, public_key_pem: &str) -> &Self {
        let key = super::signature::PublicKey::from_pem(public_key_pem)
            .expect("an Ed25519, P-256 or P-521 public key in PEM");
        self.inner.state().signed_by = Some(key);
        self
    }

    /// A retrieve, update or delete of an ID that no create of its resource answered (nor a
    /// rule of that create) gets `404`, as from Upvest, instead of the description's example.
    /// By default any ID is answered: a test of one call needs no setup, and IDs a tenant
    /// has from elsewhere (users onboarded before the test) work as they would against
    /// Upvest's sandbox.
    pub fn unknown_ids_not_found(&self) -> &Self {
        self.inner.state().unknown_ids_not_found = true;
        self
    }

    /// How many items every list holds in all (its pages answer `offset`, `limit` and
    /// `meta.total_count` accordingly); by default as many as the description's example.
    pub fn list_items(&self, total: usize) -> &Self {
        self.inner.state().list_items = Some(total);
        self
    }

    /// Every request received so far, in order (each attempt of a retried call is one; the
    /// client's token requests too, when the description has the token operation), with its
    /// body as JSON.
    pub fn calls(&self) -> Vec<Call<Value>> {
        self.inner
            .state()
            .calls
            .iter()
            .map(|raw| raw.typed(decode_json::<Value>))
            .collect()
    }

    /// Forgets the rules, the record and the resources created (the tokens it issued stay
    /// valid).
    pub fn reset(&self) {
        let mut state = self.inner.state();
        state.rules.clear();
        state.calls.clear();
        state.store.clear();
        state.deleted.clear();
    }

    /// The typed rules and calls of one operation: what the generated method per operation
    /// returns.
    #[doc(hidden)]
    pub fn rule<Out, In>(
        &self,
        operation: &'static str,
        encode: fn(&Out) -> Vec<u8>,
        decode: fn(&[u8]) -> Option<In>,
    ) -> Rule<Out, In> {
        Rule {
            fake: self.clone(),
            operation,
            index: None,
            encode,
            decode,
            _types: PhantomData,
        }
    }
}

/// Where the fake's configurations send, and their quick retries.
fn base_config(fake: &Fake) -> ConfigBuilder {
    quick_config(FAKE_URL).interceptor(fake.clone())
}

/// A configuration sending to `base_url` with the fake's client ID and retries that wait
/// milliseconds.
fn quick_config(base_url: &str) -> ConfigBuilder {
    Config::builder()
        .base_url(base_url)
        .client_id(FAKE_CLIENT_ID)
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
}

/// A configuration sending to `base_url` through `interceptor` with the fake's client
/// credentials, asking for every scope its operations need.
pub(super) fn credentials_config(
    fake: &Fake,
    base_url: &str,
    interceptor: impl Interceptor,
) -> ConfigBuilder {
    let mut scopes: Vec<&str> = fake
        .inner
        .operations
        .iter()
        .flat_map(|op| op.scopes.iter().copied())
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    quick_config(base_url)
        .interceptor(interceptor)
        .client_secret(FAKE_CLIENT_SECRET)
        .scopes(scopes)
}

/// The engine: private, so that no method here takes a name an operation's method may have.
impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock left nothing half-changed worth losing.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.id == id)
    }

    /// Answers one attempt.
    fn answer(&self, context: &AttemptContext<'_>, request: &reqwest::Request) -> Answer {
        let method = request.method().as_str();
        let segments = decoded_segments(request.url());
        let token_request =
            method == "POST" && segments.join("/") == TOKEN_PATH.trim_start_matches('/');
        let Some((operation, path_params)) = self.route(method, &segments) else {
            // A description without the token operation: the endpoint is there all the same.
            if token_request {
                return Answer::Reply(self.issue_token(request));
            }
            let status = if self.route_any_method(&segments) {
                405
            } else {
                404
            };
            let path = request.url().path().to_string();
            return Answer::Reply(self.reject(
                context,
                None,
                status,
                format!("no operation `{method} {path}`"),
            ));
        };
        let mut call = RawCall {
            operation: operation.id,
            attempt: context.attempt,
            path_params,
            query: request
                .url()
                .query_pairs()
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect(),
            headers: request
                .headers()
                .iter()
                .filter(|(name, _)| name.as_str() != "authorization")
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        v.to_str().unwrap_or_default().to_string(),
                    )
                })
                .collect(),
            body: request
                .body()
                .and_then(|b| b.as_bytes())
                .map(<[u8]>::to_vec)
                .unwrap_or_default(),
            status: 0,
            rejection: None,
        };
        if let Err((status, reason)) = self.validate(operation, request, &call) {
            return Answer::Reply(self.reject(context, Some(call), status, reason));
        }
        // The newest rule of the operation with an answer whose matchers all accept the call.
        let candidates: Vec<(usize, Vec<Matcher>)> = self
            .state()
            .rules
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, rule)| rule.operation == operation.id && !rule.steps.is_empty())
            .map(|(index, rule)| (index, rule.matchers.clone()))
            .collect();
        let chosen = candidates
            .into_iter()
            .find(|(_, matchers)| matchers.iter().all(|m| m(&call)))
            .map(|(index, _)| index);
        let ruled = chosen.and_then(|index| self.state().rules.get_mut(index)?.next());
        let (planned, delay) = match ruled {
            Some((planned, delay)) => (planned, delay),
            None => (Planned::Default, None),
        };
        let reply = match planned {
            Planned::Drop => {
                self.state().calls.push(call);
                return Answer::Drop(delay);
            }
            Planned::Reply(reply) => {
                self.keep_created(operation, &segments, &reply);
                reply
            }
            Planned::Default if token_request => self.issue_token(request),
            Planned::Default => self
                .stored_answer(operation, &call, &segments)
                .unwrap_or_else(|| default_answer(operation, &call, self.state().list_items)),
        };
        let mut state = self.state();
        state.answered += 1;
        let mut reply = reply.header("upvest-request-id", &format!("fake-{}", state.answered));
        if let Some(delay) = delay {
            reply = reply.delayed(delay);
        }
        call.status = reply.status();
        state.calls.push(call);
        Answer::Reply(reply)
    }

    /// The operation of a method and path, with its path parameters: the template with the
    /// most literal segments among those that match (`/users/search` before `/users/{id}`).
    fn route(
        &self,
        method: &str,
        segments: &[String],
    ) -> Option<(&Operation, Vec<(&'static str, String)>)> {
        self.operations
            .iter()
            .filter(|op| op.method == method)
            .filter_map(|op| Some((op, match_template(op.path, segments)?)))
            .max_by_key(|(op, _)| {
                op.path
                    .split('/')
                    .filter(|s| !s.starts_with('{') && !s.is_empty())
                    .count()
            })
    }

    fn route_any_method(&self, segments: &[String]) -> bool {
        self.operations
            .iter()
            .any(|op| match_template(op.path, segments).is_some())
    }

    /// What Upvest's gateway checks before an operation runs: a status and the reason.
    fn validate(
        &self,
        operation: &Operation,
        request: &reqwest::Request,
        call: &RawCall,
    ) -> Result<(), (u16, String)> {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let signed_by = self.state().signed_by.clone();
        if let Some(key) = signed_by {
            super::signature::check(&key, request)
                .map_err(|reason| (401, format!("signature: {reason}")))?;
        }
        if operation.authorized {
            let token = header("authorization")
                .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string))
                .ok_or((401, "no bearer token".to_string()))?;
            let granted = self
                .state()
                .tokens
                .iter()
                .find(|(issued, _)| *issued == token)
                .map(|(_, scopes)| scopes.clone())
                .ok_or((401, "a bearer token the fake did not issue".to_string()))?;
            let allowed = operation.scopes.is_empty()
                || operation
                    .scopes
                    .iter()
                    .any(|scope| granted.iter().any(|g| g == scope));
            if !allowed {
                let listed: Vec<String> =
                    operation.scopes.iter().map(|s| format!("`{s}`")).collect();
                return Err((
                    403,
                    format!("the token has none of the scopes {}", listed.join(", ")),
                ));
            }
        }
        match header("upvest-client-id") {
            Some(id) if id == FAKE_CLIENT_ID => {}
            Some(_) => return Err((401, "an unknown `upvest-client-id`".into())),
            None => return Err((400, "no `upvest-client-id` header".into())),
        }
        if header("upvest-api-version").is_none() {
            return Err((400, "no `upvest-api-version` header".into()));
        }
        for param in &operation.params {
            let values: Vec<String> = match param.location {
                Location::Path => call
                    .path_params
                    .iter()
                    .filter(|(n, _)| *n == param.name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                Location::Query => call
                    .query
                    .iter()
                    .filter(|(n, _)| n == param.name)
                    .map(|(_, v)| v.clone())
                    .collect(),
                Location::Header => header(param.name).into_iter().collect(),
            };
            let place = match param.location {
                Location::Path => "path parameter",
                Location::Query => "query parameter",
                Location::Header => "header",
            };
            if values.is_empty() && param.required {
                return Err((
                    400,
                    format!("the required {place} `{}` is missing", param.name),
                ));
            }
            if values.iter().any(|v| !(param.check)(v)) {
                return Err((400, format!("the {place} `{}` is not valid", param.name)));
            }
        }
        if operation.idempotency_key && header("idempotency-key").is_none() {
            return Err((400, "no `idempotency-key` header".into()));
        }
        if let Some(body) = &operation.body {
            if call.body.is_empty() {
                if body.required {
                    return Err((400, "the required body is missing".into()));
                }
            } else {
                let content_type = header("content-type").unwrap_or_default();
                if !content_type.starts_with(body.content_type) {
                    return Err((
                        415,
                        format!("the body is `{content_type}`, not `{}`", body.content_type),
                    ));
                }
                // Its schema first (the reason names where), then its type (what the table
                // cannot say: a type of a cycle).
                if let Some(fit) = body.fit {
                    let value = serde_json::from_slice::<Value>(&call.body)
                        .map_err(|e| (400, format!("the body is not JSON: {e}")))?;
                    conform(&value, fit).map_err(|reason| {
                        (
                            400,
                            format!("the body does not conform to its schema {reason}"),
                        )
                    })?;
                }
                (body.check)(&call.body)
                    .map_err(|e| (400, format!("the body does not decode: {e}")))?;
            }
        }
        Ok(())
    }

    /// A rejected request: recorded, then answered with a problem document, or a panic when
    /// the fake is strict.
    fn reject(
        &self,
        context: &AttemptContext<'_>,
        call: Option<RawCall>,
        status: u16,
        reason: String,
    ) -> Reply {
        let mut state = self.state();
        if state.strict {
            drop(state);
            let operation = call.as_ref().map_or(context.operation, |c| c.operation);
            panic!(
                "the fake Upvest rejected `{operation}` (attempt {}) with {status}: {reason}",
                context.attempt
            );
        }
        if let Some(mut call) = call {
            call.status = status;
            call.rejection = Some(reason.clone());
            state.calls.push(call);
        }
        problem_reply(status, Some(reason))
    }

    /// The answer of an operation of a resource from the store, when the store decides it:
    /// a create stores its answer, a retrieve, update or delete of a stored ID (or a list of a
    /// collection that holds some) answers from it; anything else is the default answer.
    fn stored_answer(
        &self,
        operation: &Operation,
        call: &RawCall,
        segments: &[String],
    ) -> Option<Reply> {
        let resource = operation.resource?;
        let answer = |stored: &Value| {
            let mut body = default_value(operation)?;
            overlay(&mut body, stored, &resource, &|value| {
                (resource.check)(&encode_json(value)).is_ok()
            });
            Some(json_reply(operation, &body))
        };
        if resource.role == ResourceRole::List {
            let collection = segments.join("/");
            let items = self.state().store.get(&collection)?.clone();
            return list_answer(operation, call, &resource, &items);
        }
        if resource.role == ResourceRole::Create {
            let mut created = default_value(operation)?;
            let mut given = call
                .headers
                .iter()
                .find(|(n, _)| n == "content-type")
                .filter(|(_, v)| v.starts_with("application/json"))
                .and_then(|_| serde_json::from_slice::<Value>(&call.body).ok())
                .unwrap_or(Value::Null);
            if let Some(members) = given.as_object_mut() {
                for (name, value) in &call.path_params {
                    members.insert(name.to_string(), Value::String(value.clone()));
                }
            }
            overlay(&mut created, &given, &resource, &|value| {
                (resource.check)(&encode_json(value)).is_ok()
            });
            let id = {
                let mut state = self.state();
                state.created += 1;
                format!("00000000-0000-4000-8000-{:012x}", 0xc0_0000 + state.created)
            };
            created[resource.id_field] = Value::String(id.clone());
            self.store(segments.join("/"), id, created.clone());
            return Some(json_reply(operation, &created));
        }
        let (id, parent) = segments.split_last()?;
        let key = (parent.join("/"), id.clone());
        let mut state = self.state();
        if state.deleted.contains(&key) {
            return Some(problem_reply(
                404,
                Some(format!("`{id}` was deleted (`{}`)", operation.id)),
            ));
        }
        let position = state
            .store
            .get(&key.0)
            .and_then(|items| items.iter().position(|(stored, _)| *stored == key.1));
        let Some(index) = position else {
            return state.unknown_ids_not_found.then(|| {
                problem_reply(
                    404,
                    Some(format!("`{id}` was never created (`{}`)", operation.id)),
                )
            });
        };
        let items = state.store.get_mut(&key.0)?;
        match resource.role {
            ResourceRole::Delete => {
                items.remove(index);
                state.deleted.insert(key);
                drop(state);
                Some(default_answer(operation, call, None))
            }
            ResourceRole::Update => {
                let changes = serde_json::from_slice::<Value>(&call.body).unwrap_or(Value::Null);
                let stored = &mut items[index].1;
                if let (Some(stored), Some(changes)) = (stored.as_object_mut(), changes.as_object())
                {
                    for (name, value) in changes {
                        if stored.contains_key(name) {
                            stored.insert(name.clone(), value.clone());
                        }
                    }
                }
                let stored = stored.clone();
                drop(state);
                answer(&stored)
            }
            _ => {
                let stored = items[index].1.clone();
                drop(state);
                answer(&stored)
            }
        }
    }

    /// A create's answer from a rule, stored as a default one is (a success with an ID).
    fn keep_created(&self, operation: &Operation, segments: &[String], reply: &Reply) {
        let Some(resource) = operation
            .resource
            .filter(|r| r.role == ResourceRole::Create)
        else {
            return;
        };
        if !(200..300).contains(&reply.status()) {
            return;
        }
        let Some(value) = serde_json::from_slice::<Value>(reply.body_bytes()).ok() else {
            return;
        };
        if let Some(id) = value.get(resource.id_field).and_then(Value::as_str) {
            self.store(segments.join("/"), id.to_string(), value.clone());
        }
    }

    /// Stores a resource (replacing one of the same ID) at the end of its collection.
    fn store(&self, collection: String, id: String, value: Value) {
        let mut state = self.state();
        state.deleted.remove(&(collection.clone(), id.clone()));
        let items = state.store.entry(collection).or_default();
        items.retain(|(stored, _)| *stored != id);
        items.push((id, value));
    }

    /// A new token, granted `scopes`.
    fn grant(&self, scopes: Vec<String>) -> String {
        let mut state = self.state();
        let token = format!("fake-token-{}", state.tokens.len() + 1);
        state.tokens.push((token.clone(), scopes));
        token
    }

    /// `POST /auth/token`: a token for the fake's client credentials.
    fn issue_token(&self, request: &reqwest::Request) -> Reply {
        let body = request.body().and_then(|b| b.as_bytes()).unwrap_or(&[]);
        let form: BTreeMap<String, String> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        let field = |name: &str| form.get(name).map(String::as_str);
        if field("grant_type") != Some("client_credentials") {
            return problem_reply(400, Some("`grant_type` is not `client_credentials`".into()));
        }
        if field("client_id") != Some(FAKE_CLIENT_ID)
            || field("client_secret") != Some(FAKE_CLIENT_SECRET)
        {
            return problem_reply(401, Some("unknown client credentials".into()));
        }
        let scopes = field("scope")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let token = self.grant(scopes);
        Reply::json(
            200,
            &serde_json::json!({
                "access_token": token,
                "token_type": "bearer",
                "expires_in": 3600,
                "scope": field("scope").unwrap_or_default(),
            }),
        )
    }
}

impl Interceptor for Fake {
    fn before_send(
        &self,
        context: &AttemptContext<'_>,
        request: &mut reqwest::Request,
    ) -> Option<Reply> {
        match self.inner.answer(context, request) {
            // A delayed reply is waited for by the client, within its timeout.
            Answer::Reply(reply) => Some(reply),
            Answer::Drop(_) => panic!(
                "the fake Upvest cannot drop a connection in process (`{}`): serve it on \
                 loopback with `Fake::serve`",
                context.operation
            ),
        }
    }
}

/// What the fake does with one attempt.
pub(super) enum Answer {
    /// Answers, after the reply's delay when it has one.
    Reply(Reply),
    /// Closes the connection unanswered, after this delay.
    Drop(Option<Duration>),
}

/// Answers one request received on loopback (the served fake's engine, `server.rs`): its
/// attempt as the client stamped it.
pub(super) fn answer_served(fake: &Fake, attempt: u32, request: &reqwest::Request) -> Answer {
    let path = request.url().path().to_string();
    let context = AttemptContext {
        operation: "served",
        method: request.method(),
        path_template: &path,
        attempt,
    };
    fake.inner.answer(&context, request)
}

/// The path parameters of `segments` when they match `template`.
fn match_template(
    template: &'static str,
    segments: &[String],
) -> Option<Vec<(&'static str, String)>> {
    let parts: Vec<&'static str> = template.split('/').filter(|s| !s.is_empty()).collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, segment) in parts.iter().zip(segments) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if !segment.is_empty() => params.push((name, segment.clone())),
            Some(_) => return None,
            None if part == segment => {}
            None => return None,
        }
    }
    Some(params)
}

/// The path's segments, percent-decoded.
fn decoded_segments(url: &reqwest::Url) -> Vec<String> {
    url.path_segments()
        .map(|segments| {
            segments
                .filter(|s| !s.is_empty())
                .map(percent_decoded)
                .collect()
        })
        .unwrap_or_default()
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An error answer: `application/problem+json` as Upvest sends it.
fn problem_reply(status: u16, detail: Option<String>) -> Reply {
    let title = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map(str::to_string);
    let problem = Problem {
        r#type: "about:blank".into(),
        status,
        title,
        detail,
        ..Problem::default()
    };
    Reply::new(status)
        .header("content-type", "application/problem+json")
        .body(serde_json::to_vec(&problem).unwrap_or_default())
}

/// The operation's default answer; a list's page is cut from its example's items.
fn default_answer(operation: &Operation, call: &RawCall, list_items: Option<usize>) -> Reply {
    let mut reply = Reply::new(operation.success_status);
    let Some(content_type) = operation.success_content_type else {
        return reply;
    };
    reply = reply.header("content-type", content_type);
    let mut body = operation.default_body.as_bytes().to_vec();
    if let Some(item) = operation.page_item {
        if let Ok(mut page) = serde_json::from_slice::<Value>(&body) {
            let number = |name: &str| {
                call.query
                    .iter()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, v)| v.parse::<usize>().ok())
            };
            fill_page(
                &mut page,
                item,
                list_items,
                number("offset"),
                number("limit"),
            );
            body = serde_json::to_vec(&page).unwrap_or(body);
        }
    }
    reply.body(body)
}

/// The operation's default answer as JSON (none for an answer without a JSON body).
fn default_value(operation: &Operation) -> Option<Value> {
    operation.success_content_type?;
    serde_json::from_str(operation.default_body).ok()
}

/// A success answer of the operation with this body.
fn json_reply(operation: &Operation, body: &Value) -> Reply {
    Reply::new(operation.success_status)
        .header(
            "content-type",
            operation.success_content_type.unwrap_or("application/json"),
        )
        .body(encode_json(body))
}

/// The page at `offset` (`limit` long) of the stored resources of a collection: each item is
/// the list's item with the stored members copied in.
fn list_answer(
    operation: &Operation,
    call: &RawCall,
    resource: &Resource,
    items: &[(String, Value)],
) -> Option<Reply> {
    if items.is_empty() {
        return None;
    }
    let mut page = serde_json::from_str::<Value>(operation.default_body).ok()?;
    let template = page["data"]
        .as_array()
        .and_then(|data| data.first().cloned())
        .or_else(|| {
            operation
                .page_item
                .and_then(|i| serde_json::from_str(i).ok())
        })
        .unwrap_or(Value::Object(Default::default()));
    let number = |name: &str| {
        call.query
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let offset = number("offset").unwrap_or(0);
    let limit = number("limit").unwrap_or(DEFAULT_LIMIT);
    // An item is checked as the one item of a page: the list's own type.
    let fits = |item: &Value| {
        let mut one = page.clone();
        one["data"] = Value::Array(vec![item.clone()]);
        (resource.check)(&encode_json(&one)).is_ok()
    };
    let data: Vec<Value> = items
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(_, stored)| {
            let mut item = template.clone();
            overlay(&mut item, stored, resource, &fits);
            item
        })
        .collect();
    let count = data.len();
    page["data"] = Value::Array(data);
    if let Some(meta) = page.get_mut("meta").and_then(Value::as_object_mut) {
        meta.insert("offset".into(), offset.into());
        meta.insert("limit".into(), limit.into());
        meta.insert("total_count".into(), items.len().into());
        if meta.contains_key("count") {
            meta.insert("count".into(), count.into());
        }
    }
    Some(json_reply(operation, &page))
}

/// Copies `source`'s members into `target` where `target` has the member or the resource's
/// type names it, keeping `target` an answer that `fits`: all at once when that fits, else
/// one by one, each kept only when it fits.
fn overlay(target: &mut Value, source: &Value, resource: &Resource, fits: &dyn Fn(&Value) -> bool) {
    let (Some(members), Some(_)) = (source.as_object(), target.as_object()) else {
        return;
    };
    let wanted: Vec<(&String, &Value)> = members
        .iter()
        .filter(|(name, _)| {
            target.get(name.as_str()).is_some() || resource.fields.contains(&name.as_str())
        })
        .collect();
    let original = target.clone();
    for (name, value) in &wanted {
        target[name.as_str()] = (*value).clone();
    }
    if fits(target) {
        return;
    }
    *target = original;
    for (name, value) in wanted {
        let before = target.get(name.as_str()).cloned();
        target[name.as_str()] = value.clone();
        if !fits(target) {
            match (before, target.as_object_mut()) {
                (Some(before), _) => target[name.as_str()] = before,
                (None, Some(object)) => {
                    object.remove(name.as_str());
                }
                (None, None) => {}
            }
        }
    }
}

/// Cuts the page at `offset` (`limit` long) of a list of `total` items from the example page:
/// its items repeated (with distinct `id`s), its `meta` counts set.
fn fill_page(
    page: &mut Value,
    item: &str,
    total: Option<usize>,
    offset: Option<usize>,
    limit: Option<usize>,
) {
    let mut templates: Vec<Value> = page["data"].as_array().cloned().unwrap_or_default();
    if templates.is_empty() {
        templates = serde_json::from_str(item).into_iter().collect();
    }
    let total = total.unwrap_or(templates.len());
    let offset = offset.unwrap_or(0);
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    let end = total.min(offset.saturating_add(limit));
    let data: Vec<Value> = (offset..end)
        .filter_map(|index| {
            let mut item = templates.get(index % templates.len().max(1))?.clone();
            give_identity(&mut item, index);
            Some(item)
        })
        .collect();
    let count = data.len();
    page["data"] = Value::Array(data);
    if let Some(meta) = page.get_mut("meta").and_then(Value::as_object_mut) {
        meta.insert("offset".into(), offset.into());
        meta.insert("limit".into(), limit.into());
        meta.insert("total_count".into(), total.into());
        if meta.contains_key("count") {
            meta.insert("count".into(), count.into());
        }
    }
}

/// Gives a list item its own identity: the first `id` or `uuid` holding a UUID (the item's own,
/// else the nearest in a member object, as a position's `instrument.uuid`) becomes one made
/// of its index, so that repeated items are distinct.
fn give_identity(item: &mut Value, index: usize) {
    let mut level: Vec<&mut Value> = vec![item];
    while !level.is_empty() {
        let mut next = Vec::new();
        for value in level {
            let Some(object) = value.as_object_mut() else {
                continue;
            };
            let identity = ["id", "uuid"].into_iter().find(|key| {
                object
                    .get(*key)
                    .and_then(Value::as_str)
                    .is_some_and(|text| uuid::Uuid::parse_str(text).is_ok())
            });
            if let Some(key) = identity {
                let id = uuid::Uuid::from_u128(0xf4ce_0000 + index as u128);
                object.insert(key.to_string(), Value::String(id.to_string()));
                return;
            }
            next.extend(object.values_mut());
        }
        level = next;
    }
}

impl RawCall {
    fn typed<In>(&self, decode: fn(&[u8]) -> Option<In>) -> Call<In> {
        Call {
            operation: self.operation,
            attempt: self.attempt,
            idempotency_key: self.header("idempotency-key").map(str::to_string),
            body: if self.body.is_empty() {
                None
            } else {
                decode(&self.body)
            },
            status: self.status,
            rejection: self.rejection.clone(),
            path_params: self
                .path_params
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            query: self.query.clone(),
            headers: self.headers.clone(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One request the fake received: its typed body, attempt and idempotency key, and what the
/// fake answered. Its `Debug` shows no header values and no body (they may hold personal data).
#[derive(Clone)]
#[non_exhaustive]
pub struct Call<In> {
    /// The operationId, `create_user`.
    pub operation: &'static str,
    /// 1 for the first send of a call, 2 for its first retry, ...
    pub attempt: u32,
    /// The `idempotency-key` header, when sent.
    pub idempotency_key: Option<String>,
    /// The body, decoded as the operation's body type (none without a body).
    pub body: Option<In>,
    /// The status the fake answered with.
    pub status: u16,
    /// Why the fake rejected the request, when it did.
    pub rejection: Option<String>,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl<In> Call<In> {
    /// A path parameter as sent (decoded), by its name in the path template.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        find(&self.path_params, name)
    }

    /// A path parameter decoded into its type (`Uuid`, an enum), as the gateway reads it.
    pub fn path_param_as<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        param_value(self.path_param(name)?)
    }

    /// The first value of a query parameter, decoded into its type.
    pub fn query_as<T: serde::de::DeserializeOwned>(&self, name: &str) -> Option<T> {
        param_value(self.query(name)?)
    }

    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        find(&self.query, name)
    }

    /// Every value of a query parameter, in order.
    pub fn query_all(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A header as sent (names in lowercase); never `authorization`.
    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, &name.to_ascii_lowercase())
    }
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl<In> fmt::Debug for Call<In> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names =
            |pairs: &[(String, String)]| pairs.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        f.debug_struct("Call")
            .field("operation", &self.operation)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("rejection", &self.rejection)
            .field("path_params", &names(&self.path_params))
            .field("query", &names(&self.query))
            .field("has_body", &self.body.is_some())
            .finish()
    }
}

/// The answers and calls of one operation of a [`Fake`], typed: `Out` is what the operation
/// returns, `In` its request body (`()` without one).
///
/// Each of [`returns`](Self::returns), [`fails`](Self::fails), [`fails_with`](Self::fails_with),
/// [`replies`](Self::replies) and [`drops_connection`](Self::drops_connection) adds one answer
/// to this rule: the answers are given in turn, one call each (or [`times`](Self::times)
/// calls), and the last one to every further call; [`delays`](Self::delays) makes the last one
/// come late. Rules are tried newest first; a call no rule matches gets the default answer.
pub struct Rule<Out, In> {
    fake: Fake,
    operation: &'static str,
    /// This rule in the fake's list, once it has a matcher or an answer.
    index: Option<usize>,
    encode: fn(&Out) -> Vec<u8>,
    decode: fn(&[u8]) -> Option<In>,
    _types: PhantomData<fn(In) -> Out>,
}

impl<Out, In> fmt::Debug for Rule<Out, In> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &self.operation)
            .finish()
    }
}

impl<Out, In: 'static> Rule<Out, In> {
    fn stored<T>(&mut self, change: impl FnOnce(&mut StoredRule) -> T) -> T {
        let mut state = self.fake.inner.state();
        let index = *self.index.get_or_insert_with(|| {
            state.rules.push(StoredRule {
                operation: self.operation,
                matchers: Vec::new(),
                steps: Vec::new(),
                used: 0,
            });
            state.rules.len() - 1
        });
        change(&mut state.rules[index])
    }

    fn step(mut self, planned: Planned) -> Self {
        self.stored(|rule| {
            rule.steps.push(Step {
                planned,
                times: 1,
                delay: None,
            })
        });
        self
    }

    /// Only calls this matches (every `when` of the rule must): on the typed request.
    pub fn when(mut self, matches: impl Fn(&Call<In>) -> bool + Send + Sync + 'static) -> Self {
        let decode = self.decode;
        self.stored(|rule| {
            rule.matchers
                .push(Arc::new(move |raw: &RawCall| matches(&raw.typed(decode))))
        });
        self
    }

    /// Answers with this value and the operation's success status.
    pub fn returns(self, value: Out) -> Self {
        let body = (self.encode)(&value);
        let reply = match self.fake.inner.operation(self.operation) {
            Some(op) => {
                let reply = Reply::new(op.success_status);
                match op.success_content_type {
                    Some(content_type) => reply.header("content-type", content_type).body(body),
                    None => reply,
                }
            }
            None => Reply::new(200).body(body),
        };
        self.step(Planned::Reply(reply))
    }

    /// Answers with this error status and a problem document.
    pub fn fails(self, status: ErrorStatus) -> Self {
        self.step(Planned::Reply(problem_reply(status.code(), None)))
    }

    /// Answers with this problem document (its `status` is the answer's).
    pub fn fails_with(self, problem: Problem) -> Self {
        let reply = Reply::new(problem.status)
            .header("content-type", "application/problem+json")
            .body(serde_json::to_vec(&problem).unwrap_or_default());
        self.step(Planned::Reply(reply))
    }

    /// Closes the connection without an answer, as a network failure would (the client
    /// retries what it may repeat). Only a served fake ([`Fake::serve`]) can: in process the
    /// call panics, naming the reason.
    pub fn drops_connection(self) -> Self {
        self.step(Planned::Drop)
    }

    /// Answers with this response as it is (a status the description does not list, a
    /// `retry-after` header, a body that does not decode).
    pub fn replies(self, reply: Reply) -> Self {
        self.step(Planned::Reply(reply))
    }

    /// The last answer is given to this many calls before the next one (the last answer of
    /// the rule still answers every call after that).
    pub fn times(mut self, calls: usize) -> Self {
        self.stored(|rule| {
            if let Some(step) = rule.steps.last_mut() {
                step.times = calls.max(1);
            }
        });
        self
    }

    /// The last answer comes after `delay` (a dropped connection closes after it), as from a
    /// slow Upvest; on a rule without an answer yet, the operation's own answer (its default,
    /// or what the fake keeps) does. The client waits as for a server: a delay as long as its
    /// timeout or longer makes the attempt time out, and the client retries as its policy
    /// says (a request that may not be repeated is not). In process and on loopback alike.
    ///
    /// The fake answers when the call comes and records that answer's status, also for an
    /// attempt the client gave up waiting for.
    pub fn delays(mut self, delay: Duration) -> Self {
        self.stored(|rule| match rule.steps.last_mut() {
            Some(step) => step.delay = Some(delay),
            None => rule.steps.push(Step {
                planned: Planned::Default,
                times: 1,
                delay: Some(delay),
            }),
        });
        self
    }

    /// Every request of this operation received so far, in order, its body typed.
    pub fn calls(&self) -> Vec<Call<In>> {
        let state = self.fake.inner.state();
        state
            .calls
            .iter()
            .filter(|raw| raw.operation == self.operation)
            .map(|raw| raw.typed(self.decode))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Fake, Thing};
    use crate::client::{Client, Config, Request};
    use crate::error::{Error, ErrorStatus};

    fn thing(name: &str) -> Thing {
        Thing {
            id: uuid::Uuid::from_u128(7),
            name: name.into(),
        }
    }

    fn create(body: &Thing, key: Option<&str>) -> Request {
        let mut request = Request::new("create_thing", reqwest::Method::POST);
        request.segment("things");
        if let Some(key) = key {
            request.idempotency_key(&key).unwrap();
        }
        request.json_body(body).unwrap();
        request
    }

    fn retrieve(id: &str) -> Request {
        let mut request = Request::new("retrieve_thing", reqwest::Method::GET);
        request.segment("things");
        request.path_param(&id).unwrap();
        request
    }

    fn update(id: &str, name: &str) -> Request {
        let mut request = Request::new("update_thing", reqwest::Method::PATCH);
        request.segment("things");
        request.path_param(&id).unwrap();
        request
            .json_body(&serde_json::json!({ "name": name }))
            .unwrap();
        request
    }

    fn delete(id: &str) -> Request {
        let mut request = Request::new("delete_thing", reqwest::Method::DELETE);
        request.segment("things");
        request.path_param(&id).unwrap();
        request
    }

    fn list(offset: u32, limit: u32) -> Request {
        let mut request = Request::new("list_things", reqwest::Method::GET);
        request.segment("things");
        request.query("offset", &offset).unwrap();
        request.query("limit", &limit).unwrap();
        request
    }

    #[tokio::test]
    async fn the_default_answer_is_the_example_behind_a_token_from_the_fake() {
        let fake = Fake::new();
        let client = fake.client();
        let id = "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d";
        let response = client.send_json::<Thing>(retrieve(id)).await.unwrap();
        assert_eq!(response.data.name, "first");
        assert_eq!(response.request_id.as_deref(), Some("fake-1"));
        let calls = fake.retrieve_thing().calls();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].path_param("thing_id"), Some(id));
        assert_eq!(
            calls[0].path_param_as::<uuid::Uuid>("thing_id"),
            uuid::Uuid::parse_str(id).ok()
        );
        assert_eq!(calls[0].path_param_as::<u32>("thing_id"), None);
        assert_eq!((calls[0].status, calls[0].attempt), (200, 1));
        // The client's token came from the fake and is not kept in the record.
        assert!(calls[0].header("authorization").is_none());
        assert!(calls[0].header("upvest-client-id").is_some());
    }

    #[tokio::test]
    async fn a_list_pages_through_the_configured_number_of_items() {
        let fake = Fake::new();
        fake.list_items(5);
        let client = fake.client();
        let mut ids = Vec::new();
        for offset in [0, 2, 4] {
            let page = client
                .send_json::<serde_json::Value>(list(offset, 2))
                .await
                .unwrap()
                .data;
            let call = fake.calls().pop().unwrap();
            assert_eq!(call.query_as::<u32>("offset"), Some(offset));
            let expected = if offset == 4 { 1 } else { 2 };
            assert_eq!(page["data"].as_array().unwrap().len(), expected, "{page}");
            assert_eq!(page["meta"]["offset"], offset);
            assert_eq!(page["meta"]["limit"], 2);
            assert_eq!(page["meta"]["count"], expected);
            assert_eq!(page["meta"]["total_count"], 5);
            for item in page["data"].as_array().unwrap() {
                assert_eq!(item["name"], "first");
                ids.push(item["id"].as_str().unwrap().to_string());
            }
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 5, "every item has its own id");
    }

    #[tokio::test]
    async fn what_a_create_answers_is_read_back_listed_updated_and_deleted() {
        let fake = Fake::new();
        fake.strict();
        let client = fake.client();
        let mut created = Vec::new();
        for name in ["Ada", "Grace", "Edsger"] {
            let thing = client
                .send_json::<Thing>(create(&thing(name), Some(name)))
                .await
                .unwrap()
                .data;
            // The request's members are in the answer, under an ID of its own.
            assert_eq!(thing.name, name);
            created.push(thing);
        }
        let ids: std::collections::BTreeSet<_> = created.iter().map(|t| t.id).collect();
        assert_eq!(ids.len(), 3);
        let id = created[1].id.to_string();
        let read = client.send_json::<Thing>(retrieve(&id)).await.unwrap().data;
        assert_eq!(read, created[1]);
        // The list pages through what was created, in order.
        let page = client
            .send_json::<serde_json::Value>(list(1, 5))
            .await
            .unwrap()
            .data;
        let names: Vec<_> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].clone())
            .collect();
        assert_eq!(names, ["Grace", "Edsger"]);
        assert_eq!(page["meta"]["total_count"], 3);
        assert_eq!(page["meta"]["count"], 2);
        // An update changes the stored resource.
        let updated = client
            .send_json::<Thing>(update(&id, "Hopper"))
            .await
            .unwrap()
            .data;
        assert_eq!(
            (updated.id, updated.name.as_str()),
            (created[1].id, "Hopper")
        );
        let read = client.send_json::<Thing>(retrieve(&id)).await.unwrap().data;
        assert_eq!(read.name, "Hopper");
        // A rule still comes first.
        fake.retrieve_thing().returns(thing("ruled"));
        let read = client.send_json::<Thing>(retrieve(&id)).await.unwrap().data;
        assert_eq!(read.name, "ruled");
        fake.reset();
        // After a reset nothing is stored: an ID never created answers the default.
        let read = client.send_json::<Thing>(retrieve(&id)).await.unwrap().data;
        assert_eq!(read.name, "first");
    }

    #[tokio::test]
    async fn a_deleted_resource_is_not_found() {
        let fake = Fake::new();
        let client = fake.client();
        let thing = client
            .send_json::<Thing>(create(&thing("gone"), Some("k")))
            .await
            .unwrap()
            .data;
        let id = thing.id.to_string();
        assert_eq!(client.send_empty(delete(&id)).await.unwrap().status, 204);
        let error = client.send_json::<Thing>(retrieve(&id)).await.unwrap_err();
        assert_eq!(error.error_status(), Some(ErrorStatus::NotFound));
        let error = client.send_empty(delete(&id)).await.unwrap_err();
        assert_eq!(error.error_status(), Some(ErrorStatus::NotFound));
        // The list is empty again: its default answer.
        let page = client
            .send_json::<serde_json::Value>(list(0, 5))
            .await
            .unwrap()
            .data;
        assert_eq!(page["data"][0]["name"], "first");
    }

    #[tokio::test]
    async fn an_id_never_created_answers_the_example_or_not_found_when_asked() {
        let fake = Fake::new();
        let client = fake.client();
        let never = "00000000-0000-4000-8000-00000000abcd";
        // By default: the description's example, for any ID.
        let read = client.send_json::<Thing>(retrieve(never)).await.unwrap();
        assert_eq!(read.data.name, "first");
        fake.unknown_ids_not_found();
        let problem = |error: Error| {
            let api = error.as_api().expect("an API error").clone();
            (api.status, api.problem.and_then(|p| p.detail))
        };
        let expected = |operation: &str| {
            let detail = format!("`{never}` was never created (`{operation}`)");
            (404, Some(detail))
        };
        let error = client
            .send_json::<Thing>(retrieve(never))
            .await
            .unwrap_err();
        assert_eq!(problem(error), expected("retrieve_thing"));
        let error = client
            .send_json::<Thing>(update(never, "x"))
            .await
            .unwrap_err();
        assert_eq!(problem(error), expected("update_thing"));
        let error = client.send_empty(delete(never)).await.unwrap_err();
        assert_eq!(problem(error), expected("delete_thing"));
        // What a create answered is found; a rule still comes first.
        let created = client
            .send_json::<Thing>(create(&thing("Ada"), Some("k")))
            .await
            .unwrap()
            .data;
        let read = client
            .send_json::<Thing>(retrieve(&created.id.to_string()))
            .await
            .unwrap();
        assert_eq!(read.data, created);
        fake.retrieve_thing().returns(thing("ruled"));
        let read = client.send_json::<Thing>(retrieve(never)).await.unwrap();
        assert_eq!(read.data.name, "ruled");
    }

    #[tokio::test]
    async fn a_created_answer_from_a_rule_is_stored_and_a_member_that_does_not_fit_is_left_out() {
        let fake = Fake::new();
        let client = fake.client();
        let ruled = thing("ruled");
        fake.create_thing().returns(ruled.clone());
        client
            .send_json::<Thing>(create(&thing("asked"), Some("k")))
            .await
            .unwrap();
        let read = client
            .send_json::<Thing>(retrieve(&ruled.id.to_string()))
            .await
            .unwrap()
            .data;
        assert_eq!(read, ruled);
        // A stored member of another type than the answer's is not copied into it.
        let resource = super::Resource {
            role: super::ResourceRole::Retrieve,
            id_field: "id",
            fields: &["id", "name", "extra"],
            check: super::check_json::<Thing>,
        };
        let mut answer = serde_json::json!({"id": ruled.id, "name": "first"});
        let stored = serde_json::json!({"id": ruled.id, "name": 7, "extra": true, "other": 1});
        super::overlay(&mut answer, &stored, &resource, &|value| {
            (resource.check)(&super::encode_json(value)).is_ok()
        });
        assert_eq!(
            answer,
            serde_json::json!({"id": ruled.id, "name": "first", "extra": true})
        );
    }

    #[tokio::test]
    async fn answers_come_in_turn_and_the_last_one_stays() {
        let fake = Fake::new();
        fake.create_thing()
            .fails(ErrorStatus::Conflict)
            .returns(thing("second"));
        let client = fake.client();
        let error = client
            .send_json::<Thing>(create(&thing("a"), Some("k-1")))
            .await
            .unwrap_err();
        assert_eq!(error.error_status(), Some(ErrorStatus::Conflict));
        for _ in 0..2 {
            let created = client
                .send_json::<Thing>(create(&thing("b"), Some("k-2")))
                .await
                .unwrap();
            assert_eq!(created.data, thing("second"));
            assert_eq!(created.status, 201);
        }
        let calls = fake.create_thing().calls();
        let seen: Vec<_> = calls
            .iter()
            .map(|c| {
                (
                    c.status,
                    c.idempotency_key.as_deref(),
                    c.body.as_ref().map(|b| b.name.as_str()),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (409, Some("k-1"), Some("a")),
                (201, Some("k-2"), Some("b")),
                (201, Some("k-2"), Some("b"))
            ]
        );
    }

    #[tokio::test]
    async fn a_matcher_reads_the_typed_body_and_newer_rules_come_first() {
        let fake = Fake::new();
        fake.create_thing().returns(thing("any"));
        fake.create_thing()
            .when(|call| call.body.as_ref().is_some_and(|b| b.name == "vip"))
            .returns(thing("matched"));
        let client = fake.client();
        // A matcher may read the fake (it runs without the fake's lock).
        let reader = fake.clone();
        fake.create_thing()
            .when(move |call| {
                call.body.as_ref().is_some_and(|b| b.name == "reads") && reader.calls().len() < 100
            })
            .returns(thing("read"));
        let send = |name: &'static str| client.send_json::<Thing>(create(&thing(name), Some("k")));
        assert_eq!(send("reads").await.unwrap().data.name, "read");
        assert_eq!(send("vip").await.unwrap().data.name, "matched");
        assert_eq!(send("other").await.unwrap().data.name, "any");
    }

    #[tokio::test]
    async fn a_retried_call_shows_each_attempt_with_one_idempotency_key() {
        let fake = Fake::new();
        fake.create_thing()
            .fails(ErrorStatus::ServiceUnavailable)
            .times(2)
            .returns(thing("third time"));
        let client = fake.client();
        let created = client
            .send_json::<Thing>(create(&thing("x"), Some("same")))
            .await
            .unwrap();
        assert_eq!(created.data.name, "third time");
        let calls = fake.create_thing().calls();
        let attempts: Vec<_> = calls
            .iter()
            .map(|c| (c.attempt, c.status, c.idempotency_key.clone()))
            .collect();
        let key = Some("same".to_string());
        assert_eq!(
            attempts,
            [(1, 503, key.clone()), (2, 503, key.clone()), (3, 201, key)]
        );
    }

    #[tokio::test]
    async fn what_upvest_would_reject_gets_a_problem_document() {
        let fake = Fake::new();
        let client = fake.client();
        let problem = |error: Error| {
            let api = error.as_api().expect("an API error").clone();
            (api.status, api.problem.and_then(|p| p.detail))
        };
        // No idempotency key where the description declares one.
        let error = client
            .send_json::<Thing>(create(&thing("a"), None))
            .await
            .unwrap_err();
        assert_eq!(
            problem(error),
            (400, Some("no `idempotency-key` header".into()))
        );
        // A path parameter that is not of its type.
        let error = client
            .send_json::<Thing>(retrieve("not-a-uuid"))
            .await
            .unwrap_err();
        assert_eq!(
            problem(error),
            (
                400,
                Some("the path parameter `thing_id` is not valid".into())
            )
        );
        // A body not of its schema: the reason names where.
        let mut request = Request::new("create_thing", reqwest::Method::POST);
        request.segment("things");
        request.idempotency_key(&"k").unwrap();
        let id = uuid::Uuid::from_u128(7);
        request
            .json_body(&serde_json::json!({"id": id, "name": 1}))
            .unwrap();
        assert_eq!(
            problem(client.send_json::<Thing>(request).await.unwrap_err()),
            (
                400,
                Some(
                    "the body does not conform to its schema at `/name`: a string is \
                     required, not a number"
                        .into()
                )
            )
        );
        // No such operation.
        let mut request = Request::new("nothing", reqwest::Method::GET);
        request.segment("nothing");
        let error = client.send_empty(request).await.unwrap_err();
        assert_eq!(problem(error).0, 404);
        // The rejected calls are recorded, with why.
        let rejected: Vec<_> = fake
            .calls()
            .into_iter()
            .filter_map(|c| c.rejection)
            .collect();
        assert_eq!(rejected.len(), 3);
    }

    #[tokio::test]
    async fn a_token_the_fake_did_not_issue_is_refused() {
        let fake = Fake::new();
        let config = Config::builder()
            .base_url(super::FAKE_URL)
            .client_id(super::FAKE_CLIENT_ID)
            .access_token("made-up")
            .interceptor(fake.clone())
            .build()
            .unwrap();
        let client = Client::new(config).unwrap();
        let id = "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d";
        let error = client.send_json::<Thing>(retrieve(id)).await.unwrap_err();
        assert_eq!(error.error_status(), Some(ErrorStatus::Unauthorized));
        // A wrong client secret gets no token either.
        let config = fake.config().client_secret("wrong").build().unwrap();
        let error = Client::new(config)
            .unwrap()
            .send_json::<Thing>(retrieve(id))
            .await
            .unwrap_err();
        let Error::Auth(inner) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(inner.error_status(), Some(ErrorStatus::Unauthorized));
    }

    #[tokio::test]
    async fn a_token_without_the_operations_scope_is_forbidden() {
        let fake = Fake::new();
        let config = fake.config_with_scopes(["things:read"]).build().unwrap();
        let client = Client::new(config).unwrap();
        let id = "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d";
        client.send_json::<Thing>(retrieve(id)).await.unwrap();
        let error = client
            .send_json::<Thing>(create(&thing("a"), Some("k")))
            .await
            .unwrap_err();
        assert_eq!(error.error_status(), Some(ErrorStatus::Forbidden));
        let rejection = fake.create_thing().calls()[0].rejection.clone();
        assert_eq!(
            rejection.as_deref(),
            Some("the token has none of the scopes `things:write`, `things:admin`")
        );
        // The fake's own configuration asks for every scope its operations need.
        fake.client()
            .send_json::<Thing>(create(&thing("a"), Some("k")))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_delayed_answer_times_out_past_the_clients_timeout_and_is_retried() {
        use crate::client::RetryPolicy;
        use std::time::Duration;
        let fake = Fake::new();
        let policy = RetryPolicy::default()
            .max_attempts(4)
            .initial_backoff(Duration::from_millis(1));
        let config = fake
            .config()
            .timeout(Duration::from_millis(20))
            .retry_policy(policy);
        let client = Client::new(config.build().unwrap()).unwrap();
        let id = "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d";
        let attempts = || {
            fake.retrieve_thing()
                .calls()
                .iter()
                .map(|c| c.attempt)
                .collect::<Vec<_>>()
        };
        // Past the timeout: the first attempt times out, the retry gets the next answer.
        fake.retrieve_thing()
            .returns(thing("slow"))
            .delays(Duration::from_secs(3600))
            .returns(thing("quick"));
        let read = client.send_json::<Thing>(retrieve(id)).await.unwrap();
        assert_eq!(read.data.name, "quick");
        assert_eq!(attempts(), [1, 2]);
        // Every answer too late (a rule that only delays the default answer): each attempt
        // the policy allows times out.
        fake.reset();
        fake.retrieve_thing().delays(Duration::from_secs(3600));
        let error = client.send_json::<Thing>(retrieve(id)).await.unwrap_err();
        assert!(
            matches!(error, Error::Timeout { attempts: 4, .. }),
            "{error:?}"
        );
        assert_eq!(attempts(), [1, 2, 3, 4]);
        // Within the timeout: the default answer, once.
        fake.reset();
        fake.retrieve_thing().delays(Duration::from_millis(2));
        let read = client.send_json::<Thing>(retrieve(id)).await.unwrap();
        assert_eq!(read.data.name, "first");
        assert_eq!(attempts(), [1]);
    }

    #[tokio::test]
    #[should_panic(expected = "rejected `retrieve_thing` (attempt 1) with 400")]
    async fn a_strict_fake_fails_the_test() {
        let fake = Fake::new();
        fake.strict();
        let _ = fake.client().send_json::<Thing>(retrieve("x")).await;
    }

    /// Each way a value can fail its schema, with the JSON pointer of the value in the reason.
    #[test]
    fn a_value_conforms_strictly_and_the_reason_names_where_it_does_not() {
        use crate::serde_helpers::{Extra, Fit, Need, Prop};
        use serde_json::json;
        const KIND: Fit = Fit::Enum(&["PERSON", "COMPANY"]);
        const ADDRESS: Fit = Fit::Object(
            &[
                Prop("city", &Fit::String, Need::Required),
                Prop(
                    "lines",
                    &Fit::List(&Fit::String, Some(1), Some(2)),
                    Need::Optional,
                ),
            ],
            Extra::Unknown,
        );
        const PHONE: Fit = Fit::Object(
            &[Prop("phone", &Fit::String, Need::Required)],
            Extra::Unknown,
        );
        const EMAIL: Fit = Fit::Object(
            &[Prop("email", &Fit::String, Need::Required)],
            Extra::Unknown,
        );
        const CONTACT: Fit = Fit::Union(&[&PHONE, &EMAIL]);
        const USER: Fit = Fit::Object(
            &[
                Prop("id", &Fit::Uuid, Need::Required),
                Prop("kind", &KIND, Need::Required),
                Prop("id_type", &Fit::ProseEnum(&["ISIN"]), Need::Optional),
                Prop("born", &Fit::Date, Need::Optional),
                Prop("age", &Fit::I32, Need::OptionalNullable),
                Prop("address", &ADDRESS, Need::RequiredNullable),
                Prop("contacts", &Fit::List(&CONTACT, None, None), Need::Optional),
                Prop("tags", &Fit::Map(&Fit::Bool), Need::Optional),
            ],
            Extra::Kept(&Fit::F64),
        );
        let valid = json!({
            "id": "0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d",
            "kind": "PERSON",
            // Only the prose lists `ISIN`: the schema allows any string.
            "id_type": "WKN",
            "born": "1815-12-10",
            "age": null,
            "address": {"city": "London", "lines": ["12 St James's Square"], "floor": 2},
            "contacts": [{"phone": "+44"}, {"email": "ada@example.com"}],
            "tags": {"a/b": true},
            "score": 1.5,
        });
        assert_eq!(super::conform(&valid, &USER), Ok(()));
        // A nullable required property may be `null`; an optional one may be left out.
        let mut minimal = json!({"id": valid["id"], "kind": "COMPANY", "address": null});
        assert_eq!(super::conform(&minimal, &USER), Ok(()));
        let broken = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut value = valid.clone();
            change(&mut value);
            super::conform(&value, &USER).unwrap_err()
        };
        let cases: Vec<(String, &str)> = vec![
            (
                broken(&|v| drop(v.as_object_mut().unwrap().remove("kind"))),
                "at the root: the required property `kind` is missing",
            ),
            (
                broken(&|v| v["born"] = json!(null)),
                "at `/born`: `null` is not allowed here",
            ),
            (
                broken(&|v| v["id"] = json!("not-a-uuid")),
                "at `/id`: a UUID is required, not a string",
            ),
            (
                broken(&|v| v["born"] = json!("10/12/1815")),
                "at `/born`: a date (`2024-01-31`) is required, not a string",
            ),
            (
                broken(&|v| v["age"] = json!(5_000_000_000_i64)),
                "at `/age`: a 32-bit integer is required, not a number",
            ),
            (
                broken(&|v| v["kind"] = json!("ROBOT")),
                "at `/kind`: a string that is not one of `PERSON`, `COMPANY`",
            ),
            (
                broken(&|v| v["address"]["lines"] = json!([])),
                "at `/address/lines`: 0 items, fewer than the 1 required",
            ),
            (
                broken(&|v| v["address"]["lines"] = json!(["a", "b", "c"])),
                "at `/address/lines`: 3 items, more than the 2 allowed",
            ),
            (
                broken(&|v| v["address"]["lines"][0] = json!(12)),
                "at `/address/lines/0`: a string is required, not a number",
            ),
            (
                broken(&|v| v["tags"]["a/b"] = json!("yes")),
                "at `/tags/a~1b`: a boolean is required, not a string",
            ),
            (
                broken(&|v| v["score"] = json!("high")),
                "at `/score`: a number is required, not a string",
            ),
            (
                broken(&|v| v["contacts"][1] = json!({"fax": "+44"})),
                "at `/contacts/1`: an object conforms to none of the 2 shapes the schema \
                 allows (1. at `/contacts/1`: the required property `phone` is missing; \
                 2. at `/contacts/1`: the required property `email` is missing)",
            ),
            (
                broken(&|v| v["contacts"][0] = json!({"phone": 44})),
                "at `/contacts/0`: an object conforms to none of the 2 shapes the schema \
                 allows (1. at `/contacts/0/phone`: a string is required, not a number; \
                 2. at `/contacts/0`: the required property `email` is missing)",
            ),
        ];
        for (reason, expected) in cases {
            assert_eq!(reason, expected);
        }
        // A whole body of another JSON type, and a union given something of no member's type.
        assert_eq!(
            super::conform(&json!(7), &USER),
            Err("at the root: an object is required, not a number".into())
        );
        assert_eq!(
            super::conform(&json!(7), &CONTACT),
            Err(
                "at the root: a number conforms to none of the 2 shapes the schema allows \
                 (1. at the root: an object is required, not a number; 2. at the root: an \
                 object is required, not a number)"
                    .into()
            )
        );
        // Other properties are each of their kind where the description gives one
        // (`Extra::Kept`); where it says nothing of them, any is allowed (`Extra::Unknown`).
        minimal["nickname"] = json!("Ada");
        assert_eq!(
            super::conform(&minimal, &USER),
            Err("at `/nickname`: a number is required, not a string".into())
        );
        assert_eq!(
            super::conform(&json!({"city": "x", "floor": "2"}), &ADDRESS),
            Ok(())
        );
    }

    #[test]
    fn a_webhook_delivery_bundles_the_events_in_order() {
        let body = super::webhook_delivery([thing("a"), thing("b")]);
        let bundle: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let names: Vec<_> = bundle["payload"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["name"].clone())
            .collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(bundle.as_object().unwrap().len(), 1);
    }

    #[test]
    fn an_item_without_an_id_gets_its_identity_from_a_member() {
        let account = "c5161455-4d27-4781-bc74-f05532e49a77";
        let position = serde_json::json!({
            "account_id": account,
            "instrument": {"isin": "US0378331005", "uuid": "ccb86937-8a39-4160-8d33-85bf9e902321"},
        });
        let mut page = serde_json::json!({"data": [position], "meta": {"offset": 0}});
        super::fill_page(&mut page, "{}", Some(3), None, None);
        let items = page["data"].as_array().unwrap();
        let uuids: std::collections::BTreeSet<_> = items
            .iter()
            .map(|i| i["instrument"]["uuid"].to_string())
            .collect();
        assert_eq!((items.len(), uuids.len()), (3, 3));
        // The account is the same for every position: not an identity.
        assert!(items.iter().all(|i| i["account_id"] == account));
    }

    #[tokio::test]
    async fn a_calls_debug_shows_no_values() {
        let fake = Fake::new();
        let client = fake.client();
        client
            .send_json::<Thing>(create(&thing("Lovelace"), Some("k")))
            .await
            .unwrap();
        let call = &fake.create_thing().calls()[0];
        let shown = format!("{call:?}");
        assert!(!shown.contains("Lovelace"), "{shown}");
        assert!(!shown.contains(super::FAKE_CLIENT_ID), "{shown}");
    }
}
