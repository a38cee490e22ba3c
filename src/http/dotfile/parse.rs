//! Reading `.http` text: apiward's own files and hand-written JetBrains / VS Code ones.

use std::ops::Range;
use std::path::PathBuf;

use super::HttpFile;
use crate::http::model::{
    Auth, Body, HttpVersion, JwtKey, KeyPlace, Options, Part, PartValue, Request, Row,
};

/// What is wrong with a file, and where (1-based line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Where a block's parser is.
#[derive(PartialEq)]
enum Stage {
    Preamble,
    Headers,
    Body,
}

/// One `###`-separated block of a file, in 0-based line numbers of `text.lines()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The `###` line that opens it; the first block has none.
    pub separator: Option<usize>,
    /// Its lines: after the separator, up to the next one.
    pub lines: Range<usize>,
    /// The lines that say the request, which a writer may replace. Not the blank lines,
    /// `@var` lines and plain comments before it, nor the blank lines and response handlers
    /// after it: those belong to the file and the editors, and are kept.
    pub request: Range<usize>,
}

/// Splits `text` into its blocks, exactly as `parse` reads them.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut separator = None;
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("###") {
            out.push(block(&lines, separator, start..i));
            separator = Some(i);
            start = i + 1;
        }
    }
    out.push(block(&lines, separator, start..lines.len()));
    out
}

fn block(lines: &[&str], separator: Option<usize>, range: Range<usize>) -> Block {
    let within = &lines[range.clone()];
    // What the preamble stage of `parse_block` skips or takes as a variable.
    let head = within
        .iter()
        .take_while(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('@') || comment(t).is_some_and(|c| !c.starts_with('@'))
        })
        .count();
    let tail = within[head..]
        .iter()
        .rev()
        .take_while(|l| is_trailer(l))
        .count();
    Block {
        separator,
        request: range.start + head..range.end - tail,
        lines: range,
    }
}

/// Whether `line` is a `# @…` or `// @…` directive that changes nothing apiward reads: one
/// only the editors act on, such as `@no-log` or `@no-cookie-jar`. Told by parsing a request
/// with and without it, so this never drifts from the parser.
pub fn is_inert_directive(line: &str) -> bool {
    let t = line.trim();
    let rest = t.strip_prefix('#').or_else(|| t.strip_prefix("//"));
    if !rest.is_some_and(|r| r.trim_start().starts_with('@')) {
        return false;
    }
    let bare = "GET http://x/\n";
    parse(&format!("{t}\n{bare}")).ok() == parse(bare).ok()
}

/// Parses a whole file.
pub fn parse(text: &str) -> Result<HttpFile, ParseError> {
    parse_blocks(text).map(|(file, _)| file)
}

/// Parses a whole file, with the block each of its requests was read from.
pub fn parse_blocks(text: &str) -> Result<(HttpFile, Vec<Block>), ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut file = HttpFile::default();
    let mut found = Vec::new();
    for block in blocks(text) {
        let numbered: Vec<(usize, &str)> = block.lines.clone().map(|i| (i + 1, lines[i])).collect();
        let Some(mut req) = parse_block(&numbered, &mut file.vars)? else {
            continue;
        };
        if req.name.is_empty()
            && let Some(title) = block
                .separator
                .and_then(|s| lines[s].strip_prefix("###"))
                .map(str::trim)
                .filter(|t| !t.is_empty())
        {
            req.name = title.to_string();
        }
        file.requests.push(req);
        found.push(block);
    }
    Ok((file, found))
}

/// A `#` or `//` comment's text, trimmed.
fn comment(trimmed: &str) -> Option<&str> {
    trimmed
        .strip_prefix('#')
        .or_else(|| trimmed.strip_prefix("//"))
        .map(str::trim)
}

/// A blank line, a response handler (`> {% … %}`, `> file.js`) or an output redirection
/// (`>> file`): what may follow a request without being part of it.
fn is_trailer(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with("> ") || t.starts_with(">>")
}

