//! Stage 3, lower: the description becomes the [`model`](crate::model): resource groups from
//! `x-doctave-tags`, operations with their parameters, bodies and responses, and the named,
//! deduplicated types they use.

mod calls;
mod docs;
mod example_programs;
mod fake;
mod inputs;
mod media;
mod modules;
mod status;
mod types;
mod webhooks;

use std::borrow::Cow;
use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Operation as OpenApiOperation, Parameter, ReferenceOr};

use crate::describe::operations::{group_module, group_of, operations, template_params};
use crate::describe::parameters::{parameters, resolve};
use crate::error::{Error, Result};
use crate::load::LoadedSpec;
use crate::lock::NameLock;
use crate::model::{
    AcceptMethod, Api, Body, BodyEncoding, Decoding, ErrorResponse, Group, HttpMethod, Operation,
    Param, ParamLocation, PathSegment, RustType, Scalar, Scope, Server, Success,
};
use crate::names;
use crate::pointer::Pointer;
use calls::ACCEPT_HEADER;
pub use docs::{doc_lines, DOCS_SITE};
pub use inputs::IDEMPOTENCY_HEADER;
use media::pick_content;

/// The base URL of a description that lists no server.
const SANDBOX_URL: &str = "https://sandbox.upvest.co";
use types::{Collector, Ctx, Level, Role, Site, Slot, Ty, Types};
pub use webhooks::FEATURE as WEBHOOK_FEATURE;

/// Whether the client itself sets the header `name` (authentication, signing, versioning, the
/// body's headers): such a header is never a method argument. These are the headers the
/// runtime manages ([`crate::runtime::managed_headers`]) but the two whose values come from the
/// caller: `accept` (it chooses the `send_...` method) and `idempotency-key` (a setter).
pub fn is_client_header(name: &str) -> bool {
    !name.eq_ignore_ascii_case(ACCEPT_HEADER)
        && !name.eq_ignore_ascii_case(inputs::IDEMPOTENCY_HEADER)
        && crate::runtime::managed_headers()
            .iter()
            .any(|managed| managed.eq_ignore_ascii_case(name))
}

/// Which resource groups to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupSelection {
    All,
    Only(Vec<String>),
}

/// Lowers the whole description to the model, keeping only the selected groups. The places
/// `lock` records keep the names recorded for them (empty for a first generation).
pub fn lower(
    spec: &LoadedSpec,
    selection: &GroupSelection,
    source: &str,
    lock: &NameLock,
) -> Result<Api> {
    let selected = select_groups(spec, selection)?;
    let Pass {
        collector,
        collected,
        collected_hooks,
    } = lower_pass(spec, selection, &selected, lock)?;
    let mut types = collector.finish()?;
    inputs::struct_inputs(&mut types.defs);
    let webhooks = webhooks::finish(collected_hooks, &types);
    let groups: Vec<_> = collected
        .into_iter()
        .map(|(name, ops)| build_group(spec, name, ops, &types))
        .collect();
    let full_features = groups
        .iter()
        .map(|g| g.feature.clone())
        .chain((!webhooks.is_empty()).then(|| webhooks::FEATURE.to_string()))
        .collect();
    let default_base_url = spec.api.servers.first().map_or(SANDBOX_URL, |s| &s.url);
    let samples = example_programs::choose(&groups, &webhooks);
    let fakes = fake::operations(&spec.raw, &groups, &types.defs, &types.examples);
    Ok(Api {
        title: spec.api.info.title.clone(),
        provider: provider(&spec.api.info.title),
        version: spec.api.info.version.clone(),
        doc: doc_lines(spec.api.info.description.as_deref()),
        source: source.to_string(),
        servers: spec
            .api
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                doc: doc_lines(s.description.as_deref()),
            })
            .collect(),
        default_base_url: default_base_url.to_string(),
        groups,
        examples: types.examples,
        type_modules: modules::type_modules(&types.defs),
        types: types.defs,
        scopes: scopes(&spec.api),
        webhooks,
        full_features,
        names: types.lock,
        samples,
        fakes,
    })
}

