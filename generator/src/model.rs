//! The intermediate model between the description and the templates: everything a template needs,
//! already named, deduplicated and grouped, and nothing it does not. Templates only read it.

use std::fmt;

use serde::Serialize;

mod fit;
mod rust_type;
mod type_names;
mod value_expr;
pub use fit::{CrateRef, Fit, FitNeed, FitProp};
pub use rust_type::{RustType, Scalar};
pub use type_names::{Print, Shown, TypeId, TypeNames};
pub use value_expr::{Init, ValueExpr};

/// The whole SDK to generate.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub title: String,
    /// Who answers the requests, as the crate's docs name it ("a fake Upvest for tests").
    pub provider: String,
    pub version: String,
    pub doc: Vec<String>,
    /// Where the description came from, as given on the command line (for the file header).
    pub source: String,
    pub servers: Vec<Server>,
    /// The base URL a client uses when none is configured: the first server's, else Upvest's
    /// sandbox.
    pub default_base_url: String,
    pub groups: Vec<Group>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// The private modules of `models.rs`, one per set of features, sorted by name: each
    /// holds the types (by index in `types`) compiled under exactly that set.
    pub type_modules: Vec<TypeModule>,
    /// OAuth2 scopes the security scheme declares, with their descriptions.
    pub scopes: Vec<Scope>,
    /// The event groups of `x-webhooks`, when generated.
    pub webhooks: Vec<Webhook>,
    /// The features `full` enables: every group's, and `webhook-events` when there are webhooks.
    pub full_features: Vec<String>,
    /// Every example value in the lowered parts of the description, with its type. Not used
    /// by the templates: tests decode each example into its type.
    #[serde(skip)]
    pub examples: Vec<Example>,
    /// The operations the crate's example programs call (an example without one is not
    /// written).
    pub samples: SampleCalls,
    /// The name of every type with the places it stands for: written to the crate
    /// (`source/names.json`) so that the next generation keeps the names.
    #[serde(skip)]
    pub names: crate::lock::NameLock,
    /// What the fake Upvest of the `testing` feature knows of each operation, in group and
    /// operation order.
    pub fakes: Vec<FakeOperation>,
}

impl TypeNames for [TypeDef] {
    fn type_name(&self, id: TypeId) -> &str {
        self.get(id.0).map_or("", |def| def.name.as_str())
    }
}

impl TypeNames for Api {
    fn type_name(&self, id: TypeId) -> &str {
        self.types.type_name(id)
    }
}

/// One operation as the fake Upvest (`testing` feature, `templates/testing.rs.jinja`) answers
/// and checks it.
#[derive(Debug, Clone, Serialize)]
pub struct FakeOperation {
    pub operation_id: String,
    /// The fake's method of the operation's rules (the client method's name, unless the fake
    /// has a method of that name).
    pub method_name: String,
    /// The client's method of the operation.
    pub client_method: String,
    pub http_method: HttpMethod,
    pub path: String,
    /// The cargo feature of its group.
    pub feature: String,
    /// The parameters the gateway checks (not `accept`, not the `idempotency-key`).
    pub params: Vec<FakeParam>,
    /// The description declares the `idempotency-key` header: a request without one is refused.
    pub idempotency_key: bool,
    pub authorized: bool,
    /// The OAuth2 scopes the description lists: its token must have one of them.
    pub scopes: Vec<String>,
    pub body: Option<FakeBody>,
    /// The request body type calls are decoded as (`()` without a body).
    pub call_body_type: RustType,
    /// The runtime function decoding it.
    pub call_decode: CallDecode,
    pub success_status: u16,
    pub success_content_type: Option<String>,
    /// What `returns` takes: the client's success type.
    pub success_type: RustType,
    /// The runtime function encoding it.
    pub success_encode: SuccessEncode,
    /// The default success body (JSON text; a document's placeholder; empty without a body).
    pub default_body: String,
    /// Where the default comes from.
    pub default_source: DefaultSource,
    /// For a list walked by `offset`: one item built from the schema (JSON text).
    pub page_item: Option<String>,
    /// Its part in a resource the fake keeps (create, retrieve, list, update, delete), when
    /// it has one.
    pub resource: Option<FakeResource>,
    /// A value (JSON text) for each of the client method's arguments, in order, that the
    /// fake accepts: for tests that call every operation.
    #[serde(skip)]
    pub sample_arguments: Vec<String>,
}

