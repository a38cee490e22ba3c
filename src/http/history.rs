//! The send history: the last [`MAX_ENTRIES`] requests and a summary of each answer, one JSON
//! line each in the workspace, with every secret redacted before it touches the disk.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::{Auth, Body, JwtKey, Request};
use super::prepare::Prepared;
use super::response::Response;
use super::sensitive::{is_credential_header, is_secret_param, mask_literal, redact_url};
use super::vars::{Redactor, unix_now};
use super::workspace::{WorkspaceError, write_atomic};

pub const MAX_ENTRIES: usize = 500;
pub const FILE_NAME: &str = "history.jsonl";

/// One send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unix seconds.
    pub at: u64,
    /// The request as written (variables unresolved), with literal credentials masked; it can
    /// be prepared and sent again.
    pub request: Request,
    pub method: String,
    /// The resolved URL, redacted.
    pub url: String,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub total_ms: Option<f64>,
    pub size: Option<u64>,
    pub truncated: bool,
}

impl Entry {
    /// The record of a send, redacted: `outcome` is the response or the error's text.
    pub fn new(request: &Request, prepared: &Prepared, outcome: Result<&Response, &str>) -> Self {
        let r = &prepared.redactor;
        let (status, error, total_ms, size, truncated) = match outcome {
            Ok(resp) => (
                Some(resp.status),
                None,
                Some(resp.timing.total_ms),
                Some(resp.body.len() as u64),
                resp.truncated,
            ),
            Err(e) => (None, Some(r.redact(e)), None, None, false),
        };
        Self {
            at: unix_now(),
            request: redact_request(request, r),
            method: prepared.method.to_string(),
            url: redact_url(&prepared.url, r),
            status,
            error,
            total_ms,
            size,
            truncated,
        }
    }

    /// True when `query` (any case) is in the method, URL, name, status or error.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.to_lowercase();
        [
            self.method.clone(),
            self.url.clone(),
            self.request.name.clone(),
            self.status.map(|s| s.to_string()).unwrap_or_default(),
            self.error.clone().unwrap_or_default(),
        ]
        .iter()
        .any(|f| f.to_lowercase().contains(&q))
    }
}

/// The request with literal credentials masked and known secret values removed.
pub fn redact_request(req: &Request, r: &Redactor) -> Request {
    let mut out = req.clone();
    let clean = |v: &str| r.redact(v);
    out.url = match reqwest::Url::parse(&req.url) {
        Ok(url) => redact_url(&url, r),
        Err(_) => clean(&req.url),
    };
    for row in &mut out.headers {
        row.value = if is_credential_header(&row.name) {
            mask_literal(&row.value)
        } else {
            clean(&row.value)
        };
    }
    for row in &mut out.query {
        row.value = if is_secret_param(&row.name) {
            mask_literal(&row.value)
        } else {
            clean(&row.value)
        };
    }
    out.auth = match &req.auth {
        Auth::None => Auth::None,
        Auth::Basic { username, password } => Auth::Basic {
            username: clean(username),
            password: mask_literal(password),
        },
        Auth::Bearer { token } => Auth::Bearer {
            token: mask_literal(token),
        },
        Auth::ApiKey { name, value, place } => Auth::ApiKey {
            name: name.clone(),
            value: mask_literal(value),
            place: *place,
        },
        Auth::Jwt { alg, key, claims } => Auth::Jwt {
            alg: alg.clone(),
            key: match key {
                JwtKey::Secret(s) => JwtKey::Secret(mask_literal(s)),
                JwtKey::PemFile(p) => JwtKey::PemFile(p.clone()),
            },
            claims: clean(claims),
        },
    };
    out.body = match &req.body {
        Body::Json(t) => Body::Json(clean(t)),
        Body::Raw(t) => Body::Raw(clean(t)),
        Body::Form(rows) => Body::Form(
            rows.iter()
                .map(|row| {
                    let mut row = row.clone();
                    row.value = if is_secret_param(&row.name) {
                        mask_literal(&row.value)
                    } else {
                        clean(&row.value)
                    };
                    row
                })
                .collect(),
        ),
        other => other.clone(),
    };
    out.options.proxy = req.options.proxy.as_deref().map(clean);
    out
}

/// The history file of a workspace.
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
}

impl History {
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join(FILE_NAME),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds an entry, keeping the newest [`MAX_ENTRIES`]. Written atomically.
    pub fn append(&self, entry: &Entry) -> Result<(), WorkspaceError> {
        let mut lines = self.lines()?;
        lines.push(
            serde_json::to_string(entry)
                .map_err(|e| WorkspaceError::corrupt(&self.path, None, e.to_string()))?,
        );
        let skip = lines.len().saturating_sub(MAX_ENTRIES);
        let mut text = lines[skip..].join("\n");
        text.push('\n');
        write_atomic(&self.path, text.as_bytes())
    }

    /// Every entry, newest first. A damaged line is reported with its number.
    pub fn list(&self) -> Result<Vec<Entry>, WorkspaceError> {
        let mut entries = Vec::new();
        for (i, line) in self.lines()?.iter().enumerate() {
            let entry = serde_json::from_str(line)
                .map_err(|e| WorkspaceError::corrupt(&self.path, Some(i + 1), e.to_string()))?;
            entries.push(entry);
        }
        entries.reverse();
        Ok(entries)
    }

    /// Entries matching `query`, newest first.
    pub fn search(&self, query: &str) -> Result<Vec<Entry>, WorkspaceError> {
        Ok(self
            .list()?
            .into_iter()
            .filter(|e| e.matches(query))
            .collect())
    }

    fn lines(&self) -> Result<Vec<String>, WorkspaceError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(WorkspaceError::io(&self.path, e)),
        };
        std::io::BufReader::new(file)
            .lines()
            .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
            .collect::<Result<_, _>>()
            .map_err(|e| WorkspaceError::io(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Row, Vars, prepare};

    #[test]
    fn keeps_the_newest_and_redacts() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::in_dir(dir.path());
        let mut vars = Vars::new();
        vars.set("secret", "very-secret-value", true);
        let mut req = Request::new("POST", "http://u:hunter2@127.0.0.1:9/x?token=literal-tok")
            .header("X-Api-Key", "literal-key");
        req.query.push(Row::new("q", "{{secret}}"));
        req.body = Body::Json(r#"{"p": "{{secret}}"}"#.into());
        req.auth = Auth::Bearer {
            token: "literal-bearer".into(),
        };
        let p = prepare(&req, &vars, None).unwrap();
        for i in 0..MAX_ENTRIES + 3 {
            let mut e = Entry::new(&req, &p, Err("refused very-secret-value"));
            e.at = i as u64;
            history.append(&e).unwrap();
        }
        let list = history.list().unwrap();
        assert_eq!(list.len(), MAX_ENTRIES);
        assert_eq!(list[0].at, (MAX_ENTRIES + 2) as u64);
        let text = std::fs::read_to_string(history.path()).unwrap();
        for secret in [
            "very-secret-value",
            "hunter2",
            "literal-tok",
            "literal-key",
            "literal-bearer",
        ] {
            assert!(!text.contains(secret), "{secret} leaked");
        }
        assert_eq!(history.search("POST").unwrap().len(), MAX_ENTRIES);
        assert!(history.search("nothing-like-this").unwrap().is_empty());
        std::fs::write(history.path(), "{not json\n").unwrap();
        let err = history.list().unwrap_err().to_string();
        assert!(
            err.contains("history.jsonl") && err.contains("line 1"),
            "{err}"
        );
    }
}
