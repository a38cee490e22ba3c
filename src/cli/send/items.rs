//! HTTPie request items, as its docs define them: `Header:value` (`Header:` unsets,
//! `Header;` sends it empty), `param==value`, `field=value` (a JSON string), `field:=json`,
//! `@file` (the body), `=@`, `:=@`, `==@` and `:@` to read a value from a file, nested JSON
//! paths (`a[b][c]=`, `a[]=`, `a[0]=`, `[]:=` at the top), `\` to escape a separator, and
//! with `--form` or `--multipart` the same fields as a form, `field@path` (`;type=…`) as a
//! file part.

use serde_json::{Map, Value};

use crate::http::{Body, Part, PartValue, Request, Row};

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Header(String, String),
    /// `Header:`: leave this header out.
    Unset(String),
    Query(String, String),
    /// A data field: its name as written (escapes kept, for the JSON path) and its value.
    Field {
        raw: String,
        value: Value,
    },
    /// `name@path` or `name@path;type=mime`: a file part of a form.
    File {
        name: String,
        path: String,
        mime: Option<String>,
    },
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
const SEPARATORS: &[&str] = &[":=@", "==@", "=@", ":@", ":=", "==", "=", ":", ";", "@"];

/// Parses one item; the error is one sentence naming it. Files named by `@` are read now,
/// from where the command runs, as HTTPie does.
pub fn parse(item: &str) -> Result<Item, String> {
    if let Some(path) = item.strip_prefix('@') {
        return Ok(Item::BodyFile(path.to_string()));
    }
    let Some((at, sep)) = find_separator(item) else {
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
    let field = |value: Value| Item::Field {
        raw: raw_name.to_string(),
        value,
    };
    Ok(match sep {
        ":=" => field(json(raw)?),
        ":=@" => field(json(&file("JSON")?)?),
        "=" => field(Value::String(unescape(raw))),
        "=@" => field(Value::String(file("the value")?)),
        "@" => {
            let (path, mime) = match raw.split_once(";type=") {
                Some((p, t)) => (p, Some(t.to_string())),
                None => (raw, None),
            };
            Item::File {
                name,
                path: unescape(path),
                mime,
            }
        }
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
                // `[\1]` is the key "1", not the index 1.
                let mut escaped = false;
                loop {
                    match chars.next().ok_or_else(bad)? {
                        ']' => break,
                        '\\' => {
                            escaped = true;
                            inner.extend(chars.next());
                        }
                        ch => inner.push(ch),
                    }
                }
                segs.push(match inner.as_str() {
                    "" if !escaped => Seg::Append,
                    n if !escaped && n.bytes().all(|b| b.is_ascii_digit()) => {
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

/// The type HTTPie gives a urlencoded form: it names the charset.
pub const FORM_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Headers apiward adds when the request has none: HTTPie's `Name:` would leave them out.
const DEFAULTS: &[&str] = &["user-agent", "accept", "accept-encoding", "host"];

/// How data fields are sent: HTTPie's default JSON object, `--form` (urlencoded, or multipart
/// once a file is among them) or `--multipart`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Json,
    Form,
    Multipart,
}

/// Adds the items to `req`, data fields as one JSON body.
pub fn apply(req: &mut Request, items: &[Item]) -> Result<(), String> {
    apply_as(req, items, Mode::Json)
}

/// Adds the items to `req`: data fields become one body as `mode` says.
pub fn apply_as(req: &mut Request, items: &[Item], mode: Mode) -> Result<(), String> {
    let mut body = Value::Null;
    let mut form: Vec<(String, PartValue)> = Vec::new();
    for item in items {
        match item {
            Item::Header(n, v) => req.headers.push(Row::new(n, v)),
            Item::Unset(n)
                if req.header_value(n).is_none()
                    && DEFAULTS.contains(&n.to_ascii_lowercase().as_str()) =>
            {
                return Err(format!(
                    "\"{n}:\" leaves out a header apiward always sends ({n} has a default), \
                     which it cannot do yet; set it to a value instead"
                ));
            }
            Item::Unset(n) => req.headers.retain(|h| !h.name.eq_ignore_ascii_case(n)),
            Item::Query(n, v) => req.query.push(Row::new(n, v)),
            Item::Field { raw, value, .. } if mode == Mode::Json => {
                set(&mut body, &path(raw)?, value.clone())?
            }
            Item::Field { raw, value } => {
                // A raw JSON scalar goes into a form as Python's str() writes it.
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Bool(true) => "True".into(),
                    Value::Bool(false) => "False".into(),
                    Value::Null => "None".into(),
                    Value::Number(n) => n.to_string(),
                    _ => {
                        return Err(format!(
                            "{raw}:= gives a JSON object or array, which a form cannot hold"
                        ));
                    }
                };
                form.push((unescape(raw), PartValue::Text(text)));
            }
            Item::File { name, .. } if mode == Mode::Json => {
                return Err(format!(
                    "{name}@… is a file upload, which needs a form: add --form or --multipart"
                ));
            }
            Item::File { name, path, mime } => {
                file_type_as_httpie(path, mime.as_deref())?;
                form.push((name.clone(), PartValue::File(path.into())));
            }
            Item::BodyFile(path) => req.body = Body::File(path.into()),
        }
    }
    let has_data = !body.is_null() || !form.is_empty();
    if has_data && !matches!(req.body, Body::None) {
        return Err("give the body either as fields or as a file/data, not both".into());
    }
    if !body.is_null() {
        req.body = Body::Json(to_httpie_json(&body));
    }
    let files = form.iter().any(|(_, v)| matches!(v, PartValue::File(_)));
    if mode == Mode::Multipart || files {
        req.body = Body::Multipart(
            form.into_iter()
                .map(|(name, value)| Part {
                    name,
                    value,
                    enabled: true,
                })
                .collect(),
        );
    } else if !form.is_empty() {
        let rows: Vec<(String, String)> = form
            .into_iter()
            .map(|(n, v)| match v {
                PartValue::Text(t) => (n, t),
                PartValue::File(_) => unreachable!("files go multipart"),
            })
            .collect();
        // The rows stay a form table when they encode as HTTPie encodes them (Python's
        // quote_plus), else the exact text is sent. The caller adds FORM_TYPE, once it knows
        // every header given.
        let python = rows
            .iter()
            .map(|(n, v)| format!("{}={}", quote_plus(n), quote_plus(v)))
            .collect::<Vec<_>>()
            .join("&");
        let whatwg = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&rows)
            .finish();
        req.body = if python == whatwg {
            Body::Form(rows.iter().map(|(n, v)| Row::new(n, v)).collect())
        } else {
            Body::Raw(python)
        };
    }
    Ok(())
}

/// Python's `urllib.parse.quote_plus`: all but `A-Z a-z 0-9 _ . - ~` escaped, space as `+`.
fn quote_plus(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A file part carries the type apiward guesses from its name; HTTPie sends the type given
/// with `;type=`, or its own guess, or none. Where those differ the item is refused, since a
/// part's type cannot be set yet.
fn file_type_as_httpie(path: &str, given: Option<&str>) -> Result<(), String> {
    let guessed = mime_guess::from_path(path).first();
    match (given, &guessed) {
        (Some(t), Some(g)) if t.eq_ignore_ascii_case(g.essence_str()) => Ok(()),
        (None, Some(_)) => Ok(()),
        (Some(t), _) => Err(format!(
            "{path};type={t}: apiward labels the part {}, and a part's type cannot be set yet",
            guessed.map_or("application/octet-stream".to_string(), |g| g.to_string())
        )),
        (None, None) => Err(format!(
            "{path} has no type HTTPie would name (it sends the part without one), while \
             apiward would send application/octet-stream: give the file a known extension"
        )),
    }
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
        // A header of apiward's own cannot be left out yet; one an item set can.
        let mut req = Request::new("GET", "http://h/");
        assert!(apply(&mut req, &[parse("User-Agent:").unwrap()]).is_err());
        let set_then_unset = [parse("X-A:1").unwrap(), parse("X-A:").unwrap()];
        apply(&mut req, &set_then_unset).unwrap();
        assert_eq!(req.header_value("x-a"), None);
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
        assert_eq!(
            parse("f@up.txt;type=text/plain").unwrap(),
            Item::File {
                name: "f".into(),
                path: "up.txt".into(),
                mime: Some("text/plain".into())
            }
        );
        assert!(parse("=x").is_ok(), "an empty key is HTTPie's \"\" field");
        // Found by the fuzzer: a byte walk sliced inside `é`.
        assert!(parse("\"é").is_err());
        assert!(parse("\\é=1").is_ok());
        assert_eq!(
            parse("né=é").unwrap(),
            Item::Field {
                raw: "né".into(),
                value: "é".into(),
            }
        );
    }

    #[test]
    fn nested_paths_as_httpie_builds_them() {
        assert_eq!(body(&["a[]:=1", "a[]:=2"]), json!({"a": [1, 2]}));
        assert_eq!(body(&["a[b][c]=1"]), json!({"a": {"b": {"c": "1"}}}));
        assert_eq!(body(&["a[0]=x", "a[2]=y"]), json!({"a": ["x", null, "y"]}));
        assert_eq!(body(&["[]:=1", "[]:=2"]), json!([1, 2]));
        assert_eq!(body(&["object[\\1]=s"]), json!({"object": {"1": "s"}}));
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

    fn with(mode: Mode, items: &[&str]) -> Result<Request, String> {
        let mut req = Request::new("POST", "http://h/");
        let parsed: Vec<Item> = items.iter().map(|i| parse(i).unwrap()).collect();
        apply_as(&mut req, &parsed, mode).map(|_| req)
    }

    #[test]
    fn forms_and_files_as_httpie_sends_them() {
        let req = with(Mode::Form, &["a=1", "a=2", "b[c]=x y", "n:=3", "t:=true"]).unwrap();
        assert_eq!(
            req.body,
            Body::Form(vec![
                Row::new("a", "1"),
                Row::new("a", "2"),
                Row::new("b[c]", "x y"),
                Row::new("n", "3"),
                Row::new("t", "True")
            ])
        );
        // Python's quote_plus escapes `*` and keeps `~`: such a form goes as exact text.
        let req = with(Mode::Form, &["s=a*b~c"]).unwrap();
        assert_eq!(req.body, Body::Raw("s=a%2Ab~c".into()));
        assert!(with(Mode::Form, &["o:={\"a\":1}"]).is_err());

        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("n.txt");
        std::fs::write(&f, "x").unwrap();
        let file = format!("up@{}", f.display());
        for mode in [Mode::Form, Mode::Multipart] {
            let req = with(mode, &["t=1", &file]).unwrap();
            assert_eq!(
                req.body,
                Body::Multipart(vec![
                    Part {
                        name: "t".into(),
                        value: PartValue::Text("1".into()),
                        enabled: true
                    },
                    Part {
                        name: "up".into(),
                        value: PartValue::File(f.clone()),
                        enabled: true
                    }
                ])
            );
        }
        assert!(matches!(
            with(Mode::Multipart, &["t=1"]).unwrap().body,
            Body::Multipart(_)
        ));
        assert!(with(Mode::Json, &[&file]).unwrap_err().contains("--form"));
        // A given type is honoured when it is the one apiward sends; another is refused.
        assert!(with(Mode::Form, &[&format!("{file};type=text/plain")]).is_ok());
        assert!(
            with(Mode::Form, &[&format!("{file};type=application/pdf")])
                .unwrap_err()
                .contains("text/plain")
        );
        assert!(
            with(Mode::Form, &["f@no-extension"])
                .unwrap_err()
                .contains("no type")
        );
    }
}
