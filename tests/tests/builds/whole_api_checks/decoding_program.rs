// Decoding checks on the SDK generated from Upvest's whole description: each silent-loss case of
// issue 8 decodes into the right variant, or into a union's `Unknown` with all of its JSON, and
// encodes again to an equal value (issue 20: a newer server's new field neither demotes a value
// nor is lost; a value another variant names is not taken openly); `webhook_events::parse`
// never fails on JSON. Run by
// `tests/tests/whole_api.rs` as a program of the examples workspace, after a prelude that names
// the types under test (`User`, `UsersPage`, `UserCheck`, `ChecksPage`, `InstrumentId`) from the
// lowered model. The inputs are the description's own examples (read from the file given as the
// first argument), each changed in one place.

use serde_json::{json, Value};

fn main() {
    let path = std::env::args().nth(1).expect("the examples file");
    let examples: Vec<(String, Value)> =
        serde_json::from_slice(&std::fs::read(path).expect("readable")).expect("json");
    let example = |pointer: &str| -> Value {
        examples
            .iter()
            .find(|(p, _)| p == pointer)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no example at {pointer}"))
    };
    let users = example("#/paths/~1users/get/responses/200/content/application~1json/examples/TOL/value");
    let checks = example("#/paths/~1users~1{user_id}~1checks/get/responses/200/content/application~1json/example");
    let webhook = examples
        .iter()
        .find(|(p, v)| {
            p.starts_with("#/x-webhooks/")
                && v["type"].as_str().is_some_and(|t| t.starts_with("USER."))
        })
        .map(|(_, v)| v.clone())
        .expect("a USER. webhook example");

    tol_user_with_a_new_field_or_a_local_time_loses_nothing(&users);
    a_null_the_description_forbids_is_kept_until_its_field_is_set(&users);
    list_page_with_one_such_user_stays_typed(&users);
    kyc_check_with_an_unreadable_date_is_kept_whole(&checks);
    uuid_instrument_ids_reach_the_uuid_variant();
    webhooks_parse_whatever_json_arrives(&webhook);
    println!("all decoding checks passed");
}

/// Decodes `value` as `T` (which must not fail: unions never do) and encodes it again.
fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(value: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("does not decode: {e}\n{value:#}"));
    let again = serde_json::to_value(&typed).expect("encodes");
    (typed, again)
}

/// Equal as JSON values, date-times compared as instants (the SDK keeps values, not spelling).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x == y
                || matches!(
                    (
                        upvest::chrono::DateTime::parse_from_rfc3339(x),
                        upvest::chrono::DateTime::parse_from_rfc3339(y)
                    ),
                    (Ok(x), Ok(y)) if x == y
                )
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn tol_user_with_a_new_field_or_a_local_time_loses_nothing(users: &Value) {
    let good = users["data"][0].clone();
    assert!(good.get("email").is_some() && good.get("fatca").is_some(), "{good:#}");
    // The example as it is: a TOL user, typed, nothing dropped.
    let (typed, again) = decode::<User>(&good);
    assert!(matches!(typed, User::UserTol(_)), "{typed:?}");
    assert!(same(&again, &good), "re-encoded differently: {again:#}");

    // A field a newer server added: still a TOL user (BYOL names fewer of its fields), the new
    // field kept and sent again.
    let mut newer = good.clone();
    newer["opened_at"] = json!("2026-01-02T03:04:05Z");
    let (typed, again) = decode::<User>(&newer);
    match &typed {
        User::UserTol(user) => {
            assert_eq!(user.unknown_fields.get("opened_at"), Some(&newer["opened_at"]))
        }
        other => panic!("a TOL user with a new field decoded as {other:?}"),
    }
    assert!(same(&again, &newer), "re-encoded differently: {again:#}");

    // `confirmed_at` without a UTC offset: no variant fits (TOL's date-time fails; BYOL would
    // hold it only by keeping TOL's own fields aside), so the whole value is kept.
    let mut bad = good.clone();
    bad["fatca"]["confirmed_at"] = json!("2020-08-24T14:15:22");
    let (typed, again) = decode::<User>(&bad);
    match &typed {
        User::Unknown(kept) => assert_eq!(kept, &bad),
        other => panic!("a TOL user with a local time decoded as {other:?}"),
    }
    assert_eq!(again, bad, "the fallback encodes the value as it came");
}

fn a_null_the_description_forbids_is_kept_until_its_field_is_set(users: &Value) {
    let mut user = users["data"][0].clone();
    assert!(user["address"]["address_line2"].is_string(), "{user:#}");
    user["address"]["address_line2"] = Value::Null;
    let (typed, again) = decode::<User>(&user);
    let User::UserTol(typed) = typed else {
        panic!("a TOL user with a null address line decoded as {typed:?}")
    };
    // The optional field is `None`; the `null` it cannot hold is kept and sent again.
    assert_eq!(typed.address.address_line2, None);
    assert_eq!(
        typed.address.unknown_fields.get("address_line2"),
        Some(&Value::Null)
    );
    assert!(same(&again, &user), "re-encoded differently: {again:#}");
    // Set again, it is sent once, with its new value.
    let address = typed.address.clone().address_line2("Hinterhaus");
    let text = serde_json::to_string(&address).expect("encodes");
    assert_eq!(text.matches("\"address_line2\"").count(), 1, "{text}");
    let sent: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(sent["address_line2"], "Hinterhaus");
}

