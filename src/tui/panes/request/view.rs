//! Drawing the Request tab's list and editor, and laying out the three parts. Pure: state
//! and theme in, cells out.

mod body;
mod parts;
mod response;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::editor::{Field, Target};
use super::{Focus, RequestPane, Sending};
use crate::http::{Body, Request, Row, sensitive};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{findings, titled};

/// From this width on, the response sits beside the editor instead of below it.
pub const WIDE: u16 = 140;

const HINT: &str = " e edit · ctrl-s send · S save · a/d/space rows · m method · v env ";

impl RequestPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let wide = area.width >= WIDE;
        let list_width = if wide { 32 } else { 24 };
        let [list, rest] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Fill(1)]).areas(area);
        let [editor, response] = if wide {
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest)
        } else {
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest)
        };
        self.render_list(frame, list, theme);
        match &self.body_editor {
            Some(body) => {
                body.editor
                    .render(frame, editor, body.title(), body.status(theme), theme)
            }
            None => self.render_editor(frame, editor, theme),
        }
        response::render(self, frame, response, theme);
        // One-line inputs sit over the bottom of the editor.
        let height = 3.min(editor.height);
        let input_at = Rect {
            y: editor.y + editor.height - height,
            height,
            ..editor
        };
        if let Some(field) = self.editing {
            let title = format!(
                "{} (enter keeps it, esc cancels; ctrl-s sends)",
                edit_title(field, &self.request)
            );
            self.input.render(frame, input_at, &title, true, theme);
        }
        if let Some(prompt) = &self.save_as {
            prompt
                .input
                .render(frame, input_at, prompt.title(), true, theme);
        }
        if let Some(shown) = &self.response.shown
            && shown.detail
            && let Some(f) = shown.exchange.findings.get(shown.finding)
        {
            findings::render_detail(frame, area, f, theme);
        }
    }

    fn block_for<'a>(
        &self,
        title: &str,
        part: Focus,
        theme: &Theme,
    ) -> ratatui::widgets::Block<'a> {
        // The focused part says so in its title too, so it shows without colour.
        if self.focus == part {
            titled(&format!("▶ {title}"), theme)
                .border_style(theme.style(Role::Accent))
                .border_type(ratatui::widgets::BorderType::Thick)
        } else {
            titled(title, theme)
        }
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = self.block_for("Requests", Focus::List, theme);
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
            if i == self.list_selected {
                line.style(theme.style(Role::Selection))
            } else {
                line
            }
        };
        // Rows are (index in the selectable list, line); headings have no index.
        let mut rows: Vec<(Option<usize>, Line<'static>)> = Vec::new();
        rows.push((None, Line::styled("Saved", theme.style(Role::Muted))));
        if ws.requests.is_empty() {
            rows.push((None, Line::styled(" (none yet)", theme.style(Role::Muted))));
        }
        // One line under the list shows the selected entry in full.
        let width = inner.width as usize;
        for (i, s) in ws.requests.iter().enumerate() {
            let name = if s.request.name.is_empty() {
                s.request.url.clone()
            } else {
                s.request.name.clone()
            };
            let name = crate::tui::widgets::ellipsize_middle(&name, width.saturating_sub(8));
            let edited = self.unsaved()
                && self
                    .origin
                    .as_ref()
                    .is_some_and(|o| *o == super::origin::Origin::of(s));
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
            let room = width.saturating_sub(prefix.chars().count() + age.chars().count() + 1);
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
        let full = self.list_entry_text(ws);
        let inner = match full {
            Some(text) if inner.height > 3 => {
                let [list, line] =
                    Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
                let text = crate::tui::widgets::ellipsize_middle(&text, width);
                frame.render_widget(
                    Paragraph::new(Line::styled(text, theme.style(Role::Muted))),
                    line,
                );
                list
            }
            _ => inner,
        };
        let height = inner.height as usize;
        let at = rows
            .iter()
            .position(|(i, _)| *i == Some(self.list_selected))
            .unwrap_or(0);
        let first = (at + 1).saturating_sub(height.max(1));
        let lines: Vec<Line> = rows.into_iter().skip(first).map(|(_, l)| l).collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The selected list entry in full, for the line under the list.
    fn list_entry_text(&self, ws: &super::load::Loaded) -> Option<String> {
        let i = self.list_selected;
        if let Some(s) = ws.requests.get(i) {
            let file = s.path.strip_prefix(&ws.dir).unwrap_or(&s.path);
            return Some(format!(
                "{} · {}",
                super::origin::stored_name(s),
                file.display()
            ));
        }
        let e = ws.history.get(i - ws.requests.len())?;
        let outcome = match (e.status, &e.error) {
            (Some(s), _) => s.to_string(),
            (None, Some(err)) => err.clone(),
            (None, None) => "no answer".into(),
        };
        let size = e
            .size
            .map(|n| format!(" · {}", response::size_text(n as usize, e.truncated)))
            .unwrap_or_default();
        Some(format!("{} {} · {outcome}{size}", e.method, e.url))
    }

    fn render_editor(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        // The marker is text, not only colour, so it shows in every theme and NO_COLOR.
        let title = match (self.request.name.is_empty(), self.unsaved()) {
            (true, false) => "Request".to_string(),
            (true, true) => "Request · new ● unsaved".to_string(),
            (false, false) => format!("Request · {}", self.request.name),
            (false, true) => format!("Request · {} ● unsaved", self.request.name),
        };
        let block = self
            .block_for(&title, Focus::Editor, theme)
            .title_bottom(crate::tui::widgets::footer(HINT, area.width, theme));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let focused = self.fields().get(self.field).copied();
        let mut lines: Vec<(Option<Field>, Line<'static>)> = Vec::new();
        let label = |text: &str| Span::styled(format!("{text:<8}"), theme.style(Role::Muted));
        let value = |text: String, role: Role| Span::styled(text, theme.style(role));
        lines.push((
            Some(Field::Method),
            Line::from(vec![
                label("Method"),
                value(self.request.method.clone(), Role::Accent),
            ]),
        ));
        let url = if self.request.url.is_empty() {
            value("press e to enter a URL".into(), Role::Muted)
        } else {
            value(self.request.url.clone(), Role::Text)
        };
        lines.push((Some(Field::Url), Line::from(vec![label("URL"), url])));
        for (heading, rows, make) in [
            (
                "Query",
                &self.request.query,
                Field::Query as fn(Option<usize>) -> Field,
            ),
            ("Headers", &self.request.headers, Field::Header),
        ] {
            let count = if rows.is_empty() {
                "a adds a row".to_string()
            } else {
                format!("{} row(s)", rows.len())
            };
            lines.push((
                Some(make(None)),
                Line::from(vec![label(heading), value(count, Role::Muted)]),
            ));
            for (i, row) in rows.iter().enumerate() {
                lines.push((
                    Some(make(Some(i))),
                    row_line(row, heading == "Headers", theme),
                ));
            }
        }
        lines.extend(parts::auth_lines(&self.request.auth, theme));
        lines.extend(parts::body_lines(&self.request.body, theme));
        lines.push((None, Line::default()));
        lines.extend(self.env_lines(theme).into_iter().map(|l| (None, l)));
        if let Some((target, message)) = &self.problem {
            lines.push((
                None,
                Line::styled(
                    format!("✗ {}: {message}", target_label(*target)),
                    theme.style(Role::Error),
                ),
            ));
        }
        let height = inner.height as usize;
        let at = lines
            .iter()
            .position(|(f, _)| f.is_some() && *f == focused)
            .unwrap_or(0);
        let first = (at + 1).saturating_sub(height.max(1));
        let highlight = self.focus == Focus::Editor && self.editing.is_none();
        let shown: Vec<Line> = lines
            .into_iter()
            .skip(first)
            .map(|(f, l)| {
                if highlight && f.is_some() && f == focused {
                    l.style(theme.style(Role::Selection))
                } else {
                    l
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(shown), inner);
    }

    /// The environment and its variables, secrets masked.
    fn env_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let envs = self.workspace.as_ref().map_or(0, |w| w.envs.len());
        let Some((name, vars)) = self.env_vars() else {
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

    /// A one-line summary of the send in progress, for the response pane.
    fn sending_text(&self) -> Option<&'static str> {
        match self.sending {
            Sending::Idle => None,
            _ => Some("Sending… esc cancels"),
        }
    }
}

fn target_label(target: Target) -> &'static str {
    target.label()
}

fn edit_title(field: Field, req: &Request) -> String {
    use super::kinds::{AuthPart, part_label};
    match field {
        Field::Method => "Method".into(),
        Field::Url => "URL".into(),
        Field::Query(_) => "Query row: name: value".into(),
        Field::Header(_) => "Header row: Name: value".into(),
        Field::AuthPart(AuthPart::Alg) => {
            "JWT alg: HS256/384/512, RS…, PS…, ES256/384, EdDSA".into()
        }
        Field::AuthPart(AuthPart::Claims) => "JWT claims: a JSON object".into(),
        Field::AuthPart(part) => part_label(&req.auth, part).into(),
        Field::BodyRow(_) if matches!(req.body, Body::Multipart(_)) => {
            "Part: name: value, or name: @path for a file".into()
        }
        Field::BodyRow(_) => "Form field: name: value".into(),
        Field::BodyFile => "Body file path".into(),
        Field::Auth | Field::Body | Field::BodyText => String::new(),
    }
}

/// A row, enabled or not; credential values are masked unless they are `{{references}}`.
pub(super) fn row_line(row: &Row, header: bool, theme: &Theme) -> Line<'static> {
    let shown = if header && sensitive::is_credential_header(&row.name)
        || !header && sensitive::is_secret_param(&row.name)
    {
        mask_keep_scheme(&row.value)
    } else {
        row.value.clone()
    };
    let (mark, role) = if row.enabled {
        ("  ✓ ", Role::Text)
    } else {
        ("  ✗ ", Role::Muted)
    };
    Line::from(vec![
        Span::styled(
            mark,
            theme.style(if row.enabled {
                Role::Success
            } else {
                Role::Muted
            }),
        ),
        Span::styled(format!("{}: ", row.name), theme.style(Role::Accent)),
        Span::styled(shown, theme.style(role)),
    ])
}

/// `Bearer ••••`: the scheme stays readable, the credential does not.
fn mask_keep_scheme(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, rest)) if !sensitive::is_reference(value) => {
            format!("{scheme} {}", sensitive::mask_literal(rest))
        }
        _ => sensitive::mask_literal(value),
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
