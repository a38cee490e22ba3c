//! Request variables, as REST Client chains requests: `# @name login` on one request, and
//! `{{login.response.body.$.token}}`, `{{login.response.body.token}}` or
//! `{{login.response.headers.Location}}` in a later one of the same file (directly or through
//! a `@var` line). Before such a request is sent, the named ones it needs are sent, in order,
//! and the values their responses gave are passed on as variables.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::http::history::History;
use crate::http::model::{Auth, Body, JwtKey, PartValue, Request};
use crate::http::prepare::{Prepared, prepare};
use crate::http::response::Response;
use crate::http::vars::{Vars, request_of};
use crate::http::workspace::{Stored, Workspace, WorkspaceError};

#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("{{{{{reference}}}}} names the request \"{request}\", which {} does not hold", file.display())]
    NoRequest {
        reference: String,
        request: String,
        file: std::path::PathBuf,
    },
    #[error("the requests {0} need each other's responses: none can be sent first")]
    Cycle(String),
    #[error("\"{request}\", sent first for its response, could not be sent: {message}")]
    Failed { request: String, message: String },
    #[error("{{{{{reference}}}}}: {why}")]
    NoValue { reference: String, why: String },
}

impl crate::error_kind::Kind for ChainError {
    /// A request sent first that could not be sent failed on the network; the rest is the
    /// workspace as written.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            ChainError::Failed { .. } => crate::error_kind::ExitKind::Failure,
            _ => crate::error_kind::ExitKind::BadInput,
        }
    }
}

/// The request variables `req` uses, directly or through its file's `@var` lines, in the
/// order they first appear.
pub fn references(req: &Request, file_vars: &[(String, String)]) -> Vec<String> {
    let vars: BTreeMap<&str, &str> = file_vars
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = texts(req).iter().flat_map(|t| names(t)).collect();
    todo.reverse();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if request_of(&name).is_some() {
            out.push(name);
        } else if let Some(value) = vars.get(name.as_str()) {
            // In the order written: a stack takes the first name last, so push reversed.
            todo.extend(names(value).into_iter().rev());
        }
    }
    out
}

/// Every `{{name}}` in `text`, trimmed.
fn names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    out
}

/// Every text of a request that variables may appear in.
fn texts(req: &Request) -> Vec<&str> {
    let mut out = vec![req.method.as_str(), req.url.as_str()];
    for row in req.query.iter().chain(&req.headers).filter(|r| r.enabled) {
        out.extend([row.name.as_str(), row.value.as_str()]);
    }
    match &req.auth {
        Auth::None => {}
        Auth::Basic { username, password } | Auth::Digest { username, password } => {
            out.extend([username.as_str(), password.as_str()])
        }
        Auth::Bearer { token } => out.push(token),
        Auth::ApiKey { name, value, .. } => out.extend([name.as_str(), value.as_str()]),
        Auth::Jwt { key, claims, .. } => {
            out.push(claims);
            if let JwtKey::Secret(secret) = key {
                out.push(secret);
            }
        }
    }
    match &req.body {
        Body::None | Body::File(_) => {}
        Body::Json(text) | Body::Raw(text) => out.push(text),
        Body::Form(rows) => {
            for row in rows.iter().filter(|r| r.enabled) {
                out.extend([row.name.as_str(), row.value.as_str()]);
            }
        }
        Body::Multipart(parts) => {
            for part in parts.iter().filter(|p| p.enabled) {
                out.push(&part.name);
                if let PartValue::Text(text) = &part.value {
                    out.push(text);
                }
            }
        }
    }
    out
}

/// What a chained send needs besides the request.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    /// The environment to send the earlier requests with.
    pub env: Option<&'a str>,
    /// Values given on the command line (`--var`), which win over every other.
    pub given: &'a [(String, String)],
    /// Where the earlier sends are recorded, as any send is.
    pub history: Option<&'a History>,
}

