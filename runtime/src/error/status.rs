//! HTTP error statuses by name: the standard 4xx and 5xx ones, and any other by its code.

/// An HTTP error status, by name. One type for every operation: each operation's `send`
/// documents the statuses its description lists, and a status that a newer description adds is
/// still a value of this type (by name, or as [`Other`](ErrorStatus::Other)), so a `match` on it
/// keeps compiling. Two values are equal when their codes are.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ErrorStatus {
    /// `400 Bad Request`
    BadRequest,
    /// `401 Unauthorized`
    Unauthorized,
    /// `402 Payment Required`
    PaymentRequired,
    /// `403 Forbidden`
    Forbidden,
    /// `404 Not Found`
    NotFound,
    /// `405 Method Not Allowed`
    MethodNotAllowed,
    /// `406 Not Acceptable`
    NotAcceptable,
    /// `407 Proxy Authentication Required`
    ProxyAuthenticationRequired,
    /// `408 Request Timeout`
    RequestTimeout,
    /// `409 Conflict`
    Conflict,
    /// `410 Gone`
    Gone,
    /// `411 Length Required`
    LengthRequired,
    /// `412 Precondition Failed`
    PreconditionFailed,
    /// `413 Content Too Large`
    PayloadTooLarge,
    /// `414 URI Too Long`
    UriTooLong,
    /// `415 Unsupported Media Type`
    UnsupportedMediaType,
    /// `416 Range Not Satisfiable`
    RangeNotSatisfiable,
    /// `417 Expectation Failed`
    ExpectationFailed,
    /// `421 Misdirected Request`
    MisdirectedRequest,
    /// `422 Unprocessable Content`
    UnprocessableEntity,
    /// `423 Locked`
    Locked,
    /// `424 Failed Dependency`
    FailedDependency,
    /// `425 Too Early`
    TooEarly,
    /// `426 Upgrade Required`
    UpgradeRequired,
    /// `428 Precondition Required`
    PreconditionRequired,
    /// `429 Too Many Requests`
    TooManyRequests,
    /// `431 Request Header Fields Too Large`
    RequestHeaderFieldsTooLarge,
    /// `451 Unavailable For Legal Reasons`
    UnavailableForLegalReasons,
    /// `500 Internal Server Error`
    InternalServerError,
    /// `501 Not Implemented`
    NotImplemented,
    /// `502 Bad Gateway`
    BadGateway,
    /// `503 Service Unavailable`
    ServiceUnavailable,
    /// `504 Gateway Timeout`
    GatewayTimeout,
    /// `505 HTTP Version Not Supported`
    HttpVersionNotSupported,
    /// `506 Variant Also Negotiates`
    VariantAlsoNegotiates,
    /// `507 Insufficient Storage`
    InsufficientStorage,
    /// `508 Loop Detected`
    LoopDetected,
    /// `510 Not Extended`
    NotExtended,
    /// `511 Network Authentication Required`
    NetworkAuthenticationRequired,
    /// Any other status code.
    Other(u16),
}

impl ErrorStatus {
    /// The status with this code: a named variant when there is one, else `Other(code)`.
    pub fn from_code(code: u16) -> Self {
        match code {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            402 => Self::PaymentRequired,
            403 => Self::Forbidden,
            404 => Self::NotFound,
            405 => Self::MethodNotAllowed,
            406 => Self::NotAcceptable,
            407 => Self::ProxyAuthenticationRequired,
            408 => Self::RequestTimeout,
            409 => Self::Conflict,
            410 => Self::Gone,
            411 => Self::LengthRequired,
            412 => Self::PreconditionFailed,
            413 => Self::PayloadTooLarge,
            414 => Self::UriTooLong,
            415 => Self::UnsupportedMediaType,
            416 => Self::RangeNotSatisfiable,
            417 => Self::ExpectationFailed,
            421 => Self::MisdirectedRequest,
            422 => Self::UnprocessableEntity,
            423 => Self::Locked,
            424 => Self::FailedDependency,
            425 => Self::TooEarly,
            426 => Self::UpgradeRequired,
            428 => Self::PreconditionRequired,
            429 => Self::TooManyRequests,
            431 => Self::RequestHeaderFieldsTooLarge,
            451 => Self::UnavailableForLegalReasons,
            500 => Self::InternalServerError,
            501 => Self::NotImplemented,
            502 => Self::BadGateway,
            503 => Self::ServiceUnavailable,
            504 => Self::GatewayTimeout,
            505 => Self::HttpVersionNotSupported,
            506 => Self::VariantAlsoNegotiates,
            507 => Self::InsufficientStorage,
            508 => Self::LoopDetected,
            510 => Self::NotExtended,
            511 => Self::NetworkAuthenticationRequired,
            other => Self::Other(other),
        }
    }

    /// The HTTP status code.
    pub fn code(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized => 401,
            Self::PaymentRequired => 402,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::NotAcceptable => 406,
            Self::ProxyAuthenticationRequired => 407,
            Self::RequestTimeout => 408,
            Self::Conflict => 409,
            Self::Gone => 410,
            Self::LengthRequired => 411,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge => 413,
            Self::UriTooLong => 414,
            Self::UnsupportedMediaType => 415,
            Self::RangeNotSatisfiable => 416,
            Self::ExpectationFailed => 417,
            Self::MisdirectedRequest => 421,
            Self::UnprocessableEntity => 422,
            Self::Locked => 423,
            Self::FailedDependency => 424,
            Self::TooEarly => 425,
            Self::UpgradeRequired => 426,
            Self::PreconditionRequired => 428,
            Self::TooManyRequests => 429,
            Self::RequestHeaderFieldsTooLarge => 431,
            Self::UnavailableForLegalReasons => 451,
            Self::InternalServerError => 500,
            Self::NotImplemented => 501,
            Self::BadGateway => 502,
            Self::ServiceUnavailable => 503,
            Self::GatewayTimeout => 504,
            Self::HttpVersionNotSupported => 505,
            Self::VariantAlsoNegotiates => 506,
            Self::InsufficientStorage => 507,
            Self::LoopDetected => 508,
            Self::NotExtended => 510,
            Self::NetworkAuthenticationRequired => 511,
            Self::Other(code) => code,
        }
    }
}

impl From<u16> for ErrorStatus {
    fn from(code: u16) -> Self {
        Self::from_code(code)
    }
}

impl PartialEq for ErrorStatus {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}

impl Eq for ErrorStatus {}

#[cfg(test)]
mod tests {
    use super::ErrorStatus;

    /// `from_code` and `code` list the statuses twice: they must agree on every code.
    #[test]
    fn every_code_comes_back() {
        let mut named = 0;
        for code in 100..1000 {
            let status = ErrorStatus::from_code(code);
            assert_eq!(status.code(), code);
            named += usize::from(!matches!(status, ErrorStatus::Other(_)));
        }
        assert!(named > 30, "{named}");
        assert_eq!(ErrorStatus::from_code(409), ErrorStatus::Conflict);
    }
}
