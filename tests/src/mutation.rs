//! The mutation engine of the robustness tests (`tests/tests/generator/robustness.rs`): descriptions
//! mutated by a seeded PRNG (nodes deleted, retyped, renamed, duplicated; `$ref`s to odd targets;
//! empty and self-referencing compositions; odd names and path templates; truncated and corrupted
//! bytes), the whole in-memory pipeline run on each mutant, and the verdict: it generates (syn
//! has then parsed every Rust file) or it fails with an error that starts with the file's label
//! and names a place in the description. An error the templates or syn raise is a generator bug,
//! whatever the input; so is a panic. Mutants are deterministic (from the seed, the file and the
//! mutant's index).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;

use serde_json::{json, Map, Value};
use upvest_sdk_generator::{generate_from, load, Error, GroupSelection, Options};

pub const SEED: u64 = 0x005e_ed0f_0a11_0ca7;
/// Mutants per small description: structural ones, then byte-level ones. A mutant that
/// generates costs most (~80 ms in a debug build, formatting the runtime files), so the counts
/// keep the default run to about half a minute on two cores.
pub const STRUCTURAL_PER_FILE: u64 = 100;
pub const BYTES_PER_FILE: u64 = 50;
/// Mutants of Upvest's whole description: each generation of it takes seconds in debug builds.
pub const WHOLE_STRUCTURAL: u64 = 6;

/// `ROBUSTNESS_SEED` and `ROBUSTNESS_SCALE` (a multiplier of the counts) explore further than
/// the default run, e.g. `ROBUSTNESS_SCALE=20 cargo test --release --test generator robustness`.
pub fn seed() -> u64 {
    env_number("ROBUSTNESS_SEED").unwrap_or(SEED)
}

pub fn scaled(count: u64) -> u64 {
    count * env_number("ROBUSTNESS_SCALE").unwrap_or(1)
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={text} is not a number")))
}

// ---------------------------------------------------------------------------------------------
// The PRNG: splitmix64, so runs are reproducible from the seed without a crate.

/// splitmix64: a small seeded PRNG, also used by the evolution engine (`crate::evolution`).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A seed per description and mutant, so a mutant is the same whatever ran before it.
fn seed_for(label: &str, kind: u64, index: u64) -> u64 {
    let fnv = label.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = Rng::new(seed() ^ fnv ^ kind.wrapping_mul(0x9e37_79b9) ^ (index << 20));
    rng.next_u64()
}

// ---------------------------------------------------------------------------------------------
// Ingredients: the odd values mutations put into descriptions.