fn wants_webhooks(selection: &GroupSelection) -> bool {
    match selection {
        GroupSelection::All => true,
        GroupSelection::Only(wanted) => wanted.iter().any(|g| g == webhooks::FEATURE),
    }
}

fn select_groups(spec: &LoadedSpec, selection: &GroupSelection) -> Result<Vec<String>> {
    let mut available: Vec<String> = operations(&spec.api)
        .into_iter()
        .map(|(_, _, op, _)| group_of(op))
        .collect();
    available.sort();
    available.dedup();
    match selection {
        GroupSelection::All => Ok(available),
        GroupSelection::Only(wanted) => {
            for name in wanted.iter().filter(|n| *n != webhooks::FEATURE) {
                let known = available
                    .iter()
                    .any(|g| g == name || names::feature_name(g) == *name);
                if !known {
                    return Err(Error::UnknownGroup {
                        name: name.clone(),
                        available: available.join(", "),
                    });
                }
            }
            Ok(available
                .into_iter()
                .filter(|g| wanted.contains(g) || wanted.contains(&names::feature_name(g)))
                .collect())
        }
    }
}

/// Every selected operation and webhook, collected by group, their types collected but not
/// yet named.
struct Pass<'a> {
    collector: Collector<'a>,
    collected: BTreeMap<String, Vec<CollectedOperation>>,
    collected_hooks: Vec<webhooks::CollectedWebhook>,
}

fn lower_pass<'a>(
    spec: &'a LoadedSpec,
    selection: &GroupSelection,
    selected: &[String],
    lock: &NameLock,
) -> Result<Pass<'a>> {
    let mut collector = Collector::new(spec, lock);
    let mut collected: BTreeMap<String, Vec<CollectedOperation>> = BTreeMap::new();
    // Sorted by operationId, so that names do not depend on where an operation sits in the file.
    let mut ops = operations(&spec.api);
    ops.sort_by(|a, b| a.2.operation_id.cmp(&b.2.operation_id));
    for (path, method, op, at) in ops {
        let group = group_of(op);
        if !selected.contains(&group) {
            continue;
        }
        let operation = collect_operation(spec, &mut collector, path, method, op, &at, &group)?;
        collected.entry(group).or_default().push(operation);
    }
    let collected_hooks = if wants_webhooks(selection) {
        webhooks::collect(spec, &mut collector)?
    } else {
        Vec::new()
    };
    Ok(Pass {
        collector,
        collected,
        collected_hooks,
    })
}

/// An operation as the first pass collects it: what the description says of it, with the types
/// of its parameters, body and success body as type expressions ([`Ty`]), which have Rust types
/// once every operation is collected and the types are named; [`build_operation`] then makes
/// the model's [`Operation`].
struct CollectedOperation {
    operation_id: String,
    method_name: String,
    builder: String,
    http_method: HttpMethod,
    path: String,
    path_segments: Vec<PathSegment>,
    doc: Vec<String>,
    deprecated: bool,
    scopes: Vec<String>,
    authorized: bool,
    accept_methods: Vec<AcceptMethod>,
    path_params: Vec<CollectedParam>,
    query_params: Vec<CollectedParam>,
    header_params: Vec<CollectedParam>,
    body: Option<CollectedBody>,
    success: CollectedSuccess,
    errors: Vec<ErrorResponse>,
}

/// A parameter as collected (see [`Param`] for the fields): its type, an expression.
struct CollectedParam {
    name: String,
    ident: String,
    location: ParamLocation,
    ty: Ty,
    accept: bool,
    required: bool,
    is_array: bool,
    idempotency_key: bool,
    doc: Vec<String>,
}

/// A request body as collected (see [`Body`]).
struct CollectedBody {
    ty: Ty,
    content_type: String,
    encoding: BodyEncoding,
    required: bool,
}

