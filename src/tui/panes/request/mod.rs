//! The Request tab: the workspace's requests and history on the left, the editor in the
//! middle, the response on the right (or below the editor on a narrow terminal). Sending
//! runs as a task; Esc cancels it. Tokens and URLs move on to the JWT and Audit tabs.

mod body_edit;
mod body_state;
mod edit;
pub mod editor;
pub mod fields;
pub mod formatted;
mod jobs;
pub mod kinds;
mod lifecycle;
pub mod list;
mod list_move;
pub mod load;
pub mod msg;
mod origin;
pub mod response;
pub mod response_pane;
mod rows;
pub mod save;
pub mod search;
mod store;
mod view;

pub use jobs::RequestJob;
pub use msg::Msg;

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use self::editor::EditorPane;
use self::list::{ListEvent, ListPane, Place};
use self::load::Loaded;
use self::origin::{Origin, Pending};
use self::response::Shown;
use self::response_pane::ResponsePane;
use self::store::Saved;
use super::{Cx, Effect, Pane, View};
use crate::http::workspace_move::Moved;
use crate::http::{Exchange, Redactor, Request, prepare};
use crate::tasks::{TaskError, TaskId};
use crate::tui::action::{Action, Context};

/// Which of the three parts has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Editor,
    Response,
}

/// Whether a send is running, and its task once the runner said which it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    Idle,
    Starting,
    Running(TaskId),
}

/// How the last send ended when it brought no response.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SendNote {
    /// It failed; the previous response is gone, so its body cannot pass for this answer.
    Failed(String),
    /// The user cancelled it; the previous response, if any, stays and is labelled as such.
    Cancelled,
}

/// The coordinator of the tab's three components: it routes keys by focus, and carries
/// what one says to the others (an entry opened in the list goes to the editor, a save's
/// new place to the list, a send's answer to the response).
pub struct RequestPane {
    list: ListPane,
    editor: EditorPane,
    response: ResponsePane,
    focus: Focus,
    /// A question waiting for its answer (unsaved edits, a delete).
    pending: Option<Pending>,
    sending: Sending,
    send_note: Option<SendNote>,
}

impl Default for RequestPane {
    fn default() -> Self {
        Self {
            list: ListPane::default(),
            editor: EditorPane::default(),
            response: ResponsePane::default(),
            focus: Focus::Editor,
            pending: None,
            sending: Sending::Idle,
            send_note: None,
        }
    }
}

impl RequestPane {
    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn request(&self) -> &Request {
        &self.editor.request
    }

    /// Makes `token` the request's bearer token (see [`EditorPane::use_bearer_token`]).
    pub fn use_bearer_token(&mut self, token: &str) {
        self.editor.use_bearer_token(token);
    }

    /// Sets the wall clock (unix seconds) the history's ages are counted from.
    pub fn set_now(&mut self, now: i64) {
        self.list.set_now(now);
    }

    /// Uses `dir` as the workspace instead of the default one.
    pub fn set_workspace_dir(&mut self, dir: Option<PathBuf>) {
        self.list.set_dir(dir);
    }

    /// The job that loads the workspace, the first time the tab is used.
    pub fn load_if_needed(&mut self) -> Option<Effect> {
        self.list.load_if_needed()
    }

    /// The workspace job's answer: the list takes it, the editor its environment.
    fn loaded(
        &mut self,
        result: Result<Box<Loaded>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        let effect = self.list.loaded(result);
        self.editor.set_env_values(self.list.env_values());
        effect
    }

