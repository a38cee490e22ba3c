//! Object ids: where a request names an object (a number or UUID in its path or query), which
//! ids each identity owns (learned from the answers it got), and the variants `--vary-ids`
//! tries: the neighbouring numbers and the other identities' own ids.

use reqwest::Url;
use serde_json::Value;

/// Where an id sits in a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// The index of a path segment.
    Segment(usize),
    /// A query parameter's name.
    Query(String),
}

/// The ids a URL names, with where each sits.
pub fn object_ids(url: &Url) -> Vec<(Spot, String)> {
    let mut out = Vec::new();
    if let Some(segments) = url.path_segments() {
        for (i, s) in segments.enumerate() {
            if is_id(s) {
                out.push((Spot::Segment(i), s.to_string()));
            }
        }
    }
    for (name, value) in url.query_pairs() {
        let n = name.to_ascii_lowercase();
        let id_name = n == "id" || n.ends_with("_id") || n.ends_with("id") && name.ends_with("Id");
        if is_id(&value) || id_name && !value.is_empty() {
            out.push((Spot::Query(name.into_owned()), value.into_owned()));
        }
    }
    out
}

/// A number (that fits an i64) or a UUID.
fn is_id(s: &str) -> bool {
    let number = !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit());
    let uuid = s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    number || uuid
}

/// `url` with the id at `spot` replaced by `value`.
pub fn with_id(url: &Url, spot: &Spot, value: &str) -> Url {
    let mut out = url.clone();
    match spot {
        Spot::Segment(index) => {
            let segments: Vec<String> = url
                .path_segments()
                .map(|s| {
                    s.enumerate()
                        .map(|(i, seg)| match i == *index {
                            true => value.to_string(),
                            false => seg.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Ok(mut path) = out.path_segments_mut() {
                path.clear().extend(segments);
            }
        }
        Spot::Query(name) => {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(n, v)| match n == name.as_str() {
                    true => (n.into_owned(), value.to_string()),
                    false => (n.into_owned(), v.into_owned()),
                })
                .collect();
            out.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    out
}

/// The ids an answer says belong to its caller: `id` (or `uid`, `user_id`, `userId`) of the
/// top-level object, or of an object under `user`, `me`, `account`, `profile` or `data`.
/// A list is nobody's own, so its ids are not taken.
pub fn own_ids(body: &[u8]) -> Vec<String> {
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let id_of = |map: &serde_json::Map<String, Value>| {
        ["id", "uid", "user_id", "userId"]
            .iter()
            .find_map(|k| match map.get(*k)? {
                Value::String(s) if is_id(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
    };
    let mut out: Vec<String> = id_of(&top).into_iter().collect();
    for key in ["user", "me", "account", "profile", "data"] {
        if let Some(Value::Object(inner)) = top.get(key) {
            out.extend(id_of(inner));
        }
    }
    out.dedup();
    out
}

/// The ids to try in place of `id`: its neighbours when it is a number, then the others'
/// own ids, without repeats and without `id` itself.
pub fn variants(id: &str, others: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Ok(n) = id.parse::<i64>() {
        out.extend(
            [n - 1, n + 1]
                .into_iter()
                .filter(|v| *v >= 0)
                .map(|v| v.to_string()),
        );
    }
    for o in others {
        if !out.contains(o) {
            out.push(o.clone());
        }
    }
    out.retain(|v| v != id);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_and_replaced() {
        let url = Url::parse(
            "http://127.0.0.1/api/users/7/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301?page=2&owner_id=abc&q=x",
        )
        .unwrap();
        let ids = object_ids(&url);
        assert_eq!(
            ids,
            [
                (Spot::Segment(2), "7".to_string()),
                (
                    Spot::Segment(4),
                    "3f2504e0-4f89-11d3-9a0c-0305e82c3301".to_string()
                ),
                (Spot::Query("page".into()), "2".to_string()),
                (Spot::Query("owner_id".into()), "abc".to_string()),
            ]
        );
        assert_eq!(
            with_id(&url, &Spot::Segment(2), "8").path(),
            "/api/users/8/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301"
        );
        assert_eq!(
            with_id(&url, &Spot::Query("owner_id".into()), "def").query(),
            Some("page=2&owner_id=def&q=x")
        );
        assert!(object_ids(&Url::parse("http://x/api/me?v=a").unwrap()).is_empty());
    }

    #[test]
    fn own_ids_come_from_objects_not_lists() {
        assert_eq!(own_ids(br#"{"id": 2, "username": "bob"}"#), ["2"]);
        assert_eq!(own_ids(br#"{"token": "t", "user": {"id": 1}}"#), ["1"]);
        assert!(own_ids(br#"{"users": [{"id": 1}, {"id": 2}]}"#).is_empty());
        assert!(own_ids(b"[1, 2]").is_empty());
        assert_eq!(
            variants("1", &["2".into(), "3".into(), "1".into()]),
            ["0", "2", "3"]
        );
        assert_eq!(variants("abc", &["x".into()]), ["x"]);
    }
}