fn list_page_with_one_such_user_stays_typed(users: &Value) {
    let mut page = users.clone();
    page["data"][0]["fatca"]["confirmed_at"] = json!("2020-08-24T14:15:22");
    let (typed, again) = decode::<UsersPage>(&page);
    // The page is typed (`meta` decodes); its `data` is not the branch for empty lists, which
    // would keep the users as untyped maps: it is held, whole, by the union of user lists.
    let data = serde_json::to_value(&typed.data).unwrap();
    assert_eq!(data, page["data"]);
    let shown = format!("{:?}", upvest::debug::Revealed(&typed.data));
    assert!(
        shown.contains("Unknown(Array"),
        "the users that do not fit are kept whole, not as a list of maps: {shown}"
    );
    assert!(same(&again, &page), "re-encoded differently: {again:#}");
    // The same page with the user as the example has it is typed all the way down.
    let (typed, _) = decode::<UsersPage>(users);
    assert!(!format!("{:?}", typed.data).contains("Unknown("), "{typed:?}");
}

fn kyc_check_with_an_unreadable_date_is_kept_whole(checks: &Value) {
    let kyc = checks["data"][0].clone();
    assert_eq!(kyc["type"], "KYC", "{kyc:#}");
    let (typed, again) = decode::<UserCheck>(&kyc);
    assert!(!matches!(typed, UserCheck::Unknown(_)), "{typed:?}");
    assert!(same(&again, &kyc), "re-encoded differently: {again:#}");

    // One unreadable date: not a Compliance check that keeps the KYC check's 7 fields aside,
    // but the whole value.
    let mut bad = kyc.clone();
    bad["document_expiration_date"] = json!("2030-02-30");
    let (typed, again) = decode::<UserCheck>(&bad);
    match &typed {
        UserCheck::Unknown(kept) => assert_eq!(kept, &bad),
        other => panic!("a KYC check with an unreadable date decoded as {other:?}"),
    }
    assert_eq!(again, bad);

    // In a page, only that check is kept as JSON; the others stay typed.
    let mut page = checks.clone();
    page["data"][0] = bad.clone();
    let (typed, again) = decode::<ChecksPage>(&page);
    assert!(matches!(&typed.data[0], UserCheck::Unknown(kept) if *kept == bad));
    assert!(typed.data[1..]
        .iter()
        .all(|c| !matches!(c, UserCheck::Unknown(_))));
    assert!(same(&again, &page), "re-encoded differently: {again:#}");
}

fn uuid_instrument_ids_reach_the_uuid_variant() {
    let uuid = json!("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    let (typed, again) = decode::<InstrumentId>(&uuid);
    assert!(matches!(typed, InstrumentId::Uuid(_)), "{typed:?}");
    assert_eq!(again, uuid);
    let isin = json!("DE0005557508");
    let (typed, again) = decode::<InstrumentId>(&isin);
    assert!(matches!(typed, InstrumentId::String(_)), "{typed:?}");
    assert_eq!(again, isin);
    // Not a string at all: kept, not an error.
    let (typed, again) = decode::<InstrumentId>(&json!(42));
    assert!(matches!(typed, InstrumentId::Unknown(_)), "{typed:?}");
    assert_eq!(again, json!(42));
}

fn webhooks_parse_whatever_json_arrives(event: &Value) {
    use upvest::webhook_events::{parse, WebhookEvent};
    let parsed = parse(event.to_string().as_bytes()).expect("an example parses");
    assert!(
        !matches!(parsed, WebhookEvent::Unknown(_) | WebhookEvent::Undecoded { .. }),
        "{parsed:?}"
    );
    // A known type whose payload does not decode is kept, with why.
    let mut bad = event.clone();
    bad["id"] = json!("not-a-uuid");
    match parse(bad.to_string().as_bytes()) {
        Ok(WebhookEvent::Undecoded { value, error }) => {
            assert_eq!(value, bad);
            assert_eq!(error.path, "id", "{error}");
        }
        other => panic!("a known event with a bad id parsed as {other:?}"),
    }
    // Why it did not decode names kinds, never the value (it may be personal data).
    bad["id"] = json!(4_815_162_342_u64);
    match parse(bad.to_string().as_bytes()) {
        Ok(WebhookEvent::Undecoded { error, .. }) => {
            assert_eq!(error.path, "id", "{error}");
            assert!(error.message.contains("invalid type: integer"), "{error}");
            assert!(!error.to_string().contains("4815162342"), "{error}");
        }
        other => panic!("a known event with a numeric id parsed as {other:?}"),
    }
    // Unknown types and any other JSON are kept too; only a body that is not JSON fails.
    for body in [json!({"type": "SOMETHING.NEW", "object": {}}), json!([1, 2]), json!("text")] {
        match parse(body.to_string().as_bytes()) {
            Ok(WebhookEvent::Unknown(value)) => assert_eq!(value, body),
            other => panic!("{body} parsed as {other:?}"),
        }
    }
    let not_json = parse(b"{not json").expect_err("a body that is not JSON fails");
    assert!(not_json.message.starts_with("not valid JSON"), "{not_json}");
    assert!(!not_json.to_string().contains("``"), "no empty path: {not_json}");
}
