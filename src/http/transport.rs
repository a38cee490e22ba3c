//! Hand-written because reqwest hides DNS, connect and TLS in one future: no phase timings.
//!
//! One hop on a connection of our own making, so every phase can be timed and the TLS session
//! seen: DNS (`lookup_host`), TCP connect, the rustls handshake, then hyper's HTTP/1.1 or
//! HTTP/2 client (ALPN decides) and a body read that decodes and stops at the cap.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyDataStream, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use reqwest::Url;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use super::client::{ClientOptions, Identity, tls_config_with};
use super::header_case::CaseIo;
use super::model::{HttpVersion, Options};
use super::proxy::{Proxy, ProxyKind};
use super::response::{Response, Timings, TlsInfo, cookies, ms};
use super::send_error::SendError;

/// What one hop sends.
pub(crate) struct HopRequest<'a> {
    pub method: &'a http::Method,
    pub url: &'a Url,
    pub headers: &'a [(String, String)],
    pub body: Bytes,
    pub max_body: u64,
    pub version: HttpVersion,
    pub proxy: Option<&'a Proxy>,
    /// `host:port` to connect to in place of the URL's (`--resolve`, `--connect-to`).
    pub connect_to: Option<&'a str>,
    /// The most the TCP connect may take.
    pub connect_timeout: Option<std::time::Duration>,
}

/// Called with the body bytes received so far.
pub type OnProgress<'a> = Option<&'a (dyn Fn(u64) + Send + Sync)>;

/// Aborts the spawned connection driver when the exchange ends or its future is dropped,
/// so a cancelled send leaves nothing running.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Sends one request on a new connection; the TLS config is only asked for on https.
pub(crate) async fn exchange(
    req: HopRequest<'_>,
    tls: &mut TlsCache<'_>,
    verified: bool,
    progress: OnProgress<'_>,
) -> Result<Response, SendError> {
    let started = Instant::now();
    let mut timing = Timings {
        phases: true,
        ..Timings::default()
    };
    let host = req.url.host_str().unwrap_or_default().to_string();
    let port = req.url.port_or_known_default().unwrap_or(80);
    let https = req.url.scheme() == "https";
    // Through a proxy the connection goes to the proxy; SOCKS, and CONNECT for https, then
    // tunnel to the target, and the rest is as if connected directly.
    let elsewhere = req.connect_to.and_then(|to| {
        let (h, p) = to.rsplit_once(':')?;
        Some((
            h.trim_matches(['[', ']']).to_string(),
            p.parse::<u16>().ok()?,
        ))
    });
    let (first_host, first_port) = match (req.proxy, &elsewhere) {
        (Some(proxy), _) => (proxy.host.as_str(), proxy.port),
        (None, Some((h, p))) => (h.as_str(), *p),
        (None, None) => (host.as_str(), port),
    };
    let addrs = resolve(first_host, first_port, &mut timing).await?;
    let t = Instant::now();
    let (mut stream, remote) = match req.connect_timeout {
        Some(limit) => tokio::time::timeout(limit, connect(&addrs))
            .await
            .map_err(|_| SendError::Connect {
                addr: addrs[0],
                cause: format!(
                    "no connection within the connect timeout of {} s",
                    limit.as_secs_f64()
                ),
            })??,
        None => connect(&addrs).await?,
    };
    let _ = stream.set_nodelay(true);
    if let Some(proxy) = req.proxy
        && (https || proxy.kind != ProxyKind::Http)
    {
        stream = proxy
            .tunnel(stream, host.trim_matches(['[', ']']), port)
            .await
            .map_err(SendError::Proxy)?;
    }
    timing.connect_ms = Some(ms(t.elapsed()));
    if https {
        let config = tls.get()?;
        let t = Instant::now();
        let name =
            ServerName::try_from(host.trim_matches(['[', ']']).to_string()).map_err(|_| {
                SendError::Tls {
                    host: host.clone(),
                    cause: "invalid server name".into(),
                }
            })?;
        let tls_stream = tokio_rustls::TlsConnector::from(config)
            .connect(name, stream)
            .await
            .map_err(|e| SendError::Tls {
                host: host.clone(),
                cause: e.to_string(),
            })?;
        timing.tls_ms = Some(ms(t.elapsed()));
        let info = tls_info(tls_stream.get_ref().1, verified);
        let h2 = info.alpn.as_deref() == Some("h2");
        // HTTP/2 lower-cases names by law (RFC 9113 §8.2.1); HTTP/1.1 gets what was typed.
        let mut resp = if h2 {
            on_stream(tls_stream, h2, &req, &mut timing, progress).await?
        } else {
            let stream = CaseIo::new(tls_stream, req.headers);
            on_stream(stream, h2, &req, &mut timing, progress).await?
        };
        resp.tls = Some(info);
        finish(resp, remote, timing, started)
    } else {
        let h2 = req.version == HttpVersion::Http2;
        let resp = if h2 {
            on_stream(stream, h2, &req, &mut timing, progress).await?
        } else {
            let stream = CaseIo::new(stream, req.headers);
            on_stream(stream, h2, &req, &mut timing, progress).await?
        };
        finish(resp, remote, timing, started)
    }
}

