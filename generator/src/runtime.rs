//! The SDK's runtime: the sources of the `runtime/` crate, which the generator copies into every
//! SDK it writes, and the names they take (an operation may not take them).
//!
//! The runtime is a workspace crate so that it is compiled, linted and unit-tested like any other
//! Rust code; the generated crate stays self-contained because it gets a copy. Its unit tests
//! (`#[cfg(test)]` items) stay behind: [`without_tests`] drops them from the copy.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Each copied runtime file: its path inside the generated crate, and its source.
pub const FILES: &[(&str, &str)] = &[
    ("src/client.rs", include_str!("../../runtime/src/client.rs")),
    (
        "src/client/auth.rs",
        include_str!("../../runtime/src/client/auth.rs"),
    ),
    (
        "src/client/config.rs",
        include_str!("../../runtime/src/client/config.rs"),
    ),
    (
        "src/client/intercept.rs",
        include_str!("../../runtime/src/client/intercept.rs"),
    ),
    (
        "src/client/pagination.rs",
        include_str!("../../runtime/src/client/pagination.rs"),
    ),
    (
        "src/client/request.rs",
        include_str!("../../runtime/src/client/request.rs"),
    ),
    (
        "src/client/response.rs",
        include_str!("../../runtime/src/client/response.rs"),
    ),
    (
        "src/client/retry.rs",
        include_str!("../../runtime/src/client/retry.rs"),
    ),
    (
        "src/client/signing.rs",
        include_str!("../../runtime/src/client/signing.rs"),
    ),
    (
        "src/client/transport.rs",
        include_str!("../../runtime/src/client/transport.rs"),
    ),
    ("src/debug.rs", include_str!("../../runtime/src/debug.rs")),
    ("src/error.rs", include_str!("../../runtime/src/error.rs")),
    (
        "src/error/status.rs",
        include_str!("../../runtime/src/error/status.rs"),
    ),
    (
        "src/serde_helpers.rs",
        include_str!("../../runtime/src/serde_helpers.rs"),
    ),
    (
        "src/testing/fake.rs",
        include_str!("../../runtime/src/testing/fake.rs"),
    ),
    (
        "src/testing/server.rs",
        include_str!("../../runtime/src/testing/server.rs"),
    ),
    (
        "src/testing/signature.rs",
        include_str!("../../runtime/src/testing/signature.rs"),
    ),
];

/// The runtime's files that depend on the description: the generator writes them from these
/// templates (the runtime crate has stand-ins at the same paths).
pub const TEMPLATED: &[(&str, &str)] = &[("servers.rs", "src/client/servers.rs")];

/// Whether `path` (in the generated crate) is one of the runtime's copied files.
pub fn is_copied(path: &str) -> bool {
    FILES.iter().any(|(copied, _)| *copied == path)
}

/// A runtime file as the SDK gets it: its source without the unit tests.
///
/// Read as text, not parsed: the runtime's sources are formatted by `cargo fmt` (CI checks), so
/// an item starts at the start of a line and a block item ends at the next line that is `}`
/// alone. Copying the text (rather than parsing and printing it, as generated files are) keeps
/// the runtime's own layout and spares every generation the cost of parsing it.
pub fn without_tests(source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i] != "#[cfg(test)]" {
            kept.push(lines[i]);
            i += 1;
            continue;
        }
        // The item's docs and other attributes above the `cfg` go with it.
        while kept
            .last()
            .is_some_and(|line| line.starts_with("///") || line.starts_with("#["))
        {
            kept.pop();
        }
        // Its attributes, then its first line: a one-line item ends there.
        i += 1;
        while i < lines.len() && lines[i].starts_with("#[") {
            i += 1;
        }
        let one_line = lines.get(i).is_some_and(|line| line.ends_with(';'));
        if !one_line {
            while i < lines.len() && lines[i] != "}" {
                i += 1;
            }
        }
        i += 1;
        // No blank line left doubled where the item was.
        while kept.last().is_some_and(|line| line.is_empty())
            && lines.get(i).is_none_or(|line| line.is_empty())
        {
            kept.pop();
        }
    }
    let mut text = kept.join("\n");
    text.push('\n');
    text
}

/// The methods of the runtime's `Client` (in any of its files), public or not: a generated
/// method with one of these names would not compile.
///
/// Read from the text, as [`without_tests`] reads it: a method of an `impl Client` block is a
/// line indented once that declares a `fn`.
pub fn client_methods() -> &'static BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(|| {
        let sources = FILES.iter().map(|(_, source)| *source);
        let mut methods = block_methods(sources, |line| line.starts_with("impl Client {"));
        // Methods every type has through the traits `Client` derives.
        methods.insert("clone".to_string());
        methods
    })
}

