//! The Learn tab: the lessons on the left with a ✓ for each one done, the selected lesson on
//! the right (goal, background, steps with the lab's real addresses, hints revealed so far),
//! and the lab's state on top. Lessons tick off by themselves: the in-process lab wakes the
//! tab on each new exploit, and runs against the lab are noted as they finish.

mod jobs;
pub mod msg;
mod view;

pub use jobs::{LearnJob, RefreshRequest, refresh};
pub use msg::{Msg, Refreshed};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::lab::Success;
use crate::learn::{self, Course, LESSONS, LabUrls, Progress, Status};
use crate::tui::action::Action;
use crate::tui::action::Context;
use crate::tui::panes::{Cx, Effect, Pane, View};

/// Whether and where the practice lab runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabState {
    /// Started with --no-lab: lessons still check a lab started elsewhere (`apiward lab`).
    Off,
    Starting,
    Running(LabUrls),
    Failed(String),
}

#[derive(Debug)]
pub struct LearnPane {
    course: Option<Course>,
    lab: LabState,
    /// From the in-process lab; `None` means read the lab folder's record instead.
    successes: Option<Vec<Success>>,
    statuses: Vec<Status>,
    progress: Progress,
    urls: Option<LabUrls>,
    selected: usize,
    scroll: u16,
    loaded: bool,
    /// The first refresh only learns what was done before this session (in another lab,
    /// from the CLI), so it announces nothing; unless the learner's own run asked for it.
    baseline: Baseline,
    error: Option<String>,
    /// Lessons announced a moment ago: one exploit can tick several lessons in refreshes a
    /// few milliseconds apart, and each announcement would replace the one before it.
    recent_ticks: Option<(Instant, Vec<usize>)>,
}

/// How long lesson ticks keep being announced together.
const TICK_BURST: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Baseline {
    /// No refresh asked for yet.
    Unknown,
    /// The first refresh is under way: silent, or announcing (it notes the learner's run).
    Pending {
        silent: bool,
    },
    Taken,
}

impl Default for LearnPane {
    fn default() -> Self {
        Self {
            course: None,
            lab: LabState::Off,
            successes: None,
            statuses: vec![Status::NotYet; LESSONS.len()],
            progress: Progress::default(),
            urls: None,
            selected: 0,
            scroll: 0,
            loaded: false,
            baseline: Baseline::Unknown,
            error: None,
            recent_ticks: None,
        }
    }
}

impl LearnPane {
    /// Where progress and the lab's record live.
    pub fn set_course(&mut self, course: Course) {
        self.course = Some(course);
        self.loaded = false;
    }

    pub fn course(&self) -> Option<&Course> {
        self.course.as_ref()
    }

    pub fn lab(&self) -> &LabState {
        &self.lab
    }

