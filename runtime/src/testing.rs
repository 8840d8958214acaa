//! Stand-in for the generated `testing` module (`templates/testing.rs.jinja`): the fake's
//! engine (`testing/fake.rs`, copied into the SDK) with a small table of operations written by
//! hand, so that the engine is compiled and tested here. The SDK gets the table of its
//! description instead.

#[doc(hidden)]
pub mod fake;
mod server;
mod signature;

pub use fake::{webhook_delivery, Call, Fake, Rule, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_URL};
pub use server::Served;

/// Operations shaped like Upvest's, one resource: a list, a create with an idempotency key and
/// a body, a retrieve, an update and a delete by ID.
fn operations() -> Vec<fake::Operation> {
    vec![
        fake::Operation {
            id: "list_things",
            method: "GET",
            path: "/things",
            params: vec![fake::Param {
                name: "limit",
                location: fake::Location::Query,
                required: false,
                check: fake::check_param::<u32>,
            }],
            idempotency_key: false,
            authorized: true,
            scopes: &["things:read"],
            body: None,
            success_status: 200,
            success_content_type: Some("application/json"),
            default_body: r#"{"data":[{"id":"0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d","name":"first"}],"meta":{"offset":0,"limit":100,"count":1,"total_count":1}}"#,
            page_item: Some(r#"{"id":"00000000-0000-4000-8000-000000000000","name":"string"}"#),
            resource: Some(fake::Resource {
                check: fake::check_json::<Page>,
                ..resource(fake::ResourceRole::List)
            }),
        },
        fake::Operation {
            id: "create_thing",
            method: "POST",
            path: "/things",
            params: Vec::new(),
            idempotency_key: true,
            authorized: true,
            scopes: &["things:write", "things:admin"],
            body: Some(fake::BodySpec {
                content_type: "application/json",
                required: true,
                check: fake::check_json::<Thing>,
                fit: Some(&Thing::FIT),
            }),
            success_status: 201,
            success_content_type: Some("application/json"),
            default_body: r#"{"id":"0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d","name":"first"}"#,
            page_item: None,
            resource: Some(resource(fake::ResourceRole::Create)),
        },
        fake::Operation {
            id: "retrieve_thing",
            method: "GET",
            path: "/things/{thing_id}",
            params: vec![fake::Param {
                name: "thing_id",
                location: fake::Location::Path,
                required: true,
                check: fake::check_param::<uuid::Uuid>,
            }],
            idempotency_key: false,
            authorized: true,
            scopes: &["things:read"],
            body: None,
            success_status: 200,
            success_content_type: Some("application/json"),
            default_body: r#"{"id":"0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d","name":"first"}"#,
            page_item: None,
            resource: Some(resource(fake::ResourceRole::Retrieve)),
        },
        fake::Operation {
            id: "update_thing",
            method: "PATCH",
            path: "/things/{thing_id}",
            params: vec![fake::Param {
                name: "thing_id",
                location: fake::Location::Path,
                required: true,
                check: fake::check_param::<uuid::Uuid>,
            }],
            idempotency_key: false,
            authorized: true,
            scopes: &["things:write"],
            body: Some(fake::BodySpec {
                content_type: "application/json",
                required: true,
                check: fake::check_json::<serde_json::Value>,
                fit: Some(&crate::serde_helpers::Fit::AnyObject),
            }),
            success_status: 200,
            success_content_type: Some("application/json"),
            default_body: r#"{"id":"0f6cbd2e-5f7a-4bda-9a5c-5a1e1e7a0c1d","name":"first"}"#,
            page_item: None,
            resource: Some(resource(fake::ResourceRole::Update)),
        },
        fake::Operation {
            id: "delete_thing",
            method: "DELETE",
            path: "/things/{thing_id}",
            params: vec![fake::Param {
                name: "thing_id",
                location: fake::Location::Path,
                required: true,
                check: fake::check_param::<uuid::Uuid>,
            }],
            idempotency_key: false,
            authorized: true,
            scopes: &["things:write"],
            body: None,
            success_status: 204,
            success_content_type: None,
            default_body: "",
            page_item: None,
            resource: Some(resource(fake::ResourceRole::Delete)),
        },
    ]
}

/// The things' part in their resource (`/things`).
fn resource(role: fake::ResourceRole) -> fake::Resource {
    fake::Resource {
        role,
        id_field: "id",
        fields: &["id", "name"],
        check: fake::check_json::<Thing>,
    }
}

/// A page of things, as `list_things` answers.
#[derive(Debug, serde::Deserialize)]
pub struct Page {
    /// The things.
    pub data: Vec<Thing>,
}

/// The model of the stand-in's operations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Thing {
    /// Its ID.
    pub id: uuid::Uuid,
    /// Its name.
    pub name: String,
}

impl Thing {
    /// What its description says, as the generator writes a body type's `FIT`.
    pub const FIT: crate::serde_helpers::Fit = crate::serde_helpers::Fit::Object(
        &[
            crate::serde_helpers::Prop(
                "id",
                &crate::serde_helpers::Fit::Uuid,
                crate::serde_helpers::Need::Required,
            ),
            crate::serde_helpers::Prop(
                "name",
                &crate::serde_helpers::Fit::String,
                crate::serde_helpers::Need::Required,
            ),
        ],
        crate::serde_helpers::Extra::Unknown,
    );
}

impl Fake {
    /// A fake answering the stand-in's operations.
    pub fn new() -> Self {
        Self::from_operations(operations())
    }

    /// The rules and calls of `create_thing`.
    pub fn create_thing(&self) -> Rule<Thing, Thing> {
        self.rule(
            "create_thing",
            fake::encode_json::<Thing>,
            fake::decode_json::<Thing>,
        )
    }

    /// The rules and calls of `retrieve_thing`.
    pub fn retrieve_thing(&self) -> Rule<Thing, ()> {
        self.rule(
            "retrieve_thing",
            fake::encode_json::<Thing>,
            fake::decode_none,
        )
    }
}

impl Default for Fake {
    fn default() -> Self {
        Self::new()
    }
}