/// `stored`'s variables with the value of every request variable it uses: the named requests
/// of its file that it needs are sent first, each once, in order (one that needs another has
/// that one sent before it). `note` is told of each, before it goes.
pub async fn resolve(
    cx: &Context<'_>,
    stored: &Stored,
    note: &mut (dyn FnMut(&str) + Send),
) -> Result<Vec<(String, String)>, ChainError> {
    if references(&stored.request, &stored.file_vars).is_empty() {
        return Ok(stored.file_vars.clone());
    }
    let (all, _) = cx.ws.requests_and_problems()?;
    let file: Vec<&Stored> = all.iter().filter(|s| s.path == stored.path).collect();
    let mut sent = BTreeMap::new();
    let mut values = Vec::new();
    let mut chain = vec![stored.request.name.clone()];
    needs(cx, stored, &file, &mut sent, &mut values, &mut chain, note).await?;
    let mut out = stored.file_vars.clone();
    out.extend(values);
    Ok(out)
}

/// [`resolve`] on a runtime of its own, for a caller that has none (the CLI).
pub fn resolve_blocking(
    cx: &Context<'_>,
    stored: &Stored,
    note: &mut (dyn FnMut(&str) + Send),
) -> Result<Vec<(String, String)>, ChainError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ChainError::Failed {
            request: stored.request.name.clone(),
            message: e.to_string(),
        })?;
    runtime.block_on(resolve(cx, stored, note))
}

/// What was sent, by request name.
type Sent = BTreeMap<String, (Prepared, Response)>;

/// Sends what `stored` needs that was not sent yet, and adds the values of its references.
fn needs<'a>(
    cx: &'a Context<'a>,
    stored: &'a Stored,
    file: &'a [&'a Stored],
    sent: &'a mut Sent,
    values: &'a mut Vec<(String, String)>,
    chain: &'a mut Vec<String>,
    note: &'a mut (dyn FnMut(&str) + Send),
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ChainError>> + Send + 'a>> {
    Box::pin(async move {
        for reference in references(&stored.request, &stored.file_vars) {
            let name = request_of(&reference).unwrap_or_default().to_string();
            if !sent.contains_key(&name) {
                if chain.contains(&name) {
                    chain.push(name);
                    return Err(ChainError::Cycle(chain.join(" → ")));
                }
                let earlier = file
                    .iter()
                    .find(|s| s.request.name == name)
                    .ok_or_else(|| ChainError::NoRequest {
                        reference: reference.clone(),
                        request: name.clone(),
                        file: stored.path.clone(),
                    })?;
                chain.push(name.clone());
                needs(cx, earlier, file, sent, values, chain, note).await?;
                chain.pop();
                note(&format!(
                    "sending \"{name}\" first: {{{{{reference}}}}} needs its response"
                ));
                let exchange = send(cx, earlier, values).await?;
                sent.insert(name.clone(), exchange);
            }
            if !values.iter().any(|(n, _)| *n == reference) {
                let (prepared, response) = &sent[&name];
                let value =
                    extract(&reference, prepared, response).map_err(|why| ChainError::NoValue {
                        reference: reference.clone(),
                        why,
                    })?;
                values.push((reference, value));
            }
        }
        Ok(())
    })
}

/// Sends one earlier request with the values found so far.
async fn send(
    cx: &Context<'_>,
    stored: &Stored,
    values: &[(String, String)],
) -> Result<(Prepared, Response), ChainError> {
    let name = stored.request.name.clone();
    let failed = |message: String| ChainError::Failed {
        request: name.clone(),
        message,
    };
    let mut file_vars = stored.file_vars.clone();
    file_vars.extend(values.iter().cloned());
    let mut vars: Vars = cx.ws.vars(cx.env, &file_vars)?;
    for (n, v) in cx.given {
        vars.set(n, v, false);
    }
    let base = stored.path.parent().map(Path::to_path_buf);
    let prepared =
        prepare(&stored.request, &vars, base.as_deref()).map_err(|e| failed(e.to_string()))?;
    let (result, _history_error) =
        crate::http::task::run(&stored.request, &prepared, cx.history, None).await;
    let exchange = result.map_err(|e| failed(prepared.redactor.redact(&e.to_string())))?;
    Ok((prepared, exchange.response))
}

