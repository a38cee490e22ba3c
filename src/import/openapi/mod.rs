//! `apiward import openapi`: every operation of an OpenAPI 3.0/3.1 or Swagger 2.0 description
//! as a request of an import [`Plan`]: named by its `operationId` (else `METHOD /path`),
//! `{{baseUrl}}` and the path with its parameters as `{{variables}}`, query and header
//! parameters as rows (optional ones disabled), an example body, and its security as auth.
//! Files are one per tag, or per first path segment; servers become environments.

pub mod auth;
pub mod example;
pub mod servers;

use serde_json::Value;

use crate::http::model::{Body, Part, PartValue, Request, Row};
use crate::http::workspace::SHARED_ENV;
use crate::import::plan::Plan;
use crate::spec::{Document, MediaType, Operation, Parameter, Version};

/// How requests are grouped into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// By the operation's first tag; untagged ones by their first path segment.
    #[default]
    Tag,
    /// By the first path segment.
    Path,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub group_by: GroupBy,
}

/// The plan for importing `doc`.
pub fn plan(doc: &Document, options: &Options) -> Plan {
    let location = doc.files()[0].location.clone();
    let mut plan = Plan::new(location.to_string());
    servers::add_environments(&mut plan, &doc.servers(None), &location);
    let root_servers: Vec<String> = doc.servers(None).into_iter().map(|s| s.url).collect();
    let schemes = doc.security_schemes();
    for op in doc.operations() {
        let mut notes = Vec::new();
        if let Some(summary) = op.summary() {
            notes.push(
                summary
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            );
        }
        if op.deprecated() {
            notes.push("Deprecated.".into());
        }
        let mut req = request(doc, &op, &root_servers, &mut plan, &mut notes);
        let applied = auth::apply(doc, &schemes, &op, &mut req);
        notes.extend(applied.notes);
        for secret in &applied.secrets {
            plan.secret(secret);
        }
        for unknown in applied.unknown {
            plan.warnings.push(format!(
                "{} {} names the security scheme \"{unknown}\", which the description does not define",
                op.method, op.path
            ));
        }
        let group = group_of(&op, options.group_by);
        plan.add(&group, req, notes);
    }
    if plan.files.is_empty() {
        plan.warnings
            .push("the description has no operations, so there is nothing to import".into());
    }
    plan
}

/// The file an operation goes in.
fn group_of(op: &Operation<'_>, by: GroupBy) -> String {
    if by == GroupBy::Tag
        && let Some(tag) = op.tags().first()
    {
        return tag.to_string();
    }
    op.path
        .split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .unwrap_or("root")
        .to_string()
}

/// An example value as the text a URL, header or form carries.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn param_example(doc: &Document, p: &Parameter<'_>) -> Value {
    example::for_media(doc, &p.node, p.schema.as_ref()).unwrap_or(Value::Null)
}

fn request(
    doc: &Document,
    op: &Operation<'_>,
    root_servers: &[String],
    plan: &mut Plan,
    notes: &mut Vec<String>,
) -> Request {
    // An operation with servers of its own is sent there, not to the environment's.
    let own: Vec<String> = doc.servers(Some(op)).into_iter().map(|s| s.url).collect();
    let base = match own.first() {
        Some(url) if own != root_servers && url.contains("://") => {
            notes.push(format!("Sent to its own server, {url}."));
            servers::template(url.trim_end_matches('/'))
        }
        _ => format!("{{{{{}}}}}", servers::BASE_URL),
    };
    let mut req = Request::new(&op.method, &format!("{base}{}", servers::template(op.path)));
    req.name = op
        .id()
        .map(str::to_string)
        .unwrap_or_else(|| format!("{} {}", op.method, op.path));
    let params = doc.parameters(op);
    let mut form: Vec<(String, Value, bool)> = Vec::new();
    for p in &params {
        let value = param_example(doc, p);
        match p.location {
            "path" => plan.env_value(SHARED_ENV, p.name, &text(&value)),
            "query" => {
                let explode = p.node.value.get("explode").and_then(|e| e.as_bool());
                let values: Vec<String> = match (&value, explode) {
                    (Value::Array(items), None | Some(true)) if !items.is_empty() => {
                        items.iter().map(text).collect()
                    }
                    _ => vec![text(&value)],
                };
                for v in values {
                    let row = Row::new(p.name, &v);
                    req.query
                        .push(if p.required { row } else { row.disabled() });
                }
            }
            "header" => {
                // OpenAPI ignores these three as parameters: the body and auth set them.
                if ["accept", "content-type", "authorization"]
                    .contains(&p.name.to_ascii_lowercase().as_str())
                {
                    continue;
                }
                let row = Row::new(p.name, &text(&value));
                req.headers
                    .push(if p.required { row } else { row.disabled() });
            }
            "cookie" if p.required => auth::add_cookie(&mut req, p.name, &text(&value)),
            "formData" => {
                let file = p.node.str("type") == Some("file");
                form.push((p.name.to_string(), value, file));
            }
            _ => {}
        }
    }
    let bodies = doc.request_bodies(op);
    if let Some(media) = pick(&bodies) {
        body(doc, media, &mut req, notes);
    } else if !form.is_empty() {
        form_body(doc, op, form, &mut req, notes);
    }
    req
}