/// A success response as collected (see [`Success`]): `ty` is the JSON body's type.
struct CollectedSuccess {
    status: u16,
    ty: Option<Ty>,
    content_type: Option<String>,
    decoding: Decoding,
    doc: Vec<String>,
}

impl CollectedSuccess {
    /// A success without a body.
    fn empty(status: u16, doc: Vec<String>) -> Self {
        CollectedSuccess {
            status,
            ty: None,
            content_type: None,
            decoding: Decoding::Empty,
            doc,
        }
    }
}

fn collect_operation(
    spec: &LoadedSpec,
    collector: &mut Collector,
    path: &str,
    method: HttpMethod,
    op: &OpenApiOperation,
    at: &Pointer,
    group: &str,
) -> Result<CollectedOperation> {
    let operation_id = op.operation_id.clone().unwrap_or_default();
    let method_name = spec.renames.method_name(&operation_id).unwrap_or_default();
    let builder = spec.renames.builder_name(&operation_id).unwrap_or_default();
    let feature = names::feature_name(group);

    // Resolved once: the inputs and the bearer-token decision below both read them.
    let params = parameters(spec, path, op, at)?;
    let accept_methods = calls::accept_methods(spec, &params);
    let owner = Owner {
        method_name: &method_name,
        builder: &builder,
        feature: &feature,
        at,
        path,
    };
    let (path_params, query_params, header_params) =
        collect_params(spec, collector, &params, &owner, &accept_methods)?;
    let body = match &op.request_body {
        Some(body) => {
            let (body, body_at) = resolve(spec, body, &at.push("requestBody"))?;
            collect_body(collector, &body, &body_at, &owner)?
        }
        None => None,
    };
    let (success, errors) =
        collect_responses(spec, collector, op, at, &method_name, &builder, &feature)?;

    // A bearer token goes with operations that declare the header or a security requirement.
    let secured = op
        .security
        .as_ref()
        .or(spec.api.security.as_ref())
        .is_some_and(|requirements| !requirements.is_empty());
    let authorized = secured
        || params.iter().any(|(p, _)| {
            matches!(**p, Parameter::Header { .. })
                && p.parameter_data_ref()
                    .name
                    .eq_ignore_ascii_case("authorization")
        });
    Ok(CollectedOperation {
        operation_id,
        method_name,
        builder,
        http_method: method,
        path: path.to_string(),
        path_segments: path_segments(path, &path_params),
        doc: docs::operation_doc(op.summary.as_deref(), op.description.as_deref()),
        deprecated: op.deprecated,
        scopes: operation_scopes(spec, op),
        authorized,
        accept_methods,
        path_params,
        query_params,
        header_params,
        body,
        success,
        errors,
    })
}

/// The path, query and header parameters.
type CollectedParams = (
    Vec<CollectedParam>,
    Vec<CollectedParam>,
    Vec<CollectedParam>,
);

/// A value of the client method `method_name`, for the docs of the types it holds.
fn site(method_name: &str, slot: Slot) -> std::sync::Arc<Site> {
    std::sync::Arc::new(Site {
        owner: method_name.to_string(),
        webhook: false,
        slot,
    })
}

/// The operation the parameters belong to, as its parameters' types are named and documented.
struct Owner<'a> {
    method_name: &'a str,
    builder: &'a str,
    feature: &'a str,
    /// The operation's pointer, and its path template: where its parameters are used.
    at: &'a Pointer,
    path: &'a str,
}

/// Where a parameter's schema is used, for the record of names (see [`crate::lock`]): under its
/// operation by location and name, not by its index in a list (reordered freely) nor where it is
/// written (a path item's shared parameters, `#/components/parameters`); a path parameter by its
/// position in the path, since renaming it changes nothing for users.
fn parameter_place(owner: &Owner, location: &str, name: &str) -> Pointer {
    let key = match location {
        "path" => {
            let position = template_params(owner.path).iter().position(|p| p == name);
            match position {
                Some(position) => format!("path:{position}"),
                None => format!("path:{name}"),
            }
        }
        _ => format!("{location}:{name}"),
    };
    owner.at.push("parameters").push(key).push("schema")
}

