//! What apiward writes in place of secrets when it keeps a request (history, saved exports):
//! credential headers and auth, secret-named fields in JSON, form, multipart and raw bodies,
//! and token-shaped values (JWTs, private keys) wherever they appear.
//!
//! A value that came from a `{{variable}}` stays a reference, so the request can be sent
//! again; a literal secret becomes [`MASK`], which `history resend` refuses to send.

use super::model::{Auth, Body, JwtKey, PartValue, Request};
use super::sensitive::{is_credential_header, is_secret_param, mask_literal, redact_url};
use super::vars::{MASK, Redactor};

/// Field names (JSON keys, form and multipart names) whose value is a secret. Compared
/// without case, `-` or `_`, so `client_secret`, `clientSecret` and `Client-Secret` agree.
const SECRET_FIELDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "token",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "clientsecret",
    "apikey",
    "privatekey",
    "authorization",
    "otp",
    "pin",
];

/// Parts of a field name that make it secret wherever they stand (`new_password`,
/// `stripe_secret_key`, `sessionToken`).
const SECRET_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "credential",
];

/// Names about tokens rather than holding one: counts (`max_tokens`, `total_tokens`),
/// `token_type`, `token_url`, `token_endpoint`, lifetimes.
const TOKEN_METADATA: &[&str] = &[
    "tokens",
    "tokentype",
    "tokenurl",
    "tokenendpoint",
    "tokencount",
    "tokenlimit",
    "tokenexpir",
    "tokenttl",
];

/// Whether a body field called `name` holds a secret, by the built-in names or the names of
/// the workspace's secret variables (in `r`).
pub fn is_secret_field(name: &str, r: &Redactor) -> bool {
    let n: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_FIELDS.contains(&n.as_str())
        || (SECRET_PARTS.iter().any(|p| n.contains(p))
            && !TOKEN_METADATA.iter().any(|m| n.contains(m)))
        || r.is_secret_name(name)
}

/// The request with literal credentials masked and known secret values removed.
pub fn redact_request(req: &Request, r: &Redactor) -> Request {
    let mut out = req.clone();
    let clean = |v: &str| redact_text(v, r);
    out.url = match reqwest::Url::parse(&req.url) {
        Ok(url) => redact_url(&url, r),
        Err(_) => clean(&req.url),
    };
    for row in &mut out.headers {
        row.value = if is_credential_header(&row.name) {
            mask_literal(&row.value)
        } else {
            clean(&row.value)
        };
    }
    for row in &mut out.query {
        row.value = if is_secret_param(&row.name) {
            mask_literal(&row.value)
        } else {
            clean(&row.value)
        };
    }
    out.auth = match &req.auth {
        Auth::None => Auth::None,
        Auth::Basic { username, password } => Auth::Basic {
            username: clean(username),
            password: mask_literal(password),
        },
        Auth::Bearer { token } => Auth::Bearer {
            token: mask_literal(token),
        },
        Auth::Digest { username, password } => Auth::Digest {
            username: clean(username),
            password: mask_literal(password),
        },
        Auth::ApiKey { name, value, place } => Auth::ApiKey {
            name: name.clone(),
            value: mask_literal(value),
            place: *place,
        },
        Auth::Jwt { alg, key, claims } => Auth::Jwt {
            alg: alg.clone(),
            key: match key {
                JwtKey::Secret(s) => JwtKey::Secret(mask_literal(s)),
                JwtKey::PemFile(p) => JwtKey::PemFile(p.clone()),
            },
            claims: clean(claims),
        },
    };
    let field = |name: &str, value: &str| {
        if is_secret_field(name, r) || is_secret_param(name) {
            mask_literal(value)
        } else {
            clean(value)
        }
    };
    out.body = match &req.body {
        Body::Json(t) => Body::Json(clean(&redact_json_fields(t, r))),
        Body::Raw(t) => Body::Raw(clean(&redact_raw(t, r))),
        Body::Form(rows) => Body::Form(
            rows.iter()
                .map(|row| {
                    let mut row = row.clone();
                    row.value = field(&row.name, &row.value);
                    row
                })
                .collect(),
        ),
        Body::Multipart(parts) => Body::Multipart(
            parts
                .iter()
                .map(|part| {
                    let mut part = part.clone();
                    if let PartValue::Text(t) = &part.value {
                        part.value = PartValue::Text(field(&part.name, t));
                    }
                    part
                })
                .collect(),
        ),
        other => other.clone(),
    };
    out.options.proxy = req.options.proxy.as_deref().map(clean);
    out
}

