//! The response side of the Request tab as a component: the response shown and its body
//! view's actions: pretty, raw or hex; a search with its matches; a jq filter whose result
//! stands in for the body until it is cleared; saving and copying; and the one-line prompts
//! that ask for a query, a filter or a path. Searching a large body, filtering and writing a
//! file go out as jobs, so no key waits on them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::body_state::{Ask, BodyView, Filter, Filtered, Mode, Prompt, Search};
use super::formatted::{self, Formatted};
use super::jobs::RequestJob;
use super::response::{Content, Shown, View};
use super::search::{self, Found};
use crate::http::jq;
use crate::tui::action::Action;
use crate::tui::panes::Effect;
use crate::tui::widgets::input::InputOutcome;

pub use super::body_state::COPY_LIMIT;

/// The response side of the tab: the response shown (with its body view), and the sequence
/// number that matches a job's answer to the response and view it was started for.
#[derive(Default)]
pub struct ResponsePane {
    pub shown: Option<Shown>,
    pub seq: u64,
}

impl ResponsePane {
    /// Whether a body prompt has the keys.
    pub(super) fn prompting(&self) -> bool {
        self.shown
            .as_ref()
            .is_some_and(|s| s.body_view.prompt.is_some())
    }

    /// The body view's actions, which work from anywhere on the tab; the caller brings the
    /// response into focus when one was taken. `None` when `action` is not one of them;
    /// `focused`: whether the response has the focus now.
    pub(super) fn body_action(&mut self, action: Action, focused: bool) -> Option<Option<Effect>> {
        let on_body = focused && self.shown.as_ref().is_some_and(|s| s.view == View::Body);
        let wanted = match action {
            Action::RequestSearch
            | Action::RequestSearchNext
            | Action::RequestSearchPrev
            | Action::RequestFilter
            | Action::RequestBodyMode
            | Action::RequestSaveBody => true,
            Action::Copy => on_body,
            // Esc steps back out of a search, then out of a filter.
            Action::Back => {
                on_body
                    && self.shown.as_ref().is_some_and(|s| {
                        s.body_view.search.is_some() || s.body_view.filter.is_some()
                    })
            }
            _ => false,
        };
        if !wanted {
            return None;
        }
        let Some(shown) = self.shown.as_mut() else {
            return Some(Some(Effect::Status(
                "No response yet: ctrl-s sends the request".into(),
            )));
        };
        if shown.view != View::Body {
            shown.view = View::Body;
            shown.scroll = 0;
        }
        Some(match action {
            Action::RequestSearch => self.open_search(),
            Action::RequestSearchNext => self.step_match(true),
            Action::RequestSearchPrev => self.step_match(false),
            Action::RequestFilter => self.open_filter(),
            Action::RequestBodyMode => {
                let view = &mut shown.body_view;
                view.mode = view.mode.next();
                shown.scroll = 0;
                self.search_again()
            }
            Action::RequestSaveBody => self.open_save(),
            Action::Copy => self.copy(),
            _ => {
                let view = &mut shown.body_view;
                if view.search.take().is_none() {
                    view.filter = None;
                    shown.scroll = 0;
                }
                None
            }
        })
    }

