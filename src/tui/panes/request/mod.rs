//! The Request tab: the workspace's requests and history on the left, the editor in the
//! middle, the response on the right (or below the editor on a narrow terminal). Sending
//! runs as a task; Esc cancels it. Tokens and URLs move on to the JWT and Audit tabs.

pub mod body;
mod body_edit;
mod body_state;
pub mod body_view;
mod edit;
pub mod editor;
mod jobs;
pub mod kinds;
mod lifecycle;
pub mod load;
pub mod msg;
mod origin;
pub mod response;
mod rows;
pub mod save;
pub mod search;
mod store;
mod view;

pub use jobs::RequestJob;
pub use msg::Msg;

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use self::body_edit::BodyEditor;
use self::editor::{Field, Target};
use self::load::Loaded;
use self::origin::{Origin, Pending, SaveAs};
use self::response::Shown;
use super::{Cx, Effect, Pane, View};
use crate::http::{Auth, Body, Exchange, Redactor, Request, Vars, prepare};
use crate::tasks::{TaskError, TaskId};
use crate::tui::action::{Action, Context};
use crate::tui::widgets::input::{InputOutcome, TextInput};

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

pub struct RequestPane {
    request: Request,
    /// The folder of the `.http` file the request came from: relative paths resolve there.
    base_dir: Option<PathBuf>,
    file_vars: Vec<(String, String)>,
    /// `None` until the first use of the tab loads it.
    workspace: Option<Box<Loaded>>,
    load_requested: bool,
    workspace_dir: Option<PathBuf>,
    list_selected: usize,
    focus: Focus,
    field: usize,
    editing: Option<Field>,
    input: TextInput,
    /// The multi-line editor, open on a JSON or raw body.
    body_editor: Option<BodyEditor>,
    /// The name prompt of a save.
    save_as: Option<SaveAs>,
    /// The stored request being edited, if it came from (or was saved to) the workspace.
    origin: Option<Origin>,
    /// The request as it was opened, saved or made: edits are unsaved while it differs.
    baseline: Request,
    /// A question waiting for its answer (unsaved edits, a delete).
    pending: Option<Pending>,
    /// The wall clock (unix seconds), for the history's ages.
    now: i64,
    /// Select `origin` in the list once the workspace reloads (after a save).
    select_origin: bool,
    /// The auth and body last set up in each kind, so cycling through kinds loses nothing.
    auth_stash: Vec<Auth>,
    body_stash: Vec<Body>,
    env: Option<usize>,
    problem: Option<(Target, String)>,
    sending: Sending,
    send_note: Option<SendNote>,
    response: body_view::ResponsePane,
}

impl Default for RequestPane {
    fn default() -> Self {
        Self {
            request: Request::default(),
            base_dir: None,
            file_vars: Vec::new(),
            workspace: None,
            load_requested: false,
            workspace_dir: None,
            list_selected: 0,
            focus: Focus::Editor,
            field: 1,
            editing: None,
            input: TextInput::default(),
            body_editor: None,
            save_as: None,
            origin: None,
            baseline: Request::default(),
            pending: None,
            now: 0,
            select_origin: false,
            auth_stash: Vec::new(),
            body_stash: Vec::new(),
            env: None,
            problem: None,
            sending: Sending::Idle,
            send_note: None,
            response: body_view::ResponsePane::default(),
        }
    }
}

impl RequestPane {
    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn request(&self) -> &Request {
        &self.request
    }

    /// Makes `token` the request's bearer token, replacing any auth, and turns off
    /// Authorization header rows so the two cannot disagree.
    pub fn use_bearer_token(&mut self, token: &str) {
        self.request.auth = Auth::Bearer {
            token: token.to_string(),
        };
        for row in &mut self.request.headers {
            if row.name.eq_ignore_ascii_case("authorization") {
                row.enabled = false;
            }
        }
        self.revalidate();
    }

    /// Sets the wall clock (unix seconds) the history's ages are counted from.
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    /// Uses `dir` as the workspace instead of the default one.
    pub fn set_workspace_dir(&mut self, dir: Option<PathBuf>) {
        self.workspace_dir = dir;
        self.load_requested = false;
    }

    /// The job that loads the workspace, the first time the tab is used.
    pub fn load_if_needed(&mut self) -> Option<Effect> {
        if self.load_requested {
            return None;
        }
        self.reload()
    }

    fn reload(&mut self) -> Option<Effect> {
        self.load_requested = true;
        Some(Effect::start(RequestJob::LoadWorkspace {
            dir: self.workspace_dir.clone(),
        }))
    }

    /// The workspace job's answer.
    fn loaded(
        &mut self,
        result: Result<Box<Loaded>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        match result {
            Ok(loaded) => {
                let problem = loaded.problems.first().cloned();
                if self.env.is_some_and(|i| i >= loaded.envs.len()) {
                    self.env = None;
                }
                // With a single environment there is nothing to choose: use it.
                if self.env.is_none() && loaded.envs.len() == 1 {
                    self.env = Some(0);
                }
                self.list_selected = self
                    .list_selected
                    .min((loaded.requests.len() + loaded.history.len()).saturating_sub(1));
                self.workspace = Some(loaded);
                self.select_saved();
                self.revalidate();
                problem.map(|p| Effect::Status(format!("Workspace: {p}")))
            }
            Err(e) => Some(Effect::Status(format!("Cannot load the workspace: {e}"))),
        }
    }