fn finish(
    mut resp: Response,
    remote: SocketAddr,
    mut timing: Timings,
    started: Instant,
) -> Result<Response, SendError> {
    timing.total_ms = ms(started.elapsed());
    resp.timing = timing;
    resp.remote_addr = Some(remote);
    Ok(resp)
}

async fn resolve(
    host: &str,
    port: u16,
    timing: &mut Timings,
) -> Result<Vec<SocketAddr>, SendError> {
    // An IP literal needs no lookup, and skipping it saves a blocking-pool thread.
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    // As curl does: localhost is loopback without asking the resolver (RFC 6761 §6.3).
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return Ok(vec![
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), port),
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), port),
        ]);
    }
    let t = Instant::now();
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| SendError::Dns {
            host: host.to_string(),
            cause: e.to_string(),
        })?
        .collect();
    timing.dns_ms = Some(ms(t.elapsed()));
    if addrs.is_empty() {
        return Err(SendError::Dns {
            host: host.to_string(),
            cause: "no address".into(),
        });
    }
    Ok(addrs)
}

/// Tries each address in turn; the last error is the one reported.
async fn connect(addrs: &[SocketAddr]) -> Result<(TcpStream, SocketAddr), SendError> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok((stream, *addr)),
            Err(e) => last = Some((*addr, e)),
        }
    }
    let (addr, e) = last.expect("at least one address");
    Err(if e.kind() == std::io::ErrorKind::ConnectionRefused {
        SendError::Refused(addr)
    } else {
        SendError::Connect {
            addr,
            cause: e.to_string(),
        }
    })
}

fn tls_info(conn: &rustls::ClientConnection, verified: bool) -> TlsInfo {
    let now = crate::audit::tls::unix_now();
    let version = conn.protocol_version().map_or(String::new(), |v| match v {
        rustls::ProtocolVersion::TLSv1_3 => "TLS 1.3".to_string(),
        rustls::ProtocolVersion::TLSv1_2 => "TLS 1.2".to_string(),
        other => format!("{other:?}"),
    });
    TlsInfo {
        version,
        cipher: conn
            .negotiated_cipher_suite()
            .map_or(String::new(), |c| format!("{:?}", c.suite())),
        alpn: conn
            .alpn_protocol()
            .map(|p| String::from_utf8_lossy(p).into_owned()),
        certificates: conn
            .peer_certificates()
            .unwrap_or_default()
            .iter()
            .filter_map(|der| crate::audit::CertInfo::parse(der, now).ok())
            .collect(),
        verified,
    }
}

async fn on_stream<S>(
    stream: S,
    h2: bool,
    req: &HopRequest<'_>,
    timing: &mut Timings,
    progress: OnProgress<'_>,
) -> Result<Response, SendError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let io = TokioIo::new(stream);
    let request = build(req, h2)?;
    let t = Instant::now();
    let (response, _driver) = if h2 {
        let (mut sender, conn) = hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
            .await
            .map_err(SendError::protocol)?;
        let driver = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));
        (sender.send_request(request).await, driver)
    } else {
        let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(SendError::protocol)?;
        let driver = AbortOnDrop(tokio::spawn(async move {
            let _ = conn.await;
        }));
        (sender.send_request(request).await, driver)
    };
    let response = response.map_err(SendError::protocol)?;
    timing.ttfb_ms = Some(ms(t.elapsed()));
    let t = Instant::now();
    let (parts, body) = response.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let encoding = parts
        .headers
        .get(http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase());
    let (body, truncated, decoded_from) = read_body(body, encoding, req.max_body, progress).await?;
    timing.download_ms = Some(ms(t.elapsed()));
    Ok(Response {
        status: parts.status.as_u16(),
        reason: parts.status.canonical_reason().unwrap_or("").to_string(),
        version: match parts.version {
            http::Version::HTTP_2 => "HTTP/2",
            http::Version::HTTP_10 => "HTTP/1.0",
            _ => "HTTP/1.1",
        }
        .to_string(),
        url: req.url.to_string(),
        cookies: cookies(&headers),
        headers,
        body,
        truncated,
        decoded_from,
        timing: Timings::default(),
        remote_addr: None,
        tls: None,
        redirects: Vec::new(),
    })
}

