//! Stage 4, render: the model goes through the minijinja templates in `templates/`. The templates
//! are compiled into the binary, so the generator works from any directory. The runtime's files
//! (the `runtime/` crate, see [`crate::runtime`]) are copied as they are.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use minijinja::value::ViaDeserialize;
use minijinja::{context, Environment, Value};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::model::{
    Api, CallDecode, Fit, Print, RustType, Shown, SuccessEncode, TypeId, TypeNames,
};

/// Templates by name; `.rs` ones are Rust and get parsed and formatted afterwards.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../../templates/Cargo.toml.jinja"),
    ),
    ("README.md", include_str!("../../templates/README.md.jinja")),
    (
        "rustfmt.toml",
        include_str!("../../templates/rustfmt.toml.jinja"),
    ),
    ("lib.rs", include_str!("../../templates/lib.rs.jinja")),
    ("models.rs", include_str!("../../templates/models.rs.jinja")),
    ("group.rs", include_str!("../../templates/group.rs.jinja")),
    (
        "testing.rs",
        include_str!("../../templates/testing.rs.jinja"),
    ),
    (
        "webhook_events.rs",
        include_str!("../../templates/webhook_events.rs.jinja"),
    ),
    ("macros.jinja", include_str!("../../templates/macros.jinja")),
    (
        "servers.rs",
        include_str!("../../templates/servers.rs.jinja"),
    ),
    (
        "examples/list_and_create.rs",
        include_str!("../../templates/examples/list_and_create.rs.jinja"),
    ),
    (
        "examples/export.rs",
        include_str!("../../templates/examples/export.rs.jinja"),
    ),
    (
        "examples/download_pdf.rs",
        include_str!("../../templates/examples/download_pdf.rs.jinja"),
    ),
    (
        "examples/errors.rs",
        include_str!("../../templates/examples/errors.rs.jinja"),
    ),
    (
        "examples/webhook_server.rs",
        include_str!("../../templates/examples/webhook_server.rs.jinja"),
    ),
];

/// The files written once per crate: each template, and its path inside the crate.
const CRATE_FILES: &[(&str, &str)] = &[
    ("Cargo.toml", "Cargo.toml"),
    ("README.md", "README.md"),
    ("rustfmt.toml", "rustfmt.toml"),
    ("lib.rs", "src/lib.rs"),
    ("models.rs", "src/models.rs"),
    ("testing.rs", "src/testing.rs"),
    ("examples/list_and_create.rs", "examples/list_and_create.rs"),
    ("examples/export.rs", "examples/export.rs"),
    ("examples/download_pdf.rs", "examples/download_pdf.rs"),
    ("examples/errors.rs", "examples/errors.rs"),
    ("examples/webhook_server.rs", "examples/webhook_server.rs"),
];

/// Where the webhook events' payloads go, when the description has any.
const WEBHOOK_EVENTS_FILE: &str = "src/webhook_events.rs";

/// The modules the SDK's own files take (`client`, `models`, `testing`, ...), read from the
/// paths the crate's files are written to: a resource group's module may not be one of them.
pub fn sdk_modules() -> &'static BTreeSet<String> {
    static MODULES: OnceLock<BTreeSet<String>> = OnceLock::new();
    MODULES.get_or_init(|| {
        CRATE_FILES
            .iter()
            .map(|(_, path)| *path)
            .chain(crate::runtime::FILES.iter().map(|(path, _)| *path))
            .chain(crate::runtime::TEMPLATED.iter().map(|(_, path)| *path))
            .chain([WEBHOOK_EVENTS_FILE])
            .filter_map(|path| path.strip_prefix("src/"))
            .filter_map(|path| path.split(['/', '.']).next())
            .map(str::to_string)
            .collect()
    })
}

/// The features the crate's `Cargo.toml` template defines itself (`default`, `full`, `testing`,
/// the TLS choices, `webhook-events`): a resource group's feature may not be one of them. Read
/// from the template's `[features]` table, a line `name = ...` each; the lines the template
/// completes (`{{ g.feature }} = []`) are the groups' own.
pub fn sdk_features() -> &'static BTreeSet<String> {
    static FEATURES: OnceLock<BTreeSet<String>> = OnceLock::new();
    FEATURES.get_or_init(|| features_of(template("Cargo.toml")))
}