/// The fake's function decoding a call's request body (`crate::testing::fake::decode_...`);
/// printed as its path from `fake`, with the body type (`decode_json::<T>`): serialized as its
/// structure, printed by the render stage's `fake_decode` filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum CallDecode {
    Json(RustType),
    Form(RustType),
    /// No body.
    None,
}

impl Print for CallDecode {
    fn print(&self, names: &dyn TypeNames, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallDecode::Json(ty) => write!(f, "decode_json::<{}>", ty.display(names)),
            CallDecode::Form(ty) => write!(f, "decode_form::<{}>", ty.display(names)),
            CallDecode::None => f.write_str("decode_none"),
        }
    }
}

/// The fake's function encoding an answer's success body (`encode_json::<T>`, ...); printed
/// as [`CallDecode`] is (by the `fake_encode` filter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum SuccessEncode {
    Json(RustType),
    Bytes,
    Empty,
}

impl Print for SuccessEncode {
    fn print(&self, names: &dyn TypeNames, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuccessEncode::Json(ty) => write!(f, "encode_json::<{}>", ty.display(names)),
            SuccessEncode::Bytes => f.write_str("encode_bytes"),
            SuccessEncode::Empty => f.write_str("encode_empty"),
        }
    }
}

/// As its text: templates print it.
macro_rules! serialize_as_text {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    )*};
}
serialize_as_text!(Placeholder);

/// Where the fake's default success body comes from; serialized as the name of the template
/// macro that documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DefaultSource {
    /// The description's example.
    Example,
    /// Built from the schema (or a placeholder document).
    Schema,
    /// No body: the status alone.
    Nothing,
}

/// An operation's part in a resource the fake keeps in memory: what a create answered, a
/// retrieve of its ID and a list of its collection read back.
#[derive(Debug, Clone, Serialize)]
pub struct FakeResource {
    pub role: ResourceRole,
    /// The collection's path template (`/users/{user_id}/identifiers`).
    pub collection: String,
    /// The member of the resource holding its ID (the wire name, `id`).
    pub id_field: String,
    /// The wire names of the members of the resource as this operation answers it (a list's
    /// item type; none when its items are not typed): the stored members copied into its
    /// answer, beside those its default answer has.
    pub fields: Vec<String>,
    /// The sentence of the rules method's docs that says what the store changes.
    pub doc: String,
}

/// An operation's part in a resource; serialized as the runtime's `ResourceRole` variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ResourceRole {
    Create,
    Retrieve,
    List,
    Update,
    Delete,
}

impl ResourceRole {
    /// `Create`, `Retrieve`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceRole::Create => "Create",
            ResourceRole::Retrieve => "Retrieve",
            ResourceRole::List => "List",
            ResourceRole::Update => "Update",
            ResourceRole::Delete => "Delete",
        }
    }
}

/// A parameter the fake checks: present when required, and of its type.
#[derive(Debug, Clone, Serialize)]
pub struct FakeParam {
    /// The name on the wire.
    pub name: String,
    /// `Path`, `Query` or `Header`.
    pub location: ParamLocation,
    pub required: bool,
    /// The type one value must decode as (an array's item type).
    pub check_type: RustType,
}

/// A request body the fake checks.
#[derive(Debug, Clone, Serialize)]
pub struct FakeBody {
    pub content_type: String,
    pub required: bool,
    /// How it is encoded: the fake checks it with `check_json` or `check_form`.
    pub encoding: BodyEncoding,
    pub rust_type: RustType,
    /// For a JSON body: the fit table (its type's `FIT`) the body must conform to, strictly,
    /// printed as a `&'static serde_helpers::Fit` (the `crate_fit_ref` filter); none for a form
    /// body, or a type without a table.
    pub fit: Option<Fit>,
}

/// The operations of the example programs in `examples/`, chosen in lowering.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SampleCalls {
    /// `list_and_create`: the feature of the group holding Upvest's `list_user_identifiers` and
    /// `create_identifier`.
    pub list_and_create: Option<String>,
    /// `export`: a list operation with `items()`.
    pub export: Option<SampleCall>,
    /// `download_pdf`: an operation with `download_pdf()`.
    pub download: Option<SampleCall>,
    /// `errors`: a `GET` operation.
    pub errors: Option<SampleCall>,
    /// `webhook_server`: the description has webhook events.
    pub webhooks: bool,
    /// The crate docs' example (`lib.rs`): the first operation whose arguments are all
    /// identifiers or strings.
    pub crate_doc: Option<SampleCall>,
}

