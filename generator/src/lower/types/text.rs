//! Type text: a type expression as the Rust people write it.

use super::*;

/// A type as text the way people write it (`Vec<crate::models::X>`), not with the spaces
/// between tokens that `TokenStream::to_string` puts in (`Vec < crate :: models :: X >`): the
/// text also appears in docs and READMEs, where no formatter tidies it.
pub(super) fn tidy(tokens: &TokenStream) -> String {
    tokens
        .to_string()
        .replace(" :: ", "::")
        .replace(" < ", "<")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// The Rust type of `ty`; named types are qualified with `module` when given.
pub(super) fn rust_type(ty: &Ty, names: &[String], module: Option<&str>) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Uuid => quote!(uuid::Uuid),
        Ty::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        Ty::Date => quote!(chrono::NaiveDate),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bool => quote!(bool),
        Ty::Json => quote!(serde_json::Value),
        Ty::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        Ty::Vec(inner) => {
            let inner = rust_type(inner, names, module);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner, names, module);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Boxed(inner) => {
            let inner = rust_type(inner, names, module);
            quote!(Box<#inner>)
        }
        // Resolved before any type is printed (see `substitute`).
        Ty::Recursive(_) => quote!(serde_json::Value),
        Ty::Named(i) | Ty::Cyclic(i) => {
            let name = format_ident!("{}", names[*i]);
            match module {
                Some(m) => {
                    let m = format_ident!("{}", m);
                    quote!(crate::#m::#name)
                }
                None => quote!(#name),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_text_is_tidy() {
        let ty = Ty::Map(Box::new(Ty::Vec(Box::new(Ty::Named(0)))));
        let names = vec!["Account".to_string()];
        assert_eq!(
            tidy(&rust_type(&ty, &names, Some("models"))),
            "std::collections::BTreeMap<String, Vec<crate::models::Account>>"
        );
        let nested = quote!(Option<Option<chrono::DateTime<chrono::Utc>>>);
        assert_eq!(
            tidy(&nested),
            "Option<Option<chrono::DateTime<chrono::Utc>>>"
        );
    }
}
