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
        "customize_query: Option<String>",
        "request_options_query: Option<String>",
        "body_header: String",
        "body_query: Option<String>",
        "idempotency_key_query: Option<String>",
        "idempotency_key: Option<uuid::Uuid>",
        "id_query: Option<String>",
        "user_id_query: Option<String>",
        "offset_query: Option<i64>",
        "request.path_param(&self.request_path)?;",
        "let first = u64::try_from(self.offset_query.unwrap_or(0))",
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
        models.contains("0: additional_properties_2 = \"additional_properties\" by optional,"),
        "{models}"
    );
    assert!(
        models.contains("pub additional_properties_2: Option<"),
        "{models}"
    );
    assert!(
        models.contains("others { additional_properties }"),
        "{models}"
    );
}

/// The SDK's map of unknown properties gives way to a property of its name, which keeps its
/// field's name (adding such a property renames the SDK's field, never one of the property's).
#[test]
fn a_property_named_unknown_fields_keeps_its_name() {
    let models = &files()["src/models.rs"];
    assert!(
        models.contains("pub unknown_fields: Option<Vec<String>>,"),
        "{models}"
    );
    assert!(
        models.contains(
            "pub unknown_fields_2: std::collections::BTreeMap<String, serde_json::Value>,"
        ),
        "{models}"
    );
    assert!(models.contains("nulls { unknown_fields_2 }"), "{models}");
}

/// How union variants are named, on `unions.yaml`'s `PersonChange`.
mod union_variants {
    use std::path::Path;

    use upvest_sdk_generator::lock::{NameLock, NAMES_FILE};
    use upvest_sdk_generator::{generate_release, load, GroupSelection, Options, Release};
    use upvest_sdk_tests::repo_root;

    const UNIONS: &str = "tests/fixtures/unions.yaml";
    const CHANGE: &str =
        "#/paths/~1people~1{person_id}~1changes/post/requestBody/content/application~1json/schema";

    /// The crate's models and its record of names, generated with `names` as the record of
    /// the generation before.
    fn generate(names: NameLock) -> (String, NameLock) {
        let path = repo_root().join(UNIONS);
        let spec = load::load_named(&path, Path::new(UNIONS)).unwrap();
        let options = Options {
            spec: &path,
            spec_label: UNIONS,
            groups: GroupSelection::All,
        };
        let release = Release {
            names,
            ..Release::default()
        };
        let files = generate_release(&spec, &options, &release).unwrap_or_else(|e| panic!("{e}"));
        let record = serde_json::from_str(&files[NAMES_FILE]).unwrap();
        (files["src/models.rs"].clone(), record)
    }

    fn has(models: &str, line: &str) {
        assert!(models.contains(line), "missing `{line}` in:\n{models}");
    }

    /// A new union: an untitled union inside it gives its members; a member whose title
    /// another type keeps is the union's name and the title, its variant the title; an untitled
    /// member is named after what it requires; a list of plain objects after its title.
    #[test]
    fn a_new_unions_variants_are_named_after_what_they_hold() {
        let (models, record) = generate(NameLock::default());
        for line in [
            "ShortPerson(ShortPerson),",
            "LongPerson(LongPerson),",
            "Email(PersonChangeEmail),",
            "Alias(PersonChangeAlias),",
            "Nicknames(Vec<serde_json::Map<String, serde_json::Value>>),",
            "pub struct Email {",
        ] {
            has(&models, line);
        }
        assert!(!models.contains("Variant1"), "{models}");
        // The variants are recorded, by the name of what each holds.
        let change = &record.types["PersonChange"];
        assert_eq!(change.variants["PersonChangeEmail"], "Email");
        assert_eq!(change.variants["JsonObjectList"], "Nicknames");
        assert_eq!(change.variants.len(), 5);
    }

    /// A record written by a generator that named variants after their types, and numbered
    /// members without a usable title (`PersonChangeVariant2`), and kept the inner union as a
    /// type of its own: regenerating keeps every one of those names, and records the variants,
    /// so that the next generation keeps them too.
    #[test]
    fn names_given_by_an_earlier_rule_stay() {
        let old: NameLock = serde_json::from_value(serde_json::json!({
            "types": {
                "PersonChange": { "places": [CHANGE] },
                "PersonChangeVariant1": { "places": [format!("{CHANGE}/oneOf/0")] },
                "PersonChangeVariant2": {
                    "places": [format!("{CHANGE}/oneOf/1")],
                    "members": ["address"]
                },
                "PersonChangeVariant3": {
                    "places": [format!("{CHANGE}/oneOf/2")],
                    "members": ["alias"]
                }
            }
        }))
        .unwrap();
        let (models, record) = generate(old);
        for line in [
            "PersonChangeVariant1(PersonChangeVariant1),",
            "PersonChangeVariant2(PersonChangeVariant2),",
            "PersonChangeVariant3(PersonChangeVariant3),",
            "JsonObjectList(Vec<serde_json::Map<String, serde_json::Value>>),",
            "pub enum PersonChangeVariant1 {",
        ] {
            has(&models, line);
        }
        assert_eq!(
            record.types["PersonChange"].variants["PersonChangeVariant2"],
            "PersonChangeVariant2"
        );
        let (again, _) = generate(record.clone());
        assert_eq!(again, models, "the record must give the same names again");

        // A member the record does not know (new in the description) is named by the rule for
        // new variants; the others keep theirs.
        let mut grown = record;
        grown
            .types
            .get_mut("PersonChange")
            .unwrap()
            .variants
            .remove("PersonChangeVariant3");
        let (models, _) = generate(grown);
        has(&models, " Variant3(PersonChangeVariant3),");
        has(&models, "PersonChangeVariant2(PersonChangeVariant2),");
    }
}
