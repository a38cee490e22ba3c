//! Sending the request and taking its answer: the editor's request prepared with its
//! variables and sent as a task (esc cancels it), the answer handed to the response
//! component (a large body formatted by a CPU job), the list read again for the new history
//! entry; and what moves on to the JWT and Audit tabs (a token, the URL).

use super::fields;
use super::formatted;
use super::response::Shown;
use super::{Effect, Focus, RequestJob, RequestPane, SendNote, Sending};
use crate::http::{Exchange, Redactor, prepare};
use crate::tasks::{TaskError, TaskId};

impl RequestPane {
    pub(super) fn send(&mut self) -> Option<Effect> {
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

    pub(super) fn cancel(&mut self) -> Option<Effect> {
        match self.sending {
            Sending::Running(id) => Some(Effect::CancelTask(id)),
            _ => Some(Effect::Status("The send is starting; try again".into())),
        }
    }

    /// The runner named the send's task: Esc can cancel it now.
    pub(super) fn send_started(&mut self, id: TaskId) {
        if self.sending == Sending::Starting {
            self.sending = Sending::Running(id);
        }
    }

    /// A send ended. Small bodies are formatted now, large ones by a CPU job; either way the
    /// list is reloaded so the new history entry shows. Lessons may count the findings of
    /// an answer from the lab.
    pub(super) fn sent(
        &mut self,
        result: Result<Box<Exchange>, crate::tui::jobs::JobError>,
    ) -> Vec<Effect> {
        self.sending = Sending::Idle;
        let mut effects = Vec::new();
        match result {
            Ok(exchange) => {
                let headers = exchange.response.headers.iter();
                let headers = headers.map(|(k, v)| (k.as_str(), v.as_str()));
                effects.extend(crate::tui::panes::lab_findings(headers, &exchange.findings));
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
            // The status bar already has the task's end ("GET … failed: why", "… cancelled"),
            // said by the app for every task; the pane notes it where the response goes.
            Err(TaskError::Cancelled) => {
                self.send_note = Some(SendNote::Cancelled);
            }
            Err(e) => {
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
    pub(super) fn body_formatted(
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
    pub(super) fn token_to_inspect(&self) -> Option<String> {
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
    pub(super) fn url_to_audit(&self) -> Option<String> {
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
