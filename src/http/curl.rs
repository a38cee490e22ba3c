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

crate::error_kind::bad_input!(CurlError);

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

#[path = "curl_cookies.rs"]
mod cookies;
#[path = "curl_options.rs"]
pub mod options;
#[path = "curl_shell.rs"]
mod shell;
#[path = "curl_url.rs"]
mod url;

use options::{Arg, CurlOption, Treat};

pub fn import_curl(command: &str) -> Result<Imported, CurlError> {
    let split = shell::split(command)?;
    let mut args = split.words.into_iter();
    let program = args.next().unwrap_or_default();
    let base = program.rsplit(['/', '\\']).next().unwrap_or("");
    if !base.eq_ignore_ascii_case("curl") && !base.eq_ignore_ascii_case("curl.exe") {
        return Err(CurlError::NotCurl);
    }
    let mut b = Builder {
        warnings: split.warnings,
        ..Builder::default()
    };
    let mut options_done = false;
    while let Some(word) = args.next() {
        if options_done || !word.starts_with('-') || word == "-" {
            b.url(word)?;
            continue;
        }
        if word == "--" {
            options_done = true;
            continue;
        }
        if let Some(name) = word.strip_prefix("--") {
            let found = options::long(name)
                .map_err(|e| CurlError::Refused(format!("{e}, so curl refuses the command too")))?;
            let value = match found.option.arg {
                Arg::Value => Some(
                    args.next()
                        .ok_or_else(|| CurlError::MissingValue(format!("--{name}")))?,
                ),
                _ => None,
            };
            b.apply(found.option, &word, found.negated, value)?;
            continue;
        }
        // Short options bundle as curl reads them: switches run on until one that takes a
        // value, which takes the rest of the word, or else the next word.
        let letters = &word[1..];
        for (at, letter) in letters.char_indices() {
            let option = options::short(letter).ok_or_else(|| {
                CurlError::Refused(format!(
                    "-{letter} is not an option curl knows, so curl refuses the command too"
                ))
            })?;
            if option.arg == Arg::Value {
                let rest = &letters[at + letter.len_utf8()..];
                let value = if rest.is_empty() {
                    args.next()
                        .ok_or_else(|| CurlError::MissingValue(format!("-{letter}")))?
                } else {
                    rest.to_string()
                };
                b.apply(option, &format!("-{letter}"), false, Some(value))?;
                break;
            }
            b.apply(option, &format!("-{letter}"), false, None)?;
        }
    }
    b.finish()
}

