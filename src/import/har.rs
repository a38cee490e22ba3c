//! `apiward import har`: a browser's "Save all as HAR" (HAR 1.1 and 1.2, as Chrome and
//! Firefox write it) read into one `.http` file per host. The browser's own headers, static
//! assets and repeated requests are left out; the origin becomes a `{{base_url}}` variable,
//! and cookies, tokens and passwords go to the private env file as variables.

use base64::Engine;
use serde_json::Value;

use super::collection::{BadInput, Imported, Names, Secrets, bad, final_newline_note, slug};
use crate::http::model::{Body, Request, Row};
use crate::http::workspace::SHARED_ENV;

/// Headers the browser or the connection sets, which apiward sets itself or which mean
/// nothing outside that browser; `sec-ch-*`, `sec-fetch-*` and HTTP/2 pseudo-headers
/// (`:authority` …) by prefix. Listed in `docs/import.md`.
pub const NOISE: &[&str] = &[
    "host",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "upgrade",
    "content-length",
    "accept-encoding",
    "upgrade-insecure-requests",
    "priority",
    "dnt",
    "sec-gpc",
    "pragma",
    "x-client-data",
];

/// Noise by prefix.
const NOISE_PREFIXES: &[&str] = &[":", "sec-ch-", "sec-fetch-"];

/// Chrome's resource types that are a page's assets, not its API.
const ASSET_TYPES: &[&str] = &[
    "image",
    "stylesheet",
    "script",
    "font",
    "media",
    "manifest",
    "texttrack",
];

pub fn is_noise(name: &str, value: &str) -> bool {
    let n = name.to_ascii_lowercase();
    // DevTools' "Disable cache" and a reload add these; an API client means nothing by them.
    let cache = n == "cache-control" && matches!(value.trim(), "no-cache" | "max-age=0");
    cache || NOISE.contains(&n.as_str()) || NOISE_PREFIXES.iter().any(|p| n.starts_with(p))
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    }
}

/// An entry's URL, and whether it is worth importing (http or https, not an asset).
enum Kind {
    Api(reqwest::Url),
    Asset,
    Other,
}

fn kind(entry: &Value) -> Kind {
    let Ok(url) = reqwest::Url::parse(&text(entry.pointer("/request/url"))) else {
        return Kind::Other;
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Kind::Other;
    }
    let method = text(entry.pointer("/request/method")).to_ascii_uppercase();
    let resource = text(entry.get("_resourceType"));
    // A CORS preflight is the browser's own question, not the page's request.
    if matches!(resource.as_str(), "websocket" | "preflight") {
        return Kind::Other;
    }
    let mime = text(entry.pointer("/response/content/mimeType")).to_ascii_lowercase();
    let asset_mime = [
        "image/",
        "font/",
        "text/css",
        "javascript",
        "video/",
        "audio/",
    ]
    .iter()
    .any(|m| mime.starts_with(m) || (m.len() > 6 && mime.contains(m)));
    if method == "GET" && (ASSET_TYPES.contains(&resource.as_str()) || asset_mime) {
        return Kind::Asset;
    }
    Kind::Api(url)
}

/// `host` or `host:port`, as `--host` may name it.
fn host_matches(url: &reqwest::Url, filter: &str) -> bool {
    let host = url.host_str().unwrap_or("");
    let with_port = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_string(),
    };
    filter.eq_ignore_ascii_case(host) || filter.eq_ignore_ascii_case(&with_port)
}

/// `scheme://host[:port]`, the part a `{{base_url}}` stands for.
fn origin(url: &reqwest::Url) -> String {
    url.origin().ascii_serialization()
}

