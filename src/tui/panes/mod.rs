//! The panes behind the tabs. Each implements [`Pane`]: it keeps its own state, takes keys
//! and actions, updates on its own messages (the results of the jobs it starts), and draws
//! itself. What it needs done outside itself it queues on the [`Cx`] as an [`Effect`].

pub mod audit;
pub mod jwt;
pub mod keys;
pub mod learn;
pub mod matrix;
pub mod request;
pub mod tasks;

use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tasks::{TaskBoard, TaskId};
use crate::tui::action::{Action, Context};
use crate::tui::jobs::{Job, PaneJob};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// Work a pane asks the app (and through it the event loop) to do.
#[derive(Debug)]
pub enum Effect {
    /// Put text on the clipboard.
    Copy(String),
    /// Cancel a running task.
    CancelTask(TaskId),
    /// Show a message in the status bar.
    Status(String),
    /// Read the system clipboard; the text comes back as `Msg::ClipboardText`.
    ReadClipboard,
    /// Start long work on the task runner.
    Start(Job),
    /// Show this token in the JWT tab.
    InspectToken(String),
    /// Prefill the Audit tab with this URL.
    AuditUrl(String),
    /// Put this token in the Request tab as its bearer token.
    UseBearer(String),
    /// The lab answered a run with these findings: lessons may count them.
    NoteLabFindings(Vec<String>),
    /// Open the welcome tour over the panes.
    ShowTour,
    /// Forget the tasks that have ended.
    ClearTasks,
}

impl Effect {
    /// Starts `job`, a pane's own job type.
    pub fn start(job: impl PaneJob) -> Self {
        Effect::Start(Job::new(job))
    }
}

/// What a pane may use and queue while it handles something.
pub struct Cx<'a> {
    effects: &'a mut Vec<Effect>,
    /// The key bindings, for panes that look up chords while an input is focused.
    pub keymap: &'a Keymap,
    /// The tasks, for the Tasks pane.
    pub board: &'a TaskBoard,
}

impl<'a> Cx<'a> {
    pub fn new(effects: &'a mut Vec<Effect>, keymap: &'a Keymap, board: &'a TaskBoard) -> Self {
        Self {
            effects,
            keymap,
            board,
        }
    }

    /// Queues effects: a pane's handlers return none, one or several.
    pub fn push(&mut self, effects: impl IntoIterator<Item = Effect>) {
        self.effects.extend(effects);
    }

    pub fn status(&mut self, text: impl Into<String>) {
        self.effects.push(Effect::Status(text.into()));
    }

    pub fn start(&mut self, job: impl PaneJob) {
        self.effects.push(Effect::start(job));
    }
}

/// What every pane draws with.
pub struct View<'a> {
    pub theme: &'a Theme,
    pub board: &'a TaskBoard,
    pub now: Instant,
}

/// A tab's pane, as the app routes to it. Its own messages go to its `update` (a pane's
/// message type is its own, so that method is on each pane, called from `App::route`).
pub trait Pane {
    /// Whose keys apply while the pane is shown.
    fn context(&self) -> Context;

    /// Whether a text input has the keyboard, so keys come to [`Pane::handle_key`] raw.
    fn is_editing(&self) -> bool {
        false
    }

    /// A key while [`Pane::is_editing`].
    fn handle_key(&mut self, _key: &KeyEvent, _cx: &mut Cx) {}

    /// An action from the keymap for this pane's context.
    fn handle_action(&mut self, action: Action, cx: &mut Cx);

    /// Pasted text.
    fn paste(&mut self, text: &str, cx: &mut Cx) {
        cx.status(format!(
            "Pasted {} characters; this tab takes no text",
            text.chars().count()
        ));
    }

    /// The pane is shown (first use loads what it needs).
    fn shown(&mut self, _cx: &mut Cx) {}

    /// What to say when `action` changed nothing (see `tui::quiet_key`): the pane's own
    /// advice, e.g. what to load first; `None` leaves the generic line.
    fn idle_hint(&self, _action: Action) -> Option<String> {
        None
    }

    /// What quitting would lose: edits in no file, named.
    fn unsaved(&self) -> Option<String> {
        None
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View);
}

/// When the practice lab gave this answer (by its headers), the findings for lessons to count.
pub fn lab_findings<'a>(
    headers: impl Iterator<Item = (&'a str, &'a str)>,
    findings: &[crate::findings::Finding],
) -> Option<Effect> {
    (!findings.is_empty() && crate::learn::is_lab_answer(headers))
        .then(|| Effect::NoteLabFindings(findings.iter().map(|f| f.id.clone()).collect()))
}
