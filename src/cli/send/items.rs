//! HTTPie request items, as its docs define them: `Header:value` (`Header:` unsets,
//! `Header;` sends it empty), `param==value`, `field=value` (a JSON string), `field:=json`,
//! `@file` (the body), `=@`, `:=@`, `==@` and `:@` to read a value from a file, nested JSON
//! paths (`a[b][c]=`, `a[]=`, `a[0]=`, `[]:=` at the top) and `\` to escape a separator.

use serde_json::{Map, Value};

use crate::http::{Body, Request, Row};

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Header(String, String),
    /// `Header:`: leave this header out.
    Unset(String),
    Query(String, String),
    /// A JSON field at a path.
    Field(Vec<Seg>, Value),
    BodyFile(String),
}

/// One step of a nested JSON path.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
    /// `[]`: the next element of an array.
    Append,
}

/// The separators, longest first so that `:=@` wins over `:=` and `:` at one place.
const SEPARATORS: &[&str] = &[":=@", "==@", "=@", ":@", ":=", "==", "=", ":", ";"];

/// Parses one item; the error is one sentence naming it. Files named by `@` are read now,
/// from where the command runs, as HTTPie does.
pub fn parse(item: &str) -> Result<Item, String> {
    if let Some(path) = item.strip_prefix('@') {
        return Ok(Item::BodyFile(path.to_string()));
    }
    let Some((at, sep)) = find_separator(item) else {
        if item.contains('@') {
            return Err(format!(
                "\"{item}\" looks like a file upload (field@path), which needs a multipart \
                 body; apiward's send does not build one from items yet: use -d, or the TUI"
            ));
        }
        return Err(format!(
            "\"{item}\" is not a request item: use Header:value, param==value, field=value, \
             field:=json or @file"
        ));
    };
    // A field's name is read as a path with its escapes; the others' names are plain text.
    let raw_name = &item[..at];
    let name = unescape(raw_name);
    let raw = &item[at + sep.len()..];
    if name.is_empty() && !matches!(sep, ":=" | ":=@" | "=" | "=@") {
        return Err(format!("\"{item}\" has no name before \"{sep}\""));
    }
    let label = name.clone();
    let file = |what: &str| {
        std::fs::read_to_string(raw)
            .map_err(|e| format!("cannot read {what} for {label} from {raw}: {e}"))
    };
    // HTTPie keeps a file's last newline in a JSON string, and drops it in a query or header.
    let line = |text: String| text.strip_suffix('\n').map(str::to_string).unwrap_or(text);
    let json = |text: &str| {
        serde_json::from_str(text).map_err(|e| format!("the value of {name}{sep} is not JSON: {e}"))
    };
    Ok(match sep {
        ":=" => Item::Field(path(raw_name)?, json(raw)?),
        ":=@" => Item::Field(path(raw_name)?, json(&file("JSON")?)?),
        "=" => Item::Field(path(raw_name)?, Value::String(unescape(raw))),
        "=@" => Item::Field(path(raw_name)?, Value::String(file("the value")?)),
        "==" => Item::Query(name, unescape(raw)),
        "==@" => Item::Query(name, line(file("the value")?)),
        ":@" => Item::Header(name, line(file("the header")?)),
        ";" if raw.is_empty() => Item::Header(name, String::new()),
        ";" => return Err(format!("\"{item}\": `Header;` takes no value")),
        _ if raw.trim().is_empty() => Item::Unset(name),
        _ => Item::Header(name, unescape(raw).trim_start().to_string()),
    })
}

/// The first unescaped separator: its byte position and which one. Walks chars, not bytes,
/// so a slice never starts inside a multi-byte character (the fuzzer found `"é`).
fn find_separator(item: &str) -> Option<(usize, &'static str)> {
    let mut chars = item.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
            continue;
        }
        if let Some(sep) = SEPARATORS.iter().find(|s| item[i..].starts_with(**s)) {
            return Some((i, sep));
        }
    }
    None
}

