//! What the fake Upvest of the generated `testing` feature knows of each operation: the
//! parameters and body the gateway checks, the default answer (the description's example, or
//! a value built from the schema), and sample arguments a test can call it with. Decided here on
//! the lowered model; `templates/testing.rs.jinja` prints it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{json, Value};

use crate::model::{
    BodyEncoding, CallDecode, Decoding, DefaultSource, Example, FakeBody, FakeOperation, FakeParam,
    FakeResource, Fit, Group, Operation, ParamLocation, ResourceRole, RustType, Scalar,
    SuccessEncode, TypeDef, TypeId, TypeKind,
};

/// The fake's own methods (its `impl Fake` blocks and traits in the runtime, and the
/// template's constructor and `Default`): an operation's rules method of the same name gets the
/// suffix `_rules`.
fn fake_methods() -> &'static BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(|| {
        crate::runtime::type_methods("Fake", &[crate::render::template("testing.rs")])
    })
}

/// How deep a value built from the schema goes: deeper lists are empty (a required field of a
/// type of its own cycle cannot be built, and is not in Upvest's description).
const MAX_DEPTH: usize = 12;

/// The default body of a document (`application/pdf`): the description has no example of one.
const DOCUMENT_PLACEHOLDER: &str = "%PDF-1.4\n% a document of the fake Upvest\n";

/// Every operation of `groups`, in group and operation order; `defs` are the model's types and
/// `examples` the description's examples of them.
pub(super) fn operations(
    raw: &Value,
    groups: &[Group],
    defs: &[TypeDef],
    examples: &[Example],
) -> Vec<FakeOperation> {
    let types = Types(defs);
    let samples = Samples { types };
    let all: Vec<&Operation> = groups.iter().flat_map(|g| &g.operations).collect();
    let resources = resources(&all, types);
    let mut fakes = Vec::new();
    for group in groups {
        for op in &group.operations {
            let mut fake = operation(raw, examples, &samples, &group.feature, op);
            fake.resource = resources.get(op.operation_id.as_str()).cloned();
            fakes.push(fake);
        }
    }
    fakes
}

/// The resources the fake keeps, by operationId: a collection `C` with a create (`POST C`,
/// answering a struct with a required `id`) and a retrieve (`GET C/{id}`, answering a
/// struct); its list (`GET C`, paged), update (`PATCH` or `PUT C/{id}`) and delete
/// (`DELETE C/{id}`) join it. The types may differ (Upvest's `create_user` and `retrieve_user`
/// answer two types of the same members): each answer is its own default with the stored
/// members copied in where its type takes them. Other operations answer as without a store.
fn resources<'a>(operations: &[&'a Operation], types: Types) -> BTreeMap<&'a str, FakeResource> {
    let mut found = BTreeMap::new();
    for create in operations
        .iter()
        .filter(|op| op.http_method == crate::model::HttpMethod::Post)
    {
        let Some(id_field) = id_field(&create.success.rust_type, types) else {
            continue;
        };
        let collection = create.path.as_str();
        let is_item = |op: &Operation| {
            op.path
                .strip_prefix(collection)
                .and_then(|rest| rest.strip_prefix("/{"))
                .is_some_and(|rest| rest.ends_with('}') && !rest.contains('/'))
        };
        let answers_struct =
            |op: &Operation| !struct_fields(&op.success.rust_type, types).is_empty();
        let role = |op: &Operation| match op.http_method.as_str() {
            "POST" if op.operation_id == create.operation_id => Some(ResourceRole::Create),
            "GET" if is_item(op) && answers_struct(op) => Some(ResourceRole::Retrieve),
            "GET" if op.path == collection && op.pagination.is_some() => Some(ResourceRole::List),
            "PATCH" | "PUT" if is_item(op) && answers_struct(op) => Some(ResourceRole::Update),
            "DELETE" if is_item(op) => Some(ResourceRole::Delete),
            _ => None,
        };
        let members: Vec<(&Operation, ResourceRole)> = operations
            .iter()
            .filter_map(|op| Some((*op, role(op)?)))
            .collect();
        // Without a retrieve nothing reads a created value back by its ID.
        if !members
            .iter()
            .any(|(_, role)| *role == ResourceRole::Retrieve)
            || members
                .iter()
                .any(|(op, _)| found.contains_key(op.operation_id.as_str()))
        {
            continue;
        }
        for (op, role) in members {
            let answered = match (&op.pagination, role) {
                (Some(paging), ResourceRole::List) => {
                    paging.items.item_type().cloned().unwrap_or(RustType::Unit)
                }
                _ => op.success.rust_type.clone(),
            };
            let doc = match role {
                ResourceRole::Create => "What it answers (the request's members copied in, an ID of its own) is kept: a retrieve of that ID and the list of its collection read it back.",
                ResourceRole::Retrieve => "An ID a create answered gets what is kept of it (`404` once deleted).",
                ResourceRole::List => "A collection something was created in pages through what was created.",
                ResourceRole::Update => "An ID a create answered: the request's members change what is kept of it.",
                ResourceRole::Delete => "An ID a create answered is removed: its retrieve then answers `404`.",
            };
            let resource = FakeResource {
                role,
                collection: collection.to_string(),
                id_field: id_field.clone(),
                fields: struct_fields(&answered, types),
                doc: doc.to_string(),
            };
            found.insert(op.operation_id.as_str(), resource);
        }
    }
    found
}

