//! Turning a [`Request`] into bytes to send: variables resolved, query rows appended, auth
//! applied (a JWT signed now), the body encoded and its Content-Type set.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::Url;

use super::model::{Auth, Body, JwtKey, KeyPlace, Options, PartValue, Request, Row};
use super::vars::{Redactor, VarError, Vars};
use crate::net::UrlError;

#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Var(#[from] VarError),
    #[error("the method \"{0}\" is not a valid HTTP token")]
    BadMethod(String),
    #[error("the method is {0} characters long; apiward sends methods of up to {MAX_METHOD_LEN}")]
    LongMethod(usize),
    #[error("\"{url}\" is not a valid URL: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("only http:// and https:// URLs can be sent, not {0}://")]
    BadScheme(String),
    #[error(
        "the proxy \"{0}\" cannot be used ({1}); apiward refuses to send rather than go \
         without it"
    )]
    BadProxy(String, String),
    #[error("the header \"{0}\" is not valid")]
    BadHeader(String),
    #[error("the JSON body is not valid at line {line}, column {column}: {message}")]
    BadJson {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the JWT claims are not a JSON object: {0}")]
    BadClaims(String),
    #[error("the JWT could not be signed: {0}")]
    Jwt(String),
    #[error("cannot read {what} {}: {source}", path.display())]
    File {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

crate::error_kind::bad_input!(PrepareError);

/// The longest method apiward sends. The longest registered method is 17 characters; a
/// method of many thousands is no request a server takes, and it broke every table that lists
/// it (a format width over 65,535 panics).
pub const MAX_METHOD_LEN: usize = 64;

/// A request ready for the wire. Header and URL values are final; `redactor` knows every
/// secret that went into them.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub method: http::Method,
    pub url: Url,
    /// In order, names as written; Host and Content-Length are added by the transport.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub options: Options,
    pub redactor: Redactor,
    /// The query parameter an API key was put in, for the token-in-query finding.
    pub key_in_query: Option<String>,
    /// Digest credentials, for the sender to answer a 401 challenge with.
    pub digest: Option<super::digest::DigestCredentials>,
}

impl Prepared {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Resolves and encodes `req`. Relative file paths (body files, keys, CAs) are taken from
/// `base_dir`, the folder of the `.http` file, when given.
pub fn prepare(
    req: &Request,
    vars: &Vars,
    base_dir: Option<&Path>,
) -> Result<Prepared, PrepareError> {
    let mut redactor = vars.redactor();
    let mut r = |text: &str| vars.resolve(text, &mut redactor);
    let method_text = r(req.method.trim())?.to_ascii_uppercase();
    if method_text.len() > MAX_METHOD_LEN {
        return Err(PrepareError::LongMethod(method_text.chars().count()));
    }
    let method = http::Method::from_bytes(method_text.as_bytes())
        .map_err(|_| PrepareError::BadMethod(method_text.clone()))?;
    let mut url = parse_url(&r(req.url.trim())?)?;
    let rows = resolve_rows(&req.query, &mut r)?;
    if !rows.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &rows {
            pairs.append_pair(name, value);
        }
    }
    let mut headers = resolve_rows(&req.headers, &mut r)?;
    let mut key_in_query = None;
    let mut digest = None;
    match &req.auth {
        Auth::None => {}
        Auth::Basic { username, password } => {
            use base64::Engine;
            let pair = format!("{}:{}", r(username)?, r(password)?);
            let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
            headers.push(("Authorization".into(), format!("Basic {encoded}")));
        }
        Auth::Bearer { token } => {
            headers.push(("Authorization".into(), format!("Bearer {}", r(token)?)))
        }
        // Answered in the sender, once the server's 401 names its nonce.
        Auth::Digest { username, password } => {
            digest = Some(super::digest::DigestCredentials {
                username: r(username)?,
                password: r(password)?,
            });
        }
        Auth::ApiKey { name, value, place } => {
            let (name, value) = (r(name)?, r(value)?);
            match place {
                KeyPlace::Header => headers.push((name, value)),
                KeyPlace::Query => {
                    url.query_pairs_mut().append_pair(&name, &value);
                    key_in_query = Some(name);
                }
            }
        }
        Auth::Jwt { alg, key, claims } => {
            let token = sign_jwt(alg, key, &r(claims)?, base_dir, &mut r)?;
            headers.push(("Authorization".into(), format!("Bearer {token}")));
        }
    }
    let (body, content_type) = encode_body(&req.body, base_dir, &mut r)?;
    if let Some(ct) = content_type
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), ct));
    }
    for (name, value) in &headers {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err()
            || http::HeaderValue::from_str(value).is_err()
        {
            return Err(PrepareError::BadHeader(redactor.redact(name)));
        }
    }
    for (name, value) in [
        ("User-Agent", concat!("apiward/", env!("CARGO_PKG_VERSION"))),
        ("Accept", "*/*"),
        // Only what the transport can decode.
        ("Accept-Encoding", "gzip, br"),
    ] {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            headers.push((name.into(), value.into()));
        }
    }
    let mut options = req.options.clone();
    for path in [
        &mut options.ca_file,
        &mut options.client_cert,
        &mut options.client_key,
    ]
    .into_iter()
    .flatten()
    {
        *path = relative_to(base_dir, path);
    }
    let given = options.proxy.as_deref().map(&mut r).transpose()?;
    options.proxy = super::proxy::choose(&url, given, options.no_proxy.as_deref(), |name| {
        std::env::var(name).ok()
    });
    if let Some(proxy) = &options.proxy {
        // A proxy that cannot be honoured is an error, never a silent direct send.
        super::proxy::Proxy::parse(proxy)
            .map_err(|why| PrepareError::BadProxy(super::proxy::shown(proxy), why))?;
    }
    Ok(Prepared {
        method,
        url,
        headers,
        body,
        options,
        redactor,
        key_in_query,
        digest,
    })
}