    pub fn set_lab(&mut self, lab: LabState) {
        if let LabState::Running(urls) = &lab {
            self.urls = Some(urls.clone());
        }
        self.lab = lab;
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn statuses(&self) -> &[Status] {
        &self.statuses
    }

    /// The job that reads progress, the first time the tab is shown.
    pub fn load_if_needed(&mut self) -> Option<Effect> {
        if self.loaded {
            return None;
        }
        self.refresh(None, Vec::new())
    }

    /// A refresh job, optionally revealing a hint or noting findings first.
    pub fn refresh(&mut self, reveal_hint: Option<usize>, note: Vec<String>) -> Option<Effect> {
        self.job(reveal_hint, note, false)
    }

    /// The welcome's Enter: lesson 1 open, and its first step said where the eye goes.
    pub fn start_first(&mut self) -> Option<Effect> {
        self.select(0);
        let first = LESSONS[0].steps.first()?;
        Some(Effect::Status(format!(
            "Lesson 1 started: {}",
            learn::fill(first, self.urls.as_ref())
        )))
    }

    /// The welcome screen was closed: remember it.
    pub fn tour_seen(&mut self) -> Option<Effect> {
        self.job(None, Vec::new(), true)
    }

    fn job(&mut self, reveal_hint: Option<usize>, note: Vec<String>, tour: bool) -> Option<Effect> {
        let course = self.course.clone()?;
        self.loaded = true;
        if self.baseline == Baseline::Unknown {
            self.baseline = Baseline::Pending {
                silent: note.is_empty(),
            };
        }
        Some(Effect::start(LearnJob(RefreshRequest {
            course,
            successes: self.successes.clone(),
            reveal_hint,
            note_findings: note,
            mark_tour_seen: tour,
        })))
    }

    /// The in-process lab recorded a new exploit.
    pub fn lab_progress(&mut self, successes: Vec<Success>) -> Option<Effect> {
        self.successes = Some(successes);
        self.refresh(None, Vec::new())
    }

    /// A refresh finished; says which lessons just became done.
    pub fn refreshed(
        &mut self,
        result: Result<Box<Refreshed>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        match result {
            Ok(r) => {
                let newly: Vec<usize> = (0..LESSONS.len())
                    .filter(|&i| {
                        r.statuses.get(i).is_some_and(Status::is_done)
                            && !self.statuses.get(i).is_some_and(Status::is_done)
                    })
                    .collect();
                let first_load = self.baseline == Baseline::Pending { silent: true };
                self.baseline = Baseline::Taken;
                self.statuses = r.statuses;
                self.progress = r.progress;
                if r.urls.is_some() {
                    self.urls = r.urls;
                }
                self.error = None;
                if first_load || newly.is_empty() {
                    return None;
                }
                Some(Effect::Status(self.announce(newly)))
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Some(Effect::Status(format!("Lessons: {e}")))
            }
        }
    }

    /// The status for lessons just done, with those ticked a moment before, so that the
    /// last word names every lesson the same exploit completed.
    fn announce(&mut self, newly: Vec<usize>) -> String {
        let now = Instant::now();
        let mut ticks = match self.recent_ticks.take() {
            Some((at, ticks)) if now.duration_since(at) < TICK_BURST => ticks,
            _ => Vec::new(),
        };
        ticks.extend(newly);
        ticks.sort_unstable();
        ticks.dedup();
        let text = match ticks.as_slice() {
            [i] => format!("✓ Lesson {} done: {}", i + 1, LESSONS[*i].title),
            many => {
                let numbers: Vec<String> = many.iter().map(|i| (i + 1).to_string()).collect();
                format!("✓ Lessons {} done", numbers.join(", "))
            }
        };
        self.recent_ticks = Some((now, ticks));
        text
    }

    fn on_action(&mut self, action: Action) -> Option<Effect> {
        let last = LESSONS.len() - 1;
        match action {
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::Down => self.select((self.selected + 1).min(last)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(last),
            Action::PageDown => self.scroll = self.scroll.saturating_add(10),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(10),
            Action::LearnHint => {
                let lesson = &LESSONS[self.selected];
                if self.progress.hints_shown(lesson.id) >= lesson.hints.len() {
                    return Some(Effect::Status("No more hints for this lesson".into()));
                }
                return self.refresh(Some(self.selected), Vec::new());
            }
            Action::LearnCheck => {
                return match self.refresh(None, Vec::new()) {
                    Some(job) => Some(job),
                    None => Some(Effect::Status("No lesson folder here".into())),
                };
            }
            Action::Copy => return Some(Effect::Copy(self.lesson_text(self.selected))),
            Action::LearnTour => return Some(Effect::ShowTour),
            _ => {}
        }
        None
    }

    fn select(&mut self, i: usize) {
        if i != self.selected {
            self.selected = i;
            self.scroll = 0;
        }
    }

    /// A lesson as plain text, for the clipboard.
    fn lesson_text(&self, i: usize) -> String {
        let lesson = &LESSONS[i];
        let fill = |t: &str| learn::fill(t, self.urls.as_ref());
        let mut out = format!(
            "Lesson {}: {} ({})\n\n{}\n\n{}\n\n",
            i + 1,
            lesson.title,
            lesson.owasp,
            lesson.goal,
            lesson.background
        );
        for (n, step) in lesson.steps.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", n + 1, fill(step)));
        }
        out
    }

    /// The access log's path, when a lesson folder is known.
    pub fn access_log(&self) -> Option<PathBuf> {
        self.course.as_ref().map(Course::access_log)
    }
}

impl LearnPane {
    /// A job of this pane ended.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        match msg {
            Msg::Refreshed(result) => cx.push(self.refreshed(result)),
        }
    }
}