/// Names that stress the conversion to Rust identifiers and the templates' text.
fn odd_strings() -> Vec<String> {
    let mut odd: Vec<String> = [
        "",
        " ",
        "-",
        "_",
        "__",
        "0",
        "1st",
        "123",
        "type",
        "self",
        "Self",
        "super",
        "crate",
        "r#type",
        "fn",
        "async",
        "Unknown",
        "Option",
        "Vec",
        "Result",
        "default",
        "Default",
        "ü",
        "größe",
        "日本語",
        "😀",
        "é-é",
        "a\nb",
        "a\r\nb",
        "\r",
        "\t",
        "line\u{2028}break",
        "\u{feff}bom",
        "\u{7f}",
        "\"",
        "'",
        "\\",
        "`",
        "}",
        "{",
        "{}",
        "{{ x }}",
        "{% if %}",
        "*/",
        "/*",
        "//",
        "///",
        "#",
        "#!",
        "[x]",
        "[a](/b)",
        "<b>",
        "https://x.y/(z",
        "a b.c-d",
        "accept",
        "limit",
        "offset",
        "idempotency-key",
        "authorization",
        "data",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    odd.push("x".repeat(300));
    odd.push("Ab".repeat(100));
    odd
}

/// Path templates: empty, unbalanced, repeated or odd parameters.
const ODD_PATHS: &[&str] = &[
    "",
    "/",
    "//",
    "noslash",
    "/a/{",
    "/a/}",
    "/a/{b",
    "/a/b}",
    "/{}",
    "/{ }",
    "/{-}",
    "/a/{b}{c}",
    "/a/{b}/{b}",
    "/a/{b}x",
    "/a/{{b}}",
    "/a/{type}",
    "/a/{self}",
    "/{1}",
    "/a b/ü",
    "/users/{user_id}",
    "/users/{user_id}/identifiers/{identifier_id}",
];

/// `$ref` targets: missing, the whole document, non-schemas, odd spellings, not strings.
fn odd_ref_targets() -> Vec<Value> {
    let strings = [
        "#",
        "#/",
        "#/paths",
        "#/info",
        "#/openapi",
        "#/components",
        "#/components/schemas",
        "#/components/schemas/X",
        "#/components/schemas/X/properties",
        "#/components/schemas/Missing",
        "#/paths/~1users/get",
        "#/x-webhooks",
        "#//",
        "#/~",
        "#/~2",
        "#/a~1b",
        "#/0",
        "#/servers/0",
        "#/servers/99",
        "",
        "x",
        "other.yaml",
        "other.yaml#/Foo",
        "http://example.com/s.yaml#/x",
        "#/components/schemas/日本",
    ];
    let mut targets: Vec<Value> = strings.iter().map(|s| json!(s)).collect();
    targets.extend([json!(null), json!(1), json!([]), json!({}), json!(true)]);
    targets
}

/// OpenAPI and JSON Schema keywords a mutation may set (or rename a key to).
const KEYWORDS: &[&str] = &[
    "type",
    "format",
    "enum",
    "required",
    "items",
    "properties",
    "additionalProperties",
    "nullable",
    "discriminator",
    "title",
    "description",
    "summary",
    "operationId",
    "in",
    "name",
    "schema",
    "content",
    "responses",
    "requestBody",
    "parameters",
    "x-doctave-tags",
    "tags",
    "security",
    "x-webhooks",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "example",
    "examples",
    "default",
    "deprecated",
    "servers",
    "components",
    "schemas",
    "get",
    "post",
    "patch",
    "$ref",
    "200",
    "201",
    "204",
    "2XX",
    "404",
    "999",
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "pattern",
    "minimum",
    "readOnly",
    "style",
    "explode",
    "value",
    "propertyName",
    "mapping",
];

/// Values a mutation may put anywhere: every JSON type, and small OpenAPI-shaped objects.
fn values() -> Vec<Value> {
    let mut pool = vec![
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(-1),
        json!(3.5),
        json!(1e300),
        json!(i64::MAX),
        json!(u64::MAX),
        json!([]),
        json!({}),
        json!(["A", "A"]),
        json!(["Unknown", "unknown", "UNKNOWN"]),
        json!(["", "-", "+", "1"]),
        json!([null]),
        json!([1, 2]),
        json!([[]]),
        json!({"type": "string"}),
        json!({"type": "string", "enum": []}),
        json!({"type": "string", "format": "uuid"}),
        json!({"type": "integer", "format": "int32"}),
        json!({"type": "object"}),
        json!({"type": "object", "properties": {}}),
        json!({"type": "object", "properties": {"": {"type": "string"}}}),
        json!({"type": "object", "properties": {"a": {}}, "required": ["b"]}),
        json!({"type": "object", "additionalProperties": true}),
        json!({"type": "object", "additionalProperties": {"$ref": "#/"}}),
        json!({"type": "array"}),
        json!({"type": "array", "items": {}}),
        json!({"type": "null"}),
        json!({"type": ["string", "null"]}),
        json!({"not": {}}),
        json!({"$ref": "#"}),
        json!({"propertyName": "type", "mapping": {"a": "#/x", "": "#"}}),
        json!({"propertyName": ""}),
        json!({"in": "path", "name": "x"}),
        json!({"in": "path", "name": "user_id", "required": true, "schema": {"type": "string"}}),
        json!({"in": "cookie", "name": "c", "schema": {"type": "string"}}),
        json!({"in": "header", "name": "Authorization", "schema": {"type": "string"}}),
        json!({"in": "header", "name": "accept", "schema": {"type": "string", "enum": ["a"]}}),
        json!({"in": "header", "name": "accept", "schema": {"type": "string",
            "enum": ["application/json", "text/csv; q=1", "ü", "1", "", "application/pdf",
                     "Application/PDF", "a\nb"]}}),
        json!({"in": "query", "name": "limit", "schema": {"type": "integer"}}),
        json!({"in": "query", "name": "q", "content": {"application/json": {}}}),
        json!({"application/json": {}}),
        json!({"text/plain": {"schema": {"type": "string"}}}),
        json!({"200": {"description": "x"}}),
        json!({"default": {"description": ""}}),
        json!({"content": {}}),
        json!({"description": "d", "content": {"application/json": {"schema": {}}}}),
        json!({"post": {"operationId": "x"}}),
        json!({"get": {"operationId": "dup", "responses": {}}}),
        json!({"oAuth": ["users:read"]}),
        json!([{"oAuth": []}]),
    ];
    pool.extend(odd_strings().into_iter().map(Value::String));
    pool
}

// ---------------------------------------------------------------------------------------------
// Addressing nodes of the tree.

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

type NodePath = Vec<Step>;

/// Every node's path, the root first, in document order.
fn all_paths(doc: &Value) -> Vec<NodePath> {
    let mut found = Vec::new();
    collect_paths(doc, &mut Vec::new(), &mut found);
    found
}

fn collect_paths(node: &Value, at: &mut NodePath, found: &mut Vec<NodePath>) {
    found.push(at.clone());
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                at.push(Step::Key(key.clone()));
                collect_paths(child, at, found);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push(Step::Index(index));
                collect_paths(child, at, found);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(doc: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(key)) => map.get_mut(key),
        (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}

fn node<'a>(doc: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Key(key)) => map.get(key),
        (Value::Array(items), Step::Index(index)) => items.get(*index),
        _ => None,
    })
}

