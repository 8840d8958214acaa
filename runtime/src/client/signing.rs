//! Upvest's HTTP message signatures (draft-ietf-httpbis-message-signatures-15, signature version
//! 15): the `signature-input`, `signature` and `content-digest` headers every request carries.
//!
//! The signature base has one line per covered component, `"<name>": <value>`, in the order the
//! `signature-input` declares, then `"@signature-params": <parameters>`. Ed25519 signs the base
//! bytes; ECDSA (P-256, P-521) signs the SHA-512 of the base and the signature is DER-encoded.

use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use p256::ecdsa::signature::hazmat::PrehashSigner as _;
use p256::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _, LineEnding};
use sha2::{Digest as _, Sha512};

use crate::error::Error;

/// Re-exported: [`Signer::sign`] takes the request URL as a `reqwest::Url`.
pub use reqwest::Url;

/// The value of the `upvest-signature-version` header.
pub const SIGNATURE_VERSION: &str = "15";

/// The components Upvest's own signer covers, in its order; absent ones are left out.
pub const DEFAULT_COMPONENTS: &[&str] = &[
    "@method",
    "@path",
    "@query",
    "accept",
    "authorization",
    "content-type",
    "upvest-api-version",
    "upvest-client-id",
    "idempotency-key",
    "content-digest",
    "content-length",
];

/// How long a signature is valid after its `created` time (Upvest's signer uses 10 s).
const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(10);

/// A private key that signs requests: Ed25519, or ECDSA on P-256 or P-521.
///
/// Read it from PEM, PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`). Its `Debug`
/// output names the algorithm only.
#[derive(Clone)]
pub struct SigningKey {
    kind: KeyKind,
}

/// EC keys keep their signer ready: making one derives the public key, which would double
/// the cost of every signature.
#[derive(Clone)]
enum KeyKind {
    Ed25519(Box<ed25519_dalek::SigningKey>),
    P256(Box<(p256::SecretKey, p256::ecdsa::SigningKey)>),
    P521(Box<(p521::SecretKey, p521::ecdsa::SigningKey)>),
}

impl KeyKind {
    fn p256(key: p256::SecretKey) -> Self {
        let signer = p256::ecdsa::SigningKey::from(&key);
        Self::P256(Box::new((key, signer)))
    }

    fn p521(key: p521::SecretKey) -> Result<Self, Error> {
        let signer = p521::ecdsa::SigningKey::from_slice(&key.to_bytes())
            .map_err(|_| key_error("an invalid P-521 key"))?;
        Ok(Self::P521(Box::new((key, signer))))
    }
}