/// The media type to send: JSON if offered, then a form, then whatever is first.
fn pick<'m, 'a>(bodies: &'m [MediaType<'a>]) -> Option<&'m MediaType<'a>> {
    let is = |m: &MediaType<'_>, f: &dyn Fn(&str) -> bool| f(&m.media_type.to_ascii_lowercase());
    bodies
        .iter()
        .find(|m| is(m, &|t| t.starts_with("application/json")))
        .or_else(|| bodies.iter().find(|m| is(m, &|t| t.contains("json"))))
        .or_else(|| {
            bodies
                .iter()
                .find(|m| is(m, &|t| t.starts_with("application/x-www-form-urlencoded")))
        })
        .or_else(|| {
            bodies
                .iter()
                .find(|m| is(m, &|t| t.starts_with("multipart/form-data")))
        })
        .or_else(|| bodies.first())
}

fn body(doc: &Document, media: &MediaType<'_>, req: &mut Request, notes: &mut Vec<String>) {
    let value = example::for_media(doc, &media.node, media.schema.as_ref()).unwrap_or(Value::Null);
    let kind = media.media_type.to_ascii_lowercase();
    let content_type = |req: &mut Request| {
        req.headers.push(Row::new("Content-Type", media.media_type));
    };
    if kind.contains("json") || kind == "*/*" {
        if !kind.starts_with("application/json") {
            content_type(req);
        }
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        req.body = Body::Json(text);
    } else if kind.starts_with("application/x-www-form-urlencoded") {
        req.body = Body::Form(fields(&value).map(|(k, v)| Row::new(&k, &v)).collect());
    } else if kind.starts_with("multipart/form-data") {
        req.body = Body::Multipart(
            fields(&value)
                .map(|(name, v)| Part {
                    name,
                    value: PartValue::Text(v),
                    enabled: true,
                })
                .collect(),
        );
    } else {
        content_type(req);
        match value {
            Value::String(s) if !s.is_empty() => req.body = Body::Raw(s),
            _ => {
                req.body = Body::Raw(String::new());
                notes.push(format!("Fill in the {} body.", media.media_type));
            }
        }
    }
}

/// An example object's members as form fields.
fn fields(value: &Value) -> impl Iterator<Item = (String, String)> + '_ {
    value
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), text(v)))
}

/// Swagger 2.0's `formData` parameters: a form, or multipart when it carries a file or the
/// operation consumes only multipart.
fn form_body(
    doc: &Document,
    op: &Operation<'_>,
    form: Vec<(String, Value, bool)>,
    req: &mut Request,
    notes: &mut Vec<String>,
) {
    debug_assert_eq!(doc.version, Version::Swagger2);
    let consumes: Vec<&str> = op
        .node
        .get("consumes")
        .or_else(|| doc.root().get("consumes"))
        .map(|c| c.items().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let multipart = form.iter().any(|(_, _, file)| *file)
        || (!consumes.is_empty()
            && !consumes
                .iter()
                .any(|c| c.starts_with("application/x-www-form-urlencoded")));
    if multipart {
        let mut parts = Vec::new();
        for (name, value, file) in form {
            if file {
                notes.push(format!("Choose the file to send as {name}."));
            }
            parts.push(Part {
                name,
                value: PartValue::Text(text(&value)),
                enabled: true,
            });
        }
        req.body = Body::Multipart(parts);
    } else {
        req.body = Body::Form(
            form.into_iter()
                .map(|(name, value, _)| Row::new(&name, &text(&value)))
                .collect(),
        );
    }
}