/// The `#/a/b~1c` pointer of a path, as `$ref`s and messages spell it.
fn pointer(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        match step {
            Step::Key(key) => {
                let _ = write!(out, "/{}", key.replace('~', "~0").replace('/', "~1"));
            }
            Step::Index(index) => {
                let _ = write!(out, "/{index}");
            }
        }
    }
    out
}

/// A random path among those `keep` accepts, if any.
fn pick_path<'a>(
    rng: &mut Rng,
    paths: &'a [NodePath],
    doc: &Value,
    keep: impl Fn(&NodePath, &Value) -> bool,
) -> Option<&'a NodePath> {
    let candidates: Vec<&NodePath> = paths
        .iter()
        .filter(|p| node(doc, p).is_some_and(|n| keep(p, n)))
        .collect();
    (!candidates.is_empty()).then(|| *rng.pick(&candidates))
}

// ---------------------------------------------------------------------------------------------
// Structural mutations. Each returns what it did, or `None` when the document has no place for
// it (another is then tried).

type Mutation = fn(&mut Value, &[NodePath], &mut Rng) -> Option<String>;

const MUTATIONS: &[Mutation] = &[
    delete_node,
    retype_node,
    rename_key,
    duplicate_subtree,
    inject_ref,
    odd_composition,
    odd_string,
    odd_path,
    set_keyword,
    public_idiom,
];

fn delete_node(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |p, _| !p.is_empty())?.clone();
    let (last, parent) = path.split_last()?;
    match (node_mut(doc, parent)?, last) {
        (Value::Object(map), Step::Key(key)) => {
            map.shift_remove(key);
        }
        (Value::Array(items), Step::Index(index)) => {
            items.remove(*index);
        }
        _ => return None,
    }
    Some(format!("delete {}", pointer(&path)))
}

/// Replaces a node with a value of another JSON type.
fn retype_node(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    // The root too: a document that is not a mapping.
    let path = pick_path(rng, paths, doc, |_, _| true)?.clone();
    let target = node_mut(doc, &path)?;
    let others: Vec<Value> = [
        json!(null),
        json!(7),
        json!(-0.5),
        json!("text"),
        json!(true),
        json!([]),
        json!({}),
    ]
    .into_iter()
    .filter(|v| std::mem::discriminant(v) != std::mem::discriminant(target))
    .collect();
    let value = rng.pick(&others).clone();
    let what = format!("retype {} to {value}", pointer(&path));
    *target = value;
    Some(what)
}

