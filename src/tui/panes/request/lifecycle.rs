//! Requests as things of their own: a blank new one, a duplicate, a rename, a delete (asked
//! first), and the question before anything would drop unsaved edits: s saves, d drops
//! them, esc keeps editing.

use crossterm::event::{KeyCode, KeyEvent};

use super::editor::Field;
use super::jobs::RequestJob;
use super::origin::{Pending, SaveAs};
use super::{Effect, Focus, RequestPane};
use crate::http::Request;
use crate::tui::widgets::input::TextInput;

impl RequestPane {
    /// Whether the editor holds edits that are in no file.
    pub fn unsaved(&self) -> bool {
        self.request != self.baseline
    }

    /// The request's name for questions and titles.
    pub(super) fn display_name(&self) -> String {
        match self.request.name.as_str() {
            "" => "the new request".to_string(),
            name => name.to_string(),
        }
    }

    /// Does `then` now, or first asks what to do with the unsaved edits it would drop.
    pub(super) fn guard(&mut self, then: Pending) -> Option<Effect> {
        if !self.unsaved() {
            return self.carry_out(then);
        }
        let name = self.display_name();
        self.pending = Some(then);
        Some(Effect::Status(format!(
            "Unsaved edits to {name}: s saves them · d drops them · esc keeps editing"
        )))
    }

    fn carry_out(&mut self, pending: Pending) -> Option<Effect> {
        match pending {
            Pending::Open(i) => self.open_at(i),
            Pending::New => self.new_request(),
            Pending::Delete(at) => {
                let ws = self.workspace.as_ref()?;
                Some(Effect::start(RequestJob::DeleteRequest {
                    dir: ws.dir.clone(),
                    at,
                }))
            }
        }
    }

    /// A key while a question waits for its answer.
    pub(super) fn pending_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        let pending = self.pending.take()?;
        match (&pending, key.code) {
            (Pending::Delete(_), KeyCode::Char('y')) => self.carry_out(pending),
            (Pending::Delete(_), _) => Some(Effect::Status("Not deleted".into())),
            (_, KeyCode::Char('s')) => self.open_save_request(),
            (_, KeyCode::Char('d')) => self.carry_out(pending),
            (_, KeyCode::Esc) => Some(Effect::Status("Kept editing".into())),
            _ => {
                // Any other key asks again rather than doing something unlooked-for.
                let name = self.display_name();
                self.pending = Some(pending);
                Some(Effect::Status(format!(
                    "Unsaved edits to {name}: s saves them · d drops them · esc keeps editing"
                )))
            }
        }
    }

    /// A blank request, its URL ready to type; where it is saved is asked on `S`.
    pub(super) fn new_request(&mut self) -> Option<Effect> {
        self.request = Request::default();
        self.baseline = Request::default();
        self.origin = None;
        self.base_dir = self.workspace.as_ref().map(|ws| ws.dir.clone());
        self.file_vars.clear();
        self.auth_stash.clear();
        self.body_stash.clear();
        self.focus = Focus::Editor;
        self.field = self
            .fields()
            .iter()
            .position(|f| *f == Field::Url)
            .unwrap_or(0);
        self.revalidate();
        self.start_edit();
        self.input.clear();
        Some(Effect::Status(
            "New request: type its URL, enter keeps it; ctrl-s sends, S saves".into(),
        ))
    }

    /// A copy of the request under a new name, not saved until `S`.
    pub(super) fn duplicate(&mut self) -> Option<Effect> {
        let name = match self.request.name.as_str() {
            "" => "copy".to_string(),
            name => format!("{name}-copy"),
        };
        self.request.name = name.clone();
        self.origin = None;
        self.baseline = Request::default();
        Some(Effect::Status(format!("Duplicated as {name}: S saves it")))
    }

    /// The name prompt, to rename the stored request in its own file.
    pub(super) fn rename(&mut self) -> Option<Effect> {
        if self.origin.is_none() {
            return Some(Effect::Status(
                "Only a saved request can be renamed: S saves this one".into(),
            ));
        }
        let mut input = TextInput::default();
        input.set_text(self.request.name.clone());
        self.save_as = Some(SaveAs {
            input,
            confirm: None,
            rename: true,
        });
        None
    }

    /// Asks before deleting the saved request selected in the list.
    pub(super) fn delete_selected(&mut self) -> Option<Effect> {
        let ws = self.workspace.as_ref()?;
        let Some(stored) = ws.requests.get(self.list_selected) else {
            return Some(Effect::Status(
                "Select a saved request in the list (←) to delete it".into(),
            ));
        };
        let name = super::origin::stored_name(stored);
        let file = stored
            .path
            .strip_prefix(&ws.dir)
            .unwrap_or(&stored.path)
            .display()
            .to_string();
        self.pending = Some(Pending::Delete(Box::new(stored.clone())));
        Some(Effect::Status(format!(
            "Delete {name} from {file}? y deletes it · any other key keeps it"
        )))
    }

    /// A delete job ended: the list is read again; an open copy of it becomes unsaved.
    pub(super) fn deleted(
        &mut self,
        result: Result<String, crate::tui::jobs::JobError>,
    ) -> Vec<Effect> {
        match result {
            Ok(name) => {
                if self.origin.as_ref().is_some_and(|o| o.name == name) {
                    self.origin = None;
                    self.baseline = Request::default();
                }
                let mut effects = vec![Effect::Status(format!("Deleted {name}"))];
                effects.extend(self.reload());
                effects
            }
            Err(e) => vec![Effect::Status(format!("Cannot delete the request: {e}"))],
        }
    }
}
