//! Names from the description never collide with the generated code's own: a parameter called
//! `client`, `request`, `body`, `send`, ... and a property called `additional_properties` are
//! renamed (`{name}_{location}`, then `_2`, ...; see `lower::unique_param_idents`), and the
//! fixture's crate compiles (`fixtures_compile.rs`).

use upvest_sdk_generator::{generate, GroupSelection, Options};
use upvest_sdk_tests::repo_root;

const FIXTURE: &str = "tests/fixtures/collisions.yaml";

fn files() -> upvest_sdk_generator::Files {
    let spec = repo_root().join(FIXTURE);
    generate(&Options {
        spec: &spec,
        spec_label: FIXTURE,
        groups: GroupSelection::All,
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn parameters_named_like_the_builders_own_are_renamed_by_location() {
    let files = files();
    let keys = &files["src/keys.rs"];
    for expected in [
        "request_path: String",
        "client_query: String",
        "send_query: Option<bool>",
        "pages_query: Option<i64>",
        "items_query: Option<String>",
        "new_query: Option<String>",
        "clone_query: Option<String>",
        "send_pdf_query: Option<String>",
        "body_header: String",
        "body_query: Option<String>",
        "idempotency_key_query: Option<String>",
        "idempotency_key: Option<uuid::Uuid>",
        "id_query: Option<String>",
        "user_id_query: Option<String>",
        "offset_query: Option<i64>",
        "request.path_param(&self.request_path)?;",
        "let first = self.offset_query.unwrap_or(0)",
        "pub async fn send_pdf(self)",
    ] {
        assert!(keys.contains(expected), "missing `{expected}`:\n{keys}");
    }
    // Names no builder has stay as they are.
    assert!(keys.contains("    response: Option<String>,"), "{keys}");
    // The wire names do not change.
    assert!(
        keys.contains("request.query(\"client\", &self.client_query)?;"),
        "{keys}"
    );
}

#[test]
fn a_property_named_additional_properties_is_renamed() {
    let models = &files()["src/models.rs"];
    assert!(
        models.contains("#[serde(rename = \"additional_properties\")]"),
        "{models}"
    );
    assert!(
        models.contains("pub additional_properties_2: Option<"),
        "{models}"
    );
    assert!(models.contains("#[serde(flatten)]"), "{models}");
}