/// Renames a mapping key to an odd name or another keyword, keeping its place.
fn rename_key(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |p, _| {
        matches!(p.last(), Some(Step::Key(_)))
    })?
    .clone();
    let (Step::Key(old), parent) = path.split_last()? else {
        return None;
    };
    let new = if rng.chance(50) {
        rng.pick(&odd_strings()).clone()
    } else {
        rng.pick(KEYWORDS).to_string()
    };
    let Value::Object(map) = node_mut(doc, parent)? else {
        return None;
    };
    *map = rename_in(std::mem::take(map), old, &new);
    Some(format!("rename {} to {new:?}", pointer(&path)))
}

fn rename_in(map: Map<String, Value>, old: &str, new: &str) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| {
            if k == old {
                (new.to_string(), v)
            } else {
                (k, v)
            }
        })
        .collect()
}

/// Copies a subtree into another mapping or list (or over another node).
fn duplicate_subtree(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let source = pick_path(rng, paths, doc, |p, _| !p.is_empty())?.clone();
    let copy = node(doc, &source)?.clone();
    let dest = pick_path(rng, paths, doc, |_, _| true)?.clone();
    let key = match source.last() {
        Some(Step::Key(k)) if rng.chance(70) => k.clone(),
        _ => rng.pick(&odd_strings()).clone(),
    };
    match node_mut(doc, &dest)? {
        Value::Object(map) => {
            map.insert(key, copy);
        }
        Value::Array(items) => items.push(copy),
        other => *other = copy,
    }
    Some(format!("copy {} into {}", pointer(&source), pointer(&dest)))
}

/// A `$ref` beside a node's other keys, or instead of the node: missing, odd, or cyclic targets.
fn inject_ref(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |p, n| n.is_object() && !p.is_empty())?.clone();
    let target = match rng.below(3) {
        0 => rng.pick(&odd_ref_targets()).clone(),
        // Itself or an ancestor: a cycle.
        1 => json!(pointer(&path[..rng.below(path.len() + 1)])),
        _ => json!(pointer(&paths[rng.below(paths.len())])),
    };
    let what = format!("$ref {target} at {}", pointer(&path));
    let replace = rng.chance(50);
    let Value::Object(map) = node_mut(doc, &path)? else {
        return None;
    };
    if replace {
        map.clear();
    }
    map.insert("$ref".into(), target);
    Some(what)
}

/// `oneOf`/`allOf`/`anyOf` empty, self-referencing, of nulls, or not a list.
fn odd_composition(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |p, n| n.is_object() && !p.is_empty())?.clone();
    let keyword = *rng.pick(&["oneOf", "allOf", "anyOf"]);
    let own = pointer(&path);
    let parent = pointer(&path[..path.len() - 1]);
    let choices = [
        json!([]),
        json!([{"$ref": own}]),
        json!([{"$ref": own}, {"type": "string"}]),
        json!([{"$ref": parent}]),
        json!([{}]),
        json!([{}, {}]),
        json!([{"type": "null"}]),
        json!([{"type": "null"}, {"type": "null"}]),
        json!([{"type": "string"}, {"type": "null"}]),
        json!([null]),
        json!("notalist"),
        json!([{"type": "string"}, {"type": "object", "properties": {"a": {"type": "string"}}}]),
        json!([{"type": "string"}, {"type": "string"}]),
        json!([{"type": "object"}, {"type": "array"}]),
    ];
    let value = rng.pick(&choices).clone();
    let what = format!("{keyword}: {value} at {own}");
    let with_discriminator = rng.chance(20);
    let Value::Object(map) = node_mut(doc, &path)? else {
        return None;
    };
    map.insert(keyword.into(), value);
    if with_discriminator {
        map.insert(
            "discriminator".into(),
            json!({"propertyName": "type", "mapping": {"x": own, "": "#"}}),
        );
    }
    Some(what)
}

/// A string value (a name, title, description, operationId...) replaced by an odd one.
fn odd_string(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |_, n| n.is_string())?.clone();
    let value = rng.pick(&odd_strings()).clone();
    *node_mut(doc, &path)? = Value::String(value.clone());
    Some(format!("string {} = {value:?}", pointer(&path)))
}

