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
    counts_users_over_every_page().await;
    a_missing_user_is_no_error().await;
    a_busy_upvest_is_retried().await;
    onboarded_users_are_found_and_counted().await;
    the_directory_works_over_http().await;
    reading_users_needs_a_users_scope().await;
    println!("service tests passed in {} ms", started.elapsed().as_millis());
}