/// The methods declared in the blocks of `sources` that `opens` says start one: a block ends
/// at the next line `}`; a method is a line indented once that declares a `fn` (see
/// [`method_name`]).
fn block_methods<'a>(
    sources: impl Iterator<Item = &'a str>,
    opens: impl Fn(&str) -> bool,
) -> BTreeSet<String> {
    let mut methods = BTreeSet::new();
    for source in sources {
        let mut in_block = false;
        for line in source.lines() {
            if line.starts_with("impl") {
                in_block = opens(line);
            } else if line == "}" {
                in_block = false;
            } else if in_block {
                methods.extend(method_name(line));
            }
        }
    }
    methods
}

/// The methods a value of the runtime's type `name` has, as a method of the same name added
/// to it would clash with: those of its `impl {name}` blocks and of the traits implemented for
/// it (`impl Trait for {name}`), in the runtime's files and in `extra` (a template that adds to
/// the type), and those of the traits it derives (`#[derive(..)]` above `pub struct {name}`).
///
/// Read from the text, as [`without_tests`] reads it: a block starts at a line `impl ...` and
/// ends at the next line `}`; a method is a line indented once that declares a `fn`. A name
/// with a template expression in it (`{{ .. }}`) is not a name of the type's own.
pub fn type_methods(name: &str, extra: &[&str]) -> BTreeSet<String> {
    let own = format!("impl {name} {{");
    let implemented = format!(" for {name} {{");
    let declared = format!("pub struct {name} {{");
    let sources = || {
        FILES
            .iter()
            .map(|(_, source)| *source)
            .chain(extra.iter().copied())
    };
    let mut methods = block_methods(sources(), |line| {
        line == own || line.ends_with(&implemented)
    });
    for source in sources() {
        let mut derives: Vec<&str> = Vec::new();
        for line in source.lines() {
            if let Some(list) = line
                .strip_prefix("#[derive(")
                .and_then(|l| l.strip_suffix(")]"))
            {
                derives = list.split(',').map(str::trim).collect();
            } else if line == declared {
                for derived in &derives {
                    let trait_methods: &[&str] = match *derived {
                        "Clone" => &["clone", "clone_from"],
                        "Debug" => &["fmt"],
                        "Default" => &["default"],
                        _ => &[],
                    };
                    methods.extend(trait_methods.iter().map(|m| m.to_string()));
                }
            } else if !line.starts_with("#[") {
                derives.clear();
            }
        }
    }
    methods
}

/// The statuses the runtime's `ErrorStatus` names, in code order: each code with its variant.
/// The runtime's `src/error/status.rs` is the one place they are declared; the generator reads
/// them (to name the statuses each operation documents) from the arms of `from_code`, lines
/// `            400 => Self::BadRequest,`, as [`without_tests`] reads the text.
pub fn error_statuses() -> &'static [(u16, String)] {
    static STATUSES: OnceLock<Vec<(u16, String)>> = OnceLock::new();
    STATUSES.get_or_init(|| {
        FILES
            .iter()
            .filter(|(path, _)| *path == ERROR_STATUS_FILE)
            .flat_map(|(_, source)| source.lines())
            .filter_map(|line| {
                let arm = line.strip_prefix("            ")?.strip_suffix(',')?;
                let (code, variant) = arm.split_once(" => Self::")?;
                Some((code.parse().ok()?, variant.to_string()))
            })
            .collect()
    })
}

/// The field of a list response that holds the page's items, as the runtime's page walk reads
/// it (the `serde_json::Value` field of the `Probe` it decodes a page's JSON with, in
/// `src/client/pagination.rs`): `data` for Upvest's lists. Read from the text: the struct starts
/// at a line `struct Probe {` and ends at the next line `}` (both as indented there).
pub fn page_items_field() -> &'static str {
    static FIELD: OnceLock<String> = OnceLock::new();
    FIELD.get_or_init(|| {
        let Some((_, source)) = FILES.iter().find(|(path, _)| *path == PAGINATION_FILE) else {
            return String::new();
        };
        source
            .lines()
            .skip_while(|line| line.trim() != "struct Probe {")
            .skip(1)
            .take_while(|line| line.trim() != "}")
            .find_map(|line| {
                let (name, ty) = line.trim().split_once(':')?;
                ty.contains("serde_json::Value")
                    .then(|| name.trim().to_string())
            })
            .unwrap_or_default()
    })
}

/// Where the runtime walks pages.
const PAGINATION_FILE: &str = "src/client/pagination.rs";