/// The wire names of a struct's members (of each member of a union of structs, as Upvest's
/// `create_user` answers either of two users); none for another type.
fn struct_fields(ty: &RustType, types: Types) -> Vec<String> {
    let mut fields: Vec<String> = structs(ty, types)
        .into_iter()
        .flat_map(|def| def.fields.iter().map(|f| f.wire.clone()))
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

/// The struct a type names, or the structs of a union's members (none when a member is not a
/// struct).
fn structs<'a>(ty: &RustType, types: Types<'a>) -> Vec<&'a TypeDef> {
    let Some(def) = types.model(ty) else {
        return Vec::new();
    };
    match def.kind {
        TypeKind::Struct => vec![def],
        TypeKind::Enum => Vec::new(),
        TypeKind::Union => {
            let members: Vec<&TypeDef> = def
                .variants
                .iter()
                .filter_map(|v| types.model(v.rust_type.as_ref()?))
                .filter(|member| member.kind == TypeKind::Struct)
                .collect();
            if members.len() == def.variants.len() {
                members
            } else {
                Vec::new()
            }
        }
    }
}

/// The wire name of the required, non-null `id` member of a UUID or text of a struct (of
/// every member of a union of structs).
fn id_field(ty: &RustType, types: Types) -> Option<String> {
    let defs = structs(ty, types);
    let has_id = |def: &&TypeDef| {
        def.fields.iter().any(|f| {
            f.wire == "id"
                && f.required
                && !f.nullable
                && matches!(
                    f.rust_type,
                    RustType::Scalar(Scalar::Uuid) | RustType::Scalar(Scalar::String)
                )
        })
    };
    (!defs.is_empty() && defs.iter().all(has_id)).then(|| "id".to_string())
}