fn collect_params(
    spec: &LoadedSpec,
    collector: &mut Collector,
    params: &[(Cow<Parameter>, Pointer)],
    owner: &Owner,
    accept: &[AcceptMethod],
) -> Result<CollectedParams> {
    let Owner {
        method_name,
        builder,
        feature,
        ..
    } = owner;
    let (mut in_path, mut in_query, mut in_header) = (Vec::new(), Vec::new(), Vec::new());
    for (param, param_at) in params {
        let param: &Parameter = param;
        let data = param.parameter_data_ref();
        let is_header = matches!(param, Parameter::Header { .. });
        if is_header && is_client_header(&data.name) {
            continue;
        }
        if matches!(param, Parameter::Cookie { .. }) {
            continue;
        }
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return Err(Error::Invalid {
                location: spec.locate(param_at),
                message: "parameters described by `content` are not supported".into(),
            });
        };
        let ident = names::snake_ident(&data.name).ok_or_else(|| Error::Invalid {
            location: spec.locate(param_at),
            message: format!("parameter name `{}` cannot become a Rust name", data.name),
        })?;
        let location_word = match param {
            Parameter::Path { .. } => "path",
            Parameter::Query { .. } => "query",
            _ => "header",
        };
        let ctx = Ctx {
            pointer: param_at.push("schema"),
            place: parameter_place(owner, location_word, &data.name),
            name: format!(
                "{builder}{}",
                names::type_ident(&data.name).unwrap_or_default()
            ),
            feature: feature.to_string(),
            role: Role::Input,
            parent: None,
            site: site(method_name, Slot::Parameter(data.name.clone())),
            level: Level::Own,
        };
        let lowered = collector.lower(schema, &ctx)?;
        collector.note_examples(param_at, data.example.as_ref(), &data.examples, &lowered);
        let is_array = matches!(lowered.ty, Ty::Vec(_));
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            _ => ParamLocation::Header,
        };
        let collected = CollectedParam {
            name: data.name.clone(),
            ident,
            location,
            ty: lowered.ty,
            accept: is_header && data.name.eq_ignore_ascii_case(ACCEPT_HEADER),
            required: data.required,
            is_array,
            idempotency_key: matches!(param, Parameter::Header { .. })
                && data.name.eq_ignore_ascii_case(inputs::IDEMPOTENCY_HEADER),
            doc: doc_lines(data.description.as_deref()),
        };
        let slot = match location {
            ParamLocation::Path => &mut in_path,
            ParamLocation::Query => &mut in_query,
            _ => &mut in_header,
        };
        slot.push(collected);
    }
    let methods: Vec<String> = accept
        .iter()
        .flat_map(|m| {
            [
                format!("send_{}", m.suffix),
                format!("download_{}", m.suffix),
            ]
        })
        .collect();
    unique_param_idents(&mut in_path, &mut in_query, &mut in_header, &methods);
    Ok((in_path, in_query, in_header))
}

/// Gives every parameter of an operation an identifier of its own (they become builder fields,
/// setters and method arguments): one that is a name of the builder's own (see
/// [`crate::render::builder_members`], [`inputs::BUILDER_OWN_FIELDS`] and `methods`, the
/// `send_...`/`download_...` methods of its `accept`
/// values), or that an earlier parameter has, becomes `{name}_{location}` (`client_query`),
/// then `{name}_{location}_2`, ... . Path parameters come first, then query, then header
/// parameters, each in the description's order, so the names are deterministic; the declared
/// `idempotency-key` header keeps `idempotency_key`.
fn unique_param_idents(
    path: &mut [CollectedParam],
    query: &mut [CollectedParam],
    header: &mut [CollectedParam],
    methods: &[String],
) {
    let mut used: std::collections::BTreeSet<String> = Default::default();
    for (location, params) in [("path", path), ("query", query), ("header", header)] {
        for param in params.iter_mut() {
            let own_key =
                location == "header" && param.name.eq_ignore_ascii_case(inputs::IDEMPOTENCY_HEADER);
            let taken = |ident: &str, used: &std::collections::BTreeSet<String>| {
                used.contains(ident)
                    || ((crate::render::builder_members().contains(ident)
                        || inputs::BUILDER_OWN_FIELDS.contains(&ident))
                        && !own_key)
                    || methods.iter().any(|m| m == ident)
            };
            let bare = param.ident.trim_start_matches("r#").to_string();
            if taken(&bare, &used) {
                let base = format!("{bare}_{location}");
                // `used` and the names are finite: some candidate is free.
                param.ident = std::iter::once(base.clone())
                    .chain((2..).map(|n| format!("{base}_{n}")))
                    .find(|candidate| !taken(candidate, &used))
                    .unwrap_or(base);
            }
            used.insert(param.ident.trim_start_matches("r#").to_string());
        }
    }
}

