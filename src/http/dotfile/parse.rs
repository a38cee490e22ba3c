//! Reading `.http` text: apiward's own files and hand-written JetBrains / VS Code ones.

use std::ops::Range;

use super::parse_error::{ParseError, err};
use super::scripts::{self, Extras};
use super::{HttpFile, body, directives};
use crate::http::model::{Auth, HttpVersion, Request, Row};

/// Where a block's parser is.
#[derive(PartialEq)]
enum Stage {
    Preamble,
    Headers,
    Body,
    /// After the body: response handlers, output files, response references.
    Trailer,
}

/// One `###`-separated block of a file, in 0-based line numbers of `text.lines()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The `###` line that opens it; the first block has none.
    pub separator: Option<usize>,
    /// Its lines: after the separator, up to the next one.
    pub lines: Range<usize>,
    /// The lines that say the request, which a writer may replace: its directives and
    /// pre-request scripts, the request line, headers and body. Not the blank lines, `@var`
    /// lines and plain comments before it, nor the blank lines, response handlers and `<>`
    /// references after it: those belong to the file and the editors, and are kept.
    pub request: Range<usize>,
}

/// Splits `text` into its blocks, exactly as `parse` reads them.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    split(&lines)
        .into_iter()
        .map(|(separator, range)| {
            let numbered = numbered(&lines, range.clone());
            let request = match read_block(&numbered) {
                Ok(Some(read)) => read.request,
                // No request, or one that does not parse: the old guess, from the edges.
                _ => guess_request(&lines[range.clone()]),
            };
            Block {
                separator,
                request: range.start + request.start..range.start + request.end,
                lines: range,
            }
        })
        .collect()
}

/// Each block's separator line and lines.
fn split(lines: &[&str]) -> Vec<(Option<usize>, Range<usize>)> {
    let mut out = Vec::new();
    let mut separator = None;
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("###") {
            out.push((separator, start..i));
            separator = Some(i);
            start = i + 1;
        }
    }
    out.push((separator, start..lines.len()));
    out
}

/// A block's lines with their 1-based line numbers.
fn numbered<'a>(lines: &[&'a str], range: Range<usize>) -> Vec<(usize, &'a str)> {
    range.map(|i| (i + 1, lines[i])).collect()
}

/// The request lines of a block that holds none or does not parse: after the blank lines,
/// variables and plain comments, before the blank lines and handlers at the end.
fn guess_request(within: &[&str]) -> Range<usize> {
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
        .take_while(|l| {
            let t = l.trim();
            t.is_empty() || scripts::is_trailer_start(t)
        })
        .count();
    head..within.len() - tail
}