/// `text` with known secrets, JWTs and PEM private keys masked.
pub fn redact_text(text: &str, r: &Redactor) -> String {
    mask_private_keys(&mask_jwts(&r.redact(text)))
}

/// A raw body: a form-encoded one (`user=a&password=x`) by field, a JSON-looking one by key.
fn redact_raw(text: &str, r: &Redactor) -> String {
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return redact_json_fields(text, r);
    }
    let form_like = !text.trim().is_empty()
        && text.contains('=')
        && !text.trim().chars().any(char::is_whitespace);
    if !form_like {
        return text.to_string();
    }
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => {
                let decoded = form_urlencoded::parse(name.as_bytes())
                    .next()
                    .map(|(n, _)| n.into_owned())
                    .unwrap_or_default();
                if is_secret_field(&decoded, r) || is_secret_param(&decoded) {
                    format!("{name}={}", mask_literal(value))
                } else {
                    pair.to_string()
                }
            }
            None => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// JSON text (or JSON with `{{variables}}` in it, which no parser accepts) with the scalar
/// value of every secret-named key masked, at any depth, leaving the rest byte for byte.
pub fn redact_json_fields(text: &str, r: &Redactor) -> String {
    replace_secret_fields(text, r, |_, _, _| Some(format!("\"{MASK}\"")))
}

/// Walks JSON-ish `text` and, for each secret-named key whose value is a literal string or
/// number (not a `{{reference}}`, `null` or a boolean), puts `replace(key, value)` in place
/// of the value when it gives one. The value passed is the string's contents, or the bare
/// text of a number.
fn replace_secret_fields(
    text: &str,
    r: &Redactor,
    mut replace: impl FnMut(&str, &str, bool) -> Option<String>,
) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let key_end = string_end(bytes, i);
        let mut j = skip_space(bytes, key_end);
        if bytes.get(j) != Some(&b':') {
            i = key_end;
            continue;
        }
        j = skip_space(bytes, j + 1);
        let key = serde_json::from_str::<String>(&text[i..key_end]).unwrap_or_default();
        let value_end = match bytes.get(j) {
            Some(b'"') => string_end(bytes, j),
            Some(b'{' | b'[') | None => {
                i = j;
                continue;
            }
            Some(_) => bare_end(bytes, j),
        };
        let value = &text[j..value_end];
        let literal = !matches!(value, "null" | "true" | "false");
        if literal && is_secret_field(&key, r) {
            let inner = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Some(quoted) => {
                    serde_json::from_str::<String>(value).unwrap_or_else(|_| quoted.to_string())
                }
                None => value.to_string(),
            };
            if mask_literal(&inner) == MASK
                && let Some(new) = replace(&key, &inner, value.starts_with('"'))
            {
                out.push_str(&text[copied..j]);
                out.push_str(&new);
                copied = value_end;
            }
        }
        i = value_end;
    }
    out.push_str(&text[copied..]);
    out
}

/// A literal credential taken out of a request, to be kept as a secret variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The variable now written in the request as `{{name}}`.
    pub name: String,
    pub value: String,
    /// Where it was, for the message: "the Authorization header".
    pub place: String,
}