    /// The variables the request resolves against: the file's, then the environment's.
    fn vars(&self) -> Vars {
        let mut vars = Vars::new();
        for (name, value) in &self.file_vars {
            vars.set(name, value, false);
        }
        // An environment's values include the shared ones; with none chosen, those alone.
        let env = match (self.env_vars(), &self.workspace) {
            (Some((_, env)), _) => Some(env),
            (None, Some(ws)) => Some(&ws.shared),
            (None, None) => None,
        };
        for (name, var) in env.into_iter().flat_map(Vars::iter) {
            vars.set(name, &var.value, var.secret);
        }
        vars
    }

    fn env_vars(&self) -> Option<&(String, Vars)> {
        let ws = self.workspace.as_ref()?;
        ws.envs.get(self.env?)
    }

    fn revalidate(&mut self) {
        self.problem = editor::validate(&self.request, &self.vars(), self.base_dir.as_deref());
    }

    fn fields(&self) -> Vec<Field> {
        editor::fields(&self.request)
    }

    fn current_field(&self) -> Field {
        let fields = self.fields();
        fields[self.field.min(fields.len() - 1)]
    }

    fn list_len(&self) -> usize {
        self.workspace
            .as_ref()
            .map_or(0, |w| w.requests.len() + w.history.len())
    }

