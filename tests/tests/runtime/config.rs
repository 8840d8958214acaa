//! The client's configuration: what it requires, the keys it reads (Ed25519, P-256, P-521 in
//! PKCS#8 or SEC1, from a string or a file), clear errors for wrong keys that never quote the key,
//! and the environments.

use upvest::{Config, Error};

use crate::support::{base, KEY_PEM};

/// A test-only RSA key: Upvest does not accept RSA.
const RSA: &str = "-----BEGIN PRIVATE KEY-----
MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAMymSeJCI0GCDJ2/
6ku3HakSacqSbvoq2wJruxxBe1o7jcLwpTd3wTPobnjg4OjtwphCDhn+BRPGOM8O
dDneGiLvt+ltUGV4pBWDRxKHessqCcdMrbzNToFlFO08rwYbTytoCb6wZnzCL4Sf
HIhlIqpW7juytxtE3v1B5wD5bCp9AgMBAAECgYAvghL40X25wWUIYfsUJKhgDYQ9
oIzeyoAZKcVAI/ts0RJxxMe1/rj9QeITcbEEod1g10TKx+uJ0aRyfNqCbIsIUu5M
ndU7kgC6dvxVNpwaQY+JyPYq13WTpPIVGB4keGz956xtCqbmrY/ZOr1wHy02mFD3
jvB/wHg1j24Dum+TQQJBAOnNLOKS9AUyAX9JAYbLAWdRCtoSCIFykZWD7OyiyZKS
3rcUgweAdwhmgfKxteBV2yy1R3Loa7qZF6y88gljxFkCQQDgFIqZLgXxGgiUDGY6
/E0MKAnO2jw6Wjf8+B0vC/2xqroey+UV5vnWnf0Chk1xj8QidLlszP3NG+Wn8y8i
3GLFAkBN/CYQnTvPz9I4Br3/nA8nyxx3iLRVmUV+Pbb1Z4cc4Ohw4OKjyfHqV2bY
8PXdkkW9L+pZJbVpVE9VSuDgyOphAkBpzik3dPzHQFSmm0g2N+WlhM5ExtVDdFAV
eY5GJbJPjt69JedwtRRpG0ZZR9MPeSPSZS0cy5pXnAGPkQtDua5FAkB3EsCm5Q8v
wDthBu2Y9p1HHIaqdVVB75wJRBQPlDOqsHavkj753K/zztvwODHmjTysBV3NYn9x
Kec+1PEMJD2p
-----END PRIVATE KEY-----
";

/// A test-only key on P-384, a curve Upvest does not accept.
const P384_SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDBgz+6d+aMb5kNAFS6rgOczupXpjLZt2jBYod+metTAgZ8XBP4ksLcX
PzK1fBHrH+SgBwYFK4EEACKhZANiAATTVmtlsfLx9YdqMZTQ+ZkUhxxn21GDg0K7
//bZrAXqN0xrI6UaJKnuwEvf0H6aj7gdCZqgUcLOv4/mZMNm+wnPoq7hU7Uiftq9
IU/bfDZ+HhKf1PgptrfF4RLCPjQZSqQ=
-----END EC PRIVATE KEY-----
";

fn config_error(result: Result<Config, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[test]
fn wrong_keys_are_clear_configuration_errors_that_do_not_quote_the_key() {
    let cases = [
        ("not a key", "expected a PEM private key"),
        (RSA, "not Ed25519, ECDSA P-256 or ECDSA P-521"),
        (P384_SEC1, "curve other than P-256 or P-521"),
        (
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
            "decrypt it first",
        ),
        (
            "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n",
            "damaged",
        ),
    ];
    for (pem, expected) in cases {
        let message = config_error(base().signing_key_pem(pem).key_id("k").build());
        assert!(message.contains(expected), "{message}");
        assert!(!message.contains("MII"), "the key shows: {message}");
    }
}

#[test]
fn a_key_file_is_read_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("key.pem");
    std::fs::write(&file, KEY_PEM).unwrap();
    let config = base().signing_key_file(&file).key_id("k").build().unwrap();
    assert_eq!(config.signer().unwrap().key().algorithm(), "ed25519");

    let missing = dir.path().join("missing.pem");
    let message = config_error(base().signing_key_file(&missing).key_id("k").build());
    assert!(message.contains("missing.pem"), "{message}");
}

#[test]
fn a_key_needs_its_key_id_and_a_key_id_its_key() {
    let message = config_error(base().signing_key_pem(KEY_PEM).build());
    assert!(message.contains("key ID"), "{message}");
    let message = config_error(base().key_id("k").build());
    assert!(message.contains("no signing key"), "{message}");
}

#[test]
fn credentials_and_client_id_are_checked() {
    let message = config_error(Config::builder().client_secret("s").build());
    assert!(message.contains("client ID"), "{message}");
    let message = config_error(base().access_token("t").build());
    assert!(message.contains("not both"), "{message}");
    let message = config_error(base().header("authorization", "x").build());
    assert!(message.contains("set by the client"), "{message}");
    let message = config_error(base().base_url("not a url").build());
    assert!(message.contains("invalid base URL"), "{message}");
}

#[test]
fn a_key_id_that_would_break_signature_input_is_refused() {
    for bad in ["a\"b", "a\\b", "a\nb"] {
        let message = config_error(base().signing_key_pem(KEY_PEM).key_id(bad).build());
        assert!(message.contains("cannot be sent"), "{bad:?}: {message}");
    }
    assert!(base()
        .signing_key_pem(KEY_PEM)
        .key_id("key-1")
        .build()
        .is_ok());
}

#[test]
fn environments_sandbox_by_default_live_or_any_url() {
    let sandbox = base().build().unwrap();
    assert_eq!(sandbox.base_url().as_str(), "https://sandbox.upvest.co/");
    let live = base().live().build().unwrap();
    assert_eq!(live.base_url().as_str(), "https://api.upvest.co/");
    let any = base()
        .base_url("http://127.0.0.1:9/prefix")
        .build()
        .unwrap();
    assert_eq!(any.base_url().as_str(), "http://127.0.0.1:9/prefix");
}
