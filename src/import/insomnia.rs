//! `apiward import insomnia`: an Insomnia v4 export (`"__export_format": 4`, what Insomnia's
//! *Export Data* writes as JSON) read into one `.http` file per top-level folder, deeper
//! folders as name prefixes; its base environment as `$shared`, sub-environments as
//! environments; Nunjucks `{{ _.name }}` as `{{name}}`; secrets to the private env file.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::collection::{
    BadInput, Imported, Names, Secrets, bad, final_newline_note, is_json, slug,
};
use crate::http::model::{Auth, Body, KeyPlace, Part, PartValue, Request, Row};
use crate::http::redact::is_secret_field;
use crate::http::sensitive::is_secret_param;
use crate::http::vars::Redactor;
use crate::http::workspace::SHARED_ENV;

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

fn field(v: &Value, key: &str) -> String {
    vars(&text(v.get(key)))
}

fn disabled(v: &Value) -> bool {
    v.get("disabled").and_then(Value::as_bool).unwrap_or(false)
}

/// Insomnia's Nunjucks variables as apiward's: `{{ _.base_url }}` and `{{base_url}}` are
/// both `{{base_url}}`. Template tags (`{% response … %}`) are left as written.
pub fn vars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = after[..end].trim();
        let name = name.strip_prefix("_.").unwrap_or(name);
        out.push_str("{{");
        out.push_str(name);
        out.push_str("}}");
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Reads the export `json` (from `source`).
pub fn import(source: &str, json: &str) -> Result<Imported, BadInput> {
    let v: Value = serde_json::from_str(json).map_err(|e| {
        bad(format!(
            "the Insomnia export is not JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    match v.get("__export_format").and_then(Value::as_u64) {
        Some(4) => {}
        Some(other) => {
            return Err(bad(format!(
                "this is an Insomnia export of format {other}; apiward reads format 4 (Insomnia's \
                 JSON export)"
            )));
        }
        None => {
            return Err(bad(
                "this is not an Insomnia v4 export (it has no __export_format); export it from \
                 Insomnia as JSON",
            ));
        }
    }
    let resources = v
        .get("resources")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("the Insomnia export has no resources list"))?;
    let by_id: HashMap<String, &Value> =
        resources.iter().map(|r| (text(r.get("_id")), r)).collect();
    let kind = |r: &Value| text(r.get("_type"));
    let mut out = Imported::new(source);
    let redactor = Redactor::default();

    // The base environment (a workspace's child) is every environment's; its children are the
    // environments to pick from.
    for env in resources.iter().filter(|r| kind(r) == "environment") {
        let parent = by_id.get(&text(env.get("parentId")));
        let base = parent.is_some_and(|p| kind(p) == "workspace");
        let name = if base {
            SHARED_ENV.to_string()
        } else {
            text(env.get("name"))
        };
        let private = env.get("isPrivate").and_then(Value::as_bool) == Some(true);
        for (key, value) in flatten(env.get("data")) {
            if private || is_secret_field(&key, &redactor) || is_secret_param(&key) {
                out.secret(&name, &key, &vars(&value));
            } else {
                out.plan.env_value(&name, &key, &vars(&value));
            }
        }
    }
    out.plan.environments.sort_by_key(|e| e.name == SHARED_ENV);

    let mut walk = Walk {
        names: Names::default(),
        secrets: Secrets::default(),
        template_tags: 0,
    };
    let workspace_name = resources
        .iter()
        .find(|r| kind(r) == "workspace")
        .map(|w| text(w.get("name")))
        .unwrap_or_default();
    for req in resources.iter().filter(|r| kind(r) == "request") {
        // The folders above it, outermost first, and the auth it inherits.
        let mut chain = Vec::new();
        let mut at = text(req.get("parentId"));
        while let Some(parent) = by_id.get(&at).filter(|p| kind(p) == "request_group") {
            chain.insert(0, *parent);
            at = text(parent.get("parentId"));
        }
        let file = match chain.first() {
            Some(top) => slug(&text(top.get("name"))),
            None => slug(&workspace_name),
        };
        let path: Vec<String> = chain
            .iter()
            .skip(1)
            .map(|f| slug(&text(f.get("name"))))
            .collect();
        let (request, notes) = walk.request(req, &chain, &path);
        for note in &notes {
            out.plan.warnings.push(format!("{}: {note}", request.name));
        }
        out.plan.add(&file, request, notes);
    }
    if out.plan.request_count() == 0 {
        return Err(bad("the Insomnia export holds no requests"));
    }
    if walk.template_tags > 0 {
        out.plan.warnings.push(format!(
            "{} request(s) use Insomnia template tags ({{% … %}}), which apiward does not run: \
             replace them with variables",
            walk.template_tags
        ));
    }
    let Walk { secrets, .. } = walk;
    secrets.into_imported(&mut out);
    Ok(out)
}

/// An environment's data as name and text; nested objects as `outer.inner`, which is how
/// Nunjucks reaches them (`{{ _.api.host }}`).
fn flatten(data: Option<&Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let name = match prefix {
                        "" => k.clone(),
                        p => format!("{p}.{k}"),
                    };
                    walk(&name, v, out);
                }
            }
            Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    if let Some(data) = data {
        walk("", data, &mut out);
    }
    out
}

struct Walk {
    names: Names,
    secrets: Secrets,
    template_tags: usize,
}

