// The rest of the fake checks' program (its start, `every_operation`, is written per operation
// by `whole_api.rs`): the per-operation helpers, then a small service built on the SDK and its
// tests against the fake, as a user of the SDK would write them.

use std::sync::atomic::{AtomicUsize, Ordering};

use upvest::futures_util::StreamExt as _;
use upvest::testing::Fake;
use upvest::ErrorStatus;

static ANSWERED: AtomicUsize = AtomicUsize::new(0);
static PAGED: AtomicUsize = AtomicUsize::new(0);
static DELIVERED: AtomicUsize = AtomicUsize::new(0);
static READ_BACK: AtomicUsize = AtomicUsize::new(0);
/// (operation, way) pairs whose broken request the fake rejected with the reason.
static BROKEN: AtomicUsize = AtomicUsize::new(0);
/// Operations all of whose broken requests the fake rejected with the reason.
static BROKEN_OPERATIONS: AtomicUsize = AtomicUsize::new(0);

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("an answer encodes")
}

/// A resource just created: its retrieve answered the created members (those its type has),
/// and its list, when it has one, holds exactly it.
fn check_resource(
    failures: &mut Vec<String>,
    collection: &str,
    created: &serde_json::Value,
    read: Result<serde_json::Value, upvest::Error>,
    listed: Option<Result<serde_json::Value, upvest::Error>>,
) {
    let read = match read {
        Ok(read) => read,
        Err(e) => return failures.push(format!("{collection}: retrieve {e:?}")),
    };
    let (Some(created_members), Some(read_members)) = (created.as_object(), read.as_object()) else {
        return failures.push(format!("{collection}: not objects: {created} {read}"));
    };
    let differing: Vec<&String> = created_members
        .iter()
        .filter(|(name, value)| read_members.get(name.as_str()).is_some_and(|v| v != *value))
        .map(|(name, _)| name)
        .collect();
    if read["id"] != created["id"] || !differing.is_empty() {
        return failures.push(format!("{collection}: read back {read}, created {created}"));
    }
    if let Some(listed) = listed {
        let ids: Vec<serde_json::Value> = match &listed {
            Ok(page) => page["data"]
                .as_array()
                .map(|items| items.iter().map(|i| i["id"].clone()).collect())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        if ids != [created["id"].clone()] {
            return failures.push(format!("{collection}: listed {listed:?}"));
        }
    }
    READ_BACK.fetch_add(1, Ordering::Relaxed);
}

/// The call of `id` just made was accepted by the fake and its answer decoded.
async fn check(fake: &Fake, failures: &mut Vec<String>, id: &str, outcome: Result<(), upvest::Error>) {
    let call = fake.calls().pop();
    let accepted = call
        .as_ref()
        .is_some_and(|c| c.operation == id && c.rejection.is_none());
    match outcome {
        Ok(()) if accepted => {
            ANSWERED.fetch_add(1, Ordering::Relaxed);
        }
        outcome => failures.push(format!(
            "{id}: {outcome:?}; rejected: {:?}",
            call.and_then(|c| c.rejection)
        )),
    }
}

/// A list walked 3 items at a time: every item, from pages at offsets 0, 3, 6, ...
async fn check_pages<T>(fake: &Fake, failures: &mut Vec<String>, id: &str, items: Vec<Result<T, upvest::Error>>) {
    let errors: Vec<String> = items
        .iter()
        .filter_map(|i| i.as_ref().err().map(|e| format!("{e:?}")))
        .collect();
    let offsets: Vec<String> = fake
        .calls()
        .iter()
        .filter(|c| c.operation == id && c.query("limit") == Some("3"))
        .map(|c| c.query("offset").unwrap_or("0").to_string())
        .collect();
    let expected: Vec<String> = (0..LIST_ITEMS).step_by(3).map(|o| o.to_string()).collect();
    if items.len() == LIST_ITEMS && errors.is_empty() && offsets == expected {
        PAGED.fetch_add(1, Ordering::Relaxed);
    } else {
        failures.push(format!(
            "{id}: {} items, offsets {offsets:?}, errors {errors:?}",
            items.len()
        ));
    }
}

/// A webhook group's example, typed, delivered twice in one bundle: both events parse back as
/// the group's variant.
fn check_delivery<T: serde::de::DeserializeOwned + serde::Serialize + Clone>(
    failures: &mut Vec<String>,
    name: &str,
    example: &str,
    is_variant: fn(&upvest::webhook_events::WebhookEvent) -> bool,
) {
    let event: T = match serde_json::from_str(example) {
        Ok(event) => event,
        Err(e) => return failures.push(format!("webhook {name}: {e}")),
    };
    let body = upvest::testing::webhook_delivery([event.clone(), event]);
    match upvest::webhook_events::parse_delivery(&body) {
        Ok(delivery) if delivery.events.len() == 2 && delivery.events.iter().all(|e| is_variant(&e.event)) => {
            DELIVERED.fetch_add(1, Ordering::Relaxed);
        }
        outcome => failures.push(format!("webhook {name}: {outcome:?}")),
    }
}

/// A way to break a request the SDK built, each one the fake checks.
#[derive(Debug, Clone, Copy)]
enum Way {
    /// No `authorization` header.
    NoToken,
    /// A bearer token the fake did not issue.
    UnknownToken,
    /// A token granted none of the operation's scopes (one of them named).
    Unscoped(&'static str),
    NoClientId,
    /// No `upvest-api-version` header.
    NoApiVersion,
    /// A required query parameter left out.
    NoQuery(&'static str),
    /// A required header left out (Upvest's description has none besides those above today).
    #[allow(dead_code)]
    NoHeader(&'static str),
    NoIdempotencyKey,
    /// A form body (of this media type) that does not decode into its type: `7`.
    BadBody(&'static str),
    /// A JSON body (of this media type) of a shape its schema does not allow: a number where
    /// the schema has an object, or (`true`) a union of objects, which would decode it whole as
    /// `Unknown`: only the schema check refuses it.
    BadShape(&'static str, bool),
    /// A JSON body (of this media type) that is not JSON.
    NotJsonBody(&'static str),
    /// The SDK's JSON body (of this media type) with this property `null`, which its schema
    /// does not allow (an optional property decodes a `null` as absent: only the schema
    /// check sees it).
    NullProperty(&'static str, &'static str),
    /// Signed with another key than the one the fake checks with.
    BadSignature,
}

impl Way {
    /// The status the fake answers and what its reason must name.
    fn expected(self) -> (u16, String) {
        match self {
            Way::NoToken => (401, "no bearer token".into()),
            Way::UnknownToken => (401, "a bearer token the fake did not issue".into()),
            Way::Unscoped(scope) => (403, format!("`{scope}`")),
            Way::NoClientId => (400, "`upvest-client-id`".into()),
            Way::NoApiVersion => (400, "no `upvest-api-version` header".into()),
            Way::NoQuery(name) | Way::NoHeader(name) => (400, format!("`{name}` is missing")),
            Way::NoIdempotencyKey => (400, "`idempotency-key`".into()),
            Way::BadBody(_) => (400, "the body does not decode".into()),
            Way::BadShape(_, union) => (
                400,
                format!(
                    "the body does not conform to its schema at the root: {}",
                    if union { "a number conforms to none of the" } else { "an object is required, not a number" }
                ),
            ),
            Way::NotJsonBody(_) => (400, "the body is not JSON".into()),
            Way::NullProperty(_, name) => (
                400,
                format!("the body does not conform to its schema at `/{name}`: `null` is not allowed here"),
            ),
            Way::BadSignature => (401, "signature: ".into()),
        }
    }
}

/// Breaks the request of one operation the way set, then hands it to the fake.
struct Breaker {
    fake: Fake,
    breaking: std::sync::Mutex<Option<(&'static str, Way)>>,
}

impl upvest::client::Interceptor for Breaker {
    fn before_send(
        &self,
        context: &upvest::client::AttemptContext<'_>,
        request: &mut upvest::reqwest::Request,
    ) -> Option<upvest::client::Reply> {
        let breaking = *self.breaking.lock().unwrap();
        // Only the operation's own request: not the token request made for it.
        if let Some((_, way)) = breaking.filter(|(id, _)| *id == context.operation) {
            let headers = request.headers_mut();
            let removed = match way {
                Way::NoToken => "authorization",
                Way::NoClientId => "upvest-client-id",
                Way::NoApiVersion => "upvest-api-version",
                Way::NoHeader(name) => name,
                Way::NoIdempotencyKey => "idempotency-key",
                _ => "",
            };
            if !removed.is_empty() {
                headers.remove(removed);
            }
            match way {
                Way::UnknownToken => {
                    headers.insert("authorization", "Bearer made-up".parse().unwrap());
                }
                Way::BadBody(media_type) | Way::BadShape(media_type, _) | Way::NotJsonBody(media_type) => {
                    // Set too where the SDK sent no (optional) body.
                    headers.insert("content-type", media_type.parse().unwrap());
                    let body = if matches!(way, Way::NotJsonBody(_)) { "{" } else { "7" };
                    *request.body_mut() = Some(body.into());
                }
                Way::NullProperty(media_type, name) => {
                    headers.insert("content-type", media_type.parse().unwrap());
                    let sent = request.body().and_then(|b| b.as_bytes()).unwrap_or(b"{}");
                    let mut body: serde_json::Value = serde_json::from_slice(sent).unwrap_or_default();
                    if !body.is_object() {
                        body = serde_json::json!({});
                    }
                    body[name] = serde_json::Value::Null;
                    *request.body_mut() = Some(serde_json::to_vec(&body).unwrap().into());
                }
                Way::NoQuery(name) => {
                    let kept: Vec<(String, String)> = request
                        .url()
                        .query_pairs()
                        .filter(|(n, _)| n.as_ref() != name)
                        .map(|(n, v)| (n.into_owned(), v.into_owned()))
                        .collect();
                    let url = request.url_mut();
                    url.set_query(None);
                    if !kept.is_empty() {
                        url.query_pairs_mut().extend_pairs(kept);
                    }
                }
                _ => {}
            }
        }
        upvest::client::Interceptor::before_send(&self.fake, context, request)
    }
}

/// The clients a broken request is sent with.
struct Breaking {
    breaker: std::sync::Arc<Breaker>,
    /// Through the [`Breaker`], unsigned, with every scope.
    client: upvest::Client,
    /// A token of no scope the description lists.
    unscoped: upvest::Client,
    /// Signed with [`OTHER_KEY`], to the fake that checks signatures with [`SIGNING_KEY`]'s.
    signed_otherwise: upvest::Client,
}

impl Breaking {
    fn new(signing: &Fake) -> Self {
        let fake = Fake::new();
        let scopes = fake.config().build().unwrap().scopes().to_vec();
        let breaker = std::sync::Arc::new(Breaker { fake: fake.clone(), breaking: Default::default() });
        // One send: a `401` is not answered by a new token and a second send.
        let config = upvest::Config::builder()
            .base_url(upvest::testing::FAKE_URL)
            .client_id(upvest::testing::FAKE_CLIENT_ID)
            .client_secret(upvest::testing::FAKE_CLIENT_SECRET)
            .scopes(scopes.clone())
            .retry_policy(upvest::client::RetryPolicy::none())
            .interceptor(breaker.clone())
            .build()
            .unwrap();
        let unscoped = fake.config_with_scopes(["fake:none"]).retry_policy(upvest::client::RetryPolicy::none());
        // A fixed token: the token request would fail the signature check too.
        let other = upvest::client::SigningKey::from_pem(OTHER_KEY).unwrap();
        let signed_otherwise = signing
            .config_with_scopes(scopes)
            .signing_key(other)
            .key_id("other-key")
            .retry_policy(upvest::client::RetryPolicy::none());
        Self {
            breaker,
            client: upvest::Client::new(config).unwrap(),
            unscoped: upvest::Client::new(unscoped.build().unwrap()).unwrap(),
            signed_otherwise: upvest::Client::new(signed_otherwise.build().unwrap()).unwrap(),
        }
    }

    /// Sends the request of `id` broken in each of `ways`: each must be rejected with the
    /// status and the reason naming what was broken.
    async fn check<F, R>(&self, failures: &mut Vec<String>, id: &'static str, ways: &[Way], send: F)
    where
        F: Fn(upvest::Client) -> R,
        R: std::future::Future<Output = Result<(), upvest::Error>>,
    {
        let failed = failures.len();
        for &way in ways {
            self.breaker.fake.reset();
            let client = match way {
                Way::Unscoped(_) => self.unscoped.clone(),
                Way::BadSignature => self.signed_otherwise.clone(),
                _ => {
                    *self.breaker.breaking.lock().unwrap() = Some((id, way));
                    self.client.clone()
                }
            };
            let outcome = send(client).await;
            *self.breaker.breaking.lock().unwrap() = None;
            let (status, named) = way.expected();
            let answered = outcome.as_ref().err().and_then(|e| e.as_api()).map(|api| {
                let detail = api.problem.as_ref().and_then(|p| p.detail.clone());
                (api.status, detail.unwrap_or_default())
            });
            match answered {
                Some((got, reason)) if got == status && reason.contains(&named) => {
                    BROKEN.fetch_add(1, Ordering::Relaxed);
                }
                _ => failures.push(format!("{id} {way:?}: expected {status} naming {named:?}, got {outcome:?}")),
            }
        }
        if !ways.is_empty() && failures.len() == failed {
            BROKEN_OPERATIONS.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A small service built on the SDK: what a tenant's back office might ask.
struct Directory {
    client: upvest::Client,
}

impl Directory {
    /// How many users the tenant has, over every page.
    async fn user_count(&self) -> Result<usize, upvest::Error> {
        let mut items = std::pin::pin!(self.client.list_users().items());
        let mut count = 0;
        while let Some(item) = items.next().await {
            item?;
            count += 1;
        }
        Ok(count)
    }

    /// Onboards a user: creates it and returns its ID.
    async fn onboard(&self, user: upvest::models::UserCreateRequest) -> Result<upvest::uuid::Uuid, upvest::Error> {
        let created = self.client.create_user(user).send().await?;
        let id = json(&created.data)["id"].as_str().and_then(|id| id.parse().ok());
        Ok(id.expect("a created user has an ID"))
    }

    /// Whether a user exists: Upvest's `404` is an answer, not an error.
    async fn user_exists(&self, id: upvest::uuid::Uuid) -> Result<bool, upvest::Error> {
        match self.client.retrieve_user(id).send().await {
            Ok(_) => Ok(true),
            Err(e) if e.error_status() == Some(ErrorStatus::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn directory() -> (Fake, Directory) {
    let fake = Fake::new();
    // A request Upvest would reject fails the test.
    fake.strict();
    let client = fake.client();
    (fake, Directory { client })
}

async fn counts_users_over_every_page() {
    let (fake, directory) = directory();
    fake.list_items(250);
    assert_eq!(directory.user_count().await.unwrap(), 250);
    // Three pages of at most 100 (the fake's default limit).
    assert_eq!(fake.list_users().calls().len(), 3);
}

async fn a_missing_user_is_no_error() {
    let (fake, directory) = directory();
    let missing = upvest::uuid::Uuid::from_u128(404);
    fake.retrieve_user()
        .when(move |call| call.path_param_as("user_id") == Some(missing))
        .fails(ErrorStatus::NotFound);
    assert!(!directory.user_exists(missing).await.unwrap());
    assert!(directory.user_exists(upvest::uuid::Uuid::from_u128(1)).await.unwrap());
}

async fn a_busy_upvest_is_retried() {
    let (fake, directory) = directory();
    let id = upvest::uuid::Uuid::from_u128(1);
    let user = directory.client.retrieve_user(id).send().await.unwrap().data;
    fake.reset();
    fake.retrieve_user()
        .fails(ErrorStatus::ServiceUnavailable)
        .returns(user);
    assert!(directory.user_exists(id).await.unwrap());
    let attempts: Vec<(u32, u16)> = fake
        .retrieve_user()
        .calls()
        .iter()
        .map(|c| (c.attempt, c.status))
        .collect();
    assert_eq!(attempts, [(1, 503), (2, 200)]);
}

async fn onboarded_users_are_found_and_counted() {
    let (fake, directory) = directory();
    let user = || serde_json::from_str::<upvest::models::UserCreateRequest>(USER_SAMPLE).unwrap();
    let ada = directory.onboard(user()).await.unwrap();
    let grace = directory.onboard(user()).await.unwrap();
    assert_ne!(ada, grace);
    // No rule: the fake keeps what it created, and lists exactly that.
    assert!(directory.user_exists(ada).await.unwrap());
    assert_eq!(directory.user_count().await.unwrap(), 2);
    assert_eq!(fake.create_user().calls().len(), 2);
}

/// The same service over HTTP: signed requests, each signature checked, a dropped connection
/// and a busy Upvest retried.
async fn the_directory_works_over_http() {
    let fake = Fake::new();
    fake.strict();
    let key = upvest::client::SigningKey::from_pem(SIGNING_KEY).unwrap();
    fake.verify_signatures(&key.public_key_pem().unwrap());
    let served = fake.serve().unwrap();
    let config = served.config().signing_key(key).key_id("fake-key").build().unwrap();
    let directory = Directory { client: upvest::Client::new(config).unwrap() };
    let id = upvest::uuid::Uuid::from_u128(1);
    fake.retrieve_user()
        .when(|call| call.attempt == 1)
        .drops_connection();
    fake.retrieve_user()
        .when(|call| call.attempt == 2)
        .fails(ErrorStatus::ServiceUnavailable);
    assert!(directory.user_exists(id).await.unwrap());
    let attempts: Vec<(u32, u16)> = fake.retrieve_user().calls().iter().map(|c| (c.attempt, c.status)).collect();
    assert_eq!(attempts, [(1, 0), (2, 503), (3, 200)]);
    fake.list_items(3);
    assert_eq!(directory.user_count().await.unwrap(), 3);
}

async fn reading_users_needs_a_users_scope() {
    let fake = Fake::new();
    fake.list_items(3);
    let id = upvest::uuid::Uuid::from_u128(1);
    let reader = |scope: &str| Directory {
        client: upvest::Client::new(fake.config_with_scopes([scope]).build().unwrap()).unwrap(),
    };
    assert_eq!(reader("users:read").user_count().await.unwrap(), 3);
    let error = reader("orders:read").user_exists(id).await.unwrap_err();
    assert_eq!(error.error_status(), Some(ErrorStatus::Forbidden));
}

#[tokio::main]
async fn main() {
    let fake = Fake::new();
    fake.list_items(LIST_ITEMS);
    // Signed, as a tenant's client is: every operation's request passes the signature check.
    let key = upvest::client::SigningKey::from_pem(SIGNING_KEY).unwrap();
    fake.verify_signatures(&key.public_key_pem().unwrap());
    let client = upvest::Client::new(fake.config().signing_key(key).key_id("fake-key").build().unwrap()).unwrap();
    let mut failures = every_operation(&fake, &client).await;
    failures.extend(every_webhook());
    assert!(failures.is_empty(), "{} operations failed:\n{}", failures.len(), failures.join("\n"));
    println!(
        "{} operations answered, {} lists paged, {} resources read back",
        ANSWERED.load(Ordering::Relaxed),
        PAGED.load(Ordering::Relaxed),
        READ_BACK.load(Ordering::Relaxed)
    );

    println!("{} webhook deliveries parsed", DELIVERED.load(Ordering::Relaxed));

    let started = std::time::Instant::now();
    let failures = every_broken_request(&Breaking::new(&fake)).await;
    assert!(failures.is_empty(), "{} broken requests not rejected:\n{}", failures.len(), failures.join("\n"));
    println!(
        "{} broken requests of {} operations rejected with the reason ({} ms)",
        BROKEN.load(Ordering::Relaxed),
        BROKEN_OPERATIONS.load(Ordering::Relaxed),
        started.elapsed().as_millis()
    );

    let started = std::time::Instant::now();
    counts_users_over_every_page().await;
    a_missing_user_is_no_error().await;
    a_busy_upvest_is_retried().await;
    onboarded_users_are_found_and_counted().await;
    the_directory_works_over_http().await;
    reading_users_needs_a_users_scope().await;
    println!("service tests passed in {} ms", started.elapsed().as_millis());
}
