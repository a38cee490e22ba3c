//! Spotting secrets and personal data in claims: JWT payloads are only base64, readable by
//! anyone who holds the token, so a password or API key in one is a leak.

use serde_json::Value;

/// Claim names that should never travel in a token.
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "secret",
    "client_secret",
    "api_key",
    "apikey",
    "api_secret",
    "access_key",
    "secret_key",
    "private_key",
    "privatekey",
    "ssn",
    "credit_card",
    "card_number",
    "cvv",
    "pin",
];

/// One suspicious claim: where it is, and what it looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub path: String,
    pub what: &'static str,
    /// Secrets and card numbers are worse than an e-mail address.
    pub secret: bool,
}

/// Walks the claims and returns every suspicious name or value.
pub fn scan(value: &Value) -> Vec<Hit> {
    let mut hits = Vec::new();
    walk(value, String::new(), &mut hits);
    hits
}

fn walk(value: &Value, path: String, hits: &mut Vec<Hit>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let norm = k.to_ascii_lowercase().replace('-', "_");
                if SECRET_NAMES.contains(&norm.as_str()) && !is_empty(v) {
                    hits.push(Hit {
                        path: p.clone(),
                        what: "a secret-looking claim name",
                        secret: true,
                    });
                }
                walk(v, p, hits);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{path}[{i}]"), hits);
            }
        }
        Value::String(s) => {
            if let Some((what, secret)) = classify(s) {
                hits.push(Hit { path, what, secret });
            }
        }
        Value::Number(n) if luhn_card(&n.to_string()) => {
            hits.push(Hit {
                path,
                what: "a payment card number",
                secret: true,
            });
        }
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null) || v.as_str().is_some_and(str::is_empty)
}

/// What a string value looks like, if it is sensitive.
fn classify(s: &str) -> Option<(&'static str, bool)> {
    let prefixed: &[(&str, usize, &str)] = &[
        ("ghp_", 36, "a GitHub personal access token"),
        ("gho_", 36, "a GitHub OAuth token"),
        ("ghs_", 36, "a GitHub app token"),
        ("github_pat_", 22, "a GitHub fine-grained token"),
        ("sk_live_", 16, "a Stripe live secret key"),
        ("rk_live_", 16, "a Stripe restricted key"),
        ("xoxb-", 10, "a Slack bot token"),
        ("xoxp-", 10, "a Slack user token"),
        ("AIza", 35, "a Google API key"),
        ("glpat-", 20, "a GitLab token"),
    ];
    for (prefix, min_rest, what) in prefixed {
        if let Some(rest) = s.strip_prefix(prefix)
            && rest.len() >= *min_rest
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Some((what, true));
        }
    }
    if (s.starts_with("AKIA") || s.starts_with("ASIA"))
        && s.len() == 20
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Some(("an AWS access key id", true));
    }
    if s.contains("-----BEGIN") && s.contains("PRIVATE KEY") {
        return Some(("a private key", true));
    }
    if luhn_card(s) {
        return Some(("a payment card number", true));
    }
    if is_email(s) {
        return Some(("an e-mail address (personal data)", false));
    }
    None
}

/// 13 to 19 digits (spaces and dashes allowed) passing the Luhn check.
fn luhn_card(s: &str) -> bool {
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b' ' || b == b'-')
    {
        return false;
    }
    let digits: Vec<u32> = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| (b - b'0') as u32)
        .collect();
    if !(13..=19).contains(&digits.len()) || digits.iter().all(|&d| d == digits[0]) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| match (i % 2, d * 2) {
            (0, _) => d,
            (_, dd) if dd > 9 => dd - 9,
            (_, dd) => dd,
        })
        .sum();
    sum.is_multiple_of(10)
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_names_keys_cards_and_emails() {
        let claims = json!({
            "password": "hunter2",
            "gh": "ghp_0123456789abcdefghijABCDEFGHIJ012345",
            "aws": "AKIAIOSFODNN7EXAMPLE",
            "card": "4111 1111 1111 1111",
            "n": 4_111_111_111_111_111u64,
            "contact": {"mail": "alice@example.com"},
            "slack": ["xoxb-123456789012-abc"],
        });
        let paths: Vec<_> = scan(&claims).into_iter().map(|h| h.path).collect();
        assert_eq!(
            paths,
            [
                "password",
                "gh",
                "aws",
                "card",
                "n",
                "contact.mail",
                "slack[0]"
            ]
        );
    }

    #[test]
    fn ordinary_claims_are_quiet() {
        let claims = json!({"sub": "1234567890", "name": "John", "iat": 1516239022,
            "password": "", "scope": "read write", "jti": "4f1g23a12aa", "n": 1234567812345678u64});
        assert_eq!(scan(&claims), []);
    }
}
