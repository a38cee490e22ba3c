//! What counts as a credential: header and query-parameter names that carry tokens, and URLs
//! cleaned of them. History redaction and the findings share these, so they agree.

use reqwest::Url;

use super::vars::{MASK, Redactor};

/// Headers whose value is a credential.
pub fn is_credential_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || [
        "token", "secret", "api-key", "apikey", "password", "session",
    ]
    .iter()
    .any(|s| n.contains(s))
}

/// Query parameters that look like they carry a token, key, password or signature.
pub fn is_secret_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "code"
        || n == "sig"
        || [
            "token",
            "key",
            "secret",
            "pass",
            "pwd",
            "auth",
            "signature",
            "session",
            "jwt",
            "credential",
        ]
        .iter()
        .any(|s| n.contains(s))
}

/// Auth scheme words that may stand before a reference in a credential header.
const SCHEMES: &[&str] = &["Bearer", "Basic", "Token", "Digest", "ApiKey"];

/// A value reveals nothing stored as it is: a bare `{{reference}}`, or one after an auth
/// scheme word (`Bearer {{token}}`), so history keeps it and it can be sent again.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    let v = match v.split_once(' ') {
        Some((scheme, rest)) if SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) => {
            rest.trim()
        }
        _ => v,
    };
    v.starts_with("{{") && v.ends_with("}}") && v[2..].find("{{").is_none()
}

/// `value` masked unless it is only a variable reference.
pub fn mask_literal(value: &str) -> String {
    if value.is_empty() || is_reference(value) {
        value.to_string()
    } else {
        MASK.to_string()
    }
}

/// The URL with the password, secret-looking query values and known secrets masked.
pub fn redact_url(url: &Url, redactor: &Redactor) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some(MASK));
    }
    if url.query_pairs().any(|(n, _)| is_secret_param(&n)) {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(n, v)| {
                let v = if is_secret_param(&n) {
                    MASK.to_string()
                } else {
                    v.into_owned()
                };
                (n.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    redactor.redact(url.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls() {
        assert!(is_credential_header("Authorization"));
        assert!(is_credential_header("X-Api-Key"));
        assert!(!is_credential_header("Accept"));
        assert!(is_secret_param("access_token"));
        assert!(is_secret_param("api_key"));
        assert!(!is_secret_param("page"));
        assert!(is_reference("{{token}}"));
        assert!(is_reference("Bearer {{token}}"));
        assert!(!is_reference("Bearer {{token}} extra"));
        assert!(!is_reference("Bearer abc{{token}}"));
        assert!(!is_reference("sk_live_1 {{token}}"));
        assert_eq!(mask_literal("{{t}}"), "{{t}}");
        assert_eq!(mask_literal("abc"), MASK);
        let url = Url::parse("http://u:pw@h/p?page=1&token=abc").unwrap();
        let out = redact_url(&url, &Redactor::default());
        assert!(!out.contains("pw@") && !out.contains("abc"), "{out}");
        assert!(out.contains("page=1"));
    }
}