/// Whether `line` is a `# @…` or `// @…` directive that changes nothing apiward reads: one
/// only the editors act on, such as `@no-log` or `@no-cookie-jar`. Told by parsing a request
/// with and without it, so this never drifts from the parser.
pub fn is_inert_directive(line: &str) -> bool {
    let t = line.trim();
    if directive(t).is_none() {
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
    for (separator, range) in split(&lines) {
        let numbered = numbered(&lines, range.clone());
        let read = read_block(&numbered)?;
        let Some(ReadBlock {
            mut req,
            extras,
            vars,
            request,
        }) = read
        else {
            // A block of variables only (REST Client's way) still defines them.
            file.vars.extend(variables_only(&numbered)?);
            continue;
        };
        file.vars.extend(vars);
        if req.name.is_empty()
            && let Some(title) = separator
                .and_then(|s| lines[s].strip_prefix("###"))
                .map(str::trim)
                .filter(|t| !t.is_empty())
        {
            req.name = title.to_string();
        }
        file.requests.push(req);
        file.extras.push(extras);
        found.push(Block {
            separator,
            request: range.start + request.start..range.start + request.end,
            lines: range,
        });
    }
    // Only files with editor-only lines carry them, so a plain file equals its requests.
    if file.extras.iter().all(Extras::is_empty) {
        file.extras.clear();
    }
    Ok((file, found))
}

/// The `@var` lines of a block that holds no request.
fn variables_only(block: &[(usize, &str)]) -> Result<Vec<(String, String)>, ParseError> {
    block
        .iter()
        .filter(|(_, l)| l.trim().starts_with('@'))
        .map(|&(n, l)| variable(n, l.trim()))
        .collect()
}

fn variable(n: usize, trimmed: &str) -> Result<(String, String), ParseError> {
    let (name, value) = trimmed[1..]
        .split_once('=')
        .ok_or_else(|| err(n, "expected `@name = value`"))?;
    Ok((name.trim().to_string(), unescape(value.trim())))
}

/// A file variable's value as REST Client reads it: `\n`, `\r` and `\t` are the characters,
/// and a backslash before anything else stands for that thing (`\\` is one backslash).
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// The inverse of [`unescape`], for the writer.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

/// A `#` or `//` comment's text, trimmed.
fn comment(trimmed: &str) -> Option<&str> {
    trimmed
        .strip_prefix('#')
        .or_else(|| trimmed.strip_prefix("//"))
        .map(str::trim)
}

pub(super) fn is_comment(trimmed: &str) -> bool {
    comment(trimmed).is_some()
}

/// A `# @key arg` (or `# @key=arg`, as some JetBrains files write `@name`) directive.
pub(super) fn directive(trimmed: &str) -> Option<(&str, &str)> {
    let d = comment(trimmed)?.strip_prefix('@')?;
    let end = d
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(d.len());
    let (key, arg) = d.split_at(end);
    Some((
        key,
        arg.trim_start_matches(|c: char| c.is_whitespace() || c == '=')
            .trim(),
    ))
}

/// A `Name: value` line that is a header and cannot be a bare URL such as `localhost:8080/x`.
fn looks_like_header(trimmed: &str) -> bool {
    trimmed.split_once(':').is_some_and(|(name, rest)| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
            && (rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// JetBrains' `run #name` and `run ./other.http` lines, which run other requests in the IDE.
fn is_run_line(trimmed: &str) -> bool {
    trimmed
        .strip_prefix("run ")
        .is_some_and(|r| r.trim_start().starts_with(['#', '.', '/']))
}

/// What one block says.
struct ReadBlock {
    req: Request,
    extras: Extras,
    vars: Vec<(String, String)>,
    /// The request's own lines, relative to the block.
    request: Range<usize>,
}

fn read_block(block: &[(usize, &str)]) -> Result<Option<ReadBlock>, ParseError> {
    let mut req = Request::default();
    let mut extras = Extras::default();
    let mut vars = Vec::new();
    let mut stage = Stage::Preamble;
    let mut body_kind: Option<String> = None;
    let mut body_lines: Vec<(usize, &str)> = Vec::new();
    let mut off_form = Vec::new();
    let mut follow = false;
    let mut no_redirect = false;
    // The request's lines: from its first directive or script to its last line of content.
    let mut first: Option<usize> = None;
    let mut last = 0;
    let mut i = 0;
    while i < block.len() {
        let (n, line) = block[i];
        let trimmed = line.trim();
        let at = i;
        i += 1;
        if stage == Stage::Body && !scripts::is_trailer_start(trimmed) {
            body_lines.push((at, line));
            continue;
        }
        if stage == Stage::Trailer || scripts::is_trailer_start(trimmed) && stage != Stage::Preamble
        {
            stage = Stage::Trailer;
            if !trimmed.is_empty() && !is_comment(trimmed) {
                i = at + scripts::read_trailer(block, at, &mut extras)?;
            }
            continue;
        }
        if let Some((key, arg)) = directive(trimmed) {
            first.get_or_insert(at);
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
                "auth" => req.auth = directives::auth(arg).map_err(|m| err(n, m))?,
                "prompt" => extras
                    .prompts
                    .push(directives::prompt(arg).map_err(|m| err(n, m))?),
                _ => directives::option(&mut req, key, arg).map_err(|m| err(n, m))?,
            }
            continue;
        }
        if is_comment(trimmed) {
            continue;
        }
        match stage {
            Stage::Preamble if trimmed.is_empty() || is_run_line(trimmed) => {}
            Stage::Preamble if trimmed.starts_with('@') => vars.push(variable(n, trimmed)?),
            Stage::Preamble if scripts::opens_script(trimmed, '<') => {
                first.get_or_insert(at);
                let (script, taken) = scripts::read_inline(block, at)?;
                extras.pre.push(script);
                i = at + taken;
            }
            Stage::Preamble if scripts::is_pre_file(trimmed) => {
                first.get_or_insert(at);
                extras.pre.push(scripts::Script {
                    text: trimmed.to_string(),
                });
            }
            Stage::Preamble if looks_like_header(trimmed) => {
                return Err(err(
                    n,
                    format!(
                        "\"{trimmed}\" is a header, but no request line (METHOD URL) comes \
                         before it"
                    ),
                ));
            }
            Stage::Preamble => {
                first.get_or_insert(at);
                last = at;
                request_line(&mut req, trimmed).map_err(|m| err(n, m))?;
                stage = Stage::Headers;
            }
            Stage::Headers if trimmed.is_empty() => stage = Stage::Body,
            Stage::Headers
                if line.starts_with(char::is_whitespace)
                    && (trimmed.starts_with('?') || trimmed.starts_with('&')) =>
            {
                last = at;
                req.query.push(pair(&trimmed[1..]));
            }
            Stage::Headers => {
                last = at;
                let (name, value) = header(trimmed).ok_or_else(|| {
                    err(
                        n,
                        format!("expected a `Name: value` header, found \"{trimmed}\""),
                    )
                })?;
                req.headers.push(Row::new(name, value));
            }
            Stage::Body | Stage::Trailer => unreachable!("handled above"),
        }
    }
    if req.url.is_empty() {
        return Ok(None);
    }
    req.options.follow_redirects = follow && !no_redirect;
    absolute_from_host(&mut req);
    // Blank lines between the body and what follows it are not the body's.
    while body_lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        body_lines.pop();
    }
    if let Some((at, _)) = body_lines.last() {
        last = *at;
    }
    let body = body_lines
        .iter()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    req.body = body::make(&mut req, body_kind.as_deref(), body, off_form);
    basic_shorthand(&mut req);
    Ok(Some(ReadBlock {
        req,
        extras,
        vars,
        request: first.unwrap_or(last)..last + 1,
    }))
}

/// REST Client's relative form, `GET /path` with a `Host` header, as it reads it: https for
/// ports 443 and 8443, http otherwise. The header stays, and is the one sent.
fn absolute_from_host(req: &mut Request) {
    if !req.url.starts_with('/') {
        return;
    }
    let Some(host) = req.header_value("host").map(str::trim) else {
        return;
    };
    let scheme = match host.rsplit_once(':').map(|(_, port)| port) {
        Some("443" | "8443") => "https",
        _ => "http",
    };
    req.url = format!("{scheme}://{host}{}", req.url);
}

/// `METHOD URL [HTTP/x]`, or a bare URL meaning GET.
fn request_line(req: &mut Request, line: &str) -> Result<(), String> {
    let mut rest = line.trim();
    if let Some((head, version)) = rest.rsplit_once(char::is_whitespace)
        && version.starts_with("HTTP/")
    {
        if version == "HTTP/2" || version == "HTTP/2.0" {
            req.options.http_version = HttpVersion::Http2;
        }
        rest = head.trim_end();
    }
    // A variable may hold spaces (`{{$datetime 'YYYY-MM-DD' 1 d}}`), the URL otherwise not.
    let (method, url) = match rest.split_once(char::is_whitespace) {
        Some((method, url)) if is_method(method) => (Some(method), url.trim()),
        _ => (None, rest),
    };
    if url.is_empty() || outside_variables(url).contains(char::is_whitespace) {
        return Err(format!("expected `METHOD URL`, found \"{line}\""));
    }
    if let Some(method) = method {
        req.method = method.to_string();
    }
    req.url = url.to_string();
    Ok(())
}

fn is_method(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'-' || b == b'_')
}

/// `text` without its `{{…}}` parts.
fn outside_variables(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out + &rest[start..],
        }
    }
    out + rest
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

/// The editors' `Authorization: Basic user pass` (and `user:pass`) shorthand becomes basic auth.
fn basic_shorthand(req: &mut Request) {
    let Some(i) = req
        .headers
        .iter()
        .position(|r| r.enabled && r.name.eq_ignore_ascii_case("authorization"))
    else {
        return;
    };
    let words: Vec<&str> = req.headers[i].value.split_whitespace().collect();
    // `user pass`, or REST Client's `user:pass`; base64 never holds a colon, so an encoded
    // value is left as it is.
    let (user, pass) = match words.as_slice() {
        ["Basic", user, pass] => (*user, *pass),
        ["Basic", pair] if pair.contains(':') => pair.split_once(':').unwrap_or((pair, "")),
        _ => return,
    };
    req.auth = Auth::Basic {
        username: user.to_string(),
        password: pass.to_string(),
    };
    req.headers.remove(i);
}
