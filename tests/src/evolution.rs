//! The evolution engine: edits of a description's JSON tree, as Upvest might make them in its
//! next revision, each tagged compatible (a user who regenerates keeps compiling, unchanged) or
//! breaking. `tests/tests/builds/evolution.rs` applies random combinations to Upvest's real
//! description, regenerates the SDK over the first generation's recorded names, and compiles
//! an exhaustive usage program of the first SDK ([`crate::usage`]) against it.
//!
//! Every operator picks its target with a seeded PRNG ([`Rng`], splitmix64), among the places
//! the selected resource groups use (so that the edit is seen by the generation), and says
//! what it did. A combination is reproducible from `(seed, index)` ([`compatible_combination`]).
//!
//! Breaking operators edit every place of one type the first generation named (from its
//! record, `names.json`), so that the type, not one copy of it, changes; each says which type
//! or operation it breaks ([`Breaks`]), so that the harness can check that the compiler fails
//! there.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use upvest_sdk_generator::lock::NameLock;

pub use crate::mutation::Rng;

/// The default seed of the evolution runs.
pub const SEED: u64 = 0x0e70_1e00_c0de_5eed;

/// What the operators may look at besides the description.
pub struct Context<'a> {
    /// The selected resource groups (as `GroupSelection::Only` takes them; `webhook-events`
    /// selects the webhooks).
    pub groups: &'a [&'a str],
    /// The first generation's record: breaking operators edit every place of one type.
    pub names: &'a NameLock,
}

/// What a breaking edit takes away from users, so that the harness knows where the usage
/// program must fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breaks {
    /// The generated type of this name (the usage program's `*_Name` functions).
    Type(String),
    /// The operation of this `operationId` (its `op_<method>` function).
    Operation(String),
}

/// One edit applied: the operator, what it did and where, and what it breaks.
#[derive(Debug, Clone)]
pub struct Applied {
    pub operator: &'static str,
    pub target: String,
    pub breaks: Option<Breaks>,
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.operator, self.target)
    }
}

type Apply = fn(&mut Value, &mut Rng, &Context) -> Option<Applied>;

/// An edit operator: applied, it picks a target or returns `None` when the description has
/// nothing it applies to.
pub struct Operator {
    pub name: &'static str,
    pub compatible: bool,
    apply: Apply,
}

impl Operator {
    /// Applies the operator to `doc` with targets drawn from `rng`.
    pub fn apply(&self, doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
        (self.apply)(doc, rng, context)
    }
}

/// The catalogue.
pub fn operators() -> Vec<Operator> {
    let compatible: [(&'static str, Apply); 23] = [
        ("extract_component", extract_component),
        ("inline_component", inline_component),
        ("rename_component", rename_component),
        ("deduplicate_into_component", deduplicate),
        ("split_shared_component", split_component),
        ("reorder_properties", reorder_properties),
        ("reorder_union_members", reorder_union),
        ("reorder_enum_values", reorder_enum),
        ("reorder_parameters", reorder_parameters),
        ("rename_path_parameter", rename_path_parameter),
        ("add_optional_field", add_optional_field),
        ("add_optional_query_parameter", add_optional_query),
        ("add_optional_header", add_optional_header),
        ("add_enum_value", add_enum_value),
        ("add_union_member", add_union_member),
        ("add_error_status", add_error_status),
        ("add_operation", add_operation),
        ("add_resource_group", add_resource_group),
        ("add_webhook_event_type", add_webhook_event_type),
        ("edit_documentation", edit_documentation),
        ("edit_example", edit_example),
        ("edit_constraint", edit_constraint),
        ("deprecate", deprecate),
    ];
    let breaking: [(&'static str, Apply); 7] = [
        ("remove_field", remove_field),
        ("remove_enum_value", remove_enum_value),
        ("make_optional_field_required", make_field_required),
        ("add_required_request_field", add_required_request_field),
        ("change_field_type", change_field_type),
        ("remove_operation", remove_operation),
        ("rename_operation_id", rename_operation_id),
    ];
    compatible
        .into_iter()
        .map(|(name, apply)| Operator {
            name,
            compatible: true,
            apply,
        })
        .chain(breaking.into_iter().map(|(name, apply)| Operator {
            name,
            compatible: false,
            apply,
        }))
        .collect()
}

/// A seed per combination, so a combination is the same whatever ran before it.
pub fn seed_for(seed: u64, index: u64) -> u64 {
    Rng::new(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15)).next_u64()
}

/// Combination `index` of run `seed`: 1 to 5 compatible operators, drawn at random (an
/// operator that finds no target is drawn again, up to a limit), applied in turn to a copy of
/// `base`.
pub fn compatible_combination(
    base: &Value,
    context: &Context,
    seed: u64,
    index: u64,
) -> (Value, Vec<Applied>) {
    let mut doc = base.clone();
    let applied = compatible_steps(&mut doc, context, seed, index, &mut |_, _| {});
    (doc, applied)
}

/// [`compatible_combination`] applied to `doc` in place, with `after(doc, edit)` called after
/// each edit: to find which edit of a failing combination first breaks.
pub fn compatible_steps(
    doc: &mut Value,
    context: &Context,
    seed: u64,
    index: u64,
    after: &mut dyn FnMut(&Value, &Applied),
) -> Vec<Applied> {
    let mut rng = Rng::new(seed_for(seed, index));
    let catalogue: Vec<Operator> = operators().into_iter().filter(|o| o.compatible).collect();
    let wanted = 1 + rng.below(5);
    let mut applied = Vec::new();
    let mut tries = 0;
    while applied.len() < wanted && tries < 50 {
        tries += 1;
        let operator = rng.pick(&catalogue);
        if let Some(done) = operator.apply(doc, &mut rng, context) {
            after(doc, &done);
            applied.push(done);
        }
    }
    applied
}

/// The operator `name` alone, applied to a copy of `base` with targets drawn from the PRNG of
/// `(seed, name, index)`; `None` when it finds no target in 20 draws (or there is no such
/// operator).
pub fn single(
    base: &Value,
    context: &Context,
    name: &str,
    seed: u64,
    index: u64,
) -> Option<(Value, Applied)> {
    let operator = operators().into_iter().find(|o| o.name == name)?;
    let fnv = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = Rng::new(seed_for(seed ^ fnv, index));
    // An operator may draw a kind of target the description lacks: it draws again, as in a
    // combination.
    (0..20).find_map(|_| {
        let mut doc = base.clone();
        let done = operator.apply(&mut doc, &mut rng, context)?;
        Some((doc, done))
    })
}

/// Every breaking operator applied once, in catalogue order, to one copy of `base` (targets
/// drawn from one PRNG of `seed`): the edited description and what each did (an operator
/// that found no target is missing).
pub fn all_breaking(base: &Value, context: &Context, seed: u64) -> (Value, Vec<Applied>) {
    let mut rng = Rng::new(seed_for(seed, u64::MAX));
    let mut doc = base.clone();
    let applied = operators()
        .into_iter()
        .filter(|o| !o.compatible)
        .filter_map(|operator| operator.apply(&mut doc, &mut rng, context))
        .collect();
    (doc, applied)
}

// ---------------------------------------------------------------------------------------------
// Places: the operations, webhooks and schemas of the selected groups.

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "options", "head"];
const WEBHOOKS_FEATURE: &str = "webhook-events";

