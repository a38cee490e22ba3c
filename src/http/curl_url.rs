//! What curl does to the URL and the connection before it sends: the scheme it guesses,
//! globbing, credentials in the URL, `--url-query` and `-G` data, `--resolve` and
//! `--connect-to`, `--proxy-user`, and cookies from a cookie file.

use super::{Builder, CurlError, urlencode_arg};
use crate::http::model::{Auth, Row};

/// Schemes curl guesses from a host name when the URL has none.
const GUESSED: &[(&str, &str)] = &[
    ("ftp.", "ftp"),
    ("dict.", "dict"),
    ("ldap.", "ldap"),
    ("imap.", "imap"),
    ("smtp.", "smtp"),
    ("pop3.", "pop3"),
];

/// The parts of a URL that curl acts on, as text, so what is not touched stays byte for byte.
struct Parts<'a> {
    scheme: &'a str,
    userinfo: Option<&'a str>,
    /// Host as written, IPv6 brackets included.
    host: &'a str,
    port: Option<&'a str>,
    /// Path and query, fragment removed.
    rest: &'a str,
}

fn parts(url: &str) -> Parts<'_> {
    let (scheme, after) = url.split_once("://").unwrap_or(("", url));
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    let rest = rest.split('#').next().unwrap_or("");
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (host, port) = if hostport.starts_with('[') {
        match hostport.find(']') {
            Some(close) => (&hostport[..=close], hostport[close + 1..].strip_prefix(':')),
            None => (hostport, None),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    Parts {
        scheme,
        userinfo,
        host,
        port,
        rest,
    }
}

impl Parts<'_> {
    fn port_number(&self) -> u16 {
        self.port.and_then(|p| p.parse().ok()).unwrap_or(
            if self.scheme.eq_ignore_ascii_case("https") {
                443
            } else {
                80
            },
        )
    }

    /// `Host:` as curl writes it for this URL: the port only when it is not the default.
    fn host_header(&self) -> String {
        match self.port.filter(|p| !p.is_empty()) {
            Some(p) if p.parse::<u16>().ok() != Some(self.port_number_default()) => {
                format!("{}:{p}", self.host)
            }
            _ => self.host.to_string(),
        }
    }

    fn port_number_default(&self) -> u16 {
        if self.scheme.eq_ignore_ascii_case("https") {
            443
        } else {
            80
        }
    }

    fn bare_host(&self) -> String {
        self.host.trim_matches(['[', ']']).to_ascii_lowercase()
    }
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `[` and `]` around an IPv6 address, as URLs write them.
fn bracketed(addr: &str) -> String {
    if addr.contains(':') && !addr.starts_with('[') {
        format!("[{addr}]")
    } else {
        addr.to_string()
    }
}

/// Splits `a:b:c` on colons outside `[…]`.
fn fields(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ':' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

impl Builder {
    /// The URL curl would request, with the request's auth, Host and proxy settled to match.
    pub(super) fn settle_url(&mut self, get_query: Option<&str>) -> Result<(), CurlError> {
        let mut url = self.url.take().ok_or(CurlError::NoUrl)?;
        // An apiward template (`{{base}}/x`) is taken as it is: its scheme comes at send time.
        let template = url.starts_with("{{");
        if !url.contains("://") && !template {
            let lower = url.to_ascii_lowercase();
            let scheme = match &self.proto_default {
                Some(s) => s.as_str(),
                None => GUESSED
                    .iter()
                    .find(|(prefix, _)| lower.starts_with(prefix))
                    .map_or("http", |(_, s)| s),
            };
            url = format!("{scheme}://{url}");
        }
        let p = parts(&url);
        if !template
            && !p.scheme.eq_ignore_ascii_case("http")
            && !p.scheme.eq_ignore_ascii_case("https")
        {
            return Err(CurlError::Refused(format!(
                "curl would fetch {url} over {}, and apiward only speaks HTTP and HTTPS",
                p.scheme
            )));
        }
        if !self.globoff {
            let rest = p.rest.replace("{{", "").replace("}}", "");
            if let Some(c) = rest.chars().find(|c| "{}[]".contains(*c)) {
                return Err(CurlError::Refused(format!(
                    "curl reads {c} in a URL as a pattern for several requests (globbing); \
                     add -g if it is meant as it is"
                )));
            }
        }
        if self.path_as_is {
            let path = p.rest.split('?').next().unwrap_or("");
            if path
                .split('/')
                .any(|segment| segment == "." || segment == "..")
            {
                return Err(CurlError::Refused(
                    "--path-as-is keeps ./ and ../ in the path, which apiward resolves as curl \
                     does without it"
                        .into(),
                ));
            }
        }
        if let Some(userinfo) = p.userinfo {
            if self.no_userinfo {
                return Err(CurlError::Refused(
                    "the URL holds a user name and --disallow-username-in-url forbids it, so \
                     curl refuses the command too"
                        .into(),
                ));
            }
            // curl sends them as Basic, unless -u says otherwise.
            if !self.user_set {
                let (user, pass) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                self.req.auth = Auth::Basic {
                    username: percent_decoded(user),
                    password: percent_decoded(pass),
                };
            }
        }
        let mut query = String::new();
        for q in std::mem::take(&mut self.url_query) {
            let piece = match q.strip_prefix('+') {
                Some(raw) => raw.to_string(),
                None => urlencode_arg("--url-query", &q)?,
            };
            // curl's URL API writes the escapes it appends in lower case.
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&lower_escapes(&piece));
        }
        if let Some(data) = get_query {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(data);
        }
        let path = p.rest.split('?').next().unwrap_or("");
        self.settle_cookies(p.scheme, &p.bare_host(), path)?;
        let mut host = p.host.to_string();
        let mut port = p.port.map(str::to_string);
        self.redirect_connection(&p, &mut host, &mut port)?;
        let authority = match &port {
            Some(port) => format!("{host}:{port}"),
            None => host,
        };
        let mut rest = p.rest.to_string();
        if !query.is_empty() {
            rest.push(if rest.contains('?') { '&' } else { '?' });
            rest.push_str(&query);
        }
        let scheme = p.scheme.to_string();
        self.req.url = if template {
            url.split('#').next().unwrap_or("").to_string() + &rest[p.rest.len()..]
        } else {
            format!("{scheme}://{authority}{rest}")
        };
        self.settle_proxy(&p.bare_host());
        Ok(())
    }

    /// `--resolve` and `--connect-to` send to another address under the URL's name. Over
    /// plain http that is the URL's Host header sent to the other address; over https the URL
    /// stays (TLS names its host) and `options.connect_to` tells the sender where to connect.
    fn redirect_connection(
        &mut self,
        p: &Parts<'_>,
        host: &mut String,
        port: &mut Option<String>,
    ) -> Result<(), CurlError> {
        let wanted_port = p.port_number();
        let bare = p.bare_host();
        let mut target: Option<(String, Option<String>)> = None;
        for entry in std::mem::take(&mut self.resolve) {
            let entry = entry.trim_start_matches('+');
            let f = fields(entry);
            let (Some(h), Some(pt)) = (f.first(), f.get(1)) else {
                continue;
            };
            // The address list is the rest, so an unbracketed IPv6 address keeps its colons.
            let addrs = f.get(2..).map(|a| a.join(":")).unwrap_or_default();
            let host_matches = *h == "*" || h.trim_matches(['[', ']']).eq_ignore_ascii_case(&bare);
            if target.is_none() && host_matches && pt.parse::<u16>().ok() == Some(wanted_port) {
                let addr = addrs.split(',').next().unwrap_or("");
                target = Some((bracketed(addr.trim_matches(['[', ']'])), None));
            } else if target.is_none() {
                self.warn(format!(
                    "--resolve {entry} does not name the URL's host and port, so it changes \
                     nothing"
                ));
            }
        }
        for entry in std::mem::take(&mut self.connect_to) {
            let f = fields(&entry);
            let [h1, p1, h2, p2] = f[..] else {
                return Err(CurlError::Refused(format!(
                    "--connect-to {entry} is not HOST1:PORT1:HOST2:PORT2, which curl refuses \
                     too"
                )));
            };
            let host_matches =
                h1.is_empty() || h1.trim_matches(['[', ']']).eq_ignore_ascii_case(&bare);
            let port_matches = p1.is_empty() || p1.parse::<u16>().ok() == Some(wanted_port);
            if target.is_none() && host_matches && port_matches {
                let h = if h2.is_empty() {
                    p.host.to_string()
                } else {
                    bracketed(h2)
                };
                let pt = (!p2.is_empty()).then(|| p2.to_string());
                target = Some((h, pt));
            }
        }
        let Some((new_host, new_port)) = target else {
            return Ok(());
        };
        // Over https the URL must stay, for TLS names it: the sender connects elsewhere.
        if p.scheme.eq_ignore_ascii_case("https") {
            let to_port = new_port.unwrap_or_else(|| wanted_port.to_string());
            self.req.options.connect_to = Some(format!("{new_host}:{to_port}"));
            return Ok(());
        }
        if self.req.header_value("host").is_none() {
            self.req
                .headers
                .insert(0, Row::new("Host", &p.host_header()));
        }
        if self.req.options.follow_redirects {
            self.warn(
                "redirects go to the addresses their own names resolve to, not through \
                 --resolve or --connect-to"
                    .into(),
            );
        }
        *host = new_host;
        if new_port.is_some() || port.is_none() {
            *port = Some(new_port.unwrap_or_else(|| wanted_port.to_string()));
        }
        Ok(())
    }

    /// `--noproxy` is kept for the sender (it also rules out the environment's proxies), and
    /// applied now to the proxy the command names; `--proxy-user` goes into the proxy URL,
    /// which the sender reads it from.
    fn settle_proxy(&mut self, host: &str) {
        let o = &mut self.req.options;
        if let Some(list) = &o.no_proxy
            && crate::http::proxy::bypasses(list, host)
        {
            o.proxy = None;
        }
        let Some(user) = self.proxy_user.take() else {
            return;
        };
        let Some(proxy) = &mut self.req.options.proxy else {
            self.warn("--proxy-user has no proxy to go to, so it changes nothing".into());
            return;
        };
        let enc = |s: &str| super::percent_encoded(s.as_bytes());
        let (u, pw) = user.split_once(':').unwrap_or((&user, ""));
        let creds = format!("{}:{}@", enc(u), enc(pw));
        *proxy = match proxy.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{creds}{rest}"),
            None => format!("{creds}{proxy}"),
        };
    }
}

fn lower_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|d| d.to_ascii_lowercase()));
        }
    }
    out
}
