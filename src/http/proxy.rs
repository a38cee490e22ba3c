//! Proxies as curl reads them: HTTP proxies (CONNECT for https targets, absolute-form
//! requests for http ones), SOCKS4/4a/5/5h through tokio-socks, and
//! the `http_proxy`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` environment variables. A proxy
//! apiward cannot speak is an error, never a silent direct connection: people use SOCKS
//! (often Tor) to hide where they are.

use base64::Engine;
use reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The kinds of proxy apiward speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyKind {
    Http,
    /// SOCKS4: the client resolves the target.
    Socks4,
    /// SOCKS4a: the proxy resolves it.
    Socks4a,
    /// SOCKS5 with local resolution.
    Socks5,
    /// SOCKS5 with the name sent to the proxy (no local DNS lookup leaks the target).
    Socks5h,
}

/// A parsed proxy URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    pub kind: ProxyKind,
    pub host: String,
    pub port: u16,
    /// user and password, percent-decoded.
    pub credentials: Option<(String, String)>,
}

impl Proxy {
    /// Reads `text` as curl does: no scheme means an HTTP proxy, the port defaults to 1080
    /// (curl's default for every scheme). The error says what is wrong.
    pub fn parse(text: &str) -> Result<Proxy, String> {
        let text = text.trim();
        let with_scheme = if text.contains("://") {
            text.to_string()
        } else {
            format!("http://{text}")
        };
        let url = Url::parse(&with_scheme).map_err(|e| e.to_string())?;
        let kind = match url.scheme() {
            "http" => ProxyKind::Http,
            "socks4" => ProxyKind::Socks4,
            "socks4a" => ProxyKind::Socks4a,
            "socks5" | "socks" => ProxyKind::Socks5,
            "socks5h" => ProxyKind::Socks5h,
            other => return Err(format!("apiward does not speak {other}:// proxies")),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("it names no host")?
            .trim_matches(['[', ']'])
            .to_string();
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let credentials = (!url.username().is_empty()).then(|| {
            (
                decode(url.username()),
                decode(url.password().unwrap_or_default()),
            )
        });
        Ok(Proxy {
            kind,
            host,
            port: url.port().unwrap_or(1080),
            credentials,
        })
    }

    /// The `Proxy-Authorization` value an HTTP proxy gets, when the URL carries a user.
    pub fn authorization(&self) -> Option<String> {
        let (user, pass) = self.credentials.as_ref()?;
        let pair = format!("{user}:{pass}");
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        ))
    }

    /// A tunnel to `host:port` through this proxy, on `stream` (already connected to it).
    /// For an HTTP proxy that is a CONNECT; http targets through an HTTP proxy need no
    /// tunnel and do not come here.
    pub async fn tunnel(
        &self,
        stream: TcpStream,
        host: &str,
        port: u16,
    ) -> Result<TcpStream, String> {
        use tokio_socks::tcp::{Socks4Stream, Socks5Stream};
        let cred = self.credentials.as_ref();
        let socks = |e: tokio_socks::Error| format!("the SOCKS proxy refused: {e}");
        match self.kind {
            ProxyKind::Http => connect_tunnel(stream, host, port, self.authorization()).await,
            // The name goes to the proxy; no DNS lookup of the target happens here.
            ProxyKind::Socks5h => Ok(match cred {
                Some((u, p)) => {
                    Socks5Stream::connect_with_password_and_socket(stream, (host, port), u, p)
                        .await
                        .map_err(socks)?
                        .into_inner()
                }
                None => Socks5Stream::connect_with_socket(stream, (host, port))
                    .await
                    .map_err(socks)?
                    .into_inner(),
            }),
            ProxyKind::Socks5 => {
                let addr = resolve_here(host, port).await?;
                Ok(match cred {
                    Some((u, p)) => {
                        Socks5Stream::connect_with_password_and_socket(stream, addr, u, p)
                            .await
                            .map_err(socks)?
                            .into_inner()
                    }
                    None => Socks5Stream::connect_with_socket(stream, addr)
                        .await
                        .map_err(socks)?
                        .into_inner(),
                })
            }
            ProxyKind::Socks4 | ProxyKind::Socks4a => {
                let user = cred.map(|(u, _)| u.as_str()).filter(|u| !u.is_empty());
                let target = if self.kind == ProxyKind::Socks4 {
                    let addr = resolve_here(host, port).await?;
                    if !addr.is_ipv4() {
                        return Err(format!("SOCKS4 cannot reach {addr}, an IPv6 address"));
                    }
                    tokio_socks::TargetAddr::Ip(addr)
                } else {
                    tokio_socks::TargetAddr::Domain(host.to_string().into(), port)
                };
                let done = match user {
                    Some(user) => {
                        Socks4Stream::connect_with_userid_and_socket(stream, target, user).await
                    }
                    None => Socks4Stream::connect_with_socket(stream, target).await,
                };
                Ok(done.map_err(socks)?.into_inner())
            }
        }
    }
}

