//! An operation's security requirement as apiward auth: HTTP bearer as `{{token}}`, basic and
//! digest as `{{username}}`/`{{password}}`, an API key in its header, query or cookie as a
//! variable named for the scheme, OAuth2 and OpenID Connect as a bearer token with a note on
//! how to get one. The variables become empty secrets of the private env file.

use crate::http::model::{Auth, KeyPlace, Request, Row};
use crate::spec::{Document, Operation, SecurityScheme};

/// What the security of one operation adds to its request.
#[derive(Debug, Default)]
pub struct Applied {
    /// Comment lines for the request.
    pub notes: Vec<String>,
    /// Secret variables it uses.
    pub secrets: Vec<String>,
    /// Schemes the operation names that the description does not define.
    pub unknown: Vec<String>,
}

/// A variable name from a scheme name: letters, digits and `_`.
fn var_name(scheme: &str) -> String {
    let name: String = scheme
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    match name.trim_matches('_') {
        "" => "api_key".into(),
        _ => name,
    }
}

/// Sets `req`'s auth (and any further key headers or query rows) from the first way the
/// operation's security can be satisfied; the other ways are noted.
pub fn apply(
    doc: &Document,
    schemes: &[SecurityScheme<'_>],
    op: &Operation<'_>,
    req: &mut Request,
) -> Applied {
    let mut out = Applied::default();
    let requirements = doc.security(op);
    let Some(first) = requirements.first() else {
        return out;
    };
    if first.is_empty() {
        if requirements.len() > 1 {
            out.notes
                .push("Authentication is optional here; none is sent.".to_string());
        }
        return out;
    }
    for (name, scopes) in first {
        let Some(scheme) = schemes.iter().find(|s| s.name == *name) else {
            out.unknown.push(name.to_string());
            continue;
        };
        one(scheme, scopes, req, &mut out);
    }
    for other in requirements.iter().skip(1) {
        let names: Vec<&str> = other.iter().map(|(n, _)| *n).collect();
        if !names.is_empty() {
            out.notes
                .push(format!("Also accepted instead: {}.", names.join(" + ")));
        }
    }
    out
}

fn one(scheme: &SecurityScheme<'_>, scopes: &[&str], req: &mut Request, out: &mut Applied) {
    // A second scheme in the same requirement goes in as a row, not over the first's auth.
    let free = matches!(req.auth, Auth::None);
    let mut secret = |name: &str| {
        if !out.secrets.iter().any(|s| s == name) {
            out.secrets.push(name.to_string());
        }
        format!("{{{{{name}}}}}")
    };
    match (scheme.kind, scheme.scheme.as_deref()) {
        ("http", Some("basic")) if free => {
            req.auth = Auth::Basic {
                username: secret("username"),
                password: secret("password"),
            }
        }
        ("http", Some("digest")) if free => {
            req.auth = Auth::Digest {
                username: secret("username"),
                password: secret("password"),
            }
        }
        ("http", Some("bearer")) | ("oauth2" | "openIdConnect", _) if free => {
            req.auth = Auth::Bearer {
                token: secret("token"),
            };
            if let Some(format) = scheme.bearer_format {
                out.notes.push(format!("The bearer token is a {format}."));
            }
            out.notes.extend(how_to_get(scheme, scopes));
        }
        ("apiKey", _) => {
            let key = scheme.key_name.unwrap_or(scheme.name);
            let value = secret(&var_name(scheme.name));
            match scheme.key_in {
                Some("cookie") => add_cookie(req, key, &value),
                Some("query") if free => {
                    req.auth = Auth::ApiKey {
                        name: key.to_string(),
                        value,
                        place: KeyPlace::Query,
                    }
                }
                Some("query") => req.query.push(Row::new(key, &value)),
                _ if free => {
                    req.auth = Auth::ApiKey {
                        name: key.to_string(),
                        value,
                        place: KeyPlace::Header,
                    }
                }
                _ => req.headers.push(Row::new(key, &value)),
            }
        }
        ("mutualTLS", _) => out.notes.push(format!(
            "Security scheme {} needs a client certificate: add `# @cert FILE` and `# @key FILE`.",
            scheme.name
        )),
        (kind, http) => out.notes.push(format!(
            "Security scheme {} ({kind}{}) is not sent: set it up by hand.",
            scheme.name,
            http.map(|h| format!(" {h}")).unwrap_or_default()
        )),
    }
}

/// The note that tells how to get the token an OAuth2 or OpenID Connect scheme needs.
fn how_to_get(scheme: &SecurityScheme<'_>, scopes: &[&str]) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(url) = scheme.open_id_url {
        notes.push(format!(
            "OpenID Connect ({}): discovery at {url}; put the access token in {{{{token}}}}.",
            scheme.name
        ));
    }
    for flow in &scheme.flows {
        let mut line = format!("OAuth2 {} flow ({})", flow.flow, scheme.name);
        if let Some(url) = flow.authorization_url {
            line.push_str(&format!(", authorize at {url}"));
        }
        if let Some(url) = flow.token_url {
            line.push_str(&format!(", token from {url}"));
        }
        line.push_str("; put the access token in {{token}}.");
        notes.push(line);
    }
    if !scopes.is_empty() {
        notes.push(format!("Scopes needed: {}.", scopes.join(", ")));
    }
    notes
}

/// Adds `name=value` to the request's Cookie header (one header for all cookies).
pub fn add_cookie(req: &mut Request, name: &str, value: &str) {
    let pair = format!("{name}={value}");
    match req
        .headers
        .iter_mut()
        .find(|r| r.enabled && r.name.eq_ignore_ascii_case("cookie"))
    {
        Some(row) => {
            row.value.push_str("; ");
            row.value.push_str(&pair);
        }
        None => req.headers.push(Row::new("Cookie", &pair)),
    }
}
