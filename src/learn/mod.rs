//! Lessons: a path through API security, hands-on against the practice lab, each checked
//! automatically. No UI here: `apiward learn` and the Learn tab both call these functions.
//!
//! A lesson is done when the lab has recorded one of its exploits (`progress.json` in the
//! lab root, see [`crate::lab::progress`]) or when the learner's own apiward run against
//! the lab reported one of its findings ([`note_findings`]). Progress is kept in the
//! workspace ([`progress`]).

pub mod lessons;
pub mod progress;
pub mod sample;

use std::path::{Path, PathBuf};

pub use lessons::{Evidence, LESSONS, Lesson, Track};
pub use progress::Progress;

pub use crate::lab::LabUrls;
use crate::lab::Success;

/// What can go wrong reading or saving lessons' state, each a single clear sentence.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    #[error("there is no lesson {0}: lessons are numbered 1 to {max}", max = LESSONS.len())]
    NoLesson(String),
    #[error("{0}")]
    Corrupt(String),
    #[error("{0}: {1}")]
    Io(String, String),
    /// Another process holds the progress file's lock: the sentence says which and what to do.
    #[error("{0}")]
    Busy(String),
    /// Transparent: the lab's error is the whole message, and must not repeat as its cause.
    #[error(transparent)]
    Lab(#[from] crate::lab::LabError),
}

impl crate::error_kind::Kind for LearnError {
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        use crate::error_kind::ExitKind;
        match self {
            LearnError::Lab(e) => e.exit_kind(),
            LearnError::Busy(_) => ExitKind::Failure,
            _ => ExitKind::BadInput,
        }
    }
}

/// Lesson `n`, counted from 1, or by its id.
pub fn lesson(which: &str) -> Result<(usize, &'static Lesson), LearnError> {
    let found = match which.parse::<usize>() {
        Ok(n) => n
            .checked_sub(1)
            .and_then(|i| LESSONS.get(i).map(|l| (n, l))),
        Err(_) => LESSONS
            .iter()
            .enumerate()
            .find(|(_, l)| l.id == which)
            .map(|(i, l)| (i + 1, l)),
    };
    found.ok_or_else(|| LearnError::NoLesson(which.to_string()))
}

/// Where a course's state lives: the learner's progress in the workspace, the lab's record of
/// exploits in the lab root (shared by every lab started from it, so a check counts them all).
#[derive(Debug, Clone)]
pub struct Course {
    pub workspace: PathBuf,
    /// The lab root, not one lab's own folder (see [`crate::lab::instance`]).
    pub lab_dir: PathBuf,
}

/// A lesson's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Done, with the sentence that shows it.
    Done(String),
    NotYet,
}

impl Status {
    pub fn is_done(&self) -> bool {
        matches!(self, Status::Done(_))
    }
}

impl Course {
    pub fn new(workspace: impl Into<PathBuf>, lab_dir: impl Into<PathBuf>) -> Self {
        Self {
            workspace: workspace.into(),
            lab_dir: lab_dir.into(),
        }
    }

    /// The learner's progress file.
    pub fn progress_file(&self) -> PathBuf {
        progress::file_in(&self.workspace)
    }

    pub fn progress(&self) -> Result<Progress, LearnError> {
        Progress::load(&self.progress_file())
    }

    /// The exploits recorded by every lab run from the root (none before the lab first ran).
    pub fn lab_successes(&self) -> Result<Vec<Success>, LearnError> {
        Ok(crate::lab::progress::load(&crate::lab::progress_file(
            &self.lab_dir,
        ))?)
    }

    /// Every lesson's state, checking the evidence and saving newly completed lessons.
    pub fn check_all(&self, successes: &[Success]) -> Result<Vec<Status>, LearnError> {
        let now = crate::lab::now();
        let progress = Progress::update(&self.progress_file(), |p| {
            for lesson in LESSONS {
                if !p.completed.contains_key(lesson.id)
                    && evidence_seen(lesson, successes, p).is_some()
                {
                    p.completed.insert(lesson.id.to_string(), now);
                }
            }
        })?;
        Ok(LESSONS
            .iter()
            .map(|l| status_of(l, successes, &progress))
            .collect())
    }

    /// Reveals the next hint of a lesson; returns how many are shown now.
    pub fn reveal_hint(&self, lesson: &Lesson) -> Result<usize, LearnError> {
        let progress = Progress::update(&self.progress_file(), |p| {
            let shown = p.hints.entry(lesson.id.to_string()).or_insert(0);
            *shown = (*shown + 1).min(lesson.hints.len());
        })?;
        Ok(progress.hints_shown(lesson.id))
    }

    /// The addresses of a lab running from the root: this process's own (the workbench's),
    /// else the one started last; none when no lab runs.
    pub fn lab_urls(&self) -> Option<LabUrls> {
        LabUrls::current(&self.lab_dir)
    }

    /// The access log every lab run from the root appends to.
    pub fn access_log(&self) -> PathBuf {
        crate::lab::access_log(&self.lab_dir)
    }
}

/// A lesson's state given the evidence so far.
pub fn status_of(lesson: &Lesson, successes: &[Success], progress: &Progress) -> Status {
    match evidence_seen(lesson, successes, progress) {
        Some(why) => Status::Done(why),
        None if progress.completed.contains_key(lesson.id) => {
            Status::Done("completed earlier".to_string())
        }
        None => Status::NotYet,
    }
}