/// The keys of a manifest's `[features]` table, one `name = ...` line each.
fn features_of(manifest: &str) -> BTreeSet<String> {
    manifest
        .lines()
        .skip_while(|line| *line != "[features]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name)
        .filter(|name| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
        .map(str::to_string)
        .collect()
}

/// The names a resource group's module imports (the `use` lines of `group.rs.jinja`, such as
/// `use crate::client::{Client, Request};`): an operation's builder may not take one.
pub fn group_imports() -> &'static BTreeSet<String> {
    static IMPORTS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IMPORTS.get_or_init(|| {
        template("group.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("use ")?.strip_suffix(';'))
            .flat_map(|tree| match tree.split_once("::{") {
                Some((_, names)) => names.trim_end_matches('}').split(',').collect(),
                None => vec![tree.rsplit("::").next().unwrap_or(tree)],
            })
            .map(|name| name.rsplit(" as ").next().unwrap_or(name).trim())
            .filter(|name| !name.is_empty() && *name != "self")
            .map(str::to_string)
            .collect()
    })
}

/// The names every request builder has of its own, which a setter named after an input may not
/// take: the fields of its struct and the methods of its impl in `group.rs.jinja` (`client`,
/// `body`, `request_options`, `new`, `request`, `send`, `pages`, `customize`, ...; a name the
/// template completes, `send_{{ v.suffix }}`, is not one), and the trait methods its code calls
/// on itself (`clone`, `clone_from`, `fmt`).
///
/// Read from the template's text: the struct starts at a line `pub struct {{ op.builder }}`, its
/// impl at `impl {{ op.builder }}`, each ends at the next line that starts with `}`; a field is a
/// line indented once `name: Type,`, a method a line that declares a `fn`.
pub fn builder_members() -> &'static BTreeSet<String> {
    static MEMBERS: OnceLock<BTreeSet<String>> = OnceLock::new();
    MEMBERS.get_or_init(|| {
        let ident = |text: &str| -> Option<String> {
            let name: String = text
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let completed = text[name.len()..].starts_with('{');
            (!name.is_empty() && !completed).then_some(name)
        };
        let mut members: BTreeSet<String> = ["clone", "clone_from", "fmt"]
            .into_iter()
            .map(str::to_string)
            .collect();
        let source = template("group.rs");
        // The builder's lines, and those of the macros they call (`{{ items[..](..) }}` calls
        // one of the macros of the table `items`).
        let mut lines: Vec<&str> = source.lines().collect();
        for called in called_macros(source, "pub struct {{ op.builder }}")
            .into_iter()
            .chain(called_macros(source, "impl {{ op.builder }}"))
        {
            lines.push("impl {{ op.builder }} {");
            lines.extend(macro_body(source, &called).lines());
            lines.push("}");
        }
        let mut in_builder = false;
        for line in lines {
            if line.starts_with("pub struct {{ op.builder }}")
                || line.starts_with("impl {{ op.builder }}")
            {
                in_builder = true;
                continue;
            }
            if line.starts_with('}') {
                in_builder = false;
            }
            if !in_builder {
                continue;
            }
            let text = line.trim_start();
            let function = ["pub async fn ", "pub fn ", "async fn ", "fn "]
                .iter()
                .find_map(|prefix| text.strip_prefix(prefix));
            let field = text.split_once(": ").map(|(name, _)| name).filter(|name| {
                line.starts_with("    ")
                    && !line.starts_with("     ")
                    && ident(name).as_deref() == Some(*name)
            });
            members.extend(
                function
                    .and_then(ident)
                    .or_else(|| field.map(str::to_string)),
            );
        }
        members
    })
}

/// The macros that the item starting at the line `head` of `source` calls, up to the next line
/// that starts with `}`: `{{ name(..) }}` calls `name`, `{{ table[..](..) }}` any macro of
/// `{% set table = {"key": name, ..} %}`.
fn called_macros(source: &str, head: &str) -> Vec<String> {
    let mut called = Vec::new();
    let body = source
        .lines()
        .skip_while(|line| !line.starts_with(head))
        .skip(1);
    for line in body.take_while(|line| !line.starts_with('}')) {
        let Some(name) = line.trim().strip_prefix("{{ ") else {
            continue;
        };
        let name: String = name
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let table = format!("{{% set {name} = {{");
        match source.lines().find_map(|l| l.strip_prefix(table.as_str())) {
            Some(entries) => called.extend(
                entries
                    .split(',')
                    .filter_map(|entry| {
                        Some(
                            entry
                                .split_once(':')?
                                .1
                                .trim()
                                .trim_end_matches(['}', '%', ' ']),
                        )
                    })
                    .map(str::to_string),
            ),
            None => called.push(name),
        }
    }
    called
}

/// The body of the template macro `name` in `source`, after its `{% macro name(..) %}` tag
/// (empty when there is none).
pub(crate) fn macro_body<'a>(source: &'a str, name: &str) -> &'a str {
    source
        .split_once(&format!("{{% macro {name}("))
        .and_then(|(_, rest)| rest.split_once("%}"))
        .and_then(|(_, rest)| rest.split_once("{% endmacro %}"))
        .map_or("", |(body, _)| body)
}

