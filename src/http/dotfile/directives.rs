//! The arguments of `# @directive` lines: apiward's own (`@auth`, `@timeout`, `@max-body`,
//! `@tag` …) and the editors' `@name` and `@prompt`.

use std::path::PathBuf;

use super::scripts::Prompt;
use crate::http::model::{Auth, HttpVersion, JwtKey, KeyPlace, Options, Request};

/// `# @prompt name [description]`.
pub(super) fn prompt(arg: &str) -> Result<Prompt, String> {
    let (name, description) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
    if name.is_empty() {
        return Err("expected `# @prompt name [description]`".into());
    }
    Ok(Prompt {
        name: name.to_string(),
        description: description.trim().to_string(),
    })
}

/// `# @auth none|basic|bearer|apikey|jwt …`, apiward's own.
pub(super) fn auth(arg: &str) -> Result<Auth, String> {
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
        ["digest", user, pass] => Auth::Digest {
            username: user.to_string(),
            password: pass.to_string(),
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

/// The other directives: `@name`, and apiward's sending options. The editors' own
/// (`@no-log`, `@no-cookie-jar` …) change nothing here.
pub(super) fn option(req: &mut Request, key: &str, arg: &str) -> Result<(), String> {
    let o: &mut Options = &mut req.options;
    let number = |a: &str| {
        a.parse::<u64>()
            .map_err(|_| format!("@{key} needs a number, not \"{a}\""))
    };
    match key {
        "name" => req.name = arg.to_string(),
        // One or more per line, each once: `# @tag admin`, `# @tag users, read-only`.
        "tag" if arg.is_empty() => return Err("expected `# @tag NAME`".into()),
        "tag" => {
            for tag in arg.split(|c: char| c == ',' || c.is_whitespace()) {
                if !tag.is_empty() && !req.tags.iter().any(|t| t == tag) {
                    req.tags.push(tag.to_string());
                }
            }
        }
        "max-redirects" => o.max_redirects = number(arg)? as usize,
        "timeout" => o.timeout_ms = millis("@timeout", arg)?,
        "connect-timeout" => o.connect_timeout_ms = Some(millis("@connect-timeout", arg)?),
        "connect-to" => o.connect_to = Some(arg.to_string()),
        "no-proxy" => o.no_proxy = Some(arg.to_string()),
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
        // Units as `send --max-body` takes them: 512, 10k, 64M, 1G.
        "max-body" => {
            o.max_body = crate::http::model::parse_size(arg).ok_or_else(|| {
                format!("@max-body needs a size such as 512, 10k or 64M, not \"{arg}\"")
            })?
        }
        // The editors' own directives (@no-log, @no-cookie-jar …) mean nothing here.
        _ => {}
    }
    Ok(())
}

/// Seconds, or with a unit as JetBrains writes it: `5`, `500ms`, `30 s`, `2 m`.
fn millis(directive: &str, arg: &str) -> Result<u64, String> {
    let (digits, unit) = arg.split_at(arg.find(|c: char| !c.is_ascii_digit()).unwrap_or(arg.len()));
    let scale = match unit.trim() {
        "ms" => 1,
        "" | "s" => 1000,
        "m" => 60_000,
        _ => {
            return Err(format!(
                "{directive} takes seconds, or a number with ms, s or m, not \"{arg}\""
            ));
        }
    };
    let n = digits
        .parse::<u64>()
        .map_err(|_| format!("{directive} needs a number, not \"{arg}\""))?;
    Ok(n.saturating_mul(scale))
}
