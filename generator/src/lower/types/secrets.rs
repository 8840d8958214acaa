//! Secret detection: which fields hold credentials, so that `Debug` redacts them.

/// Property names that hold credentials (the token request's `client_secret`, the token
/// response's `access_token`): secrets never appear in `Debug` output.
const SECRET_NAMES: &[&str] = &[
    "access_token",
    "api_key",
    "client_secret",
    "id_token",
    "password",
    "private_key",
    "refresh_token",
    "secret",
];

pub(super) fn is_secret(wire: &str) -> bool {
    SECRET_NAMES.contains(&wire.to_ascii_lowercase().as_str())
}
