//! The request model the builder edits, stores in `.http` files and sends: plain data with
//! `{{variables}}` left unresolved until send time.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Responses bigger than this keep only their first part, unless the request says otherwise.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

/// One request as the user wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// The `# @name` it is stored and re-sent under; empty for an unsaved request.
    pub name: String,
    /// Any method, custom ones included; sent upper-cased as written.
    pub method: String,
    /// May hold `{{variables}}` and its own query string; `query` rows are appended.
    pub url: String,
    pub query: Vec<Row>,
    pub headers: Vec<Row>,
    pub auth: Auth,
    pub body: Body,
    pub options: Options,
    /// `# @tag NAME` lines: labels that pick requests out (`apiward authz --tag`); never sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl Default for Request {
    fn default() -> Self {
        Self {
            name: String::new(),
            method: "GET".into(),
            url: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            auth: Auth::None,
            body: Body::None,
            options: Options::default(),
            tags: Vec::new(),
        }
    }
}

impl Request {
    pub fn new(method: &str, url: &str) -> Self {
        Self {
            method: method.to_string(),
            url: url.to_string(),
            ..Self::default()
        }
    }

    /// Adds an enabled header row.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push(Row::new(name, value));
        self
    }

    /// Adds an enabled query row.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push(Row::new(name, value));
        self
    }

    /// The value of the first enabled header row called `name` (any case).
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|r| r.enabled && r.name.eq_ignore_ascii_case(name))
            .map(|r| r.value.as_str())
    }
}

/// A row of the query, header or form table; a disabled row is kept but not sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub name: String,
    pub value: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl Row {
    pub fn new(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            value: value.to_string(),
            enabled: true,
        }
    }

    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyPlace {
    Header,
    Query,
}

/// How the request authenticates. Every string may hold `{{variables}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Auth {
    #[default]
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    /// HTTP Digest (RFC 7616): answered when the server's 401 challenges for it.
    Digest {
        username: String,
        password: String,
    },
    ApiKey {
        name: String,
        value: String,
        place: KeyPlace,
    },
    /// A token signed at send time, sent as `Authorization: Bearer`.
    Jwt {
        /// HS256, RS256, ES256, EdDSA …
        alg: String,
        key: JwtKey,
        /// The claims as JSON text; `{{$timestamp}}` makes fresh iat/exp.
        claims: String,
    },
}

/// The key a JWT is signed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JwtKey {
    /// An HMAC secret (usually `{{a_secret_variable}}`).
    Secret(String),
    /// A PEM private key file.
    PemFile(PathBuf),
}

/// What the request carries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Body {
    #[default]
    None,
    /// JSON text, validated and sent as written (the builder pretty-prints it on entry).
    Json(String),
    /// `application/x-www-form-urlencoded` from the rows.
    Form(Vec<Row>),
    Multipart(Vec<Part>),
    /// Text sent as written; `Content-Type` comes from the headers (text/plain otherwise).
    Raw(String),
    /// A file's bytes, streamed from disk at send time.
    File(PathBuf),
}

/// One multipart field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    pub value: PartValue,
    #[serde(default = "yes")]
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartValue {
    Text(String),
    File(PathBuf),
}

/// HTTP version to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HttpVersion {
    /// HTTP/2 when the server offers it by ALPN, else HTTP/1.1 (always 1.1 over plain http).
    #[default]
    Auto,
    Http1,
    /// Over TLS by ALPN; over plain http with prior knowledge.
    Http2,
}

/// How to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// The whole exchange, DNS to last byte, redirects included.
    pub timeout_ms: u64,
    pub follow_redirects: bool,
    pub max_redirects: usize,
    /// Off is `-k`: any certificate is accepted (and said so).
    pub verify_tls: bool,
    /// A PEM bundle of extra CAs to trust.
    pub ca_file: Option<PathBuf>,
    /// mTLS: a PEM certificate chain and its private key.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub http_version: HttpVersion,
    /// `host:port` (HTTP), or `socks4://`, `socks4a://`, `socks5://`, `socks5h://`, as curl
    /// reads `-x`; none means the `*_proxy` environment variables decide, as for curl.
    pub proxy: Option<String>,
    /// Hosts that go direct, curl's `--noproxy` (comma-separated, `*` for all); overrides
    /// `NO_PROXY`.
    pub no_proxy: Option<String>,
    /// The most the TCP connect may take (curl's `--connect-timeout`); the whole exchange is
    /// still bounded by `timeout_ms`.
    pub connect_timeout_ms: Option<u64>,
    /// `host:port` to connect to in place of the URL's (curl's `--resolve`/`--connect-to`);
    /// the URL's name still goes in the Host header and in TLS.
    pub connect_to: Option<String>,
    /// Body bytes kept (after decompression); the rest is dropped and `truncated` set.
    pub max_body: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            timeout_ms: 30_000,
            follow_redirects: false,
            max_redirects: 10,
            verify_tls: true,
            ca_file: None,
            client_cert: None,
            client_key: None,
            http_version: HttpVersion::Auto,
            proxy: None,
            no_proxy: None,
            connect_timeout_ms: None,
            connect_to: None,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// `512`, `10k`, `64M`, `1G` (powers of 1024; a trailing B is allowed): `--max-body` and
/// `# @max-body`.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim().trim_end_matches(['b', 'B']);
    let (digits, mult) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1u64 << 10),
        'm' | 'M' => (&t[..t.len() - 1], 1 << 20),
        'g' | 'G' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    digits.trim().parse::<u64>().ok()?.checked_mul(mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_bytes_and_binary_units() {
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("10k"), Some(10 * 1024));
        assert_eq!(parse_size("64MB"), Some(64 << 20));
        assert_eq!(parse_size("1G"), Some(1 << 30));
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn a_request_survives_json() {
        let mut req = Request::new("PATCH", "{{base}}/users/1")
            .header("X-Trace", "1")
            .query("q", "x");
        req.headers.push(Row::new("X-Off", "y").disabled());
        req.auth = Auth::Jwt {
            alg: "HS256".into(),
            key: JwtKey::Secret("{{secret}}".into()),
            claims: r#"{"sub":"1"}"#.into(),
        };
        req.body = Body::Multipart(vec![Part {
            name: "f".into(),
            value: PartValue::File("a.txt".into()),
            enabled: true,
        }]);
        let text = serde_json::to_string(&req).unwrap();
        assert_eq!(serde_json::from_str::<Request>(&text).unwrap(), req);
        assert_eq!(req.header_value("x-trace"), Some("1"));
        assert_eq!(req.header_value("x-off"), None);
    }
}
