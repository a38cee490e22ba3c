//! Drawing the Request tab's list: the requests opened recently (the one `ctrl-6` goes
//! back to first), the saved requests with the unsaved marker, the history with statuses and
//! ages, and the selected entry in full on the line under them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::list::ListPane;
use super::super::load::Loaded;
use super::super::origin::{Origin, stored_name};
use crate::tui::theme::{Role, Theme};

/// The list's own keys, as many as its narrow border holds (the palette has every one).
const HINT: &str = "I import · F move · X delete · ctrl-n new";

/// How many recent requests the list shows above the saved ones.
const RECENT_SHOWN: usize = 3;

impl ListPane {
    /// Draws the list; `focused`: whether it has the keys, `current`: the stored request in
    /// the editor, marked ● when `edited`.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        focused: bool,
        current: Option<&Origin>,
        edited: bool,
    ) {
        let block = super::block("Requests", focused, theme)
            .title_bottom(crate::tui::widgets::footer(HINT, area.width, theme));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(ws) = &self.workspace else {
            let text = if self.load_requested {
                "Loading the workspace…"
            } else {
                "The workspace loads on first use (r)."
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.style(Role::Muted)))
                    .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        };
        let selected = |i: usize, line: Line<'static>| {
            if i == self.selected {
                line.style(theme.style(Role::Selection))
            } else {
                line
            }
        };
        let width = inner.width as usize;
        // Rows are (index in the selectable list, line); headings have no index.
        let mut rows: Vec<(Option<usize>, Line<'static>)> = Vec::new();
        rows.extend(
            self.recent_lines(current, width, theme)
                .into_iter()
                .map(|l| (None, l)),
        );
        rows.push((None, Line::styled("Saved", theme.style(Role::Muted))));
        if ws.requests.is_empty() {
            rows.push((None, Line::styled(" (none yet)", theme.style(Role::Muted))));
        }
        for (i, s) in ws.requests.iter().enumerate() {
            let name = if s.request.name.is_empty() {
                s.request.url.clone()
            } else {
                s.request.name.clone()
            };
            let name = crate::tui::widgets::ellipsize_middle(&name, width.saturating_sub(8));
            let edited = edited && current.is_some_and(|o| *o == Origin::of(s));
            let mut spans = vec![
                Span::styled(
                    format!(" {:<6} ", s.request.method),
                    theme.style(Role::Accent),
                ),
                Span::styled(name, theme.style(Role::Text)),
            ];
            if edited {
                spans.push(Span::styled(" ●", theme.style(Role::Warning)));
            }
            let line = Line::from(spans);
            rows.push((Some(i), selected(i, line)));
        }
        rows.push((None, Line::styled("History", theme.style(Role::Muted))));
        if ws.history.is_empty() {
            rows.push((
                None,
                Line::styled(" (nothing sent yet)", theme.style(Role::Muted)),
            ));
        }
        for (j, e) in ws.history.iter().enumerate() {
            let i = ws.requests.len() + j;
            let (status, role) = match (e.status, &e.error) {
                (Some(s), _) if s >= 400 => (s.to_string(), Role::Error),
                (Some(s), _) => (s.to_string(), Role::Success),
                (None, _) => ("ERR".to_string(), Role::Error),
            };
            // The host is the same for most entries: the path tells them apart.
            let path = history_path(&e.url);
            let age = age_text(e.at, self.now);
            let prefix = format!(" {status:<3} {} ", e.method);
            // The size joins the age where the path keeps a dozen columns beside it; on a
            // narrow list it is in the full entry under the list.
            let size = e
                .size
                .map(|n| super::response::size_text(n as usize, e.truncated))
                .unwrap_or_default();
            let with_size = format!("{size} {age}");
            let fits = |tail: &str| {
                width.saturating_sub(prefix.chars().count() + tail.chars().count() + 1)
            };
            let age = if !size.is_empty() && fits(&with_size) >= 12 {
                with_size
            } else {
                age
            };
            let room = fits(&age);
            let line = Line::from(vec![
                Span::styled(format!(" {status:<3} "), theme.style(role)),
                Span::styled(format!("{} ", e.method), theme.style(Role::Accent)),
                Span::styled(
                    format!(
                        "{:<room$}",
                        crate::tui::widgets::ellipsize_middle(&path, room)
                    ),
                    theme.style(Role::Text),
                ),
                Span::styled(format!(" {age}"), theme.style(Role::Muted)),
            ]);
            rows.push((Some(i), selected(i, line)));
        }
        let full = self.entry_text(ws);
        // The selected entry in full under the list, wrapped onto up to a third of it.
        let inner = match full {
            Some(text) if inner.height > 3 => {
                let max_rows = (inner.height as usize / 3).max(1);
                let wrapped = crate::tui::widgets::wrap_anywhere(&text, width, max_rows);
                let [list, under] = Layout::vertical([
                    Constraint::Fill(1),
                    Constraint::Length(wrapped.len() as u16),
                ])
                .areas(inner);
                let lines: Vec<Line> = wrapped
                    .into_iter()
                    .map(|row| Line::styled(row, theme.style(Role::Muted)))
                    .collect();
                frame.render_widget(Paragraph::new(lines), under);
                list
            }
            _ => inner,
        };
        let height = inner.height as usize;
        let at = rows
            .iter()
            .position(|(i, _)| *i == Some(self.selected))
            .unwrap_or(0);
        let first = (at + 1).saturating_sub(height.max(1));
        let lines: Vec<Line> = rows.into_iter().skip(first).map(|(_, l)| l).collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The selected list entry in full, for the line under the list.
    fn entry_text(&self, ws: &Loaded) -> Option<String> {
        let i = self.selected;
        if let Some(s) = ws.requests.get(i) {
            let file = s.path.strip_prefix(&ws.dir).unwrap_or(&s.path);
            return Some(format!("{} · {}", stored_name(s), file.display()));
        }
        let e = ws.history.get(i - ws.requests.len())?;
        let outcome = match (e.status, &e.error) {
            (Some(s), _) => s.to_string(),
            (None, Some(err)) => err.clone(),
            (None, None) => "no answer".into(),
        };
        let size = e
            .size
            .map(|n| format!(" · {}", super::response::size_text(n as usize, e.truncated)))
            .unwrap_or_default();
        Some(format!("{} {} · {outcome}{size}", e.method, e.url))
    }

    /// The environment and its variables, secrets masked.
    pub fn env_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let envs = self.env_count();
        let Some((name, vars)) = self.env() else {
            let text = if envs == 0 {
                "none".to_string()
            } else {
                format!("none · v picks one of {envs}")
            };
            return vec![Line::from(vec![
                Span::styled(format!("{:<8}", "Env"), theme.style(Role::Muted)),
                Span::styled(text, theme.style(Role::Muted)),
            ])];
        };
        let mut out = vec![Line::from(vec![
            Span::styled(format!("{:<8}", "Env"), theme.style(Role::Muted)),
            Span::styled(name.clone(), theme.style(Role::Accent)),
            Span::styled(" · v next", theme.style(Role::Muted)),
        ])];
        for (var, _) in vars.iter().take(8) {
            out.push(Line::from(vec![
                Span::styled(format!("  {var} = "), theme.style(Role::Muted)),
                Span::styled(
                    vars.display_value(var).unwrap_or_default().to_string(),
                    theme.style(Role::Text),
                ),
            ]));
        }
        out
    }

    /// The recent requests other than the one in the editor, the first (where the
    /// alternate key goes) marked with that key; nothing when there are none.
    fn recent_lines(
        &self,
        current: Option<&Origin>,
        width: usize,
        theme: &Theme,
    ) -> Vec<Line<'static>> {
        let recent = self.recent(current);
        if recent.is_empty() {
            return Vec::new();
        }
        let mut out = vec![Line::styled("Recent (` back)", theme.style(Role::Muted))];
        for (n, (_, s)) in recent.into_iter().take(RECENT_SHOWN).enumerate() {
            let mark = if n == 0 { "`" } else { " " };
            let name =
                crate::tui::widgets::ellipsize_middle(&stored_name(s), width.saturating_sub(10));
            out.push(Line::from(vec![
                Span::styled(
                    format!("{mark}{:<6} ", s.request.method),
                    theme.style(Role::Accent),
                ),
                Span::styled(name, theme.style(Role::Text)),
            ]));
        }
        out
    }
}

/// A history URL without its scheme and host: the path and query tell entries apart.
fn history_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(at) => rest[at..].to_string(),
        None => "/".to_string(),
    }
}

/// How long ago `at` (unix seconds) was, short: "12s", "5m", "3h", "2d".
fn age_text(at: u64, now: i64) -> String {
    let secs = (now - at as i64).max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3600),
        s => format!("{}d", s / 86_400),
    }
}
