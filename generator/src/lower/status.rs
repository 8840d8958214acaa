//! The HTTP error statuses the SDK names: the variants of the runtime's one `ErrorStatus` type,
//! read from the runtime itself ([`crate::runtime::error_statuses`]). The list does not depend
//! on the description (a status Upvest adds later is still named, or is
//! `ErrorStatus::Other(code)`), so it never changes when the description does.

use crate::model::ErrorStatus;

/// The `ErrorStatus` value of a response key (`"409"`): a named variant, else `Other(code)`;
/// `None` for keys that are not one status (`default`, `4XX`).
pub fn variant_of(status: &str) -> Option<ErrorStatus> {
    let code: u16 = status.parse().ok()?;
    let named = crate::runtime::error_statuses();
    Some(match named.iter().find(|(c, _)| *c == code) {
        Some((_, variant)) => ErrorStatus::Named(variant),
        None => ErrorStatus::Other(code),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_variants() {
        assert_eq!(variant_of("409"), Some(ErrorStatus::Named("Conflict")));
        assert_eq!(variant_of("499"), Some(ErrorStatus::Other(499)));
        assert_eq!(variant_of("default"), None);
        assert_eq!(variant_of("4XX"), None);
    }

    /// The template prints the value and links the variant by name.
    #[test]
    fn a_status_prints_as_its_value_and_names_its_variant() {
        let other = serde_json::to_value(ErrorStatus::Other(499)).unwrap();
        assert_eq!(
            other,
            serde_json::json!({"value": "Other(499)", "name": "Other"})
        );
        let named = serde_json::to_value(variant_of("409")).unwrap();
        assert_eq!(
            named,
            serde_json::json!({"value": "Conflict", "name": "Conflict"})
        );
    }
}