    /// Raw keys while a question, a prompt or an input has them.
    fn on_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        if self.pending.is_some() {
            return self.pending_key(key);
        }
        if self.list.move_to.is_some() {
            return self.list.move_key(key);
        }
        if self.editor.is_editing() {
            return self.editor.key(key, self.list.workspace.as_deref());
        }
        self.response.prompt_key(key)
    }

    /// Ends editing, writing the input into the request (see [`EditorPane::commit`]).
    pub fn commit(&mut self) -> Option<Effect> {
        self.editor.commit()
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(prompt) = self.list.move_to.as_mut() {
            return prompt.input.insert_str(text.trim());
        }
        let editor = &self.editor;
        if editor.body_editor.is_none() && editor.save_as.is_none() {
            if self.response.prompting() {
                return self.response.paste_into_prompt(text);
            }
            if editor.editing.is_none() {
                self.focus = Focus::Editor;
            }
        }
        self.editor.paste(text);
    }

    fn on_action(&mut self, action: Action) -> Option<Effect> {
        if let Some(shown) = self.response.shown.as_mut()
            && shown.detail
        {
            shown.handle_action(action);
            return None;
        }
        match action {
            Action::RequestSend => return self.send(),
            Action::RequestInspectToken => {
                return Some(match self.token_to_inspect() {
                    Some(token) => Effect::InspectToken(token),
                    None => Effect::Status(
                        "No bearer token in the request and no JWT in the response".into(),
                    ),
                });
            }
            Action::RequestAuditUrl => {
                return Some(match self.url_to_audit() {
                    Some(url) => Effect::AuditUrl(url),
                    None => Effect::Status("Enter a URL first (e edits)".into()),
                });
            }
            Action::Back if self.sending != Sending::Idle => return self.cancel(),
            Action::RequestEnv => {
                let effect = self.list.next_env();
                self.editor.set_env_values(self.list.env_values());
                return effect;
            }
            Action::RequestReload => return self.list.reload(),
            Action::RequestMethod => {
                self.editor.next_method();
                return None;
            }
            Action::RequestAuthKind => {
                self.focus = Focus::Editor;
                return self.editor.next_auth_kind();
            }
            Action::RequestBodyKind => {
                self.focus = Focus::Editor;
                return self.editor.next_body_kind();
            }
            Action::RequestSave => {
                return self
                    .editor
                    .open_save_request(self.list.workspace.as_deref());
            }
            Action::RequestNew => return self.guard(Pending::New),
            Action::RequestDuplicate => return self.editor.duplicate(),
            Action::RequestRename => return self.editor.rename(),
            Action::RequestDelete => return self.delete_selected(),
            Action::RequestMove => return self.list.open_move(),
            Action::RequestAlternate => return self.alternate(),
            Action::Left => {
                self.focus = match self.focus {
                    Focus::Response => Focus::Editor,
                    _ => Focus::List,
                };
                return None;
            }
            Action::Right => {
                self.focus = match self.focus {
                    Focus::List => Focus::Editor,
                    _ => Focus::Response,
                };
                return None;
            }
            _ => {}
        }
        // The response's own keys work from anywhere on the tab, bringing it into focus.
        if matches!(
            action,
            Action::RequestNextView | Action::RequestPrevView | Action::RequestWrap
        ) && self.focus != Focus::Response
        {
            let Some(shown) = self.response.shown.as_mut() else {
                return Some(Effect::Status(
                    "No response yet: ctrl-s sends the request".into(),
                ));
            };
            self.focus = Focus::Response;
            shown.handle_action(action);
            return None;
        }
        if let Some(effect) = self
            .response
            .body_action(action, self.focus == Focus::Response)
        {
            self.focus = Focus::Response;
            return effect;
        }
        match self.focus {
            Focus::List => match self.list.action(action)? {
                ListEvent::Open(i) => self.guard(Pending::Open(i)),
            },
            Focus::Editor => self.editor.action(action),
            Focus::Response => {
                if let Some(shown) = self.response.shown.as_mut() {
                    shown.handle_action(action);
                }
                None
            }
        }
    }

    /// Loads the list's stored request or history entry at `i` into the editor; the
    /// request it replaces and the one opened go to the top of the recent ones.
    fn open_at(&mut self, i: usize) -> Option<Effect> {
        self.list.workspace.as_ref()?;
        if let Some(origin) = &self.editor.origin {
            self.list.opened(Place::of_origin(origin));
        }
        let ws = self.list.workspace.as_ref()?;
        if let Some(stored) = ws.requests.get(i) {
            let stored = stored.clone();
            self.editor.open_stored(&stored);
            self.list.opened(Place::of(&stored));
        } else if let Some(entry) = ws.history.get(i - ws.requests.len()) {
            self.editor.open_history(entry, &ws.dir);
        }
        self.focus = Focus::Editor;
        None
    }

    /// The save job's answer: the editor takes the request's new name and place, and the
    /// list, read again after the save, selects it.
    fn saved(&mut self, result: Result<Box<Saved>, crate::tui::jobs::JobError>) -> Vec<Effect> {
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
    fn moved(
        &mut self,
        result: Result<Box<(Origin, Moved)>, crate::tui::jobs::JobError>,
    ) -> Vec<Effect> {
        let (from, moved) = match result {
            Ok(done) => *done,
            Err(e) => return vec![Effect::Status(format!("Cannot move the request: {e}"))],
        };
        let to = Origin {
            name: from.name.clone(),
            path: moved.path.clone(),
            index: moved.index,
        };
        self.editor.moved(&from, to.clone());
        self.list.moved(&from, Place::of_origin(&to));
        let file = match self.list.dir() {
            Some(dir) => save::in_workspace(dir, &moved.path).display().to_string(),
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

    fn send(&mut self) -> Option<Effect> {
        if self.sending != Sending::Idle {
            return Some(Effect::Status(
                "Already sending; esc cancels the send".into(),
            ));
        }
        if self.editor.request.url.trim().is_empty() {
            return Some(Effect::Status("Enter a URL first (e edits)".into()));
        }
        let editor = &mut self.editor;
        match prepare(&editor.request, &editor.vars(), editor.base_dir.as_deref()) {
            Ok(prepared) => {
                editor.problem = None;
                self.send_note = None;
                self.sending = Sending::Starting;
                let history = (self.list.workspace.as_ref())
                    .filter(|w| w.exists)
                    .map(|w| crate::http::History::in_dir(&w.dir));
                Some(Effect::start(RequestJob::Send {
                    request: Box::new(self.editor.request.clone()),
                    prepared: Box::new(prepared),
                    history,
                }))
            }
            Err(e) => {
                let message = e.to_string();
                editor.problem = Some((fields::target_of(&e), message.clone()));
                Some(Effect::Status(format!("Cannot send: {message}")))
            }
        }
    }

    fn cancel(&mut self) -> Option<Effect> {
        match self.sending {
            Sending::Running(id) => Some(Effect::CancelTask(id)),
            _ => Some(Effect::Status("The send is starting; try again".into())),
        }
    }

    /// The runner named the send's task: Esc can cancel it now.
    fn send_started(&mut self, id: TaskId) {
        if self.sending == Sending::Starting {
            self.sending = Sending::Running(id);
        }
    }

    /// A send ended. Small bodies are formatted now, large ones by a CPU job; either way the
    /// list is reloaded so the new history entry shows. Lessons may count the findings of
    /// an answer from the lab.
    fn sent(&mut self, result: Result<Box<Exchange>, crate::tui::jobs::JobError>) -> Vec<Effect> {
        self.sending = Sending::Idle;
        let mut effects = Vec::new();
        match result {
            Ok(exchange) => {
                let headers = exchange.response.headers.iter();
                let headers = headers.map(|(k, v)| (k.as_str(), v.as_str()));
                effects.extend(super::lab_findings(headers, &exchange.findings));
                self.send_note = None;
                self.response.seq += 1;
                let response = &exchange.response;
                let json = response.is_json();
                let large = response.body.len() > formatted::INLINE_LIMIT;
                if large {
                    effects.push(Effect::start(RequestJob::FormatBody {
                        seq: self.response.seq,
                        body: response.body.clone(),
                        json,
                    }));
                }
                let formatted = (!large).then(|| formatted::format(&response.body, json));
                let old = self.response.shown.take();
                let mut shown = Shown::new(*exchange, formatted, self.response.seq);
                if let Some(old) = &old {
                    shown.view = old.view;
                    shown.wrap = old.wrap;
                }
                self.response.shown = Some(shown);
                if let Some(old) = old {
                    effects.extend(self.response.keep_body_view(old.body_view));
                }
            }
            Err(TaskError::Cancelled) => {
                effects.push(Effect::Status("Send cancelled".into()));
                self.send_note = Some(SendNote::Cancelled);
            }
            Err(e) => {
                effects.push(Effect::Status(format!("Send {e}")));
                self.response.shown = None;
                self.send_note = Some(SendNote::Failed(e.to_string()));
            }
        }
        if self.list.workspace.as_ref().is_some_and(|w| w.exists) {
            effects.extend(self.list.reload());
        }
        effects
    }

    /// A large body finished formatting.
    fn body_formatted(
        &mut self,
        seq: u64,
        result: Result<formatted::Formatted, crate::tui::jobs::JobError>,
    ) {
        if let Some(shown) = self.response.shown.as_mut()
            && shown.seq == seq
        {
            shown.body = Some(std::sync::Arc::new(result.unwrap_or_else(|e| {
                formatted::Formatted {
                    note: Some(format!("The body could not be formatted: {e}")),
                    ..Default::default()
                }
            })));
        }
    }

    /// The token "Inspect token" sends to the JWT tab: from the response body when that has
    /// the keys, else the request's bearer token (variables resolved), else the body's.
    fn token_to_inspect(&self) -> Option<String> {
        let from_body = || {
            let shown = self.response.shown.as_ref()?;
            let body = &shown.exchange.response.body;
            let head = &body[..body.len().min(4 * 1024 * 1024)];
            fields::find_jwt(&String::from_utf8_lossy(head)).map(String::from)
        };
        let from_request = || {
            let token = fields::bearer_token(&self.editor.request)?;
            self.editor
                .vars()
                .resolve(token, &mut Redactor::default())
                .ok()
                .filter(|t| !t.is_empty())
        };
        if self.focus == Focus::Response {
            from_body().or_else(from_request)
        } else {
            from_request().or_else(from_body)
        }
    }

    /// The URL "Audit this URL" sends to the Audit tab, variables resolved.
    fn url_to_audit(&self) -> Option<String> {
        let url = self.editor.request.url.trim();
        if url.is_empty() {
            return None;
        }
        Some(
            self.editor
                .vars()
                .resolve(url, &mut Redactor::default())
                .unwrap_or_else(|_| url.to_string()),
        )
    }
}

impl RequestPane {
    /// A job of this pane sent a message.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        match msg {
            Msg::Loaded(result) => cx.push(self.loaded(result)),
            Msg::SendStarted(id) => self.send_started(id),
            Msg::Sent(result) => cx.push(self.sent(result)),
            Msg::BodyFormatted(seq, result) => self.body_formatted(seq, result),
            Msg::Filtered(seq, result) => cx.push(self.response.filtered(seq, result)),
            Msg::Searched(seq, result) => cx.push(self.response.searched(seq, result)),
            Msg::Saved(result) => cx.push(self.saved(result)),
            Msg::Deleted(result) => cx.push(self.deleted(result)),
            Msg::Moved(result) => cx.push(self.moved(result)),
            Msg::BodySaved(Ok(text)) => cx.status(text),
            Msg::BodySaved(Err(e)) => cx.status(format!("Cannot save the body: {e}")),
        }
    }
}