/// The source of the template `name` (empty for a name that is not one).
pub(crate) fn template(name: &str) -> &'static str {
    TEMPLATES
        .iter()
        .find(|(template, _)| *template == name)
        .map_or("", |(_, source)| source)
}

/// Rendered files by their path inside the output crate, before formatting.
pub type Rendered = BTreeMap<String, String>;

/// Renders every file; `crate_version` is the generated crate's version (from its metadata).
pub fn render(api: &Api, crate_version: &str) -> Result<Rendered> {
    let mut env = environment()?;
    env.add_global("crate_version", crate_version);
    // The model refers to types by id: a `TypeId` is printed as the name of its type, and the
    // values that hold ids (types, fit tables, the fake's functions) with those names.
    let names: Arc<Vec<String>> = Arc::new(api.types.iter().map(|t| t.name.clone()).collect());
    let known = names.clone();
    env.add_filter("type_name", move |id: usize| {
        checked(&known, |names| names.type_name(TypeId(id)).to_string())
    });
    env.add_filter("rust", printer::<RustType>(names.clone()));
    env.add_filter("fit", printer::<Fit>(names.clone()));
    env.add_filter("fake_decode", printer::<CallDecode>(names.clone()));
    env.add_filter("fake_encode", printer::<SuccessEncode>(names.clone()));
    let crate_names = names;
    env.add_filter("crate_fit_ref", move |fit: ViaDeserialize<Fit>| {
        checked(&crate_names, |names| fit.0.crate_ref(names).to_string())
    });
    let api_value = Value::from_serialize(api);
    let mut files = Rendered::new();
    for (template, path) in CRATE_FILES
        .iter()
        .copied()
        .chain(crate::runtime::TEMPLATED.iter().copied())
    {
        let text = render_one(&env, template, context! { api => api_value })?;
        // A template that renders to nothing does not apply to this description (an example
        // without an operation to call: see `lower::example_programs`).
        if !text.trim().is_empty() {
            files.insert(path.to_string(), text);
        }
    }
    for (path, source) in crate::runtime::FILES {
        files.insert(path.to_string(), crate::runtime::without_tests(source));
    }
    if !api.webhooks.is_empty() {
        files.insert(
            WEBHOOK_EVENTS_FILE.to_string(),
            render_one(&env, "webhook_events.rs", context! { api => api_value })?,
        );
    }
    for group in &api.groups {
        let ctx = context! { api => api_value, group => Value::from_serialize(group) };
        files.insert(
            format!("src/{}.rs", group.module),
            render_one(&env, "group.rs", ctx)?,
        );
    }
    Ok(files)
}