/// HTTP/1.1 takes the origin form and a Host header; HTTP/2 the absolute URI, and no
/// connection-specific headers (RFC 9113 §8.2.2).
fn build(req: &HopRequest<'_>, h2: bool) -> Result<http::Request<Full<Bytes>>, SendError> {
    // An HTTP proxy forwarding plain http reads the absolute form (RFC 9112 §3.2.2).
    let via_http_proxy = req
        .proxy
        .filter(|p| p.kind == ProxyKind::Http && req.url.scheme() == "http");
    let uri = if h2 || via_http_proxy.is_some() {
        req.url.as_str().to_string()
    } else {
        request_target(req.url)
    };
    let mut builder = http::Request::builder().method(req.method.clone()).uri(uri);
    if h2 {
        builder = builder.version(http::Version::HTTP_2);
    } else if !req
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("host"))
    {
        builder = builder.header(http::header::HOST, host_header(req.url));
    }
    for (name, value) in req.headers {
        let lower = name.to_ascii_lowercase();
        if h2
            && matches!(
                lower.as_str(),
                "host"
                    | "connection"
                    | "keep-alive"
                    | "transfer-encoding"
                    | "upgrade"
                    | "proxy-connection"
            )
        {
            continue;
        }
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(value) = via_http_proxy.and_then(Proxy::authorization) {
        builder = builder.header("Proxy-Authorization", value);
    }
    builder
        .body(Full::new(req.body.clone()))
        .map_err(|e| SendError::Protocol(e.to_string()))
}

/// The origin form of the request target: path and query.
pub(crate) fn request_target(url: &Url) -> String {
    let mut path = url.path().to_string();
    if let Some(q) = url.query() {
        path.push('?');
        path.push_str(q);
    }
    path
}

fn host_header(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Reads the body, decoding gzip and brotli, keeping at most `cap` decoded bytes. The cap
/// counts decoded bytes, so a small compressed bomb cannot fill memory.
async fn read_body(
    body: hyper::body::Incoming,
    encoding: Option<String>,
    cap: u64,
    progress: OnProgress<'_>,
) -> Result<(Bytes, bool, Option<String>), SendError> {
    use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder};
    use futures_util::TryStreamExt;
    let stream = BodyDataStream::new(body).map_err(std::io::Error::other);
    let raw = tokio_util::io::StreamReader::new(stream);
    let (mut reader, decoded): (Box<dyn AsyncRead + Send + Unpin>, _) = match encoding.as_deref() {
        Some("gzip" | "x-gzip") => (Box::new(GzipDecoder::new(raw)), encoding),
        Some("br") => (Box::new(BrotliDecoder::new(raw)), encoding),
        _ => (Box::new(raw), None),
    };
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader
            .read(&mut buf)
            .await
            .map_err(|e| SendError::Body(e.to_string()))?;
        if n == 0 {
            return Ok((Bytes::from(out), false, decoded));
        }
        let room = (cap as usize).saturating_sub(out.len());
        if n > room {
            out.extend_from_slice(&buf[..room]);
            return Ok((Bytes::from(out), true, decoded));
        }
        out.extend_from_slice(&buf[..n]);
        if let Some(report) = progress {
            report(out.len() as u64);
        }
    }
}

/// The TLS config, built on the first https hop only: http:// never loads a trust store.
pub(crate) struct TlsCache<'a> {
    options: &'a Options,
    config: Option<Arc<rustls::ClientConfig>>,
}

impl<'a> TlsCache<'a> {
    pub(crate) fn new(options: &'a Options) -> Self {
        Self {
            options,
            config: None,
        }
    }

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
