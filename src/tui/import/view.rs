//! How the import dialog draws: the prompt with the kind and the workspace, and the preview,
//! one line per file, request, environment value and secret. Secret values are never drawn:
//! a secret is named with where its value comes from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::msg::Planned;
use super::{ImportDialog, Stage};
use crate::http::Redactor;
use crate::http::workspace::{ENV_FILE, PRIVATE_ENV_FILE, REQUESTS_DIR};
use crate::import::{Changes, Plan};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::footer;

impl ImportDialog {
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [popup] = Layout::horizontal([Constraint::Length(100.min(area.width))])
            .flex(Flex::Center)
            .areas(area);
        let height = match self.stage {
            Stage::Preview { .. } => area.height,
            // Room for an error of three or four lines under the prompt.
            _ => 12.min(area.height),
        };
        let [popup] = Layout::vertical([Constraint::Length(height)])
            .flex(Flex::Start)
            .areas(popup);
        frame.render_widget(Clear, popup);
        let (title, hint) = match &self.stage {
            Stage::Preview { planned, .. } => (
                format!(
                    " Import {}: {} ",
                    planned.version.unwrap_or(planned.kind.label()),
                    planned.source
                ),
                " ↑↓ scroll · enter writes · backspace another file · esc cancels ",
            ),
            _ => (
                " Import into the workspace ".to_string(),
                " enter reads it · tab picks the kind · esc closes ",
            ),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Accent))
            .title(Line::styled(title, theme.style(Role::Accent)))
            .title_bottom(footer(hint, popup.width, theme).right_aligned())
            .style(theme.base());
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        match &self.stage {
            Stage::Preview { planned, scroll } => {
                let lines = preview_lines(planned, theme, inner.width);
                self.rows.set(inner.height as usize);
                self.width.set(inner.width);
                frame.render_widget(Paragraph::new(lines).scroll((*scroll as u16, 0)), inner);
            }
            stage => self.render_prompt(frame, inner, stage, theme),
        }
    }

    fn render_prompt(&self, frame: &mut Frame, area: Rect, stage: &Stage, theme: &Theme) {
        let [input, rest] =
            Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
        let editing = matches!(stage, Stage::Prompt { .. });
        self.input.render(
            frame,
            input,
            "File: OpenAPI (or a loopback URL), Postman, HAR or Insomnia",
            editing,
            theme,
        );
        let kind = match self.kind {
            Some(kind) => kind.label(),
            None => "told from the contents",
        };
        let mut lines = vec![
            Line::from(vec![
                Span::styled("Kind: ", theme.style(Role::Muted)),
                Span::styled(kind, theme.style(Role::Text)),
            ]),
            Line::from(vec![
                Span::styled("Into: ", theme.style(Role::Muted)),
                Span::styled(self.dir.display().to_string(), theme.style(Role::Text)),
            ]),
        ];
        match stage {
            Stage::Prompt { error: Some(e) } => {
                lines.push(Line::styled(e.clone(), theme.style(Role::Error)))
            }
            Stage::Reading => lines.push(Line::styled(
                "Reading it and comparing with the workspace…",
                theme.style(Role::Muted),
            )),
            Stage::Writing => lines.push(Line::styled(
                "Writing into the workspace…",
                theme.style(Role::Muted),
            )),
            _ => {}
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
    }
}

/// How many lines the preview has.
pub fn preview_len(planned: &Planned, width: u16) -> usize {
    preview_lines(planned, &Theme::builtin_default(), width).len()
}

