//! Why a send failed. Apart from `send.rs` so the transport, which `send` drives, can
//! return it without depending on `send`.

use std::net::SocketAddr;
use std::time::Duration;

use super::client::HttpError;

/// Why a send failed, in words fit for a status line.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    #[error("cannot resolve {host}: {cause}")]
    Dns { host: String, cause: String },
    #[error("connection refused by {0}")]
    Refused(SocketAddr),
    #[error("cannot connect to {addr}: {cause}")]
    Connect { addr: SocketAddr, cause: String },
    #[error("TLS handshake with {host} failed: {cause}")]
    Tls { host: String, cause: String },
    #[error("TLS set-up failed: {0}")]
    TlsSetup(String),
    #[error("timed out after {} s", .0.as_secs_f64())]
    Timeout(Duration),
    #[error("the server broke the HTTP exchange: {0}")]
    Protocol(String),
    #[error("reading the response body failed: {0}")]
    Body(String),
    #[error("more than {max} redirects (last to {last})")]
    TooManyRedirects { max: usize, last: String },
    #[error("bad redirect Location \"{0}\"")]
    BadLocation(String),
    #[error("the proxy request failed: {0}")]
    Proxy(String),
}

impl crate::error_kind::Kind for SendError {
    /// The network or the server failed, except for a TLS set-up that could not use what it
    /// was given.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        use crate::error_kind::ExitKind;
        match self {
            SendError::TlsSetup(_) => ExitKind::BadInput,
            _ => ExitKind::Failure,
        }
    }
}

impl SendError {
    pub(crate) fn protocol(e: hyper::Error) -> Self {
        // hyper wraps the interesting part (reset, EOF, parse error) in its source.
        let mut text = e.to_string();
        if let Some(source) = std::error::Error::source(&e) {
            text = format!("{text}: {source}");
        }
        SendError::Protocol(text)
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self, SendError::Timeout(_))
    }
}

impl From<HttpError> for SendError {
    fn from(e: HttpError) -> Self {
        SendError::TlsSetup(e.to_string())
    }
}
