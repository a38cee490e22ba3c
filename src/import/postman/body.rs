//! A Postman request body (raw with its language, urlencoded, formdata, file, graphql) as an
//! apiward body, with the Content-Type Postman would add when the request sets none.

use std::path::PathBuf;

use serde_json::Value;

use crate::http::model::{Body, Part, PartValue, Row};
use crate::import::collection::is_json;

/// The body, the Content-Type to add when the request has none, and notes.
#[derive(Debug, Default, PartialEq)]
pub struct Read {
    pub body: Body,
    pub content_type: Option<&'static str>,
    pub notes: Vec<String>,
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

fn enabled(row: &&Value) -> bool {
    !row.get("disabled")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

pub fn read(body: Option<&Value>) -> Read {
    let Some(body) = body.filter(|b| !b.is_null()) else {
        return Read::default();
    };
    if body.get("disabled").and_then(Value::as_bool) == Some(true) {
        return Read::default();
    }
    let mode = body.get("mode").and_then(Value::as_str).unwrap_or("raw");
    match mode {
        "raw" => raw(body),
        "urlencoded" => {
            let rows = body
                .get("urlencoded")
                .and_then(Value::as_array)
                .map(|rows| {
                    rows.iter()
                        .filter(enabled)
                        .map(|r| Row::new(&text(r.get("key")), &text(r.get("value"))))
                        .collect()
                })
                .unwrap_or_default();
            Read {
                body: Body::Form(rows),
                ..Read::default()
            }
        }
        "formdata" => formdata(body),
        "file" => {
            let src = text(body.get("file").and_then(|f| f.get("src")));
            if src.is_empty() {
                return Read {
                    notes: vec!["its body is a file the collection does not name".into()],
                    ..Read::default()
                };
            }
            Read {
                body: Body::File(PathBuf::from(src)),
                ..Read::default()
            }
        }
        "graphql" => graphql(body.get("graphql")),
        other => Read {
            notes: vec![format!("its body mode {other} is not one apiward knows")],
            ..Read::default()
        },
    }
}

fn raw(body: &Value) -> Read {
    let raw = text(body.get("raw"));
    if raw.is_empty() {
        return Read::default();
    }
    let language = body
        .pointer("/options/raw/language")
        .and_then(Value::as_str)
        .unwrap_or("");
    let content_type = match language {
        "json" => Some("application/json"),
        "javascript" => Some("application/javascript"),
        "html" => Some("text/html"),
        "xml" => Some("application/xml"),
        // Postman's runtime says text/plain for any other language, or none.
        _ => Some("text/plain"),
    };
    // Valid JSON is a JSON body (checked and shown as JSON); anything else, JSON-labelled or
    // not, is sent as written.
    if language == "json" && is_json(&raw) {
        return Read {
            body: Body::Json(raw),
            ..Read::default()
        };
    }
    Read {
        body: Body::Raw(raw),
        content_type,
        notes: Vec::new(),
    }
}

fn formdata(body: &Value) -> Read {
    let mut out = Read::default();
    let mut parts = Vec::new();
    for row in body
        .get("formdata")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(enabled)
    {
        let name = text(row.get("key"));
        if row.get("type").and_then(Value::as_str) == Some("file") {
            let srcs: Vec<String> = match row.get("src") {
                Some(Value::Array(a)) => a.iter().map(|s| text(Some(s))).collect(),
                Some(Value::String(s)) => vec![s.clone()],
                _ => Vec::new(),
            };
            if srcs.is_empty() {
                out.notes.push(format!(
                    "its form field {name} is a file the collection does not name; it is left out"
                ));
            }
            for src in srcs {
                parts.push(Part {
                    name: name.clone(),
                    value: PartValue::File(PathBuf::from(src)),
                    enabled: true,
                });
            }
        } else {
            if row
                .get("contentType")
                .is_some_and(|c| !text(Some(c)).is_empty())
            {
                out.notes.push(format!(
                    "the Content-Type of its form field {name} is not kept"
                ));
            }
            parts.push(Part {
                name,
                value: PartValue::Text(text(row.get("value"))),
                enabled: true,
            });
        }
    }
    out.body = Body::Multipart(parts);
    out
}

/// GraphQL goes as Postman's runtime writes it: `{"query":…,"operationName":…,
/// "variables":…}` with the variables' text put in as written (it is already JSON), and
/// empty variables left out.
fn graphql(gql: Option<&Value>) -> Read {
    let mut fields = Vec::new();
    for key in ["query", "operationName"] {
        if let Some(Value::String(s)) = gql.and_then(|g| g.get(key)) {
            fields.push(format!("\"{key}\":{}", Value::String(s.clone())));
        }
    }
    match gql.and_then(|g| g.get("variables")) {
        Some(Value::String(s)) if !s.is_empty() => fields.push(format!("\"variables\":{s}")),
        Some(Value::String(_)) | Some(Value::Null) | None => {}
        Some(other) => fields.push(format!("\"variables\":{other}")),
    }
    let text = format!("{{{}}}", fields.join(","));
    // Variables that are not JSON are sent as written, as Postman sends them.
    if is_json(&text) {
        return Read {
            body: Body::Json(text),
            ..Read::default()
        };
    }
    Read {
        body: Body::Raw(text),
        content_type: Some("application/json"),
        notes: vec!["its GraphQL variables are not JSON; the body is sent as written".into()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn raw_json_with_variables_is_json() {
        let r = read(Some(
            &json!({"mode": "raw", "raw": "{\"n\": {{count}}, \"s\": \"{{s}}\"}",
            "options": {"raw": {"language": "json"}}}),
        ));
        assert_eq!(
            r.body,
            Body::Json("{\"n\": {{count}}, \"s\": \"{{s}}\"}".into())
        );
        let r = read(Some(&json!({"mode": "raw", "raw": "{not json",
            "options": {"raw": {"language": "json"}}})));
        assert_eq!(r.body, Body::Raw("{not json".into()));
        assert_eq!(r.content_type, Some("application/json"));
        let r = read(Some(
            &json!({"mode": "raw", "raw": "<a/>", "options": {"raw": {"language": "xml"}}}),
        ));
        assert_eq!(r.content_type, Some("application/xml"));
    }

    #[test]
    fn disabled_rows_are_dropped() {
        let r = read(Some(&json!({"mode": "urlencoded", "urlencoded": [
            {"key": "a", "value": "1"}, {"key": "b", "value": "2", "disabled": true}]})));
        assert_eq!(r.body, Body::Form(vec![Row::new("a", "1")]));
        let r = read(Some(&json!({"mode": "formdata", "formdata": [
            {"key": "t", "value": "x", "type": "text"},
            {"key": "f", "type": "file", "src": ["a.txt", "b.txt"]},
            {"key": "off", "value": "x", "type": "text", "disabled": true}]})));
        let Body::Multipart(parts) = r.body else {
            panic!("multipart")
        };
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2].value, PartValue::File("b.txt".into()));
    }

    #[test]
    fn graphql_is_sent_as_json() {
        let r = read(Some(&json!({"mode": "graphql", "graphql": {
            "query": "query { me { id } }", "variables": "{\"a\": 1}"}})));
        let Body::Json(text) = r.body else {
            panic!("json")
        };
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"query": "query { me { id } }", "variables": {"a": 1}})
        );
    }
}