/// A JSON pointer token, escaped.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The group an operation belongs to, as the generator decides it: its first `x-doctave-tags`,
/// else its first tag.
fn group_of(op: &Value) -> Option<&str> {
    op.get("x-doctave-tags")
        .and_then(|t| t.get(0))
        .or_else(|| op.get("tags").and_then(|t| t.get(0)))
        .and_then(Value::as_str)
}

fn feature_of(group: &str) -> String {
    group.to_lowercase().replace([' ', '_'], "-")
}

fn selected(groups: &[&str], group: &str) -> bool {
    groups
        .iter()
        .any(|g| *g == group || *g == feature_of(group))
}

/// The pointers of the selected operations (`/paths/~1orders/post`), in document order.
fn operations(doc: &Value, context: &Context) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                if op.get("operationId").is_some()
                    && group_of(op).is_some_and(|g| selected(context.groups, g))
                {
                    found.push(format!("/paths/{}/{method}", escape(path)));
                }
            }
        }
    }
    found
}

/// The pointers of the selected webhooks' operations (`/x-webhooks/Orders events/post`).
fn webhooks(doc: &Value, context: &Context) -> Vec<String> {
    if !context.groups.contains(&WEBHOOKS_FEATURE) {
        return Vec::new();
    }
    doc.get("x-webhooks")
        .and_then(Value::as_object)
        .map(|hooks| {
            hooks
                .iter()
                .filter(|(_, item)| item.get("post").is_some())
                .map(|(name, _)| format!("/x-webhooks/{}/post", escape(name)))
                .collect()
        })
        .unwrap_or_default()
}

/// The schemas the selected operations and webhooks use.
#[derive(Default)]
struct Schemas {
    /// Every schema object that is not a `$ref`, by pointer, in walking order.
    sites: Vec<String>,
    /// Every `$ref` to `#/components/schemas/...`: the pointer of the reference.
    refs: Vec<String>,
}

fn schemas(doc: &Value, context: &Context) -> Schemas {
    let mut found = Schemas::default();
    let mut seen_components = BTreeSet::new();
    for op in operations(doc, context)
        .into_iter()
        .chain(webhooks(doc, context))
    {
        let node = &doc.pointer(&op).cloned().unwrap_or(Value::Null);
        let mut roots = Vec::new();
        if let Some(params) = node.get("parameters").and_then(Value::as_array) {
            for (i, p) in params.iter().enumerate() {
                if p.get("schema").is_some() {
                    roots.push(format!("{op}/parameters/{i}/schema"));
                }
            }
        }
        for (section, container) in [
            ("requestBody", node.get("requestBody")),
            ("responses", node.get("responses")),
        ] {
            let contents: Vec<(String, &Value)> = match (section, container) {
                ("requestBody", Some(body)) => vec![(format!("{op}/requestBody"), body)],
                ("responses", Some(Value::Object(responses))) => responses
                    .iter()
                    .map(|(status, r)| (format!("{op}/responses/{}", escape(status)), r))
                    .collect(),
                _ => Vec::new(),
            };
            for (at, holder) in contents {
                if let Some(Value::Object(media)) = holder.get("content") {
                    for (kind, m) in media {
                        if m.get("schema").is_some() {
                            roots.push(format!("{at}/content/{}/schema", escape(kind)));
                        }
                    }
                }
            }
        }
        for root in roots {
            walk_schema(doc, &root, &mut found, &mut seen_components);
        }
    }
    found
}

fn walk_schema(doc: &Value, at: &str, found: &mut Schemas, seen: &mut BTreeSet<String>) {
    let Some(node) = doc.pointer(at) else {
        return;
    };
    let Some(map) = node.as_object() else {
        return;
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        if let Some(name) = target.strip_prefix("#/components/schemas/") {
            found.refs.push(at.to_string());
            let component = format!("/components/schemas/{name}");
            if seen.insert(component.clone()) {
                walk_schema(doc, &component, found, seen);
            }
        }
        return;
    }
    found.sites.push(at.to_string());
    if let Some(Value::Object(props)) = map.get("properties") {
        for key in props.keys() {
            walk_schema(
                doc,
                &format!("{at}/properties/{}", escape(key)),
                found,
                seen,
            );
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if map.get(key).is_some_and(Value::is_object) {
            walk_schema(doc, &format!("{at}/{key}"), found, seen);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(members)) = map.get(key) {
            for i in 0..members.len() {
                walk_schema(doc, &format!("{at}/{key}/{i}"), found, seen);
            }
        }
    }
}

fn at<'a>(doc: &'a Value, pointer: &str) -> &'a Value {
    doc.pointer(pointer).unwrap_or(&Value::Null)
}