/// Moves every literal credential of `req` into a variable named `PREFIX_what`, writing
/// `{{PREFIX_what}}` where it was: credential headers (an auth scheme word is kept:
/// `Bearer {{x}}`), secret query parameters, the auth settings, and secret-named body fields.
/// The variable a secret is moved to: `{prefix}_{what}`, lower case, anything but letters
/// and digits made `_` (`login` and `X-Api-Key` give `login_x_api_key`).
pub fn variable_name(prefix: &str, what: &str) -> String {
    format!("{prefix}_{what}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// What `import curl --save` does, so a pasted token lands in the private env file, not in a
/// request file that may go to git.
pub fn extract_secrets(req: &mut Request, prefix: &str, r: &Redactor) -> Vec<Extracted> {
    let mut taken: Vec<Extracted> = Vec::new();
    let mut take = |what: &str, value: &str, place: String| -> String {
        let base = variable_name(prefix, what);
        let mut name = base.clone();
        let mut n = 2;
        while taken.iter().any(|t| t.name == name && t.value != value) {
            name = format!("{base}_{n}");
            n += 1;
        }
        if !taken.iter().any(|t| t.name == name) {
            taken.push(Extracted {
                name: name.clone(),
                value: value.to_string(),
                place,
            });
        }
        format!("{{{{{name}}}}}")
    };
    let literal = |v: &str| !v.is_empty() && mask_literal(v) == MASK;
    for row in &mut req.headers {
        if !is_credential_header(&row.name) || !literal(&row.value) {
            continue;
        }
        let place = format!("the {} header", row.name);
        row.value = match row.value.split_once(' ') {
            Some((scheme, rest)) if is_scheme(scheme) && !rest.trim().is_empty() => {
                format!("{scheme} {}", take(&row.name, rest.trim(), place))
            }
            _ => take(&row.name, &row.value.clone(), place),
        };
    }
    // Secret parameters written in the URL itself, by text: a parsed URL would
    // percent-encode the braces of the reference.
    if let Some((base, query)) = req.url.clone().split_once('?') {
        let (query, fragment) = match query.split_once('#') {
            Some((q, f)) => (q, Some(f)),
            None => (query, None),
        };
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, value)) if is_secret_param(name) && literal(value) => {
                    let place = format!("the {name} query parameter");
                    format!("{name}={}", take(name, value, place))
                }
                _ => pair.to_string(),
            })
            .collect();
        req.url = format!("{base}?{}", pairs.join("&"));
        if let Some(f) = fragment {
            req.url.push('#');
            req.url.push_str(f);
        }
    }
    for row in &mut req.query {
        if is_secret_param(&row.name) && literal(&row.value) {
            let place = format!("the {} query parameter", row.name);
            row.value = take(&row.name, &row.value.clone(), place);
        }
    }
    match &mut req.auth {
        Auth::Basic { password, .. } | Auth::Digest { password, .. } if literal(password) => {
            *password = take("password", &password.clone(), "the auth password".into());
        }
        Auth::Bearer { token } if literal(token) => {
            *token = take("token", &token.clone(), "the bearer token".into());
        }
        Auth::ApiKey { value, .. } if literal(value) => {
            *value = take("api_key", &value.clone(), "the API key".into());
        }
        Auth::Jwt {
            key: JwtKey::Secret(secret),
            ..
        } if literal(secret) => {
            *secret = take(
                "jwt_secret",
                &secret.clone(),
                "the JWT signing secret".into(),
            );
        }
        _ => {}
    }
    match &mut req.body {
        Body::Form(rows) => {
            for row in rows {
                if (is_secret_field(&row.name, r) || is_secret_param(&row.name))
                    && literal(&row.value)
                {
                    let place = format!("the {} form field", row.name);
                    row.value = take(&row.name, &row.value.clone(), place);
                }
            }
        }
        Body::Json(text) => {
            *text = replace_secret_fields(text, r, |key, value, quoted| {
                Some(json_reference(
                    take(key, value, format!("the JSON field {key}")),
                    quoted,
                ))
            });
        }
        Body::Raw(text) if text.trim_start().starts_with(['{', '[']) => {
            *text = replace_secret_fields(text, r, |key, value, quoted| {
                Some(json_reference(
                    take(key, value, format!("the JSON field {key}")),
                    quoted,
                ))
            });
        }
        _ => {}
    }
    taken
}

