//! Each operation: the error and rate-limit responses it documents, the headers those declare,
//! its request and response schemas (mass assignment, none at all), and what its parameters
//! carry in the URL (integer ids, credentials, personal data, URLs to fetch).

use super::super::document::{Document, Node};
use super::{Hits, squash};

/// Parameter names (squashed) that carry credentials; Spectral's list plus `apikey`.
const CREDENTIAL_WORDS: &[&str] = &[
    "clientsecret",
    "token",
    "password",
    "passwd",
    "secret",
    "apikey",
];
/// Parameter names (squashed) that carry personal data.
const PERSONAL_WORDS: &[&str] = &[
    "email",
    "phone",
    "mobile",
    "ssn",
    "socialsecurity",
    "nationalid",
    "passport",
    "cardnumber",
    "creditcard",
    "ccnumber",
    "iban",
    "dateofbirth",
    "birthdate",
    "dob",
];
/// Rate-limit header sets, any one of which is enough (Spectral's rate-limit rule).
const RATE_LIMIT: &[&[&str]] = &[
    &["ratelimit"],
    &["ratelimit-limit", "ratelimit-reset"],
    &["x-ratelimit-limit"],
    &["x-rate-limit-limit"],
];

pub(super) fn check(doc: &Document, hits: &mut Hits) {
    for op in doc.operations() {
        let label = format!("{} {}", op.method, op.path);
        let secured = doc
            .security(&op)
            .iter()
            .any(|requirement| !requirement.is_empty());
        if let Some(responses) = doc.get(&op.node, "responses") {
            responses_of(doc, &responses, &label, secured, hits);
        }
        for p in doc.parameters(&op) {
            parameter(&p, &label, hits);
        }
        let writes = matches!(op.method.as_str(), "POST" | "PUT" | "PATCH");
        for body in doc.request_bodies(&op) {
            let binary = ["application/octet-stream", "image/", "audio/", "video/"]
                .iter()
                .any(|b| body.media_type.starts_with(b));
            match &body.schema {
                None if !binary => hits.at(
                    "spec-request-no-schema",
                    &body.node,
                    format!("{label}: the {} body has no schema", body.media_type),
                ),
                Some(schema) if writes && open_object(doc, schema) => hits.at(
                    "spec-mass-assignment",
                    schema,
                    format!(
                        "{label}: the {} body accepts properties it does not list",
                        body.media_type
                    ),
                ),
                _ => {}
            }
        }
    }
    // Response headers anywhere (operations' and shared responses') that leave out CORS.
    let mut holders: Vec<Node<'_>> = Vec::new();
    for op in doc.operations() {
        if let Some(responses) = doc.get(&op.node, "responses") {
            holders.extend(responses.entries().map(|(_, r)| doc.deref(r)));
        }
    }
    if let Some(shared) = doc
        .root()
        .get("components")
        .and_then(|c| c.get("responses"))
        .or_else(|| doc.root().get("responses"))
    {
        holders.extend(shared.entries().map(|(_, r)| doc.deref(r)));
    }
    for response in holders {
        if let Some(headers) = response.get("headers")
            && !has_header(&headers, "access-control-allow-origin")
        {
            hits.at(
                "spec-cors-undefined",
                &headers,
                "the response's headers leave out Access-Control-Allow-Origin",
            );
        }
    }
}