/// curl's `curl_easy_escape`: everything but `A-Z a-z 0-9 - . _ ~` as `%XX`.
fn percent_encoded(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// As `--data-urlencode` and `--url-query` send it: escaped, with a space as `+`.
fn curl_escape(bytes: &[u8]) -> String {
    percent_encoded(bytes).replace("%20", "+")
}

/// `--data-urlencode` and `--url-query`: `content`, `=content`, `name=content`, `@file` or
/// `name@file`, the content (or the file's bytes, read now) encoded.
fn urlencode_arg(flag: &str, v: &str) -> Result<String, CurlError> {
    let at = v.find('=').or_else(|| v.find('@'));
    let (name, sep, content) = match at {
        Some(i) => (&v[..i], &v[i..=i], &v[i + 1..]),
        None => ("", "", v),
    };
    let bytes = if sep == "@" {
        read_now(flag, content)?
    } else {
        content.as_bytes().to_vec()
    };
    let encoded = curl_escape(&bytes);
    Ok(if name.is_empty() {
        encoded
    } else {
        format!("{name}={encoded}")
    })
}

/// A file an option reads while the command is imported, as curl reads it when run; `-` is
/// standard input, which a pasted command cannot mean.
fn read_now(flag: &str, path: &str) -> Result<Vec<u8>, CurlError> {
    if path == "-" {
        return Err(CurlError::Refused(format!(
            "{flag} reads from standard input, which a pasted command has none of: save it in \
             a file and name the file"
        )));
    }
    std::fs::read(path).map_err(|e| {
        CurlError::Refused(format!(
            "{flag} reads {path}, which cannot be read here ({e}); import the command from the \
             folder curl would run in"
        ))
    })
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
    /// `-u` was given: it wins over credentials in the URL.
    user_set: bool,
    url: Option<String>,
    url_query: Vec<String>,
    cookies: Vec<String>,
    cookie_files: Vec<String>,
    junk_session: bool,
    resolve: Vec<String>,
    connect_to: Vec<String>,
    /// `--digest`: the credentials of -u (or the URL) answer a Digest challenge.
    digest: bool,
    proxy_user: Option<String>,
    globoff: bool,
    path_as_is: bool,
    no_userinfo: bool,
    proto_default: Option<String>,
    /// `--http2`, which on http:// asks the server to upgrade to HTTP/2 (h2c).
    h2c_upgrade: bool,
    /// Options left out, each with why, said in one warning per reason.
    ignored: Vec<(String, &'static str)>,
    warnings: Vec<String>,
}

impl Builder {
    fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }

    /// One option from the table, `shown` as the user wrote it.
    fn apply(
        &mut self,
        option: &'static CurlOption,
        shown: &str,
        negated: bool,
        value: Option<String>,
    ) -> Result<(), CurlError> {
        match option.treat {
            // Switching off what apiward would refuse leaves nothing to refuse.
            Treat::Refuse(_) if negated => Ok(()),
            Treat::Refuse(what) => Err(CurlError::Refused(format!(
                "{shown} {what}, which apiward does not do; it refuses the command rather than \
                 send a different request"
            ))),
            Treat::Ignore(why) => {
                self.ignored.push((shown.to_string(), why));
                Ok(())
            }
            Treat::Honour => self.honour(option.long, shown, negated, value.unwrap_or_default()),
        }
    }

    fn honour(&mut self, long: &str, flag: &str, off: bool, v: String) -> Result<(), CurlError> {
        let o = &mut self.req.options;
        match long {
            "request" => {
                self.req.method = v.to_ascii_uppercase();
                self.method_set = true;
            }
            "header" => self.header(flag, &v)?,
            "data" | "data-ascii" => self.data_text(v)?,
            "data-raw" => self.data.push(v),
            "data-binary" => self.data(v, true),
            "data-urlencode" => self.data.push(urlencode_arg(flag, &v)?),
            "json" => {
                self.json = true;
                self.data(v, true);
            }
            "form" | "form-string" => self.form(flag, long == "form-string", &v)?,
            "get" => self.get = !off,
            "head" => self.head = !off,
            "user-agent" => self.req.headers.push(Row::new("User-Agent", &v)),
            "referer" => {
                // `;auto` also sets the Referer on redirects; the first request is the same.
                let url = v.strip_suffix(";auto").unwrap_or(&v);
                if !url.is_empty() {
                    self.req.headers.push(Row::new("Referer", url));
                }
            }
            "cookie" if v.contains('=') => self.cookies.push(v),
            "cookie" => self.cookie_files.push(v),
            "junk-session-cookies" => self.junk_session = !off,
            "user" => {
                let Some((user, pass)) = v.split_once(':') else {
                    return Err(CurlError::Refused(format!(
                        "{flag} {v} has no password, so curl would ask for one: write \
                         {flag} '{v}:password'"
                    )));
                };
                self.req.auth = Auth::Basic {
                    username: user.into(),
                    password: pass.into(),
                };
                self.user_set = true;
            }
            "oauth2-bearer" => self.req.auth = Auth::Bearer { token: v },
            "alpn" if off => {
                return Err(CurlError::Refused(format!(
                    "{flag} leaves ALPN out of the TLS handshake, which apiward does not do; it \
                     refuses the command rather than send a different request"
                )));
            }
            // The last of --basic and --digest wins, as in curl.
            "basic" => self.digest &= off,
            // curl's defaults, which are apiward's too: Basic to a proxy, the system's CAs, ALPN,
            // and gzip and br asked for and decoded (curl asks only with --compressed).
            "proxy-basic" | "ca-native" | "alpn" | "compressed" | "disable" => {}
            "insecure" => o.verify_tls = off,
            "cacert" => o.ca_file = Some(v.into()),
            "cert" => o.client_cert = Some(cert_path(flag, &v)?.into()),
            "key" => o.client_key = Some(v.into()),
            "cert-type" | "key-type" if !v.eq_ignore_ascii_case("PEM") => {
                return Err(CurlError::Refused(format!(
                    "{flag} {v} names a key or certificate format apiward does not read (it \
                     reads PEM)"
                )));
            }
            "cert-type" | "key-type" => {}
            // An empty proxy is curl's "no proxy at all", the environment's included.
            "proxy" if v.is_empty() => {
                o.proxy = None;
                o.no_proxy = Some("*".into());
            }
            "proxy" => o.proxy = Some(v),
            "socks4" | "socks4a" | "socks5" | "socks5-hostname" => {
                let scheme = long.replace("-hostname", "h");
                o.proxy = Some(format!("{scheme}://{v}"));
            }
            "proxy-user" => self.proxy_user = Some(v),
            "noproxy" => o.no_proxy = Some(v),
            "digest" => self.digest = !off,
            "location" | "follow" => o.follow_redirects = !off,
            "max-redirs" => {
                // -1 is curl's "no limit".
                o.max_redirects = match v.as_str() {
                    "-1" => 1_000_000,
                    _ => number(flag, &v)? as usize,
                }
            }
            "max-time" => o.timeout_ms = seconds(flag, &v)?,
            "connect-timeout" => o.connect_timeout_ms = Some(seconds(flag, &v)?),
            "http1.1" => o.http_version = HttpVersion::Http1,
            // curl's --http2 asks for h2 and falls back to HTTP/1.1 (ALPN on https, nothing on
            // http://), which is what apiward does by default; prior knowledge insists.
            "http2" => {
                o.http_version = HttpVersion::Auto;
                self.h2c_upgrade = true;
            }
            "http2-prior-knowledge" => o.http_version = HttpVersion::Http2,
            "url" => self.url(v)?,
            "url-query" => self.url_query.push(v),
            "resolve" => self.resolve.push(v),
            "connect-to" => self.connect_to.push(v),
            "globoff" => self.globoff = !off,
            "path-as-is" => self.path_as_is = !off,
            "disallow-username-in-url" => self.no_userinfo = !off,
            "proto-default" => self.proto_default = Some(v),
            "range" | "continue-at" => {
                let range = if long == "range" {
                    v.clone()
                } else {
                    format!("{v}-")
                };
                if v.is_empty()
                    || !range
                        .chars()
                        .all(|c| c.is_ascii_digit() || ",-".contains(c))
                {
                    return Err(CurlError::Refused(format!(
                        "{flag} {v} asks for a range apiward cannot work out from the command \
                         alone"
                    )));
                }
                self.req
                    .headers
                    .push(Row::new("Range", &format!("bytes={range}")));
            }
            other => {
                return Err(CurlError::Refused(format!(
                    "--{other} has no rule in apiward's import; please report it"
                )));
            }
        }
        Ok(())
    }

    /// `-H`: `Name: value`, `Name;` for an empty value, `Name:` to drop a header curl adds by
    /// itself, `@file` for one header a line.
    fn header(&mut self, flag: &str, h: &str) -> Result<(), CurlError> {
        if let Some(path) = h.strip_prefix('@') {
            let text = String::from_utf8_lossy(&read_now(flag, path)?).into_owned();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                self.header(flag, line)?;
            }
            return Ok(());
        }
        match h.split_once(':') {
            Some((n, v)) if v.trim().is_empty() => {
                let n = n.trim();
                // Headers apiward adds by itself; the others it never sends unasked.
                if [
                    "user-agent",
                    "accept",
                    "accept-encoding",
                    "host",
                    "content-type",
                ]
                .iter()
                .any(|d| d.eq_ignore_ascii_case(n))
                {
                    self.warn(format!(
                        "{flag} '{n}:' removes a header curl adds by itself; apiward still \
                         sends its own {n}"
                    ));
                }
            }
            Some((n, v)) => self.req.headers.push(Row::new(n.trim(), v.trim())),
            None => match h.trim().strip_suffix(';') {
                Some(n) if !n.is_empty() => self.req.headers.push(Row::new(n, "")),
                _ => self.warn(format!("ignored header \"{h}\" (no colon)")),
            },
        }
        Ok(())
    }

    /// `-F name=value`, `name=@file`, `name=<file` (the file's text as the value), each
    /// value or file name optionally in double quotes (`name="a;b"`, as Postman writes).
    fn form(&mut self, flag: &str, literal: bool, v: &str) -> Result<(), CurlError> {
        let Some((name, val)) = v.split_once('=') else {
            return Err(CurlError::Refused(format!(
                "{flag} {v} has no '=' between name and value, which curl refuses too"
            )));
        };
        let value = if literal {
            PartValue::Text(val.into())
        } else {
            let (kind, rest) = match val.chars().next() {
                Some(c @ ('@' | '<')) => (Some(c), &val[1..]),
                _ => (None, val),
            };
            let (content, params) = form_word(rest);
            if ["type=", "filename=", "headers=", "encoder="]
                .iter()
                .any(|p| params.contains(p))
            {
                return Err(CurlError::Refused(format!(
                    "{flag} {v} sets a part's type, file name or headers, which apiward's \
                     multipart body does not hold yet"
                )));
            }
            match kind {
                Some('@') => {
                    let guessed = mime_guess::from_path(&content).first_or_octet_stream();
                    let by_curl = curl_part_type(&content);
                    if guessed.essence_str() != by_curl {
                        return Err(CurlError::Refused(format!(
                            "{flag} {v}: curl labels the file {by_curl} and apiward would \
                             label it {guessed}, and a part's type cannot be set yet"
                        )));
                    }
                    PartValue::File(PathBuf::from(content))
                }
                Some(_) => {
                    let bytes = read_now(flag, &content)?;
                    PartValue::Text(String::from_utf8(bytes).map_err(|_| {
                        CurlError::Refused(format!(
                            "{flag} {v} reads {content}, which is not text; send it as a file \
                             part with @"
                        ))
                    })?)
                }
                None if params.is_empty() => PartValue::Text(content),
                // curl keeps `;` and what follows in a plain value when it names nothing.
                None => PartValue::Text(format!("{content};{params}")),
            }
        };
        self.parts.push(Part {
            name: name.to_string(),
            value,
            enabled: true,
        });
        Ok(())
    }

    /// A word that is not an option: the URL. A second one is refused, since curl would send
    /// both.
    fn url(&mut self, url: String) -> Result<(), CurlError> {
        let Some(first) = &self.url else {
            self.url = Some(url);
            return Ok(());
        };
        Err(CurlError::Refused(format!(
            "the command names two URLs, \"{first}\" and \"{url}\"; apiward imports one \
             request: remove what is not the URL and import again"
        )))
    }

    /// `-d`: like `--data-binary`, except that curl strips carriage returns and newlines from
    /// a `@file`, so the file is read now, from where the command is run, and stripped.
    fn data_text(&mut self, v: String) -> Result<(), CurlError> {
        let Some(path) = v.strip_prefix('@') else {
            self.data.push(v);
            return Ok(());
        };
        let bytes = read_now(&format!("-d @{path}"), path)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            CurlError::Refused(format!(
                "-d @{path} is not text; use --data-binary @{path} to send its bytes"
            ))
        })?;
        self.data.push(text.replace(['\r', '\n'], ""));
        Ok(())
    }

    /// `@file` is sent from the file at send time where curl allows it (`--data-raw` never
    /// does); standard input cannot be.
    fn data(&mut self, v: String, file_allowed: bool) {
        match v.strip_prefix('@').filter(|_| file_allowed) {
            Some(path) => self.data_file = Some(PathBuf::from(path)),
            None => self.data.push(v),
        }
    }

    fn finish(mut self) -> Result<Imported, CurlError> {
        if self.data_file.as_deref() == Some(std::path::Path::new("-")) {
            return Err(CurlError::Refused(
                "the body is read from standard input (@-), which a pasted command has none \
                 of: save it in a file and pass it as @file"
                    .into(),
            ));
        }
        let explicit_method = self.method_set || self.head;
        let has_data = !self.data.is_empty() || self.data_file.is_some();
        if has_data && !self.parts.is_empty() {
            // curl refuses the pair too ("only one HTTP request method").
            return Err(CurlError::Refused(
                "the command mixes -d and -F, which curl refuses too: keep one".into(),
            ));
        }
        let has_body = has_data || !self.parts.is_empty();
        // --json pieces follow each other as they are; -d pieces are joined with `&`.
        let text = self.data.join(if self.json { "" } else { "&" });
        let get_query = (self.get && !text.is_empty()).then(|| text.clone());
        self.settle_url(get_query.as_deref())?;
        if self.h2c_upgrade
            && self.req.options.http_version == HttpVersion::Auto
            && self.req.url.starts_with("http://")
        {
            return Err(CurlError::Refused(
                "--http2 on an http:// URL makes curl ask the server to upgrade to HTTP/2 \
                 (Upgrade: h2c), which apiward does not do; use --http1.1 or \
                 --http2-prior-knowledge"
                    .into(),
            ));
        }
        let mut req = std::mem::take(&mut self.req);
        if self.get {
            // The data went into the URL.
        } else if self.json {
            if req.header_value("accept").is_none() {
                req.headers.push(Row::new("Accept", "application/json"));
            }
            req.body = match self.data_file {
                Some(path) => Body::File(path),
                None if is_json(&text) => Body::Json(text),
                None => {
                    if req.header_value("content-type").is_none() {
                        req.headers
                            .push(Row::new("Content-Type", "application/json"));
                    }
                    Body::Raw(text)
                }
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
        } else if has_data {
            let ct = req
                .header_value("content-type")
                .unwrap_or("")
                .to_ascii_lowercase();
            req.body = if ct.contains("json") && is_json(&text) {
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
        if self.digest
            && let Auth::Basic { username, password } = &req.auth
        {
            req.auth = Auth::Digest {
                username: username.clone(),
                password: password.clone(),
            };
        }
        if self.head {
            req.method = "HEAD".into();
        } else if !explicit_method && has_body && !self.get {
            req.method = "POST".into();
        }
        let mut warnings = self.warnings;
        let mut reasons: Vec<&str> = Vec::new();
        for (_, why) in &self.ignored {
            if !reasons.contains(why) {
                reasons.push(why);
            }
        }
        for why in reasons {
            let flags: Vec<&str> = self
                .ignored
                .iter()
                .filter(|(_, w)| *w == why)
                .map(|(f, _)| f.as_str())
                .collect();
            warnings.push(format!("ignored {}: {why}", flags.join(", ")));
        }
        Ok(Imported {
            request: req,
            warnings,
        })
    }
}

/// A `-F` value up to its `;parameters`: in double quotes (`\"` and `\\` escaped) or
/// plain.
fn form_word(text: &str) -> (String, &str) {
    if let Some(quoted) = text.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, n @ ('"' | '\\'))) => out.push(n),
                    Some((_, n)) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => out.push('\\'),
                },
                '"' => {
                    let after = &quoted[i + 1..];
                    return (out, after.strip_prefix(';').unwrap_or(after));
                }
                _ => out.push(c),
            }
        }
        return (out, "");
    }
    match text.split_once(';') {
        Some((content, params)) => (content.to_string(), params),
        None => (text.to_string(), ""),
    }
}

