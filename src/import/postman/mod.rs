//! `apiward import postman`: a Postman Collection v2.0 or v2.1 and its environment files read
//! into requests (one `.http` file per top-level folder, deeper folders as name prefixes),
//! environments and secrets. Auth is inherited from collection to folder to request as
//! Postman does it; scripts are kept as comments and not run.

mod auth;
mod body;

use serde_json::Value;

use super::collection::{
    BadInput, Imported, Names, Secrets, bad, final_newline_note, script_comment, slug,
};
use crate::http::model::{Auth, Request, Row};
use crate::http::redact::is_secret_field;
use crate::http::sensitive::is_secret_param;
use crate::http::vars::Redactor;
use crate::http::workspace::SHARED_ENV;

use auth::Level;

/// Methods whose body Postman drops unless the request sets `disableBodyPruning`.
const PRUNED: &[&str] = &["GET", "COPY", "HEAD", "PURGE", "UNLOCK"];

/// Postman's dynamic variables that apiward spells another way.
const DYNAMIC: &[(&str, &str)] = &[("{{$randomUUID}}", "{{$uuid}}")];

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

fn disabled(v: &Value) -> bool {
    v.get("disabled").and_then(Value::as_bool).unwrap_or(false)
}

/// The collection as JSON, refused in one sentence when it is none of the versions read.
fn parse(text: &str) -> Result<Value, BadInput> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "the collection is not JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    if v.get("_postman_variable_scope").is_some() || v.get("values").is_some() {
        return Err(bad(
            "this is a Postman environment, not a collection: pass it with --env FILE beside \
             the collection",
        ));
    }
    if v.get("requests").is_some() && v.get("info").is_none() {
        return Err(bad(
            "this is a Postman Collection v1, which apiward does not read: export it from \
             Postman again as Collection v2.1",
        ));
    }
    let schema = v.pointer("/info/schema").and_then(Value::as_str);
    match schema {
        Some(s) if s.contains("/v2.0.") || s.contains("/v2.1.") => Ok(v),
        Some(s) => Err(bad(format!(
            "the collection's schema is {s}; apiward reads Postman Collection v2.0 and v2.1"
        ))),
        None => Err(bad(
            "this is not a Postman collection (it has no info.schema); apiward reads Postman \
             Collection v2.0 and v2.1",
        )),
    }
}

/// A Postman environment file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    pub name: String,
    pub values: Vec<EnvValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnvValue {
    pub key: String,
    pub value: String,
    /// Typed secret by Postman, or named like one.
    pub secret: bool,
}

/// A Postman environment file: its name and values (disabled ones left out), each secret
/// when Postman types it so or its name says so.
pub fn environment(text: &str) -> Result<Environment, BadInput> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "the environment is not JSON (line {}): {e}",
            e.line()
        ))
    })?;
    let Some(values) = v.get("values").and_then(Value::as_array) else {
        return Err(bad(
            "this is not a Postman environment (it has no values list)",
        ));
    };
    let name = match text_of(&v, "name") {
        n if n.is_empty() => "postman".to_string(),
        n => n,
    };
    let redactor = Redactor::default();
    let values = values
        .iter()
        .filter(|r| r.get("enabled").and_then(Value::as_bool) != Some(false))
        .map(|r| {
            let key = text_of(r, "key");
            let secret = r.get("type").and_then(Value::as_str) == Some("secret")
                || is_secret_name(&key, &redactor);
            EnvValue {
                key,
                value: text_of(r, "value"),
                secret,
            }
        })
        .filter(|v| !v.key.is_empty())
        .collect();
    Ok(Environment { name, values })
}

/// A variable whose name says it holds a secret, by the body-field names and the query
/// parameter names the redactor knows (`searchKey`, `adminPassword`, `client_secret`): an
/// environment value is better kept private too often than too rarely.
fn is_secret_name(name: &str, redactor: &Redactor) -> bool {
    is_secret_field(name, redactor) || is_secret_param(name)
}

fn text_of(v: &Value, key: &str) -> String {
    text(v.get(key))
}

