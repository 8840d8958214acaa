//! The fake's check of a request's HTTP message signature with the public half of the client's
//! key ([`Fake::verify_signatures`](super::Fake::verify_signatures)), as Upvest's gateway checks
//! it: the `signature-input`'s covered components rebuilt into the signature base from the
//! request as received, the `content-digest` against the body, the expiry, the signature.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::pkcs8::DecodePublicKey as _;
use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
use sha2::{Digest as _, Sha512};

/// A public key that checks signatures: Ed25519, or ECDSA on P-256 or P-521 over SHA-512.
#[derive(Clone)]
pub(super) enum PublicKey {
    Ed25519(ed25519_dalek::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    P521(Box<p521::ecdsa::VerifyingKey>),
}

impl PublicKey {
    /// Reads a PEM public key (`BEGIN PUBLIC KEY`), as `SigningKey::public_key_pem` writes it.
    pub(super) fn from_pem(pem: &str) -> Option<Self> {
        if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_pem(pem) {
            return Some(Self::Ed25519(key));
        }
        if let Ok(key) = p256::PublicKey::from_public_key_pem(pem) {
            return Some(Self::P256(key.into()));
        }
        let key = p521::PublicKey::from_public_key_pem(pem).ok()?;
        let point = p521::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&key, false);
        p521::ecdsa::VerifyingKey::from_sec1_bytes(point.as_bytes())
            .ok()
            .map(|key| Self::P521(Box::new(key)))
    }

    fn verifies(&self, base: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Ed25519(key) => ed25519_dalek::Signature::from_slice(signature)
                .is_ok_and(|s| key.verify_strict(base, &s).is_ok()),
            Self::P256(key) => p256::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| key.verify_prehash(&Sha512::digest(base), &s).is_ok()),
            Self::P521(key) => p521::ecdsa::Signature::from_der(signature)
                .is_ok_and(|s| key.verify_prehash(&Sha512::digest(base), &s).is_ok()),
        }
    }
}

/// Whether `request` carries a valid signature by `key`, or why not.
pub(super) fn check(key: &PublicKey, request: &reqwest::Request) -> Result<(), String> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.trim_matches([' ', '\t']))
    };
    let params = header("signature-input")
        .ok_or("no `signature-input` header")?
        .strip_prefix("sig1=")
        .ok_or("the `signature-input` has no `sig1`")?;
    let signature = header("signature")
        .and_then(|v| v.strip_prefix("sig1=:")?.strip_suffix(':'))
        .and_then(|v| BASE64.decode(v).ok())
        .ok_or("no `signature` header of `sig1`")?;
    let names = params
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(')'))
        .map(|(names, _)| names)
        .ok_or("the `signature-input` lists no components")?;
    let expires = params
        .split(';')
        .find_map(|p| p.strip_prefix("expires=")?.parse::<u64>().ok());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if expires.is_some_and(|expires| expires < now) {
        return Err("the signature expired".into());
    }
    let body = request
        .body()
        .and_then(|b| b.as_bytes())
        .unwrap_or_default();
    let url = request.url();
    let mut base = String::new();
    for name in names.split_whitespace() {
        let name = name.trim_matches('"');
        let value = match name {
            "@method" => request.method().as_str().to_string(),
            "@path" => url.path().to_string(),
            "@query" => format!("?{}", url.query().ok_or("`@query` covered, none sent")?),
            "content-length" => body.len().to_string(),
            "content-digest" => {
                let sent = header(name).ok_or("`content-digest` covered, none sent")?;
                let digest = format!("sha-512=:{}:", BASE64.encode(Sha512::digest(body)));
                if sent != digest {
                    return Err("the `content-digest` is not the body's".into());
                }
                digest
            }
            other => header(other)
                .ok_or_else(|| format!("`{other}` covered, none sent"))?
                .to_string(),
        };
        base.push_str(&format!("\"{name}\": {value}\n"));
    }
    base.push_str(&format!("\"@signature-params\": {params}"));
    if key.verifies(base.as_bytes(), &signature) {
        Ok(())
    } else {
        Err("the signature does not verify with the client's public key".into())
    }
}

#[cfg(test)]
mod tests {
    use p256::pkcs8::{EncodePrivateKey as _, LineEnding};

    use super::super::{Fake, Thing};
    use crate::client::{Client, Request, SigningKey};
    use crate::error::ErrorStatus;

    fn ed25519(seed: u8) -> SigningKey {
        let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        SigningKey::from_pem(&key.to_pkcs8_pem(LineEnding::LF).unwrap()).unwrap()
    }

    fn p256(seed: u8) -> SigningKey {
        let key = p256::SecretKey::from_slice(&[seed; 32]).unwrap();
        SigningKey::from_pem(&key.to_pkcs8_pem(LineEnding::LF).unwrap()).unwrap()
    }

    fn create() -> Request {
        let mut request = Request::new("create_thing", reqwest::Method::POST);
        request.segment("things");
        request.idempotency_key(&"k").unwrap();
        let thing = Thing {
            id: uuid::Uuid::from_u128(7),
            name: "signed".into(),
        };
        request.json_body(&thing).unwrap();
        request
    }

    fn signing_client(config: crate::client::ConfigBuilder, key: SigningKey) -> Client {
        Client::new(config.signing_key(key).key_id("key-1").build().unwrap()).unwrap()
    }

    #[tokio::test]
    async fn a_request_signed_with_the_configured_key_passes() {
        let fake = Fake::new();
        fake.strict();
        let key = ed25519(1);
        fake.verify_signatures(&key.public_key_pem().unwrap());
        let client = signing_client(fake.config(), key);
        let created = client.send_json::<Thing>(create()).await.unwrap();
        assert_eq!(created.data.name, "signed");
        // Over HTTP, with an ECDSA key, the same.
        let fake = Fake::new();
        fake.strict();
        let key = p256(2);
        fake.verify_signatures(&key.public_key_pem().unwrap());
        let served = fake.serve().unwrap();
        let client = signing_client(served.config(), key);
        client.send_json::<Thing>(create()).await.unwrap();
    }

    #[tokio::test]
    async fn a_missing_or_foreign_signature_is_unauthorized() {
        let fake = Fake::new();
        fake.verify_signatures(&ed25519(1).public_key_pem().unwrap());
        let reason = |error: crate::error::Error| {
            assert_eq!(error.error_status(), Some(ErrorStatus::Unauthorized));
            let api = error.as_api().expect("an API error").clone();
            api.problem.and_then(|p| p.detail).unwrap_or_default()
        };
        let unsigned = Client::new(fake.config_with_scopes(["things:write"]).build().unwrap())
            .unwrap()
            .send_json::<Thing>(create())
            .await
            .unwrap_err();
        assert_eq!(reason(unsigned), "signature: no `signature-input` header");
        let foreign = signing_client(fake.config_with_scopes(["things:write"]), ed25519(2))
            .send_json::<Thing>(create())
            .await
            .unwrap_err();
        assert_eq!(
            reason(foreign),
            "signature: the signature does not verify with the client's public key"
        );
    }
}
