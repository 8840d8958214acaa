//! The HTTP error statuses the SDK names: the variants of the runtime's one `ErrorStatus` type.
//! The list does not depend on the description (a status Upvest adds later is still named, or
//! is `ErrorStatus::Other(code)`), so it never changes when the description does.

use crate::model::StatusReason;

/// Every 4xx and 5xx status of the IANA registry, with the variant that names it.
const REASONS: &[(u16, &str, &str)] = &[
    (400, "BadRequest", "Bad Request"),
    (401, "Unauthorized", "Unauthorized"),
    (402, "PaymentRequired", "Payment Required"),
    (403, "Forbidden", "Forbidden"),
    (404, "NotFound", "Not Found"),
    (405, "MethodNotAllowed", "Method Not Allowed"),
    (406, "NotAcceptable", "Not Acceptable"),
    (
        407,
        "ProxyAuthenticationRequired",
        "Proxy Authentication Required",
    ),
    (408, "RequestTimeout", "Request Timeout"),
    (409, "Conflict", "Conflict"),
    (410, "Gone", "Gone"),
    (411, "LengthRequired", "Length Required"),
    (412, "PreconditionFailed", "Precondition Failed"),
    (413, "PayloadTooLarge", "Content Too Large"),
    (414, "UriTooLong", "URI Too Long"),
    (415, "UnsupportedMediaType", "Unsupported Media Type"),
    (416, "RangeNotSatisfiable", "Range Not Satisfiable"),
    (417, "ExpectationFailed", "Expectation Failed"),
    (421, "MisdirectedRequest", "Misdirected Request"),
    (422, "UnprocessableEntity", "Unprocessable Content"),
    (423, "Locked", "Locked"),
    (424, "FailedDependency", "Failed Dependency"),
    (425, "TooEarly", "Too Early"),
    (426, "UpgradeRequired", "Upgrade Required"),
    (428, "PreconditionRequired", "Precondition Required"),
    (429, "TooManyRequests", "Too Many Requests"),
    (
        431,
        "RequestHeaderFieldsTooLarge",
        "Request Header Fields Too Large",
    ),
    (
        451,
        "UnavailableForLegalReasons",
        "Unavailable For Legal Reasons",
    ),
    (500, "InternalServerError", "Internal Server Error"),
    (501, "NotImplemented", "Not Implemented"),
    (502, "BadGateway", "Bad Gateway"),
    (503, "ServiceUnavailable", "Service Unavailable"),
    (504, "GatewayTimeout", "Gateway Timeout"),
    (505, "HttpVersionNotSupported", "HTTP Version Not Supported"),
    (506, "VariantAlsoNegotiates", "Variant Also Negotiates"),
    (507, "InsufficientStorage", "Insufficient Storage"),
    (508, "LoopDetected", "Loop Detected"),
    (510, "NotExtended", "Not Extended"),
    (
        511,
        "NetworkAuthenticationRequired",
        "Network Authentication Required",
    ),
];

/// The named statuses, in code order.
pub fn reasons() -> Vec<StatusReason> {
    REASONS
        .iter()
        .map(|&(code, variant, reason)| StatusReason {
            code,
            variant: variant.to_string(),
            reason: reason.to_string(),
        })
        .collect()
}

/// The `ErrorStatus` variant of a response key (`"409"`), as Rust text: a named one, else
/// `Other(code)`; `None` for keys that are not one status (`default`, `4XX`).
pub fn variant_of(status: &str) -> Option<String> {
    let code: u16 = status.parse().ok()?;
    Some(match REASONS.iter().find(|(c, ..)| *c == code) {
        Some((_, variant, _)) => variant.to_string(),
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
    fn statuses_are_sorted_unique_errors() {
        assert!(REASONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(REASONS.iter().all(|(c, ..)| (400..600).contains(c)));
        let mut variants: Vec<&str> = REASONS.iter().map(|(_, v, _)| *v).collect();
        variants.sort();
        variants.dedup();
        assert_eq!(variants.len(), REASONS.len());
    }

    #[test]
    fn keys_map_to_variants() {
        assert_eq!(variant_of("409").as_deref(), Some("Conflict"));
        assert_eq!(variant_of("499").as_deref(), Some("Other(499)"));
        assert_eq!(variant_of("default"), None);
        assert_eq!(variant_of("4XX"), None);
        assert_eq!(link_of("Other(499)"), "crate::ErrorStatus::Other");
    }
}
