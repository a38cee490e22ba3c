//! The panes behind the tabs. Each keeps its own state, takes actions and draws itself;
//! what it needs done outside itself it returns as an [`Effect`] for the app to carry out.

pub mod audit;
pub mod jwt;
pub mod keys;
pub mod learn;
pub mod request;
pub mod tasks;

use crate::tasks::TaskId;
use crate::tui::jobs::Job;

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
    Start(Box<Job>),
}