/// The first piece of the lesson's evidence seen, as a sentence.
fn evidence_seen(lesson: &Lesson, successes: &[Success], progress: &Progress) -> Option<String> {
    lesson.evidence.iter().find_map(|e| match e {
        Evidence::Lab(id) => successes
            .iter()
            .find(|s| s.id == *id)
            .map(|s| format!("the lab saw it: {}", s.detail)),
        Evidence::Finding(id) => progress
            .findings
            .contains_key(*id)
            .then(|| format!("your apiward run against the lab reported {id}")),
    })
}

/// Whether an answer came from the lab's vulnerable side: it announces itself there (the
/// keep-up-to-date lesson is about exactly that header).
pub fn is_lab_answer<'a>(mut headers: impl Iterator<Item = (&'a str, &'a str)>) -> bool {
    headers.any(|(name, value)| {
        name.eq_ignore_ascii_case("x-powered-by") && value.starts_with("apiward-lab/")
    })
}

/// Records finding ids that an apiward run against the lab reported, so lessons can count
/// them. Only call it for answers [`is_lab_answer`] recognises: a user's own targets are
/// never written down.
pub fn note_findings<'a>(
    workspace: &Path,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), LearnError> {
    let now = crate::lab::now();
    Progress::update(&progress::file_in(workspace), |p| {
        for id in ids {
            p.findings.entry(id.to_string()).or_insert(now);
        }
    })?;
    Ok(())
}

/// A lesson text with `{lab}`, `{labs}`, `{ca}` and `{partner}` replaced by the lab's
/// addresses, CA file and partner API, or by recognisable stand-ins when the lab has not run yet.
pub fn fill(text: &str, urls: Option<&LabUrls>) -> String {
    let (http, https, ca, partner) = match urls {
        Some(u) => (
            u.http.as_str(),
            u.https.as_str(),
            u.ca.as_str(),
            u.partner.as_str(),
        ),
        None => (
            "http://127.0.0.1:LABPORT",
            "https://127.0.0.1:LABPORT+1",
            "LABDIR/ca.pem",
            "http://127.0.0.1:PARTNERPORT",
        ),
    };
    text.replace("{labs}", https)
        .replace("{lab}", http)
        .replace("{ca}", ca)
        .replace("{partner}", partner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn success(id: &str) -> Success {
        Success {
            id: id.into(),
            detail: "it worked".into(),
            at: 1,
        }
    }

    #[test]
    fn lessons_are_found_by_number_or_id() {
        assert_eq!(lesson("1").unwrap().1.id, LESSONS[0].id);
        assert_eq!(lesson("jwt-none").unwrap().1.id, "jwt-none");
        assert!(lesson("0").is_err());
        assert!(lesson(&(LESSONS.len() + 1).to_string()).is_err());
        assert!(
            lesson("nope")
                .unwrap_err()
                .to_string()
                .contains("numbered 1 to")
        );
    }

    #[test]
    fn a_lab_success_completes_its_lesson_and_stays_completed() {
        let dir = tempfile::tempdir().unwrap();
        let course = Course::new(dir.path().join("ws"), dir.path().join("lab"));
        let (n, none) = lesson("jwt-none").unwrap();
        assert_eq!(course.check_all(&[]).unwrap()[n - 1], Status::NotYet);
        let done = course.check_all(&[success("jwt-none-accepted")]).unwrap();
        assert!(done[n - 1].is_done());
        assert!(course.progress().unwrap().completed.contains_key(none.id));
        // The lab's record reset: the lesson stays done.
        assert!(course.check_all(&[]).unwrap()[n - 1].is_done());
    }

    #[test]
    fn a_finding_from_the_learners_run_completes_its_lesson() {
        let dir = tempfile::tempdir().unwrap();
        let course = Course::new(dir.path(), dir.path().join("lab"));
        let (n, _) = lesson("keep-up-to-date").unwrap();
        assert!(!course.check_all(&[]).unwrap()[n - 1].is_done());
        note_findings(dir.path(), ["info-leak-header"]).unwrap();
        assert!(course.check_all(&[]).unwrap()[n - 1].is_done());
    }

    #[test]
    fn hints_unlock_one_at_a_time_up_to_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let course = Course::new(dir.path(), dir.path());
        let (_, l) = lesson("log-and-monitor").unwrap();
        for expected in 1..=l.hints.len() {
            assert_eq!(course.reveal_hint(l).unwrap(), expected);
        }
        assert_eq!(course.reveal_hint(l).unwrap(), l.hints.len());
    }

    #[test]
    fn lab_answers_are_recognised_by_their_header() {
        assert!(is_lab_answer(
            [("X-Powered-By", "apiward-lab/0.1")].into_iter()
        ));
        assert!(!is_lab_answer([("x-powered-by", "Express")].into_iter()));
    }

    #[test]
    fn texts_get_the_lab_addresses() {
        let urls = LabUrls {
            http: "http://127.0.0.1:1".into(),
            https: "https://127.0.0.1:2".into(),
            ca: "/lab/ca.pem".into(),
            partner: "http://127.0.0.1:3".into(),
        };
        assert_eq!(
            fill("{lab}/a {labs}/b --ca {ca} {partner}/c", Some(&urls)),
            "http://127.0.0.1:1/a https://127.0.0.1:2/b --ca /lab/ca.pem http://127.0.0.1:3/c"
        );
    }
}