/// Reads the HAR `text` (from `source`), keeping only requests to `host` when given.
pub fn import(source: &str, text: &str, host: Option<&str>) -> Result<Imported, BadInput> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        bad(format!(
            "the HAR file is not JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    let Some(log) = v.get("log").filter(|l| l.is_object()) else {
        return Err(bad("this is not a HAR file (it has no log object)"));
    };
    match log.get("version").and_then(Value::as_str) {
        None | Some("1.1" | "1.2") => {}
        Some(other) => {
            return Err(bad(format!(
                "the HAR's version is {other}; apiward reads HAR 1.1 and 1.2"
            )));
        }
    }
    let entries = log
        .get("entries")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| bad("the HAR holds no requests (its log.entries is empty)"))?;

    let mut kept: Vec<(reqwest::Url, &Value)> = Vec::new();
    let (mut assets, mut other, mut hosts) = (0, 0, Vec::<String>::new());
    let mut elsewhere = 0;
    for entry in entries {
        // Only what goes to the host asked for is counted as left out for its own reason.
        let url = entry.pointer("/request/url").and_then(Value::as_str);
        let wanted = reqwest::Url::parse(url.unwrap_or(""))
            .is_ok_and(|url| host.is_none_or(|f| host_matches(&url, f)));
        match kind(entry) {
            Kind::Api(url) => {
                let h = url.host_str().unwrap_or("").to_string();
                if !hosts.contains(&h) {
                    hosts.push(h);
                }
                match wanted {
                    true => kept.push((url, entry)),
                    false => elsewhere += 1,
                }
            }
            Kind::Asset if wanted => assets += 1,
            Kind::Other if wanted || host.is_none() => other += 1,
            Kind::Asset | Kind::Other => elsewhere += 1,
        }
    }
    if let Some(filter) = host
        && kept.is_empty()
    {
        hosts.sort();
        return Err(bad(match hosts.is_empty() {
            true => format!("no request in the HAR goes to {filter}: it holds no API requests"),
            false => format!(
                "no request in the HAR goes to {filter}; its requests go to {}",
                hosts.join(", ")
            ),
        }));
    }
    if kept.is_empty() {
        return Err(bad(
            "the HAR holds no API requests (only static assets or non-HTTP entries)",
        ));
    }

    let mut out = Imported::new(source);
    let mut origins: Vec<String> = kept.iter().map(|(u, _)| origin(u)).collect();
    origins.sort();
    origins.dedup();
    let host_part = |origin: &str| origin.split("://").nth(1).unwrap_or(origin).to_string();
    let base_var = |origin: &str| -> String {
        match origins.len() {
            1 => "base_url".into(),
            _ => format!("{}_base_url", slug(&host_part(origin)).replace('-', "_")),
        }
    };
    let mut names = Names::default();
    let mut secrets = Secrets::default();
    let mut seen: Vec<Request> = Vec::new();
    let mut repeated = 0;
    for (url, entry) in kept {
        let origin = origin(&url);
        let var = base_var(&origin);
        out.plan.env_value(SHARED_ENV, &var, &origin);
        let (mut req, mut notes) = request(entry, &url, &var);
        if seen.contains(&req) {
            repeated += 1;
            continue;
        }
        seen.push(req.clone());
        let mut path = url.path().to_string();
        // The query names the request only when it is short.
        if let Some(q) = url.query().filter(|q| q.len() <= 20) {
            path.push('-');
            path.push_str(q);
        }
        req.name = names.unique(&slug(&format!("{} {path}", req.method)));
        let prefix = slug(url.host_str().unwrap_or("host")).replace('-', "_");
        secrets.extract(&mut req, &prefix);
        secrets.extract_token_headers(&mut req, &prefix);
        notes.extend(secrets.mask_leftovers(&mut req));
        for note in &notes {
            out.plan.warnings.push(format!("{}: {note}", req.name));
        }
        out.plan.add(&host_part(&origin), req, notes);
    }
    if assets > 0 {
        out.plan.warnings.push(format!(
            "{assets} static asset request(s) (images, styles, scripts, fonts) are left out"
        ));
    }
    if other > 0 {
        out.plan.warnings.push(format!(
            "{other} entr(ies) the page did not send itself (CORS preflights, websockets, data: and \
             extension URLs) are left out"
        ));
    }
    if let Some(filter) = host
        && elsewhere > 0
    {
        out.plan.warnings.push(format!(
            "{elsewhere} request(s) to hosts other than {filter} are left out"
        ));
    }
    if repeated > 0 {
        out.plan
            .warnings
            .push(format!("{repeated} repeated request(s) are imported once"));
    }
    secrets.into_imported(&mut out);
    Ok(out)
}