/// The request body of `owner`'s operation, written at `at` (its own place, or where its
/// `$ref` leads).
fn collect_body(
    collector: &mut Collector,
    body: &openapiv3::RequestBody,
    at: &Pointer,
    owner: &Owner,
) -> Result<Option<CollectedBody>> {
    let Owner {
        method_name,
        builder,
        feature,
        ..
    } = owner;
    let place = owner.at.push("requestBody");
    let Some((content_type, media)) = pick_content(&body.content) else {
        return Ok(None);
    };
    let encoding = if content_type == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else {
        BodyEncoding::Json
    };
    let ty = match &media.schema {
        Some(schema) => {
            let ctx = Ctx {
                pointer: at.push("content").push(&content_type).push("schema"),
                place: place.push("content").push(&content_type).push("schema"),
                name: format!("{builder}Request"),
                feature: feature.to_string(),
                role: Role::Input,
                parent: None,
                site: site(method_name, Slot::Body),
                level: Level::Own,
            };
            let media_at = at.push("content").push(&content_type);
            collector.lower_media(schema, &ctx, media, &media_at)?.ty
        }
        None => Ty::Json,
    };
    if encoding == BodyEncoding::Json {
        collector.fit_root(&ty);
    }
    Ok(Some(CollectedBody {
        ty,
        content_type,
        encoding,
        required: body.required,
    }))
}

/// The first success response (by status) and the error responses.
#[allow(clippy::too_many_arguments)]
fn collect_responses(
    spec: &LoadedSpec,
    collector: &mut Collector,
    op: &OpenApiOperation,
    at: &Pointer,
    method_name: &str,
    builder: &str,
    feature: &str,
) -> Result<(CollectedSuccess, Vec<ErrorResponse>)> {
    let mut success = None;
    let mut errors = Vec::new();
    // Sorted by status, so the output does not depend on the order of the keys.
    let mut responses: Vec<_> = op.responses.responses.iter().collect();
    responses.sort_by_key(|(status, _)| status.to_string());
    for (status, response) in responses {
        let code = status.to_string();
        let response_place = at.push("responses").push(&code);
        let (response, response_at) = resolve(spec, response, &response_place)?;
        let numeric: Option<u16> = code.parse().ok();
        let is_success = numeric.is_some_and(|c| (200..300).contains(&c));
        if is_success && success.is_none() {
            let ctx = Ctx {
                pointer: response_at.push("content"),
                place: response_place.push("content"),
                name: format!("{builder}Response"),
                feature: feature.to_string(),
                role: Role::Output,
                parent: None,
                site: site(method_name, Slot::Response),
                level: Level::Own,
            };
            success = Some(collect_success(
                collector,
                &response,
                numeric.unwrap_or(200),
                &ctx,
            )?);
        } else if !is_success {
            // Error bodies are problem documents, decoded by the runtime's `Problem`.
            for (content_type, media) in &response.content {
                if content_type.contains("json") {
                    let media_at = response_at.push("content").push(content_type);
                    collector.note_runtime_examples(&media_at, media, Scalar::Problem);
                }
            }
            errors.push(ErrorResponse {
                variant: status::variant_of(&code),
                status: code,
                description: response.description.trim().to_string(),
            });
        }
    }
    let success = success.unwrap_or_else(|| CollectedSuccess::empty(200, Vec::new()));
    Ok((success, errors))
}