/// A variable reference in place of a JSON value: quoted for a string, bare for a number,
/// so the value sent keeps its type.
fn json_reference(reference: String, quoted: bool) -> String {
    if quoted {
        format!("\"{reference}\"")
    } else {
        reference
    }
}

fn is_scheme(word: &str) -> bool {
    ["Bearer", "Basic", "Token", "Digest", "ApiKey"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(word))
}

/// The index just past the JSON string starting at `start` (a `"`), or the end of the text.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a bare value (number, literal, `{{variable}}`): the next `,`, `}`, `]` or line
/// end outside a `{{…}}`.
fn bare_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"{{") {
            i = bytes[i..]
                .windows(2)
                .position(|w| w == b"}}")
                .map_or(bytes.len(), |p| i + p + 2);
            continue;
        }
        if matches!(bytes[i], b',' | b'}' | b']' | b'\n' | b'\r') {
            break;
        }
        i += 1;
    }
    // Trailing spaces belong to the layout, not the value.
    while i > start && bytes[i - 1].is_ascii_whitespace() {
        i -= 1;
    }
    i
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Masks every JWT-shaped run (`eyJ…` header, payload and signature in base64url).
fn mask_jwts(text: &str) -> String {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("eyJ") {
        // Only at the start of a word: `…xeyJ` is not a token.
        if rest[..at].chars().next_back().is_some_and(is_b64) {
            out.push_str(&rest[..at + 3]);
            rest = &rest[at + 3..];
            continue;
        }
        let cand = &rest[at..];
        let mut dots = 0;
        let mut len = 0;
        for c in cand.chars() {
            if is_b64(c) {
                len += 1;
            } else if c == '.' && dots < 2 {
                dots += 1;
                len += 1;
            } else {
                break;
            }
        }
        let token = &cand[..len];
        let parts: Vec<&str> = token.split('.').collect();
        let looks_like = dots == 2 && parts[0].len() >= 10 && parts[1].len() >= 4;
        out.push_str(&rest[..at]);
        out.push_str(if looks_like { MASK } else { token });
        rest = &cand[len..];
    }
    out.push_str(rest);
    out
}

