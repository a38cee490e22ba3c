//! Moving the list's selected saved request to another `.http` file of the workspace: the
//! prompt for the file's name (the request's own file offered) and the job that moves it
//! through `Workspace::move_to`, which checks both files and writes them atomically.

use crossterm::event::KeyEvent;

use super::jobs::RequestJob;
use super::list::ListPane;
use super::origin::MoveTo;
use crate::tui::panes::Effect;
use crate::tui::widgets::input::{InputOutcome, TextInput};

impl ListPane {
    /// Opens the file-name prompt for the saved request selected.
    pub fn open_move(&mut self) -> Option<Effect> {
        let Some(stored) = self.selected_stored() else {
            return Some(Effect::Status(
                "Select a saved request in the list (←) to move it".into(),
            ));
        };
        let mut input = TextInput::default();
        // Its own file's name, one key away to edit into the target's.
        let dir = self.dir()?;
        let file = super::save::in_workspace(dir, &stored.path);
        input.offer(file.display().to_string(), "its own file's name");
        self.move_to = Some(MoveTo {
            input,
            at: Box::new(stored.clone()),
        });
        Some(Effect::Status(
            "Move to: one of the workspace's .http files, or a new name (made in requests/)".into(),
        ))
    }

    /// Keys while the file-name prompt is open.
    pub fn move_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        let prompt = self.move_to.as_mut()?;
        match prompt.input.handle_key(key) {
            InputOutcome::Cancel => self.move_to = None,
            InputOutcome::Changed => {}
            InputOutcome::Submit => {
                let target = prompt.input.text().trim().to_string();
                if target.is_empty() {
                    return Some(Effect::Status(
                        "Enter the name of a file to move it to".into(),
                    ));
                }
                let dir = self.dir()?.to_path_buf();
                let at = self.move_to.take()?.at;
                return Some(Effect::start(RequestJob::MoveRequest { dir, at, target }));
            }
        }
        None
    }
}
