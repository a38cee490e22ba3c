//! Success tracking: which exploits a learner has pulled off, as stable ids with a sentence.
//!
//! Lessons check these ids, so they are a public contract like finding ids: never rename one.
//! The list lives in memory, is served at `GET /lab/progress`, and is merged into
//! `progress.json` in the lab root (see [`merge`]), which every lab started from that root
//! shares, so a lesson can check it after the lab has stopped or from another process.

use std::path::Path;
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
        "jwt-alg-confusion-hidden-key",
        "an HS256 token keyed with an RSA public key recovered from two tokens was accepted",
    ),
    (
        "bfla-admin-function",
        "an ordinary user called an admin-only function",
    ),
    (
        "coupon-redeemed-repeatedly",
        "a one-per-customer coupon was redeemed again and again",
    ),
    (
        "ssrf-internal-reached",
        "the server fetched its own internal-only route for the learner",
    ),
    (
        "old-api-version-used",
        "a forgotten older API version gave out what the current one guards",
    ),
    (
        "partner-data-trusted",
        "a poisoned answer from a partner API reached the user unvalidated",
    ),
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

/// The successes this lab knows: those saved when it started and its own since.
pub struct Tracker {
    successes: Mutex<Vec<Success>>,
}

impl Tracker {
    /// A tracker starting from `saved` (see [`load`]).
    pub fn new(saved: Vec<Success>) -> Self {
        Self {
            successes: Mutex::new(saved),
        }
    }

    pub fn all(&self) -> Vec<Success> {
        self.lock().clone()
    }

    pub fn has(&self, id: &str) -> bool {
        self.lock().iter().any(|s| s.id == id)
    }

    /// Records `id` the first time it happens; later repeats keep the first sentence. Returns
    /// the whole list when it was new, for the writer to save.
    pub fn record(&self, id: &str, detail: String) -> Option<Vec<Success>> {
        let mut list = self.lock();
        if list.iter().any(|s| s.id == id) {
            return None;
        }
        list.push(Success {
            id: id.to_string(),
            detail,
            at: super::now(),
        });
        Some(list.clone())
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

/// Adds the successes in `found` that `path` does not hold yet, under the file's lock for the
/// whole read-modify-write: every lab running from one folder saves into the same file, and
/// neither may put its list over the other's. Returns what the file holds now. A corrupt or
/// foreign file is an error and is left alone.
pub fn merge(path: &Path, found: &[Success]) -> Result<Vec<Success>, LabError> {
    let io = |e: std::io::Error| LabError::Io(path.display().to_string(), e.to_string());
    let _lock = crate::fs::lock(path).map_err(io)?;
    let mut saved = load(path)?;
    let before = saved.len();
    for s in found {
        if !saved.iter().any(|old| old.id == s.id) {
            saved.push(s.clone());
        }
    }
    if saved.len() != before {
        let file = ProgressFile {
            lab_progress: FORMAT_VERSION,
            successes: saved,
        };
        let mut text = serde_json::to_string_pretty(&file)
            .map_err(std::io::Error::other)
            .map_err(io)?;
        text.push('\n');
        crate::fs::write_atomic(path, text.as_bytes(), crate::fs::Perm::Keep).map_err(io)?;
        saved = file.successes;
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn success(id: &str) -> Success {
        Success {
            id: id.into(),
            detail: format!("{id} worked"),
            at: 1,
        }
    }

    #[test]
    fn records_once_and_hands_back_the_list_to_save() {
        let t = Tracker::new(vec![success("verbose-error-leak")]);
        let saved = t.record("bola-read-other-user", "first".into()).unwrap();
        assert_eq!(saved.len(), 2);
        assert!(t.record("bola-read-other-user", "second".into()).is_none());
        assert!(t.record("verbose-error-leak", "again".into()).is_none());
        assert_eq!(t.all()[1].detail, "first");
    }

    #[test]
    fn two_labs_merging_into_one_file_both_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        // Each thread is a lab that knows only its own exploits (and what was saved before).
        let labs: Vec<Vec<Success>> = SUCCESS_IDS
            .iter()
            .map(|(id, _)| vec![success("verbose-error-leak"), success(id)])
            .collect();
        std::thread::scope(|s| {
            for found in &labs {
                let path = &path;
                s.spawn(move || merge(path, found).unwrap());
            }
        });
        let saved = load(&path).unwrap();
        assert_eq!(saved.len(), SUCCESS_IDS.len(), "{saved:?}");
        // Nothing new: the file is not replaced (an atomic write would give it a new inode).
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let before = std::fs::metadata(&path).unwrap().ino();
            merge(&path, &labs[0]).unwrap();
            assert_eq!(std::fs::metadata(&path).unwrap().ino(), before);
        }
    }

    #[test]
    fn a_foreign_file_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress.json");
        std::fs::write(&path, "{\"something\": 1}").unwrap();
        assert!(matches!(
            merge(&path, &[success("jwt-none-accepted")]),
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
