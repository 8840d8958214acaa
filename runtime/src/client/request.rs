//! Building the HTTP request: what an operation builder describes ([`Request`]), and what each
//! attempt adds to it (the client's headers, the token, the signature).

use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use super::{config, signing, Client, RetryPolicy, Secret, API_VERSION};
use crate::error::Error;

impl Client {
    /// The HTTP request for one attempt: the client's headers, the token, the signature.
    pub(super) fn build(
        &self,
        request: &Request,
        bearer: Option<&Secret>,
    ) -> Result<reqwest::Request, Error> {
        let config = &self.inner.config;
        let url = request.url(&config.base_url);
        let body = request
            .body
            .as_ref()
            .map(|(_, b)| b.as_slice())
            .unwrap_or(&[]);
        let authorization = bearer.map(|t| format!("Bearer {}", t.expose()));
        let mut headers: Vec<(&str, &str)> = vec![("accept", request.accept)];
        if let Some(value) = &authorization {
            headers.push(("authorization", value));
        }
        if let Some((content_type, _)) = &request.body {
            headers.push(("content-type", content_type));
        }
        headers.push(("upvest-api-version", API_VERSION));
        headers.push(("upvest-client-id", &config.client_id));
        headers.extend(request.headers.iter().map(|(n, v)| (*n, v.as_str())));
        let signature = match &config.signer {
            Some(signer) => Some(signer.sign(request.method.as_str(), &url, &headers, body)?),
            None => None,
        };
        let content_length = body.len().to_string();
        if let Some(signature) = &signature {
            headers.push(("upvest-signature-version", signing::SIGNATURE_VERSION));
            headers.push(("signature-input", &signature.signature_input));
            headers.push(("signature", &signature.signature));
            if let Some(digest) = &signature.content_digest {
                headers.push(("content-digest", digest));
            }
        }
        if !body.is_empty() {
            headers.push(("content-length", &content_length));
        }
        let mut http = reqwest::Request::new(request.method.clone(), url);
        for (name, value) in headers {
            let (name, value) = header(request, name, value)?;
            http.headers_mut().append(name, value);
        }
        for (name, value) in &config.extra_headers {
            // A header set for this call replaces the configuration's one of the same name.
            if !request.extra_headers.iter().any(|(n, _)| n == name) {
                http.headers_mut().append(name.clone(), value.clone());
            }
        }
        for (name, value) in &request.extra_headers {
            http.headers_mut().append(name.clone(), value.clone());
        }
        if !body.is_empty() {
            *http.body_mut() = Some(body.to_vec().into());
        }
        *http.timeout_mut() = Some(request.timeout.unwrap_or(config.timeout));
        Ok(http)
    }
}

/// A header for the wire; the token is marked sensitive so no `Debug` output shows it.
fn header(request: &Request, name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| request.invalid(format!("`{name}` is not a valid header name")))?;
    let mut header_value = HeaderValue::from_str(value).map_err(|_| {
        request.invalid(format!("the value of `{name}` cannot be sent as a header"))
    })?;
    if name == "authorization" {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

/// Options for one call, set on any request builder with `.customize(..)`: a timeout, a retry
/// policy and headers that apply to this call only, without building a second client.
///
/// ```ignore
/// # async fn example(client: upvest::Client) -> Result<(), upvest::Error> {
/// use std::time::Duration;
/// use upvest::RetryPolicy;
///
/// let users = client
///     .list_user_identifiers(upvest::uuid::Uuid::nil())
///     .customize(|options| {
///         options
///             .timeout(Duration::from_secs(5))
///             .retry_policy(RetryPolicy::none())
///             .header("x-correlation-id", "7d0f")
///     })
///     .send()
///     .await?;
/// # Ok(())
/// # }
/// ```
///
/// The headers the client manages (`authorization`, `signature`, `upvest-client-id`, ...) cannot
/// be set here either: such a call fails with [`Error::InvalidInput`] before anything is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    /// Values kept as secrets: a header may carry a credential, and `Debug` must not show it.
    headers: Vec<(String, Secret)>,
}

impl RequestOptions {
    /// No options: the client's configuration applies.
    pub fn new() -> Self {
        Self::default()
    }

