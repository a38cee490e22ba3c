//! The response on screen: the exchange, its body as display lines, which view is open and
//! where each is scrolled; the body view's own state is in `body_view.rs`.

use std::sync::Arc;

use super::body::Formatted;
use super::body_view::BodyView;
use crate::http::Exchange;
use crate::tui::action::Action;

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