/// An operation an example calls, with arguments it reads from environment variables.
#[derive(Debug, Clone, Serialize)]
pub struct SampleCall {
    pub feature: String,
    pub method_name: String,
    pub operation_id: String,
    /// The scopes the operation needs, for the client's token.
    pub scopes: Vec<String>,
    pub arguments: Vec<SampleArgument>,
}

/// An argument of a [`SampleCall`]: read from `variable`, parsed as `kind` says.
#[derive(Debug, Clone, Serialize)]
pub struct SampleArgument {
    pub variable: String,
    pub kind: SampleArgumentKind,
    /// The value the crate docs' example passes.
    pub placeholder: Placeholder,
}

/// What an example program reads an argument as; serialized as the name of the template macro
/// that reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleArgumentKind {
    /// Parsed as a UUID.
    Uuid,
    /// Taken as it is.
    Text,
}

/// A value the crate docs' example passes for an argument it does not know; printed as Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `upvest::uuid::Uuid::nil()`.
    NilUuid,
    /// `"..."`.
    Text,
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Placeholder::NilUuid => "upvest::uuid::Uuid::nil()",
            Placeholder::Text => "\"...\"",
        })
    }
}

/// An `example` (or one of `examples`) and the Rust type it must decode as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The pointer of the example value, e.g. `#/paths/~1users/get/responses/200/content/application~1json/example`.
    pub pointer: String,
    /// The type, as seen from outside the `models` module (`crate::models::User`).
    pub rust_type: RustType,
}

/// One webhook event group: its payload type and the event types that select it.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// The key in `x-webhooks`, `Users events`.
    pub name: String,
    pub operation_id: String,
    /// The variant of the generated `WebhookEvent` enum.
    pub variant: String,
    pub payload_type: RustType,
    pub doc: Vec<String>,
    /// `type` values that select this group (each claimed by one group only).
    pub event_types: Vec<String>,
    /// Prefixes (`USER.`) only this group uses: a new event type of the group still finds it.
    pub prefixes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Server {
    pub url: String,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Scope {
    pub name: String,
    pub description: String,
}

/// A resource group (`x-doctave-tags`): one module and one cargo feature.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    pub module: String,
    pub feature: String,
    pub doc: Vec<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub operation_id: String,
    /// The client method, `list_user_identifiers`.
    pub method_name: String,
    /// The fluent builder type, `ListUserIdentifiers`.
    pub builder: String,
    /// `GET`, `POST`, ...: also the `reqwest::Method` constant.
    pub http_method: HttpMethod,
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    /// Its summary, then its description (unless that only repeats the summary).
    pub doc: Vec<String>,
    pub deprecated: bool,
    pub scopes: Vec<String>,
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    /// Header parameters the caller sets (the client's own headers are not here).
    pub header_params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    pub errors: Vec<ErrorResponse>,
    /// The client method's arguments, in order: path parameters (in path template order), the
    /// required query and header parameters, then the body when it is one. Everything else is a
    /// builder setter.
    pub arguments: Vec<Argument>,
    /// The lints the method and the builder's `new` allow (`too_many_arguments` when they take
    /// more arguments than clippy likes).
    pub allows: Vec<Lint>,
    /// The method's doc sentence on what it takes and returns: the arguments, the builder.
    pub call_doc: Vec<String>,
    /// How the `idempotency-key` header is sent.
    pub idempotency: Idempotency,
    /// Whether the operation takes the bearer token (declares an `authorization` header); the
    /// token request itself does not.
    pub authorized: bool,
    /// Whether the success body holds a secret (its type has a secret field, as the token
    /// response does): a decode error never quotes it.
    pub secret_response: bool,
    /// The fields of its builder besides `client` and `request_options`, in order: the
    /// parameters (not `accept`), the optional `idempotency-key`, the body.
    pub builder_fields: Vec<BuilderField>,
    /// The builder's setters, in order: the optional parameters (not `accept`), the optional
    /// `idempotency-key`, the optional body.
    pub setters: Vec<Setter>,
    /// How its `request` writes the query and header parameters (not `accept`), the optional
    /// `idempotency-key` and the body, in that order.
    pub writes: Vec<InputWrite>,
    /// How the list is walked, when it is one: `.pages()` and `.items()`.
    pub pagination: Option<Pagination>,
    /// The `send_<suffix>`/`download_<suffix>` methods for the values of its `accept` header
    /// (besides JSON), one per suffix, in the order of the values.
    pub accept_methods: Vec<AcceptMethod>,
}

