//! Sending a prepared request: redirects followed by hand (each hop recorded), one timeout
//! over the whole exchange, through a proxy when one is configured. Dropping the
//! future cancels everything, connection drivers included.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::client::{ClientOptions, HttpError, Identity, tls_config_with};
use super::model::{HttpVersion, Options};
use super::prepare::Prepared;
use super::proxy::Proxy;
use super::response::{Hop, Response, ms};
use super::transport::{HopRequest, OnProgress, exchange, request_target};

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

/// Sends `prepared`, following redirects when its options say so. `progress` hears body
/// bytes received. Bounded by the request's timeout; cancelled by dropping the future.
pub async fn send(prepared: &Prepared, progress: OnProgress<'_>) -> Result<Response, SendError> {
    let timeout = Duration::from_millis(prepared.options.timeout_ms.max(1));
    match tokio::time::timeout(timeout, send_unbounded(prepared, progress)).await {
        Ok(result) => result,
        Err(_) => Err(SendError::Timeout(timeout)),
    }
}

async fn send_unbounded(
    prepared: &Prepared,
    progress: OnProgress<'_>,
) -> Result<Response, SendError> {
    let options = &prepared.options;
    let proxy = options
        .proxy
        .as_deref()
        .map(Proxy::parse)
        .transpose()
        .map_err(SendError::Proxy)?;
    let started = Instant::now();
    let mut tls = TlsCache {
        options,
        config: None,
    };
    let mut method = prepared.method.clone();
    let mut url = prepared.url.clone();
    let mut headers = prepared.headers.clone();
    let mut body = prepared.body.clone();
    let mut chain = Vec::new();
    let mut digest_sent = false;
    loop {
        let hop = HopRequest {
            method: &method,
            url: &url,
            headers: &headers,
            body: body.clone(),
            max_body: options.max_body,
            version: options.http_version,
            proxy: proxy.as_ref(),
        };
        let mut resp = exchange(hop, &mut tls, options.verify_tls, progress).await?;
        // A Digest challenge is answered once, on the same URL; a second 401 stands.
        if resp.status == 401
            && !digest_sent
            && let Some(credentials) = &prepared.digest
        {
            let challenges: Vec<&str> = resp
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
                .map(|(_, v)| v.as_str())
                .collect();
            let target = request_target(&url);
            if let Some(value) =
                super::digest::answer(credentials, &challenges, method.as_str(), &target, None)
            {
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
                headers.push(("Authorization".into(), value));
                digest_sent = true;
                continue;
            }
        }
        let location = resp.header("location").map(str::to_string);
        let redirect = matches!(resp.status, 301 | 302 | 303 | 307 | 308);
        let (true, true, Some(location)) = (options.follow_redirects, redirect, location) else {
            resp.redirects = chain;
            resp.timing.total_ms = ms(started.elapsed());
            return Ok(resp);
        };
        chain.push(Hop {
            url: url.to_string(),
            status: resp.status,
            location: Some(location.clone()),
        });
        if chain.len() > options.max_redirects {
            return Err(SendError::TooManyRedirects {
                max: options.max_redirects,
                last: location,
            });
        }
        let next = url
            .join(&location)
            .map_err(|_| SendError::BadLocation(location.clone()))?;
        // 303, and 301/302 after a POST, become a body-less GET (RFC 9110 §15.4).
        let to_get = resp.status == 303 && method != http::Method::HEAD
            || matches!(resp.status, 301 | 302) && method == http::Method::POST;
        if to_get {
            method = http::Method::GET;
            body = bytes::Bytes::new();
            headers.retain(|(n, _)| {
                !n.eq_ignore_ascii_case("content-type") && !n.eq_ignore_ascii_case("content-length")
            });
        }
        // Credentials are for the origin they were written for, not wherever it points: any
        // other host, port or scheme (https to http included) gets none of them, and no
        // cookie, since a cookie written by hand names no domain it may go to.
        if next.origin() != url.origin() {
            headers.retain(|(n, _)| !super::sensitive::is_credential_header(n));
        }
        url = next;
    }
}

/// The TLS config, built on the first https hop only: http:// never loads a trust store.
pub(crate) struct TlsCache<'a> {
    options: &'a Options,
    config: Option<Arc<rustls::ClientConfig>>,
}

impl TlsCache<'_> {
    pub(crate) fn get(&mut self) -> Result<Arc<rustls::ClientConfig>, SendError> {
        if let Some(config) = &self.config {
            return Ok(config.clone());
        }
        let config = Arc::new(tls_for(self.options)?);
        self.config = Some(config.clone());
        Ok(config)
    }
}

/// The rustls config for these options: CA file, `-k`, client certificate, and ALPN.
fn tls_for(options: &Options) -> Result<rustls::ClientConfig, SendError> {
    let read = |what: &str, path: &Path| {
        std::fs::read(path)
            .map_err(|e| SendError::TlsSetup(format!("cannot read {what} {}: {e}", path.display())))
    };
    let ca_pem = options
        .ca_file
        .as_deref()
        .map(|p| read("the CA file", p))
        .transpose()?;
    let identity = match (&options.client_cert, &options.client_key) {
        (Some(cert), Some(key)) => Some(Identity::from_pem(
            &read("the client certificate", cert)?,
            &read("the client key", key)?,
        )?),
        // One PEM holding both is common.
        (Some(both), None) => {
            let pem = read("the client certificate", both)?;
            Some(Identity::from_pem(&pem, &pem)?)
        }
        _ => None,
    };
    let client = ClientOptions {
        insecure: !options.verify_tls,
        ca_pem,
        ..ClientOptions::default()
    };
    let mut config = tls_config_with(&client, identity)?;
    config.alpn_protocols = match options.http_version {
        HttpVersion::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        HttpVersion::Http1 => vec![b"http/1.1".to_vec()],
        HttpVersion::Http2 => vec![b"h2".to_vec()],
    };
    Ok(config)
}
