//! One answer against the operation's documented responses: is its status listed, is its
//! content type one of the status's media types, which fields of its JSON body does the schema
//! not list, and does an error body show a trace.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::document::{Document, Node};

/// The documented response for `status`: the exact code, then `4XX`-style ranges, then
/// `default`.
pub fn documented<'a>(doc: &'a Document, responses: &Node<'a>, status: u16) -> Option<Node<'a>> {
    let code = status.to_string();
    let range = format!("{}XX", status / 100);
    responses
        .entries()
        .find(|(k, _)| *k == code)
        .or_else(|| {
            responses
                .entries()
                .find(|(k, _)| k.eq_ignore_ascii_case(&range))
        })
        .or_else(|| responses.entries().find(|(k, _)| *k == "default"))
        .map(|(_, r)| doc.deref(r))
}

/// The media type of a Content-Type value: `application/json` of `application/json; charset=…`.
pub fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The documented media type object `actual` matches (exactly, `type/*` or `*/*`), or Err with
/// the documented ones when none does. A response that documents no content accepts anything.
pub fn media<'a>(response: &Node<'a>, actual: &str) -> Result<Option<Node<'a>>, Vec<String>> {
    let Some(content) = response.get("content") else {
        return Ok(None);
    };
    let listed: Vec<(String, Node<'a>)> = content
        .entries()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    if listed.is_empty() {
        return Ok(None);
    }
    let family = actual.split('/').next().unwrap_or("");
    let found = listed
        .iter()
        .find(|(k, _)| k == actual)
        .or_else(|| listed.iter().find(|(k, _)| *k == format!("{family}/*")))
        .or_else(|| listed.iter().find(|(k, _)| k == "*/*"));
    match found {
        Some((_, node)) => Ok(Some(node.clone())),
        None => Err(listed.into_iter().map(|(k, _)| k).collect()),
    }
}

/// The paths (`users[].password_hash`) of fields in `value` that `schema` does not list.
pub fn undocumented_fields(doc: &Document, schema: &Node<'_>, value: &Value) -> Vec<String> {
    let mut out = BTreeSet::new();
    walk(doc, schema, value, "", &mut out, 0);
    out.into_iter().collect()
}

/// What a schema (with its allOf/anyOf/oneOf parts, references followed) says about an
/// object's members.
struct Shape<'a> {
    properties: Vec<(&'a str, Node<'a>)>,
    /// additionalProperties as a schema, when it is one.
    extra: Option<Node<'a>>,
    /// Unlisted members are allowed (additionalProperties: true), or nothing is listed at all
    /// so there is nothing to compare.
    open: bool,
    items: Option<Node<'a>>,
}

fn shape<'a>(doc: &'a Document, schema: &Node<'a>, depth: usize) -> Shape<'a> {
    let schema = doc.deref(schema.clone());
    let mut s = Shape {
        properties: Vec::new(),
        extra: None,
        open: false,
        items: schema.get("items").map(|i| doc.deref(i)),
    };
    if let Some(props) = schema.get("properties") {
        s.properties.extend(props.entries());
    }
    match schema.get("additionalProperties") {
        Some(n) if n.value.as_bool() == Some(true) => s.open = true,
        Some(n) if n.value.is_object() => s.extra = Some(doc.deref(n)),
        _ => {}
    }
    let mut parts_listed = false;
    if depth < 16 {
        for key in ["allOf", "anyOf", "oneOf"] {
            for part in schema.get(key).iter().flat_map(|p| p.items()) {
                let inner = shape(doc, &part, depth + 1);
                parts_listed |= !inner.properties.is_empty() || inner.extra.is_some();
                s.properties.extend(inner.properties);
                s.open |= inner.open;
                s.extra = s.extra.or(inner.extra);
                s.items = s.items.or(inner.items);
            }
        }
    }
    if s.properties.is_empty() && s.extra.is_none() && !parts_listed {
        s.open = true;
    }
    s
}

fn walk(
    doc: &Document,
    schema: &Node<'_>,
    value: &Value,
    path: &str,
    out: &mut BTreeSet<String>,
    depth: usize,
) {
    if depth > 32 || out.len() > 200 {
        return;
    }
    let s = shape(doc, schema, 0);
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Some((_, sub)) = s.properties.iter().find(|(k, _)| k == key) {
                    walk(doc, sub, member, &here, out, depth + 1);
                } else if let Some(extra) = &s.extra {
                    walk(doc, extra, member, &here, out, depth + 1);
                } else if !s.open {
                    out.insert(here);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = &s.items {
                // A hundred items show what every item carries.
                for item in items.iter().take(100) {
                    walk(doc, item_schema, item, &format!("{path}[]"), out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Whether a field name reads as a secret or personal data a response should not carry.
pub fn sensitive(field: &str) -> bool {
    let last = field
        .rsplit(['.', ']'])
        .next()
        .unwrap_or(field)
        .to_ascii_lowercase();
    [
        "password", "hash", "secret", "token", "api_key", "apikey", "private", "ssn", "salt",
    ]
    .iter()
    .any(|w| last.contains(w))
}

/// What in an error body gives the server away: a trace, a query, a connection string.
pub fn leak(body: &str) -> Option<&'static str> {
    const SIGNS: &[(&str, &str)] = &[
        ("stack backtrace", "a Rust backtrace"),
        ("panicked at", "a Rust panic message"),
        ("Traceback (most recent call last)", "a Python traceback"),
        ("Exception in thread", "a Java exception"),
        ("\tat java.", "a Java stack trace"),
        ("at System.", "a .NET stack trace"),
        ("SELECT * FROM", "an SQL query"),
        ("postgres://", "a database URL"),
        ("mysql://", "a database URL"),
        ("mongodb://", "a database URL"),
    ];
    SIGNS
        .iter()
        .find(|(sign, _)| body.contains(sign))
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::document::Location;

    fn doc(yaml: &str) -> Document {
        Document::from_text(yaml.as_bytes(), Location::parse("t.yaml")).unwrap()
    }

    #[test]
    fn fields_the_schema_does_not_list_are_found_at_any_depth() {
        let d = doc(r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: object, properties: {id: {type: integer}, username: {type: string}}}
    List:
      type: object
      properties:
        users: {type: array, items: {$ref: "#/components/schemas/Name"}}
        meta: {type: object, additionalProperties: true}
"##);
        let schema = d.node_at(0, "/components/schemas/List").unwrap();
        let body = serde_json::json!({
            "users": [{"id": 1, "username": "a", "password_hash": "x"}, {"id": 2, "api_key": "k"}],
            "meta": {"anything": 1},
            "debug": true,
        });
        let extra = undocumented_fields(&d, &schema, &body);
        assert_eq!(extra, ["debug", "users[].api_key", "users[].password_hash"]);
        assert!(sensitive("users[].password_hash") && !sensitive("debug"));
    }

    #[test]
    fn statuses_and_media_types() {
        let d = doc(r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200": {description: ok, content: {application/json: {}}}
        "4XX": {description: client, content: {text/*: {}}}
"#);
        let responses = d.node_at(0, "/paths/~1x/get/responses").unwrap();
        assert!(documented(&d, &responses, 200).is_some());
        let r = documented(&d, &responses, 404).unwrap();
        assert!(media(&r, "text/plain").is_ok());
        assert!(documented(&d, &responses, 500).is_none());
        let ok = documented(&d, &responses, 200).unwrap();
        assert_eq!(media(&ok, "text/html").unwrap_err(), ["application/json"]);
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
        assert_eq!(
            leak("thread 'x' panicked at src/a.rs:1"),
            Some("a Rust panic message")
        );
    }
}