/// A field of an operation's builder: an input, `Option<T>` unless it is an argument of the
/// client method.
#[derive(Debug, Clone, Serialize)]
pub struct BuilderField {
    pub ident: String,
    pub rust_type: RustType,
    /// Its value in the builder's `new`.
    pub init: Init,
}

/// How a builder's `request` writes one input into the request: `shape` is the statement
/// around the call of `method`.
#[derive(Debug, Clone, Serialize)]
pub struct InputWrite {
    /// The builder field holding it.
    pub field: String,
    pub method: WriteMethod,
    /// The wire name `method` takes before the value (query and header parameters).
    pub name: Option<String>,
    pub shape: WriteShape,
    /// The name the value is bound to where it is optional (`value`, `key`, `body`).
    pub binding: String,
}

/// The runtime `Request` method writing an input; serialized as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteMethod {
    Query,
    Header,
    IdempotencyKey,
    JsonBody,
    FormBody,
}

/// The statement around a [`WriteMethod`] call; serialized as the name of the template macro
/// that prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteShape {
    /// The field holds the value: written once.
    Always,
    /// The field holds a list: each item written.
    Each,
    /// The field is an `Option`: written when set.
    IfSet,
    /// The field is an `Option` of a list: each item written when set.
    EachIfSet,
    /// The declared `idempotency-key`: the set one, else a fresh random UUID.
    FreshKey,
}

/// A list operation walked by `offset` (and `limit`): the builder gets `.pages()` and `.items()`.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// The builder's field and setter of the `offset` query parameter.
    pub offset_ident: String,
    /// Its Rust type (an integer).
    pub offset_type: RustType,
    /// The page type's field that holds the page's list (wired `data`).
    pub items_field: String,
    /// What `.items()` yields.
    pub items: PageItems,
}

/// What a list's `.items()` yields; serialized with `kind`, the name of the template macro
/// that writes the method.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum PageItems {
    /// The items of the page's `data` list, of this type.
    Typed { item_type: RustType },
    /// JSON values: `data` has no single item type.
    Json,
}

impl PageItems {
    /// The items' type, when they are typed.
    pub fn item_type(&self) -> Option<&RustType> {
        match self {
            PageItems::Typed { item_type } => Some(item_type),
            PageItems::Json => None,
        }
    }
}

/// A value of an operation's `accept` header with methods of its own.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptMethod {
    /// The media type sent (`application/pdf`).
    pub wire: String,
    /// The methods' suffix: `send_pdf`, `download_pdf`.
    pub suffix: String,
}

/// One segment of a path template; serialized as `kind` (the name of the template macro that
/// writes it) and `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum PathSegment {
    /// A literal segment, `users`.
    Literal(String),
    /// A parameter, `{user_id}`: the builder field holding it.
    Param(String),
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// The Rust identifier of the setter and field.
    pub ident: String,
    /// `path`, `query` or `header`.
    pub location: ParamLocation,
    pub rust_type: RustType,
    /// The type its builder setter takes (`impl Into<String>` for strings).
    pub setter_type: RustType,
    /// Whether it is the `accept` header: the `send_...`/`download_...` methods set it, so it
    /// has no field or setter of its own.
    pub accept: bool,
    pub required: bool,
    /// Whether it is an argument of the client method (required, and neither the
    /// `idempotency-key` nor the `accept` header) rather than a builder setter.
    pub argument: bool,
    /// `Vec<_>` query parameters are sent once per value.
    pub is_array: bool,
    /// Whether it is the `idempotency-key` header: a fresh key is sent when none is set.
    pub idempotency_key: bool,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub rust_type: RustType,
    pub content_type: String,
    pub encoding: BodyEncoding,
    /// As the description says (`requestBody.required`).
    pub required: bool,
    /// Whether it is an argument of the client method: when it is required, or when its schema
    /// requires properties (or is a union), so that no request without it can be valid.
    pub argument: bool,
}

