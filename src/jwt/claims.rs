//! The registered claims (RFC 7519 §4.1): what each means, and times as dates and as
//! "expires in 14 min" relative to an injected `now`.

use serde::Serialize;
use serde_json::{Map, Value};

/// The registered claim names and what each one means.
pub const REGISTERED: &[(&str, &str)] = &[
    ("iss", "issuer: who created and signed the token"),
    ("sub", "subject: whom the token is about, usually a user id"),
    ("aud", "audience: the services that should accept the token"),
    (
        "exp",
        "expiration time: the token must be rejected after this",
    ),
    ("nbf", "not before: the token must be rejected before this"),
    ("iat", "issued at: when the token was created"),
    (
        "jti",
        "JWT ID: a unique id, used to detect replays and to revoke",
    ),
];

/// One claim explained for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimInfo {
    pub name: String,
    /// What the claim means; empty for private claims.
    pub meaning: String,
    pub value: Value,
    /// For time claims, the UTC date, e.g. `2026-11-28 09:14:00 UTC`.
    pub date: Option<String>,
    /// For time claims, the time relative to now, e.g. `expires in 14 min`.
    pub relative: Option<String>,
}

/// Explains every claim of a payload, registered ones first, in the order they appear.
pub fn describe_claims(claims: &Map<String, Value>, now: i64) -> Vec<ClaimInfo> {
    let mut out: Vec<ClaimInfo> = claims
        .iter()
        .map(|(name, value)| {
            let meaning = REGISTERED
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, m)| m);
            let time = match name.as_str() {
                "exp" | "nbf" | "iat" => numeric_date(value),
                _ => None,
            };
            ClaimInfo {
                name: name.clone(),
                meaning: meaning.to_string(),
                value: value.clone(),
                date: time.map(format_utc),
                relative: time.map(|t| relative(name, t, now)),
            }
        })
        .collect();
    out.sort_by_key(|c| c.meaning.is_empty());
    out
}

/// A NumericDate claim value as whole seconds. Fractions are allowed by RFC 7519 and are
/// truncated; absurd values (beyond year 9999) are refused so dates stay printable.
pub fn numeric_date(value: &Value) -> Option<i64> {
    let secs = value
        .as_i64()
        .or_else(|| value.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))?;
    (-62_135_596_800..=253_402_300_799)
        .contains(&secs)
        .then_some(secs)
}

/// A time claim of the claims object, when present and numeric.
pub fn time_claim(claims: &Map<String, Value>, name: &str) -> Option<i64> {
    claims.get(name).and_then(numeric_date)
}

/// How a time claim relates to `now`, in words.
pub fn relative(claim: &str, at: i64, now: i64) -> String {
    let d = at.saturating_sub(now);
    let span = humanize_secs(d.saturating_abs());
    match (claim, d > 0) {
        ("exp", true) => format!("expires in {span}"),
        ("exp", false) => format!("expired {span} ago"),
        ("nbf", true) => format!("not valid for another {span}"),
        ("nbf", false) => format!("valid since {span} ago"),
        ("iat", true) => format!("issued {span} in the future"),
        ("iat", false) => format!("issued {span} ago"),
        (_, true) => format!("in {span}"),
        (_, false) => format!("{span} ago"),
    }
}

/// A span of seconds in the largest sensible unit: `40 s`, `14 min`, `2 h`, `3 days`.
pub fn humanize_secs(secs: i64) -> String {
    let s = secs.saturating_abs();
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => format!("{} h", s / 3600),
        86_400..172_800 => "1 day".to_string(),
        _ if s < 365 * 86_400 * 2 => format!("{} days", s / 86_400),
        _ => format!("{} years", s / (365 * 86_400)),
    }
}

/// Unix seconds as `2026-11-28 09:14:00 UTC`. A time past jiff's range (years -9999 to 9999),
/// which a hostile token may claim, is shown as its number: never a panic, and never shorter
/// than the 16 bytes the Keys tab cuts a date to.
pub fn format_utc(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(at) => at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => format!("unix time {secs}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_dates_in_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_300_819_380), "2011-03-22 18:43:00 UTC");
        assert_eq!(format_utc(1_795_857_240), "2026-11-28 09:14:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(format_utc(i64::MAX), format!("unix time {}", i64::MAX));
        assert!(format_utc(i64::MIN).len() >= 16);
    }

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative("exp", 1000 + 14 * 60, 1000), "expires in 14 min");
        assert_eq!(
            relative("exp", 1000, 1000 + 3 * 86_400),
            "expired 3 days ago"
        );
        assert_eq!(relative("iat", 0, 7200), "issued 2 h ago");
        assert_eq!(relative("nbf", 300, 0), "not valid for another 5 min");
        assert_eq!(humanize_secs(86_400), "1 day");
        assert_eq!(humanize_secs(800 * 86_400), "2 years");
    }

    #[test]
    fn describes_registered_claims_first() {
        let claims = json!({"role": "admin", "exp": 4600, "iss": "joe", "iat": 1000.7});
        let list = describe_claims(claims.as_object().unwrap(), 1000);
        let names: Vec<_> = list.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["exp", "iss", "iat", "role"]);
        assert_eq!(list[0].relative.as_deref(), Some("expires in 1 h"));
        assert_eq!(list[0].date.as_deref(), Some("1970-01-01 01:16:40 UTC"));
        assert!(list[1].meaning.starts_with("issuer"));
        assert_eq!(list[2].relative.as_deref(), Some("issued 0 s ago"));
        assert!(list[3].meaning.is_empty() && list[3].date.is_none());
    }

    #[test]
    fn odd_time_values_are_not_dates() {
        assert_eq!(numeric_date(&json!("1700000000")), None);
        assert_eq!(numeric_date(&json!(1e300)), None);
        assert_eq!(numeric_date(&json!(1.5)), Some(1));
    }
}
