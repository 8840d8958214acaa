//! Idioms of large public API descriptions (tests/fixtures/idioms.yaml), lowered: scalar
//! `allOf`s are their most constrained member, the nullable-reference idiom on a recursive
//! schema is an optional `Box`, and `.pages()`/`.items()` exist only where the page type has a
//! `data` list (the snapshot and the builds test show the code compiles).

use upvest_sdk_generator::model::{Api, Operation, TypeDef};
use upvest_sdk_generator::{load, lower, validate, GroupSelection};
use upvest_sdk_tests::repo_root;

fn idioms() -> Api {
    let path = repo_root().join("tests/fixtures/idioms.yaml");
    let spec = load::load(&path).expect("the fixture loads");
    validate::validate(&spec).expect("the fixture is valid");
    lower::lower(
        &spec,
        &GroupSelection::All,
        "idioms.yaml",
        &Default::default(),
    )
    .expect("the fixture lowers")
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn field_type(api: &Api, def: &TypeDef, wire: &str) -> String {
    let field = def
        .fields
        .iter()
        .find(|f| f.wire == wire)
        .expect("the field");
    field.rust_type.display(api).to_string()
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|o| o.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn scalar_compositions_are_their_most_constrained_member() {
    let api = idioms();
    let charge = type_named(&api, "Charge");
    // The enum and its nullable annotation: the enum, nullable (a required field).
    assert_eq!(field_type(&api, charge, "currency"), "Option<Currency>");
    assert_eq!(field_type(&api, charge, "amount"), "i64");
    assert_eq!(
        field_type(&api, charge, "created"),
        "Option<chrono::DateTime<chrono::Utc>>"
    );
    let category = type_named(&api, "Category");
    assert_eq!(
        field_type(&api, category, "parent"),
        "Option<Option<Box<Category>>>"
    );
}

#[test]
fn lists_are_walked_only_by_their_data_list() {
    let api = idioms();
    // A free-form page has nothing `.items()` could read.
    assert!(operation(&api, "list_charges").pagination.is_none());
    let optional = operation(&api, "list_refunds").pagination.as_ref();
    let optional = optional.expect("a page with an optional data list is walked");
    assert_eq!(
        (
            optional.items_field.as_str(),
            optional.items.item_type().is_none()
        ),
        ("data", true)
    );
    let typed = operation(&api, "list_categories").pagination.as_ref();
    let typed = typed.expect("a page with a data list is walked");
    let item = typed.items.item_type().expect("typed items");
    let item = item.display(&api).to_string();
    assert!(item.ends_with("Category"), "{item}");
}

/// Scalars that no value can be all of at once are an error naming the member.
#[test]
fn scalars_that_exclude_each_other_are_an_error() {
    for (members, message) in [
        ("[{type: string}, {type: integer}]", "different types"),
        (
            "[{type: string, enum: [a]}, {type: string, enum: [b]}]",
            "enums with different values",
        ),
    ] {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      \
             operationId: get_a\n      responses:\n        '200':\n          description: ok\n          \
             content:\n            application/json:\n              schema:\n                \
             type: object\n                properties:\n                  x: {{allOf: {members}}}\n"
        );
        let spec = load::parse(std::path::Path::new("x.yaml"), text).expect("it parses");
        let error = lower::lower(&spec, &GroupSelection::All, "x.yaml", &Default::default())
            .expect_err("no value fits");
        let error = error.to_string();
        assert!(error.contains(message), "{error}");
        assert!(error.contains("/properties/x/allOf/1"), "{error}");
    }
}

/// A schema built in layers (`Full: allOf [$ref Create, {id}]`, `Create: {required, allOf:
/// [$ref Update, {...}]}`): every layer's properties are merged into one struct, with the
/// required names of each.
#[test]
fn layered_all_ofs_merge_every_layer() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
        operationId: get_a\n      responses:\n        '200':\n          description: ok\n          \
        content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Full'}\n\
        components:\n  schemas:\n    Full:\n      allOf:\n        - $ref: '#/components/schemas/Create'\n        \
        - {type: object, required: [id], properties: {id: {type: string}}}\n    Create:\n      \
        required: [name]\n      allOf:\n        - $ref: '#/components/schemas/Update'\n        \
        - {type: object, required: [name], properties: {name: {type: string}}}\n    Update:\n      \
        type: object\n      properties: {size: {type: integer}}\n";
    let spec = load::parse(std::path::Path::new("x.yaml"), text.into()).expect("it parses");
    validate::validate(&spec).expect("it is valid");
    let api = lower::lower(&spec, &GroupSelection::All, "x.yaml", &Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let full = type_named(&api, "Full");
    assert_eq!(field_type(&api, full, "id"), "String");
    assert_eq!(field_type(&api, full, "name"), "String");
    assert_eq!(field_type(&api, full, "size"), "Option<i64>");
}
