//! Streaming pretty JSON for response bodies, coloured on a terminal: serde_json's
//! PrettyFormatter with ANSI colours around keys, strings, numbers and literals.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

const KEY: &[u8] = b"\x1b[34;1m";
const STRING: &[u8] = b"\x1b[32m";
const NUMBER: &[u8] = b"\x1b[36m";
const LITERAL: &[u8] = b"\x1b[35m";
const RESET: &[u8] = b"\x1b[0m";

/// Writes `value` pretty-printed, in colour when `color`.
pub fn write_json(out: &mut impl Write, value: &serde_json::Value, color: bool) -> io::Result<()> {
    if color {
        let mut ser = serde_json::Serializer::with_formatter(
            &mut *out,
            Colored {
                inner: PrettyFormatter::new(),
                in_key: false,
            },
        );
        value.serialize(&mut ser)?;
    } else {
        let mut ser = serde_json::Serializer::pretty(&mut *out);
        value.serialize(&mut ser)?;
    }
    out.write_all(b"\n")
}

struct Colored<'a> {
    inner: PrettyFormatter<'a>,
    in_key: bool,
}

macro_rules! painted {
    ($($name:ident($($arg:ident: $ty:ty),*) = $color:expr;)*) => {$(
        fn $name<W: ?Sized + Write>(&mut self, w: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            w.write_all($color)?;
            self.inner.$name(w $(, $arg)*)?;
            w.write_all(RESET)
        }
    )*};
}

impl Formatter for Colored<'_> {
    painted! {
        write_null() = LITERAL;
        write_bool(value: bool) = LITERAL;
        write_i64(value: i64) = NUMBER;
        write_u64(value: u64) = NUMBER;
        write_f64(value: f64) = NUMBER;
        write_number_str(value: &str) = NUMBER;
    }

    fn begin_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.in_key { KEY } else { STRING })?;
        self.inner.begin_string(w)
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_string(w)?;
        w.write_all(RESET)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.in_key = true;
        self.inner.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.in_key = false;
        self.inner.end_object_key(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.inner.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_coloured() {
        let v = serde_json::json!({"a": [1, "x", null, true]});
        let mut plain = Vec::new();
        write_json(&mut plain, &v, false).unwrap();
        assert_eq!(
            String::from_utf8(plain).unwrap(),
            "{\n  \"a\": [\n    1,\n    \"x\",\n    null,\n    true\n  ]\n}\n"
        );
        let mut colored = Vec::new();
        write_json(&mut colored, &v, true).unwrap();
        let text = String::from_utf8(colored).unwrap();
        assert!(text.contains("\x1b[34;1m\"a\"\x1b[0m"), "{text:?}");
        assert!(text.contains("\x1b[36m1\x1b[0m"));
        let stripped = text
            .replace("\x1b[34;1m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[36m", "")
            .replace("\x1b[35m", "")
            .replace("\x1b[0m", "");
        assert!(stripped.starts_with("{\n  \"a\": [\n    1,"));
    }
}
