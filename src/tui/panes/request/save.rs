//! Saving the edited request into the workspace: a prompt for the name (the current one
//! offered), a question before saving over another request of that name, and the write
//! itself as a job that reads the workspace again, so the list shows the saved request,
//! selected. A request saved under the name it was opened with goes back into the block it
//! came from, in whichever file (`Workspace::save_at`); so does one saved over another; a
//! new name makes `requests/NAME.http` (`Workspace::save`). Both writes are atomic.

use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use super::editor::EditorPane;
use super::jobs::RequestJob;
use super::load::Loaded;
use super::origin::{Origin, SaveAs, stored_name};
use super::store::Saved;
use crate::http::Request;
use crate::http::workspace::PRIVATE_ENV_FILE;
use crate::tui::panes::Effect;
use crate::tui::widgets::input::{InputOutcome, TextInput};

/// `path` within the workspace at `dir`, short enough for the status line to say more.
pub(super) fn in_workspace<'a>(dir: &Path, path: &'a Path) -> &'a Path {
    path.strip_prefix(dir).unwrap_or(path)
}

/// The name offered for an unnamed request: the method and the URL's last path segment,
/// as `get-users`, in the characters a name may have.
fn suggested_name(req: &Request) -> String {
    let path = req.url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let last = path
        .split('/')
        .skip(1)
        .filter(|s| !s.is_empty() && !s.contains("{{"))
        .last()
        .unwrap_or("request");
    let name: String = format!("{}-{last}", req.method)
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    name.trim_start_matches('.').to_string()
}

impl EditorPane {
    /// Opens the name prompt; `ws`: the workspace, once it is read.
    pub(super) fn open_save_request(&mut self, ws: Option<&Loaded>) -> Option<Effect> {
        if ws.is_none() {
            return Some(Effect::Status(
                "The workspace is still loading: try again in a moment".into(),
            ));
        }
        // Empty, as every prompt opens; enter alone keeps the offered name.
        let mut input = TextInput::default();
        input.offer(
            if self.request.name.is_empty() {
                suggested_name(&self.request)
            } else {
                self.request.name.clone()
            },
            "the name (enter alone keeps it)",
        );
        self.save_as = Some(SaveAs {
            input,
            confirm: None,
            rename: false,
        });
        None
    }

    /// Keys while the name prompt is open.
    pub(super) fn save_request_key(
        &mut self,
        key: &KeyEvent,
        ws: Option<&Loaded>,
    ) -> Option<Effect> {
        let prompt = self.save_as.as_mut()?;
        match prompt.input.handle_key(key) {
            InputOutcome::Cancel => self.save_as = None,
            InputOutcome::Changed => prompt.confirm = None,
            InputOutcome::Submit => {
                let name = prompt.input.text_or_offer().trim().to_string();
                if name.is_empty() {
                    return Some(Effect::Status("Enter a name to save the request as".into()));
                }
                let ws = ws?;
                // Under the name it was opened with (or renamed), the request goes back where
                // it came from, which overwrites nothing else. Under another name it may
                // replace the request the workspace finds by that name (the first, as
                // `request`).
                let origin = (self.origin.as_ref())
                    .filter(|o| o.name == name || prompt.rename)
                    .and_then(|o| ws.requests.iter().find(|s| Origin::of(s) == *o));
                // A new file is named after the request: the name must be one a file may
                // have. The prompt stays open to fix it.
                if origin.is_none() && !crate::http::Workspace::valid_name(&name) {
                    return Some(Effect::Status(format!(
                        "'{name}' cannot be a request's file name: use letters, digits, - _ . \
                         (not starting with .)"
                    )));
                }
                let other = match origin {
                    Some(_) => None,
                    None => ws.requests.iter().find(|s| stored_name(s) == name),
                };
                if let Some(other) = other
                    && prompt.confirm.as_deref() != Some(name.as_str())
                {
                    prompt.confirm = Some(name.clone());
                    let path = in_workspace(&ws.dir, &other.path).display();
                    return Some(Effect::Status(format!(
                        "{path} holds another request named {name}: enter again saves over it"
                    )));
                }
                let at = origin.or(other).cloned().map(Box::new);
                let dir = ws.dir.clone();
                self.save_as = None;
                let mut request = self.request.clone();
                request.name = name;
                return Some(Effect::start(RequestJob::SaveRequest {
                    dir,
                    request: Box::new(request),
                    at,
                }));
            }
        }
        None
    }

    /// The save job's answer: the request takes its new name and its new place; what to
    /// say about it (`dir`: the workspace's folder, which paths are told within).
    pub(super) fn saved(&mut self, saved: &Saved, dir: Option<&Path>) -> String {
        let shown = match dir {
            Some(dir) => in_workspace(dir, &saved.path),
            None => &saved.path,
        };
        let mut status = format!("Saved {} to {}", saved.name, shown.display());
        if !saved.moved.is_empty() {
            let moved: Vec<String> = saved
                .moved
                .iter()
                .map(|(place, var)| format!("{place} as {{{{{var}}}}}"))
                .collect();
            status.push_str(&format!(
                " · moved {} into {PRIVATE_ENV_FILE}",
                moved.join(", ")
            ));
        }
        self.request = saved.request.clone();
        self.baseline = saved.request.clone();
        // Relative paths in the request now resolve beside the file it was saved to.
        self.base_dir = saved.path.parent().map(PathBuf::from);
        self.origin = Some(Origin {
            name: saved.name.clone(),
            path: saved.path.clone(),
            index: saved.index,
        });
        status
    }
}

