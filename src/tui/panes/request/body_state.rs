//! The state of the response body's view: its mode (pretty, raw, hex), a search with its
//! matches, a jq filter with its result, and the one-line prompt that asks for a query, a
//! filter or a path.

use std::cell::Cell;
use std::sync::Arc;

use super::formatted::Formatted;
use super::search::Found;
use crate::tui::widgets::input::TextInput;

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
    pub(super) fn next(self) -> Mode {
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
    pub(super) confirm: Option<String>,
    /// Search: the search and scroll to go back to on esc.
    pub(super) restore: Option<(Option<Search>, usize)>,
}

impl Prompt {
    /// A prompt that opens empty with `offered` one ctrl-r away (enter alone takes it where
    /// an empty answer means nothing else).
    pub(super) fn new(ask: Ask, offered: &str) -> Self {
        let mut input = TextInput::default();
        input.offer(
            offered,
            match ask {
                Ask::Save => "the suggested path (enter alone takes it)",
                Ask::Filter => "the current filter",
                Ask::Search => "the last search",
            },
        );
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
    pub(super) seq: u64,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub text: String,
    /// `None` while the filter runs.
    pub result: Option<Result<Filtered, String>>,
    /// The filter job whose answer is awaited.
    pub(super) seq: u64,
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