/// One entry as a request whose URL starts `{{var}}`, with notes on what was left out.
fn request(entry: &Value, url: &reqwest::Url, var: &str) -> (Request, Vec<String>) {
    let r = &entry["request"];
    let mut notes = Vec::new();
    let full = url.as_str();
    let rest = &full[origin(url).len()..];
    // The fragment never goes on the wire.
    let rest = rest.split('#').next().unwrap_or(rest);
    let mut req = Request::new(
        &text(r.get("method")).to_ascii_uppercase(),
        &format!("{{{{{var}}}}}{rest}"),
    );
    for h in r
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (name, value) = (text(h.get("name")), text(h.get("value")));
        if name.is_empty() || is_noise(&name, &value) {
            continue;
        }
        // HTTP/2 sends cookies as several headers; one request line carries them joined.
        if name.eq_ignore_ascii_case("cookie")
            && let Some(row) = req
                .headers
                .iter_mut()
                .find(|row| row.name.eq_ignore_ascii_case("cookie"))
        {
            row.value = format!("{}; {value}", row.value);
            continue;
        }
        req.headers.push(Row::new(&name, &value));
    }
    if req.header_value("cookie").is_none() {
        let cookies: Vec<String> = r
            .get("cookies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| format!("{}={}", text(c.get("name")), text(c.get("value"))))
            .collect();
        if !cookies.is_empty() {
            req.headers.push(Row::new("Cookie", &cookies.join("; ")));
        }
    }
    if let Some(post) = r.get("postData").filter(|p| p.is_object()) {
        body(&mut req, post, &mut notes);
        notes.extend(final_newline_note(&req.body));
    }
    (req, notes)
}

/// The request's body from `postData`: a form as rows, JSON as JSON, anything else as the
/// text the browser sent.
fn body(req: &mut Request, post: &Value, notes: &mut Vec<String>) {
    let mime = text(post.get("mimeType")).to_ascii_lowercase();
    let mut content = text(post.get("text"));
    if text(post.get("encoding")) == "base64" {
        match base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
        {
            Some(decoded) => content = decoded,
            None => {
                notes.push(
                    "its body is binary, which a .http file does not hold; it is left out".into(),
                );
                return;
            }
        }
    }
    let params: Vec<(String, String, bool)> = post
        .get("params")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            (
                text(p.get("name")),
                text(p.get("value")),
                p.get("fileName").is_some(),
            )
        })
        .collect();
    if mime.starts_with("application/x-www-form-urlencoded") {
        let rows: Vec<Row> = if content.is_empty() {
            params.iter().map(|(n, v, _)| Row::new(n, v)).collect()
        } else {
            form_urlencoded::parse(content.as_bytes())
                .map(|(n, v)| Row::new(&n, &v))
                .collect()
        };
        req.body = Body::Form(rows);
        return;
    }
    if content.is_empty() {
        if !params.is_empty() {
            notes.push(
                "its body's content is not in the HAR (only its field names); it is left out"
                    .into(),
            );
        }
        return;
    }
    let json = mime.contains("json");
    req.body = if json && serde_json::from_str::<serde::de::IgnoredAny>(&content).is_ok() {
        Body::Json(content)
    } else {
        Body::Raw(content)
    };
    if req.header_value("content-type").is_none() && !mime.is_empty() {
        req.headers
            .push(Row::new("Content-Type", &text(post.get("mimeType"))));
    }
}

#[cfg(test)]
#[path = "har_tests.rs"]
mod tests;
