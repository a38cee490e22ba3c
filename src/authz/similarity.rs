//! How alike two response bodies are, from 0 (nothing shared) to 1 (the same object).
//!
//! JSON bodies are flattened to their leaves (`$.user.email` → `"a@x"`) and compared leaf by
//! leaf: the share of leaves, of both bodies together, that are equal. Leaves that change from
//! one call to the next are left out: the paths that differed between two sends of the same
//! request as the same identity, timestamps, and ids minted per call (see [`is_timestamp`]). Other
//! bodies are compared as text, word by word, with the `similar` crate's diff ratio.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Bodies longer than this are compared on their first part only: a ratio over megabytes of
/// words would cost more than the whole run.
const TEXT_LIMIT: usize = 64 * 1024;

/// The leaves of a JSON body by path; `None` when it is not JSON (or is a bare scalar).
pub fn leaves(body: &[u8]) -> Option<BTreeMap<String, String>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    if !(value.is_object() || value.is_array()) {
        return None;
    }
    let mut out = BTreeMap::new();
    flatten(&value, "$".to_string(), &mut out);
    Some(out)
}

fn flatten(value: &Value, path: String, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten(v, format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                flatten(v, format!("{path}[{i}]"), out);
            }
        }
        Value::String(s) => {
            out.insert(path, s.clone());
        }
        other => {
            out.insert(path, other.to_string());
        }
    }
}