/// A path template replaced by an empty, unbalanced or odd one.
fn odd_path(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |p, _| {
        p.len() == 2 && p[0] == Step::Key("paths".into())
    })?
    .clone();
    let Step::Key(old) = &path[1] else {
        return None;
    };
    let new = *rng.pick(ODD_PATHS);
    let Value::Object(map) = doc.get_mut("paths")? else {
        return None;
    };
    *map = rename_in(std::mem::take(map), old, new);
    Some(format!("path {old:?} renamed {new:?}"))
}

/// Sets a keyword on a mapping to any value: the odd combinations are the point.
fn set_keyword(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |_, n| n.is_object())?.clone();
    let key = *rng.pick(KEYWORDS);
    let value = rng.pick(&values()).clone();
    let what = format!("set {}/{key} = {value}", pointer(&path));
    let Value::Object(map) = node_mut(doc, &path)? else {
        return None;
    };
    map.insert(key.into(), value);
    Some(what)
}

/// An idiom of large public descriptions, or an OpenAPI 3.1 keyword, written into a schema-like
/// node (one with `type`, `$ref` or `properties`): the nullable reference to an enclosing
/// component (a recursive schema), `allOf`s of scalars, type lists, `const`, `examples` lists,
/// numeric exclusive bounds, `$ref`s with siblings, encodings and tuples; sometimes the document
/// is declared 3.1 so that the 3.1 reading applies.
fn public_idiom(doc: &mut Value, paths: &[NodePath], rng: &mut Rng) -> Option<String> {
    let path = pick_path(rng, paths, doc, |p, n| {
        !p.is_empty()
            && n.as_object().is_some_and(|m| {
                m.contains_key("type") || m.contains_key("$ref") || m.contains_key("properties")
            })
    })?
    .clone();
    // The component the node is in (`#/components/schemas/X`), else the node itself.
    let enclosing = match path.as_slice() {
        [Step::Key(c), Step::Key(s), Step::Key(_), ..] if c == "components" && s == "schemas" => {
            pointer(&path[..3])
        }
        _ => pointer(&path),
    };
    let choices = [
        json!({"allOf": [{"$ref": enclosing}], "nullable": true, "description": "parent"}),
        json!({"allOf": [{"$ref": enclosing}], "description": "same"}),
        json!({"allOf": [{"$ref": enclosing}, {"properties": {"x": {"type": "string"}}}]}),
        json!({"allOf": [{"$ref": enclosing}, {"type": "string", "nullable": true}]}),
        json!({"allOf": [{"type": "integer"}, {"type": "number", "description": "n"}]}),
        json!({"allOf": [{"type": "integer"}, {"type": "string"}]}),
        json!({"allOf": [{"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}]}),
        json!({"allOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "uuid"}]}),
        json!({"type": ["string", "null"]}),
        json!({"type": ["string", "integer", "null"], "format": "int32"}),
        json!({"type": ["null"]}),
        json!({"type": []}),
        json!({"type": ["object", "array"], "items": {"$ref": enclosing}}),
        json!({"const": "fixed"}),
        json!({"const": {"a": [1]}}),
        json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": "x"}),
        json!({"type": "string", "examples": ["a", 1, null]}),
        json!({"$ref": enclosing, "description": "d", "maxLength": 3}),
        json!({"$ref": enclosing, "nullable": true}),
        json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"}),
        json!({"type": "array", "prefixItems": [{"$ref": enclosing}, {"type": "string"}]}),
        json!({"type": "array", "prefixItems": "x"}),
        json!(true),
        json!(false),
    ];
    let value = rng.pick(&choices).clone();
    let what = format!("idiom {value} at {}", pointer(&path));
    *node_mut(doc, &path)? = value;
    if rng.chance(50) {
        if let Some(map) = doc.as_object_mut() {
            map.insert("openapi".into(), json!("3.1.0"));
        }
        return Some(format!("{what}, as OpenAPI 3.1"));
    }
    Some(what)
}

/// One to three structural mutations; what was done, for the report.
fn mutate_structure(doc: &mut Value, rng: &mut Rng, max: usize) -> String {
    let wanted = 1 + rng.below(max);
    let mut done = Vec::new();
    for _ in 0..wanted * 8 {
        if done.len() == wanted {
            break;
        }
        let paths = all_paths(doc);
        let mutation = *rng.pick(MUTATIONS);
        done.extend(mutation(doc, &paths, rng));
    }
    done.join("; ")
}

// ---------------------------------------------------------------------------------------------
// Byte-level mutations of the YAML text, for the YAML parser and the line lookup.

fn mutate_bytes(text: &str, rng: &mut Rng) -> (String, String) {
    let mut bytes = text.as_bytes().to_vec();
    let at = rng.below(bytes.len().max(1));
    let what = match rng.below(6) {
        0 => {
            bytes.truncate(at);
            format!("truncate at byte {at}")
        }
        1 => {
            let flips = 1 + rng.below(4);
            for _ in 0..flips {
                let i = rng.below(bytes.len().max(1));
                if let Some(b) = bytes.get_mut(i) {
                    *b ^= 1 << rng.below(8);
                }
            }
            format!("{flips} bit flip(s) from byte {at}")
        }
        2 => {
            let inserted = *rng.pick(&[
                ":", "-", "[", "{", "]", "}", "&a", "*a", "!!", "\t", "\"", "'", "#", "|", ">",
                "? ", "\n", "  ", "%", "@", "\u{0}", "\u{ff}",
            ]);
            bytes.splice(at..at, inserted.bytes());
            format!("insert {inserted:?} at byte {at}")
        }
        3 => {
            let end = (at + 1 + rng.below(40)).min(bytes.len());
            bytes.drain(at.min(end)..end);
            format!("delete bytes {at}..{end}")
        }
        4 => {
            let line = line_start(&bytes, at);
            let indent = *rng.pick(&[" ", "  ", "\t", "- "]);
            bytes.splice(line..line, indent.bytes());
            format!("indent the line at byte {line}")
        }
        _ => {
            let line = line_start(&bytes, at);
            let end = bytes[line..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| line + i + 1);
            let copy = bytes[line..end].to_vec();
            bytes.splice(end..end, copy);
            format!("duplicate the line at byte {line}")
        }
    };
    (String::from_utf8_lossy(&bytes).into_owned(), what)
}

fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

// ---------------------------------------------------------------------------------------------
// Running the pipeline on a mutant and judging the outcome.

thread_local! {
    /// While set, panics on this thread are recorded here instead of printed.
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records the panics of mutants, and prints all others.
fn capture_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let recorded = CAPTURED.with(|slot| match slot.try_borrow_mut() {
                Ok(mut slot) if slot.is_some() => {
                    *slot = Some(info.to_string());
                    true
                }
                _ => false,
            });
            if !recorded {
                default(info);
            }
        }));
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Generated,
    Rejected,
}

/// Runs load, validate, lower, render and format on `text`: the outcome, or what is wrong.
pub fn run_pipeline(label: &str, text: String) -> Result<Outcome, String> {
    CAPTURED.with(|slot| *slot.borrow_mut() = Some(String::new()));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let spec = load::parse(Path::new(label), text)?;
        let options = Options {
            spec: Path::new(label),
            spec_label: label,
            groups: GroupSelection::All,
        };
        generate_from(&spec, &options)
    }));
    let panic = CAPTURED.with(|slot| slot.borrow_mut().take());
    match result {
        Err(_) => Err(format!("panicked: {}", panic.unwrap_or_default())),
        Ok(Ok(files)) if files.is_empty() => Err("generated no files".into()),
        Ok(Ok(_)) => Ok(Outcome::Generated),
        Ok(Err(error)) => judge_error(label, &error).map(|()| Outcome::Rejected),
    }
}

