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
mod sending;
mod store;
mod view;

pub use jobs::RequestJob;
pub use msg::Msg;

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use self::editor::EditorPane;
use self::list::{ListEvent, ListPane, Place};
use self::load::Loaded;
use self::origin::Pending;
use self::response_pane::ResponsePane;
use super::{Cx, Effect, Pane, View};
use crate::http::Request;
use crate::tasks::TaskId;
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

    fn idle_hint(&self, action: Action) -> Option<String> {
        let editor_key = matches!(
            action,
            Action::Edit
                | Action::RequestAddRow
                | Action::RequestDeleteRow
                | Action::RequestToggleRow
        );
        match self.focus {
            Focus::List if editor_key => Some(
                "That key edits the request: → moves to the editor (enter opens the selected one)"
                    .into(),
            ),
            Focus::Response if editor_key => {
                Some("That key edits the request: ← moves to the editor".into())
            }
            _ => None,
        }
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
