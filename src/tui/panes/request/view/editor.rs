//! Drawing the Request tab's editor: the request's fields (the focused one highlighted),
//! the environment, the problem found, and the line input or name prompt over its bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::editor::EditorPane;
use super::super::fields::{Field, Target};
use super::row::row_line;
use crate::http::{Body, Request};
use crate::tui::theme::{Role, Theme};

const HINT: &str = " e edit · ctrl-s send · S save · a/d/space rows · m method · v env ";

impl EditorPane {
    /// Draws the fields; `has_focus`: whether the editor has the keys, `env`: the lines that
    /// say the environment, which the list knows.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        has_focus: bool,
        env: Vec<Line<'static>>,
    ) {
        // The marker is text, not only colour, so it shows in every theme and NO_COLOR.
        let title = match (self.request.name.is_empty(), self.unsaved()) {
            (true, false) => "Request".to_string(),
            (true, true) => "Request · new ● unsaved".to_string(),
            (false, false) => format!("Request · {}", self.request.name),
            (false, true) => format!("Request · {} ● unsaved", self.request.name),
        };
        let block = super::block(&title, has_focus, theme)
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
        lines.extend(super::parts::auth_lines(&self.request.auth, theme));
        lines.extend(super::parts::body_lines(&self.request.body, theme));
        lines.push((None, Line::default()));
        lines.extend(env.into_iter().map(|l| (None, l)));
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
        let highlight = has_focus && self.editing.is_none();
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

    /// The line input of the field being edited, or the name prompt, over `area`.
    pub fn render_input(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(field) = self.editing {
            let title = format!(
                "{} (enter keeps it, esc cancels; ctrl-s sends)",
                edit_title(field, &self.request)
            );
            self.input.render(frame, area, &title, true, theme);
        }
        if let Some(prompt) = &self.save_as {
            prompt
                .input
                .render(frame, area, prompt.title(), true, theme);
        }
    }
}

fn target_label(target: Target) -> &'static str {
    target.label()
}

fn edit_title(field: Field, req: &Request) -> String {
    use super::super::kinds::{AuthPart, part_label};
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