impl SigningKey {
    /// Reads a PEM private key. Errors name the problem, never the key material.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let pem = pem.trim();
        let kind = if pem.starts_with("-----BEGIN PRIVATE KEY-----") {
            pkcs8_key(pem)?
        } else if pem.starts_with("-----BEGIN EC PRIVATE KEY-----") {
            sec1_key(pem)?
        } else if pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(key_error(
                "the key is encrypted; decrypt it first (for example `openssl pkcs8 -in key.pem -out plain.pem`)",
            ));
        } else {
            return Err(key_error(
                "expected a PEM private key: `-----BEGIN PRIVATE KEY-----` (PKCS#8) or `-----BEGIN EC PRIVATE KEY-----` (SEC1)",
            ));
        };
        Ok(Self { kind })
    }

    /// Reads a PEM private key from a file.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let pem = std::fs::read_to_string(path).map_err(|e| {
            Error::Config(format!(
                "cannot read the signing key {}: {e}",
                path.display()
            ))
        })?;
        Self::from_pem(&pem).map_err(|e| match e {
            Error::Config(message) => Error::Config(format!("{}: {message}", path.display())),
            other => other,
        })
    }

    /// `ed25519`, `ecdsa-p256-sha512` or `ecdsa-p521-sha512`.
    pub fn algorithm(&self) -> &'static str {
        match self.kind {
            KeyKind::Ed25519(_) => "ed25519",
            KeyKind::P256(_) => "ecdsa-p256-sha512",
            KeyKind::P521(_) => "ecdsa-p521-sha512",
        }
    }

    /// The public key as a PEM `SubjectPublicKeyInfo`: what you register with Upvest.
    pub fn public_key_pem(&self) -> Result<String, Error> {
        let pem = match &self.kind {
            KeyKind::Ed25519(key) => key.verifying_key().to_public_key_pem(LineEnding::LF),
            KeyKind::P256(key) => key.0.public_key().to_public_key_pem(LineEnding::LF),
            KeyKind::P521(key) => key.0.public_key().to_public_key_pem(LineEnding::LF),
        };
        pem.map_err(|e| Error::Signing(format!("cannot encode the public key: {e}")))
    }

    /// The raw signature over a signature base.
    fn sign(&self, base: &[u8]) -> Result<Vec<u8>, Error> {
        use ed25519_dalek::Signer as _;
        match &self.kind {
            KeyKind::Ed25519(key) => Ok(key.sign(base).to_bytes().to_vec()),
            KeyKind::P256(key) => {
                let signature: p256::ecdsa::Signature =
                    key.1
                        .sign_prehash(&Sha512::digest(base))
                        .map_err(|e| Error::Signing(format!("ECDSA P-256 signing failed: {e}")))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
            KeyKind::P521(key) => {
                let signature: p521::ecdsa::Signature =
                    key.1
                        .sign_prehash(&Sha512::digest(base))
                        .map_err(|e| Error::Signing(format!("ECDSA P-521 signing failed: {e}")))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("private_key", &"[redacted]")
            .finish()
    }
}

fn key_error(message: &str) -> Error {
    Error::Config(format!("invalid signing key: {message}"))
}

/// PKCS#8 names its algorithm; try each supported one.
fn pkcs8_key(pem: &str) -> Result<KeyKind, Error> {
    if let Ok(key) = ed25519_dalek::SigningKey::from_pkcs8_pem(pem) {
        return Ok(KeyKind::Ed25519(Box::new(key)));
    }
    if let Ok(key) = p256::SecretKey::from_pkcs8_pem(pem) {
        return Ok(KeyKind::p256(key));
    }
    if let Ok(key) = p521::SecretKey::from_pkcs8_pem(pem) {
        return KeyKind::p521(key);
    }
    Err(key_error(
        "a PKCS#8 key that is not Ed25519, ECDSA P-256 or ECDSA P-521 (the algorithms Upvest accepts), or a damaged one",
    ))
}

fn sec1_key(pem: &str) -> Result<KeyKind, Error> {
    if let Ok(key) = p256::SecretKey::from_sec1_pem(pem) {
        return Ok(KeyKind::p256(key));
    }
    if let Ok(key) = p521::SecretKey::from_sec1_pem(pem) {
        return KeyKind::p521(key);
    }
    Err(key_error(
        "a SEC1 EC key on a curve other than P-256 or P-521, or a damaged one",
    ))
}

/// Fixes what a signature would otherwise take from the clock and the random generator, and the
/// order of the covered components. Leave it at its default in production: it exists so tests
/// can compare signatures byte for byte with Upvest's own signer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SigningOptions {
    components: Option<Vec<String>>,
    created: Option<u64>,
    nonce: Option<String>,
    expires_in: Option<Duration>,
}

impl SigningOptions {
    /// The defaults: current time, a random UUID nonce, Upvest's component order, 10 s validity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Covered components in this order first; required ones left out are appended in the
    /// default order, and absent ones (no query, no body) are skipped.
    pub fn components<I, S>(mut self, components: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.components = Some(components.into_iter().map(Into::into).collect());
        self
    }

    /// A fixed `created` time (Unix seconds).
    pub fn created(mut self, created: u64) -> Self {
        self.created = Some(created);
        self
    }

    /// A fixed nonce.
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }

    /// How long after `created` the signature expires (default 10 s).
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = Some(expires_in);
        self
    }

    fn order(&self) -> Vec<&str> {
        let mut order: Vec<&str> = Vec::new();
        let chosen = self.components.iter().flatten().map(String::as_str);
        for name in chosen.chain(DEFAULT_COMPONENTS.iter().copied()) {
            if !order.contains(&name) {
                order.push(name);
            }
        }
        order
    }
}