/// Reads the collection `json` (from `source`, named atop each file) and the environments
/// read by [`environment`].
pub fn import(
    source: &str,
    json: &str,
    environments: &[Environment],
) -> Result<Imported, BadInput> {
    let v = parse(json)?;
    let name = text(v.pointer("/info/name"));
    let mut walk = Walk {
        out: Imported::new(source),
        ..Walk::default()
    };
    let top = slug(&name);
    let redactor = Redactor::default();
    for var in v
        .get("variable")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = text_of(var, "key");
        if disabled(var) || key.is_empty() {
            continue;
        }
        let secret = var.get("type").and_then(Value::as_str) == Some("secret")
            || is_secret_name(&key, &redactor);
        walk.value(SHARED_ENV, &key, &text_of(var, "value"), secret);
    }
    for env in environments {
        for v in &env.values {
            walk.value(&env.name, &v.key, &v.value, v.secret);
        }
    }
    let root_auth = walk.auth(v.get("auth"), &Auth::None, &top);
    let collection_scripts = walk.scripts(&v, "collection");
    let mut pending = collection_scripts.clone();
    for item in v
        .get("item")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if item.get("item").is_some() {
            // A top-level folder is a file of its own, which carries the collection's
            // scripts on its first request.
            let stem = slug(&text_of(item, "name"));
            let mut inherited = collection_scripts.clone();
            walk.folder(item, &stem, &[], &root_auth, &stem, &mut inherited);
        } else {
            walk.request(item, &top, &[], &root_auth, &mut pending);
        }
    }
    if walk.out.plan.request_count() == 0 {
        return Err(bad("the collection holds no requests"));
    }
    if walk.scripts_kept > 0 {
        walk.out.plan.warnings.push(format!(
            "{} Postman script(s) are kept as comments and not run: apiward runs no JavaScript",
            walk.scripts_kept
        ));
    }
    let Walk {
        mut out, secrets, ..
    } = walk;
    secrets.into_imported(&mut out);
    // The plan compares an environment's values with what a send in it would see, `$shared`
    // included: the named environments go first, so a collection variable that an
    // environment file also sets does not hide the environment's own value.
    out.plan.environments.sort_by_key(|e| e.name == SHARED_ENV);
    Ok(out)
}

#[derive(Default)]
struct Walk {
    out: Imported,
    names: Names,
    prefixes: Names,
    secrets: Secrets,
    scripts_kept: usize,
    /// The note of the auth read last, for a request's own comments.
    last_auth_note: Option<String>,
}

impl Walk {
    /// A variable of the collection or an environment: a secret one goes to the private env
    /// file with its value, the others to `http-client.env.json`.
    fn value(&mut self, env: &str, name: &str, value: &str, secret: bool) {
        match secret {
            true => self.out.secret(env, name, value),
            false => self.out.plan.env_value(env, name, value),
        }
    }

    /// The auth of one level, its literal secrets moved to variables named from `prefix`;
    /// what could not be carried over is a warning (and [`Self::last_auth_note`]).
    fn auth(&mut self, auth: Option<&Value>, parent: &Auth, prefix: &str) -> Auth {
        self.last_auth_note = None;
        let prefix = self.prefixes.unique(&prefix.replace(['-', '.'], "_"));
        let token_var = format!("{prefix}_access_token");
        match auth::level(auth, &token_var) {
            Level::Inherit => parent.clone(),
            Level::Set(auth, note) => {
                if let Some(note) = note {
                    if note.contains(&format!("{{{{{token_var}}}}}")) {
                        self.out.plan.secret(&token_var);
                    }
                    self.out.plan.warnings.push(format!("{prefix}: {note}"));
                    self.last_auth_note = Some(note);
                }
                let mut holder = Request {
                    auth,
                    ..Request::default()
                };
                self.secrets.extract(&mut holder, &prefix);
                holder.auth
            }
        }
    }

    /// A level's scripts as comment lines.
    fn scripts(&mut self, item: &Value, level: &str) -> Vec<String> {
        let mut out = Vec::new();
        for event in item
            .get("event")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if disabled(event) {
                continue;
            }
            let code = match event.pointer("/script/exec") {
                Some(Value::Array(lines)) => lines
                    .iter()
                    .map(|l| text(Some(l)))
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => text(other),
            };
            if code.trim().is_empty() {
                continue;
            }
            let kind = match event.get("listen").and_then(Value::as_str) {
                Some("prerequest") => "pre-request script",
                Some("test") => "test script",
                _ => "script",
            };
            out.extend(script_comment(
                &format!("Postman {kind} of the {level}"),
                &code,
            ));
            self.scripts_kept += 1;
        }
        out
    }

    fn folder(
        &mut self,
        folder: &Value,
        file: &str,
        path: &[String],
        parent_auth: &Auth,
        prefix: &str,
        pending: &mut Vec<String>,
    ) {
        let name = text_of(folder, "name");
        let auth = self.auth(folder.get("auth"), parent_auth, prefix);
        pending.extend(self.scripts(folder, &format!("folder {name}")));
        for item in folder
            .get("item")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if item.get("item").is_some() {
                let mut inner = path.to_vec();
                inner.push(slug(&text_of(item, "name")));
                let inner_prefix = format!("{prefix}_{}", inner.last().map_or("", |s| s));
                self.folder(item, file, &inner, &auth, &inner_prefix, pending);
            } else {
                self.request(item, file, path, &auth, pending);
            }
        }
    }

    fn request(
        &mut self,
        item: &Value,
        file: &str,
        path: &[String],
        parent_auth: &Auth,
        pending: &mut Vec<String>,
    ) {
        let mut own = path.to_vec();
        own.push(slug(&text_of(item, "name")));
        let name = self.names.unique(&own.join("."));
        let Some(r) = item.get("request") else {
            return;
        };
        let mut comments = std::mem::take(pending);
        let mut notes = Vec::new();
        // v2 allows a request to be only its URL.
        let (method, url) = match r {
            Value::String(url) => ("GET".to_string(), url.clone()),
            _ => (
                match text_of(r, "method") {
                    m if m.is_empty() => "GET".to_string(),
                    m => m.to_ascii_uppercase(),
                },
                url(r.get("url")),
            ),
        };
        let mut req = Request::new(&method, &url);
        req.name = name.clone();
        req.headers = headers(r.get("header"));
        req.auth = self.auth(r.get("auth"), parent_auth, &name);
        comments.extend(self.last_auth_note.take());
        let read = body::read(r.get("body"));
        notes.extend(read.notes);
        let keep_body = !PRUNED.contains(&method.as_str())
            || item
                .pointer("/protocolProfileBehavior/disableBodyPruning")
                .and_then(Value::as_bool)
                == Some(true);
        if keep_body {
            notes.extend(final_newline_note(&read.body));
            req.body = read.body;
            if let Some(ct) = read.content_type
                && req.header_value("content-type").is_none()
            {
                req.headers.push(Row::new("Content-Type", ct));
            }
        } else if read.body != crate::http::model::Body::None {
            notes.push(format!(
                "its body is left out, as Postman leaves it out of a {method} request"
            ));
        }
        if item
            .pointer("/protocolProfileBehavior/strictSSL")
            .and_then(Value::as_bool)
            == Some(false)
        {
            req.options.verify_tls = false;
        }
        rename_dynamic(&mut req);
        comments.extend(self.scripts(item, &format!("request {name}")));
        self.secrets
            .extract(&mut req, &name.replace(['-', '.'], "_"));
        notes.extend(self.secrets.mask_leftovers(&mut req));
        for note in notes {
            comments.push(note.clone());
            self.out.plan.warnings.push(format!("{name}: {note}"));
        }
        self.out.plan.add(file, req, comments);
    }
}