fn at_mut<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the engine lost its target {pointer}"))
}

/// One of `items`, or `None` when there is none.
fn choose<T: Clone>(rng: &mut Rng, items: &[T]) -> Option<T> {
    (!items.is_empty()).then(|| rng.pick(items).clone())
}

/// The sites whose schema satisfies `keep`.
fn sites_where(doc: &Value, context: &Context, keep: impl Fn(&Value) -> bool) -> Vec<String> {
    schemas(doc, context)
        .sites
        .into_iter()
        .filter(|s| keep(at(doc, s)))
        .collect()
}

fn is_object_schema(node: &Value) -> bool {
    node.get("properties").is_some_and(Value::is_object)
}

fn is_named_kind(node: &Value) -> bool {
    is_object_schema(node)
        || node.get("enum").is_some()
        || node.get("oneOf").is_some()
        || node.get("anyOf").is_some()
}

/// Shuffles `items` so that their order changes (when they are not all equal).
fn shuffle<T: PartialEq + Clone>(rng: &mut Rng, items: &mut [T]) {
    let before = items.to_vec();
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
    if items == before.as_slice() {
        items.rotate_left(1);
    }
}

/// A component name from a schema's title (letters and digits), unique in `components/schemas`.
fn component_name(doc: &Value, schema: &Value) -> String {
    let title: String = schema
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("Evolved")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let base = if title.is_empty() {
        "Evolved".to_string()
    } else {
        title
    };
    let taken = |name: &str| {
        doc.pointer(&format!("/components/schemas/{}", escape(name)))
            .is_some()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

fn components_mut(doc: &mut Value) -> &mut Map<String, Value> {
    let root = doc.as_object_mut().expect("a description is an object");
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("components is an object");
    components
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("components/schemas is an object")
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", escape(name)) })
}

/// Every `$ref` to the component `name` in the whole description, by pointer.
fn references_to(doc: &Value, name: &str) -> Vec<String> {
    let wanted = format!("#/components/schemas/{}", escape(name));
    let mut found = Vec::new();
    fn visit(node: &Value, at: String, wanted: &str, found: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if map.get("$ref").and_then(Value::as_str) == Some(wanted) {
                    found.push(at.clone());
                }
                for (k, v) in map {
                    visit(v, format!("{at}/{}", escape(k)), wanted, found);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    visit(v, format!("{at}/{i}"), wanted, found);
                }
            }
            _ => {}
        }
    }
    visit(doc, String::new(), &wanted, &mut found);
    found
}

fn applied(operator: &'static str, target: String) -> Option<Applied> {
    Some(Applied {
        operator,
        target,
        breaks: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Compatible operators.

/// An inline schema moved into `#/components/schemas`, referenced from its old place.
fn extract_component(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let site = choose(rng, &sites_where(doc, context, is_named_kind))?;
    let schema = at(doc, &site).clone();
    let name = component_name(doc, &schema);
    components_mut(doc).insert(name.clone(), schema);
    *at_mut(doc, &site) = reference(&name);
    applied(
        "extract_component",
        format!("{site} -> #/components/schemas/{name}"),
    )
}

/// A reference to a component replaced by a copy of it (the component removed when nothing
/// refers to it any more).
fn inline_component(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let site = choose(rng, &schemas(doc, context).refs)?;
    let target = at(doc, &site)["$ref"].as_str()?.to_string();
    let name = unescape(target.strip_prefix("#/components/schemas/")?);
    let schema = at(doc, &format!("/components/schemas/{}", escape(&name))).clone();
    *at_mut(doc, &site) = schema;
    if references_to(doc, &name).is_empty() {
        components_mut(doc).remove(&name);
    }
    applied("inline_component", format!("{target} inlined at {site}"))
}

/// A component renamed, with every reference to it.
fn rename_component(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut names: Vec<String> = schemas(doc, context)
        .refs
        .iter()
        .filter_map(|r| at(doc, r)["$ref"].as_str().map(str::to_string))
        .filter_map(|r| r.strip_prefix("#/components/schemas/").map(unescape))
        .collect();
    names.sort();
    names.dedup();
    let old = choose(rng, &names)?;
    let new = format!("{old}Revised");
    let refs = references_to(doc, &old);
    let schemas = components_mut(doc);
    // Rebuilt to keep the component's position.
    let renamed: Map<String, Value> = std::mem::take(schemas)
        .into_iter()
        .map(|(k, v)| if k == old { (new.clone(), v) } else { (k, v) })
        .collect();
    *schemas = renamed;
    for r in refs {
        *at_mut(doc, &r) = reference(&new);
    }
    applied("rename_component", format!("{old} -> {new}"))
}

/// Identical inline object schemas (every copy the selected groups use) made one component.
fn deduplicate(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut copies: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for site in sites_where(doc, context, is_object_schema) {
        let text = serde_json::to_string(at(doc, &site)).ok()?;
        copies.entry(text).or_default().push(site);
    }
    let groups: Vec<Vec<String>> = copies.into_values().filter(|s| s.len() >= 2).collect();
    let sites = choose(rng, &groups)?;
    let schema = at(doc, &sites[0]).clone();
    let name = component_name(doc, &schema);
    components_mut(doc).insert(name.clone(), schema);
    for site in &sites {
        *at_mut(doc, site) = reference(&name);
    }
    applied(
        "deduplicate_into_component",
        format!(
            "{} copies -> #/components/schemas/{name} (first {})",
            sites.len(),
            sites[0]
        ),
    )
}

/// A component referenced from several places replaced by a copy at each; the component
/// removed.
fn split_component(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut names: Vec<String> = schemas(doc, context)
        .refs
        .iter()
        .filter_map(|r| at(doc, r)["$ref"].as_str().map(str::to_string))
        .filter_map(|r| r.strip_prefix("#/components/schemas/").map(unescape))
        .collect();
    names.sort();
    names.dedup();
    names.retain(|n| references_to(doc, n).len() >= 2);
    let name = choose(rng, &names)?;
    let schema = at(doc, &format!("/components/schemas/{}", escape(&name))).clone();
    let refs = references_to(doc, &name);
    for r in &refs {
        *at_mut(doc, r) = schema.clone();
    }
    components_mut(doc).remove(&name);
    applied(
        "split_shared_component",
        format!("{name} -> {} inline copies", refs.len()),
    )
}

fn reorder_properties(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let sites = sites_where(doc, context, |s| {
        s.get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| p.len() >= 2)
    });
    let site = choose(rng, &sites)?;
    let schema = at_mut(doc, &site);
    let props = schema["properties"].as_object_mut()?;
    let mut entries: Vec<(String, Value)> = std::mem::take(props).into_iter().collect();
    let mut keys: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    shuffle(rng, &mut keys);
    entries.sort_by_key(|(k, _)| keys.iter().position(|x| x == k));
    *props = entries.into_iter().collect();
    if let Some(required) = schema.get_mut("required").and_then(Value::as_array_mut) {
        shuffle(rng, required);
    }
    applied("reorder_properties", site)
}

fn reorder_union(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut unions = Vec::new();
    for site in schemas(doc, context).sites {
        for key in ["oneOf", "anyOf"] {
            if at(doc, &site)
                .get(key)
                .and_then(Value::as_array)
                .is_some_and(|m| m.len() >= 2)
            {
                unions.push(format!("{site}/{key}"));
            }
        }
    }
    let union = choose(rng, &unions)?;
    shuffle(rng, at_mut(doc, &union).as_array_mut()?);
    applied("reorder_union_members", union)
}

fn reorder_enum(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let sites = sites_where(doc, context, |s| {
        s.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() >= 2)
    });
    let site = choose(rng, &sites)?;
    shuffle(rng, at_mut(doc, &format!("{site}/enum")).as_array_mut()?);
    applied("reorder_enum_values", site)
}

fn reorder_parameters(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let ops: Vec<String> = operations(doc, context)
        .into_iter()
        .filter(|op| {
            at(doc, op)
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|p| p.len() >= 2)
        })
        .collect();
    let op = choose(rng, &ops)?;
    shuffle(
        rng,
        at_mut(doc, &format!("{op}/parameters")).as_array_mut()?,
    );
    applied("reorder_parameters", op)
}