fn operation(
    raw: &Value,
    examples: &[Example],
    samples: &Samples,
    feature: &str,
    op: &Operation,
) -> FakeOperation {
    let at = format!("#/paths/{}/{}", escape(&op.path), op.http_method.key());
    let example = |under: &str, ty: &RustType| {
        let prefix = format!("{at}/{under}/");
        let wanted = ty.qualified();
        examples
            .iter()
            .filter(|e| e.pointer.starts_with(&prefix) && e.rust_type.qualified() == wanted)
            .map(|e| &e.pointer)
            .min()
            .and_then(|pointer| raw.pointer(pointer.trim_start_matches('#')))
            .map(sorted)
    };
    let params = op
        .path_params
        .iter()
        .chain(&op.query_params)
        .chain(&op.header_params)
        .filter(|p| !p.accept && !p.idempotency_key)
        .map(|p| FakeParam {
            // Header names are matched in lowercase, as `http` stores them.
            name: if p.location == ParamLocation::Header {
                p.name.to_ascii_lowercase()
            } else {
                p.name.clone()
            },
            location: p.location,
            required: p.required,
            check_type: checked_type(&p.rust_type),
        })
        .collect();
    let body = op.body.as_ref().map(|b| FakeBody {
        content_type: b.content_type.clone(),
        required: b.required,
        encoding: b.encoding,
        rust_type: b.rust_type.clone(),
        fit: match b.encoding {
            BodyEncoding::Json => fit_of(&b.rust_type, samples.types),
            BodyEncoding::Form => None,
        },
    });
    let success = &op.success;
    let status = success.status.to_string();
    let (default_body, default_source) = match success.decoding {
        Decoding::Empty => (String::new(), DefaultSource::Nothing),
        Decoding::Bytes => (DOCUMENT_PLACEHOLDER.to_string(), DefaultSource::Schema),
        Decoding::Json => match example(&format!("responses/{status}"), &success.rust_type) {
            Some(value) => (value.to_string(), DefaultSource::Example),
            None => (
                sorted(&samples.value(&success.rust_type, 0)).to_string(),
                DefaultSource::Schema,
            ),
        },
    };
    let sample_arguments = op
        .arguments
        .iter()
        .map(|a| {
            let value = match a.location {
                ParamLocation::Body => example("requestBody", &a.rust_type),
                _ => None,
            };
            value
                .unwrap_or_else(|| sorted(&samples.value(&a.rust_type, 0)))
                .to_string()
        })
        .collect();
    FakeOperation {
        operation_id: op.operation_id.clone(),
        method_name: if fake_methods().contains(&op.method_name) {
            format!("{}_rules", op.method_name)
        } else {
            op.method_name.clone()
        },
        client_method: op.method_name.clone(),
        http_method: op.http_method,
        path: op.path.clone(),
        feature: feature.to_string(),
        params,
        idempotency_key: op.idempotency == crate::model::Idempotency::Auto,
        authorized: op.authorized,
        scopes: op.scopes.clone(),
        call_body_type: body
            .as_ref()
            .map_or(RustType::Unit, |b| b.rust_type.clone()),
        call_decode: match op.body.as_ref() {
            Some(b) if b.encoding == BodyEncoding::Json => CallDecode::Json(b.rust_type.clone()),
            Some(b) => CallDecode::Form(b.rust_type.clone()),
            None => CallDecode::None,
        },
        body,
        success_status: success.status,
        success_content_type: success.content_type.clone(),
        success_type: success.rust_type.clone(),
        success_encode: match success.decoding {
            Decoding::Json => SuccessEncode::Json(success.rust_type.clone()),
            Decoding::Bytes => SuccessEncode::Bytes,
            Decoding::Empty => SuccessEncode::Empty,
        },
        default_body,
        default_source,
        page_item: op.pagination.as_ref().map(|p| {
            p.items
                .item_type()
                .map_or(json!({}), |item| sorted(&samples.value(item, 0)))
                .to_string()
        }),
        resource: None,
        sample_arguments,
    }
}

/// The fit table a JSON value of `ty` must conform to: a model's `FIT` (lowering gives every
/// type of a JSON body one), lists and maps around it. None when a model has no table (a type
/// of a cycle): the body is then only decoded.
fn fit_of(ty: &RustType, types: Types) -> Option<Fit> {
    Some(match ty {
        RustType::Scalar(scalar) => match scalar {
            Scalar::String => Fit::String,
            Scalar::Bool => Fit::Bool,
            Scalar::I32 => Fit::I32,
            Scalar::I64 => Fit::I64,
            Scalar::F64 => Fit::F64,
            Scalar::Uuid => Fit::Uuid,
            Scalar::DateTime => Fit::DateTime,
            Scalar::Date => Fit::Date,
            Scalar::JsonObject => Fit::AnyObject,
            Scalar::U8 | Scalar::Json | Scalar::Problem => Fit::Any,
        },
        RustType::Vec(inner) => Fit::List(Box::new(fit_of(inner, types)?), None, None),
        RustType::Map(inner) => Fit::Map(Box::new(fit_of(inner, types)?)),
        RustType::Option(inner) | RustType::Box(inner) | RustType::ImplInto(inner) => {
            fit_of(inner, types)?
        }
        RustType::Unit => Fit::Any,
        RustType::Model { id, .. } => {
            types.get(*id)?.fit.as_ref()?;
            Fit::Type(*id)
        }
    })
}

/// The type one value of a parameter decodes as: without `Option`, an array's item type; any
/// JSON when the parameter has no type of its own.
fn checked_type(ty: &RustType) -> RustType {
    match ty {
        RustType::Option(inner) | RustType::Vec(inner) | RustType::Box(inner) => {
            checked_type(inner)
        }
        RustType::Unit | RustType::ImplInto(_) => RustType::Scalar(Scalar::Json),
        other => other.qualified(),
    }
}

/// The value with every object's keys in sorted order: the output does not depend on the
/// order of keys in the description.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// A JSON pointer segment (`/` and `~` escaped).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The model's types, by id.
#[derive(Clone, Copy)]
struct Types<'a>(&'a [TypeDef]);

