//! A pasted `curl` command becomes a [`Request`]. Flags apiward cannot honour are returned as
//! warnings, never dropped in silence.

use std::path::PathBuf;

use super::model::{Auth, Body, HttpVersion, Part, PartValue, Request, Row};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurlError {
    #[error("the command has unbalanced quotes")]
    Quotes,
    #[error("that is not a curl command (it should start with `curl`)")]
    NotCurl,
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("the command has no URL")]
    NoUrl,
    #[error("{flag} expects {expected}, not \"{value}\"")]
    BadValue {
        flag: String,
        value: String,
        expected: &'static str,
    },
    /// Something curl would do that apiward cannot, where going on would send a different
    /// request than curl does.
    #[error("{0}")]
    Refused(String),
}

/// The request, and what could not be carried over.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub request: Request,
    pub warnings: Vec<String>,
}

impl Imported {
    /// Makes relative body and part files absolute from `base`, the folder the command was
    /// pasted in: curl reads them there, not where the request is later saved.
    pub fn resolve_files(&mut self, base: &std::path::Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        match &mut self.request.body {
            Body::File(p) => fix(p),
            Body::Multipart(parts) => {
                for part in parts {
                    if let PartValue::File(p) = &mut part.value {
                        fix(p);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Flags that only change how curl prints; they mean nothing to a request.
const OUTPUT_FLAGS: &[&str] = &[
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-v",
    "--verbose",
    "-i",
    "--include",
    "--no-progress-meter",
    "-#",
    "--progress-bar",
];
/// Short flags that take no value, for bundles such as `-sSLk`.
const SHORT_SWITCHES: &str = "sSviLkIG#";

/// curl options that take a value and do not change the request apiward sends: their value
/// is skipped with a warning, so it is never taken for the URL.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-w",
    "--write-out",
    "-D",
    "--dump-header",
    "-c",
    "--cookie-jar",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--limit-rate",
    "--max-filesize",
    "--output-dir",
    "--stderr",
    "--trace",
    "--trace-ascii",
    "--keepalive-time",
    "--expect100-timeout",
    "--happy-eyeballs-timeout-ms",
    "--etag-save",
    "--etag-compare",
    "--hsts",
    "--alt-svc",
    "--local-port",
    "-y",
    "--speed-time",
    "-Y",
    "--speed-limit",
];

/// curl options that take a value and change the request in ways apiward does not carry
/// over: importing without them would send something else, so they are refused by name.
const REFUSED_WITH_VALUE: &[(&str, &str)] = &[
    ("-T", "uploads a file with PUT"),
    ("--upload-file", "uploads a file with PUT"),
    ("-r", "asks for a byte range"),
    ("--range", "asks for a byte range"),
    ("--resolve", "sends to an address of its choosing"),
    ("--connect-to", "sends to an address of its choosing"),
    ("--unix-socket", "sends over a Unix socket"),
    ("--abstract-unix-socket", "sends over a Unix socket"),
    ("-K", "reads more options from a file"),
    ("--config", "reads more options from a file"),
    ("--aws-sigv4", "signs the request for AWS"),
    ("-U", "authenticates to the proxy"),
    ("--proxy-user", "authenticates to the proxy"),
    (
        "--url-query",
        "adds to the query in ways apiward does not read",
    ),
    ("--variable", "expands variables"),
    ("-z", "makes the request conditional on a time"),
    ("--time-cond", "makes the request conditional on a time"),
];

/// curl options without a value that change the request in ways apiward cannot follow.
const REFUSED_SWITCHES: &[(&str, &str)] = &[
    (
        "--digest",
        "Digest authentication (apiward would send the password with Basic)",
    ),
    ("--ntlm", "NTLM authentication"),
    ("--negotiate", "Negotiate (Kerberos) authentication"),
    ("--anyauth", "authentication the server picks"),
    ("-n", "credentials from .netrc"),
    ("--netrc", "credentials from .netrc"),
    ("-j", "a new cookie session"),
    ("-0", "HTTP/1.0"),
    ("--http1.0", "HTTP/1.0"),
    ("--http3", "HTTP/3"),
    ("--http3-only", "HTTP/3"),
    ("-4", "IPv4 only"),
    ("-6", "IPv6 only"),
    ("-Z", "several transfers at once"),
    ("--parallel", "several transfers at once"),
];

/// Shell words that are not curl's: a redirect, pipe or second command pasted with it.
const SHELL_WORDS: &[&str] = &[
    "<", ">", ">>", "|", "||", "&&", ";", "&", "<<", "<<<", "2>&1",
];

pub fn import_curl(command: &str) -> Result<Imported, CurlError> {
    // Pasted commands are often split with `\` at line ends.
    let joined = command.replace("\\\r\n", " ").replace("\\\n", " ");
    // Chrome's "Copy as cURL (bash)" quotes with `$'…'`, which shlex does not know.
    let joined = ansi_c_quotes(&joined)?;
    let words = shlex::split(&joined).ok_or(CurlError::Quotes)?;
    if let Some(w) = words
        .iter()
        .find(|w| SHELL_WORDS.contains(&w.as_str()) || w.starts_with("<<") || w.starts_with("$("))
    {
        return Err(CurlError::Refused(format!(
            "the command holds shell syntax ({w}), which is not part of curl: paste the curl \
             command alone, with a body file as -d @file"
        )));
    }
    let mut args = words.into_iter();
    if args.next().as_deref() != Some("curl") {
        return Err(CurlError::NotCurl);
    }
    let mut expanded = Vec::new();
    for arg in args {
        match arg.strip_prefix('-') {
            Some(bundle)
                if !arg.starts_with("--")
                    && bundle.len() > 1
                    && bundle.chars().all(|c| SHORT_SWITCHES.contains(c)) =>
            {
                expanded.extend(bundle.chars().map(|c| format!("-{c}")));
            }
            // `-HName: v`, `-XPOST`: a short flag with its value attached. Split on the
            // first char, not the first byte: `-é` must not cut a UTF-8 sequence in half.
            Some(rest) if !arg.starts_with("--") => match rest.chars().next() {
                Some(short) if "XHdubFxeAm".contains(short) && rest.len() > short.len_utf8() => {
                    expanded.push(format!("-{short}"));
                    expanded.push(rest[short.len_utf8()..].to_string());
                }
                _ => expanded.push(arg),
            },
            _ => expanded.push(arg),
        }
    }
    let mut b = Builder::default();
    let mut it = expanded.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| CurlError::MissingValue(flag.clone()))
        };
        if let Some((_, what)) = REFUSED_SWITCHES.iter().find(|(f, _)| *f == flag) {
            return Err(CurlError::Refused(format!(
                "{flag} asks for {what}, which apiward does not do; it refuses the command \
                 rather than send a different request"
            )));
        }
        if let Some((_, what)) = REFUSED_WITH_VALUE.iter().find(|(f, _)| *f == flag) {
            return Err(CurlError::Refused(format!(
                "{flag} {what}, which apiward does not do; it refuses the command rather than \
                 send a different request"
            )));
        }
        match flag.as_str() {
            "-X" | "--request" => {
                b.req.method = value()?.to_ascii_uppercase();
                b.method_set = true;
            }
            "-H" | "--header" => {
                let h = value()?;
                match h.split_once(':') {
                    Some((n, v)) => b.req.headers.push(Row::new(n.trim(), v.trim())),
                    None => b.warn(format!("ignored header \"{h}\" (no colon)")),
                }
            }
            "-d" | "--data" | "--data-ascii" => b.data_text(value()?)?,
            "--data-raw" => b.data(value()?, false),
            "--data-binary" => b.data(value()?, true),
            "--data-urlencode" => {
                let v = value()?;
                let encoded = match v.split_once('=') {
                    Some((n, val)) => format!(
                        "{n}={}",
                        form_urlencoded::byte_serialize(val.as_bytes()).collect::<String>()
                    ),
                    None => form_urlencoded::byte_serialize(v.as_bytes()).collect(),
                };
                b.data(encoded, false);
            }
            "--json" => {
                b.json = true;
                b.data(value()?, true);
            }
            "-F" | "--form" | "--form-string" => {
                let v = value()?;
                let (name, val) = v.split_once('=').unwrap_or((&v, ""));
                let file = (flag != "--form-string")
                    .then(|| val.strip_prefix('@').or_else(|| val.strip_prefix('<')))
                    .flatten();
                let part_value = match file {
                    Some(path) => {
                        PartValue::File(PathBuf::from(path.split(';').next().unwrap_or(path)))
                    }
                    None => PartValue::Text(val.to_string()),
                };
                b.parts.push(Part {
                    name: name.to_string(),
                    value: part_value,
                    enabled: true,
                });
            }
            "-u" | "--user" => {
                let v = value()?;
                let (user, pass) = v.split_once(':').unwrap_or((&v, ""));
                b.req.auth = Auth::Basic {
                    username: user.into(),
                    password: pass.into(),
                };
            }
            "--oauth2-bearer" => b.req.auth = Auth::Bearer { token: value()? },
            "-b" | "--cookie" => {
                let v = value()?;
                if v.contains('=') {
                    b.req.headers.push(Row::new("Cookie", &v));
                } else {
                    b.warn(format!(
                        "ignored cookie file \"{v}\": paste the cookie as -b 'name=value'"
                    ));
                }
            }
            "-A" | "--user-agent" => b.req.headers.push(Row::new("User-Agent", &value()?)),
            "-e" | "--referer" => b.req.headers.push(Row::new("Referer", &value()?)),
            "-k" | "--insecure" => b.req.options.verify_tls = false,
            "-L" | "--location" => b.req.options.follow_redirects = true,
            "--max-redirs" => b.req.options.max_redirects = number(&flag, &value()?)? as usize,
            "-m" | "--max-time" => {
                let v = value()?;
                // `inf`, `NaN` and negatives parse as f64 but are no timeout.
                let secs = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .ok_or_else(|| CurlError::BadValue {
                        flag: flag.clone(),
                        value: v,
                        expected: "seconds",
                    })?;
                b.req.options.timeout_ms = (secs * 1000.0) as u64;
            }
            "--cacert" => b.req.options.ca_file = Some(value()?.into()),
            "-E" | "--cert" => b.req.options.client_cert = Some(value()?.into()),
            "--key" => b.req.options.client_key = Some(value()?.into()),
            "-x" | "--proxy" => b.req.options.proxy = Some(value()?),
            "--http1.1" => b.req.options.http_version = HttpVersion::Http1,
            // curl's --http2 asks for h2 and falls back to HTTP/1.1 (ALPN on https, nothing on
            // http://), which is what apiward does by default; prior knowledge insists.
            "--http2" => b.req.options.http_version = HttpVersion::Auto,
            "--http2-prior-knowledge" => b.req.options.http_version = HttpVersion::Http2,
            "--compressed" => {} // apiward always asks for gzip and br and decodes them.
            "-I" | "--head" => b.head = true,
            "-G" | "--get" => b.get = true,
            "--url" => b.url(value()?)?,
            f if OUTPUT_FLAGS.contains(&f) => {}
            f if IGNORED_WITH_VALUE.contains(&f) => {
                let v = value()?;
                b.warn(format!(
                    "ignored {flag} {v}: it does not change the request"
                ));
            }
            f if f.starts_with('-') && f.len() > 1 => {
                b.warn(format!("unknown flag {f} was not imported"));
                b.unknown.push(f.to_string());
            }
            _ => b.url(arg)?,
        }
    }
    b.finish()
}

/// Rewrites bash's ANSI-C quoted words (`$'a\r\nb'`) as plain single-quoted ones holding
/// the decoded characters, so shlex can split the command. Text inside other quotes is left
/// alone.
fn ansi_c_quotes(text: &str) -> Result<String, CurlError> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut single, mut double) = (false, false);
    while let Some(c) = chars.next() {
        match c {
            '\\' if !single => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '\'' if !double => {
                single = !single;
                out.push(c);
            }
            '"' if !single => {
                double = !double;
                out.push(c);
            }
            '$' if !single && !double && chars.peek() == Some(&'\'') => {
                chars.next();
                let decoded = ansi_c_body(&mut chars)?;
                out.push('\'');
                out.push_str(&decoded.replace('\'', "'\\''"));
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// The decoded text of a `$'…'` word, its opening quote already read, up to its closing one.
fn ansi_c_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, CurlError> {
    let mut out = String::new();
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, max: usize| {
        let mut n = 0u32;
        let mut digits = 0;
        while digits < max {
            match chars.peek().and_then(|c| c.to_digit(16)) {
                Some(d) => {
                    n = n * 16 + d;
                    digits += 1;
                    chars.next();
                }
                None => break,
            }
        }
        (digits > 0).then(|| char::from_u32(n)).flatten()
    };
    loop {
        match chars.next().ok_or(CurlError::Quotes)? {
            '\'' => return Ok(out),
            '\\' => match chars.next().ok_or(CurlError::Quotes)? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'e' | 'E' => out.push('\u{1b}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                'x' => out.extend(hex(chars, 2)),
                'u' => out.extend(hex(chars, 4)),
                'U' => out.extend(hex(chars, 8)),
                d @ '0'..='7' => {
                    let mut n = d.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match chars.peek().and_then(|c| c.to_digit(8)) {
                            Some(v) => {
                                n = n * 8 + v;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.extend(char::from_u32(n));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
}

fn number(flag: &str, v: &str) -> Result<u64, CurlError> {
    v.parse().map_err(|_| CurlError::BadValue {
        flag: flag.into(),
        value: v.into(),
        expected: "a number",
    })
}

#[derive(Default)]
struct Builder {
    req: Request,
    data: Vec<String>,
    data_file: Option<PathBuf>,
    parts: Vec<Part>,
    json: bool,
    head: bool,
    get: bool,
    /// `-X` was given: curl keeps that method even with a body (`-X GET -d …`).
    method_set: bool,
    url: Option<String>,
    /// Unknown flags seen, which may have taken the next word as their value.
    unknown: Vec<String>,
    warnings: Vec<String>,
}

impl Builder {
    fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }

    /// A word that is not a flag: the URL. A second one is refused, since curl would send
    /// both, and after an unknown flag it may well be that flag's value.
    fn url(&mut self, url: String) -> Result<(), CurlError> {
        let Some(first) = &self.url else {
            self.url = Some(url);
            return Ok(());
        };
        let why = match self.unknown.last() {
            Some(flag) => format!(
                "{flag} is a flag apiward does not know, so it cannot tell whether \"{first}\" \
                 or \"{url}\" is the URL"
            ),
            None => format!(
                "the command names two URLs, \"{first}\" and \"{url}\"; apiward imports one \
                 request"
            ),
        };
        Err(CurlError::Refused(format!(
            "{why}: remove what is not the URL and import again"
        )))
    }

    /// `-d`: like `--data-binary`, except that curl strips carriage returns and newlines from
    /// a `@file`, so the file is read now, from where the command is run, and stripped.
    fn data_text(&mut self, v: String) -> Result<(), CurlError> {
        let Some(path) = v.strip_prefix('@') else {
            self.data.push(v);
            return Ok(());
        };
        let bytes = std::fs::read(path).map_err(|e| {
            CurlError::Refused(format!(
                "-d @{path} reads its body from a file that cannot be read here ({e}); run the \
                 import where the file is, or use --data-binary to send it at send time"
            ))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CurlError::Refused(format!(
                "-d @{path} is not text; use --data-binary @{path} to send its bytes"
            ))
        })?;
        self.data.push(text.replace(['\r', '\n'], ""));
        Ok(())
    }

    /// `@file` reads a file where curl allows it (`--data-raw` never does).
    fn data(&mut self, v: String, file_allowed: bool) {
        match v.strip_prefix('@').filter(|_| file_allowed) {
            Some(path) => self.data_file = Some(PathBuf::from(path)),
            None => self.data.push(v),
        }
    }

    fn finish(mut self) -> Result<Imported, CurlError> {
        let mut req = std::mem::take(&mut self.req);
        req.url = self.url.take().ok_or(CurlError::NoUrl)?;
        let explicit_method = self.method_set || self.head;
        let has_data = !self.data.is_empty() || self.data_file.is_some();
        if has_data && !self.parts.is_empty() {
            // curl refuses the pair too ("only one HTTP request method").
            return Err(CurlError::Refused(
                "the command mixes -d and -F, which curl refuses too: keep one".into(),
            ));
        }
        let has_body = has_data || !self.parts.is_empty();
        let text = self.data.join("&");
        if self.get && !text.is_empty() {
            req.query
                .extend(form_urlencoded::parse(text.as_bytes()).map(|(n, v)| Row::new(&n, &v)));
        } else if self.json {
            if req.header_value("accept").is_none() {
                req.headers.push(Row::new("Accept", "application/json"));
            }
            req.body = match self.data_file {
                Some(path) => Body::File(path),
                None => Body::Json(text),
            };
        } else if !self.parts.is_empty() {
            // curl adds the boundary to a multipart Content-Type written by hand; apiward's
            // multipart body writes the whole header itself, so the hand-written one goes.
            req.headers.retain(|h| {
                !(h.name.eq_ignore_ascii_case("content-type")
                    && h.value
                        .to_ascii_lowercase()
                        .starts_with("multipart/form-data")
                    && !h.value.contains("boundary="))
            });
            req.body = Body::Multipart(std::mem::take(&mut self.parts));
        } else if let Some(path) = self.data_file {
            req.body = Body::File(path);
            default_form_type(&mut req);
        } else if !text.is_empty() {
            let ct = req
                .header_value("content-type")
                .unwrap_or("")
                .to_ascii_lowercase();
            req.body = if ct.contains("json") {
                Body::Json(text)
            } else if (ct.is_empty() || ct.starts_with("application/x-www-form-urlencoded"))
                && is_plain_form(&text)
            {
                Body::Form(
                    form_urlencoded::parse(text.as_bytes())
                        .map(|(n, v)| Row::new(&n, &v))
                        .collect(),
                )
            } else {
                default_form_type(&mut req);
                Body::Raw(text)
            };
        }
        if self.head {
            req.method = "HEAD".into();
        } else if !explicit_method && has_body && !self.get {
            req.method = "POST".into();
        }
        Ok(Imported {
            request: req,
            warnings: self.warnings,
        })
    }
}

fn default_form_type(req: &mut Request) {
    if req.header_value("content-type").is_none() {
        req.headers.push(Row::new(
            "Content-Type",
            "application/x-www-form-urlencoded",
        ));
    }
}

/// `a=b&c=d` data that the form table can hold and write back byte for byte: curl sends
/// `-d` text as it is, so `a=b c` (a raw space) stays raw text rather than become `a=b+c`.
fn is_plain_form(text: &str) -> bool {
    let rows = form_urlencoded::parse(text.as_bytes());
    text.split('&')
        .all(|p| p.contains('=') && !p.starts_with('='))
        && form_urlencoded::Serializer::new(String::new())
            .extend_pairs(rows)
            .finish()
            == text
}

#[cfg(test)]
#[path = "curl_tests.rs"]
mod tests;
