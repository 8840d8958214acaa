//! `lossless::newer_server`, with which the evolution harness writes the answers a newer server
//! sends to an older SDK (`tests/tests/builds/evolution.rs`): the fields the older struct lacks
//! are filled in, an enum value the older enum does not list replaces the example's, and nothing
//! changes where nothing is newer.

use std::path::Path;

use serde_json::{json, Value};
use upvest_sdk_generator::lock::NameLock;
use upvest_sdk_generator::model::Api;
use upvest_sdk_generator::{load, lower, GroupSelection};
use upvest_sdk_tests::lossless::newer_server;

fn description(status: &[&str], extra_field: bool) -> Value {
    let mut account = json!({
        "type": "object",
        "title": "Account",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "enum": status},
        },
        "additionalProperties": false,
    });
    if extra_field {
        account["properties"]["nickname"] = json!({"type": "string"});
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Accounts", "version": "1"},
        "tags": [{"name": "Accounts"}],
        "paths": {"/accounts/{id}": {"get": {
            "operationId": "retrieve_account",
            "tags": ["Accounts"],
            "parameters": [{"name": "id", "in": "path", "required": true,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The account.", "content": {
                "application/json": {
                    "schema": account,
                    "example": {"id": "a1", "status": "OPEN"},
                }
            }}}
        }}}
    })
}

fn lowered(doc: &Value, lock: &NameLock) -> (Api, Value) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let spec = load::load_named(&path, Path::new("accounts.json")).unwrap();
    let api = lower::lower(&spec, &GroupSelection::All, "accounts.json", lock).unwrap();
    (api, spec.raw)
}

#[test]
fn a_newer_server_fills_new_fields_and_sends_new_enum_values() {
    let (older, _) = lowered(&description(&["OPEN"], false), &NameLock::default());
    let (newer, raw) = lowered(&description(&["OPEN", "CLOSED"], true), &older.names);
    let example = &newer.examples[0];
    let value = raw
        .pointer(example.pointer.trim_start_matches('#'))
        .unwrap();
    let (sent, kept) =
        newer_server(&newer, &older, value, &example.rust_type).expect("something is newer");
    assert_eq!(
        sent,
        json!({"id": "a1", "status": "CLOSED", "nickname": "evolved"})
    );
    // The older struct keeps the new field as unknown; the enum value is a field it has.
    assert_eq!(kept, vec![("nickname".to_string(), json!("evolved"))]);
}

#[test]
fn nothing_is_newer_against_the_same_description() {
    let (older, raw) = lowered(&description(&["OPEN"], true), &NameLock::default());
    let example = &older.examples[0];
    let value = raw
        .pointer(example.pointer.trim_start_matches('#'))
        .unwrap();
    assert_eq!(
        newer_server(&older, &older, value, &example.rust_type),
        None
    );
}
