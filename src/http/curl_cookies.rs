//! `-b`: cookie text sent as it is, and cookie files (curl's Netscape format) read while the
//! command is imported, matched to the URL as curl matches them.

use super::{Builder, CurlError, read_now};
use crate::http::model::Row;

/// One line of a Netscape cookie file.
struct Cookie {
    domain: String,
    /// `TRUE`: sub-domains match too.
    tail: bool,
    path: String,
    secure: bool,
    /// Unix seconds; 0 for a session cookie.
    expires: i64,
    name: String,
    value: String,
}

fn parse(text: &str) -> Vec<Cookie> {
    text.lines()
        .filter_map(|line| {
            let line = line.strip_prefix("#HttpOnly_").unwrap_or(line);
            if line.starts_with('#') || line.trim().is_empty() {
                return None;
            }
            let f: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            if f.len() < 6 {
                return None;
            }
            let domain = f[0].to_ascii_lowercase();
            Some(Cookie {
                tail: f[1].eq_ignore_ascii_case("TRUE") || domain.starts_with('.'),
                domain: domain.trim_start_matches('.').to_string(),
                path: f[2].to_string(),
                secure: f[3].eq_ignore_ascii_case("TRUE"),
                expires: f[4].parse().unwrap_or(0),
                name: f[5].to_string(),
                value: f.get(6).copied().unwrap_or("").to_string(),
            })
        })
        .collect()
}

/// curl's path match: `/a` matches `/a`, `/a/` and `/a/b`, not `/ab`.
fn path_matches(cookie: &str, path: &str) -> bool {
    cookie == "/"
        || path == cookie
        || (path.starts_with(cookie)
            && (cookie.ends_with('/') || path[cookie.len()..].starts_with('/')))
}

impl Builder {
    /// The Cookie header curl would send to `host` at `path`: the file's matching cookies
    /// first, then the `-b` text. A Cookie header written with -H wins over both, as in curl.
    pub(super) fn settle_cookies(
        &mut self,
        scheme: &str,
        host: &str,
        path: &str,
    ) -> Result<(), CurlError> {
        if self.req.header_value("cookie").is_some() {
            return Ok(());
        }
        // curl counts localhost as a secure context, as browsers do.
        let secure = scheme.eq_ignore_ascii_case("https")
            || ["localhost", "127.0.0.1", "::1"].contains(&host);
        let now = jiff::Timestamp::now().as_second();
        let path = if path.is_empty() { "/" } else { path };
        let mut matched: Vec<Cookie> = Vec::new();
        for file in std::mem::take(&mut self.cookie_files) {
            if file == "-" || !std::path::Path::new(&file).exists() {
                self.warn(format!(
                    "-b {file} names no cookie file here; curl would send no cookies from it \
                     either"
                ));
                continue;
            }
            let text = String::from_utf8_lossy(&read_now("-b", &file)?).into_owned();
            if text
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
            {
                return Err(CurlError::Refused(format!(
                    "-b {file} holds Set-Cookie lines, which apiward does not read; save the \
                     cookies with curl -c to get the Netscape format"
                )));
            }
            matched.extend(parse(&text).into_iter().filter(|c| {
                (c.domain == host || (c.tail && host.ends_with(&format!(".{}", c.domain))))
                    && path_matches(&c.path, path)
                    && (!c.secure || secure)
                    && if c.expires == 0 {
                        !self.junk_session
                    } else {
                        c.expires > now
                    }
            }));
        }
        // curl's order: longer paths first, then longer domains, then longer names.
        matched.sort_by(|a, b| {
            (b.path.len(), b.domain.len(), b.name.len()).cmp(&(
                a.path.len(),
                a.domain.len(),
                a.name.len(),
            ))
        });
        let mut pieces: Vec<String> = matched
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if !self.cookies.is_empty() {
            // The tool joins its -b texts with `;`; the library adds them after the file's.
            pieces.push(self.cookies.join(";"));
        }
        if !pieces.is_empty() {
            self.req
                .headers
                .push(Row::new("Cookie", &pieces.join("; ")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_as_curl_matches_them() {
        assert!(path_matches("/", "/x"));
        assert!(path_matches("/a", "/a/b"));
        assert!(path_matches("/a/", "/a/b"));
        assert!(!path_matches("/a", "/ab"));
    }
}
