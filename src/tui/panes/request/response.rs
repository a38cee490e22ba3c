//! The response on screen: the exchange, its body as display lines, which view is open and
//! where each is scrolled; the body view's own state is in `response_pane.rs`.

use std::sync::Arc;

use super::body_state::{BodyView, Mode};
use super::formatted::Formatted;
use super::search::Haystack;
use crate::http::Exchange;
use crate::tui::action::Action;
use crate::tui::widgets::hex;

/// The views of a response, in the order `<` and `>` move through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Body,
    Headers,
    Cookies,
    Timing,
    Tls,
    Findings,
}

impl View {
    pub const ALL: [View; 6] = [
        View::Body,
        View::Headers,
        View::Cookies,
        View::Timing,
        View::Tls,
        View::Findings,
    ];

    pub fn title(self) -> &'static str {
        match self {
            View::Body => "Body",
            View::Headers => "Headers",
            View::Cookies => "Cookies",
            View::Timing => "Timing",
            View::Tls => "TLS",
            View::Findings => "Findings",
        }
    }

    fn index(self) -> usize {
        View::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    pub fn next(self) -> View {
        View::ALL[(self.index() + 1) % View::ALL.len()]
    }

    pub fn prev(self) -> View {
        View::ALL[(self.index() + View::ALL.len() - 1) % View::ALL.len()]
    }
}

/// A response being shown.
#[derive(Debug, Clone)]
pub struct Shown {
    pub exchange: Exchange,
    /// `None` while a large body is still being formatted. Shared, so a search task can read
    /// the lines without copying them.
    pub body: Option<Arc<Formatted>>,
    /// Matches the format job's answer to this response.
    pub seq: u64,
    pub view: View,
    /// First line shown, per the current view.
    pub scroll: usize,
    pub wrap: bool,
    pub finding: usize,
    pub detail: bool,
    pub body_view: BodyView,
}

/// Lines a page key moves.
const PAGE: usize = 20;

impl Shown {
    pub fn new(exchange: Exchange, body: Option<Formatted>, seq: u64) -> Self {
        Self {
            exchange,
            body: body.map(Arc::new),
            seq,
            view: View::Body,
            scroll: 0,
            wrap: false,
            finding: 0,
            detail: false,
            body_view: BodyView::default(),
        }
    }

    /// How many lines the current view scrolls over.
    fn line_count(&self) -> usize {
        let r = &self.exchange.response;
        match self.view {
            View::Body => self.body_line_count(),
            View::Headers => r.headers.len(),
            View::Cookies => r.cookies.len() * 2,
            View::Timing => 8,
            View::Tls => r.tls.as_ref().map_or(0, |t| 4 + t.certificates.len() * 4),
            View::Findings => self.exchange.findings.len(),
        }
    }

    /// Scrolls, selects or switches view; returns whether the action was used.
    pub fn handle_action(&mut self, action: Action) -> bool {
        if self.detail {
            if matches!(action, Action::Back | Action::Select) {
                self.detail = false;
                return true;
            }
            return false;
        }
        let last = self.line_count().saturating_sub(1);
        let pos = if self.view == View::Findings {
            &mut self.finding
        } else {
            &mut self.scroll
        };
        match action {
            Action::RequestNextView => self.switch(self.view.next()),
            Action::RequestPrevView => self.switch(self.view.prev()),
            Action::RequestWrap => self.wrap = !self.wrap,
            Action::Up => *pos = pos.saturating_sub(1),
            Action::Down => *pos = (*pos + 1).min(last),
            Action::PageUp => *pos = pos.saturating_sub(PAGE),
            Action::PageDown => *pos = (*pos + PAGE).min(last),
            Action::Top => *pos = 0,
            Action::Bottom => *pos = last,
            Action::Select if self.view == View::Findings && !self.exchange.findings.is_empty() => {
                self.detail = true
            }
            _ => return false,
        }
        true
    }

    fn switch(&mut self, view: View) {
        self.view = view;
        self.scroll = 0;
    }
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
    pub(super) fn haystack(&self) -> Option<Haystack> {
        let bytes = &self.exchange.response.body;
        match self.body_view.mode {
            Mode::Pretty => self.pretty_lines().cloned().map(Haystack::Lines),
            Mode::Raw => self.body.clone().map(|f| Haystack::Raw(bytes.clone(), f)),
            Mode::Hex => Some(Haystack::Hex(bytes.clone())),
        }
    }

    /// Scrolls so that `line` shows, leaving it where it is when it already does.
    pub(super) fn reveal(&mut self, line: usize) {
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
    pub(super) fn select_from_scroll(&mut self) {
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
    pub(super) fn content(&self) -> Content<'_> {
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

pub(super) enum Content<'a> {
    Filtered(String),
    Body(&'a bytes::Bytes),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_cycle_both_ways() {
        assert_eq!(View::Body.prev(), View::Findings);
        assert_eq!(View::Findings.next(), View::Body);
        assert_eq!(View::Headers.next(), View::Cookies);
    }
}