    fn open_search(&mut self) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        if shown.haystack().is_none() {
            return Some(Effect::Status(
                "Nothing to search yet: the body is still being formatted or filtered".into(),
            ));
        }
        let mut prompt = Prompt::new(Ask::Search, "");
        prompt.restore = Some((shown.body_view.search.clone(), shown.scroll));
        shown.body_view.prompt = Some(prompt);
        None
    }

    fn step_match(&mut self, forward: bool) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        let Some(search) = shown.body_view.search.as_mut() else {
            return Some(Effect::Status("No search yet: / starts one".into()));
        };
        let Some(found) = &search.found else {
            return Some(Effect::Status("Still searching…".into()));
        };
        let count = found.matches.len();
        if count == 0 {
            return Some(Effect::Status(format!("No match for {}", search.query)));
        }
        search.current = if forward {
            (search.current + 1) % count
        } else {
            (search.current + count - 1) % count
        };
        let line = found.matches[search.current].line;
        shown.reveal(line);
        None
    }

    fn open_filter(&mut self) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        if shown.body.as_ref().is_some_and(|b| !b.json) {
            return Some(Effect::Status(
                "jq filters work on JSON bodies, and this one is not JSON".into(),
            ));
        }
        let text = shown
            .body_view
            .filter
            .as_ref()
            .map_or("", |f| f.text.as_str());
        shown.body_view.prompt = Some(Prompt::new(Ask::Filter, text));
        None
    }

    fn open_save(&mut self) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        let name = match shown.content() {
            Content::Filtered(_) => "filtered.json".to_string(),
            Content::Body(_) => format!("response.{}", extension(shown)),
        };
        // An absolute path, so it is plain where the file goes.
        let path = std::env::current_dir()
            .map(|dir| dir.join(&name).display().to_string())
            .unwrap_or(name);
        shown.body_view.prompt = Some(Prompt::new(Ask::Save, &path));
        None
    }

    fn copy(&mut self) -> Option<Effect> {
        let shown = self.shown.as_ref()?;
        let text = match shown.content() {
            Content::Filtered(text) => text,
            Content::Body(bytes) => {
                if bytes.is_empty() {
                    return Some(Effect::Status("The body is empty: nothing to copy".into()));
                }
                match std::str::from_utf8(bytes) {
                    Ok(text) => text.to_string(),
                    Err(_) => {
                        return Some(Effect::Status(
                            "The body is binary: s saves it to a file instead".into(),
                        ));
                    }
                }
            }
        };
        if text.len() > COPY_LIMIT {
            return Some(Effect::Status(format!(
                "The body is {} MB, too big for the clipboard: s saves it to a file",
                text.len() / (1024 * 1024)
            )));
        }
        Some(Effect::Copy(text))
    }

    /// Keys while a body prompt is open.
    pub(super) fn prompt_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        let prompt = shown.body_view.prompt.as_mut()?;
        let outcome = prompt.input.handle_key(key);
        let ask = prompt.ask;
        match (ask, outcome) {
            (Ask::Search, InputOutcome::Changed) => {
                self.search_as_typed();
                None
            }
            (Ask::Search, InputOutcome::Cancel) => {
                if let Some((search, scroll)) = shown.body_view.prompt.take()?.restore {
                    shown.body_view.search = search;
                    shown.scroll = scroll;
                }
                None
            }
            (Ask::Search, InputOutcome::Submit) => {
                let query = shown.body_view.prompt.take()?.input.text().to_string();
                let searched = shown
                    .body_view
                    .search
                    .as_ref()
                    .is_some_and(|s| s.query == query);
                if query.is_empty() {
                    shown.body_view.search = None;
                    None
                } else if searched {
                    None
                } else {
                    self.start_search(query)
                }
            }
            (Ask::Filter, InputOutcome::Submit) => {
                let text = prompt.input.text().trim().to_string();
                if text.is_empty() {
                    shown.body_view.prompt = None;
                    shown.body_view.filter = None;
                    shown.scroll = 0;
                    return self.search_again();
                }
                // A syntax error shows at once and the prompt stays, to fix it.
                if let Err(e) = jq::check(&text) {
                    return Some(Effect::Status(format!("jq: {e}")));
                }
                shown.body_view.prompt = None;
                self.start_filter(text)
            }
            (Ask::Save, InputOutcome::Submit) => {
                let text = prompt.input.text_or_offer().trim().to_string();
                if text.is_empty() {
                    return Some(Effect::Status("Enter a path to save to".into()));
                }
                let path = expand_home(&text);
                if path.is_dir() {
                    return Some(Effect::Status(format!(
                        "{} is a folder: add a file name",
                        path.display()
                    )));
                }
                if path.exists() && prompt.confirm.as_deref() != Some(text.as_str()) {
                    prompt.confirm = Some(text);
                    return Some(Effect::Status(format!(
                        "{} exists: enter again overwrites it",
                        path.display()
                    )));
                }
                shown.body_view.prompt = None;
                let bytes = match shown.content() {
                    Content::Filtered(text) => bytes::Bytes::from(text),
                    Content::Body(bytes) => bytes.clone(),
                };
                Some(Effect::start(RequestJob::SaveBody { path, bytes }))
            }
            (_, InputOutcome::Cancel) => {
                shown.body_view.prompt = None;
                None
            }
            (_, InputOutcome::Changed) => {
                prompt.confirm = None;
                None
            }
        }
    }

    /// Text pasted while a body prompt is open goes into it.
    pub(super) fn paste_into_prompt(&mut self, text: &str) {
        let Some(prompt) = self
            .shown
            .as_mut()
            .and_then(|s| s.body_view.prompt.as_mut())
        else {
            return;
        };
        prompt.input.insert_str(text.trim());
        prompt.confirm = None;
        if prompt.ask == Ask::Search {
            self.search_as_typed();
        }
    }

    /// Searches as the query is typed, when the haystack is small enough to do it now;
    /// a large one waits for enter and a task.
    fn search_as_typed(&mut self) {
        let Some(shown) = self.shown.as_mut() else {
            return;
        };
        let Some(prompt) = shown.body_view.prompt.as_ref() else {
            return;
        };
        let query = prompt.input.text().to_string();
        let scroll = prompt.restore.as_ref().map_or(shown.scroll, |(_, s)| *s);
        let Some(haystack) = shown
            .haystack()
            .filter(|h| h.size() <= formatted::INLINE_LIMIT)
        else {
            return;
        };
        shown.scroll = scroll;
        shown.body_view.search = (!query.is_empty()).then(|| Search {
            found: Some(search::find(&haystack, &query)),
            query,
            current: 0,
            seq: 0,
        });
        shown.select_from_scroll();
    }

    /// Searches for `query` in the current mode: now when the haystack is small, else as a
    /// job whose answer [`RequestPane::searched`] takes.
    fn start_search(&mut self, query: String) -> Option<Effect> {
        self.seq += 1;
        let seq = self.seq;
        let shown = self.shown.as_mut()?;
        let Some(haystack) = shown.haystack() else {
            shown.body_view.search = None;
            return Some(Effect::Status(
                "Search cleared: the body is still being formatted or filtered".into(),
            ));
        };
        if haystack.size() <= formatted::INLINE_LIMIT {
            let found = search::find(&haystack, &query);
            shown.body_view.search = Some(Search {
                query,
                found: Some(found),
                current: 0,
                seq,
            });
            shown.select_from_scroll();
            return None;
        }
        shown.body_view.search = Some(Search {
            query: query.clone(),
            found: None,
            current: 0,
            seq,
        });
        Some(Effect::start(RequestJob::SearchBody {
            seq,
            haystack,
            query,
        }))
    }

    /// The search again, over what the view shows now (after a mode or filter change).
    fn search_again(&mut self) -> Option<Effect> {
        let query = self
            .shown
            .as_ref()?
            .body_view
            .search
            .as_ref()?
            .query
            .clone();
        self.start_search(query)
    }

    /// A search job's answer.
    pub(super) fn searched(
        &mut self,
        seq: u64,
        result: Result<Found, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        let search = shown.body_view.search.as_mut().filter(|s| s.seq == seq)?;
        match result {
            Ok(found) => {
                search.found = Some(found);
                shown.select_from_scroll();
                None
            }
            Err(e) => {
                shown.body_view.search = None;
                Some(Effect::Status(format!("The search failed: {e}")))
            }
        }
    }

    /// Runs `text` on the body as a job; its result replaces the pretty view.
    fn start_filter(&mut self, text: String) -> Option<Effect> {
        self.seq += 1;
        let seq = self.seq;
        let shown = self.shown.as_mut()?;
        shown.body_view.mode = Mode::Pretty;
        shown.scroll = 0;
        shown.body_view.filter = Some(Filter {
            text: text.clone(),
            result: None,
            seq,
        });
        Some(Effect::start(RequestJob::FilterBody {
            seq,
            body: shown.exchange.response.body.clone(),
            filter: text,
        }))
    }

    /// A filter job's answer.
    pub(super) fn filtered(
        &mut self,
        seq: u64,
        result: Result<jq::Output, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        let shown = self.shown.as_mut()?;
        let filter = shown.body_view.filter.as_mut().filter(|f| f.seq == seq)?;
        filter.result = Some(result.map_err(|e| e.to_string()).map(|out| Filtered {
            body: Arc::new(Formatted {
                lines: out.lines.into(),
                json: true,
                ..Formatted::default()
            }),
            values: out.values,
            cut: out.cut,
            error: out.error,
        }));
        shown.scroll = 0;
        self.search_again()
    }

    /// Carries the mode and the filter over to a new response, running the filter on it.
    pub(super) fn keep_body_view(&mut self, old: BodyView) -> Option<Effect> {
        self.shown.as_mut()?.body_view.mode = old.mode;
        self.start_filter(old.filter?.text)
    }
}

/// A file extension for the body, from its Content-Type and what it turned out to be.
fn extension(shown: &Shown) -> &'static str {
    let response = &shown.exchange.response;
    let mime = response
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if response.is_json() || shown.body.as_ref().is_some_and(|b| b.json) {
        "json"
    } else if mime == "text/html" {
        "html"
    } else if mime.ends_with("xml") {
        "xml"
    } else if shown.body.as_ref().is_some_and(|b| b.note.is_none()) {
        "txt"
    } else {
        "bin"
    }
}

/// `~/x` is in the home folder, as a shell would have it.
fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => Path::new(text).to_path_buf(),
    }
}