/// `/users/{user_id}` -> `/users/{id}`: the path (every method of it) and its parameter.
fn rename_path_parameter(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut candidates = Vec::new();
    for op in operations(doc, context) {
        let path = unescape(op.split('/').nth(2)?);
        for segment in path.split('/') {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                candidates.push((path.clone(), name.to_string()));
            }
        }
    }
    candidates.sort();
    candidates.dedup();
    let (path, old) = choose(rng, &candidates)?;
    let new = if path.contains("{id}") {
        format!("{old}_ref")
    } else {
        "id".to_string()
    };
    let new_path = path.replace(&format!("{{{old}}}"), &format!("{{{new}}}"));
    let components = doc.get("components").cloned().unwrap_or(Value::Null);
    let paths = doc.get_mut("paths")?.as_object_mut()?;
    let mut item = paths.get(&path)?.clone();
    // The path-level parameters and every operation's.
    let mut lists: Vec<&mut Value> = Vec::new();
    let item_map = item.as_object_mut()?;
    for (key, value) in item_map.iter_mut() {
        if key == "parameters" {
            lists.push(value);
        } else if METHODS.contains(&key.as_str()) {
            if let Some(params) = value.get_mut("parameters") {
                lists.push(params);
            }
        }
    }
    for list in lists {
        for param in list.as_array_mut()?.iter_mut() {
            // A shared parameter is copied here, renamed.
            if let Some(target) = param.get("$ref").and_then(Value::as_str) {
                let resolved = components
                    .pointer(target.strip_prefix("#/components")?)
                    .cloned()?;
                if resolved["in"] == "path" && resolved["name"] == old.as_str() {
                    *param = resolved;
                }
            }
            if param["in"] == "path" && param["name"] == old.as_str() {
                param["name"] = json!(new);
            }
        }
    }
    let renamed: Map<String, Value> = std::mem::take(paths)
        .into_iter()
        .map(|(k, v)| {
            if k == path {
                (new_path.clone(), item.clone())
            } else {
                (k, v)
            }
        })
        .collect();
    *paths = renamed;
    applied("rename_path_parameter", format!("{path} -> {new_path}"))
}

fn add_optional_field(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let site = choose(rng, &sites_where(doc, context, is_object_schema))?;
    let name = format!("evolved_note_{}", rng.below(100));
    at_mut(doc, &format!("{site}/properties"))
        .as_object_mut()?
        .insert(
            name.clone(),
            json!({"type": "string", "description": "A note."}),
        );
    applied("add_optional_field", format!("{site}/properties/{name}"))
}

fn push_parameter(
    doc: &mut Value,
    rng: &mut Rng,
    context: &Context,
    operator: &'static str,
    parameter: Value,
) -> Option<Applied> {
    let op = choose(rng, &operations(doc, context))?;
    let node = at_mut(doc, &op).as_object_mut()?;
    node.entry("parameters")
        .or_insert_with(|| json!([]))
        .as_array_mut()?
        .push(parameter.clone());
    applied(operator, format!("{op}: {}", parameter["name"]))
}

