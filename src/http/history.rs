//! The send history: the last [`MAX_ENTRIES`] requests and a summary of each answer, one JSON
//! line each in the workspace, with every secret redacted before it touches the disk.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::model::Request;
use super::prepare::Prepared;
pub use super::redact::redact_request;
use super::redact::redact_text;
use super::response::Response;
use super::sensitive::redact_url;
use super::vars::unix_now;
use super::workspace_error::WorkspaceError;
use crate::fs::{Perm, append, lock, write_atomic};

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
            Err(e) => (None, Some(redact_text(e, r)), None, None, false),
        };
        Self {
            at: unix_now(),
            request: redact_request(request, r),
            method: prepared.method.to_string(),
            url: redact_text(&redact_url(&prepared.url, r), r),
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

    /// Adds an entry: one line appended under the file's lock, so concurrent sends from two
    /// processes both land. The file is 0600 (redacted entries still say where you sent
    /// what), and cut back to the newest [`MAX_ENTRIES`] once it holds twice as many, so most
    /// sends cost one appended line rather than a rewrite.
    pub fn append(&self, entry: &Entry) -> Result<(), WorkspaceError> {
        let io = |e| WorkspaceError::io(&self.path, e);
        let mut line = serde_json::to_string(entry)
            .map_err(|e| WorkspaceError::corrupt(&self.path, None, e.to_string()))?;
        line.push('\n');
        let _lock = lock(&self.path).map_err(io)?;
        append(&self.path, line.as_bytes(), Perm::Private).map_err(io)?;
        let lines = self.lines()?;
        if lines.len() > 2 * MAX_ENTRIES {
            let mut text = lines[lines.len() - MAX_ENTRIES..].join("\n");
            text.push('\n');
            write_atomic(&self.path, text.as_bytes(), Perm::Private).map_err(io)?;
        }
        Ok(())
    }

    /// The newest [`MAX_ENTRIES`] entries, newest first. A damaged line is reported with its
    /// number.
    pub fn list(&self) -> Result<Vec<Entry>, WorkspaceError> {
        let lines = self.lines()?;
        let skip = lines.len().saturating_sub(MAX_ENTRIES);
        let mut entries = Vec::new();
        for (i, line) in lines.iter().enumerate().skip(skip) {
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
    use crate::http::{Auth, Body, Row, Vars, prepare};

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