fn parse_block(
    block: &[(usize, &str)],
    vars: &mut Vec<(String, String)>,
) -> Result<Option<Request>, ParseError> {
    let mut req = Request::default();
    let mut stage = Stage::Preamble;
    let mut body_kind: Option<String> = None;
    let mut body_lines: Vec<&str> = Vec::new();
    let mut off_form = Vec::new();
    let mut follow = false;
    let mut no_redirect = false;
    for &(n, line) in block {
        let trimmed = line.trim();
        if stage == Stage::Body {
            body_lines.push(line);
            continue;
        }
        if let Some(comment) = comment(trimmed) {
            if let Some(directive) = comment.strip_prefix('@') {
                let (key, arg) = directive
                    .split_once(char::is_whitespace)
                    .unwrap_or((directive, ""));
                let arg = arg.trim();
                match key {
                    "off" => {
                        let (name, value) =
                            header(arg).ok_or_else(|| err(n, "expected `# @off Name: value`"))?;
                        req.headers.push(Row::new(name, value).disabled());
                    }
                    "off-query" => req.query.push(pair(arg).disabled()),
                    "off-form" => off_form.push(pair(arg).disabled()),
                    "follow" => follow = true,
                    "no-redirect" => no_redirect = true,
                    "body" => body_kind = Some(arg.to_string()),
                    "auth" => req.auth = auth(arg).map_err(|m| err(n, m))?,
                    _ => option(&mut req, key, arg).map_err(|m| err(n, m))?,
                }
            }
            continue;
        }
        match stage {
            Stage::Preamble if trimmed.is_empty() => {}
            Stage::Preamble if trimmed.starts_with('@') => {
                let (name, value) = trimmed[1..]
                    .split_once('=')
                    .ok_or_else(|| err(n, "expected `@name = value`"))?;
                vars.push((name.trim().to_string(), value.trim().to_string()));
            }
            Stage::Preamble => {
                request_line(&mut req, trimmed).map_err(|m| err(n, m))?;
                stage = Stage::Headers;
            }
            Stage::Headers if trimmed.is_empty() => stage = Stage::Body,
            Stage::Headers
                if line.starts_with(char::is_whitespace)
                    && (trimmed.starts_with('?') || trimmed.starts_with('&')) =>
            {
                req.query.push(pair(&trimmed[1..]));
            }
            Stage::Headers => {
                let (name, value) = header(trimmed).ok_or_else(|| {
                    err(
                        n,
                        format!("expected a `Name: value` header, found \"{trimmed}\""),
                    )
                })?;
                req.headers.push(Row::new(name, value));
            }
            Stage::Body => unreachable!("handled above"),
        }
    }
    if req.url.is_empty() {
        return Ok(None);
    }
    req.options.follow_redirects = follow && !no_redirect;
    // Response handlers and output redirections are the editors' business, not a body.
    while body_lines.last().is_some_and(|l| is_trailer(l)) {
        body_lines.pop();
    }
    let body = body_lines.join("\n");
    req.body = make_body(&mut req, body_kind.as_deref(), body, off_form);
    basic_shorthand(&mut req);
    Ok(Some(req))
}

/// `METHOD URL [HTTP/x]`, or a bare URL meaning GET.
fn request_line(req: &mut Request, line: &str) -> Result<(), String> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    if words.last().is_some_and(|w| w.starts_with("HTTP/")) {
        let version = words.pop().unwrap_or_default();
        if version == "HTTP/2" || version == "HTTP/2.0" {
            req.options.http_version = HttpVersion::Http2;
        }
    }
    match words.as_slice() {
        [url] => req.url = url.to_string(),
        [method, url] => {
            req.method = method.to_string();
            req.url = url.to_string();
        }
        _ => return Err(format!("expected `METHOD URL`, found \"{line}\"")),
    }
    Ok(())
}

