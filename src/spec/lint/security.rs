//! Authentication: the security schemes themselves (Basic, keys in the URL, outdated schemes,
//! JWT notes, OAuth flows and URLs) and the requirements of each operation (none at all,
//! anonymous allowed beside others, undefined schemes and scopes, admin operations secured
//! like ordinary ones).

use std::collections::{HashMap, HashSet};

use super::super::document::{Document, Node};
use super::Hits;

const READ: &[&str] = &["GET", "HEAD"];
const WRITE: &[&str] = &["POST", "PUT", "PATCH", "DELETE"];

pub(super) fn check(doc: &Document, hits: &mut Hits) {
    let schemes = doc.security_schemes();
    for s in &schemes {
        scheme(s, hits);
    }
    let defined: HashMap<&str, HashSet<&str>> = schemes
        .iter()
        .map(|s| {
            (
                s.name,
                s.flows
                    .iter()
                    .flat_map(|f| f.scopes.iter().copied())
                    .collect(),
            )
        })
        .collect();
    let oauth: HashSet<&str> = schemes
        .iter()
        .filter(|s| s.kind == "oauth2")
        .map(|s| s.name)
        .collect();

    // (admin?, the requirement as text, where) for the admin comparison.
    let mut admin: Vec<(String, Node<'_>, String)> = Vec::new();
    let mut ordinary: HashSet<String> = HashSet::new();
    for op in doc.operations() {
        let own = op.node.get("security");
        let list = own.clone().or_else(|| doc.root().get("security"));
        let label = format!("{} {}", op.method, op.path);
        let requirements: Vec<Node<'_>> = list.iter().flat_map(|l| l.items()).collect();
        if requirements.is_empty() {
            let id = if WRITE.contains(&op.method.as_str()) {
                Some("spec-write-unprotected")
            } else if READ.contains(&op.method.as_str()) {
                Some("spec-read-unprotected")
            } else {
                None
            };
            if let Some(id) = id {
                let why = match &own {
                    Some(_) => "its security is an empty list",
                    None => "neither it nor the description has a security requirement",
                };
                hits.at(id, &op.node, format!("{label}: {why}"));
            }
        }
        let anonymous = requirements
            .iter()
            .any(|r| r.value.as_object().is_some_and(|o| o.is_empty()));
        if anonymous && requirements.len() > 1 {
            let at = requirements
                .iter()
                .find(|r| r.value.as_object().is_some_and(|o| o.is_empty()))
                .unwrap_or(&requirements[0]);
            hits.at(
                "spec-optional-security",
                at,
                format!("{label} may also be called with no credentials"),
            );
        }
        for req in &requirements {
            for (name, scopes) in req.entries() {
                match defined.get(name) {
                    None => hits.at(
                        "spec-undefined-scheme",
                        &req.get(name).unwrap_or(req.clone()),
                        format!("{label} requires '{name}', which is not defined"),
                    ),
                    Some(known) if oauth.contains(name) => {
                        for scope in scopes.items() {
                            let Some(s) = scope.as_str() else { continue };
                            if !known.contains(s) {
                                hits.at(
                                    "spec-undefined-scope",
                                    &scope,
                                    format!("{label} requires scope '{s}' of {name}, which no flow declares"),
                                );
                            }
                        }
                    }
                    Some(_) => {}
                }
            }
            if req.value.as_object().is_some_and(|o| o.is_empty()) {
                continue;
            }
            let text = canonical(req.value);
            if is_admin_path(op.path) {
                let at = own.clone().unwrap_or_else(|| op.node.clone());
                admin.push((text, at, label.clone()));
            } else {
                ordinary.insert(text);
            }
        }
    }
    for (text, at, label) in admin {
        if ordinary.contains(&text) {
            hits.at(
                "spec-admin-same-security",
                &at,
                format!("{label} accepts {text}, as non-admin operations do"),
            );
        }
    }
}

fn scheme(s: &super::super::SecurityScheme<'_>, hits: &mut Hits) {
    let node = &s.node;
    let name = s.name;
    match (s.kind, s.scheme.as_deref()) {
        ("http", Some("basic")) => {
            hits.at("spec-http-basic", node, format!("{name} is HTTP Basic"))
        }
        ("http", Some(scheme @ ("negotiate" | "oauth" | "ntlm"))) => hits.at(
            "spec-insecure-auth-scheme",
            node,
            format!("{name} uses the {scheme} scheme"),
        ),
        ("http", Some("bearer")) if s.bearer_format.is_none_or(|f| f.trim().is_empty()) => hits.at(
            "spec-bearer-format-missing",
            node,
            format!("{name} is a bearer scheme without bearerFormat"),
        ),
        ("apiKey", _) if matches!(s.key_in, Some("query" | "path")) => hits.at(
            "spec-apikey-in-url",
            node,
            format!(
                "{name} takes the key '{}' in the {}",
                s.key_name.unwrap_or("?"),
                s.key_in.unwrap_or("?")
            ),
        ),
        _ => {}
    }
    let jwt = s
        .bearer_format
        .is_some_and(|f| f.eq_ignore_ascii_case("jwt"));
    if s.kind == "oauth2" || jwt {
        let description = node.str("description").unwrap_or("");
        let squashed: String = description.chars().filter(|c| !c.is_whitespace()).collect();
        if !squashed.to_ascii_uppercase().contains("RFC8725") {
            hits.at(
                "spec-jwt-no-rfc8725",
                node,
                format!("{name}'s description does not mention RFC 8725"),
            );
        }
    }
    if let Some(url) = s.open_id_url
        && url.trim().to_ascii_lowercase().starts_with("http:")
    {
        hits.at(
            "spec-oauth-url-http",
            node,
            format!("{name}'s openIdConnectUrl is {url}"),
        );
    }
    if s.kind != "oauth2" {
        return;
    }
    // 3.x keeps flows under `flows`; 2.0 has one flow on the scheme itself.
    let flows: Vec<(String, Node<'_>)> = match node.get("flows") {
        Some(all) => all.entries().map(|(k, v)| (k.to_string(), v)).collect(),
        None => s
            .flows
            .first()
            .map(|f| vec![(f.flow.to_string(), node.clone())])
            .unwrap_or_default(),
    };
    for (flow, at) in flows {
        match flow.as_str() {
            "implicit" => hits.at(
                "spec-oauth-implicit",
                &at,
                format!("{name} allows the implicit flow"),
            ),
            "password" => hits.at(
                "spec-oauth-password",
                &at,
                format!("{name} allows the password flow"),
            ),
            _ => {}
        }
        for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
            if let Some(url) = at.str(key)
                && url.trim().to_ascii_lowercase().starts_with("http:")
            {
                hits.at(
                    "spec-oauth-url-http",
                    &at.get(key).unwrap_or(at.clone()),
                    format!("{name}'s {flow} {key} is {url}"),
                );
            }
        }
        // Client credentials issue no refresh tokens (RFC 6749 §4.4.3): nothing to ask for.
        let refresh = at.str("refreshUrl").is_some_and(|u| !u.trim().is_empty());
        if node.get("flows").is_some() && flow != "clientCredentials" && !refresh {
            hits.at(
                "spec-oauth-no-refresh",
                &at,
                format!("{name}'s {flow} flow has no refreshUrl"),
            );
        }
    }
}

/// A requirement as comparable text: scheme names sorted, with their scopes sorted.
fn canonical(value: &serde_json::Value) -> String {
    let mut parts: Vec<String> = value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, scopes)| {
            let mut scopes: Vec<&str> = scopes
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str())
                .collect();
            scopes.sort_unstable();
            format!("{name}[{}]", scopes.join(","))
        })
        .collect();
    parts.sort();
    parts.join(" + ")
}

/// A path with a segment that reads as administration: `/admin`, `/admin-users`, `/Admin/…`.
fn is_admin_path(path: &str) -> bool {
    path.split('/')
        .any(|seg| seg.to_ascii_lowercase().starts_with("admin"))
}