/// A filter printing a model value (serialized as its structure) as Rust, its types named by
/// `names`.
fn printer<T: Print + DeserializeOwned>(
    names: Arc<Vec<String>>,
) -> impl Fn(ViaDeserialize<T>) -> std::result::Result<String, minijinja::Error> + Send + Sync + 'static
{
    move |value: ViaDeserialize<T>| checked(&names, |names| Shown::new(&value.0, names).to_string())
}

/// The types' names as the filters read them: an id that is none of them is noted, so that it
/// is an error rather than an empty name in the code.
struct Known<'a> {
    names: &'a [String],
    missing: Cell<Option<TypeId>>,
}

impl TypeNames for Known<'_> {
    fn type_name(&self, id: TypeId) -> &str {
        self.names.get(id.0).map_or_else(
            || {
                self.missing.set(Some(id));
                ""
            },
            String::as_str,
        )
    }
}

/// What `print` writes with `names`; an error when it refers to a type that is none of them.
fn checked(
    names: &[String],
    print: impl FnOnce(&dyn TypeNames) -> String,
) -> std::result::Result<String, minijinja::Error> {
    let known = Known {
        names,
        missing: Cell::new(None),
    };
    let text = print(&known);
    match known.missing.get() {
        None => Ok(text),
        Some(id) => Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("no type {}", id.0),
        )),
    }
}

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("rust_str", rust_str);
    env.add_filter("rust_bool", rust_bool);
    env.add_filter("rust_option_str", rust_option_str);
    env.add_filter("code", code);
    env.add_filter("one_line", crate::describe::one_line);
    env.add_filter("toml_str", toml_str);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| template_error(name, e))?;
    }
    Ok(env)
}

fn render_one(env: &Environment, name: &str, ctx: Value) -> Result<String> {
    env.get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| template_error(name, e))
}

fn template_error(name: &str, e: minijinja::Error) -> Error {
    let mut message = e.to_string();
    if let Some(detail) = e.display_debug_info().to_string().lines().next() {
        message.push_str(&format!(" ({detail})"));
    }
    Error::Template {
        template: name.to_string(),
        message,
    }
}