/// Parses a URL the way people type them: `localhost:8080/x` means `http://localhost:8080/x`.
pub fn parse_url(text: &str) -> Result<Url, PrepareError> {
    let full = if text.contains("://") {
        text.to_string()
    } else if let Some(rest) = text.strip_prefix(':') {
        // HTTPie's shorthand: `:8080/x` and `:/x` are on localhost.
        format!("http://localhost:{rest}").replace("localhost:/", "localhost/")
    } else {
        format!("http://{text}")
    };
    crate::net::http_url(&full).map_err(|e| match e {
        UrlError::Scheme { scheme, .. } => PrepareError::BadScheme(scheme),
        UrlError::NotUrl { reason, .. } => PrepareError::BadUrl {
            url: text.to_string(),
            reason,
        },
        UrlError::NoHost(_) => PrepareError::BadUrl {
            url: text.to_string(),
            reason: "it has no host".into(),
        },
    })
}

type Resolve<'a> = dyn FnMut(&str) -> Result<String, VarError> + 'a;

fn resolve_rows(rows: &[Row], r: &mut Resolve<'_>) -> Result<Vec<(String, String)>, PrepareError> {
    rows.iter()
        .filter(|row| row.enabled)
        .map(|row| Ok((r(&row.name)?, r(&row.value)?)))
        .collect()
}

fn relative_to(base: Option<&Path>, path: &Path) -> PathBuf {
    match base {
        Some(base) if path.is_relative() => base.join(path),
        _ => path.to_path_buf(),
    }
}

fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, PrepareError> {
    std::fs::read(path).map_err(|source| PrepareError::File {
        what,
        path: path.to_path_buf(),
        source,
    })
}

