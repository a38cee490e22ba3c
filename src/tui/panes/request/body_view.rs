//! The response body's view: pretty, raw or hex; a search with its matches; a jq filter whose
//! result stands in for the body until it is cleared; saving and copying; and the one-line
//! prompts that ask for a query, a filter or a path. Searching a large body, filtering and
//! writing a file go out as jobs, so no key waits on them.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::body::{self, Formatted};
use super::jobs::RequestJob;
use super::response::{Shown, View};
use super::search::{self, Found, Haystack};
use super::{Effect, Focus, RequestPane};
use crate::http::jq;
use crate::tasks::TaskError;
use crate::tui::action::Action;
use crate::tui::widgets::hex;
use crate::tui::widgets::input::{InputOutcome, TextInput};

/// Bodies larger than this are not put on the clipboard: a terminal would choke on the
/// OSC 52 fallback, and a file is the better place for them.
pub const COPY_LIMIT: usize = 8 * 1024 * 1024;

/// How the body is shown; `b` cycles through them in this order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Pretty JSON or text lines (or the jq filter's result).
    #[default]
    Pretty,
    /// The lines as received, control bytes shown as `.`.
    Raw,
    /// A hex dump, like xxd.
    Hex,
}

impl Mode {
    fn next(self) -> Mode {
        match self {
            Mode::Pretty => Mode::Raw,
            Mode::Raw => Mode::Hex,
            Mode::Hex => Mode::Pretty,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Pretty => "pretty",
            Mode::Raw => "raw",
            Mode::Hex => "hex",
        }
    }
}

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Search,
    Filter,
    Save,
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub ask: Ask,
    pub input: TextInput,
    /// Save: the path that exists; enter on it again overwrites it.
    confirm: Option<String>,
    /// Search: the search and scroll to go back to on esc.
    restore: Option<(Option<Search>, usize)>,
}

impl Prompt {
    fn new(ask: Ask, text: &str) -> Self {
        let mut input = TextInput::default();
        input.set_text(text);
        Self {
            ask,
            input,
            confirm: None,
            restore: None,
        }
    }

    pub fn title(&self) -> &'static str {
        match self.ask {
            Ask::Search => "Search the body (enter keeps it, esc cancels)",
            Ask::Filter => "jq filter (enter runs it, empty clears, esc cancels)",
            Ask::Save if self.confirm.is_some() => "File exists: enter overwrites it, esc cancels",
            Ask::Save => "Save to (enter writes, esc cancels)",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Search {
    pub query: String,
    /// `None` while a task searches.
    pub found: Option<Found>,
    /// The selected match.
    pub current: usize,
    /// The search job whose answer is awaited.
    seq: u64,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub text: String,
    /// `None` while the filter runs.
    pub result: Option<Result<Filtered, String>>,
    /// The filter job whose answer is awaited.
    seq: u64,
}

/// A filter's result, ready to show as JSON lines.
#[derive(Debug, Clone)]
pub struct Filtered {
    pub body: Arc<Formatted>,
    pub values: usize,
    pub cut: bool,
    pub error: Option<String>,
}

/// The state of the body view, kept with the response it shows.
#[derive(Debug, Clone, Default)]
pub struct BodyView {
    pub mode: Mode,
    pub search: Option<Search>,
    pub filter: Option<Filter>,
    pub prompt: Option<Prompt>,
    /// The body's height when last drawn, so a match is revealed only when off screen.
    /// Render writes it, as it is the only one who knows the layout.
    pub height: Cell<usize>,
}

impl Shown {
    /// The lines the pretty view shows: the filter's result while a filter is on.
    pub fn pretty_lines(&self) -> Option<&Arc<Formatted>> {
        match &self.body_view.filter {
            Some(filter) => filter.result.as_ref()?.as_ref().ok().map(|r| &r.body),
            None => self.body.as_ref(),
        }
    }

    /// How many lines (or hex rows) the body view scrolls over.
    pub fn body_line_count(&self) -> usize {
        let bytes = &self.exchange.response.body;
        match self.body_view.mode {
            Mode::Pretty => self.pretty_lines().map_or(0, |f| f.lines.len()),
            Mode::Raw => self.body.as_ref().map_or(0, |f| f.line_starts.len()),
            Mode::Hex => hex::row_count(bytes.len()),
        }
    }

    /// What a search looks through in the current mode, once it is there to look through.
    fn haystack(&self) -> Option<Haystack> {
        let bytes = &self.exchange.response.body;
        match self.body_view.mode {
            Mode::Pretty => self.pretty_lines().cloned().map(Haystack::Lines),
            Mode::Raw => self.body.clone().map(|f| Haystack::Raw(bytes.clone(), f)),
            Mode::Hex => Some(Haystack::Hex(bytes.clone())),
        }
    }

    /// Scrolls so that `line` shows, leaving it where it is when it already does.
    fn reveal(&mut self, line: usize) {
        // An open prompt covers the last two lines of the body.
        let covered = if self.body_view.prompt.is_some() {
            2
        } else {
            0
        };
        let height = self.body_view.height.get().saturating_sub(covered);
        if height == 0 || line < self.scroll || line >= self.scroll + height {
            self.scroll = line.saturating_sub(height / 3);
        }
    }

    /// Selects the first match at or after the top of the view, and shows it.
    fn select_from_scroll(&mut self) {
        let scroll = self.scroll;
        let Some(search) = self.body_view.search.as_mut() else {
            return;
        };
        let Some(found) = &search.found else { return };
        if found.matches.is_empty() {
            return;
        }
        search.current = found
            .matches
            .iter()
            .position(|m| m.line >= scroll)
            .unwrap_or(0);
        let line = found.matches[search.current].line;
        self.reveal(line);
    }

    /// The text that saving or copying takes: the filter's result in the pretty view while
    /// a filter is on, else the body as received.
    fn content(&self) -> Content<'_> {
        if self.body_view.mode == Mode::Pretty
            && let Some(filter) = &self.body_view.filter
            && let Some(Ok(result)) = &filter.result
        {
            let mut text = result.body.lines.text().to_string();
            text.push('\n');
            return Content::Filtered(text);
        }
        Content::Body(&self.exchange.response.body)
    }
}

enum Content<'a> {
    Filtered(String),
    Body(&'a bytes::Bytes),
}

impl RequestPane {
    /// Whether a body prompt has the keys.
    pub(super) fn prompting(&self) -> bool {
        self.shown
            .as_ref()
            .is_some_and(|s| s.body_view.prompt.is_some())
    }

    /// The body view's actions, which work from anywhere on the tab and bring the response
    /// into focus. `None` when `action` is not one of them.
    pub(super) fn body_action(&mut self, action: Action) -> Option<Option<Effect>> {
        let on_body = self.focus == Focus::Response
            && self.shown.as_ref().is_some_and(|s| s.view == View::Body);
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
        self.focus = Focus::Response;
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
            .map_or(".", |f| f.text.as_str());
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
                let text = prompt.input.text().trim().to_string();
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
        let Some(haystack) = shown.haystack().filter(|h| h.size() <= body::INLINE_LIMIT) else {
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
        if haystack.size() <= body::INLINE_LIMIT {
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
        result: Result<Found, TaskError>,
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
        result: Result<jq::Output, TaskError>,
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