    /// A limit on each attempt of this call, from connecting to reading the body, instead of
    /// the configured one ([`ConfigBuilder::timeout`](crate::ConfigBuilder::timeout)).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy of this call, instead of the configured one;
    /// [`RetryPolicy::none`] sends it once.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A further header sent, unsigned, with this call; it replaces a configured header of the
    /// same name ([`ConfigBuilder::header`](crate::ConfigBuilder::header)). Headers the client
    /// sets itself cannot be replaced.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), Secret::from(value.into())));
        self
    }

    /// The timeout of this call, when set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The retry policy of this call, when set.
    pub fn get_retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }
}

/// One request as an operation builder describes it; the client adds its own headers.
#[derive(Debug)]
pub(crate) struct Request {
    pub(super) operation: &'static str,
    pub(super) method: reqwest::Method,
    /// The path as the description writes it (`/users/{user_id}`), for spans and interceptors;
    /// empty when not given (the literal path is then its own template).
    pub(super) path_template: &'static str,
    pub(super) segments: Vec<String>,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Option<(&'static str, Vec<u8>)>,
    pub(super) accept: &'static str,
    /// Whether the request carries the bearer token (all but the token request).
    pub(super) authorized: bool,
    /// Whether sending it twice does no harm: an idempotent method or an idempotency key.
    pub(super) idempotent: bool,
    /// Whether the success body holds a secret (the token response).
    pub(super) secret_response: bool,
    /// This call's limit on each attempt ([`RequestOptions::timeout`]).
    pub(super) timeout: Option<Duration>,
    /// This call's retry policy ([`RequestOptions::retry_policy`]).
    pub(super) retry: Option<RetryPolicy>,
    /// This call's further headers, checked ([`RequestOptions::header`]).
    pub(super) extra_headers: Vec<(HeaderName, HeaderValue)>,
}

#[allow(dead_code)]
impl Request {
    pub(crate) fn new(operation: &'static str, method: reqwest::Method) -> Self {
        let idempotent = matches!(
            method.as_str(),
            "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS"
        );
        Self {
            operation,
            method,
            segments: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
            authorized: true,
            idempotent,
            secret_response: false,
            path_template: "",
            timeout: None,
            retry: None,
            extra_headers: Vec::new(),
        }
    }

    /// The path as the description writes it, `/users/{user_id}`.
    pub(crate) fn path_template(&mut self, template: &'static str) {
        self.path_template = template;
    }

    /// Applies a call's [`RequestOptions`]; a header the client manages, or one that cannot be
    /// sent, fails the call.
    pub(crate) fn customize(&mut self, options: &RequestOptions) -> Result<(), Error> {
        self.timeout = options.timeout;
        self.retry = options.retry.clone();
        self.extra_headers = options
            .headers
            .iter()
            .map(|(name, value)| config::checked_header(name, value.expose()))
            .collect::<Result<_, _>>()
            .map_err(|message| self.invalid(message))?;
        Ok(())
    }

    /// A literal path segment.
    pub(crate) fn segment(&mut self, segment: &str) {
        self.segments.push(segment.to_string());
    }

    /// A path parameter: encoded as on the wire, then percent-encoded as one segment.
    pub(crate) fn path_param<T: serde::Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.encoded_path_param(serde_json::to_vec(value))
    }

    fn encoded_path_param(&mut self, json: serde_json::Result<Vec<u8>>) -> Result<(), Error> {
        let value = self.param_value("path parameter", json)?;
        // The URL drops `.` and `..` segments and an empty one names another resource
        // (`DELETE /things/..` would be `DELETE /things`): never send them.
        if matches!(value.as_str(), "" | "." | "..") {
            return Err(self.invalid(format!("a path parameter cannot be `{value}`")));
        }
        self.segments.push(value);
        Ok(())
    }