fn sign_jwt(
    alg: &str,
    key: &JwtKey,
    claims: &str,
    base_dir: Option<&Path>,
    r: &mut Resolve<'_>,
) -> Result<String, PrepareError> {
    let claims: serde_json::Value =
        serde_json::from_str(claims).map_err(|e| PrepareError::BadClaims(e.to_string()))?;
    if !claims.is_object() {
        return Err(PrepareError::BadClaims("it is not an object".into()));
    }
    let key = match key {
        JwtKey::Secret(secret) => crate::jwt::SigningKey::Secret(r(secret)?.into_bytes()),
        JwtKey::PemFile(path) => {
            let pem = read("the JWT key", &relative_to(base_dir, path))?;
            crate::jwt::SigningKey::Pem(String::from_utf8_lossy(&pem).into_owned())
        }
    };
    let mut header = serde_json::Map::new();
    header.insert("typ".into(), "JWT".into());
    crate::jwt::sign(&header, &claims, alg, &key).map_err(|e| PrepareError::Jwt(e.to_string()))
}

/// The body bytes and the Content-Type they imply.
fn encode_body(
    body: &Body,
    base_dir: Option<&Path>,
    r: &mut Resolve<'_>,
) -> Result<(Bytes, Option<String>), PrepareError> {
    Ok(match body {
        Body::None => (Bytes::new(), None),
        Body::Json(text) => {
            let text = r(text)?;
            validate_json(&text)?;
            (Bytes::from(text), Some("application/json".into()))
        }
        Body::Form(rows) => {
            let rows = resolve_rows(rows, r)?;
            let encoded = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(rows)
                .finish();
            (
                Bytes::from(encoded),
                Some("application/x-www-form-urlencoded".into()),
            )
        }
        Body::Multipart(parts) => {
            let boundary = format!("apiward-{}", super::vars::uuid_v4());
            let mut out = Vec::new();
            for part in parts.iter().filter(|p| p.enabled) {
                let name = r(&part.name)?;
                out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                match &part.value {
                    PartValue::Text(text) => {
                        out.extend_from_slice(
                            format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                                .as_bytes(),
                        );
                        out.extend_from_slice(r(text)?.as_bytes());
                    }
                    PartValue::File(path) => {
                        let path = relative_to(base_dir, path);
                        let file_name = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        let mime = mime_guess::from_path(&path).first_or_octet_stream();
                        out.extend_from_slice(format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n"
                        ).as_bytes());
                        out.extend_from_slice(&read("the multipart file", &path)?);
                    }
                }
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            (
                Bytes::from(out),
                Some(format!("multipart/form-data; boundary={boundary}")),
            )
        }
        Body::Raw(text) => (
            Bytes::from(r(text)?),
            Some("text/plain; charset=utf-8".into()),
        ),
        Body::File(path) => {
            let path = relative_to(base_dir, path);
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            (
                Bytes::from(read("the body file", &path)?),
                Some(mime.to_string()),
            )
        }
    })
}

