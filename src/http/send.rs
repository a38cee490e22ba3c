//! Sending a prepared request: redirects followed by hand (each hop recorded), one timeout
//! over the whole exchange, through a proxy when one is configured. Dropping the
//! future cancels everything, connection drivers included.

use std::time::{Duration, Instant};

use super::prepare::Prepared;
use super::proxy::Proxy;
use super::response::{Hop, Response, ms};
pub use super::send_error::SendError;
use super::transport::{HopRequest, OnProgress, TlsCache, exchange, request_target};

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
    let mut tls = TlsCache::new(options);
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
            // curl's --resolve names one host and port: a redirect elsewhere connects as usual.
            connect_to: options
                .connect_to
                .as_deref()
                .filter(|_| same_authority(&url, &prepared.url)),
            connect_timeout: options.connect_timeout_ms.map(Duration::from_millis),
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

fn same_authority(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}