/// Where the runtime declares `ErrorStatus`.
const ERROR_STATUS_FILE: &str = "src/error/status.rs";

/// The headers the runtime's client sets itself (its `MANAGED_HEADERS`, which a caller's extra
/// headers may not name): the runtime's `src/client/config.rs` is the one place they are
/// declared. Read from the text, one `    "name",` line each between the constant's first line
/// and `];`.
pub fn managed_headers() -> &'static [String] {
    static HEADERS: OnceLock<Vec<String>> = OnceLock::new();
    HEADERS.get_or_init(|| {
        let Some((_, source)) = FILES.iter().find(|(path, _)| *path == MANAGED_HEADERS_FILE) else {
            return Vec::new();
        };
        source
            .lines()
            .skip_while(|line| !line.starts_with("const MANAGED_HEADERS: &[&str] = &["))
            .skip(1)
            .take_while(|line| *line != "];")
            .filter_map(|line| {
                let name = line.strip_prefix("    \"")?.strip_suffix("\",")?;
                Some(name.to_string())
            })
            .collect()
    })
}

/// Where the runtime declares the headers its client manages.
const MANAGED_HEADERS_FILE: &str = "src/client/config.rs";

/// `name` of a line `    pub(crate) async fn name<T>(...`.
fn method_name(line: &str) -> Option<String> {
    let mut rest = line.strip_prefix("    ")?;
    if rest.starts_with(' ') {
        return None;
    }
    if let Some(after) = rest.strip_prefix("pub") {
        rest = match after.strip_prefix('(') {
            Some(scoped) => scoped.split_once(") ")?.1,
            None => after.strip_prefix(' ')?,
        };
    }
    for qualifier in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(qualifier).unwrap_or(rest);
    }
    let name: String = rest
        .strip_prefix("fn ")?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_runtime_file_parses() {
        for (path, source) in FILES {
            assert!(syn::parse_file(source).is_ok(), "{path} does not parse");
        }
    }

    #[test]
    fn the_client_methods_are_read_from_every_client_file() {
        let methods = client_methods();
        // One from each file that has an `impl Client`.
        for name in [
            "new",
            "send_json",
            "execute",
            "build",
            "bearer",
            "fetch_token",
        ] {
            assert!(methods.contains(name), "{name} missing from {methods:?}");
        }
        assert!(!methods.contains("send"), "{methods:?}");
    }

    /// The page's items field read as text is the `serde_json::Value` field of the parsed
    /// `Probe` struct (declared in a function of `PageInfo`).
    #[test]
    fn the_page_items_field_read_as_text_is_the_declared_one() {
        let (_, source) = FILES.iter().find(|(p, _)| *p == PAGINATION_FILE).unwrap();
        let file = syn::parse_file(source).unwrap();
        let probe = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block) => Some(&block.items),
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(function) => Some(&function.block.stmts),
                _ => None,
            })
            .flatten()
            .find_map(|stmt| match stmt {
                syn::Stmt::Item(syn::Item::Struct(s)) if s.ident == "Probe" => Some(s),
                _ => None,
            })
            .expect("the runtime's page walk decodes pages as `Probe`");
        let declared: Vec<String> = probe
            .fields
            .iter()
            .filter(|field| {
                quote::ToTokens::to_token_stream(&field.ty)
                    .to_string()
                    .contains("serde_json :: Value")
            })
            .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
            .collect();
        assert_eq!(declared, [page_items_field()]);
        assert_eq!(page_items_field(), "data");
    }

    /// The statuses read from the text are the declared ones: the variants of the parsed enum
    /// (but `Other`), in order, each documented with its code.
    #[test]
    fn the_error_statuses_read_as_text_are_the_declared_ones() {
        let (_, source) = FILES.iter().find(|(p, _)| *p == ERROR_STATUS_FILE).unwrap();
        let file = syn::parse_file(source).unwrap();
        let declared: Vec<(u16, String)> = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Enum(e) if e.ident == "ErrorStatus" => Some(&e.variants),
                _ => None,
            })
            .unwrap()
            .iter()
            .filter(|v| v.ident != "Other")
            .map(|v| {
                let doc = v
                    .attrs
                    .iter()
                    .find_map(|a| match &a.meta {
                        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => {
                            Some(quote::ToTokens::to_token_stream(&nv.value).to_string())
                        }
                        _ => None,
                    })
                    .unwrap();
                // `" `409 Conflict`"`: the code is the first number.
                let code: String = doc
                    .chars()
                    .skip_while(|c| !c.is_ascii_digit())
                    .take_while(char::is_ascii_digit)
                    .collect();
                (code.parse().unwrap(), v.ident.to_string())
            })
            .collect();
        assert_eq!(error_statuses(), declared.as_slice());
        assert!(declared.len() > 30, "{declared:?}");
        assert!(declared.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(declared.iter().all(|(c, _)| (400..600).contains(c)));
    }

    /// The managed headers read as text are the parsed constant's.
    #[test]
    fn the_managed_headers_read_as_text_are_the_declared_ones() {
        let (_, source) = FILES
            .iter()
            .find(|(p, _)| *p == MANAGED_HEADERS_FILE)
            .unwrap();
        let file = syn::parse_file(source).unwrap();
        let declared: Vec<String> = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Const(c) if c.ident == "MANAGED_HEADERS" => Some(&c.expr),
                _ => None,
            })
            .map(|expr| {
                let array = match &**expr {
                    syn::Expr::Reference(r) => &r.expr,
                    other => panic!("{}", quote::ToTokens::to_token_stream(other)),
                };
                let syn::Expr::Array(array) = &**array else {
                    panic!("not an array")
                };
                array
                    .elems
                    .iter()
                    .map(|e| match e {
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        }) => s.value(),
                        _ => panic!("not a string"),
                    })
                    .collect()
            })
            .unwrap();
        assert_eq!(managed_headers(), declared.as_slice());
        for name in [
            "authorization",
            "signature",
            "upvest-client-id",
            "idempotency-key",
        ] {
            assert!(declared.iter().any(|d| d == name), "{declared:?}");
        }
    }

    /// The runtime crate's stand-ins for the templated files hold what the committed SDK (from
    /// the default description) has, so the runtime is tested with real values.
    #[test]
    fn the_stand_ins_match_the_committed_sdk() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for (_, path) in TEMPLATED {
            let read = |dir: &str| {
                let text = std::fs::read_to_string(root.join(dir).join(path)).unwrap();
                let mut file = syn::parse_file(&text).unwrap();
                // The stand-ins' module docs say what they are.
                file.attrs.clear();
                prettyplease::unparse(&file)
            };
            assert_eq!(read("runtime"), read("generated"), "{path}");
        }
    }

    /// What the text reading must agree with: the items of the parsed file that are not marked
    /// `#[cfg(test)]`.
    fn parsed_without_tests(source: &str) -> syn::File {
        let mut file = syn::parse_file(source).unwrap();
        file.items.retain(|item| {
            let attrs = match item {
                syn::Item::Mod(m) => &m.attrs,
                syn::Item::Fn(f) => &f.attrs,
                syn::Item::Use(u) => &u.attrs,
                syn::Item::Impl(i) => &i.attrs,
                _ => return true,
            };
            !attrs.iter().any(|attr| {
                attr.path().is_ident("cfg")
                    && attr
                        .parse_args::<syn::Ident>()
                        .is_ok_and(|ident| ident == "test")
            })
        });
        file
    }

    #[test]
    fn every_copied_file_is_its_source_without_the_unit_tests() {
        for (path, source) in FILES {
            let copied = without_tests(source);
            let expected = parsed_without_tests(source);
            let got = syn::parse_file(&copied).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                prettyplease::unparse(&got),
                prettyplease::unparse(&expected),
                "{path}"
            );
            assert!(!copied.contains("#[cfg(test)]"), "{path}");
            assert!(!copied.contains("\n\n\n"), "{path}: doubled blank line");
        }
    }

    #[test]
    fn unit_tests_are_not_copied() {
        let source = "fn kept() {}\n\n/// A helper.\n#[cfg(test)]\n#[allow(dead_code)]\nfn helper() {\n    let _ = 1;\n}\n\n#[cfg(test)]\nmod support;\n\n#[cfg(feature = \"x\")]\nfn gated() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
        assert_eq!(
            without_tests(source),
            "fn kept() {}\n\n#[cfg(feature = \"x\")]\nfn gated() {}\n"
        );
    }

    #[test]
    fn the_method_names_read_as_text_are_the_parsed_ones() {
        let parsed: BTreeSet<String> = FILES
            .iter()
            .flat_map(|(_, source)| syn::parse_file(source).unwrap().items)
            .filter_map(|item| match item {
                syn::Item::Impl(block)
                    if block.trait_.is_none()
                        && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")) =>
                {
                    Some(block.items)
                }
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .chain(["clone".to_string()])
            .collect();
        assert_eq!(client_methods(), &parsed);
        assert_eq!(
            method_name("    pub(crate) async fn send_json<T>(&self)"),
            Some("send_json".to_string())
        );
        assert_eq!(method_name("        fn nested() {}"), None);
        assert_eq!(method_name("    let fn_x = 1;"), None);
    }
}