/// `\x` is `x` for the characters a name or value may need to escape.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next)) if "=:@;[]\\".contains(next) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A field name as a JSON path: `a[b][0][]`; `\[` keeps a bracket in a key.
fn path(name: &str) -> Result<Vec<Seg>, String> {
    let bad = || format!("\"{name}\" is not a JSON path HTTPie reads (a, a[b], a[0], a[])");
    let mut segs = Vec::new();
    let mut key = String::new();
    let mut chars = name.chars().peekable();
    // The part before the first `[` is a key, unless it is empty (`[]:=1`, `[0]=x`).
    while let Some(c) = chars.next() {
        match c {
            '\\' => key.extend(chars.next()),
            '[' => {
                if !key.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut key)));
                }
                let mut inner = String::new();
                loop {
                    match chars.next().ok_or_else(bad)? {
                        ']' => break,
                        '\\' => inner.extend(chars.next()),
                        ch => inner.push(ch),
                    }
                }
                segs.push(match inner.as_str() {
                    "" => Seg::Append,
                    n if n.bytes().all(|b| b.is_ascii_digit()) => {
                        Seg::Index(n.parse().map_err(|_| bad())?)
                    }
                    _ => Seg::Key(inner),
                });
                // Only another bracket may follow a bracket.
                if chars.peek().is_some_and(|c| *c != '[') {
                    return Err(bad());
                }
            }
            c => key.push(c),
        }
    }
    if segs.is_empty() || !key.is_empty() {
        segs.push(Seg::Key(key));
    }
    Ok(segs)
}

/// Puts `value` at `path` in `root`, making objects and arrays on the way.
fn set(root: &mut Value, path: &[Seg], value: Value) -> Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        *root = value;
        return Ok(());
    };
    let mismatch =
        |want: &str| format!("a JSON path uses a value both as {want} and as something else");
    let slot = match first {
        Seg::Key(k) => {
            if root.is_null() {
                *root = Value::Object(Map::new());
            }
            let map = root.as_object_mut().ok_or_else(|| mismatch("an object"))?;
            map.entry(k.clone()).or_insert(Value::Null)
        }
        Seg::Index(n) => {
            if root.is_null() {
                *root = Value::Array(Vec::new());
            }
            let list = root.as_array_mut().ok_or_else(|| mismatch("an array"))?;
            if *n > 10_000 {
                return Err(format!(
                    "the JSON index {n} is larger than apiward fills in"
                ));
            }
            if list.len() <= *n {
                list.resize(n + 1, Value::Null);
            }
            &mut list[*n]
        }
        Seg::Append => {
            if root.is_null() {
                *root = Value::Array(Vec::new());
            }
            let list = root.as_array_mut().ok_or_else(|| mismatch("an array"))?;
            list.push(Value::Null);
            list.last_mut().expect("just pushed")
        }
    };
    if rest.is_empty() {
        *slot = value;
        Ok(())
    } else {
        set(slot, rest, value)
    }
}

/// JSON as HTTPie writes it (Python's `json.dumps`): `{"a": [1, 2]}`, with characters
/// beyond ASCII as `\u00e9` escapes, so the bytes on the wire are the same.
pub fn to_httpie_json(value: &Value) -> String {
    struct Spaced;
    impl serde_json::ser::Formatter for Spaced {
        fn begin_array_value<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first { Ok(()) } else { w.write_all(b", ") }
        }
        fn begin_object_key<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first { Ok(()) } else { w.write_all(b", ") }
        }
        fn begin_object_value<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
        ) -> std::io::Result<()> {
            w.write_all(b": ")
        }
        fn write_string_fragment<W: ?Sized + std::io::Write>(
            &mut self,
            w: &mut W,
            fragment: &str,
        ) -> std::io::Result<()> {
            for c in fragment.chars() {
                if c.is_ascii() {
                    w.write_all(&[c as u8])?;
                } else {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        write!(w, "\\u{unit:04x}")?;
                    }
                }
            }
            Ok(())
        }
    }
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Spaced);
    // Serialising a Value into memory cannot fail.
    let _ = serde::Serialize::serialize(value, &mut ser);
    String::from_utf8(out).unwrap_or_default()
}