/// The value `reference` names in an exchange: `NAME.(response|request).(body|headers).PATH`.
fn extract(reference: &str, prepared: &Prepared, response: &Response) -> Result<String, String> {
    let rest = reference.split_once('.').map_or("", |(_, r)| r);
    let (side, rest) = rest.split_once('.').unwrap_or((rest, ""));
    let (part, path) = rest.split_once('.').unwrap_or((rest, ""));
    let (headers, body): (Vec<(&str, &str)>, &[u8]) = match side {
        "response" => (
            (response.headers.iter())
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect(),
            &response.body,
        ),
        _ => (
            (prepared.headers.iter())
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect(),
            &prepared.body,
        ),
    };
    match part {
        "headers" => {
            let found: Vec<&str> = (headers.iter())
                .filter(|(n, _)| n.eq_ignore_ascii_case(path))
                .map(|(_, v)| *v)
                .collect();
            match found.is_empty() {
                true => Err(format!("the {side} has no {path} header")),
                false => Ok(found.join(", ")),
            }
        }
        "body" if path.is_empty() || path == "*" => Ok(String::from_utf8_lossy(body).into_owned()),
        "body" if path.starts_with('/') => {
            Err("XPath on XML bodies is not supported; use a JSONPath on a JSON body".into())
        }
        "body" => {
            let json: serde_json::Value =
                serde_json::from_slice(body).map_err(|_| format!("the {side} body is not JSON"))?;
            let path = match path.starts_with('$') {
                true => path.to_string(),
                false => format!("$.{path}"),
            };
            let found = json_path(&json, &path)
                .ok_or_else(|| format!("the {side} body has nothing at {path}"))?;
            Ok(match found {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        }
        _ => Err("expected NAME.response.body.PATH or NAME.response.headers.NAME".into()),
    }
}

/// The JSONPath subset request variables use: `$`, `.key`, `['key']`, `["key"]`, `[n]`.
fn json_path<'a>(value: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut at = value;
    let mut rest = path.strip_prefix('$')?;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            at = at.get(&after[..end])?;
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let key = &after[..end];
            at = match key.trim_matches(['\'', '"']) {
                quoted if quoted.len() != key.len() => at.get(quoted)?,
                index => at.get(index.parse::<usize>().ok()?)?,
            };
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::model::Row;

    #[test]
    fn references_are_found_directly_and_through_file_variables() {
        let mut req = Request::new("GET", "{{base}}/items/{{created.response.body.$.id}}");
        req.headers.push(Row::new("Authorization", "{{auth}}"));
        req.headers
            .push(Row::new("X-Off", "{{other.response.body.x}}").disabled());
        let vars = [
            ("base".to_string(), "http://x".to_string()),
            (
                "auth".to_string(),
                "Bearer {{login.response.body.token}} {{base}}".to_string(),
            ),
        ];
        assert_eq!(
            references(&req, &vars),
            ["created.response.body.$.id", "login.response.body.token"]
        );
        assert!(references(&Request::new("GET", "{{base}}"), &vars).is_empty());
    }

    #[test]
    fn json_paths() {
        let v = serde_json::json!({"a": {"b": [10, {"c": "deep"}]}, "k-1": true});
        assert_eq!(json_path(&v, "$.a.b[0]"), Some(&serde_json::json!(10)));
        assert_eq!(
            json_path(&v, "$.a.b[1].c"),
            Some(&serde_json::json!("deep"))
        );
        assert_eq!(json_path(&v, "$['k-1']"), Some(&serde_json::json!(true)));
        assert_eq!(json_path(&v, "$[\"a\"].b[5]"), None);
        assert_eq!(json_path(&v, "$"), Some(&v));
        assert_eq!(json_path(&v, "a"), None);
    }
}
