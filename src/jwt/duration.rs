//! Durations and relative times, in one place for sign, forge and the CLI.
//!
//! People write `15m`, `+1h` or `-2d`; tokens store unix seconds. `now` is always a parameter
//! so results are reproducible.

use super::{JwtError, Result};

/// Parses a duration like `90s`, `15m`, `1h`, `7d`, `2w`, `+1h`, `-2d` or a bare number of
/// seconds. Returns signed seconds.
pub fn parse_duration(text: &str) -> Result<i64> {
    let err = || JwtError::Duration(text.to_string());
    let t = text.trim();
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => (1, t),
    };
    let split = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (digits, unit) = rest.split_at(split);
    let n: i64 = digits.parse().map_err(|_| err())?;
    let scale = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hr" | "hrs" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return Err(err()),
    };
    n.checked_mul(scale).map(|v| v * sign).ok_or_else(err)
}

/// Reads a time claim value: `now`, a signed duration relative to `now` (`+1h`, `-2d`), or
/// absolute unix seconds. `None` when it is none of those.
pub fn parse_time_value(text: &str, now: i64) -> Option<i64> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") {
        return Some(now);
    }
    let relative = t.starts_with('+') || t.starts_with('-') || t.ends_with(char::is_alphabetic);
    if relative {
        return parse_duration(t).ok().and_then(|d| now.checked_add(d));
    }
    t.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_signs() {
        assert_eq!(parse_duration("90s").unwrap(), 90);
        assert_eq!(parse_duration("15m").unwrap(), 900);
        assert_eq!(parse_duration("1h").unwrap(), 3600);
        assert_eq!(parse_duration("7d").unwrap(), 604_800);
        assert_eq!(parse_duration("+1h").unwrap(), 3600);
        assert_eq!(parse_duration("-2d").unwrap(), -172_800);
        assert_eq!(parse_duration("45").unwrap(), 45);
        assert_eq!(parse_duration("2w").unwrap(), 1_209_600);
    }

    #[test]
    fn rejects_nonsense_with_a_hint() {
        for bad in ["", "h", "1y", "++1h", "99999999999999999999d"] {
            let e = parse_duration(bad).unwrap_err().to_string();
            assert!(e.contains("15m"), "{bad}: {e}");
        }
    }

    #[test]
    fn time_values_are_relative_to_now() {
        assert_eq!(parse_time_value("+1h", 1000), Some(4600));
        assert_eq!(parse_time_value("-90s", 1000), Some(910));
        assert_eq!(parse_time_value("15m", 1000), Some(1900));
        assert_eq!(parse_time_value("now", 1000), Some(1000));
        assert_eq!(parse_time_value("1700000000", 1000), Some(1_700_000_000));
        assert_eq!(parse_time_value("soon", 1000), None);
    }
}
