//! Success tracking: which exploits a learner has pulled off, as stable ids with a sentence.
//!
//! Lessons check these ids, so they are a public contract like finding ids: never rename one.
//! The list lives in memory, is served at `GET /lab/progress`, and is written to
//! `progress.json` in the lab's directory (atomically) so a lesson can check it after the lab
//! has stopped or from another process.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::LabError;

/// Every success id the lab records, with what it means.
pub const SUCCESS_IDS: &[(&str, &str)] = &[
    (
        "jwt-signature-not-verified",
        "a token with a forged signature was accepted",
    ),
    (
        "jwt-none-accepted",
        "an unsigned token with alg none was accepted",
    ),
    (
        "jwt-weak-secret-forged",
        "a token re-signed with the cracked weak secret was accepted",
    ),
    (
        "jwt-jwk-injection",
        "a token signed with a key embedded in its own jwk header was accepted",
    ),
    (
        "jwt-jku-injection",
        "a token whose jku header pointed at the learner's JWKS was accepted",
    ),
    (
        "jwt-kid-traversal",
        "a kid path traversal made the server use a key file the learner chose",
    ),
    (
        "jwt-alg-confusion",
        "an HS256 token keyed with the RSA public key was accepted",
    ),
    ("jwt-expired-accepted", "an expired token was accepted"),
    (
        "bola-read-other-user",
        "another user's record was read by changing the id",
    ),
    (
        "excessive-data-exposure",
        "password hashes were returned to a client",
    ),
    (
        "mass-assignment-admin",
        "a profile update made a user admin",
    ),
    (
        "login-brute-force",
        "a password was guessed after many failed logins",
    ),
    (
        "api-key-in-query",
        "an API key was accepted in the query string",
    ),
    (
        "verbose-error-leak",
        "an error answer leaked a stack trace and a query",
    ),
    (
        "cors-origin-reflected",
        "a foreign origin was allowed with credentials",
    ),
    (
        "plain-http-credentials",
        "a password was sent over plain HTTP and accepted",
    ),
];

/// One exploit that worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Success {
    /// A stable kebab-case id from [`SUCCESS_IDS`].
    pub id: String,
    /// What happened, in one sentence.
    pub detail: String,
    /// When, unix seconds.
    pub at: i64,
}

#[derive(Serialize, Deserialize)]
struct ProgressFile {
    lab_progress: u32,
    successes: Vec<Success>,
}

const FORMAT_VERSION: u32 = 1;

/// The successes so far, and where they are saved.
pub struct Tracker {
    file: Option<PathBuf>,
    successes: Mutex<Vec<Success>>,
}

impl Tracker {
    /// A tracker saving to `file`, starting from what it already holds. A corrupt or foreign
    /// file is an error and is left alone.
    pub fn open(file: Option<PathBuf>) -> Result<Self, LabError> {
        let successes = match &file {
            Some(path) => load(path)?,
            None => Vec::new(),
        };
        Ok(Self {
            file,
            successes: Mutex::new(successes),
        })
    }

    pub fn all(&self) -> Vec<Success> {
        self.lock().clone()
    }

    pub fn has(&self, id: &str) -> bool {
        self.lock().iter().any(|s| s.id == id)
    }

    /// Records `id` the first time it happens; later repeats keep the first sentence. Returns
    /// whether it was new.
    pub fn record(&self, id: &str, detail: String) -> bool {
        let mut list = self.lock();
        if list.iter().any(|s| s.id == id) {
            return false;
        }
        list.push(Success {
            id: id.to_string(),
            detail,
            at: super::now(),
        });
        // Saved under the lock so two writers cannot put an older list over a newer one.
        if let Some(path) = &self.file
            && let Err(e) = save(path, &list)
        {
            tracing::warn!("lab progress not saved: {e}");
        }
        true
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Success>> {
        self.successes.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The successes saved in `path`; none when it does not exist.
pub fn load(path: &Path) -> Result<Vec<Success>, LabError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(LabError::Io(path.display().to_string(), e.to_string())),
    };
    let file: ProgressFile = serde_json::from_str(&text).map_err(|e| {
        LabError::Progress(format!(
            "{} is not a lab progress file ({e}); move it away to start afresh",
            path.display()
        ))
    })?;
    if file.lab_progress != FORMAT_VERSION {
        return Err(LabError::Progress(format!(
            "{} has progress format {}, this apiward reads {FORMAT_VERSION}",
            path.display(),
            file.lab_progress
        )));
    }
    Ok(file.successes)
}

fn save(path: &Path, successes: &[Success]) -> Result<(), String> {
    let file = ProgressFile {
        lab_progress: FORMAT_VERSION,
        successes: successes.to_vec(),
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    crate::http::workspace::write_atomic(path, text.as_bytes()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_once_saves_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        let t = Tracker::open(Some(path.clone())).unwrap();
        assert!(t.record("bola-read-other-user", "first".into()));
        assert!(!t.record("bola-read-other-user", "second".into()));
        assert!(t.has("bola-read-other-user"));
        let again = Tracker::open(Some(path)).unwrap();
        assert_eq!(again.all().len(), 1);
        assert_eq!(again.all()[0].detail, "first");
    }

    #[test]
    fn a_foreign_file_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        std::fs::write(&path, "{\"something\": 1}").unwrap();
        assert!(matches!(
            Tracker::open(Some(path.clone())),
            Err(LabError::Progress(_))
        ));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"something\": 1}"
        );
    }

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for (id, _) in SUCCESS_IDS {
            assert!(seen.insert(id));
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
    }
}