impl<'a> Types<'a> {
    fn get(self, id: TypeId) -> Option<&'a TypeDef> {
        self.0.get(id.0)
    }

    /// The generated type `ty` is, when it is one.
    fn model(self, ty: &RustType) -> Option<&'a TypeDef> {
        self.get(ty.model_id()?)
    }
}

/// Values built from the model's types: the required fields of a struct, the first value of an
/// enum, the first member of a union (with its discriminator's tag).
struct Samples<'a> {
    types: Types<'a>,
}

impl Samples<'_> {
    fn value(&self, ty: &RustType, depth: usize) -> Value {
        match ty {
            RustType::Scalar(scalar) => scalar_value(*scalar),
            RustType::Vec(inner) if depth < MAX_DEPTH => json!([self.value(inner, depth + 1)]),
            RustType::Vec(_) => json!([]),
            RustType::Option(inner) | RustType::Box(inner) | RustType::ImplInto(inner) => {
                self.value(inner, depth)
            }
            RustType::Map(_) => json!({}),
            RustType::Unit => Value::Null,
            RustType::Model { id, .. } => match self.types.get(*id) {
                Some(def) if depth < MAX_DEPTH => self.model(def, depth + 1),
                _ => json!({}),
            },
        }
    }

    fn model(&self, def: &TypeDef, depth: usize) -> Value {
        match def.kind {
            TypeKind::Struct => Value::Object(
                def.fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| {
                        let value = if f.nullable {
                            Value::Null
                        } else {
                            self.value(&f.rust_type, depth)
                        };
                        (f.wire.clone(), value)
                    })
                    .collect(),
            ),
            TypeKind::Enum => def
                .variants
                .iter()
                .filter_map(|v| v.wire.as_ref())
                .find(|wire| !wire.is_empty())
                .map_or(Value::Null, |wire| Value::String(wire.clone())),
            TypeKind::Union => {
                let Some(variant) = def.variants.first() else {
                    return Value::Null;
                };
                let mut value = variant
                    .rust_type
                    .as_ref()
                    .map_or(Value::Null, |ty| self.value(ty, depth));
                if let (Some(property), Some(tag), Some(object)) = (
                    &def.discriminator,
                    variant.tags.first(),
                    value.as_object_mut(),
                ) {
                    object.insert(property.clone(), Value::String(tag.clone()));
                }
                value
            }
        }
    }
}