/// A proxy URL fit to print: a password in it is masked, as for any URL
/// ([`super::sensitive::redact_url`]).
pub fn shown(text: &str) -> String {
    if !text.contains('@') {
        return text.to_string();
    }
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    match Url::parse(&with_scheme) {
        Ok(url) => super::sensitive::redact_url(&url, &super::vars::Redactor::default()),
        // Not a URL, yet with user info: a password could be in it, so nothing is echoed.
        Err(_) => "(an unreadable proxy URL)".to_string(),
    }
}

/// socks4:// and socks5:// resolve the target on this machine, as curl does.
async fn resolve_here(host: &str, port: u16) -> Result<std::net::SocketAddr, String> {
    let host = host.trim_matches(['[', ']']);
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return Ok((ip, port).into());
    }
    tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {host}: no address"))
}

/// The longest proxy reply head read before giving up.
const MAX_CONNECT_REPLY: usize = 16 * 1024;

/// HTTP CONNECT (RFC 9110 §9.3.6): any 2xx opens the tunnel.
async fn connect_tunnel(
    mut stream: TcpStream,
    host: &str,
    port: u16,
    authorization: Option<String>,
) -> Result<TcpStream, String> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut head = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some(value) = authorization {
        head.push_str(&format!("Proxy-Authorization: {value}\r\n"));
    }
    head.push_str("\r\n");
    let io = |e: std::io::Error| format!("the proxy connection failed: {e}");
    stream.write_all(head.as_bytes()).await.map_err(io)?;
    // Byte by byte, so nothing of the tunnelled stream is read past the blank line.
    let mut reply = Vec::new();
    let mut byte = [0u8; 1];
    while !reply.ends_with(b"\r\n\r\n") {
        if reply.len() > MAX_CONNECT_REPLY {
            return Err("the proxy's CONNECT reply has no end".into());
        }
        if stream.read(&mut byte).await.map_err(io)? == 0 {
            return Err("the proxy closed the connection during CONNECT".into());
        }
        reply.push(byte[0]);
    }
    let status_line = String::from_utf8_lossy(&reply);
    let status_line = status_line.lines().next().unwrap_or_default();
    match status_line.split_whitespace().nth(1) {
        Some(code) if code.starts_with('2') && code.len() == 3 => Ok(stream),
        _ => Err(format!("the proxy refused the tunnel: {status_line}")),
    }
}

/// The proxy curl would use for `url`: the one given, else from the environment:
/// `http_proxy` for http (never `HTTP_PROXY`, which a CGI request can set: "httpoxy"),
/// `https_proxy`/`HTTPS_PROXY` for https, then `all_proxy`/`ALL_PROXY`. None when the
/// `no_proxy` list given (curl's `--noproxy`), else `no_proxy`/`NO_PROXY`, names the host.
pub fn choose(
    url: &Url,
    given: Option<String>,
    no_proxy: Option<&str>,
    env: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let host = url.host_str()?.trim_matches(['[', ']']);
    let skip = no_proxy
        .map(str::to_string)
        .or_else(|| env("no_proxy"))
        .or_else(|| env("NO_PROXY"));
    if skip.is_some_and(|list| bypasses(&list, host)) {
        return None;
    }
    if given.is_some() {
        return given;
    }
    let names: &[&str] = match url.scheme() {
        "http" => &["http_proxy"],
        _ => &["https_proxy", "HTTPS_PROXY"],
    };
    names
        .iter()
        .chain(["all_proxy", "ALL_PROXY"].iter())
        .find_map(|name| env(name).filter(|v| !v.trim().is_empty()))
}