/// `text` in lines of at most `width` columns, broken between words (a word longer than a
/// line keeps its own line, cut by the frame): the importer's notes are whole sentences.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A request's fate, as the preview marks it.
fn status<'a>(changes: &'a Changes, name: &str) -> (&'static str, Role, Option<&'a str>) {
    let has = |names: &[String]| names.iter().any(|n| n == name);
    if has(&changes.added) {
        ("+ added    ", Role::Success, None)
    } else if has(&changes.changed) {
        ("~ updated  ", Role::Warning, None)
    } else if let Some((_, why)) = changes.kept.iter().find(|(n, _)| n == name) {
        ("! kept     ", Role::Accent, Some(why.as_str()))
    } else {
        ("= unchanged", Role::Muted, None)
    }
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

pub fn preview_lines(planned: &Planned, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let plan = &planned.imported.plan;
    let c = &planned.changes;
    let ws = crate::http::Workspace::open(&planned.dir);
    let muted = theme.style(Role::Muted);
    let text = theme.style(Role::Text);
    let heading = |s: &str| Line::styled(s.to_string(), theme.style(Role::Accent));
    let mut lines = Vec::new();
    let counts = [
        (c.added.len(), "added"),
        (c.changed.len(), "updated"),
        (c.unchanged.len(), "unchanged"),
        (c.kept.len(), "kept as you left them"),
        (c.removed.len(), "removed"),
    ];
    let counted: Vec<String> = (counts.iter())
        .filter(|(n, _)| *n > 0)
        .map(|(n, label)| format!("{n} {label}"))
        .collect();
    lines.push(Line::styled(
        format!(
            "{} in {}: {}",
            plural(plan.request_count(), "request"),
            plural(plan.files.len(), "file"),
            counted.join(", ")
        ),
        text,
    ));
    if c.written.is_empty() && c.env_set.is_empty() && c.secrets_added.is_empty() {
        lines.push(Line::styled(
            "Nothing to write: the workspace already holds this import as it is.",
            theme.style(Role::Success),
        ));
    }

    lines.push(Line::default());
    lines.push(heading("Files"));
    let file_line = |action: &'static str, role: Role, name: String, what: String| {
        Line::from(vec![
            Span::styled(format!("  {action}  "), theme.style(role)),
            Span::styled(name, text),
            Span::styled(format!("  {what}"), muted),
        ])
    };
    for file in &plan.files {
        let path = Plan::path_of(&ws, file);
        let name = format!("{REQUESTS_DIR}/{}.http", file.stem);
        let count = plural(file.requests.len(), "request");
        lines.push(if c.written.contains(&path) {
            file_line("write", Role::Warning, name, count)
        } else {
            file_line(
                "same ",
                Role::Muted,
                name,
                format!("{count}, nothing changes"),
            )
        });
    }
    if !c.env_set.is_empty() {
        let what = format!("{} set", plural(c.env_set.len(), "value"));
        lines.push(file_line("write", Role::Warning, ENV_FILE.into(), what));
    }
    let secrets = c.secrets_added.len() + planned.secrets.len();
    if secrets > 0 {
        let what = format!("{} (0600, git-ignored)", plural(secrets, "secret"));
        lines.push(file_line(
            "write",
            Role::Warning,
            PRIVATE_ENV_FILE.into(),
            what,
        ));
    }

    lines.push(Line::default());
    lines.push(heading("Requests"));
    for file in &plan.files {
        lines.push(Line::styled(
            format!("  {REQUESTS_DIR}/{}.http", file.stem),
            muted,
        ));
        for planned in &file.requests {
            let request = &planned.request;
            let (mark, role, why) = status(c, &request.name);
            let mut spans = vec![
                Span::styled(format!("    {mark}  "), theme.style(role)),
                Span::styled(format!("{:<7}", request.method), theme.style(Role::Accent)),
                Span::styled(request.name.clone(), text),
            ];
            if let Some(why) = why {
                spans.push(Span::styled(format!("  ({why})"), muted));
            }
            lines.push(Line::from(spans));
        }
    }
    for name in &c.removed {
        lines.push(Line::from(vec![
            Span::styled("    - removed    ", theme.style(Role::Error)),
            Span::styled(name.clone(), text),
            Span::styled("  (gone from the source, and not edited)", muted),
        ]));
    }

    if !c.env_set.is_empty() || !c.env_kept.is_empty() {
        lines.push(Line::default());
        lines.push(heading(&format!("Environments ({ENV_FILE})")));
        let redactor = Redactor::default();
        for label in &c.env_set {
            // Environment names hold dots (a server's host): the label is matched whole.
            let found = (plan.environments.iter())
                .flat_map(|e| e.values.iter().map(move |(n, v)| (e, n, v)))
                .find(|(e, n, _)| format!("{}.{n}", e.name) == *label);
            let (name, value) = found.map_or(("", ""), |(_, n, v)| (n.as_str(), v.as_str()));
            // A value the import calls public may still look like a credential by its name.
            let shown = if redactor.is_secret_name(name) {
                "•••••• (hidden: its name says secret)".to_string()
            } else {
                value.to_string()
            };
            lines.push(Line::from(vec![
                Span::styled("  + set   ", theme.style(Role::Success)),
                Span::styled(format!("{label} = "), text),
                Span::styled(shown, muted),
            ]));
        }
        for label in &c.env_kept {
            lines.push(Line::from(vec![
                Span::styled("  ! kept  ", theme.style(Role::Accent)),
                Span::styled(label.clone(), text),
                Span::styled("  (your value stays; the source says otherwise)", muted),
            ]));
        }
    }

    if secrets > 0 {
        lines.push(Line::default());
        lines.push(heading(&format!(
            "Secrets ({PRIVATE_ENV_FILE}; values are never shown)"
        )));
        for name in &c.secrets_added {
            lines.push(Line::from(vec![
                Span::styled("  + empty ", theme.style(Role::Success)),
                Span::styled(name.clone(), text),
                Span::styled("  to fill in", muted),
            ]));
        }
        for name in &planned.secrets {
            lines.push(Line::from(vec![
                Span::styled("  + value ", theme.style(Role::Success)),
                Span::styled(name.clone(), text),
                Span::styled("  •••••• (the value in the file)", muted),
            ]));
        }
    }

    if !plan.warnings.is_empty() {
        lines.push(Line::default());
        lines.push(heading("Not carried over"));
        for warning in &plan.warnings {
            let width = (width as usize).saturating_sub(4).max(20);
            for (i, part) in wrap(warning, width).into_iter().enumerate() {
                let indent = if i == 0 { "  " } else { "    " };
                lines.push(Line::styled(format!("{indent}{part}"), muted));
            }
        }
    }
    lines
}