    /// Raw keys while a field is being edited.
    fn on_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        if self.pending.is_some() {
            return self.pending_key(key);
        }
        if self.body_editor.is_some() {
            return self.body_editor_key(key);
        }
        if self.save_as.is_some() {
            return self.save_request_key(key);
        }
        let Some(field) = self.editing else {
            return self.response.prompt_key(key);
        };
        match self.input.handle_key(key) {
            InputOutcome::Changed => None,
            InputOutcome::Cancel => {
                self.editing = None;
                self.drop_empty_row(field);
                None
            }
            // Enter keeps the field; sending is always ctrl-s.
            InputOutcome::Submit => self.commit(),
        }
    }

    /// Ends editing, writing the input into the request. The body editor has written its
    /// text already and stays open; a name prompt is abandoned.
    pub fn commit(&mut self) -> Option<Effect> {
        self.save_as = None;
        let field = self.editing.take()?;
        let text = self.input.text().to_string();
        let mut effect = None;
        match field {
            Field::Method => self.request.method = text.trim().to_ascii_uppercase(),
            Field::Url => self.request.url = text.trim().to_string(),
            Field::Query(Some(i)) => {
                if let Some(row) = self.request.query.get_mut(i) {
                    *row = editor::parse_row(&text, row.enabled);
                }
            }
            Field::Header(Some(i)) => {
                if let Some(row) = self.request.headers.get_mut(i) {
                    *row = editor::parse_row(&text, row.enabled);
                }
            }
            Field::AuthPart(part) => {
                if let Err(e) = kinds::set_part(&mut self.request.auth, part, &text) {
                    effect = Some(Effect::Status(e));
                }
            }
            Field::BodyRow(i) => match &mut self.request.body {
                Body::Form(rows) => {
                    if let Some(row) = rows.get_mut(i) {
                        *row = editor::parse_row(&text, row.enabled);
                    }
                }
                Body::Multipart(parts) => {
                    if let Some(part) = parts.get_mut(i) {
                        *part = kinds::parse_multipart(&text, part.enabled);
                    }
                }
                _ => {}
            },
            Field::BodyFile => self.request.body = Body::File(text.trim().into()),
            Field::Query(None)
            | Field::Header(None)
            | Field::Auth
            | Field::Body
            | Field::BodyText => {}
        }
        self.drop_empty_row(field);
        self.revalidate();
        effect
    }

    fn on_paste(&mut self, text: &str) {
        if self.body_editor.is_some() {
            return self.paste_into_body(text);
        }
        if let Some(prompt) = self.save_as.as_mut() {
            return prompt.input.insert_str(text.trim());
        }
        if self.response.prompting() {
            return self.response.paste_into_prompt(text);
        }
        if self.editing.is_none() {
            self.focus = Focus::Editor;
            self.field = 1;
            self.start_edit();
            self.input.clear();
        }
        self.input.insert_str(text.trim());
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
            Action::RequestEnv => return self.next_env(),
            Action::RequestReload => return self.reload(),
            Action::RequestMethod => {
                self.request.method = editor::next_method(&self.request.method).into();
                self.revalidate();
                return None;
            }
            Action::RequestAuthKind => return self.next_auth_kind(),
            Action::RequestBodyKind => return self.next_body_kind(),
            Action::RequestSave => return self.open_save_request(),
            Action::RequestNew => return self.guard(Pending::New),
            Action::RequestDuplicate => return self.duplicate(),
            Action::RequestRename => return self.rename(),
            Action::RequestDelete => return self.delete_selected(),
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
            Focus::List => self.list_action(action),
            Focus::Editor => self.editor_action(action),
            Focus::Response => {
                if let Some(shown) = self.response.shown.as_mut() {
                    shown.handle_action(action);
                }
                None
            }
        }
    }

    fn list_action(&mut self, action: Action) -> Option<Effect> {
        let last = self.list_len().saturating_sub(1);
        match action {
            Action::Up => self.list_selected = self.list_selected.saturating_sub(1),
            Action::Down => self.list_selected = (self.list_selected + 1).min(last),
            Action::Top => self.list_selected = 0,
            Action::Bottom => self.list_selected = last,
            Action::Select => return self.guard(Pending::Open(self.list_selected)),
            _ => {}
        }
        None
    }

    /// Loads the list's stored request or history entry at `i` into the editor.
    fn open_at(&mut self, i: usize) -> Option<Effect> {
        let ws = self.workspace.as_ref()?;
        if let Some(stored) = ws.requests.get(i) {
            self.request = stored.request.clone();
            self.base_dir = stored.path.parent().map(PathBuf::from);
            self.file_vars = stored.file_vars.clone();
            self.origin = Some(Origin::of(stored));
        } else if let Some(entry) = ws.history.get(i - ws.requests.len()) {
            self.request = entry.request.clone();
            self.base_dir = Some(ws.dir.clone());
            self.file_vars.clear();
            self.origin = None;
        }
        self.baseline = self.request.clone();
        self.auth_stash.clear();
        self.body_stash.clear();
        self.field = 1;
        self.focus = Focus::Editor;
        self.revalidate();
        None
    }

    fn editor_action(&mut self, action: Action) -> Option<Effect> {
        let last = self.fields().len() - 1;
        let field = self.current_field();
        match action {
            Action::Up => self.field = self.field.saturating_sub(1),
            Action::Down => self.field = (self.field + 1).min(last),
            Action::Top => self.field = 0,
            Action::Bottom => self.field = last,
            Action::Select | Action::Edit => match field {
                Field::Query(None) | Field::Header(None) => return self.add_row(field),
                _ => return self.start_edit(),
            },
            Action::RequestAddRow => return self.add_row(field),
            Action::RequestDeleteRow => self.delete_row(field),
            Action::RequestToggleRow => return self.toggle(field),
            _ => {}
        }
        None
    }

    fn next_env(&mut self) -> Option<Effect> {
        let count = self.workspace.as_ref().map_or(0, |w| w.envs.len());
        if count == 0 {
            return Some(Effect::Status(
                "The workspace has no environments (http-client.env.json)".into(),
            ));
        }
        self.env = match self.env {
            None => Some(0),
            Some(i) if i + 1 < count => Some(i + 1),
            Some(_) => None,
        };
        self.revalidate();
        None
    }

    fn send(&mut self) -> Option<Effect> {
        if self.sending != Sending::Idle {
            return Some(Effect::Status(
                "Already sending; esc cancels the send".into(),
            ));
        }
        if self.request.url.trim().is_empty() {
            return Some(Effect::Status("Enter a URL first (e edits)".into()));
        }
        match prepare(&self.request, &self.vars(), self.base_dir.as_deref()) {
            Ok(prepared) => {
                self.problem = None;
                self.send_note = None;
                self.sending = Sending::Starting;
                let history = self
                    .workspace
                    .as_ref()
                    .filter(|w| w.exists)
                    .map(|w| crate::http::History::in_dir(&w.dir));
                Some(Effect::start(RequestJob::Send {
                    request: Box::new(self.request.clone()),
                    prepared: Box::new(prepared),
                    history,
                }))
            }
            Err(e) => {
                let message = e.to_string();
                self.problem = Some((editor::target_of(&e), message.clone()));
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
                let large = response.body.len() > body::INLINE_LIMIT;
                if large {
                    effects.push(Effect::start(RequestJob::FormatBody {
                        seq: self.response.seq,
                        body: response.body.clone(),
                        json,
                    }));
                }
                let formatted = (!large).then(|| body::format(&response.body, json));
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
        if self.workspace.as_ref().is_some_and(|w| w.exists) {
            effects.extend(self.reload());
        }
        effects
    }

    /// A large body finished formatting.
    fn body_formatted(
        &mut self,
        seq: u64,
        result: Result<body::Formatted, crate::tui::jobs::JobError>,
    ) {
        if let Some(shown) = self.response.shown.as_mut()
            && shown.seq == seq
        {
            shown.body = Some(std::sync::Arc::new(result.unwrap_or_else(|e| {
                body::Formatted {
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
            editor::find_jwt(&String::from_utf8_lossy(head)).map(String::from)
        };
        let from_request = || {
            let token = editor::bearer_token(&self.request)?;
            self.vars()
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
        let url = self.request.url.trim();
        if url.is_empty() {
            return None;
        }
        Some(
            self.vars()
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
        self.editing.is_some()
            || self.pending.is_some()
            || self.body_editor.is_some()
            || self.save_as.is_some()
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
        RequestPane::unsaved(self).then(|| self.display_name())
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