fn add_optional_query(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let parameter = json!({"name": "evolved_filter", "in": "query", "required": false,
                           "description": "Filters by a new criterion.",
                           "schema": {"type": "string"}});
    push_parameter(doc, rng, context, "add_optional_query_parameter", parameter)
}

fn add_optional_header(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let parameter = json!({"name": "x-evolved-trace", "in": "header", "required": false,
                           "schema": {"type": "string"}});
    push_parameter(doc, rng, context, "add_optional_header", parameter)
}

fn add_enum_value(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let sites = sites_where(doc, context, |s| {
        s.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.iter().all(Value::is_string))
    });
    let site = choose(rng, &sites)?;
    at_mut(doc, &format!("{site}/enum"))
        .as_array_mut()?
        .push(json!("EVOLVED_VALUE"));
    applied("add_enum_value", site)
}

fn add_union_member(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut unions = Vec::new();
    for site in schemas(doc, context).sites {
        let node = at(doc, &site);
        // A discriminated union would need a mapping for the new member too.
        if node.get("discriminator").is_some() {
            continue;
        }
        for key in ["oneOf", "anyOf"] {
            if node.get(key).is_some_and(Value::is_array) {
                unions.push(format!("{site}/{key}"));
            }
        }
    }
    // A union of one member (or of one and `null`) is that member's type: a new member would
    // make a union of it, which no revision can do compatibly.
    unions.retain(|u| {
        at(doc, u).as_array().is_some_and(|members| {
            members
                .iter()
                .filter(|m| {
                    m.get("type") != Some(&json!("null")) && m.get("enum") != Some(&json!([null]))
                })
                .count()
                >= 2
        })
    });
    let union = choose(rng, &unions)?;
    at_mut(doc, &union).as_array_mut()?.push(json!({
        "title": "Evolved member",
        "type": "object",
        "required": ["evolved_kind"],
        "properties": {"evolved_kind": {"type": "string"}, "evolved_count": {"type": "integer"}},
        "additionalProperties": false
    }));
    applied("add_union_member", union)
}

fn add_error_status(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let op = choose(rng, &operations(doc, context))?;
    let responses = at_mut(doc, &format!("{op}/responses")).as_object_mut()?;
    let status = ["409", "410", "412", "418", "423", "451"]
        .into_iter()
        .find(|s| !responses.contains_key(*s))?;
    let model = responses
        .iter()
        .find(|(s, _)| s.starts_with('4'))
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| json!({"description": "An error."}));
    responses.insert(status.to_string(), model);
    applied("add_error_status", format!("{op}/responses/{status}"))
}

/// A new operation on a new path.
fn new_operation(group: &str, id: &str) -> Value {
    json!({"get": {
        "operationId": id,
        "summary": "Lists the notes.",
        "x-doctave-tags": [group],
        "tags": [group],
        "responses": {"200": {"description": "The notes.", "content": {"application/json": {
            "schema": {"title": "Evolved notes", "type": "object",
                       "properties": {"notes": {"type": "array", "items": {"type": "string"}}}}
        }}}}
    }})
}

fn add_operation(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let groups: Vec<&str> = context
        .groups
        .iter()
        .copied()
        .filter(|g| *g != WEBHOOKS_FEATURE)
        .collect();
    let group = choose(rng, &groups)?;
    let id = format!("list_evolved_notes_{}", rng.below(100));
    let path = format!("/evolved/{id}");
    doc.get_mut("paths")?
        .as_object_mut()?
        .insert(path.clone(), new_operation(group, &id));
    applied("add_operation", format!("{path} ({group})"))
}

/// A new resource group (a tag and an operation in it). The selection of the harness does
/// not include it: it must leave the selected groups as they were.
fn add_resource_group(doc: &mut Value, rng: &mut Rng, _context: &Context) -> Option<Applied> {
    let group = format!("Evolved Group {}", rng.below(100));
    let root = doc.as_object_mut()?;
    root.entry("tags")
        .or_insert_with(|| json!([]))
        .as_array_mut()?
        .push(json!({"name": group, "description": "A new group."}));
    let id = format!("list_{}", group.to_lowercase().replace(' ', "_"));
    root.get_mut("paths")?
        .as_object_mut()?
        .insert(format!("/evolved/{id}"), new_operation(&group, &id));
    applied("add_resource_group", group)
}

fn add_webhook_event_type(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let hooks: Vec<String> = webhooks(doc, context)
        .into_iter()
        .map(|w| format!("{w}/requestBody/content/application~1json/schema/properties/type/enum"))
        .filter(|p| doc.pointer(p).is_some_and(Value::is_array))
        .collect();
    let at_enum = choose(rng, &hooks)?;
    let values = at_mut(doc, &at_enum).as_array_mut()?;
    let prefix = values
        .first()
        .and_then(Value::as_str)
        .and_then(|v| v.split_once('.'))
        .map(|(p, _)| p.to_string())
        .unwrap_or_else(|| "EVOLVED".into());
    let value = format!("{prefix}.EVOLVED");
    values.push(json!(value));
    applied("add_webhook_event_type", format!("{at_enum}: {value}"))
}

fn edit_documentation(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut places = schemas(doc, context).sites;
    places.extend(operations(doc, context));
    let place = choose(rng, &places)?;
    let node = at_mut(doc, &place).as_object_mut()?;
    let key = *rng.pick(&["title", "description", "summary"]);
    let what = match (node.get(key).and_then(Value::as_str), rng.chance(50)) {
        (Some(_), true) => {
            node.remove(key);
            format!("{key} removed")
        }
        (Some(text), false) => {
            let changed = format!("{text} (revised)");
            node.insert(key.into(), json!(changed));
            format!("{key} changed")
        }
        (None, _) if key == "summary" => return None,
        (None, _) => {
            node.insert(key.into(), json!("Added in a revision"));
            format!("{key} added")
        }
    };
    applied("edit_documentation", format!("{place}: {what}"))
}

