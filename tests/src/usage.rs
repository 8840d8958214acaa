//! An exhaustive usage program of a generated SDK, written from the generator's lowered model
//! ([`upvest_sdk_generator::model::Api`]), not from the Rust it prints: one function per thing
//! a user can write against the public API, so that compiling the program against a newer SDK
//! proves that nothing a user may have written breaks.
//!
//! No value is ever constructed by hand: every value a function needs is one of its typed
//! parameters. Per type `Name` of `models`:
//!
//! - `t_Name(a: A, b: B) -> Name`: the struct built with `new` (an `impl Into<T>` parameter is
//!   passed a `T`);
//! - `r_Name(v: &Name)`: every field read, bound to its declared type;
//! - `s_Name(v: Name, x: X, ..) -> Name`: every setter called; `d_Name()` its `Default`;
//! - `e_Name(v: &Name) -> Vec<Name>`: every enum variant matched (with a `_` arm, enums are
//!   open) and constructed;
//! - `u_Name(v: &Name, a: A, ..) -> Vec<Name>`: every union variant matched and constructed.
//!
//! Per operation, `op_<method>(client, arguments.., setter values..)` calls the client method,
//! every setter of its builder, `pages()` and `items()` of a list, the `send_<suffix>` and
//! `download_<suffix>` methods of its media types, and `send().await`, binding each result to
//! its declared type. `w_events` matches and builds every `WebhookEvent` variant.
//!
//! The program records the lines of each function, so that the compiler's errors can be told
//! apart by function ([`UsageProgram::functions_at`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use upvest_sdk_generator::model::{
    Api, Derive, RustType, SetterShape, TypeDef, TypeKind, TypeNames,
};

/// The source of the usage program (`src/lib.rs` of a crate that depends on the SDK as
/// `upvest`) and where each of its functions is.
#[derive(Debug, Clone)]
pub struct UsageProgram {
    pub source: String,
    /// Every function: its name and its first and last line (1-based, inclusive).
    pub functions: Vec<(String, usize, usize)>,
}

impl UsageProgram {
    /// The function that holds `line` (1-based), if any.
    pub fn function_at(&self, line: usize) -> Option<&str> {
        self.functions
            .iter()
            .find(|(_, first, last)| (*first..=*last).contains(&line))
            .map(|(name, _, _)| name.as_str())
    }

    /// The functions that hold the errors of cargo's `--message-format=short` output for the
    /// file `file` (as cargo prints its path, `user-x/src/lib.rs`), and the errors outside any
    /// function.
    pub fn functions_at(&self, file: &str, stderr: &str) -> (BTreeSet<String>, Vec<String>) {
        let mut functions = BTreeSet::new();
        let mut elsewhere = Vec::new();
        for line in stderr.lines().filter(|l| l.contains(": error")) {
            let Some(rest) = line.strip_prefix(file).and_then(|r| r.strip_prefix(':')) else {
                continue;
            };
            let number = rest.split(':').next().and_then(|n| n.parse::<usize>().ok());
            match number.and_then(|n| self.function_at(n)) {
                Some(name) => {
                    functions.insert(name.to_string());
                }
                None => elsewhere.push(line.to_string()),
            }
        }
        (functions, elsewhere)
    }
}

/// A type as the program writes it: generated types as `upvest::models::Name`, the SDK's
/// re-exported crates through `upvest::`, and an `impl Into<T>` as `T` (the value passed).
pub fn type_text(names: &dyn TypeNames, ty: &RustType) -> String {
    match ty {
        RustType::Model { id, .. } => format!("upvest::models::{}", names.type_name(*id)),
        RustType::Scalar(scalar) => {
            let text = scalar.as_str();
            if let Some(rest) = text.strip_prefix("crate::") {
                format!("upvest::{rest}")
            } else if ["uuid::", "chrono::", "serde_json::"]
                .iter()
                .any(|p| text.starts_with(p))
            {
                text.replace("uuid::", "upvest::uuid::")
                    .replace("chrono::", "upvest::chrono::")
                    .replace("serde_json::", "upvest::serde_json::")
            } else {
                text.to_string()
            }
        }
        RustType::Vec(inner) => format!("Vec<{}>", type_text(names, inner)),
        RustType::Option(inner) => format!("Option<{}>", type_text(names, inner)),
        RustType::Map(inner) => format!(
            "std::collections::BTreeMap<String, {}>",
            type_text(names, inner)
        ),
        RustType::Box(inner) => format!("Box<{}>", type_text(names, inner)),
        RustType::Unit => "()".to_string(),
        RustType::ImplInto(inner) => type_text(names, inner),
    }
}