impl Pane for LearnPane {
    fn context(&self) -> Context {
        Context::Learn
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        cx.push(self.on_action(action));
    }

    /// The tab reads progress the first time it is shown.
    fn shown(&mut self, cx: &mut Cx) {
        cx.push(self.load_if_needed());
    }

    fn render(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, view: &View) {
        self.draw(frame, area, view.theme);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(n: usize) -> Vec<Status> {
        (0..LESSONS.len())
            .map(|i| {
                if i < n {
                    Status::Done("x".into())
                } else {
                    Status::NotYet
                }
            })
            .collect()
    }

    fn refreshed(statuses: Vec<Status>) -> Result<Box<Refreshed>, crate::tui::jobs::JobError> {
        Ok(Box::new(Refreshed {
            statuses,
            progress: Progress::default(),
            urls: None,
        }))
    }

    #[test]
    fn lessons_done_before_the_session_are_not_announced_at_start_up() {
        let dir = tempfile::tempdir().unwrap();
        let mut pane = LearnPane::default();
        pane.set_course(Course::new(dir.path(), dir.path()));
        // The lab's record (shared by every lab of the root) already holds lesson 1's exploit.
        assert!(pane.lab_progress(Vec::new()).is_some());
        assert!(pane.refreshed(refreshed(done(1))).is_none());
        assert!(pane.statuses()[0].is_done());
        let Some(Effect::Status(text)) = pane.refreshed(refreshed(done(2))) else {
            panic!("expected a status");
        };
        assert!(text.contains("Lesson 2 done"), "{text}");
    }

    #[test]
    fn a_first_refresh_for_the_learners_own_run_announces_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut pane = LearnPane::default();
        pane.set_course(Course::new(dir.path(), dir.path()));
        assert!(pane.refresh(None, vec!["hsts-missing".into()]).is_some());
        assert!(pane.refreshed(refreshed(done(1))).is_some());
    }

    #[test]
    fn a_newly_done_lesson_is_announced_once() {
        let mut pane = LearnPane::default();
        assert!(pane.refreshed(refreshed(done(0))).is_none());
        let Some(Effect::Status(text)) = pane.refreshed(refreshed(done(1))) else {
            panic!("expected a status");
        };
        assert!(text.contains("Lesson 1 done"), "{text}");
        assert!(pane.refreshed(refreshed(done(1))).is_none());
    }

    #[test]
    fn lessons_ticked_by_one_exploit_in_two_refreshes_are_announced_together() {
        let mut pane = LearnPane::default();
        assert!(pane.refreshed(refreshed(done(0))).is_none());
        let mut first_and_eighth = done(1);
        assert!(
            pane.refreshed(refreshed(first_and_eighth.clone()))
                .is_some()
        );
        first_and_eighth[7] = Status::Done("x".into());
        let Some(Effect::Status(text)) = pane.refreshed(refreshed(first_and_eighth)) else {
            panic!("expected a status");
        };
        assert_eq!(text, "✓ Lessons 1, 8 done");
    }

    #[test]
    fn hints_and_checks_need_a_course_and_start_a_job() {
        let mut pane = LearnPane::default();
        assert!(matches!(
            pane.on_action(Action::LearnCheck),
            Some(Effect::Status(_))
        ));
        let dir = tempfile::tempdir().unwrap();
        pane.set_course(Course::new(dir.path(), dir.path()));
        assert!(matches!(
            pane.on_action(Action::LearnHint),
            Some(Effect::Start(_))
        ));
    }

    #[test]
    fn refresh_notes_findings_and_reveals_hints() {
        let dir = tempfile::tempdir().unwrap();
        let course = Course::new(dir.path().join("ws"), dir.path().join("lab"));
        let (n, _) = learn::lesson("keep-up-to-date").unwrap();
        let r = refresh(RefreshRequest {
            course,
            successes: None,
            reveal_hint: Some(0),
            note_findings: vec!["info-leak-header".into()],
            mark_tour_seen: true,
        })
        .unwrap();
        assert!(r.statuses[n - 1].is_done());
        assert_eq!(r.progress.hints_shown(LESSONS[0].id), 1);
        assert!(r.progress.tour_seen);
    }
}