/// A plausible value for a schema, for an example.
fn example_value(schema: &Value) -> Option<Value> {
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some(first.clone());
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("uuid")) => Some(json!("3fa85f64-5717-4562-b3fc-2c963f66afa6")),
        (Some("string"), Some("date-time")) => Some(json!("2021-07-21T14:10:00Z")),
        (Some("string"), Some("date")) => Some(json!("2021-07-21")),
        (Some("string"), None) => Some(json!("evolved")),
        (Some("boolean"), _) => Some(json!(true)),
        (Some("integer"), _) => Some(json!(1)),
        _ => None,
    }
}

/// An example gains a value (an object example a property it lacked, or a scalar schema an
/// example), changes one, or is removed.
fn edit_example(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let sites = schemas(doc, context).sites;
    let with_object_example: Vec<String> = sites
        .iter()
        .filter(|s| {
            let node = at(doc, s);
            node.get("example").is_some_and(Value::is_object) && is_object_schema(node)
        })
        .cloned()
        .collect();
    let with_example: Vec<String> = sites
        .iter()
        .filter(|s| at(doc, s).get("example").is_some())
        .cloned()
        .collect();
    let without: Vec<String> = sites
        .iter()
        .filter(|s| {
            let node = at(doc, s);
            node.get("example").is_none()
                && !is_object_schema(node)
                && example_value(node).is_some()
        })
        .cloned()
        .collect();
    match rng.below(5) {
        3 | 4 => media_example(doc, rng, context),
        0 => {
            let site = choose(rng, &with_object_example)?;
            let node = at(doc, &site).clone();
            let example = node["example"].as_object()?;
            let (name, value) = node["properties"]
                .as_object()?
                .iter()
                .filter(|(k, _)| !example.contains_key(*k))
                .find_map(|(k, v)| Some((k.clone(), example_value(v)?)))?;
            at_mut(doc, &format!("{site}/example"))
                .as_object_mut()?
                .insert(name.clone(), value);
            applied("edit_example", format!("{site}/example gains {name}"))
        }
        1 => {
            let site = choose(rng, &without)?;
            let value = example_value(at(doc, &site))?;
            at_mut(doc, &site)
                .as_object_mut()?
                .insert("example".into(), value);
            applied("edit_example", format!("{site}: example added"))
        }
        _ => {
            let site = choose(rng, &with_example)?;
            at_mut(doc, &site).as_object_mut()?.remove("example");
            applied("edit_example", format!("{site}: example removed"))
        }
    }
}

/// The media types of the selected operations and webhooks with an object `example`.
fn media_examples(doc: &Value, context: &Context) -> Vec<String> {
    let mut found = Vec::new();
    for op in operations(doc, context)
        .into_iter()
        .chain(webhooks(doc, context))
    {
        let mut holders = vec![format!("{op}/requestBody")];
        if let Some(Value::Object(responses)) = at(doc, &op).get("responses") {
            holders.extend(
                responses
                    .keys()
                    .map(|status| format!("{op}/responses/{}", escape(status))),
            );
        }
        for holder in holders {
            if let Some(Value::Object(media)) = at(doc, &holder).get("content") {
                for (kind, m) in media {
                    if m.get("example").is_some_and(Value::is_object)
                        && m.get("schema").is_some_and(is_object_schema)
                    {
                        found.push(format!("{holder}/content/{}", escape(kind)));
                    }
                }
            }
        }
    }
    found
}

/// The objects of an example value with the object schemas they are values of, walked down
/// properties and list items: `(example pointer, schema pointer)`, both relative to the media
/// type.
fn example_objects(
    example: &Value,
    schema: &Value,
    at: (String, String),
    found: &mut Vec<(String, String)>,
) {
    match (example, schema.get("type").and_then(Value::as_str)) {
        (Value::Object(values), _) if is_object_schema(schema) => {
            found.push(at.clone());
            for (name, value) in values {
                if let Some(property) = schema["properties"].get(name) {
                    let token = escape(name);
                    let inner = (
                        format!("{}/{token}", at.0),
                        format!("{}/properties/{token}", at.1),
                    );
                    example_objects(value, property, inner, found);
                }
            }
        }
        (Value::Array(items), Some("array")) => {
            if let (Some(first), Some(item_schema)) = (items.first(), schema.get("items")) {
                let inner = (format!("{}/0", at.0), format!("{}/items", at.1));
                example_objects(first, item_schema, inner, found);
            }
        }
        _ => {}
    }
}

/// A media type's example (at any depth) gains a property it lacked, or shows a value its
/// property's enum does not list (yet): the schema is unchanged.
fn media_example(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let media = choose(rng, &media_examples(doc, context))?;
    let node = at(doc, &media).clone();
    let mut objects = Vec::new();
    let root = ("/example".to_string(), "/schema".to_string());
    example_objects(&node["example"], &node["schema"], root, &mut objects);
    let (example_at, schema_at) = choose(rng, &objects)?;
    let example = node.pointer(&example_at)?.as_object()?;
    let properties = node.pointer(&schema_at)?["properties"].as_object()?;
    let (name, value, what) = if rng.chance(50) {
        let gained: Vec<(String, Value)> = properties
            .iter()
            .filter(|(k, _)| !example.contains_key(*k))
            .filter_map(|(k, v)| Some((k.clone(), example_value(v)?)))
            .collect();
        let (name, value) = choose(rng, &gained)?;
        (name, value, "gains")
    } else {
        let enums: Vec<String> = properties
            .iter()
            .filter(|(k, v)| {
                v.get("enum").is_some() && example.get(*k).is_some_and(Value::is_string)
            })
            .map(|(k, _)| k.clone())
            .collect();
        let name = choose(rng, &enums)?;
        (name, json!("EVOLVED_EXAMPLE_VALUE"), "shows a new value of")
    };
    at_mut(doc, &format!("{media}{example_at}"))
        .as_object_mut()?
        .insert(name.clone(), value);
    applied("edit_example", format!("{media}{example_at} {what} {name}"))
}

