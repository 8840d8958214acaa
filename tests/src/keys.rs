//! The signing oracle's fixed, public, test-only private keys (`oracle.py --print-test-key`):
//! one copy for the runtime tests and the benches.

/// Ed25519, the key kind Upvest recommends.
pub const ED25519: &str = "-----BEGIN PRIVATE KEY-----\n\
    MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n\
    -----END PRIVATE KEY-----\n";

/// ECDSA on P-256.
pub const P256: &str = "-----BEGIN PRIVATE KEY-----\n\
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAQIDBAUGBwgJCgsM\n\
    DQ4PEBESExQVFhcYGRobHB0eHyChRANCAARRXD1uueOWuQTT/sp/VP3NDMHpl783\n\
    XcpRWtCmw7QDX0U2vjpQ8xj7+aVHWQKiIVAr7w1X4IxTsswKVvF9n5NU\n\
    -----END PRIVATE KEY-----\n";

/// ECDSA on P-521, the slowest kind to sign with.
pub const P521: &str = "-----BEGIN PRIVATE KEY-----\n\
    MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAAQIDBAUGBwgJCgsM\n\
    DQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8\n\
    PT4/QEGhgYkDgYYABAEm9+am33CHyUsMGwsZSoVmnugQ/aLq4SymQWDe1rJsRkde\n\
    vtzOrkAR2o7dXGOU4LC9QgmhUifyV0ZWJWhUp+tuRgG5okjNQBfd1ML2zCfPCjB6\n\
    GDjukjeRPYpQF2C3pjjJVzuaCgjO0wvvp6PAk4u6qncKe8N90XWVfLOkXr3jyYJu\n\
    6w==\n\
    -----END PRIVATE KEY-----\n";