fn collect_success(
    collector: &mut Collector,
    response: &openapiv3::Response,
    status: u16,
    ctx: &Ctx,
) -> Result<CollectedSuccess> {
    let doc = doc_lines(Some(&response.description));
    let Some((content_type, media)) = pick_content(&response.content) else {
        return Ok(CollectedSuccess::empty(status, doc));
    };
    let is_json = content_type.contains("json");
    let ty = match (&media.schema, is_json) {
        (Some(schema), true) => {
            let media_at = ctx.pointer.push(&content_type);
            let ctx = Ctx {
                pointer: media_at.push("schema"),
                place: ctx.place.push(&content_type).push("schema"),
                ..ctx.clone()
            };
            Some(collector.lower_media(schema, &ctx, media, &media_at)?.ty)
        }
        (None, true) => Some(Ty::Json),
        (_, false) => None,
    };
    Ok(CollectedSuccess {
        status,
        ty,
        content_type: Some(content_type),
        decoding: if is_json {
            Decoding::Json
        } else {
            Decoding::Bytes
        },
        doc,
    })
}

/// The path's segments; a `{name}` is the identifier its path parameter was given.
fn path_segments(path: &str, params: &[CollectedParam]) -> Vec<PathSegment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => PathSegment::Param(
                    params
                        .iter()
                        .find(|p| p.name == name)
                        .map(|p| p.ident.clone())
                        .or_else(|| names::snake_ident(name))
                        .unwrap_or_default(),
                ),
                None => PathSegment::Literal(segment.to_string()),
            },
        )
        .collect()
}

fn operation_scopes(spec: &LoadedSpec, op: &OpenApiOperation) -> Vec<String> {
    let requirements = op.security.as_ref().or(spec.api.security.as_ref());
    let mut scopes: Vec<String> = requirements
        .into_iter()
        .flatten()
        .flat_map(|req| req.values().flatten().cloned())
        .collect();
    scopes.dedup();
    scopes
}