fn edit_constraint(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let sites = sites_where(doc, context, |s| {
        matches!(
            s.get("type").and_then(Value::as_str),
            Some("string" | "integer" | "number")
        ) && s.get("enum").is_none()
    });
    let site = choose(rng, &sites)?;
    let node = at_mut(doc, &site).as_object_mut()?;
    let text = node.get("type").and_then(Value::as_str) == Some("string");
    let what = match (text, rng.below(3)) {
        (true, 0) => {
            node.insert("maxLength".into(), json!(255));
            "maxLength 255"
        }
        (true, 1) if node.contains_key("pattern") => {
            node.remove("pattern");
            "pattern removed"
        }
        (true, _) => {
            node.insert("minLength".into(), json!(1));
            "minLength 1"
        }
        (false, 0) => {
            node.insert("minimum".into(), json!(0));
            "minimum 0"
        }
        (false, _) => {
            node.insert("maximum".into(), json!(1_000_000));
            "maximum 1000000"
        }
    };
    applied("edit_constraint", format!("{site}: {what}"))
}

fn deprecate(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut places = operations(doc, context);
    let sites = schemas(doc, context).sites;
    places.extend(sites.into_iter().filter(|s| s.contains("/properties/")));
    let place = choose(rng, &places)?;
    let node = at_mut(doc, &place).as_object_mut()?;
    // A deprecation is added, or one the description has is lifted.
    if node.remove("deprecated") == Some(json!(true)) {
        return applied("deprecate", format!("{place}: deprecation lifted"));
    }
    node.insert("deprecated".into(), json!(true));
    applied("deprecate", place)
}

// ---------------------------------------------------------------------------------------------
// Breaking operators: each edits every place of one named type, or one operation.

/// The named types whose every recorded place satisfies `keep`, with their places as
/// pointers into `doc`.
fn named_types(
    doc: &Value,
    context: &Context,
    keep: impl Fn(&Value) -> bool,
) -> Vec<(String, Vec<String>)> {
    context
        .names
        .types
        .iter()
        .filter_map(|(name, locked)| {
            let places: Vec<String> = locked
                .places
                .iter()
                .map(|p| p.trim_start_matches('#').to_string())
                .collect();
            let all =
                !places.is_empty() && places.iter().all(|p| doc.pointer(p).is_some_and(&keep));
            all.then(|| (name.clone(), places))
        })
        .collect()
}

fn broke(operator: &'static str, target: String, breaks: Breaks) -> Option<Applied> {
    Some(Applied {
        operator,
        target,
        breaks: Some(breaks),
    })
}

/// The property names every place has.
fn common_properties(doc: &Value, places: &[String]) -> Vec<String> {
    let first = at(doc, &places[0])["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    first
        .into_iter()
        .filter(|k| {
            places
                .iter()
                .all(|p| at(doc, p)["properties"].get(k).is_some())
        })
        .collect()
}

fn is_required(node: &Value, field: &str) -> bool {
    node.get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|v| v == field))
}

fn remove_field(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let (name, places) = choose(rng, &named_types(doc, context, is_object_schema))?;
    let field = choose(rng, &common_properties(doc, &places))?;
    for p in &places {
        let node = at_mut(doc, p);
        node["properties"].as_object_mut()?.remove(&field);
        if let Some(required) = node.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|v| v != field.as_str());
        }
    }
    broke(
        "remove_field",
        format!("{name}.{field} ({} places)", places.len()),
        Breaks::Type(name),
    )
}

fn remove_enum_value(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let enums = named_types(doc, context, |s| {
        s.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() >= 2)
    });
    let (name, places) = choose(rng, &enums)?;
    let value = choose(rng, at(doc, &places[0])["enum"].as_array()?)?;
    for p in &places {
        at_mut(doc, &format!("{p}/enum"))
            .as_array_mut()?
            .retain(|v| *v != value);
    }
    broke(
        "remove_enum_value",
        format!("{name}: {value}"),
        Breaks::Type(name),
    )
}

fn make_field_required(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut candidates = Vec::new();
    for (name, places) in named_types(doc, context, is_object_schema) {
        for field in common_properties(doc, &places) {
            if places.iter().all(|p| !is_required(at(doc, p), &field)) {
                candidates.push((name.clone(), places.clone(), field));
            }
        }
    }
    let (name, places, field) = choose(rng, &candidates)?;
    for p in &places {
        let node = at_mut(doc, p).as_object_mut()?;
        node.entry("required")
            .or_insert_with(|| json!([]))
            .as_array_mut()?
            .push(json!(field));
    }
    broke(
        "make_optional_field_required",
        format!("{name}.{field}"),
        Breaks::Type(name),
    )
}

fn add_required_request_field(
    doc: &mut Value,
    rng: &mut Rng,
    context: &Context,
) -> Option<Applied> {
    let requests: Vec<(String, Vec<String>)> = named_types(doc, context, is_object_schema)
        .into_iter()
        // An operation's request body (a webhook's payload is a request body too, but users
        // read it).
        .filter(|(_, places)| {
            places
                .iter()
                .all(|p| p.starts_with("/paths/") && p.contains("/requestBody/"))
        })
        .collect();
    let (name, places) = choose(rng, &requests)?;
    for p in &places {
        let node = at_mut(doc, p).as_object_mut()?;
        node.get_mut("properties")?
            .as_object_mut()?
            .insert("evolved_consent".into(), json!({"type": "string"}));
        node.entry("required")
            .or_insert_with(|| json!([]))
            .as_array_mut()?
            .push(json!("evolved_consent"));
    }
    broke(
        "add_required_request_field",
        format!("{name}.evolved_consent"),
        Breaks::Type(name),
    )
}

