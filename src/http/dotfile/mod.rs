//! `.http` files, as the JetBrains HTTP Client and VS Code REST Client write them: `###`
//! between requests, `# @name`, `@var = value`, a method line, headers, a blank line, a body.
//!
//! What that format cannot say (auth, body kind, options, disabled rows) is kept in
//! `# @directive` comments, which both editors ignore, so apiward's files round-trip and
//! still open elsewhere. What only the editors act on (scripts, handlers, `<>` references,
//! `# @prompt`) is read into [`Extras`], kept, and never sent.

pub mod body;
pub mod chain;
mod directives;
pub mod dynamic;
mod parse;
mod parse_error;
mod scripts;

pub use parse::{Block, blocks, is_inert_directive, parse, parse_blocks};
pub use parse_error::ParseError;
pub use scripts::{Extras, Prompt, Script, editor_lines};

use std::fmt::Write;

use super::model::{Auth, Body, HttpVersion, JwtKey, KeyPlace, Options, PartValue, Request};

/// A parsed file: its `@var` lines and its requests, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpFile {
    pub vars: Vec<(String, String)>,
    pub requests: Vec<Request>,
    /// Each request's editor-only lines, by position; empty when no request has any.
    pub extras: Vec<Extras>,
}

impl HttpFile {
    /// The editor-only lines of request `index`, if it has any.
    pub fn extras_of(&self, index: usize) -> Option<&Extras> {
        self.extras.get(index).filter(|e| !e.is_empty())
    }
}

/// The boundary apiward writes multipart bodies with.
const BOUNDARY: &str = "apiward-boundary";

/// The whole file as text.
pub fn write(file: &HttpFile) -> String {
    let mut out = String::new();
    for (name, value) in &file.vars {
        let _ = writeln!(out, "@{name} = {}", parse::escape(value));
    }
    if !file.vars.is_empty() {
        out.push('\n');
    }
    for (i, req) in file.requests.iter().enumerate() {
        if i > 0 {
            out.push_str("\n###\n\n");
        }
        match file.extras_of(i) {
            Some(extras) => out.push_str(&to_http_with(req, extras)),
            None => out.push_str(&to_http(req)),
        }
    }
    out
}

/// One request as `.http` text, with its scripts, prompts and handlers where the editors
/// read them.
pub fn to_http_with(req: &Request, extras: &Extras) -> String {
    let mut head = String::new();
    for prompt in &extras.prompts {
        let _ = writeln!(head, "# @prompt {} {}", prompt.name, prompt.description);
    }
    for script in &extras.pre {
        let _ = writeln!(head, "{}", script.text);
    }
    // Directives first, then the scripts, right above the request line.
    let own = to_http(req);
    let split = own
        .lines()
        .take_while(|l| l.starts_with("# @"))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let mut out = format!("{}{head}{}", &own[..split], &own[split..]);
    let tail: Vec<&str> = (extras.handlers.iter().map(|s| s.text.as_str()))
        .chain(extras.outputs.iter().map(String::as_str))
        .collect();
    if !tail.is_empty() || !extras.references.is_empty() {
        out.push('\n');
    }
    for line in tail {
        let _ = writeln!(out, "{line}");
    }
    for reference in &extras.references {
        let _ = writeln!(out, "<> {reference}");
    }
    out
}

fn quote(text: &str) -> String {
    shlex::try_quote(text).map_or_else(|_| format!("'{text}'"), |q| q.into_owned())
}

