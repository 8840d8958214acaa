//! The SDK's runtime: the sources of the `runtime/` crate, which the generator copies into every
//! SDK it writes, and the names they take (an operation may not take them).
//!
//! The runtime is a workspace crate so that it is compiled, linted and unit-tested like any other
//! Rust code; the generated crate stays self-contained because it gets a copy. Its unit tests
//! (`#[cfg(test)]` items) stay behind: [`strip_tests`] drops them from the copy.

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
    ("src/error.rs", include_str!("../../runtime/src/error.rs")),
    (
        "src/serde_helpers.rs",
        include_str!("../../runtime/src/serde_helpers.rs"),
    ),
];

/// The runtime's files that depend on the description: the generator writes them from these
/// templates (the runtime crate has stand-ins at the same paths).
pub const TEMPLATED: &[(&str, &str)] = &[
    ("servers.rs", "src/client/servers.rs"),
    ("error_status.rs", "src/error/status.rs"),
];

/// Drops the runtime's unit tests (items marked `#[cfg(test)]`) from a parsed file.
pub fn strip_tests(file: &mut syn::File) {
    file.items.retain(|item| !is_test_only(item));
}

fn is_test_only(item: &syn::Item) -> bool {
    let attrs = match item {
        syn::Item::Mod(m) => &m.attrs,
        syn::Item::Fn(f) => &f.attrs,
        syn::Item::Use(u) => &u.attrs,
        syn::Item::Impl(i) => &i.attrs,
        _ => return false,
    };
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// The methods of the runtime's `Client` (in any of its files), public or not: a generated
/// method with one of these names would not compile.
pub fn client_methods() -> &'static BTreeSet<String> {
    static METHODS: OnceLock<BTreeSet<String>> = OnceLock::new();
    METHODS.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(_, source)| syn::parse_file(source).ok())
            .flat_map(|file| file.items)
            .filter_map(|item| match item {
                syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                    Some(block.items)
                }
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            // Methods every type has through the traits `Client` derives.
            .chain(["clone".to_string()])
            .collect()
    })
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
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

    #[test]
    fn unit_tests_are_not_copied() {
        let mut file: syn::File = syn::parse_str(
            "fn kept() {}\n#[cfg(test)]\nmod tests { #[test] fn t() {} }\n#[cfg(feature = \"x\")]\nfn gated() {}",
        )
        .unwrap();
        strip_tests(&mut file);
        let names: Vec<String> = file
            .items
            .iter()
            .map(|item| match item {
                syn::Item::Fn(f) => f.sig.ident.to_string(),
                _ => "another item".to_string(),
            })
            .collect();
        assert_eq!(names, ["kept", "gated"]);
    }
}