impl Pane for RequestPane {
    fn context(&self) -> Context {
        Context::Request
    }

    fn is_editing(&self) -> bool {
        self.editor.is_editing()
            || self.pending.is_some()
            || self.list.move_to.is_some()
            || self.response.prompting()
    }

    /// Send works mid-edit: the edit is kept, then sent. Only chords with a modifier are
    /// looked up, so typed letters always reach the input.
    fn handle_key(&mut self, key: &KeyEvent, cx: &mut Cx) {
        use crossterm::event::KeyModifiers;
        let chord = key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if chord && cx.keymap.action_for(Context::Request, key) == Some(Action::RequestSend) {
            cx.push(self.commit());
            cx.push(self.on_action(Action::RequestSend));
        } else {
            cx.push(self.on_key(key));
        }
    }

    /// The workspace is read on the first action, not at start-up.
    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        cx.push(self.load_if_needed());
        cx.push(self.on_action(action));
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        self.on_paste(text);
    }

    fn unsaved(&self) -> Option<String> {
        RequestPane::unsaved(self).then(|| self.editor.display_name())
    }

    fn render(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, view: &View) {
        self.draw(frame, area, view.theme);
    }
}

#[cfg(test)]
mod body_tests;
#[cfg(test)]
mod editor_tests;
#[cfg(test)]
mod tests;