/// One argument of a client method.
#[derive(Debug, Clone, Serialize)]
pub struct Argument {
    /// The argument's name, also the builder field it fills.
    pub ident: String,
    /// The type the builder stores.
    pub rust_type: RustType,
    /// The type the method takes (`impl Into<String>` for strings).
    pub param_type: RustType,
    /// The expression that turns the argument into the stored value.
    pub value: ValueExpr,
    pub location: ParamLocation,
    /// The name on the wire (`body` for the body).
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Success {
    pub status: u16,
    /// The decoded body type; `()` when the response has no body.
    pub rust_type: RustType,
    pub content_type: Option<String>,
    pub decoding: Decoding,
    pub doc: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorResponse {
    /// The response's key: a status code, `default` or a range (`4XX`).
    pub status: String,
    pub description: String,
    /// The runtime's `ErrorStatus` value of the status; none for `default` and ranges.
    pub variant: Option<ErrorStatus>,
}

/// A value of the runtime's `ErrorStatus`: a variant it names (read from its declaration, see
/// [`crate::runtime::error_statuses`]), or `Other(code)`. Serialized as `value`, the Rust
/// value (`Conflict`, `Other(499)`), and `name`, the variant's name (`Other`), which the docs
/// link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStatus {
    Named(&'static str),
    Other(u16),
}

impl ErrorStatus {
    /// The variant's name: `Conflict`, `Other`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorStatus::Named(name) => name,
            ErrorStatus::Other(_) => "Other",
        }
    }
}

impl fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorStatus::Named(name) => f.write_str(name),
            ErrorStatus::Other(code) => write!(f, "Other({code})"),
        }
    }
}

impl Serialize for ErrorStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut value = serializer.serialize_struct("ErrorStatus", 2)?;
        value.serialize_field("value", &format_args!("{self}"))?;
        value.serialize_field("name", self.name())?;
        value.end()
    }
}

/// A named type in `models`.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    pub doc: Vec<String>,
    pub kind: TypeKind,
    pub fields: Vec<Field>,
    pub variants: Vec<Variant>,
    /// Features (resource groups) that use the type; the type is compiled when any is enabled.
    pub features: Vec<String>,
    /// The other named types its definition mentions (fields, variants, fit table), sorted.
    #[serde(skip)]
    pub refers_to: Vec<TypeId>,
    /// For a struct that allows properties it does not name: their value type.
    pub extra: Option<RustType>,
    /// For a struct: its field that keeps, as JSON, the properties this version of the SDK
    /// does not know (those `additional_properties` does not keep) and a `null` sent where the
    /// description does not allow one: `unknown_fields`, or `unknown_fields_2` when a property
    /// has that name.
    pub unknown_field: Option<String>,
    /// For a union with a discriminator: the property whose value selects the variant.
    pub discriminator: Option<String>,
    /// For a union: how its `Deserialize` picks the variant (by its discriminator's value, or
    /// by shape alone).
    pub chosen_by: ChosenBy,
    /// Whether a field holds a credential (its responses are not logged either).
    pub has_secrets: bool,
    /// For a struct: every field, `additional_properties` and `unknown_fields` included, as
    /// its `Debug` output shows it (written by hand: no personal data, no credentials).
    pub debug_fields: Vec<DebugField>,
    /// The lints the type allows: `missing_docs` for a struct with a field its description
    /// says nothing of (no filler docs).
    pub allows: Vec<Lint>,
    /// For a type a union can hold (and for unions): what its description says a value looks
    /// like (printed as the type's `FIT`, a `serde_helpers::Fit`).
    pub fit: Option<Fit>,
    /// For a struct: `new`, taking the required fields in field order.
    pub constructor: Option<Constructor>,
    /// For a struct: one setter per optional field (and one for `additional_properties`).
    pub setters: Vec<Setter>,
    /// For a struct: the traits it derives (`Default` too when it has no required fields).
    pub derives: Vec<Derive>,
}

/// A trait a struct derives; serialized as the path the `derive` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    Default,
    Clone,
    PartialEq,
}

