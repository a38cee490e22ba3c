//! Requests as things of their own: a blank new one, a delete (asked first), the switch back
//! to the request opened before, the question before anything would drop unsaved edits (s
//! saves, d drops them, esc keeps editing), and the answers of the save, move and delete
//! jobs, which the editor and the list both take. Duplicating and renaming are the editor's.

use crossterm::event::{KeyCode, KeyEvent};

use super::jobs::RequestJob;
use super::list::Place;
use super::origin::{Origin, Pending, Relocated};
use super::store::Saved;
use super::{Effect, Focus, RequestPane};
use crate::tasks::TaskError;

impl RequestPane {
    /// Whether the editor holds edits that are in no file.
    pub fn unsaved(&self) -> bool {
        self.editor.unsaved()
    }

    /// Does `then` now, or first asks what to do with the unsaved edits it would drop.
    pub(super) fn guard(&mut self, then: Pending) -> Option<Effect> {
        if !self.unsaved() {
            return self.carry_out(then);
        }
        self.pending = Some(then);
        Some(self.unsaved_question())
    }

    fn unsaved_question(&self) -> Effect {
        let name = self.editor.display_name();
        Effect::Status(format!(
            "Unsaved edits to {name}: s saves · d drops · esc stays"
        ))
    }

    fn carry_out(&mut self, pending: Pending) -> Option<Effect> {
        match pending {
            Pending::Open(i) => self.open_at(i),
            Pending::New => {
                self.focus = Focus::Editor;
                let dir = self.list.dir().map(std::path::Path::to_path_buf);
                self.editor.new_request(dir.as_deref())
            }
            Pending::Delete(at) => Some(Effect::start(RequestJob::DeleteRequest {
                dir: self.list.dir()?.to_path_buf(),
                at,
            })),
        }
    }

    /// A key while a question waits for its answer.
    pub(super) fn pending_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        let pending = self.pending.take()?;
        match (&pending, key.code) {
            (Pending::Delete(_), KeyCode::Char('y')) => self.carry_out(pending),
            (Pending::Delete(_), _) => Some(Effect::Status("Not deleted".into())),
            (_, KeyCode::Char('s')) => {
                let ws = self.list.workspace.as_deref();
                self.editor.open_save_request(ws)
            }
            (_, KeyCode::Char('d')) => self.carry_out(pending),
            (_, KeyCode::Esc) => Some(Effect::Status("Kept editing".into())),
            _ => {
                // Any other key asks again rather than doing something unlooked-for.
                self.pending = Some(pending);
                Some(self.unsaved_question())
            }
        }
    }

    /// Opens the request opened before this one (asking first about unsaved edits), so two
    /// requests are one key apart.
    pub(super) fn alternate(&mut self) -> Option<Effect> {
        if self.list.workspace.is_none() {
            return Some(Effect::Status(
                "The workspace is still loading: try again in a moment".into(),
            ));
        }
        match self.list.recent(self.editor.origin.as_ref()).first() {
            Some(&(i, _)) => self.guard(Pending::Open(i)),
            None => Some(Effect::Status(
                "No other saved request opened yet: enter opens one from the list (←)".into(),
            )),
        }
    }

    /// Asks before deleting the saved request selected in the list.
    pub(super) fn delete_selected(&mut self) -> Option<Effect> {
        let dir = self.list.dir()?;
        let Some(stored) = self.list.selected_stored() else {
            return Some(Effect::Status(
                "Select a saved request in the list (←) to delete it".into(),
            ));
        };
        let name = super::origin::stored_name(stored);
        let file = super::save::in_workspace(dir, &stored.path)
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
                self.editor.forget(&name);
                let mut effects = vec![Effect::Status(format!("Deleted {name}"))];
                effects.extend(self.list.reload());
                effects
            }
            Err(e) => vec![Effect::Status(format!("Cannot delete the request: {e}"))],
        }
    }

    /// The save job's answer: the editor takes the request's new name and place, and the
    /// list, read again after the save, selects it.
    pub(super) fn saved(
        &mut self,
        result: Result<Box<Saved>, crate::tui::jobs::JobError>,
    ) -> Vec<Effect> {
        let saved = match result {
            Ok(saved) => *saved,
            Err(e) => return vec![Effect::Status(format!("Cannot save the request: {e}"))],
        };
        let before = self.editor.origin.clone();
        let status = self.editor.saved(&saved, self.list.dir());
        // Renamed in its own block: the recent list follows it to its new name.
        if let (Some(from), Some(to)) = (&before, &self.editor.origin)
            && (&from.path, from.index) == (&to.path, to.index)
        {
            self.list.moved(from, Place::of_origin(to));
        }
        self.list.select_after_load(self.editor.origin.clone());
        let loaded =
            (saved.loaded.map(Box::new)).map_err(|e| TaskError::Failed(anyhow::anyhow!(e).into()));
        // The save's message goes last, so a problem found while reading does not hide it.
        let mut effects: Vec<Effect> = self.loaded(loaded).into_iter().collect();
        effects.push(Effect::Status(status));
        effects
    }

    /// A move job ended: the editor and the recent list follow the request to its new file,
    /// and the list, read again, selects it there.
    pub(super) fn moved(
        &mut self,
        result: Result<Box<Relocated>, crate::tui::jobs::JobError>,
    ) -> Vec<Effect> {
        let Relocated { from, moved, now } = match result {
            Ok(done) => *done,
            Err(e) => return vec![Effect::Status(format!("Cannot move the request: {e}"))],
        };
        let to = match &now {
            Some(now) => Origin::of(now),
            None => Origin {
                name: from.name.clone(),
                path: moved.path.clone(),
                index: moved.index,
            },
        };
        if let Some(now) = &now {
            self.editor.moved(&from, now);
        }
        self.list.moved(&from, Place::of_origin(&to));
        let file = match self.list.dir() {
            Some(dir) => super::save::in_workspace(dir, &moved.path)
                .display()
                .to_string(),
            None => moved.path.display().to_string(),
        };
        let mut status = format!("Moved {} to {file}", from.name);
        if moved.created {
            status.push_str(" (new file)");
        }
        if !moved.unset_vars.is_empty() {
            let vars: Vec<String> = (moved.unset_vars.iter())
                .map(|v| format!("{{{{{v}}}}}"))
                .collect();
            status.push_str(&format!(" · {} set by its old file only", vars.join(", ")));
        }
        self.list.select_after_load(Some(to));
        let mut effects: Vec<Effect> = self.list.reload().into_iter().collect();
        effects.push(Effect::Status(status));
        effects
    }
}
