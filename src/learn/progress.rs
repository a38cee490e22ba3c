//! The learner's progress, saved as `learn.json` in the workspace: lessons completed, hints
//! revealed, and the findings the learner's own apiward runs reported against the lab.
//!
//! Completed lessons stay completed even when the lab's own record is reset. A corrupt file is
//! reported and left alone, never overwritten. The CLI, the workbench and its jobs all update
//! it, so every change is a locked read-modify-write ([`Progress::update`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::LearnError;

const FORMAT_VERSION: u32 = 1;

/// What `learn.json` holds. Times are unix seconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub completed: BTreeMap<String, i64>,
    /// Lesson id → hints revealed so far.
    #[serde(default)]
    pub hints: BTreeMap<String, usize>,
    /// Finding id → when an apiward run against the lab first reported it.
    #[serde(default)]
    pub findings: BTreeMap<String, i64>,
    /// The welcome screen was closed once; it opens by itself only until then.
    #[serde(default)]
    pub tour_seen: bool,
}

#[derive(Serialize, Deserialize)]
struct ProgressFile {
    learn_progress: u32,
    #[serde(flatten)]
    progress: Progress,
}

/// The progress file of a workspace.
pub fn file_in(workspace: &Path) -> PathBuf {
    workspace.join("learn.json")
}

impl Progress {
    /// The progress saved in `path`; empty when the file does not exist yet.
    pub fn load(path: &Path) -> Result<Self, LearnError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(LearnError::Io(path.display().to_string(), e.to_string())),
        };
        let file: ProgressFile = serde_json::from_str(&text).map_err(|e| {
            LearnError::Corrupt(format!(
                "{} is not a lesson progress file ({e}); move it away to start afresh",
                path.display()
            ))
        })?;
        if file.learn_progress != FORMAT_VERSION {
            return Err(LearnError::Corrupt(format!(
                "{} has progress format {}, this apiward reads {FORMAT_VERSION}",
                path.display(),
                file.learn_progress
            )));
        }
        Ok(file.progress)
    }

    /// Writes the progress to `path` atomically, creating its folder. Only under the lock.
    fn save(&self, path: &Path) -> Result<(), LearnError> {
        let file = ProgressFile {
            learn_progress: FORMAT_VERSION,
            progress: self.clone(),
        };
        let mut text = serde_json::to_string_pretty(&file)
            .map_err(|e| LearnError::Io(path.display().to_string(), e.to_string()))?;
        text.push('\n');
        crate::fs::write_atomic(path, text.as_bytes(), crate::fs::Perm::Keep)
            .map_err(|e| LearnError::Io(path.display().to_string(), e.to_string()))
    }

    /// Loads, applies `change`, and saves only when it changed something; returns the result.
    /// The file's lock is held from the read to the write, so two processes (a workbench and
    /// `apiward learn`, two workbenches) take turns and neither loses the other's change.
    pub fn update(path: &Path, change: impl FnOnce(&mut Progress)) -> Result<Progress, LearnError> {
        // The lock's own sentence names the file and what to do.
        let _lock = crate::fs::lock(path).map_err(|e| LearnError::Busy(e.to_string()))?;
        let mut progress = Self::load(path)?;
        let before = progress.clone();
        change(&mut progress);
        if progress != before {
            progress.save(path)?;
        }
        Ok(progress)
    }

    pub fn hints_shown(&self, lesson: &str) -> usize {
        self.hints.get(lesson).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_reloads_and_leaves_a_missing_file_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(dir.path());
        assert_eq!(Progress::load(&path).unwrap(), Progress::default());
        let saved = Progress::update(&path, |p| {
            p.completed.insert("use-https".into(), 5);
            p.hints.insert("jwt-none".into(), 2);
        })
        .unwrap();
        assert_eq!(Progress::load(&path).unwrap(), saved);
        assert_eq!(saved.hints_shown("jwt-none"), 2);
        assert_eq!(saved.hints_shown("use-https"), 0);
    }

    #[test]
    fn a_corrupt_file_is_reported_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(dir.path());
        std::fs::write(&path, "{not json").unwrap();
        let err = Progress::update(&path, |p| {
            p.findings.insert("x".into(), 1);
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("not a lesson progress file"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{not json");
    }

    #[test]
    fn concurrent_updates_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(dir.path());
        // Each thread stands for a process noting its own finding; without the lock, one's
        // read-modify-write would put its list over another's.
        std::thread::scope(|s| {
            for i in 0..8 {
                let path = &path;
                s.spawn(move || {
                    Progress::update(path, |p| {
                        p.findings.insert(format!("finding-{i}"), i);
                    })
                    .unwrap()
                });
            }
        });
        let saved = Progress::load(&path).unwrap();
        assert_eq!(saved.findings.len(), 8, "{saved:?}");
    }

    #[test]
    fn an_unchanged_update_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = file_in(dir.path());
        Progress::update(&path, |_| {}).unwrap();
        assert!(!path.exists());
    }
}