impl Derive {
    /// Every derive lowering may choose: what a struct's `#[derive(..)]` can name (the reserved
    /// type names and the setter names a struct's methods take are read from it).
    pub const ALL: [Derive; 3] = [Derive::Default, Derive::Clone, Derive::PartialEq];

    /// The path the `derive` names.
    pub fn path(self) -> &'static str {
        match self {
            Derive::Default => "Default",
            Derive::Clone => "Clone",
            Derive::PartialEq => "PartialEq",
        }
    }
}

impl Serialize for Derive {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.path())
    }
}

/// A lint an item allows; serialized as the lint's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lint {
    /// A struct with fields its description does not describe: no filler docs.
    #[serde(rename = "missing_docs")]
    MissingDocs,
    /// A function with one argument per required input (more than clippy likes).
    #[serde(rename = "clippy::too_many_arguments")]
    TooManyArguments,
}

/// How a union's `Deserialize` picks its variant; serialized as the name of the template macro
/// that writes the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChosenBy {
    /// By the shapes of the variants (their `FIT`s) alone.
    Shape,
    /// By the discriminator's value where it names a variant, else by shape.
    Tag,
}

/// The `#[cfg]` of items compiled under cargo features; serialized as `kind` (the name of the
/// template macro that writes the predicate) and `features`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub kind: GateKind,
    pub features: Vec<String>,
}

/// One feature (`feature = "a"`) or any of several (`any(feature = "a", ...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateKind {
    One,
    Any,
}

impl Gate {
    /// The gate of items compiled under any of `features`; none for no features (always).
    pub fn any_of(features: &[String]) -> Option<Gate> {
        let kind = match features {
            [] => return None,
            [_] => GateKind::One,
            _ => GateKind::Any,
        };
        Some(Gate {
            kind,
            features: features.to_vec(),
        })
    }
}

/// A private module of `models.rs`: the types compiled under one set of features, gated once
/// and re-exported by name.
#[derive(Debug, Clone, Serialize)]
pub struct TypeModule {
    /// Derived from the features: `accounts`, `orders_and_webhook_events`.
    pub name: String,
    /// The features it is compiled for (any of them); none: always.
    pub features: Vec<String>,
    /// Its `#[cfg]`, from `features`; none: always compiled.
    pub gate: Option<Gate>,
    pub doc: Vec<String>,
    /// The types of other modules its types mention, imported from `super`, sorted.
    pub imports: Vec<TypeId>,
    /// Whether its types use the runtime's fit tables (`crate::serde_helpers`, as `fit`).
    pub fit: bool,
    /// Its types, sorted; re-exported from `models` by name.
    pub types: Vec<TypeId>,
}

/// A struct's field in its `Debug` output: `.field("name", &crate::debug::shown_by(&self.ident))`.
#[derive(Debug, Clone, Serialize)]
pub struct DebugField {
    /// The field's identifier without `r#`.
    pub name: String,
    pub ident: String,
    pub shown_by: DebugShown,
}

/// The function of the runtime's `debug` module that shows a field; serialized as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DebugShown {
    /// Redacted where it may be personal data, unless the caller opts in (`Revealed`).
    Private,
    /// A credential: always redacted.
    Secret,
    /// The names of the properties a map holds, not their values (the unknown properties of a
    /// type with credentials).
    Names,
}

/// A struct's `new`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Constructor {
    pub params: Vec<Setter>,
    /// Every field's initial value, in field order (`additional_properties`, then
    /// `unknown_fields`, last).
    pub inits: Vec<Init>,
    /// `too_many_arguments` for more arguments than clippy likes.
    pub allows: Vec<Lint>,
    pub doc: Vec<String>,
}

/// A setter method (or a constructor parameter): `fn name(mut self, arg: param_type)` that
/// stores `value` in `field`; the setter of `additional_properties` also takes a `key`.
#[derive(Debug, Clone, Serialize)]
pub struct Setter {
    /// The method's name (the field's, unless that would collide).
    pub name: String,
    pub arg: String,
    pub param_type: RustType,
    pub field: String,
    /// The expression stored in the field, made from `arg`.
    pub value: ValueExpr,
    /// How it stores the value.
    pub shape: SetterShape,
    pub doc: Vec<String>,
}