fn scopes(api: &OpenAPI) -> Vec<Scope> {
    let Some(components) = &api.components else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for scheme in components.security_schemes.values() {
        if let ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) = scheme {
            if let Some(flow) = &flows.client_credentials {
                found.extend(flow.scopes.iter().map(|(name, description)| Scope {
                    name: name.clone(),
                    description: description.clone(),
                }));
            }
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The group `name`, its operations built now that every type has its final name.
fn build_group(
    spec: &LoadedSpec,
    name: String,
    collected: Vec<CollectedOperation>,
    types: &Types,
) -> Group {
    let operations = collected
        .into_iter()
        .map(|operation| build_operation(operation, types))
        .collect();
    let doc = spec
        .api
        .tags
        .iter()
        .find(|t| t.name == name)
        .map(|t| doc_lines(t.description.as_deref()))
        .unwrap_or_default();
    Group {
        module: group_module(&name),
        feature: names::feature_name(&name),
        doc,
        name,
        operations,
    }
}

/// The model's operation: its inputs typed, then what the types decide (its arguments and
/// builder, see [`inputs`]; its paging and secrecy, see [`calls`]).
fn build_operation(collected: CollectedOperation, types: &Types) -> Operation {
    let build_params = |params: Vec<CollectedParam>| -> Vec<Param> {
        params.into_iter().map(|p| build_param(p, types)).collect()
    };
    let path_params = build_params(collected.path_params);
    let query_params = build_params(collected.query_params);
    let header_params = build_params(collected.header_params);
    let body = collected.body.map(|body| {
        let rust_type = types.rust(&body.ty);
        Body {
            argument: body.required || inputs::needs_value(&rust_type, &types.defs),
            rust_type,
            content_type: body.content_type,
            encoding: body.encoding,
            required: body.required,
        }
    });
    let success = build_success(collected.success, types);
    let inputs = inputs::operation_inputs(&inputs::OperationParts {
        http_method: collected.http_method,
        path: &collected.path,
        path_params: &path_params,
        query_params: &query_params,
        header_params: &header_params,
        body: body.as_ref(),
    });
    let calls = calls::operation_calls(&query_params, &success, &types.defs);
    let call_doc = inputs::call_doc(&collected.builder, !inputs.arguments.is_empty());
    Operation {
        operation_id: collected.operation_id,
        method_name: collected.method_name,
        builder: collected.builder,
        http_method: collected.http_method,
        path: collected.path,
        path_segments: collected.path_segments,
        doc: collected.doc,
        deprecated: collected.deprecated,
        scopes: collected.scopes,
        path_params,
        query_params,
        header_params,
        body,
        success,
        errors: collected.errors,
        arguments: inputs.arguments,
        allows: inputs.allows,
        call_doc,
        idempotency: inputs.idempotency,
        authorized: collected.authorized,
        secret_response: calls.secret_response,
        builder_fields: inputs.builder_fields,
        setters: inputs.setters,
        writes: inputs.writes,
        pagination: calls.pagination,
        accept_methods: collected.accept_methods,
    }
}

fn build_param(collected: CollectedParam, types: &Types) -> Param {
    let rust_type = types.rust(&collected.ty);
    Param {
        setter_type: inputs::taking(&rust_type, "value").0,
        argument: inputs::is_argument(
            collected.location,
            &collected.name,
            collected.required,
            collected.accept,
        ),
        rust_type,
        name: collected.name,
        ident: collected.ident,
        location: collected.location,
        accept: collected.accept,
        required: collected.required,
        is_array: collected.is_array,
        idempotency_key: collected.idempotency_key,
        doc: collected.doc,
    }
}

fn build_success(collected: CollectedSuccess, types: &Types) -> Success {
    let rust_type = match (&collected.ty, collected.decoding) {
        (Some(ty), _) => types.rust(ty),
        (None, Decoding::Bytes) => RustType::bytes(),
        (None, _) => RustType::Unit,
    };
    Success {
        status: collected.status,
        rust_type,
        content_type: collected.content_type,
        decoding: collected.decoding,
        doc: collected.doc,
    }
}

/// The name the crate's docs give the API's provider: `Upvest` for Upvest's descriptions
/// ("Upvest Investment API - ..."), whose runtime this SDK is; for another description its
/// title, on one line and without the characters that would end a string literal, a format
/// string's text, a Markdown table cell or code span where the templates print it.
fn provider(title: &str) -> String {
    let safe: String = title
        .chars()
        .map(|c| match c {
            '"' | '\\' | '{' | '}' | '|' | '`' | '<' | '>' | '[' | ']' | '*' | '_' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let words: Vec<&str> = safe.split_whitespace().collect();
    match words.first() {
        Some(&"Upvest") => "Upvest".to_string(),
        Some(_) => words.join(" "),
        None => "the API".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provider_is_upvest_or_the_title_made_safe_to_print() {
        assert_eq!(
            provider("Upvest Investment API - User Identifiers"),
            "Upvest"
        );
        assert_eq!(provider("Redocly Museum API"), "Redocly Museum API");
        assert_eq!(provider("A \"{x}\" | `b`\n c"), "A x b c");
        assert_eq!(provider(" "), "the API");
    }

    /// The client's headers are the runtime's managed ones but those a caller gives values.
    #[test]
    fn client_headers_are_the_managed_ones_without_the_callers() {
        for name in [
            "authorization",
            "Signature",
            "signature-input",
            "upvest-client-id",
        ] {
            assert!(is_client_header(name), "{name}");
        }
        for name in ["accept", "Idempotency-Key", "x-api-key", "limit"] {
            assert!(!is_client_header(name), "{name}");
        }
    }
}