fn header(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim();
    (!name.is_empty() && !name.contains(char::is_whitespace)).then(|| (name, value.trim()))
}

fn pair(text: &str) -> Row {
    let (name, value) = text.split_once('=').unwrap_or((text, ""));
    Row::new(name.trim(), value.trim())
}

fn auth(arg: &str) -> Result<Auth, String> {
    let words = shlex::split(arg).ok_or("unbalanced quotes in @auth")?;
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    Ok(match w.as_slice() {
        ["none"] => Auth::None,
        ["basic", user, pass] => Auth::Basic {
            username: user.to_string(),
            password: pass.to_string(),
        },
        ["bearer", token] => Auth::Bearer {
            token: token.to_string(),
        },
        ["apikey", place, name, value] => Auth::ApiKey {
            name: name.to_string(),
            value: value.to_string(),
            place: match *place {
                "header" => KeyPlace::Header,
                "query" => KeyPlace::Query,
                other => {
                    return Err(format!(
                        "an API key goes in the header or the query, not \"{other}\""
                    ));
                }
            },
        },
        ["jwt", alg, kind, key, claims] => Auth::Jwt {
            alg: alg.to_string(),
            key: match *kind {
                "secret" => JwtKey::Secret(key.to_string()),
                "pem-file" => JwtKey::PemFile(PathBuf::from(key)),
                other => {
                    return Err(format!(
                        "a JWT key is `secret` or `pem-file`, not \"{other}\""
                    ));
                }
            },
            claims: claims.to_string(),
        },
        _ => return Err(format!("unknown @auth form \"{arg}\"")),
    })
}

fn option(req: &mut Request, key: &str, arg: &str) -> Result<(), String> {
    let o: &mut Options = &mut req.options;
    let number = |a: &str| {
        a.parse::<u64>()
            .map_err(|_| format!("@{key} needs a number, not \"{a}\""))
    };
    match key {
        "name" => req.name = arg.to_string(),
        "max-redirects" => o.max_redirects = number(arg)? as usize,
        "timeout" => {
            o.timeout_ms = match arg.strip_suffix("ms") {
                Some(ms) => number(ms.trim())?,
                None => number(arg.trim_end_matches('s').trim())? * 1000,
            }
        }
        "insecure" => o.verify_tls = false,
        "ca-file" => o.ca_file = Some(arg.into()),
        "client-cert" => o.client_cert = Some(arg.into()),
        "client-key" => o.client_key = Some(arg.into()),
        "http-version" => {
            o.http_version = match arg {
                "1.1" | "1" => HttpVersion::Http1,
                "2" => HttpVersion::Http2,
                _ => HttpVersion::Auto,
            }
        }
        "proxy" => o.proxy = Some(arg.to_string()),
        "max-body" => o.max_body = number(arg)?,
        // The editors' own directives (@no-log, @no-cookie-jar …) mean nothing here.
        _ => {}
    }
    Ok(())
}

/// The body, by directive, else guessed from its form and the Content-Type header.
fn make_body(req: &mut Request, kind: Option<&str>, text: String, off_form: Vec<Row>) -> Body {
    let content_type = req
        .header_value("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let file = text
        .trim()
        .strip_prefix("< ")
        .map(|p| PathBuf::from(p.trim()));
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

/// The editors' `Authorization: Basic user pass` shorthand becomes basic auth.
fn basic_shorthand(req: &mut Request) {
    let Some(i) = req
        .headers
        .iter()
        .position(|r| r.enabled && r.name.eq_ignore_ascii_case("authorization"))
    else {
        return;
    };
    let words: Vec<&str> = req.headers[i].value.split_whitespace().collect();
    if let ["Basic", user, pass] = words.as_slice() {
        req.auth = Auth::Basic {
            username: user.to_string(),
            password: pass.to_string(),
        };
        req.headers.remove(i);
    }
}