/// An error must name the file (and, for the description's faults, a JSON pointer); one from
/// the templates or syn is a generator bug whatever the input.
fn judge_error(label: &str, error: &Error) -> Result<(), String> {
    let text = error.to_string();
    if text.is_empty() || !text.starts_with(label) {
        return Err(format!("error does not start with the file label: {text}"));
    }
    match error {
        Error::Yaml { location, .. }
        | Error::Shape { location, .. }
        | Error::UnresolvedRef { location, .. }
        | Error::Invalid { location, .. }
            if location.pointer.starts_with('#') =>
        {
            Ok(())
        }
        _ => Err(format!("not an error about the description: {text}")),
    }
}

/// One mutant's verdict, for the tally and the failure report.
pub struct Verdict {
    pub outcome: Result<Outcome, String>,
    pub what: String,
    pub text: String,
}

/// The structural mutant `index` of `doc`, as YAML text.
pub fn structural_mutant(doc: &Value, label: &str, index: u64, max: usize) -> (String, String) {
    let mut rng = Rng::new(seed_for(label, 0, index));
    let mut mutant = doc.clone();
    let what = mutate_structure(&mut mutant, &mut rng, max);
    let text = serde_yaml::to_string(&mutant).expect("a JSON tree is valid YAML");
    (text, what)
}