/// Whether a `NO_PROXY` list names `host`: `*` names all; an entry names itself and its
/// sub-domains (a leading dot is optional); an IP entry may be a CIDR range.
pub fn bypasses(list: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let ip = host.parse::<std::net::IpAddr>().ok();
    list.split(',').map(str::trim).any(|entry| {
        let entry = entry.trim_start_matches('.').to_ascii_lowercase();
        if entry == "*" {
            return true;
        }
        if entry.is_empty() {
            return false;
        }
        if let (Some(ip), Some((net, bits))) = (ip, entry.split_once('/')) {
            return in_cidr(ip, net, bits);
        }
        host == entry || host.ends_with(&format!(".{entry}"))
    })
}

fn in_cidr(ip: std::net::IpAddr, net: &str, bits: &str) -> bool {
    use std::net::IpAddr;
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) if bits <= 128 => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_read_as_curl_reads_them() {
        let p = Proxy::parse("proxy.test:3128").unwrap();
        assert_eq!(
            (p.kind, p.host.as_str(), p.port),
            (ProxyKind::Http, "proxy.test", 3128)
        );
        let p = Proxy::parse("socks5h://u%40x:p%3Aw@127.0.0.1").unwrap();
        assert_eq!(p.kind, ProxyKind::Socks5h);
        assert_eq!(p.port, 1080);
        assert_eq!(p.credentials, Some(("u@x".into(), "p:w".into())));
        assert_eq!(
            Proxy::parse("socks4a://h:1").unwrap().kind,
            ProxyKind::Socks4a
        );
        assert!(Proxy::parse("ftp://h:1").unwrap_err().contains("ftp"));
        assert!(Proxy::parse("https://h:1").is_err());
    }

    #[test]
    fn a_proxy_password_is_never_shown() {
        for text in ["socks5h://u:pw@127.0.0.1:1080", "u:pw@proxy.test:3128"] {
            let shown = shown(text);
            assert!(!shown.contains("pw") && shown.contains("u:"), "{shown}");
        }
        assert_eq!(shown("ftp://127.0.0.1:21"), "ftp://127.0.0.1:21");
    }

    #[test]
    fn the_environment_is_read_as_curl_reads_it() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let http = Url::parse("http://api.test/").unwrap();
        let https = Url::parse("https://api.test/").unwrap();
        // Upper-case HTTP_PROXY is never read (httpoxy).
        assert_eq!(
            choose(&http, None, None, env(&[("HTTP_PROXY", "p:1")])),
            None
        );
        assert_eq!(
            choose(&http, None, None, env(&[("http_proxy", "p:1")])).as_deref(),
            Some("p:1")
        );
        assert_eq!(
            choose(
                &https,
                None,
                None,
                env(&[("HTTPS_PROXY", "p:2"), ("ALL_PROXY", "p:3")])
            )
            .as_deref(),
            Some("p:2")
        );
        assert_eq!(
            choose(&http, None, None, env(&[("ALL_PROXY", "socks5h://p:3")])).as_deref(),
            Some("socks5h://p:3")
        );
        let skip = env(&[("https_proxy", "p:2"), ("NO_PROXY", "example.org, .test")]);
        assert_eq!(choose(&https, None, None, skip), None);
        assert_eq!(
            choose(
                &https,
                None,
                Some(""),
                env(&[("https_proxy", "p:2"), ("NO_PROXY", "*")])
            )
            .as_deref(),
            Some("p:2"),
            "--noproxy '' overrides the environment"
        );
    }

    #[test]
    fn no_proxy_entries_match_hosts_domains_and_ranges() {
        assert!(bypasses("*", "anything"));
        assert!(bypasses("example.com", "api.example.com"));
        assert!(bypasses(".example.com", "example.com"));
        assert!(!bypasses("example.com", "badexample.com"));
        assert!(bypasses("10.0.0.0/8", "10.1.2.3"));
        assert!(!bypasses("10.0.0.0/8", "11.1.2.3"));
        assert!(bypasses("::1/128", "::1"));
        assert!(bypasses("localhost,127.0.0.1", "127.0.0.1"));
    }
}