/// Writes functions one by one, recording their lines.
struct Writer {
    source: String,
    functions: Vec<(String, usize, usize)>,
}

impl Writer {
    fn function(&mut self, name: &str, text: &str) {
        let first = self.source.lines().count() + 1;
        self.source.push_str(text);
        if !text.ends_with('\n') {
            self.source.push('\n');
        }
        let last = self.source.lines().count();
        self.functions.push((name.to_string(), first, last));
    }
}

/// The usage program of the SDK lowered as `api`.
pub fn program(api: &Api) -> UsageProgram {
    let mut writer = Writer {
        source: String::from(
            "//! Uses every public item of the SDK it was generated from (see \
             `upvest_sdk_tests::usage`).\n\
             #![allow(non_snake_case, unused_variables, deprecated, clippy::all)]\n\n\
             /// Checks the item type of a list's `items()`.\n\
             pub fn items_of<T>(_: impl upvest::futures_util::Stream<Item = Result<T, upvest::Error>>) {}\n\n",
        ),
        functions: Vec::new(),
    };
    let names: &dyn TypeNames = api;
    for t in &api.types {
        type_functions(&mut writer, api, t);
    }
    for group in &api.groups {
        for op in &group.operations {
            let mut params = vec!["client: &upvest::Client".to_string()];
            let mut call = format!("client.{}(", op.method_name);
            let arguments: Vec<String> = op
                .arguments
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    params.push(format!("a{i}: {}", type_text(names, &a.param_type)));
                    format!("a{i}")
                })
                .collect();
            call.push_str(&arguments.join(", "));
            call.push(')');
            let setters = op
                .path_params
                .iter()
                .chain(&op.query_params)
                .chain(&op.header_params)
                .filter(|p| !p.argument && !p.accept);
            for (i, p) in setters.enumerate() {
                params.push(format!("s{i}: {}", type_text(names, &p.setter_type)));
                let _ = write!(call, ".{}(s{i})", p.ident);
            }
            if op.idempotency == upvest_sdk_generator::model::Idempotency::Optional {
                params.push("key: upvest::uuid::Uuid".into());
                call.push_str(".idempotency_key(key)");
            }
            if let Some(body) = op.body.as_ref().filter(|b| !b.argument) {
                params.push(format!("body: {}", type_text(names, &body.rust_type)));
                call.push_str(".body(body)");
            }
            let success = type_text(names, &op.success.rust_type);
            let mut body = format!("    let builder = {call};\n");
            if let Some(pagination) = &op.pagination {
                let _ = writeln!(
                    body,
                    "    let _pages: upvest::Pages<{success}> = builder.clone().pages();"
                );
                let item = pagination
                    .item_type
                    .as_ref()
                    .map(|ty| type_text(names, ty))
                    .unwrap_or_else(|| "upvest::serde_json::Value".into());
                let _ = writeln!(body, "    items_of::<{item}>(builder.clone().items());");
            }
            for accept in &op.accept_methods {
                let suffix = &accept.suffix;
                let _ = writeln!(
                    body,
                    "    let _bytes: upvest::Response<Vec<u8>> = builder.clone().send_{suffix}().await?;\n    \
                     let _download: upvest::Response<upvest::Download> = builder.clone().download_{suffix}().await?;"
                );
            }
            let name = format!("op_{}", op.method_name);
            writer.function(
                &name,
                &format!(
                    "pub async fn {name}({}) -> Result<(), upvest::Error> {{\n{body}    \
                     let _response: upvest::Response<{success}> = builder.send().await?;\n    Ok(())\n}}\n",
                    params.join(", "),
                ),
            );
        }
    }
    if !api.webhooks.is_empty() {
        let mut params = vec!["event: &upvest::webhook_events::WebhookEvent".to_string()];
        let mut arms = String::new();
        let mut built = Vec::new();
        for (i, w) in api.webhooks.iter().enumerate() {
            let ty = type_text(names, &w.payload_type);
            params.push(format!("p{i}: {ty}"));
            let _ = writeln!(
                arms,
                "        upvest::webhook_events::WebhookEvent::{}(x) => {{ let _: &{ty} = x; }}",
                w.variant
            );
            built.push(format!(
                "upvest::webhook_events::WebhookEvent::{}(p{i})",
                w.variant
            ));
        }
        writer.function(
            "w_events",
            &format!(
                "pub fn w_events({}) -> Vec<upvest::webhook_events::WebhookEvent> {{\n    \
                 let _ = upvest::webhook_events::parse(b\"{{}}\");\n    match event {{\n{arms}        \
                 _ => {{}}\n    }}\n    vec![{}]\n}}\n",
                params.join(", "),
                built.join(", ")
            ),
        );
    }
    UsageProgram {
        source: writer.source,
        functions: writer.functions,
    }
}

