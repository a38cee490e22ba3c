//! Where the edited request came from (so saving it under its own name is not taken for
//! overwriting another), and the state of the prompts that save it or move it elsewhere.

use std::path::PathBuf;

use crate::http::Stored;
use crate::http::workspace_move::Moved;
use crate::tui::widgets::input::TextInput;

/// The name prompt.
#[derive(Debug, Clone)]
pub struct SaveAs {
    pub input: TextInput,
    /// The name that another request has, once the user was told; enter on it saves.
    pub(super) confirm: Option<String>,
    /// A rename: the request goes back over the one it came from, under the new name.
    pub(super) rename: bool,
}

/// The file-name prompt that moves a saved request to another `.http` file.
#[derive(Debug, Clone)]
pub struct MoveTo {
    pub input: TextInput,
    /// The request to move, as it was read.
    pub at: Box<Stored>,
}

impl MoveTo {
    pub fn title(&self) -> String {
        format!(
            "Move {} to file (enter moves, esc cancels)",
            stored_name(&self.at)
        )
    }
}

/// Where the move job took a stored request: where it was, the core's answer, and the
/// request as read back from its new file (with that file's variables).
#[derive(Debug, Clone)]
pub struct Relocated {
    pub from: Origin,
    pub moved: Moved,
    pub now: Option<Stored>,
}

/// What waits on the user's answer to a question: about unsaved edits before something
/// replaces them, or before a stored request is deleted.
#[derive(Debug, Clone)]
pub enum Pending {
    /// Open the list's entry at this index.
    Open(usize),
    /// Start a blank request.
    New,
    /// Delete this stored request from its file.
    Delete(Box<Stored>),
}

impl SaveAs {
    pub fn title(&self) -> &'static str {
        if self.confirm.is_some() {
            "Another request has this name: enter saves over it, esc cancels"
        } else if self.rename {
            "Rename the request to (letters, digits, - _ .; enter renames, esc cancels)"
        } else {
            "Save the request as (letters, digits, - _ .; enter saves, esc cancels)"
        }
    }
}

/// The stored request the editor's request was opened from (or last saved as), so saving it
/// under its own name is not taken for overwriting another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub name: String,
    pub path: PathBuf,
    /// Its position among the requests of `path`.
    pub index: usize,
}

impl Origin {
    pub fn of(stored: &Stored) -> Self {
        Self {
            name: stored_name(stored),
            path: stored.path.clone(),
            index: stored.index,
        }
    }
}

/// A stored request's name as the workspace looks it up: its `@name`, else its file's.
pub(super) fn stored_name(stored: &Stored) -> String {
    if stored.request.name.is_empty() {
        stored
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        stored.request.name.clone()
    }
}