/// Postman's `{{$randomUUID}}` as apiward's `{{$uuid}}`, wherever it stands.
fn rename_dynamic(req: &mut Request) {
    if let Ok(text) = serde_json::to_string(req) {
        let mut renamed = text.clone();
        for (from, to) in DYNAMIC {
            renamed = renamed.replace(from, to);
        }
        if renamed != text
            && let Ok(r) = serde_json::from_str(&renamed)
        {
            *req = r;
        }
    }
}

/// The enabled headers: v2.1 rows, or v2.0's `Name: value` lines.
fn headers(v: Option<&Value>) -> Vec<Row> {
    match v {
        Some(Value::Array(rows)) => rows
            .iter()
            .filter(|r| !disabled(r))
            .map(|r| Row::new(&text_of(r, "key"), &text_of(r, "value")))
            .filter(|r| !r.name.is_empty())
            .collect(),
        Some(Value::String(lines)) => lines
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| Row::new(n.trim(), v.trim()))
            .filter(|r| !r.name.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// The URL Postman sends: the enabled query rows only, path variables (`:id`) filled.
fn url(v: Option<&Value>) -> String {
    let obj = match v {
        Some(Value::String(s)) => return s.clone(),
        Some(obj @ Value::Object(_)) => obj,
        _ => return String::new(),
    };
    let raw = text_of(obj, "raw");
    let mut base = match raw.split_once('?') {
        Some((b, _)) => b.to_string(),
        None if !raw.is_empty() => raw.split('#').next().unwrap_or("").to_string(),
        None => built(obj),
    };
    for var in obj
        .get("variable")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (key, value) = (text_of(var, "key"), text_of(var, "value"));
        if key.is_empty() || value.is_empty() {
            continue;
        }
        let segment = format!(":{key}");
        base = base
            .split('/')
            .map(|s| if s == segment { value.as_str() } else { s })
            .collect::<Vec<_>>()
            .join("/");
    }
    let query: Vec<String> = match obj.get("query").and_then(Value::as_array) {
        Some(rows) => rows
            .iter()
            .filter(|r| !disabled(r))
            .map(|r| match r.get("value") {
                None | Some(Value::Null) => text_of(r, "key"),
                value => format!("{}={}", text_of(r, "key"), text(value)),
            })
            .collect(),
        // No rows: the raw URL's own query, if any.
        None => raw
            .split_once('?')
            .map(|(_, q)| q.split('#').next().unwrap_or("").to_string())
            .filter(|q| !q.is_empty())
            .into_iter()
            .collect(),
    };
    if query.is_empty() {
        base
    } else {
        format!("{base}?{}", query.join("&"))
    }
}

/// A URL from its parts, for a collection that gives no `raw`.
fn built(obj: &Value) -> String {
    let join = |key: &str, sep: &str| match obj.get(key) {
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| match p {
                Value::Object(_) => text_of(p, "value"),
                other => text(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(sep),
        other => text(other),
    };
    let mut out = String::new();
    let protocol = text_of(obj, "protocol");
    if !protocol.is_empty() {
        out.push_str(&protocol);
        out.push_str("://");
    }
    out.push_str(&join("host", "."));
    let port = text_of(obj, "port");
    if !port.is_empty() {
        out.push(':');
        out.push_str(&port);
    }
    let path = join("path", "/");
    if !path.is_empty() {
        out.push('/');
        out.push_str(path.trim_start_matches('/'));
    }
    out
}

#[cfg(test)]
mod tests;