/// One request as `.http` text.
pub fn to_http(req: &Request) -> String {
    let mut out = String::new();
    if !req.name.is_empty() {
        let _ = writeln!(out, "# @name {}", req.name);
    }
    for tag in &req.tags {
        let _ = writeln!(out, "# @tag {tag}");
    }
    write_options(&mut out, &req.options);
    match &req.auth {
        Auth::None => {}
        Auth::Basic { username, password } => {
            let _ = writeln!(out, "# @auth basic {} {}", quote(username), quote(password));
        }
        Auth::Bearer { token } => {
            let _ = writeln!(out, "# @auth bearer {}", quote(token));
        }
        Auth::Digest { username, password } => {
            let _ = writeln!(
                out,
                "# @auth digest {} {}",
                quote(username),
                quote(password)
            );
        }
        Auth::ApiKey { name, value, place } => {
            let place = match place {
                KeyPlace::Header => "header",
                KeyPlace::Query => "query",
            };
            let _ = writeln!(
                out,
                "# @auth apikey {place} {} {}",
                quote(name),
                quote(value)
            );
        }
        Auth::Jwt { alg, key, claims } => {
            let (kind, key) = match key {
                JwtKey::Secret(s) => ("secret", s.clone()),
                JwtKey::PemFile(p) => ("pem-file", p.display().to_string()),
            };
            let _ = writeln!(
                out,
                "# @auth jwt {alg} {kind} {} {}",
                quote(&key),
                quote(claims)
            );
        }
    }
    let kind = match &req.body {
        Body::None => None,
        Body::Json(_) => Some("json"),
        Body::Form(_) => Some("form"),
        Body::Multipart(_) => Some("multipart"),
        Body::Raw(_) => Some("raw"),
        Body::File(_) => Some("file"),
    };
    if let Some(kind) = kind {
        let _ = writeln!(out, "# @body {kind}");
    }
    let _ = writeln!(out, "{} {}", req.method, req.url);
    for (i, row) in req.query.iter().filter(|r| r.enabled).enumerate() {
        let sep = if i == 0 && !req.url.contains('?') {
            '?'
        } else {
            '&'
        };
        let _ = writeln!(out, "    {sep}{}={}", row.name, row.value);
    }
    for row in req.query.iter().filter(|r| !r.enabled) {
        let _ = writeln!(out, "# @off-query {}={}", row.name, row.value);
    }
    for row in &req.headers {
        let off = if row.enabled { "" } else { "# @off " };
        let _ = writeln!(out, "{off}{}: {}", row.name, row.value);
    }
    if let Body::Form(rows) = &req.body {
        for row in rows.iter().filter(|r| !r.enabled) {
            let _ = writeln!(out, "# @off-form {}={}", row.name, row.value);
        }
    }
    let body = match &req.body {
        Body::None => return out,
        Body::Json(text) | Body::Raw(text) => match body::include_line(text) {
            Some(line) => line.to_string(),
            None => text.clone(),
        },
        Body::File(path) => format!("< {}", path.display()),
        Body::Form(rows) => form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                rows.iter()
                    .filter(|r| r.enabled)
                    .map(|r| (&r.name, &r.value)),
            )
            .finish()
            .replace('&', "&\n"),
        // No parts writes no text, like an empty form: `# @body multipart` keeps the kind.
        Body::Multipart(parts) if !parts.iter().any(|p| p.enabled) => String::new(),
        Body::Multipart(parts) => {
            let mut text = String::new();
            for part in parts.iter().filter(|p| p.enabled) {
                let _ = writeln!(text, "--{BOUNDARY}");
                match &part.value {
                    PartValue::Text(value) => {
                        let _ = writeln!(
                            text,
                            "Content-Disposition: form-data; name=\"{}\"\n\n{value}",
                            part.name
                        );
                    }
                    PartValue::File(path) => {
                        let file = path.file_name().unwrap_or_default().to_string_lossy();
                        let _ = writeln!(
                            text,
                            "Content-Disposition: form-data; name=\"{}\"; filename=\"{file}\"\n\n< {}",
                            part.name,
                            path.display()
                        );
                    }
                }
            }
            let _ = write!(text, "--{BOUNDARY}--");
            text
        }
    };
    out.push('\n');
    out.push_str(&body);
    out.push('\n');
    out
}

fn write_options(out: &mut String, o: &Options) {
    let d = Options::default();
    if o.follow_redirects {
        out.push_str("# @follow\n");
    }
    if o.max_redirects != d.max_redirects {
        let _ = writeln!(out, "# @max-redirects {}", o.max_redirects);
    }
    if o.timeout_ms != d.timeout_ms {
        if o.timeout_ms.is_multiple_of(1000) {
            let _ = writeln!(out, "# @timeout {}", o.timeout_ms / 1000);
        } else {
            let _ = writeln!(out, "# @timeout {}ms", o.timeout_ms);
        }
    }
    if !o.verify_tls {
        out.push_str("# @insecure\n");
    }
    for (name, path) in [
        ("ca-file", &o.ca_file),
        ("client-cert", &o.client_cert),
        ("client-key", &o.client_key),
    ] {
        if let Some(path) = path {
            let _ = writeln!(out, "# @{name} {}", path.display());
        }
    }
    match o.http_version {
        HttpVersion::Auto => {}
        HttpVersion::Http1 => out.push_str("# @http-version 1.1\n"),
        HttpVersion::Http2 => out.push_str("# @http-version 2\n"),
    }
    if let Some(proxy) = &o.proxy {
        let _ = writeln!(out, "# @proxy {proxy}");
    }
    if let Some(list) = &o.no_proxy {
        let _ = writeln!(out, "# @no-proxy {list}");
    }
    if let Some(ms) = o.connect_timeout_ms {
        let _ = writeln!(out, "# @connect-timeout {ms}ms");
    }
    if let Some(to) = &o.connect_to {
        let _ = writeln!(out, "# @connect-to {to}");
    }
    if o.max_body != d.max_body {
        let _ = writeln!(out, "# @max-body {}", o.max_body);
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod editor_tests;
