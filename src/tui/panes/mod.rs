//! The panes behind the tabs. Each keeps its own state, takes actions and draws itself;
//! what it needs done outside itself it returns as an [`Effect`] for the app to carry out.

pub mod placeholder;
pub mod tasks;

use crate::tasks::TaskId;

/// Work a pane asks the app (and through it the event loop) to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the clipboard.
    Copy(String),
    /// Cancel a running task.
    CancelTask(TaskId),
    /// Show a message in the status bar.
    Status(String),
}
