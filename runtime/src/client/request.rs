//! Building the HTTP request: what an operation builder describes ([`Request`]), and what each
//! attempt adds to it (the client's headers, the token, the signature).

use reqwest::header::{HeaderName, HeaderValue};

use super::{signing, Client, Secret, API_VERSION};
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
            http.headers_mut().append(name.clone(), value.clone());
        }
        if !body.is_empty() {
            *http.body_mut() = Some(body.to_vec().into());
        }
        *http.timeout_mut() = Some(config.timeout);
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

/// One request as an operation builder describes it; the client adds its own headers.
#[derive(Debug)]
pub(crate) struct Request {
    pub(super) operation: &'static str,
    pub(super) method: reqwest::Method,
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
        }
    }

    /// A literal path segment.
    pub(crate) fn segment(&mut self, segment: &str) {
        self.segments.push(segment.to_string());
    }

    /// A path parameter: encoded as on the wire, then percent-encoded as one segment.
    pub(crate) fn path_param<T: serde::Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let value = self.param_value("path parameter", value)?;
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
        let value = self.param_value(name, value)?;
        self.query.push((name, value));
        Ok(())
    }

    pub(crate) fn header<T: serde::Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let value = self.param_value(name, value)?;
        self.headers.push((name, value));
        Ok(())
    }

    /// The `idempotency-key`: the same on every attempt, so the request may be repeated.
    pub(crate) fn idempotency_key<T: serde::Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.header("idempotency-key", value)?;
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

    pub(crate) fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| self.invalid(format!("cannot encode the body: {e}")))?;
        self.body = Some(("application/json", bytes));
        Ok(())
    }

    pub(crate) fn form_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let text = serde_urlencoded::to_string(body)
            .map_err(|e| self.invalid(format!("cannot encode the form body: {e}")))?;
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
    /// wire names and date-times RFC 3339.
    fn param_value<T: serde::Serialize>(&self, name: &str, value: &T) -> Result<String, Error> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => Ok(s),
            Ok(other) => Ok(other.to_string()),
            Err(e) => Err(self.invalid(format!("cannot encode `{name}`: {e}"))),
        }
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