/// The paths whose values differ between two answers to the same request: what changes per
/// call (a request id, a timestamp, a nonce), and so says nothing about whose object it is.
pub fn volatile(first: &[u8], second: &[u8]) -> BTreeSet<String> {
    let (Some(a), Some(b)) = (leaves(first), leaves(second)) else {
        return BTreeSet::new();
    };
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// A leaf that differs per call: a date or time (an ISO 8601 string whatever its key, or a
/// number under a key that names a time: `iat`, `exp`, `created_at`, `updatedAt` …), or an id
/// minted per call or per token (`jti`, `nonce`, `request_id`, `trace_id` …).
fn is_timestamp(path: &str, value: &str) -> bool {
    let v = value.trim();
    let iso = v.len() >= 16
        && v.as_bytes()[4] == b'-'
        && (v.parse::<jiff::Timestamp>().is_ok() || v.parse::<jiff::civil::DateTime>().is_ok());
    let key = path.rsplit('.').next().unwrap_or_default();
    let key = key.split('[').next().unwrap_or_default();
    let lower = key.to_ascii_lowercase();
    let time_key = [
        "iat",
        "exp",
        "nbf",
        "auth_time",
        "ts",
        "timestamp",
        "expires",
        "expiry",
    ]
    .contains(&lower.as_str())
        || ["_at", "time", "date"]
            .iter()
            .any(|end| lower.ends_with(end))
        || key.ends_with("At");
    let call_id = [
        "jti",
        "nonce",
        "request_id",
        "requestid",
        "trace_id",
        "traceid",
        "correlation_id",
        "correlationid",
        "csrf",
        "csrf_token",
    ]
    .contains(&lower.as_str());
    iso || call_id || time_key && v.parse::<f64>().is_ok()
}

/// How alike `a` and `b` are, 0 to 1, ignoring the `volatile` paths of JSON bodies.
pub fn similarity(a: &[u8], b: &[u8], volatile: &BTreeSet<String>) -> f64 {
    if a == b {
        return 1.0;
    }
    match (leaves(a), leaves(b)) {
        (Some(x), Some(y)) => json_similarity(&x, &y, volatile),
        _ => text_similarity(a, b),
    }
}

fn json_similarity(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
    volatile: &BTreeSet<String>,
) -> f64 {
    let timestamp = |k: &String| {
        a.get(k).is_some_and(|v| is_timestamp(k, v)) && b.get(k).is_some_and(|v| is_timestamp(k, v))
    };
    let counted = |k: &&String| !(volatile.contains(*k) || timestamp(k));
    let union: BTreeSet<&String> = a.keys().chain(b.keys()).filter(counted).collect();
    if union.is_empty() {
        return 1.0;
    }
    let same = union.iter().filter(|k| a.get(**k) == b.get(**k)).count();
    same as f64 / union.len() as f64
}

fn text_similarity(a: &[u8], b: &[u8]) -> f64 {
    let cut = |x: &[u8]| String::from_utf8_lossy(&x[..x.len().min(TEXT_LIMIT)]).into_owned();
    let (a, b) = (cut(a), cut(b));
    if a.trim().is_empty() && b.trim().is_empty() {
        return 1.0;
    }
    f64::from(similar::TextDiff::from_words(&a, &b).ratio())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Recorded answers of a GitHub-style API: the same issue fetched twice (its counters and
    // timestamps moved), and another issue of the same repository.
    const ISSUE_1_FIRST: &str = r#"{"id": 1296269, "number": 1347, "title": "Found a bug", "state": "open",
        "user": {"login": "octocat", "id": 1}, "comments": 3, "updated_at": "2011-04-22T13:33:48Z",
        "created_at": "2011-04-22T13:33:48Z", "request_id": "a1b2"}"#;
    const ISSUE_1_LATER: &str = r#"{"id": 1296269, "number": 1347, "title": "Found a bug", "state": "open",
        "user": {"login": "octocat", "id": 1}, "comments": 3, "updated_at": "2011-04-23T09:01:02Z",
        "created_at": "2011-04-22T13:33:48Z", "request_id": "c3d4"}"#;
    const ISSUE_2: &str = r#"{"id": 1296270, "number": 1348, "title": "Docs are wrong", "state": "closed",
        "user": {"login": "hubot", "id": 2}, "comments": 0, "updated_at": "2011-05-01T10:00:00Z",
        "created_at": "2011-04-30T08:00:00Z", "request_id": "e5f6"}"#;

    #[test]
    fn the_same_object_later_is_the_same_and_another_is_not() {
        let volatile = volatile(ISSUE_1_FIRST.as_bytes(), ISSUE_1_LATER.as_bytes());
        assert_eq!(
            volatile.iter().map(String::as_str).collect::<Vec<_>>(),
            ["$.request_id", "$.updated_at"]
        );
        let same = similarity(
            ISSUE_1_FIRST.as_bytes(),
            ISSUE_1_LATER.as_bytes(),
            &volatile,
        );
        assert_eq!(same, 1.0);
        // Even without a second send, the timestamps alone do not count against it.
        let same = similarity(
            ISSUE_1_FIRST.as_bytes(),
            ISSUE_1_LATER.as_bytes(),
            &BTreeSet::new(),
        );
        assert!(same > 0.85, "{same}");
        let other = similarity(ISSUE_1_FIRST.as_bytes(), ISSUE_2.as_bytes(), &volatile);
        assert!(other < 0.3, "{other}");
    }

    #[test]
    fn text_bodies_are_compared_by_words() {
        let a = b"<h1>Invoice 17</h1><p>Ada Lovelace, 12 Main St</p>";
        let b = b"<h1>Invoice 17</h1><p>Ada Lovelace, 12 Main St</p>\n";
        let c = b"<h1>Invoice 18</h1><p>Grace Hopper, 3 Side Rd</p>";
        assert!(similarity(a, b, &BTreeSet::new()) > 0.9);
        assert!(similarity(a, c, &BTreeSet::new()) < 0.6);
        assert_eq!(similarity(b"", b"", &BTreeSet::new()), 1.0);
        assert!(leaves(b"42").is_none());
    }

    #[test]
    fn timestamps_by_value_or_by_key() {
        assert!(is_timestamp("$.x", "2011-04-22T13:33:48Z"));
        assert!(is_timestamp("$.claims.iat", "1796430268"));
        assert!(is_timestamp("$.items[0].createdAt", "1796430268000"));
        assert!(!is_timestamp("$.id", "1796430268"));
        assert!(!is_timestamp("$.exp", "never"));
        assert!(is_timestamp("$.claims.jti", "9f3a"));
    }
}
