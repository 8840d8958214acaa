//! Stage 4, render: the model goes through the minijinja templates in `templates/`. The templates
//! are compiled into the binary, so the generator works from any directory. The runtime's files
//! (the `runtime/` crate, see [`crate::runtime`]) are copied as they are.

use std::collections::BTreeMap;

use minijinja::{context, Environment, Value};

use crate::error::{Error, Result};
use crate::model::Api;

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
        "error_status.rs",
        include_str!("../../templates/error_status.rs.jinja"),
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

/// Rendered files by their path inside the output crate, before formatting.
pub type Rendered = BTreeMap<String, String>;

/// Renders every file; `crate_version` is the generated crate's version (from its metadata).
pub fn render(api: &Api, crate_version: &str) -> Result<Rendered> {
    let mut env = environment()?;
    env.add_global("crate_version", crate_version);
    // A `TypeId` is printed as the name of its type.
    let names: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
    env.add_filter("type_name", move |id: usize| {
        names.get(id).cloned().ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("no type {id}"),
            )
        })
    });
    let api_value = Value::from_serialize(api);
    let mut files = Rendered::new();
    let single = [
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
    for (template, path) in single
        .into_iter()
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
            "src/webhook_events.rs".to_string(),
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

fn environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("rust_str", rust_str);
    env.add_filter("rust_bool", rust_bool);
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

    #[test]
    fn string_literals_are_escaped() {
        assert_eq!(rust_str("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!((rust_bool(true), rust_bool(false)), ("true", "false"));
        assert_eq!(toml_str("a \"b\" \\ \u{7f}\t"), r#""a \"b\" \\ \u007F\t""#);
    }
}