/// The type curl gives a file part, from its own short table by extension.
fn curl_part_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("gif") => "image/gif",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("txt") => "text/plain",
        Some("htm" | "html") => "text/html",
        Some("pdf") => "application/pdf",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}

/// `-E file`, refused with a passphrase (`file:secret`, `\:` being a colon of the name).
fn cert_path(flag: &str, v: &str) -> Result<String, CurlError> {
    let mut path = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ (':' | '\\')) => path.push(n),
                Some(n) => {
                    path.push('\\');
                    path.push(n);
                }
                None => path.push('\\'),
            },
            ':' if !v.starts_with("pkcs11:") => {
                return Err(CurlError::Refused(format!(
                    "{flag} gives the certificate's key a passphrase, which apiward does not \
                     take: use an unencrypted PEM key"
                )));
            }
            _ => path.push(c),
        }
    }
    if v.starts_with("pkcs11:") {
        return Err(CurlError::Refused(format!(
            "{flag} names a PKCS#11 token, which apiward does not read"
        )));
    }
    Ok(path)
}

/// apiward checks a JSON body before sending; what curl would send anyway stays raw text.
fn is_json(text: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
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

/// curl's seconds (fractions allowed) as milliseconds. `inf`, `NaN` and negatives parse as
/// f64 but are no timeout.
fn seconds(flag: &str, v: &str) -> Result<u64, CurlError> {
    let secs = v
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| CurlError::BadValue {
            flag: flag.into(),
            value: v.to_string(),
            expected: "seconds",
        })?;
    Ok((secs * 1000.0) as u64)
}
