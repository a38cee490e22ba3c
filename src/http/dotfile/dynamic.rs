//! The dynamic variables of both editors: `{{$uuid}}`, `{{$random.uuid}}`, `{{$guid}}`,
//! `{{$timestamp [offset unit]}}`, `{{$isoTimestamp}}`, `{{$randomInt [min max]}}`, JetBrains'
//! `{{$random.integer(a, b)}}` family, and REST Client's `{{$datetime …}}` and
//! `{{$localDatetime …}}` with Day.js formats and offsets. `$processEnv` and `$dotenv` need
//! the variables, so `vars.rs` answers those.

use jiff::{Span, Timestamp, Zoned, tz::TimeZone};
use rand::Rng;

/// The value of `$name` (without the `$`), Err with why it cannot be made, or None when
/// it is no dynamic variable of these.
pub fn value(name: &str) -> Option<Result<String, String>> {
    let (head, args) = name
        .split_once(char::is_whitespace)
        .map_or((name, ""), |(h, a)| (h, a.trim()));
    Some(match head {
        "uuid" | "random.uuid" | "guid" if args.is_empty() => Ok(crate::http::vars::uuid_v4()),
        "timestamp" => offset_now(args, false).map(|t| t.timestamp().as_second().to_string()),
        "isoTimestamp" if args.is_empty() => Ok(iso_utc(&Zoned::now())),
        "randomInt" => random_int(args),
        "datetime" => datetime(args, false),
        "localDatetime" => datetime(args, true),
        _ => return random_jetbrains(name),
    })
}

/// `$randomInt` is 0..1000 in JetBrains; `$randomInt min max` is min..max in REST Client.
fn random_int(args: &str) -> Result<String, String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let (min, max) = match words.as_slice() {
        [] => (0, 1000),
        [min, max] => (int(min)?, int(max)?),
        _ => return Err("takes no arguments, or a minimum and a maximum".into()),
    };
    range(min, max)
}

fn int(word: &str) -> Result<i64, String> {
    word.trim()
        .parse()
        .map_err(|_| format!("\"{word}\" is not a whole number"))
}

/// A random whole number from `min` up to, not including, `max`.
fn range(min: i64, max: i64) -> Result<String, String> {
    if min >= max {
        return Err(format!("the range {min} to {max} is empty"));
    }
    Ok(rand::thread_rng().gen_range(min..max).to_string())
}