/// A Rust string literal for `s`, escaped by proc-macro2 (so quotes and newlines are safe).
fn rust_str(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// `Some("...")` for a string, `None` for none.
fn rust_option_str(s: Option<String>) -> String {
    s.map_or_else(|| "None".to_string(), |s| format!("Some({})", rust_str(&s)))
}

/// Markdown code: `` `s` `` on one line.
fn code(s: &str) -> String {
    format!("`{}`", crate::describe::one_line(s))
}

/// `true` or `false` (minijinja prints `True` and `False`).
fn rust_bool(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A TOML basic string for `s`: a JSON string is one, but for DEL, which TOML wants escaped
/// (a title with a quote or a backslash must not break the generated `Cargo.toml`).
fn toml_str(s: &str) -> String {
    serde_json::Value::from(s)
        .to_string()
        .replace('\u{7f}', "\\u007F")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line` with every whole word `old` replaced by `new`.
    fn replace_word(line: &str, old: &str, new: &str) -> String {
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut out = String::new();
        let mut rest = line;
        while let Some(at) = rest.find(old) {
            let whole = !rest[..at].ends_with(word) && !rest[at + old.len()..].starts_with(word);
            out.push_str(&rest[..at]);
            out.push_str(if whole { new } else { old });
            rest = &rest[at + old.len()..];
        }
        out.push_str(rest);
        out
    }

    /// The model refers to types by id: a type a pass renames after lowering is printed by its
    /// new name wherever it is referred to (fields, union variants, fit tables, the fake's body
    /// checks, the module imports and re-exports), and the code is otherwise the same.
    #[test]
    fn a_renamed_type_prints_its_new_name_everywhere_it_is_referred_to() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/unions.yaml");
        let loaded = crate::load::load(std::path::Path::new(path)).unwrap();
        let selection = crate::lower::GroupSelection::All;
        let mut api =
            crate::lower::lower(&loaded, &selection, "unions.yaml", &Default::default()).unwrap();
        let before = render(&api, "0.1.0").unwrap();
        let new = "RenamedByAPass";
        let mut checked = 0;
        for id in (0..api.types.len()).map(TypeId) {
            let old = api.types[id.0].name.clone();
            // A variant named after its type keeps its own name; a name the templates write
            // themselves (a union's `Unknown`) is not only this type's.
            let variant = api
                .types
                .iter()
                .any(|t| t.variants.iter().any(|v| v.ident == old));
            let templated = TEMPLATES
                .iter()
                .any(|(_, source)| replace_word(source, &old, new) != *source);
            if variant || templated {
                continue;
            }
            api.types[id.0].name = new.to_string();
            let after = render(&api, "0.1.0").unwrap();
            api.types[id.0].name = old.clone();
            assert_eq!(
                before.keys().collect::<Vec<_>>(),
                after.keys().collect::<Vec<_>>()
            );
            let mut renamed = 0;
            for (path, text) in &before {
                let lines = text.lines().zip(after[path].lines());
                for (was, is) in lines.filter(|(was, _)| !was.trim_start().starts_with("//")) {
                    assert_eq!(is, replace_word(was, &old, new), "{old} in {path}");
                    renamed += usize::from(was != is);
                }
                assert_eq!(text.lines().count(), after[path].lines().count(), "{path}");
            }
            // At least its definition, its `impl`s and its re-export.
            assert!(renamed > 3, "{old}: {renamed}");
            checked += 1;
        }
        // The union the request body is, the structs its members are, ...
        assert!(checked > 5, "{checked}");
    }

    /// A model value that refers to a type the model does not have is an error where it is
    /// printed, not an empty name in the code.
    #[test]
    fn a_type_that_is_not_in_the_model_is_an_error() {
        let names = Arc::new(vec!["Account".to_string()]);
        let rust = printer::<RustType>(names.clone());
        let list = |id| RustType::vec(RustType::model(TypeId(id)));
        assert_eq!(
            rust(ViaDeserialize(list(0))).unwrap(),
            "Vec<crate::models::Account>"
        );
        let error = rust(ViaDeserialize(list(1))).unwrap_err();
        assert!(error.to_string().contains("no type 1"), "{error}");
        let fit = printer::<Fit>(names);
        assert!(fit(ViaDeserialize(Fit::Type(TypeId(0)))).is_ok());
        assert!(fit(ViaDeserialize(Fit::Map(Box::new(Fit::Type(TypeId(3)))))).is_err());
    }

    #[test]
    fn string_literals_are_escaped() {
        assert_eq!(rust_str("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!((rust_bool(true), rust_bool(false)), ("true", "false"));
        assert_eq!(rust_option_str(Some("a\"".into())), "Some(\"a\\\"\")");
        assert_eq!(rust_option_str(None), "None");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(toml_str("a \"b\" \\ \u{7f}\t"), r#""a \"b\" \\ \u007F\t""#);
    }

    /// The committed SDK's files and its manifest's features: no module or feature the crate
    /// has of its own is missed (the groups' own aside).
    #[test]
    fn the_sdk_modules_and_features_are_the_committed_crates() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
        let mut modules = BTreeSet::new();
        for entry in std::fs::read_dir(root.join("src")).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            modules.insert(name.trim_end_matches(".rs").to_string());
        }
        let mut features = features_of(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap());
        // The one resource group of the committed SDK.
        assert!(modules.remove("user_identifiers"));
        assert!(features.remove("user-identifiers"));
        // Webhook events need a description that has them.
        modules.insert("webhook_events".to_string());
        features.insert("webhook-events".to_string());
        assert_eq!(sdk_modules(), &modules);
        assert_eq!(sdk_features(), &features);
        for name in ["testing", "native-tls", "full", "default"] {
            assert!(sdk_features().contains(name), "{name}");
        }
    }

    /// The runtime crate's files are each the SDK's in one way: copied ([`crate::runtime::FILES`]),
    /// a stand-in for a templated file, written from a template of its own (`lib.rs`, the
    /// `testing.rs` table), or only for the runtime's unit tests (a `#[cfg(test)] mod`). A new
    /// runtime file that none of these lists is an error here, not a file missing from the SDK.
    #[test]
    fn every_runtime_file_reaches_the_sdk_or_is_for_tests_only() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut files = Vec::new();
        let mut dirs = vec![src.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let relative = path.strip_prefix(&src).unwrap().to_string_lossy();
                    files.push(format!("src/{}", relative.replace('\\', "/")));
                }
            }
        }
        let rendered: Vec<&str> = CRATE_FILES.iter().map(|(_, path)| *path).collect();
        let for_tests = |path: &str| {
            // `src/client/test_server.rs` is declared in `src/client.rs`.
            let (parent, name) = path.trim_end_matches(".rs").rsplit_once('/').unwrap();
            let parent = std::fs::read_to_string(src.join(format!("{}.rs", &parent[4..])));
            parent.is_ok_and(|text| text.contains(&format!("#[cfg(test)]\nmod {name};")))
        };
        for file in &files {
            assert!(
                crate::runtime::is_copied(file)
                    || crate::runtime::TEMPLATED.iter().any(|(_, p)| p == file)
                    || rendered.contains(&file.as_str())
                    || for_tests(file),
                "{file} is neither copied, templated, rendered nor for tests"
            );
        }
        assert!(files.len() > 15, "{files:?}");
        assert!(for_tests("src/client/test_server.rs"));
    }

    /// The builder members read from the template are those of a rendered builder: its
    /// struct's fields and its methods, but the setters named after the operation's inputs.
    #[test]
    fn the_builder_members_are_the_rendered_builders() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../generated/src/user_identifiers.rs"
        );
        let file = syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut declared = BTreeSet::new();
        for item in &file.items {
            match item {
                syn::Item::Struct(s) => declared.extend(
                    s.fields
                        .iter()
                        .filter_map(|f| f.ident.as_ref().map(|i| i.to_string())),
                ),
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    declared.extend(i.items.iter().filter_map(|item| match item {
                        syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                        _ => None,
                    }))
                }
                _ => {}
            }
        }
        // The builders' own names, and the operations' inputs (the setters and their fields).
        let members = builder_members();
        for name in [
            "client",
            "request_options",
            "customize",
            "send",
            "new",
            "request",
        ] {
            assert!(members.contains(name), "{members:?}");
        }
        let inputs: Vec<&String> = declared.iter().filter(|n| !members.contains(*n)).collect();
        for input in &inputs {
            // `user_id`, `limit`, `type_query`: a parameter's name, and no name of the template's.
            assert!(
                !template("group.rs").contains(&format!("fn {input}(")),
                "`{input}` is declared by the template but not read"
            );
        }
        assert!(!inputs.is_empty(), "{declared:?}");
    }

    /// Every name a rendered group module imports is one [`group_imports`] reads.
    #[test]
    fn the_group_imports_are_the_rendered_modules() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../generated/src/user_identifiers.rs"
        );
        let file = syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
        fn leaves(tree: &syn::UseTree, found: &mut BTreeSet<String>) {
            match tree {
                syn::UseTree::Path(p) => leaves(&p.tree, found),
                syn::UseTree::Name(n) => {
                    found.insert(n.ident.to_string());
                }
                syn::UseTree::Rename(r) => {
                    found.insert(r.rename.to_string());
                }
                syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, found)),
                syn::UseTree::Glob(_) => panic!("a glob import names nothing"),
            }
        }
        let mut imported = BTreeSet::new();
        for item in &file.items {
            if let syn::Item::Use(u) = item {
                leaves(&u.tree, &mut imported);
            }
        }
        let read = group_imports();
        assert!(imported.is_subset(read), "{imported:?} {read:?}");
        for name in ["Client", "Error", "RequestOptions", "Response"] {
            assert!(read.contains(name), "{read:?}");
        }
    }
}