/// Signs requests with one key under one key ID.
#[derive(Clone, Debug)]
pub struct Signer {
    key: SigningKey,
    key_id: String,
    options: SigningOptions,
}

/// The headers a signature adds, and the base it signed (for diagnostics and tests). Its
/// `Debug` output leaves out the bearer token the base covers.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signature {
    /// `sha-512=:<base64>:` when the request has a body.
    pub content_digest: Option<String>,
    /// `sig1=(...);keyid=...;nonce=...;created=...;expires=...`.
    pub signature_input: String,
    /// `sig1=:<base64>:`.
    pub signature: String,
    /// The signature base, exactly the bytes signed.
    pub base: String,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let base: Vec<&str> = self
            .base
            .lines()
            .map(|line| {
                if line.starts_with("\"authorization\":") {
                    "\"authorization\": [redacted]"
                } else {
                    line
                }
            })
            .collect();
        f.debug_struct("Signature")
            .field("content_digest", &self.content_digest)
            .field("signature_input", &self.signature_input)
            .field("signature", &self.signature)
            .field("base", &base.join("\n"))
            .finish()
    }
}

impl Signer {
    /// A signer for `key`, registered with Upvest under `key_id`.
    pub fn new(key: SigningKey, key_id: impl Into<String>) -> Self {
        Self {
            key,
            key_id: key_id.into(),
            options: SigningOptions::default(),
        }
    }

    /// Replaces the [`SigningOptions`].
    pub fn with_options(mut self, options: SigningOptions) -> Self {
        self.options = options;
        self
    }

    /// The key this signer uses.
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// Signs a request. `headers` are the lowercase names and exact values that will be sent;
    /// when `body` is non-empty, `content-length` and `content-digest` are covered too (the
    /// caller sends the returned digest and the body's length).
    pub fn sign(
        &self,
        method: &str,
        url: &reqwest::Url,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Signature, Error> {
        let content_digest = (!body.is_empty())
            .then(|| format!("sha-512=:{}:", BASE64.encode(Sha512::digest(body))));
        let content_length = body.len().to_string();
        let method = method.to_ascii_uppercase();
        let path = if url.path().is_empty() {
            "/"
        } else {
            url.path()
        };
        let query = url.query().map(|q| format!("?{q}"));
        let value_of = |name: &str| -> Option<&str> {
            match name {
                "@method" => Some(method.as_str()),
                "@path" => Some(path),
                "@query" => query.as_deref(),
                "content-digest" => content_digest.as_deref(),
                "content-length" if !body.is_empty() => Some(content_length.as_str()),
                "content-length" => None,
                // Trimmed, as the receiver sees the value (RFC 9421 2.1): a value sent with a
                // leading or trailing space must not be signed with it.
                header => headers
                    .iter()
                    .find(|(n, _)| *n == header)
                    .map(|(_, v)| v.trim_matches([' ', '\t'])),
            }
        };
        let covered: Vec<(&str, &str)> = self
            .options
            .order()
            .into_iter()
            .filter_map(|name| value_of(name).map(|value| (name, value)))
            .collect();
        let params = self.params(&covered);
        let mut base = String::new();
        for (name, value) in &covered {
            base.push_str(&format!("\"{name}\": {value}\n"));
        }
        base.push_str(&format!("\"@signature-params\": {params}"));
        let signature = BASE64.encode(self.key.sign(base.as_bytes())?);
        Ok(Signature {
            content_digest,
            signature_input: format!("sig1={params}"),
            signature: format!("sig1=:{signature}:"),
            base,
        })
    }

    /// `("c1" "c2");keyid="..";nonce="..";created=N;expires=N`, in Upvest's parameter order.
    fn params(&self, covered: &[(&str, &str)]) -> String {
        let names: Vec<String> = covered.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let created = self.options.created.unwrap_or_else(unix_now);
        let expires = created
            + self
                .options
                .expires_in
                .unwrap_or(DEFAULT_EXPIRES_IN)
                .as_secs();
        let nonce = self
            .options
            .nonce
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        format!(
            "({});keyid=\"{}\";nonce=\"{nonce}\";created={created};expires={expires}",
            names.join(" "),
            self.key_id
        )
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