    pub(crate) fn query<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.encoded_query(name, serde_json::to_vec(value))
    }

    fn encoded_query(
        &mut self,
        name: &'static str,
        json: serde_json::Result<Vec<u8>>,
    ) -> Result<(), Error> {
        let value = self.param_value(name, json)?;
        self.query.push((name, value));
        Ok(())
    }

    pub(crate) fn header<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.encoded_header(name, serde_json::to_vec(value))
    }

    fn encoded_header(
        &mut self,
        name: &'static str,
        json: serde_json::Result<Vec<u8>>,
    ) -> Result<(), Error> {
        let value = self.param_value(name, json)?;
        self.headers.push((name, value));
        Ok(())
    }

    /// The `idempotency-key`: the same on every attempt, so the request may be repeated.
    pub(crate) fn idempotency_key<T: serde::Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.encoded_idempotency_key(serde_json::to_vec(value))
    }

    fn encoded_idempotency_key(&mut self, json: serde_json::Result<Vec<u8>>) -> Result<(), Error> {
        self.encoded_header("idempotency-key", json)?;
        self.idempotent = true;
        Ok(())
    }

    /// The request goes without a bearer token (the token request itself).
    pub(crate) fn unauthenticated(&mut self) {
        self.authorized = false;
    }

    /// The success body holds a secret (the token response): a decode error never quotes it.
    pub(crate) fn secret_response(&mut self) {
        self.secret_response = true;
    }

    /// A JSON body. Only the encoding depends on `T` (as in every method here that takes a
    /// value): what follows is compiled once.
    pub(crate) fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        self.encoded_json_body(serde_json::to_vec(body))
    }

    fn encoded_json_body(&mut self, json: serde_json::Result<Vec<u8>>) -> Result<(), Error> {
        let bytes = json.map_err(|e| self.invalid(format!("cannot encode the body: {e}")))?;
        self.body = Some(("application/json", bytes));
        Ok(())
    }

    pub(crate) fn form_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        self.encoded_form_body(serde_urlencoded::to_string(body))
    }

    fn encoded_form_body(
        &mut self,
        text: Result<String, serde_urlencoded::ser::Error>,
    ) -> Result<(), Error> {
        let text = text.map_err(|e| self.invalid(format!("cannot encode the form body: {e}")))?;
        self.body = Some(("application/x-www-form-urlencoded", text.into_bytes()));
        Ok(())
    }

    pub(crate) fn accept(&mut self, content_type: &'static str) {
        self.accept = content_type;
    }

    pub(super) fn invalid(&self, message: String) -> Error {
        Error::InvalidInput {
            operation: self.operation,
            message,
        }
    }

    pub(super) fn repeatable(&self) -> bool {
        self.idempotent
    }

    /// Parameters are sent as their JSON value would be, without quotes: so enums use their
    /// wire names and date-times RFC 3339. From the JSON the value encodes to (through the
    /// serializer bodies use, so a type's `Serialize` is compiled once): a string's text, else
    /// the JSON itself (numbers, `true`).
    fn param_value(&self, name: &str, json: serde_json::Result<Vec<u8>>) -> Result<String, Error> {
        let json = json.map_err(|e| self.invalid(format!("cannot encode `{name}`: {e}")))?;
        if json.first() == Some(&b'"') {
            if let Ok(text) = serde_json::from_slice::<String>(&json) {
                return Ok(text);
            }
        }
        // serde_json writes UTF-8.
        Ok(String::from_utf8_lossy(&json).into_owned())
    }

    pub(super) fn url(&self, base: &reqwest::Url) -> reqwest::Url {
        let mut url = base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(&self.segments);
        }
        if !self.query.is_empty() {
            url.query_pairs_mut().extend_pairs(&self.query);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::{Request, RequestOptions};
    use crate::client::{Client, Config, RetryPolicy};
    use crate::error::Error;

    fn client(
        server: &MockServer,
        config: impl FnOnce(crate::ConfigBuilder) -> crate::ConfigBuilder,
    ) -> Client {
        let builder = Config::builder()
            .base_url(server.uri())
            .client_id("tenant")
            .access_token("token")
            .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)));
        Client::new(config(builder).build().unwrap()).unwrap()
    }

    fn get(options: &RequestOptions) -> Result<Request, Error> {
        let mut request = Request::new("get_thing", reqwest::Method::GET);
        request.path_template("/things");
        request.segment("things");
        request.customize(options)?;
        Ok(request)
    }

    #[tokio::test]
    async fn a_calls_timeout_replaces_the_configured_one_for_that_call_only() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
            .mount(&server)
            .await;
        let client = client(&server, |c| c.retry_policy(RetryPolicy::none()));
        let short = RequestOptions::new().timeout(Duration::from_millis(50));
        let error = client.send_empty(get(&short).unwrap()).await.unwrap_err();
        assert!(
            matches!(error, Error::Timeout { attempts: 1, .. }),
            "{error:?}"
        );
        // The next call, without options, has the configured 30 s.
        client
            .send_empty(get(&RequestOptions::new()).unwrap())
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_calls_retry_policy_replaces_the_configured_one() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let client = client(&server, |c| c);
        let once = RequestOptions::new().retry_policy(RetryPolicy::none());
        let error = client.send_empty(get(&once).unwrap()).await.unwrap_err();
        assert_eq!(error.as_api().map(|e| e.attempts), Some(1));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
        // Without options: the configured policy, 3 attempts.
        let error = client
            .send_empty(get(&RequestOptions::new()).unwrap())
            .await
            .unwrap_err();
        assert_eq!(error.as_api().map(|e| e.attempts), Some(3));
    }

    #[tokio::test]
    async fn a_calls_headers_are_sent_and_replace_configured_ones_of_the_same_name() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/things"))
            .and(header("x-trace", "call"))
            .and(header("x-tenant-note", "kept"))
            .and(header("x-extra", "1"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let client = client(&server, |c| {
            c.header("x-trace", "config")
                .header("x-tenant-note", "kept")
        });
        let options = RequestOptions::new()
            .header("x-trace", "call")
            .header("x-extra", "1");
        client.send_empty(get(&options).unwrap()).await.unwrap();
        let sent = &server.received_requests().await.unwrap()[0];
        assert_eq!(sent.headers.get_all("x-trace").iter().count(), 1);
    }

    #[test]
    fn managed_and_invalid_headers_are_refused_before_sending() {
        for (name, value) in [
            ("Authorization", "Bearer other"),
            ("signature", "x"),
            ("upvest-client-id", "other"),
            ("idempotency-key", "x"),
            ("bad name", "x"),
            ("x-ok", "line\nbreak"),
        ] {
            let options = RequestOptions::new().header(name, value);
            match get(&options) {
                Err(Error::InvalidInput { operation, message }) => {
                    assert_eq!(operation, "get_thing");
                    assert!(!message.contains(value) || value == "x", "{message}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    /// Every header the client sets on an attempt (token, signature, body, Upvest's own) is one
    /// it manages: a caller's extra header can never send a second value of one, and the
    /// generator, which reads the list, never makes one a method argument.
    #[tokio::test]
    async fn every_header_the_client_sets_is_managed() {
        use ed25519_dalek::pkcs8::{spki::der::pem::LineEnding, EncodePrivateKey};

        let server = MockServer::start().await;
        let pem = ed25519_dalek::SigningKey::from_bytes(&[7; 32])
            .to_pkcs8_pem(LineEnding::LF)
            .unwrap();
        let client = client(&server, |c| c.signing_key_pem(pem.as_str()).key_id("key"));
        let mut request = get(&RequestOptions::new()).unwrap();
        request.json_body(&serde_json::json!({"a": 1})).unwrap();
        request.idempotency_key(&"k").unwrap();
        let token = crate::client::Secret::from("token".to_string());
        let sent = client.build(&request, Some(&token)).unwrap();
        let names: Vec<&str> = sent.headers().keys().map(|n| n.as_str()).collect();
        for name in [
            "authorization",
            "signature",
            "content-digest",
            "idempotency-key",
        ] {
            assert!(names.contains(&name), "{names:?}");
        }
        for name in names {
            let options = RequestOptions::new().header(name, "x");
            assert!(
                matches!(get(&options), Err(Error::InvalidInput { .. })),
                "{name} is not managed"
            );
        }
    }

    #[test]
    fn options_debug_hides_header_values() {
        let options = RequestOptions::new().header("x-api-key", "s3cret");
        assert!(!format!("{options:?}").contains("s3cret"));
        let request = get(&options).unwrap();
        assert!(!format!("{request:?}").contains("s3cret"));
    }
}