/// A JSON body must parse; the error says where it breaks.
pub fn validate_json(text: &str) -> Result<(), PrepareError> {
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|e| PrepareError::BadJson {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::model::Part;

    fn vars() -> Vars {
        let mut v = Vars::new();
        v.set("base", "http://127.0.0.1:9", false);
        v.set("pw", "hunter22", true);
        v
    }

    #[test]
    fn resolves_query_auth_and_json() {
        let mut req = Request::new("post", "{{base}}/x?a=1").query("b", "two words");
        req.query.push(Row::new("off", "1").disabled());
        req.auth = Auth::Basic {
            username: "u".into(),
            password: "{{pw}}".into(),
        };
        req.body = Body::Json(r#"{"a": 1}"#.into());
        let p = prepare(&req, &vars(), None).unwrap();
        assert_eq!(p.method, http::Method::POST);
        assert_eq!(p.url.as_str(), "http://127.0.0.1:9/x?a=1&b=two+words");
        assert_eq!(p.header("content-type"), Some("application/json"));
        assert!(p.header("authorization").unwrap().starts_with("Basic "));
        assert_eq!(p.redactor.redact("x hunter22 y"), "x •••••• y");
    }

    #[test]
    fn bad_input_is_named() {
        let v = vars();
        let err = prepare(&Request::new("GET", "{{nope}}/x"), &v, None).unwrap_err();
        assert!(err.to_string().contains("{{nope}}"), "{err}");
        let err = prepare(&Request::new("GET", "ftp://x/"), &v, None).unwrap_err();
        assert!(matches!(err, PrepareError::BadScheme(_)));
        let err = prepare(&Request::new("GET", "http://"), &v, None).unwrap_err();
        assert!(matches!(err, PrepareError::BadUrl { .. }), "{err}");
        let mut req = Request::new("POST", "http://x/");
        req.body = Body::Json("{\n  \"a\": }".into());
        let err = prepare(&req, &v, None).unwrap_err();
        assert!(
            matches!(err, PrepareError::BadJson { line: 2, .. }),
            "{err}"
        );
        let err = prepare(&Request::new("BAD METHOD", "http://x/"), &v, None).unwrap_err();
        assert!(matches!(err, PrepareError::BadMethod(_)));
    }

    #[test]
    fn a_method_longer_than_the_limit_is_refused() {
        // A 70,000-character method was sent, then broke `history list` on every run.
        let v = vars();
        let long = "A".repeat(70_000);
        let err = prepare(&Request::new(&long, "http://x/"), &v, None).unwrap_err();
        assert!(matches!(err, PrepareError::LongMethod(70_000)), "{err}");
        assert!(err.to_string().len() < 100, "{err}");
        // Through a variable too, since the limit applies to what goes on the wire.
        let mut v = Vars::new();
        v.set("m", &"B".repeat(MAX_METHOD_LEN + 1), false);
        let err = prepare(&Request::new("{{m}}", "http://x/"), &v, None).unwrap_err();
        assert!(matches!(err, PrepareError::LongMethod(_)), "{err}");
        let at_limit = "C".repeat(MAX_METHOD_LEN);
        let p = prepare(&Request::new(&at_limit, "http://x/"), &vars(), None).unwrap();
        assert_eq!(p.method.as_str(), at_limit);
    }

    #[test]
    fn form_multipart_and_jwt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "file body").unwrap();
        let mut req = Request::new("PUT", "localhost:9/f");
        req.body = Body::Multipart(vec![
            Part {
                name: "t".into(),
                value: PartValue::Text("v".into()),
                enabled: true,
            },
            Part {
                name: "f".into(),
                value: PartValue::File("a.txt".into()),
                enabled: true,
            },
        ]);
        req.auth = Auth::Jwt {
            alg: "HS256".into(),
            key: JwtKey::Secret("{{pw}}".into()),
            claims: r#"{"sub":"1","iat":{{$timestamp}}}"#.into(),
        };
        let p = prepare(&req, &vars(), Some(dir.path())).unwrap();
        assert_eq!(p.url.as_str(), "http://localhost:9/f");
        let body = String::from_utf8_lossy(&p.body);
        assert!(
            body.contains("filename=\"a.txt\"\r\nContent-Type: text/plain"),
            "{body}"
        );
        assert!(body.contains("file body"));
        let auth = p.header("authorization").unwrap();
        let decoded = crate::jwt::decode(auth.trim_start_matches("Bearer ")).unwrap();
        assert_eq!(decoded.header["alg"], "HS256");
        req.body = Body::Form(vec![Row::new("a b", "c&d")]);
        req.auth = Auth::ApiKey {
            name: "api_key".into(),
            value: "k".into(),
            place: KeyPlace::Query,
        };
        let p = prepare(&req, &vars(), Some(dir.path())).unwrap();
        assert_eq!(&p.body[..], b"a+b=c%26d");
        assert_eq!(p.key_in_query.as_deref(), Some("api_key"));
        assert!(p.url.as_str().ends_with("?api_key=k"));
    }
}
