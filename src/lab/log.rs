//! The lab's access log: one JSON line per request, to `access.log` in the lab root (through
//! the lab's writer thread, see [`super::writer`]) and to a ring of the last few in memory,
//! each with the request id also sent back as `X-Request-Id` (the middleware that fills it is
//! `super::log_layer`).
//!
//! The lab is full of secrets by design (passwords, tokens, API keys), and logs are where
//! secrets leak in real systems, so every value that could be one is redacted before the line
//! is built, and the finished line is scrubbed once more for anything shaped like a JWT.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Map, Value};

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";
/// Bodies larger than this are not read for the log.
pub(super) const BODY_LIMIT: usize = 64 * 1024;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    /// Unix seconds.
    pub ts: i64,
    pub request_id: String,
    pub scheme: &'static str,
    pub method: String,
    /// The path and its query, with secrets redacted.
    pub path: String,
    pub status: u16,
    pub duration_ms: f64,
    pub client: String,
    /// A few telling headers, with secrets redacted.
    pub headers: Map<String, Value>,
    /// The request body when it is small JSON or a form, with secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// The in-memory ring of the last requests.
pub struct AccessLog {
    recent: Mutex<VecDeque<LogEntry>>,
    capacity: usize,
}

impl AccessLog {
    /// Keeps the last `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            recent: Mutex::new(VecDeque::with_capacity(capacity.min(1024))),
            capacity,
        }
    }

    /// The last entries, oldest first.
    pub fn recent(&self) -> Vec<LogEntry> {
        lock(&self.recent).iter().cloned().collect()
    }

    /// Keeps `entry` and returns its line for the file, scrubbed once more.
    pub(crate) fn push(&self, entry: LogEntry) -> String {
        let line = scrub_tokens(&serde_json::to_string(&entry).unwrap_or_default());
        let mut recent = lock(&self.recent);
        if recent.len() >= self.capacity {
            recent.pop_front();
        }
        recent.push_back(entry);
        line
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Names whose values are secrets wherever they appear: query, form, JSON.
fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [
        "pass",
        "secret",
        "token",
        "key",
        "auth",
        "session",
        "jwt",
        "code",
        "credential",
    ]
    .iter()
    .any(|s| n.contains(s))
}

pub(super) fn redact_target(path: &str, query: &str) -> String {
    if query.is_empty() {
        return path.to_string();
    }
    let pairs: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| {
            let v = if is_secret_name(&k) || looks_like_jwt(&v) {
                REDACTED.to_string()
            } else {
                v.into_owned()
            };
            form_urlencoded::Serializer::new(String::new())
                .append_pair(&k, &v)
                .finish()
        })
        .collect();
    format!("{path}?{}", pairs.join("&"))
}

pub(super) fn logged_headers(headers: &axum::http::HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, value) in headers {
        let value = value.to_str().unwrap_or("(binary)");
        let logged = match name.as_str() {
            "authorization" | "proxy-authorization" => match value.split_once(' ') {
                Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                None => REDACTED.to_string(),
            },
            "cookie" => value
                .split(';')
                .map(|c| format!("{}={REDACTED}", c.split('=').next().unwrap_or("").trim()))
                .collect::<Vec<_>>()
                .join("; "),
            "user-agent" | "origin" | "content-type" | "referer" | "host" => value.to_string(),
            other if is_secret_name(other) => REDACTED.to_string(),
            _ => continue,
        };
        out.insert(name.to_string(), Value::String(logged));
    }
    out
}

pub(super) fn redact_json(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if is_secret_name(&k) && !v.is_object() && !v.is_array() {
                        Value::String(REDACTED.into())
                    } else {
                        redact_json(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact_json).collect()),
        Value::String(s) if looks_like_jwt(&s) => Value::String(REDACTED.into()),
        other => other,
    }
}

fn looks_like_jwt(text: &str) -> bool {
    text.trim().starts_with("eyJ") && text.matches('.').count() >= 2
}

/// The last line of defence: anything shaped like a JWT (`eyJ` then base64url with at least
/// two dots) is replaced, wherever it hides in the line.
pub fn scrub_tokens(line: &str) -> String {
    let token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=');
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("eyJ") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !token_char(c)).unwrap_or(tail.len());
        let candidate = &tail[..end];
        if candidate.matches('.').count() >= 2 {
            out.push_str(REDACTED);
        } else {
            out.push_str(candidate);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.";

    #[test]
    fn tokens_are_scrubbed_anywhere() {
        let line = format!("{{\"path\":\"/x/{TOKEN}?a=1\",\"n\":\"eyJnot-a-token\"}}");
        let out = scrub_tokens(&line);
        assert!(!out.contains(TOKEN));
        assert!(out.contains("eyJnot-a-token"));
        assert!(out.contains(REDACTED));
    }

    #[test]
    fn query_and_body_secrets_are_redacted() {
        let q = redact_target("/api/reports", "api_key=lab_abc&page=2&t=eyJa.eyJb.c");
        assert_eq!(
            q,
            "/api/reports?api_key=%5Bredacted%5D&page=2&t=%5Bredacted%5D"
        );
        let body = redact_json(serde_json::json!({
            "username": "alice", "password": "alice-password", "nested": {"refresh_token": "x"}
        }));
        assert_eq!(body["username"], "alice");
        assert_eq!(body["password"], REDACTED);
        assert_eq!(body["nested"]["refresh_token"], REDACTED);
    }
}
