//! Request bodies as the editors write them: JSON, forms, multipart, `< file`, `<@ file`
//! (the file with its `{{variables}}` filled) and GraphQL.

use std::path::PathBuf;

use crate::http::model::{Body, Part, PartValue, Request, Row};

/// The variable a `<@ ./file` body is kept as: `{{<@ ./file}}`. Loading the workspace defines
/// it as the file's text (`Workspace::requests`), so sending fills the variables in that text
/// as both editors do; the writer turns it back into the `<@` line.
pub const INCLUDE: &str = "<@";

/// `{{<@ ./file}}` for a body that is only a `<@ ./file` line.
fn include_marker(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.contains('\n') && t.starts_with(INCLUDE)).then(|| format!("{{{{{t}}}}}"))
}

/// The `<@ ./file` line of a body kept as its marker, for the writer.
pub fn include_line(text: &str) -> Option<&str> {
    text.strip_prefix("{{")?
        .strip_suffix("}}")
        .filter(|t| t.starts_with(INCLUDE) && !t.contains('\n'))
}

/// The file a `<@ ./file` (or `<@latin1 ./file`) line names, and its encoding if given.
pub fn include_path(line: &str) -> Option<(&str, Option<&str>)> {
    let rest = line.strip_prefix(INCLUDE)?;
    if rest.starts_with(char::is_whitespace) {
        return Some((rest.trim(), None));
    }
    let (encoding, path) = rest.split_once(char::is_whitespace)?;
    Some((path.trim(), Some(encoding)))
}

/// JetBrains writes `GRAPHQL URL`; REST Client a POST with `X-Request-Type: GraphQL`.
fn is_graphql(req: &Request) -> bool {
    req.method.eq_ignore_ascii_case("graphql")
        || req
            .header_value("x-request-type")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("graphql"))
}

/// A GraphQL query, then optionally a blank line and its variables as JSON, sent as both
/// editors send it: `POST` with `{"query": …, "variables": …}`, compact, the variables `{}`
/// when there are none (REST Client's `JSON.stringify`). Variables that only parse once their
/// `{{variables}}` are filled (`"n": {{n}}`) are kept as written.
fn graphql(req: &mut Request, text: &str) -> Body {
    req.method = "POST".into();
    req.headers
        .retain(|r| !r.name.eq_ignore_ascii_case("x-request-type"));
    let text = text.trim_end();
    // The variables are the last paragraph, when it is a JSON object.
    let split = text
        .match_indices("\n\n")
        .map(|(i, _)| i)
        .filter(|&i| {
            let rest = text[i..].trim();
            !text[..i].trim().is_empty() && rest.starts_with('{') && rest.ends_with('}')
        })
        .last();
    let (query, variables) = match split {
        Some(i) => (text[..i].trim(), text[i..].trim()),
        None => (text.trim(), "{}"),
    };
    let query = serde_json::Value::String(query.to_string()).to_string();
    let variables = serde_json::from_str::<serde_json::Value>(variables)
        .map_or_else(|_| variables.to_string(), |v| v.to_string());
    Body::Json(format!("{{\"query\":{query},\"variables\":{variables}}}"))
}

/// The body, by directive, else guessed from its form and the Content-Type header.
pub(super) fn make(
    req: &mut Request,
    kind: Option<&str>,
    text: String,
    off_form: Vec<Row>,
) -> Body {
    if kind.is_none() && is_graphql(req) {
        return graphql(req, &text);
    }
    let content_type = req
        .header_value("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let file = text
        .trim()
        .strip_prefix("< ")
        .map(|p| PathBuf::from(p.trim()));
    // A `<@ ./file` body keeps its kind: JSON by directive or Content-Type, else raw.
    if let Some(marker) = include_marker(&text)
        && matches!(kind, None | Some("json") | Some("raw"))
    {
        let json = kind == Some("json") || kind.is_none() && content_type.contains("json");
        return match json {
            true => Body::Json(marker),
            false => Body::Raw(marker),
        };
    }
    let kind = match kind {
        Some(kind) => kind,
        None if text.trim().is_empty() => return Body::None,
        None if file.is_some() && !text.trim().contains('\n') => "file",
        None if content_type.contains("json") => "json",
        None if content_type.starts_with("application/x-www-form-urlencoded") => "form",
        None if content_type.starts_with("multipart/form-data") => {
            // apiward writes its own boundary, so the hand-written header must go.
            req.headers
                .retain(|r| !r.name.eq_ignore_ascii_case("content-type"));
            "multipart"
        }
        None => "raw",
    };
    match kind {
        "json" => Body::Json(text),
        "file" => Body::File(file.unwrap_or_default()),
        "form" => {
            let joined: String = text.lines().map(str::trim).collect();
            let mut rows: Vec<Row> = form_urlencoded::parse(joined.as_bytes())
                .map(|(n, v)| Row::new(&n, &v))
                .collect();
            rows.extend(off_form);
            Body::Form(rows)
        }
        "multipart" => Body::Multipart(multipart(&text)),
        _ => Body::Raw(text),
    }
}

fn multipart(text: &str) -> Vec<Part> {
    let Some(boundary) = text
        .lines()
        .next()
        .and_then(|l| l.trim().strip_prefix("--"))
    else {
        return Vec::new();
    };
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in text.split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break; // the closing delimiter
        }
        // No part is blank; earlier versions wrote one blank chunk for an empty body.
        if chunk.trim().is_empty() {
            continue;
        }
        let chunk = chunk.trim_start_matches(['\r', '\n']);
        let (head, content) = chunk.split_once("\n\n").unwrap_or((chunk, ""));
        let content = content.strip_suffix('\n').unwrap_or(content);
        let name = attr(head, "name").unwrap_or_default();
        let value = match content.trim().strip_prefix("< ") {
            Some(path) => PartValue::File(PathBuf::from(path.trim())),
            None => PartValue::Text(content.to_string()),
        };
        parts.push(Part {
            name,
            value,
            enabled: true,
        });
    }
    parts
}

/// `name="x"` out of a Content-Disposition line.
fn attr(head: &str, key: &str) -> Option<String> {
    let needle = format!(" {key}=\"");
    let start = head.find(&needle)? + needle.len();
    let end = head[start..].find('"')?;
    Some(head[start..start + end].to_string())
}