impl Walk {
    fn request(
        &mut self,
        r: &Value,
        folders: &[&Value],
        path: &[String],
    ) -> (Request, Vec<String>) {
        let mut notes = Vec::new();
        let mut own = path.to_vec();
        own.push(slug(&text(r.get("name"))));
        let name = self.names.unique(&own.join("."));
        let method = match text(r.get("method")).to_ascii_uppercase() {
            m if m.is_empty() => "GET".to_string(),
            m => m,
        };
        let mut url = field(r, "url");
        let query: Vec<String> = rows(r.get("parameters"))
            .into_iter()
            .map(|row| format!("{}={}", row.name, row.value))
            .collect();
        if !query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&query.join("&"));
        }
        let mut req = Request::new(&method, &url);
        req.name = name.clone();
        req.headers = rows(r.get("headers"));
        // The request's own auth, else the nearest folder's.
        let auth = std::iter::once(r)
            .chain(folders.iter().rev().copied())
            .filter_map(|level| level.get("authentication"))
            .find(|a| a.get("type").is_some());
        let prefix = name.replace(['-', '.'], "_");
        if let Some(a) = auth {
            let (auth, note) = auth_of(a);
            req.auth = auth;
            notes.extend(note);
        }
        body(&mut req, r.get("body"));
        notes.extend(final_newline_note(&req.body));
        if r.get("settingFollowRedirects").and_then(Value::as_str) == Some("on") {
            req.options.follow_redirects = true;
        }
        if serde_json::to_string(&req).is_ok_and(|t| t.contains("{%")) {
            self.template_tags += 1;
            notes.push(
                "it uses an Insomnia template tag ({% … %}), which is sent as written".into(),
            );
        }
        self.secrets.extract(&mut req, &prefix);
        notes.extend(self.secrets.mask_leftovers(&mut req));
        (req, notes)
    }
}

/// The enabled `{name, value}` rows, variables rewritten.
fn rows(v: Option<&Value>) -> Vec<Row> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|r| !disabled(r))
        .map(|r| Row::new(&field(r, "name"), &field(r, "value")))
        .filter(|r| !r.name.is_empty())
        .collect()
}

fn auth_of(a: &Value) -> (Auth, Option<String>) {
    if disabled(a) {
        return (Auth::None, None);
    }
    let get = |k: &str| field(a, k);
    match text(a.get("type")).as_str() {
        "" | "none" => (Auth::None, None),
        "basic" => (
            Auth::Basic {
                username: get("username"),
                password: get("password"),
            },
            None,
        ),
        "digest" => (
            Auth::Digest {
                username: get("username"),
                password: get("password"),
            },
            None,
        ),
        "bearer" => match get("prefix") {
            p if p.is_empty() || p == "Bearer" => (
                Auth::Bearer {
                    token: get("token"),
                },
                None,
            ),
            prefix => (
                Auth::ApiKey {
                    name: "Authorization".into(),
                    value: format!("{prefix} {}", get("token")),
                    place: KeyPlace::Header,
                },
                None,
            ),
        },
        "apikey" => match get("addTo").as_str() {
            "cookie" => (
                Auth::ApiKey {
                    name: "Cookie".into(),
                    value: format!("{}={}", get("key"), get("value")),
                    place: KeyPlace::Header,
                },
                None,
            ),
            add_to => (
                Auth::ApiKey {
                    name: get("key"),
                    value: get("value"),
                    place: if add_to == "queryParams" {
                        KeyPlace::Query
                    } else {
                        KeyPlace::Header
                    },
                },
                None,
            ),
        },
        "oauth2" => {
            let token = match get("accessToken") {
                t if t.is_empty() => "{{oauth2_access_token}}".to_string(),
                t => t,
            };
            (
                Auth::Bearer { token },
                Some(format!(
                    "OAuth 2.0 ({}): sent as a bearer token; apiward does not run the grant",
                    match get("grantType") {
                        g if g.is_empty() => "authorization_code".into(),
                        g => g,
                    }
                )),
            )
        }
        other => (
            Auth::None,
            Some(format!(
                "{other} auth is not something apiward sends; the request goes without it"
            )),
        ),
    }
}

fn body(req: &mut Request, b: Option<&Value>) {
    let Some(b) = b.filter(|b| b.is_object()) else {
        return;
    };
    let mime = text(b.get("mimeType"));
    let m = mime.to_ascii_lowercase();
    if m.starts_with("application/x-www-form-urlencoded") {
        req.body = Body::Form(rows(b.get("params")));
    } else if m.starts_with("multipart/form-data") {
        let parts = b
            .get("params")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| !disabled(p))
            .map(|p| Part {
                name: field(p, "name"),
                value: match text(p.get("type")).as_str() {
                    "file" => PartValue::File(PathBuf::from(text(p.get("fileName")))),
                    _ => PartValue::Text(field(p, "value")),
                },
                enabled: true,
            })
            .collect();
        req.body = Body::Multipart(parts);
        // The boundary in a saved Content-Type would not be apiward's.
        req.headers
            .retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
    } else if let Some(file) = b.get("fileName").filter(|f| !text(Some(f)).is_empty()) {
        req.body = Body::File(PathBuf::from(text(Some(file))));
    } else {
        let content = vars(&text(b.get("text")));
        if content.is_empty() {
            return;
        }
        // Insomnia keeps a GraphQL body as its JSON and sends it as JSON.
        let json = m.contains("json") || m == "application/graphql";
        req.body = if json && is_json(&content) {
            Body::Json(content)
        } else {
            Body::Raw(content)
        };
        if req.header_value("content-type").is_none() && !mime.is_empty() {
            let ct = if m == "application/graphql" {
                "application/json"
            } else {
                mime.as_str()
            };
            req.headers.push(Row::new("Content-Type", ct));
        }
    }
}

#[cfg(test)]
#[path = "insomnia_tests.rs"]
mod tests;