fn change_field_type(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let mut candidates = Vec::new();
    for (name, places) in named_types(doc, context, is_object_schema) {
        for field in common_properties(doc, &places) {
            let scalar = places.iter().all(|p| {
                let property = &at(doc, p)["properties"][&field];
                property.get("enum").is_none()
                    && matches!(
                        property.get("type").and_then(Value::as_str),
                        Some("string" | "boolean" | "integer" | "number")
                    )
            });
            if scalar {
                candidates.push((name.clone(), places.clone(), field));
            }
        }
    }
    let (name, places, field) = choose(rng, &candidates)?;
    let was = at(doc, &places[0])["properties"][&field]["type"].clone();
    let now = if was == "boolean" {
        "string"
    } else {
        "boolean"
    };
    for p in &places {
        at_mut(doc, p)["properties"][&field] = json!({"type": now});
    }
    broke(
        "change_field_type",
        format!("{name}.{field}: {} -> {now}", was.as_str().unwrap_or("?")),
        Breaks::Type(name),
    )
}

fn operation_id(doc: &Value, op: &str) -> String {
    at(doc, op)["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn remove_operation(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let op = choose(rng, &operations(doc, context))?;
    let id = operation_id(doc, &op);
    let (item, method) = op.rsplit_once('/')?;
    at_mut(doc, item).as_object_mut()?.remove(method);
    broke("remove_operation", id.clone(), Breaks::Operation(id))
}

fn rename_operation_id(doc: &mut Value, rng: &mut Rng, context: &Context) -> Option<Applied> {
    let op = choose(rng, &operations(doc, context))?;
    let id = operation_id(doc, &op);
    let new = format!("{id}_v2");
    at_mut(doc, &op)["operationId"] = json!(new);
    broke(
        "rename_operation_id",
        format!("{id} -> {new}"),
        Breaks::Operation(id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/users/{user_id}": {
                    "parameters": [{"name": "user_id", "in": "path", "required": true,
                                    "schema": {"type": "string"}}],
                    "get": {
                        "operationId": "get_user", "tags": ["Users"],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {
                            "schema": {"title": "User", "type": "object",
                                       "properties": {"a": {"type": "string"},
                                                      "b": {"type": "string", "enum": ["X", "Y"]}}}
                        }}}}
                    }
                },
                "/other": {"get": {"operationId": "other", "tags": ["Other"], "responses": {}}}
            }
        })
    }

    #[test]
    fn targets_are_in_the_selected_groups_and_runs_repeat() {
        let names = NameLock::default();
        let context = Context {
            groups: &["Users"],
            names: &names,
        };
        let ops = operations(&tiny(), &context);
        assert_eq!(ops, vec!["/paths/~1users~1{user_id}/get".to_string()]);
        let one = compatible_combination(&tiny(), &context, 7, 3);
        let two = compatible_combination(&tiny(), &context, 7, 3);
        assert_eq!(one.0, two.0);
        assert!(!one.1.is_empty());
    }

    #[test]
    fn a_path_parameter_is_renamed_in_the_path_and_its_parameter() {
        let names = NameLock::default();
        let context = Context {
            groups: &["Users"],
            names: &names,
        };
        let mut doc = tiny();
        let done = rename_path_parameter(&mut doc, &mut Rng::new(1), &context).unwrap();
        assert_eq!(done.target, "/users/{user_id} -> /users/{id}");
        assert_eq!(doc["paths"]["/users/{id}"]["parameters"][0]["name"], "id");
        assert!(doc["paths"].get("/users/{user_id}").is_none());
    }

    #[test]
    fn a_breaking_edit_changes_every_place_of_its_type() {
        let mut doc = tiny();
        let copy = doc["paths"]["/users/{user_id}"]["get"].clone();
        doc["paths"]["/users/{user_id}"]["post"] = copy;
        doc["paths"]["/users/{user_id}"]["post"]["operationId"] = json!("post_user");
        let schema = "/content/application~1json/schema";
        let places = ["get", "post"]
            .map(|m| format!("#/paths/~1users~1{{user_id}}/{m}/responses/200{schema}"));
        let names = NameLock::new(BTreeMap::from([(
            "User".to_string(),
            upvest_sdk_generator::lock::LockedType {
                places: places.to_vec(),
                members: vec!["a".into(), "b".into()],
                ..Default::default()
            },
        )]));
        let context = Context {
            groups: &["Users"],
            names: &names,
        };
        let done = remove_field(&mut doc, &mut Rng::new(3), &context).unwrap();
        assert_eq!(done.breaks, Some(Breaks::Type("User".into())));
        let left: Vec<usize> = places
            .iter()
            .map(|p| {
                at(&doc, &format!("{}/properties", &p[1..]))
                    .as_object()
                    .unwrap()
                    .len()
            })
            .collect();
        assert_eq!(left, vec![1, 1], "{}", done.target);
    }

    #[test]
    fn extracting_then_inlining_gives_the_description_back() {
        let names = NameLock::default();
        let context = Context {
            groups: &["Users"],
            names: &names,
        };
        let mut doc = tiny();
        let mut rng = Rng::new(5);
        while !extract_component(&mut doc, &mut rng, &context)
            .unwrap()
            .target
            .ends_with("/User")
        {
            doc = tiny();
        }
        assert_eq!(
            doc["paths"]["/users/{user_id}"]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"]["$ref"],
            "#/components/schemas/User"
        );
        inline_component(&mut doc, &mut rng, &context).unwrap();
        let mut expected = tiny();
        expected["components"] = json!({"schemas": {}});
        assert_eq!(doc, expected);
    }
}