/// Masks every PEM private key block, including the armour lines.
fn mask_private_keys(text: &str) -> String {
    const BEGIN: &str = "-----BEGIN ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(BEGIN) {
        let block = &rest[at..];
        let label_end = block[BEGIN.len()..].find("-----").map(|p| p + BEGIN.len());
        let label = label_end.map(|e| &block[BEGIN.len()..e]).unwrap_or("");
        if !label.ends_with("PRIVATE KEY") {
            out.push_str(&rest[..at + BEGIN.len()]);
            rest = &rest[at + BEGIN.len()..];
            continue;
        }
        let end_marker = format!("-----END {label}-----");
        out.push_str(&rest[..at]);
        out.push_str(MASK);
        rest = match block.find(&end_marker) {
            Some(e) => &block[e + end_marker.len()..],
            // An unterminated block is masked to the end: better too much than a key.
            None => "",
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> Redactor {
        let mut r = Redactor::default();
        r.add_name("pin_code");
        r
    }

    #[test]
    fn json_fields_by_name_at_any_depth() {
        let body = r#"{"username": "alice", "password": "hunter2",
  "nested": {"client_secret": "cs-1", "list": [{"refreshToken": "rt-9"}]},
  "api_key": 12345, "token": "{{token}}", "pin_code": "0000", "note": "password: x",
  "id_token": null, "count": 3}"#;
        let out = redact_json_fields(body, &r());
        for leaked in ["hunter2", "cs-1", "rt-9", "12345", "0000"] {
            assert!(!out.contains(leaked), "{leaked} in {out}");
        }
        for kept in [
            "\"alice\"",
            "\"{{token}}\"",
            "\"password: x\"",
            "null",
            "\"count\": 3",
        ] {
            assert!(out.contains(kept), "{kept} lost from {out}");
        }
        // Still JSON, with the layout kept.
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
        assert!(out.contains("\n  \"nested\""));
    }

    #[test]
    fn templated_json_that_no_parser_accepts() {
        let body = "{\"password\": \"p@ss\", \"n\": {{count}}, \"secret\": {{s}} }";
        let out = redact_json_fields(body, &Redactor::default());
        assert!(!out.contains("p@ss") && out.contains("{{count}}") && out.contains("{{s}}"));
    }

    #[test]
    fn raw_forms_and_tokens_anywhere() {
        let r = Redactor::default();
        assert_eq!(
            redact_raw("user=a&password=x&next=%2F", &r),
            format!("user=a&password={MASK}&next=%2F")
        );
        assert_eq!(redact_raw("just some text", &r), "just some text");
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
        let text = format!("token was {jwt}, ok; keyJunk eyJ.");
        let out = redact_text(&text, &r);
        assert_eq!(out, format!("token was {MASK}, ok; keyJunk eyJ."));
        let pem = "a\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\nb";
        assert_eq!(redact_text(pem, &r), format!("a\n{MASK}\nb"));
        let public = "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----";
        assert_eq!(redact_text(public, &r), public);
    }

    #[test]
    fn extraction_leaves_references_and_keeps_the_rest() {
        let mut req = Request::new("POST", "http://127.0.0.1/login?access_token=qtok&page=2")
            .header("Authorization", "Bearer abc.def")
            .header("X-Api-Key", "k-1")
            .header("Accept", "application/json")
            .header("Cookie", "{{cookie}}");
        req.query
            .push(crate::http::Row::new("access_token", "qtok"));
        req.body = Body::Json(
            r#"{"user": "a", "password": "p\"w", "n": {{x}}, "pin": 4321, "max_tokens": 9}"#.into(),
        );
        let taken = extract_secrets(&mut req, "login", &Redactor::default());
        let names: Vec<&str> = taken.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "login_authorization",
                "login_x_api_key",
                "login_access_token",
                "login_password",
                "login_pin"
            ]
        );
        assert_eq!(
            req.url, "http://127.0.0.1/login?access_token={{login_access_token}}&page=2",
            "the same value in the URL and a row is one variable"
        );
        assert_eq!(req.query[0].value, "{{login_access_token}}");
        assert_eq!(taken[0].value, "abc.def");
        assert_eq!(taken[3].value, "p\"w", "the JSON string's contents");
        assert_eq!(req.headers[0].value, "Bearer {{login_authorization}}");
        assert_eq!(req.headers[3].value, "{{cookie}}");
        assert_eq!(req.headers[2].value, "application/json");
        let Body::Json(body) = &req.body else {
            panic!()
        };
        assert_eq!(
            body,
            r#"{"user": "a", "password": "{{login_password}}", "n": {{x}}, "pin": {{login_pin}}, "max_tokens": 9}"#,
            "a number stays a number: its reference is bare"
        );
        // What is left holds nothing to mask.
        let again = redact_request(&req, &Redactor::default());
        assert!(!serde_json::to_string(&again).unwrap().contains(MASK));
    }

    #[test]
    fn field_names() {
        let r = r();
        for secret in [
            "password",
            "clientSecret",
            "Client-Secret",
            "new_password",
            "api_key",
            "APIKEY",
            "access_token",
            "pin_code",
        ] {
            assert!(is_secret_field(secret, &r), "{secret}");
        }
        for plain in [
            "username",
            "author",
            "monkey",
            "email",
            "id",
            "max_tokens",
            "total_tokens",
            "token_type",
            "token_endpoint",
        ] {
            assert!(!is_secret_field(plain, &r), "{plain}");
        }
    }
}