pub fn byte_mutant(source: &str, label: &str, index: u64) -> (String, String) {
    let mut rng = Rng::new(seed_for(label, 1, index));
    mutate_bytes(source, &mut rng)
}

/// Runs `jobs` on all cores (each job builds and judges one mutant), in index order.
pub fn run_all(jobs: u64, job: impl Fn(u64) -> Verdict + Sync) -> Vec<Verdict> {
    capture_panics();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let job = &job;
    let mut verdicts: Vec<(u64, Verdict)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    (worker..jobs)
                        .step_by(workers as usize)
                        .map(|i| (i, job(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("mutant workers catch their panics"))
            .collect()
    });
    verdicts.sort_by_key(|(i, _)| *i);
    verdicts.into_iter().map(|(_, v)| v).collect()
}

/// Counts, and the failures (each mutant saved in a folder, for minimizing) as one message.
pub struct Tally {
    saved_in: PathBuf,
    tried: usize,
    generated: usize,
    rejected: usize,
    failures: Vec<String>,
}

impl Tally {
    /// A tally that saves each failing mutant in `saved_in`.
    pub fn new(saved_in: PathBuf) -> Self {
        Self {
            saved_in,
            tried: 0,
            generated: 0,
            rejected: 0,
            failures: Vec::new(),
        }
    }

    /// Runs `count` mutants of `label` through the pipeline (on all cores, [`run_all`]), each
    /// `mutant(index)` giving its text and what was mutated, and adds their verdicts under
    /// `kind`.
    pub fn run(
        &mut self,
        label: &str,
        kind: &str,
        count: u64,
        mutant: impl Fn(u64) -> (String, String) + Sync,
    ) {
        let verdicts = run_all(count, |i| {
            let (text, what) = mutant(i);
            let outcome = run_pipeline(label, text.clone());
            Verdict {
                outcome,
                what,
                text,
            }
        });
        for (index, verdict) in verdicts.into_iter().enumerate() {
            self.add(label, kind, index, verdict);
        }
    }

    pub fn add(&mut self, label: &str, kind: &str, index: usize, verdict: Verdict) {
        self.tried += 1;
        match verdict.outcome {
            Ok(Outcome::Generated) => self.generated += 1,
            Ok(Outcome::Rejected) => self.rejected += 1,
            Err(problem) => {
                let saved = save_failure(&self.saved_in, label, kind, index, &verdict.text);
                self.failures.push(format!(
                    "{label} {kind} mutant {index} ({}), saved as {}:\n  {problem}",
                    verdict.what,
                    saved.display()
                ));
            }
        }
    }

    /// Prints the counts; fails with every failing mutant, if any.
    pub fn report(&self, name: &str) {
        println!(
            "{name}: {} mutants tried, {} generated, {} rejected with an error, {} failed",
            self.tried,
            self.generated,
            self.rejected,
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} of {} mutants (seed {:#x}) broke the standard:\n{}",
            self.failures.len(),
            self.tried,
            seed(),
            self.failures.join("\n")
        );
    }
}

fn save_failure(dir: &Path, label: &str, kind: &str, index: usize, text: &str) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let stem = label.replace(['/', '.'], "_");
    let path = dir.join(format!("{stem}-{kind}-{index}.yaml"));
    let _ = std::fs::write(&path, text);
    path
}