fn responses_of(doc: &Document, responses: &Node<'_>, label: &str, secured: bool, hits: &mut Hits) {
    let codes: Vec<&str> = responses.entries().map(|(code, _)| code).collect();
    let has = |code: &str| codes.iter().any(|c| c.eq_ignore_ascii_case(code));
    let with_content = |code: &str| {
        doc.get(responses, code)
            .is_some_and(|r| r.get("content").is_some() || r.get("schema").is_some())
    };
    if !has("400") && !has("422") && !has("4XX") {
        hits.at(
            "spec-no-400",
            responses,
            format!("{label} documents no 400, 422 or 4XX"),
        );
    }
    if !with_content("401") {
        hits.at(
            "spec-no-401",
            responses,
            format!("{label} documents no 401 with content"),
        );
    }
    if secured && !has("403") {
        hits.at(
            "spec-no-403",
            responses,
            format!("{label} is secured but documents no 403"),
        );
    }
    if !with_content("429") {
        hits.at(
            "spec-no-429",
            responses,
            format!("{label} documents no 429 with content"),
        );
    }
    if !with_content("500") {
        hits.at(
            "spec-no-500",
            responses,
            format!("{label} documents no 500 with content"),
        );
    }
    for (code, response) in responses.entries() {
        let resolved = doc.deref(response.clone());
        let headers = resolved.get("headers");
        if code.starts_with('2') || code.starts_with('4') {
            let limited = headers.as_ref().is_some_and(|h| {
                RATE_LIMIT
                    .iter()
                    .any(|set| set.iter().all(|name| has_header(h, name)))
            });
            if !limited {
                hits.at(
                    "spec-rate-limit-headers",
                    &response,
                    format!("{label}: the {code} response declares no rate-limit headers"),
                );
            }
        }
        if code == "429"
            && !headers
                .as_ref()
                .is_some_and(|h| has_header(h, "retry-after"))
        {
            hits.at(
                "spec-retry-after-missing",
                &response,
                format!("{label}: the 429 response has no Retry-After header"),
            );
        }
        if code.starts_with('2') {
            for (media, m) in resolved.get("content").iter().flat_map(|c| c.entries()) {
                let m = doc.deref(m);
                if media.contains("json") && m.get("schema").is_none() {
                    hits.at(
                        "spec-response-no-schema",
                        &m,
                        format!("{label}: the {code} {media} response has no schema"),
                    );
                }
            }
        }
    }
}

fn has_header(headers: &Node<'_>, name: &str) -> bool {
    headers.entries().any(|(k, _)| k.eq_ignore_ascii_case(name))
}

/// A request schema that is an object and does not close itself to unknown properties.
fn open_object(doc: &Document, schema: &Node<'_>) -> bool {
    let v = schema.value;
    let object = v.get("properties").is_some()
        || match v.get("type") {
            Some(serde_json::Value::String(t)) => t == "object",
            Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == "object"),
            _ => false,
        };
    if !object {
        return false;
    }
    let closed = |key: &str| v.get(key).and_then(|a| a.as_bool()) == Some(false);
    if closed("additionalProperties") || closed("unevaluatedProperties") {
        return false;
    }
    // allOf parts may close it (3.1's unevaluatedProperties, or a part that lists them all).
    !schema
        .get("allOf")
        .iter()
        .flat_map(|a| a.items())
        .map(|part| doc.deref(part))
        .any(|part| part.value.get("properties").is_some() && !open_object(doc, &part))
}

fn parameter(p: &super::super::document_view::Parameter<'_>, label: &str, hits: &mut Hits) {
    let name = p.name;
    let squashed = squash(name);
    if is_id_name(name) && integer(p.schema.as_ref()) {
        let at = p.schema.as_ref().unwrap_or(&p.node);
        hits.at(
            "spec-numeric-id",
            at,
            format!("{label}: {} parameter '{name}' is an integer", p.location),
        );
    }
    if !matches!(p.location, "query" | "path") {
        return;
    }
    if CREDENTIAL_WORDS.iter().any(|w| squashed.contains(w)) {
        hits.at(
            "spec-credential-in-url",
            &p.node,
            format!(
                "{label}: the {} parameter '{name}' carries a credential",
                p.location
            ),
        );
    } else if PERSONAL_WORDS.iter().any(|w| squashed.contains(w)) {
        hits.at(
            "spec-sensitive-in-url",
            &p.node,
            format!(
                "{label}: the {} parameter '{name}' carries personal data",
                p.location
            ),
        );
    }
    let lower = name.to_ascii_lowercase();
    let url_like = matches!(
        lower.as_str(),
        "url" | "uri" | "callback" | "redirect" | "redirect_uri" | "webhook"
    ) || ["_url", "-url", "_uri", "-uri"]
        .iter()
        .any(|s| lower.ends_with(s))
        || name.ends_with("Url")
        || name.ends_with("Uri");
    if url_like {
        hits.at(
            "spec-url-parameter",
            &p.node,
            format!("{label}: the {} parameter '{name}' takes a URL", p.location),
        );
    }
}

/// `id`, or a name ending in `_id`, `-id` or `Id` (Spectral's no-numeric-ids).
fn is_id_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("id")
        || name.ends_with("_id")
        || name.ends_with("-id")
        || name.ends_with("Id")
}

fn integer(schema: Option<&Node<'_>>) -> bool {
    schema.is_some_and(|s| match s.value.get("type") {
        Some(serde_json::Value::String(t)) => t == "integer",
        Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    })
}
