//! The servers the description lists.
//!
//! A stand-in: the generator writes this file from `templates/servers.rs.jinja`.

/// The servers the description lists, with their descriptions.
pub const SERVERS: &[(&str, &str)] = &[
    (
        "https://sandbox.upvest.co",
        "Sandbox environment, for development and testing.",
    ),
    ("https://api.upvest.co", "Live environment."),
];

/// The base URL used when none is configured: the first server of the description.
pub const DEFAULT_BASE_URL: &str = "https://sandbox.upvest.co";
