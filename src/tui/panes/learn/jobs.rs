//! The Learn tab's one job: note findings, reveal a hint and check the lessons, all small
//! file reads and writes.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::{Msg, Refreshed};
use crate::lab::Success;
use crate::learn::{self, Course, LESSONS, Progress};
use crate::tasks::TaskRunner;
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

/// The work behind a [`LearnJob`]: note findings, reveal a hint, then check every lesson.
/// Without successes from an in-process lab, the lab folder's record is read.
#[derive(Debug, Clone)]
pub struct RefreshRequest {
    pub course: Course,
    pub successes: Option<Vec<Success>>,
    pub reveal_hint: Option<usize>,
    pub note_findings: Vec<String>,
    pub mark_tour_seen: bool,
}

/// Runs a refresh: file reads and small writes, so it runs as a job.
pub fn refresh(req: RefreshRequest) -> Result<Refreshed, learn::LearnError> {
    if !req.note_findings.is_empty() {
        learn::note_findings(
            &req.course.workspace,
            req.note_findings.iter().map(String::as_str),
        )?;
    }
    if req.mark_tour_seen {
        Progress::update(&req.course.progress_file(), |p| p.tour_seen = true)?;
    }
    if let Some(i) = req.reveal_hint
        && let Some(lesson) = LESSONS.get(i)
    {
        req.course.reveal_hint(lesson)?;
    }
    let successes = match req.successes {
        Some(s) => s,
        None => req.course.lab_successes()?,
    };
    Ok(Refreshed {
        statuses: req.course.check_all(&successes)?,
        progress: req.course.progress()?,
        urls: req.course.lab_urls(),
    })
}

/// A refresh, run on a blocking thread off the task board.
#[derive(Debug)]
pub struct LearnJob(pub RefreshRequest);

impl PaneJob for LearnJob {
    type Msg = Msg;

    fn start(self, _runner: &TaskRunner, _emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        let req = self.0;
        async move { Msg::Refreshed(quick_io(move || refresh(req)).await.map(Box::new)) }.boxed()
    }
}