#[cfg(test)]
mod tests {
    use super::super::RequestPane;
    use super::*;
    use crate::tui::action::Action;
    use crossterm::event::{KeyCode, KeyModifiers};

    /// Presses enter in the name prompt; the save job it starts, carried out as the event
    /// loop would, and its answer given to the pane. Returns the status said last.
    fn enter_and_save(pane: &mut RequestPane) -> String {
        let effect = pane.on_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        let Some(Effect::Start(job)) = effect else {
            panic!("{effect:?}")
        };
        let Some(RequestJob::SaveRequest { dir, request, at }) = job.into_inner::<RequestJob>()
        else {
            panic!("not a save")
        };
        let saved = super::super::store::save(&dir, &request, at.as_deref()).map(Box::new);
        let saved = saved.map_err(|e| crate::tasks::TaskError::Failed(anyhow::anyhow!(e).into()));
        match pane.saved(saved).pop() {
            Some(Effect::Status(status)) => status,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_request_opened_from_a_collection_is_saved_back_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let ws = crate::http::Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("collection.http");
        let text = "@base = http://127.0.0.1:9\n\n# @name list\nGET {{base}}/users\n\n\
                    ###\n# @name create\nPOST {{base}}/users\n\n\
                    ###\n# @name login\nPOST {{base}}/login\n\n{\"u\": 1}\n\n> {% x(); %}\n";
        std::fs::write(&path, text).unwrap();
        let mut pane = RequestPane::default();
        pane.loaded(
            super::super::load::load(Some(dir.path().to_path_buf()))
                .map(Box::new)
                .map_err(|e| crate::tasks::TaskError::Failed(anyhow::anyhow!(e).into())),
        );
        pane.list.selected = 1;
        pane.open_at(1);
        assert_eq!(pane.editor.request.name, "create");

        // Under its own name: back into its block, nothing asked, no copy in requests/.
        pane.editor.request.url = "{{base}}/people".into();
        pane.on_action(Action::RequestSave);
        assert_eq!(enter_and_save(&mut pane), "Saved create to collection.http");
        let stored = ws.request("create").unwrap();
        assert_eq!((stored.path.as_path(), stored.index), (path.as_path(), 1));
        assert_eq!(stored.request.url, "{{base}}/people");
        assert!(!dir.path().join("requests/create.http").exists());
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            written,
            text.replace("POST {{base}}/users", "POST {{base}}/people")
        );
        assert_eq!(pane.editor.origin, Some(Origin::of(&stored)));

        // Over another request of the collection, once confirmed: into that one's block.
        pane.on_action(Action::RequestSave);
        let prompt = pane.editor.save_as.as_mut().unwrap();
        prompt.input.set_text("list");
        let effect = pane.on_key(&KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        assert!(
            matches!(&effect, Some(Effect::Status(s)) if s.starts_with("collection.http holds another request named list")),
            "{effect:?}"
        );
        assert_eq!(enter_and_save(&mut pane), "Saved list to collection.http");
        let list = ws.request("list").unwrap();
        assert_eq!((list.path.as_path(), list.index), (path.as_path(), 0));
        assert_eq!(list.request.method, "POST");
        assert_eq!(ws.requests().unwrap().len(), 3);
        assert!(!dir.path().join("requests/list.http").exists());

        // A new name is a new file.
        pane.on_action(Action::RequestSave);
        pane.editor
            .save_as
            .as_mut()
            .unwrap()
            .input
            .set_text("people");
        assert_eq!(
            enter_and_save(&mut pane),
            "Saved people to requests/people.http"
        );
        assert_eq!(
            std::fs::read_to_string(&path)
                .unwrap()
                .matches("# @name")
                .count(),
            3
        );
    }

    #[test]
    fn a_missing_workspace_is_created_with_its_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("new");
        let mut req = Request::new("GET", "http://127.0.0.1:9/");
        req.name = "first".into();
        let saved = super::super::store::save(&ws, &req, None).unwrap();
        assert_eq!(saved.path, ws.join("requests/first.http"));
        assert!(ws.join(".gitignore").is_file());
        let loaded = saved.loaded.unwrap();
        assert!(loaded.exists);
        assert_eq!(loaded.requests[0].request, req);
    }

    #[test]
    fn names_are_offered() {
        let mut req = Request::new("GET", "http://127.0.0.1:8080/api/users/?page=2");
        assert_eq!(suggested_name(&req), "get-users");
        req.url = "{{base}}/v1/{{id}}".into();
        assert_eq!(suggested_name(&req), "get-v1");
        req.url = "http://127.0.0.1".into();
        assert_eq!(suggested_name(&req), "get-request");
    }
}
