//! The HTTP error statuses the SDK names: the variants of the runtime's one `ErrorStatus` type,
//! read from the runtime itself ([`crate::runtime::error_statuses`]). The list does not depend
//! on the description (a status Upvest adds later is still named, or is
//! `ErrorStatus::Other(code)`), so it never changes when the description does.

/// The `ErrorStatus` variant of a response key (`"409"`), as Rust text: a named one, else
/// `Other(code)`; `None` for keys that are not one status (`default`, `4XX`).
pub fn variant_of(status: &str) -> Option<String> {
    let code: u16 = status.parse().ok()?;
    let named = crate::runtime::error_statuses();
    Some(match named.iter().find(|(c, _)| *c == code) {
        Some((_, variant)) => variant.clone(),
        None => format!("Other({code})"),
    })
}

/// The doc link of a value [`variant_of`] returned.
pub fn link_of(variant: &str) -> String {
    let name = variant.split('(').next().unwrap_or(variant);
    format!("crate::ErrorStatus::{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_variants() {
        assert_eq!(variant_of("409").as_deref(), Some("Conflict"));
        assert_eq!(variant_of("499").as_deref(), Some("Other(499)"));
        assert_eq!(variant_of("default"), None);
        assert_eq!(variant_of("4XX"), None);
        assert_eq!(link_of("Other(499)"), "crate::ErrorStatus::Other");
    }
}
