//! HTTPie-style request items: `Header:value`, `param==value`, `field=value` (a JSON string),
//! `field:=json` (raw JSON) and `@file` (the body).

use serde_json::{Map, Value};

use crate::http::{Body, Request, Row};

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Header(String, String),
    Query(String, String),
    Field(String, Value),
    BodyFile(String),
}

/// Parses one item; the error is one sentence naming it.
pub fn parse(item: &str) -> Result<Item, String> {
    if let Some(path) = item.strip_prefix('@') {
        return Ok(Item::BodyFile(path.to_string()));
    }
    // The earliest separator wins; at the same place, the longer one (`:=` over `:`).
    let found = [":=", "==", "=", ":"]
        .iter()
        .filter_map(|sep| item.find(sep).map(|at| (at, *sep)))
        .min_by_key(|&(at, sep)| (at, std::cmp::Reverse(sep.len())));
    let Some((at, sep)) = found else {
        return Err(format!(
            "\"{item}\" is not a request item: use Header:value, param==value, field=value, field:=json or @file"
        ));
    };
    let (name, value) = (&item[..at], &item[at + sep.len()..]);
    if name.is_empty() {
        return Err(format!("\"{item}\" has no name before \"{sep}\""));
    }
    Ok(match sep {
        ":=" => Item::Field(
            name.into(),
            serde_json::from_str(value)
                .map_err(|e| format!("the value of {name}:= is not JSON: {e}"))?,
        ),
        "==" => Item::Query(name.into(), value.into()),
        "=" => Item::Field(name.into(), Value::String(value.into())),
        _ => Item::Header(name.into(), value.trim_start().into()),
    })
}

/// Adds the items to `req`: JSON fields become one JSON object body.
pub fn apply(req: &mut Request, items: &[Item]) -> Result<(), String> {
    let mut fields = Map::new();
    for item in items {
        match item {
            Item::Header(n, v) => req.headers.push(Row::new(n, v)),
            Item::Query(n, v) => req.query.push(Row::new(n, v)),
            Item::Field(n, v) => {
                fields.insert(n.clone(), v.clone());
            }
            Item::BodyFile(path) => req.body = Body::File(path.into()),
        }
    }
    if !fields.is_empty() {
        if !matches!(req.body, Body::None) {
            return Err("give the body either as fields or as a file/data, not both".into());
        }
        let text =
            serde_json::to_string_pretty(&Value::Object(fields)).map_err(|e| e.to_string())?;
        req.body = Body::Json(text);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            parse("q==a=b").unwrap(),
            Item::Query("q".into(), "a=b".into())
        );
        assert_eq!(
            parse("name=Ada:L").unwrap(),
            Item::Field("name".into(), "Ada:L".into())
        );
        assert_eq!(
            parse("n:=[1,2]").unwrap(),
            Item::Field("n".into(), serde_json::json!([1, 2]))
        );
        assert_eq!(parse("@b.json").unwrap(), Item::BodyFile("b.json".into()));
        assert!(parse("nothing").unwrap_err().contains("nothing"));
        assert!(parse("n:={bad").unwrap_err().contains("not JSON"));
        assert!(parse("=x").is_err());
    }

    #[test]
    fn fields_make_a_json_body() {
        let mut req = Request::new("POST", "http://h/");
        let items = [
            parse("a=1").unwrap(),
            parse("b:=2").unwrap(),
            parse("X:y").unwrap(),
        ];
        apply(&mut req, &items).unwrap();
        assert_eq!(
            req.body,
            Body::Json("{\n  \"a\": \"1\",\n  \"b\": 2\n}".into())
        );
        assert_eq!(req.header_value("x"), Some("y"));
    }
}