/// JetBrains' `$random.integer(from, to)`, `.float(from, to)`, `.alphabetic(n)`,
/// `.alphanumeric(n)`, `.hexadecimal(n)` and `.email`.
fn random_jetbrains(name: &str) -> Option<Result<String, String>> {
    let rest = name.strip_prefix("random.")?;
    let (func, args) = match rest.split_once('(') {
        Some((f, a)) => (f.trim(), a.trim_end().strip_suffix(')')?),
        None => (rest.trim(), ""),
    };
    let args: Vec<&str> = args
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    let mut rng = rand::thread_rng();
    let chars = |set: &[u8], n: &str| -> Result<String, String> {
        let n: usize = n.parse().map_err(|_| format!("\"{n}\" is not a length"))?;
        Ok((0..n.min(10_000))
            .map(|_| set[rand::thread_rng().gen_range(0..set.len())] as char)
            .collect())
    };
    const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    Some(match (func, args.as_slice()) {
        ("integer", []) => range(0, 1000),
        ("integer", [from, to]) => int(from).and_then(|f| int(to).and_then(|t| range(f, t))),
        ("float", []) => Ok(rng.r#gen::<f64>().to_string()),
        ("float", [from, to]) => {
            let parse = |w: &str| {
                w.parse::<f64>()
                    .map_err(|_| format!("\"{w}\" is not a number"))
            };
            parse(from).and_then(|f| {
                let t = parse(to)?;
                match f < t {
                    true => Ok(rng.gen_range(f..t).to_string()),
                    false => Err(format!("the range {f} to {t} is empty")),
                }
            })
        }
        ("alphabetic", [n]) => chars(ALPHA, n),
        ("alphanumeric", [n]) => chars(ALNUM, n),
        ("hexadecimal", [n]) => chars(b"0123456789abcdef", n),
        ("email", []) => {
            chars(b"abcdefghijklmnopqrstuvwxyz", "10").map(|u| format!("{u}@example.com"))
        }
        _ => return None,
    })
}

/// Now, in UTC or the local time zone, moved by an optional `offset unit` (`-3 h`, `1 y`).
fn offset_now(args: &str, local: bool) -> Result<Zoned, String> {
    let now = match local {
        true => Zoned::now(),
        false => Timestamp::now().to_zoned(TimeZone::UTC),
    };
    let words: Vec<&str> = args.split_whitespace().collect();
    let (amount, unit) = match words.as_slice() {
        [] => return Ok(now),
        [amount, unit] => (int(amount)?, *unit),
        _ => return Err("an offset is a number and a unit, such as -3 h or 1 y".into()),
    };
    let span = match unit {
        "y" => Span::new().try_years(amount),
        "M" => Span::new().try_months(amount),
        "w" => Span::new().try_weeks(amount),
        "d" => Span::new().try_days(amount),
        "h" => Span::new().try_hours(amount),
        "m" => Span::new().try_minutes(amount),
        "s" => Span::new().try_seconds(amount),
        "ms" => Span::new().try_milliseconds(amount),
        other => {
            return Err(format!(
                "\"{other}\" is not an offset unit (y, M, w, d, h, m, s or ms)"
            ));
        }
    }
    .map_err(|e| e.to_string())?;
    now.checked_add(span).map_err(|e| e.to_string())
}

/// `$datetime rfc1123|iso8601|"Day.js format" [offset unit]`.
fn datetime(args: &str, local: bool) -> Result<String, String> {
    let words = shlex::split(args).ok_or("unbalanced quotes")?;
    let (format, offset) = words
        .split_first()
        .ok_or("needs a format: rfc1123, iso8601 or a quoted Day.js format")?;
    let at = offset_now(&offset.join(" "), local)?;
    match (format.as_str(), local) {
        ("rfc1123", false) => strftime(&at, "%a, %d %b %Y %H:%M:%S GMT"),
        ("rfc1123", true) => strftime(&at, "%a, %d %b %Y %H:%M:%S %z"),
        ("iso8601", false) => Ok(iso_utc(&at)),
        ("iso8601", true) => strftime(&at, "%Y-%m-%dT%H:%M:%S%:z"),
        (custom, _) => day_js(&at, custom),
    }
}

/// `at` in a strftime format; Err rather than the panic `to_string` gives on a failure.
fn strftime(at: &Zoned, spec: &str) -> Result<String, String> {
    jiff::fmt::strtime::format(spec, at).map_err(|e| e.to_string())
}

/// JavaScript's `toISOString()`: UTC with milliseconds and `Z`.
fn iso_utc(at: &Zoned) -> String {
    let utc = at.with_time_zone(TimeZone::UTC);
    strftime(&utc, "%Y-%m-%dT%H:%M:%S%.3fZ").unwrap_or_else(|_| utc.timestamp().to_string())
}

/// The Day.js format tokens REST Client's custom formats use, longest first.
const TOKENS: &[(&str, &str)] = &[
    ("YYYY", "%Y"),
    ("YY", "%y"),
    ("MMMM", "%B"),
    ("MMM", "%b"),
    ("MM", "%m"),
    ("M", "%-m"),
    ("DD", "%d"),
    ("D", "%-d"),
    ("dddd", "%A"),
    ("ddd", "%a"),
    ("d", "%w"),
    ("HH", "%H"),
    ("H", "%-H"),
    ("hh", "%I"),
    ("h", "%-I"),
    ("mm", "%M"),
    ("m", "%-M"),
    ("ss", "%S"),
    ("s", "%-S"),
    ("SSS", "%3f"),
    ("A", "%p"),
    ("a", "%P"),
    ("ZZ", "%z"),
    ("Z", "%:z"),
    ("X", "%s"),
];

/// Formats `at` with a Day.js format: its tokens, `[literal]` text, anything else as is.
fn day_js(at: &Zoned, format: &str) -> Result<String, String> {
    let mut spec = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            let end = rest.find(']').unwrap_or(rest.len());
            spec.push_str(&rest[1..end].replace('%', "%%"));
            rest = rest.get(end + 1..).unwrap_or("");
            continue;
        }
        if let Some(ms) = rest.strip_prefix('x') {
            spec.push_str(&at.timestamp().as_millisecond().to_string());
            rest = ms;
            continue;
        }
        match TOKENS.iter().find(|(token, _)| rest.starts_with(token)) {
            Some((token, strftime)) => {
                spec.push_str(strftime);
                rest = &rest[token.len()..];
            }
            None => {
                if c == '%' {
                    spec.push('%');
                }
                spec.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    strftime(at, &spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str) -> String {
        value(name)
            .unwrap_or_else(|| panic!("{name} is not dynamic"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn ids_and_numbers() {
        for name in ["uuid", "random.uuid", "guid"] {
            let id = ok(name);
            assert_eq!((id.len(), &id[14..15]), (36, "4"), "{name}");
        }
        for _ in 0..50 {
            let n: i64 = ok("randomInt 5 8").parse().unwrap();
            assert!((5..8).contains(&n), "{n}");
            let n: i64 = ok("random.integer(-3, -1)").parse().unwrap();
            assert!((-3..-1).contains(&n), "{n}");
        }
        assert!(ok("randomInt").parse::<u32>().unwrap() < 1000);
        assert_eq!(ok("random.hexadecimal(12)").len(), 12);
        assert!(
            ok("random.alphabetic(5)")
                .chars()
                .all(|c| c.is_ascii_alphabetic())
        );
        assert!(ok("random.email").ends_with("@example.com"));
        assert!(value("randomInt 9 2").unwrap().is_err());
        assert!(value("randomInt x 2").unwrap().is_err());
        assert!(value("nope").is_none());
        assert!(value("random.nope").is_none());
    }

    #[test]
    fn times_in_every_form() {
        let now = Timestamp::now().as_second();
        let ts: i64 = ok("timestamp").parse().unwrap();
        assert!((ts - now).abs() <= 2);
        let earlier: i64 = ok("timestamp -3 h").parse().unwrap();
        assert!((ts - earlier - 3 * 3600).abs() <= 2, "{ts} {earlier}");
        let iso = ok("isoTimestamp");
        assert!(iso.ends_with('Z') && iso.len() == 24, "{iso}");
        assert!(iso.parse::<Timestamp>().is_ok(), "{iso}");
        let rfc = ok("datetime rfc1123");
        assert!(rfc.ends_with(" GMT") && rfc.len() == 29, "{rfc}");
        let iso = ok("datetime iso8601 1 d");
        let then: Timestamp = iso.parse().unwrap();
        assert!((then.as_second() - now - 86_400).abs() <= 2, "{iso}");
        let local = ok("localDatetime iso8601");
        assert!(local.parse::<Timestamp>().is_ok(), "{local}");
        assert!(value("datetime").unwrap().is_err());
        assert!(value("datetime iso8601 1 fortnight").unwrap().is_err());
    }

    #[test]
    fn day_js_formats() {
        let at: Zoned = "2024-03-05T07:08:09.123+00:00[UTC]".parse().unwrap();
        assert_eq!(day_js(&at, "YYYY-MM-DD").unwrap(), "2024-03-05");
        assert_eq!(
            day_js(&at, "D/M/YY HH:mm:ss.SSS").unwrap(),
            "5/3/24 07:08:09.123"
        );
        assert_eq!(
            day_js(&at, "[Today is] dddd, MMMM D").unwrap(),
            "Today is Tuesday, March 5"
        );
        assert_eq!(day_js(&at, "h:mm A Z 100%").unwrap(), "7:08 AM +00:00 100%");
        assert_eq!(day_js(&at, "X x").unwrap(), "1709622489 1709622489123");
        // Anything else is text, never a panic.
        for odd in ["%", "%%Q", "[", "]", "[%Z]", "é€", "{{}}", "%Ez"] {
            assert!(day_js(&at, odd).is_ok(), "{odd}");
        }
        let quoted = ok("datetime 'YYYY' 1 y");
        assert_eq!(quoted.len(), 4);
        assert!(ok("datetime \"DD-MM-YYYY\"").len() == 10);
    }
}