fn type_functions(writer: &mut Writer, names: &dyn TypeNames, t: &TypeDef) {
    let name = &t.name;
    let path = format!("upvest::models::{name}");
    match t.kind {
        TypeKind::Struct => {
            if let Some(constructor) = &t.constructor {
                let params: Vec<String> = constructor
                    .params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| format!("a{i}: {}", type_text(names, &p.param_type)))
                    .collect();
                let args: Vec<String> = (0..constructor.params.len())
                    .map(|i| format!("a{i}"))
                    .collect();
                writer.function(
                    &format!("t_{name}"),
                    &format!(
                        "pub fn t_{name}({}) -> {path} {{\n    {path}::new({})\n}}\n",
                        params.join(", "),
                        args.join(", ")
                    ),
                );
            }
            let mut reads = String::new();
            for f in &t.fields {
                let _ = writeln!(
                    reads,
                    "    let _: &{} = &v.{};",
                    type_text(names, &f.rust_type),
                    f.ident
                );
            }
            if let Some(extra) = &t.extra {
                let _ = writeln!(
                    reads,
                    "    let _: &std::collections::BTreeMap<String, {}> = &v.additional_properties;",
                    type_text(names, extra)
                );
            }
            writer.function(
                &format!("r_{name}"),
                &format!("pub fn r_{name}(v: &{path}) {{\n{reads}}}\n"),
            );
            if !t.setters.is_empty() {
                let mut params = vec![format!("v: {path}")];
                let mut call = String::from("v");
                for (i, s) in t.setters.iter().enumerate() {
                    params.push(format!("x{i}: {}", type_text(names, &s.param_type)));
                    if matches!(s.shape, SetterShape::Insert) {
                        params.push(format!("k{i}: String"));
                        let _ = write!(call, ".{}(k{i}, x{i})", s.name);
                    } else {
                        let _ = write!(call, ".{}(x{i})", s.name);
                    }
                }
                writer.function(
                    &format!("s_{name}"),
                    &format!(
                        "pub fn s_{name}({}) -> {path} {{\n    {call}\n}}\n",
                        params.join(", ")
                    ),
                );
            }
            if t.derives.contains(&Derive::Default) {
                writer.function(
                    &format!("d_{name}"),
                    &format!("pub fn d_{name}() -> {path} {{\n    {path}::default()\n}}\n"),
                );
            }
        }
        TypeKind::Enum => {
            let arms: String = t
                .variants
                .iter()
                .map(|v| format!("        {path}::{} => {{}}\n", v.ident))
                .collect();
            let built: Vec<String> = t
                .variants
                .iter()
                .map(|v| format!("{path}::{}", v.ident))
                .collect();
            writer.function(
                &format!("e_{name}"),
                &format!(
                    "pub fn e_{name}(v: &{path}) -> Vec<{path}> {{\n    match v {{\n{arms}        \
                     {path}::Unknown(_) => {{}}\n        _ => {{}}\n    }}\n    \
                     let _: &str = v.as_str();\n    vec![{}]\n}}\n",
                    built.join(", ")
                ),
            );
        }
        TypeKind::Union => {
            let mut params = vec![format!("v: &{path}")];
            let mut arms = String::new();
            let mut built = Vec::new();
            for (i, variant) in t.variants.iter().enumerate() {
                let ty = variant
                    .rust_type
                    .as_ref()
                    .map(|ty| type_text(names, ty))
                    .unwrap_or_else(|| "()".into());
                params.push(format!("a{i}: {ty}"));
                let _ = writeln!(
                    arms,
                    "        {path}::{}(x) => {{ let _: &{ty} = x; }}",
                    variant.ident
                );
                built.push(format!("{path}::{}(a{i})", variant.ident));
            }
            writer.function(
                &format!("u_{name}"),
                &format!(
                    "pub fn u_{name}({}) -> Vec<{path}> {{\n    match v {{\n{arms}        \
                     {path}::Unknown(_) => {{}}\n        _ => {{}}\n    }}\n    vec![{}]\n}}\n",
                    params.join(", "),
                    built.join(", ")
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use upvest_sdk_generator::lock::NameLock;
    use upvest_sdk_generator::{load, lower, GroupSelection};

    fn user_identifiers() -> Api {
        let path = crate::repo_root().join("spec/upvest-user-identifiers.yaml");
        let spec = load::load_named(&path, Path::new("spec.yaml")).unwrap();
        lower::lower(
            &spec,
            &GroupSelection::All,
            "spec.yaml",
            &NameLock::default(),
        )
        .unwrap()
    }

    #[test]
    fn every_type_and_operation_has_functions_whose_lines_are_known() {
        let api = user_identifiers();
        let program = program(&api);
        let names: BTreeSet<&str> = program
            .functions
            .iter()
            .map(|(n, _, _)| n.as_str())
            .collect();
        for t in &api.types {
            let prefix = match t.kind {
                TypeKind::Struct => "r",
                TypeKind::Enum => "e",
                TypeKind::Union => "u",
            };
            assert!(
                names.contains(format!("{prefix}_{}", t.name).as_str()),
                "{}",
                t.name
            );
        }
        // A struct's `new` (the response of `create_identifier` is one).
        assert!(names.contains("t_Identifier"), "{names:?}");
        for op in api.groups.iter().flat_map(|g| &g.operations) {
            assert!(names.contains(format!("op_{}", op.method_name).as_str()));
        }
        let lines: Vec<&str> = program.source.lines().collect();
        for (name, first, last) in &program.functions {
            assert!(lines[first - 1].contains(&format!("fn {name}(")), "{name}");
            assert_eq!(lines[last - 1], "}", "{name}");
            assert_eq!(program.function_at(*first), Some(name.as_str()));
        }
    }

    #[test]
    fn errors_are_placed_in_their_functions() {
        let program = program(&user_identifiers());
        let (name, first, _) = &program.functions[1];
        let stderr = format!(
            "u/src/lib.rs:{}:5: error[E0308]: mismatched types\n\
             u/src/lib.rs:1:1: error: outside\n\
             v/src/lib.rs:{first}:1: error: another crate\n\
             u/src/lib.rs:{first}:1: warning: not an error\n",
            first + 1
        );
        let (functions, elsewhere) = program.functions_at("u/src/lib.rs", &stderr);
        assert_eq!(functions, BTreeSet::from([name.clone()]));
        assert_eq!(
            elsewhere,
            vec!["u/src/lib.rs:1:1: error: outside".to_string()]
        );
    }
}
