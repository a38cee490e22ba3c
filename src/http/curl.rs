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
}

/// The request, and what could not be carried over.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub request: Request,
    pub warnings: Vec<String>,
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

pub fn import_curl(command: &str) -> Result<Imported, CurlError> {
    // Pasted commands are often split with `\` at line ends.
    let joined = command.replace("\\\r\n", " ").replace("\\\n", " ");
    let words = shlex::split(&joined).ok_or(CurlError::Quotes)?;
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
        match flag.as_str() {
            "-X" | "--request" => b.req.method = value()?.to_ascii_uppercase(),
            "-H" | "--header" => {
                let h = value()?;
                match h.split_once(':') {
                    Some((n, v)) => b.req.headers.push(Row::new(n.trim(), v.trim())),
                    None => b.warn(format!("ignored header \"{h}\" (no colon)")),
                }
            }
            "-d" | "--data" | "--data-ascii" => b.data(value()?, true),
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
            "--http2" | "--http2-prior-knowledge" => {
                b.req.options.http_version = HttpVersion::Http2
            }
            "--compressed" => {} // apiward always asks for gzip and br and decodes them.
            "-I" | "--head" => b.head = true,
            "-G" | "--get" => b.get = true,
            "--url" => b.url(value()?),
            f if OUTPUT_FLAGS.contains(&f) => {}
            "-o" | "--output" | "-w" | "--write-out" | "-D" | "--dump-header"
            | "--connect-timeout" | "--retry" => {
                let v = value()?;
                b.warn(format!(
                    "ignored {flag} {v}: it does not change the request"
                ));
            }
            f if f.starts_with('-') && f.len() > 1 => {
                b.warn(format!("unknown flag {f} was not imported"))
            }
            _ => b.url(arg),
        }
    }
    b.finish()
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
    url: Option<String>,
    warnings: Vec<String>,
}

impl Builder {
    fn warn(&mut self, w: String) {
        self.warnings.push(w);
    }

    fn url(&mut self, url: String) {
        if let Some(old) = self.url.replace(url) {
            self.warnings
                .push(format!("only one URL is imported; dropped {old}"));
        }
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
        let explicit_method = req.method != "GET" || self.head;
        let has_body = !self.data.is_empty() || self.data_file.is_some() || !self.parts.is_empty();
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

/// `a=b&c=d` shaped data, which the form table can hold (re-encoding may spell a space
/// `+` instead of `%20`, which means the same).
fn is_plain_form(text: &str) -> bool {
    text.split('&')
        .all(|p| p.contains('=') && !p.starts_with('='))
}

#[cfg(test)]
#[path = "curl_tests.rs"]
mod tests;