/// How a setter stores its value; serialized as `kind` (the name of the template macro that
/// writes the method) and, for `assign_clearing`, the [`Clears`].
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SetterShape {
    /// Replaces the field's value.
    Assign,
    /// For an optional field that is not nullable: replaces the value and removes the `null`
    /// kept for it (see [`TypeDef::unknown_field`]), so that the value it sets is not sent
    /// beside that `null`.
    AssignClearing(Clears),
    /// For the `additional_properties` setter: inserts under a key instead of replacing.
    Insert,
}

/// A key a setter removes from a struct's map of kept properties.
#[derive(Debug, Clone, Serialize)]
pub struct Clears {
    /// The map's field (`unknown_fields`).
    pub field: String,
    /// The key: the wire name of the field the setter sets.
    pub key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub ident: String,
    pub wire: String,
    /// The full field type, `Option<...>` wrappers included.
    pub rust_type: RustType,
    pub required: bool,
    pub nullable: bool,
    pub doc: Vec<String>,
    /// The description marks it `deprecated` (its docs say so; the change report too).
    pub deprecated: bool,
    /// A credential (`client_secret`, `access_token`, ...): `Debug` shows it redacted.
    pub secret: bool,
    /// How the generated `Deserialize` reads it.
    pub decode: FieldDecode,
}

/// How a struct's `Deserialize` reads a field; serialized as the word `deserialize_object!`
/// takes (`required`, `field`, `optional`, `nullable`: the runtime's reader of that name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldDecode {
    /// Must be present (`missing field` otherwise); read by `field`.
    #[serde(rename = "required")]
    Required,
    /// A required nullable field, an `Option`: `null` is `None`, and so is a missing field, as
    /// serde's derived code reads an `Option` field that is missing; read by `field`.
    #[serde(rename = "field")]
    RequiredNullable,
    /// An optional field that is not nullable, an `Option`: absent is `None`; so is `null`,
    /// which is kept in the struct's `unknown_fields`; read by `optional`.
    #[serde(rename = "optional")]
    Optional,
    /// An optional nullable `Option<Option<T>>`: absent is `None`, `null` is `Some(None)`;
    /// read by `nullable`.
    #[serde(rename = "nullable")]
    Nullable,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub ident: String,
    /// For a string enum's variant: its value on the wire (none for a union's).
    pub wire: Option<String>,
    /// For a union's variant: the type it holds (none for a string enum's).
    pub rust_type: Option<RustType>,
    pub doc: Vec<String>,
    /// For a union with a discriminator: the values of it that select this variant.
    pub tags: Vec<String>,
}

/// What a named type is; serialized as the word the templates compare (`struct`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeKind {
    /// An object: fields, `new` and setters.
    Struct,
    /// A string enum, open to unknown values.
    Enum,
    /// An untagged `oneOf`/`anyOf`, decoded through the variant the value fits best.
    Union,
}

impl TypeKind {
    /// The word templates and the change report use: `struct`, `enum`, `union`.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeKind::Struct => "struct",
            TypeKind::Enum => "enum",
            TypeKind::Union => "union",
        }
    }
}

/// An operation's HTTP method; serialized (and shown) as its upper-case name, which is also the
/// `reqwest::Method` constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in the order of an OpenAPI path item's fields.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// `GET`, `POST`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// `get`, `post`, ...: the key of a path item, as JSON pointers name it.
    pub fn key(self) -> String {
        self.as_str().to_ascii_lowercase()
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a request body is encoded (`json` or `form`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyEncoding {
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// How a success body is decoded (`json`, `bytes` or `empty`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decoding {
    Json,
    /// Another media type: the body's bytes (`Vec<u8>`).
    Bytes,
    /// No body described: `()`.
    Empty,
}

/// Where an input goes: a path, query or header parameter, or the body; serialized as the
/// variant's name, which is also the fake's `Location` variant (`Path`, `Query`, `Header`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Body,
}

impl ParamLocation {
    /// `path`, `query`, `header` or `body`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Body => "body",
        }
    }
}

/// How an operation sends the `idempotency-key` header; serialized as `auto`, `optional` or an
/// empty string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Idempotency {
    /// The description declares the header: a fresh key unless the caller sets one.
    #[serde(rename = "auto")]
    Auto,
    /// A `POST` or `PATCH` that does not declare it: a setter, sent only when the caller sets one.
    #[serde(rename = "optional")]
    Optional,
    /// No setter.
    #[default]
    #[serde(rename = "")]
    None,
}