fn scalar_value(scalar: Scalar) -> Value {
    match scalar {
        Scalar::String => json!("string"),
        Scalar::Bool => json!(true),
        Scalar::I32 | Scalar::I64 => json!(1),
        Scalar::F64 => json!(1.5),
        Scalar::U8 => json!(0),
        Scalar::Uuid => json!("00000000-0000-4000-8000-000000000001"),
        Scalar::DateTime => json!("2024-01-02T03:04:05Z"),
        Scalar::Date => json!("2024-01-02"),
        Scalar::Json | Scalar::JsonObject => json!({}),
        Scalar::Problem => json!({"type": "about:blank", "status": 400}),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::lower::{lower, GroupSelection};

    /// A description of the repository (`tests/fixtures/<name>`, or a path from the root).
    fn fixture(name: &str) -> (Value, crate::model::Api) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let path = if name.contains('/') {
            root.join(name)
        } else {
            root.join("tests/fixtures").join(name)
        };
        let loaded = crate::load::load(&path).unwrap();
        let api = lower(&loaded, &GroupSelection::All, name, &Default::default()).unwrap();
        (loaded.raw, api)
    }

    /// The fake's methods are read from where they are declared: the runtime's inherent ones
    /// (`rule`, `serve` in another file), its trait methods (`before_send` of `Interceptor`,
    /// `fmt` of its hand-written `Debug`), the derived `Clone`, and the template's `new` and
    /// `Default`; an operation's own method (`{{ op.method_name }}` in the template) is not one.
    #[test]
    fn the_fakes_methods_are_read_from_its_declarations() {
        let methods = fake_methods();
        for expected in [
            "new",
            "default",
            "config",
            "client",
            "rule",
            "serve",
            "verify_signatures",
            "before_send",
            "fmt",
            "clone",
        ] {
            assert!(methods.contains(expected), "{expected}: {methods:?}");
        }
        assert!(methods.iter().all(|m| !m.contains('{') && !m.is_empty()));
        // And a name that is not the fake's is free.
        assert!(!methods.contains("create_user"));
    }

    /// A value built from the schema has a struct's required fields (and no optional one), an
    /// enum's first value, and a union's first member with the tag that selects it.
    #[test]
    fn values_built_from_the_schema_follow_the_types() {
        let mut unions = 0;
        for name in ["unions.yaml", "kinds.yaml", "params.yaml", "recursive.yaml"] {
            let (_, api) = fixture(name);
            let samples = Samples {
                types: Types(&api.types),
            };
            for (id, def) in api.types.iter().enumerate() {
                let value = samples.value(&RustType::model(TypeId(id)), 0);
                match def.kind {
                    TypeKind::Struct => {
                        let object = value.as_object().expect("an object");
                        for field in &def.fields {
                            assert_eq!(
                                object.contains_key(&field.wire),
                                field.required,
                                "{name}: {}.{}",
                                def.name,
                                field.wire
                            );
                        }
                    }
                    TypeKind::Enum => {
                        assert_eq!(
                            value,
                            Value::String(def.variants[0].wire.clone().unwrap_or_default())
                        );
                    }
                    TypeKind::Union => {
                        if let Some(property) = &def.discriminator {
                            unions += 1;
                            assert_eq!(
                                value[property.as_str()],
                                Value::String(def.variants[0].tags[0].clone()),
                                "{name}: {}",
                                def.name
                            );
                        }
                    }
                }
            }
        }
        assert!(unions > 0, "no union with a discriminator was built");
    }

    /// The defaults are the description's examples where it has them; parameters the client
    /// sets itself (`accept`, the idempotency key) are not checked as parameters.
    #[test]
    fn defaults_are_the_examples_and_client_parameters_are_left_out() {
        let mut compared = 0;
        let (raw, api) = fixture("spec/upvest-user-identifiers.yaml");
        for (fake, op) in api
            .fakes
            .iter()
            .zip(api.groups.iter().flat_map(|g| &g.operations))
        {
            assert_eq!(fake.operation_id, op.operation_id);
            assert_eq!(fake.sample_arguments.len(), op.arguments.len());
            assert!(fake
                .params
                .iter()
                .all(|p| p.name != "accept" && p.name != "idempotency-key"));
            if fake.default_source == DefaultSource::Example {
                let prefix = format!(
                    "#/paths/{}/{}/responses/{}/",
                    escape(&op.path),
                    op.http_method.key(),
                    op.success.status
                );
                let example = api
                    .examples
                    .iter()
                    .find(|e| e.pointer.starts_with(&prefix))
                    .expect("the example it came from");
                let value = raw
                    .pointer(example.pointer.trim_start_matches('#'))
                    .unwrap();
                let default: Value = serde_json::from_str(&fake.default_body).unwrap();
                assert_eq!(&default, value);
                assert_eq!(fake.default_body, sorted(value).to_string());
                compared += 1;
            }
        }
        assert!(compared >= 3, "only {compared} defaults were examples");
        let (_, minimal) = fixture("minimal.yaml");
        assert_eq!(minimal.fakes[0].default_source, DefaultSource::Schema);
        assert_eq!(minimal.fakes[0].default_body, r#"{"status":"string"}"#);
    }

    /// The default description's identifiers are one resource: created, read back by ID and
    /// updated through the fake's store (their list is not paged by `offset`: not in it).
    #[test]
    fn a_collection_with_a_create_and_a_retrieve_is_a_resource() {
        let (_, api) = fixture("spec/upvest-user-identifiers.yaml");
        let roles: Vec<(&str, &str, &str, &str)> = api
            .fakes
            .iter()
            .filter_map(|f| {
                let r = f.resource.as_ref()?;
                Some((
                    f.operation_id.as_str(),
                    r.role.as_str(),
                    r.collection.as_str(),
                    r.id_field.as_str(),
                ))
            })
            .collect();
        let collection = "/users/{user_id}/identifiers";
        assert_eq!(
            roles,
            [
                ("create_identifier", "Create", collection, "id"),
                ("retrieve_identifier", "Retrieve", collection, "id"),
                ("update_identifier", "Update", collection, "id"),
            ]
        );
        let identifier = api
            .fakes
            .iter()
            .find(|f| f.operation_id == "retrieve_identifier");
        let fields = &identifier.and_then(|f| f.resource.as_ref()).unwrap().fields;
        assert!(fields.iter().any(|f| f == "issuing_country"), "{fields:?}");
        // A collection without a create is no resource.
        let (_, minimal) = fixture("minimal.yaml");
        assert!(minimal.fakes.iter().all(|f| f.resource.is_none()));
    }
}
