//! What can happen to the app: input, task events, the loop's own replies, and each pane's
//! own messages wrapped in [`PaneMsg`]. A pane's messages are its own type, defined beside
//! the pane; the app only routes them.

use crossterm::event::{KeyEvent, MouseEvent};

use super::clipboard::CopyPath;
use super::import::msg as import;
// Each pane's message type lives in a file of its own (`panes/*/msg.rs`) that imports no
// job or pane code, so this file sits below the panes and no import cycle forms.
use super::panes::audit::msg as audit;
use super::panes::jwt::msg as jwt;
use super::panes::keys::msg as keys;
use super::panes::learn::msg as learn;
use super::panes::matrix::msg as matrix;
use super::panes::request::msg as request;
use crate::tasks::TaskEvent;

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize,
    Task(TaskEvent),
    /// A copy finished, by this path, or failed altogether.
    Copied(Result<(usize, CopyPath), String>),
    /// Text read from the system clipboard.
    ClipboardText(Result<String, String>),
    /// A message for the status bar.
    Status(String),
    /// A pane's own message: the result of a job it started.
    Pane(PaneMsg),
    /// The in-process lab is up (or could not start).
    LabStarted(Result<Box<LabStarted>, String>),
    /// The in-process lab recorded a new exploit: everything it has recorded.
    LabProgress(Vec<crate::lab::Success>),
    /// Leave: `q`, SIGTERM, SIGINT or SIGHUP.
    Quit,
}

/// A message for one pane. Adding a pane adds a variant here; adding a pane's action or job
/// touches only the pane's own message type.
#[derive(Debug)]
pub enum PaneMsg {
    Request(request::Msg),
    Jwt(jwt::Msg),
    Audit(audit::Msg),
    Keys(keys::Msg),
    Learn(learn::Msg),
    Matrix(matrix::Msg),
    /// The import dialog's, which the app owns like the palette.
    Import(import::Msg),
}

macro_rules! pane_msg_from {
    ($($pane:ident => $variant:ident),*) => {$(
        impl From<$pane::Msg> for PaneMsg {
            fn from(msg: $pane::Msg) -> Self {
                PaneMsg::$variant(msg)
            }
        }

        impl From<$pane::Msg> for Msg {
            fn from(msg: $pane::Msg) -> Self {
                Msg::Pane(PaneMsg::$variant(msg))
            }
        }
    )*};
}
pane_msg_from!(request => Request, jwt => Jwt, audit => Audit, keys => Keys, learn => Learn);
pane_msg_from!(matrix => Matrix, import => Import);

/// What the app learns when the lab is up.
#[derive(Debug, Clone)]
pub struct LabStarted {
    pub urls: crate::learn::LabUrls,
    pub dir: std::path::PathBuf,
    /// The sample workspace that points at this lab: the shared one or this lab's copy.
    pub sample: std::path::PathBuf,
    pub successes: Vec<crate::lab::Success>,
    /// Set when the sample workspace could not be written: the lab still runs.
    pub sample_error: Option<String>,
}