/// Adds the items to `req`: JSON fields become one JSON body.
pub fn apply(req: &mut Request, items: &[Item]) -> Result<(), String> {
    let mut body = Value::Null;
    for item in items {
        match item {
            Item::Header(n, v) => req.headers.push(Row::new(n, v)),
            Item::Unset(n) => req.headers.retain(|h| !h.name.eq_ignore_ascii_case(n)),
            Item::Query(n, v) => req.query.push(Row::new(n, v)),
            Item::Field(path, v) => set(&mut body, path, v.clone())?,
            Item::BodyFile(path) => req.body = Body::File(path.into()),
        }
    }
    if !body.is_null() {
        if !matches!(req.body, Body::None) {
            return Err("give the body either as fields or as a file/data, not both".into());
        }
        req.body = Body::Json(to_httpie_json(&body));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(items: &[&str]) -> Value {
        let mut req = Request::new("POST", "http://h/");
        let parsed: Vec<Item> = items.iter().map(|i| parse(i).unwrap()).collect();
        apply(&mut req, &parsed).unwrap();
        match req.body {
            Body::Json(t) => serde_json::from_str(&t).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parses_each_kind() {
        assert_eq!(
            parse("X-A:1").unwrap(),
            Item::Header("X-A".into(), "1".into())
        );
        assert_eq!(
            parse("Accept: a/b").unwrap(),
            Item::Header("Accept".into(), "a/b".into())
        );
        assert_eq!(parse("Accept:").unwrap(), Item::Unset("Accept".into()));
        assert_eq!(
            parse("X-Empty;").unwrap(),
            Item::Header("X-Empty".into(), String::new())
        );
        assert_eq!(
            parse("q==a=b").unwrap(),
            Item::Query("q".into(), "a=b".into())
        );
        assert_eq!(parse("@b.json").unwrap(), Item::BodyFile("b.json".into()));
        assert!(parse("nothing").unwrap_err().contains("nothing"));
        assert!(parse("n:={bad").unwrap_err().contains("not JSON"));
        assert!(parse("f@up.bin").unwrap_err().contains("multipart"));
        assert!(parse("=x").is_ok(), "an empty key is HTTPie's \"\" field");
        // Found by the fuzzer: a byte walk sliced inside `é`.
        assert!(parse("\"é").is_err());
        assert!(parse("\\é=1").is_ok());
        assert_eq!(
            parse("né=é").unwrap(),
            Item::Field(vec![Seg::Key("né".into())], "é".into())
        );
    }

    #[test]
    fn nested_paths_as_httpie_builds_them() {
        assert_eq!(body(&["a[]:=1", "a[]:=2"]), json!({"a": [1, 2]}));
        assert_eq!(body(&["a[b][c]=1"]), json!({"a": {"b": {"c": "1"}}}));
        assert_eq!(body(&["a[0]=x", "a[2]=y"]), json!({"a": ["x", null, "y"]}));
        assert_eq!(body(&["[]:=1", "[]:=2"]), json!([1, 2]));
        assert_eq!(body(&["a=1", "a=2"]), json!({"a": "2"}));
        assert_eq!(
            body(&["a\\[b\\]=1", "c\\=d=e"]),
            json!({"a[b]": "1", "c=d": "e"})
        );
        assert_eq!(
            to_httpie_json(&json!({"x": "1", "n": [2, {"t": true}]})),
            r#"{"x": "1", "n": [2, {"t": true}]}"#
        );
        assert_eq!(
            to_httpie_json(&json!({"é": "✓😀"})),
            r#"{"\u00e9": "\u2713\ud83d\ude00"}"#
        );
        let mut req = Request::new("POST", "http://h/");
        let err = apply(
            &mut req,
            &[parse("a:=1").unwrap(), parse("a[b]=2").unwrap()],
        );
        assert!(err.is_err());
    }

    #[test]
    fn values_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("t.txt");
        let json_file = dir.path().join("j.json");
        std::fs::write(&text, "file text\n").unwrap();
        std::fs::write(&json_file, "{\"k\": 1}").unwrap();
        let (t, j) = (text.display(), json_file.display());
        assert_eq!(
            body(&[&format!("a=@{t}"), &format!("b:=@{j}")]),
            json!({"a": "file text\n", "b": {"k": 1}})
        );
        assert_eq!(
            parse(&format!("q==@{t}")).unwrap(),
            Item::Query("q".into(), "file text".into())
        );
        assert_eq!(
            parse(&format!("X-F:@{t}")).unwrap(),
            Item::Header("X-F".into(), "file text".into())
        );
        assert!(
            parse("a=@/no/such/file")
                .unwrap_err()
                .contains("cannot read")
        );
    }
}
