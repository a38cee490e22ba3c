//! Drawing the Learn tab: the lab's state, the lesson list and the selected lesson.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{LabState, LearnPane};
use crate::learn::{self, LESSONS, Status};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::titled;

impl LearnPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [top, main] =
            Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(area);
        self.render_lab(frame, top, theme);
        let [list, detail] =
            Layout::horizontal([Constraint::Length(44), Constraint::Fill(1)]).areas(main);
        self.render_list(frame, list, theme);
        self.render_lesson(frame, detail, theme);
    }

    fn render_lab(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = match &self.lab {
            LabState::Running(urls) => Line::from(vec![
                Span::styled("● running  ", theme.style(Role::Success)),
                Span::styled(
                    format!("{}   {}", urls.http, urls.https),
                    theme.style(Role::Text),
                ),
            ]),
            LabState::Starting => Line::styled("○ starting…", theme.style(Role::Muted)),
            LabState::Failed(e) => {
                Line::styled(format!("✗ did not start: {e}"), theme.style(Role::Error))
            }
            LabState::Off => Line::styled(
                match &self.urls {
                    Some(u) => format!(
                        "not started here (--no-lab); lessons check the lab last seen at {}",
                        u.http
                    ),
                    None => "not started here (--no-lab); run `apiward lab` in a shell".into(),
                },
                theme.style(Role::Muted),
            ),
        };
        let mut lines = vec![line];
        if let Some(log) = self.access_log() {
            lines.push(Line::styled(
                format!("access log: {}", log.display()),
                theme.style(Role::Muted),
            ));
        }
        frame.render_widget(
            Paragraph::new(lines).block(titled(
                "Learn · the practice lab (deliberately vulnerable, loopback only)",
                theme,
            )),
            area,
        );
    }

    fn render_list(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let done = self.statuses.iter().filter(|s| s.is_done()).count();
        let mut lines = Vec::new();
        let mut track = None;
        let mut selected_line = 0;
        for (i, lesson) in LESSONS.iter().enumerate() {
            if i == self.selected {
                // Its group's heading too, when it fits.
                selected_line = lines.len() + usize::from(track != Some(lesson.track));
            }
            if track != Some(lesson.track) {
                track = Some(lesson.track);
                lines.push(Line::styled(lesson.track.title(), theme.style(Role::Muted)));
            }
            let is_done = self.statuses.get(i).is_some_and(Status::is_done);
            let mark = if is_done {
                Span::styled("✓ ", theme.style(Role::Success))
            } else {
                Span::styled("· ", theme.style(Role::Muted))
            };
            let mut style = theme.style(Role::Text);
            if i == self.selected {
                style = theme.style(Role::Selection).add_modifier(Modifier::BOLD);
            }
            lines.push(Line::from(vec![
                Span::styled(format!("{:>2} ", i + 1), theme.style(Role::Muted)),
                mark,
                Span::styled(lesson.title.to_string(), style),
            ]));
        }
        let title = format!("Lessons {done}/{}", LESSONS.len());
        // Twenty-seven lessons and three headings do not fit every terminal: keep the
        // selected one in view.
        let rows = usize::from(area.height.saturating_sub(2)).max(1);
        let top = (selected_line + 1).saturating_sub(rows);
        frame.render_widget(
            Paragraph::new(lines)
                .block(titled(&title, theme))
                .scroll((u16::try_from(top).unwrap_or(0), 0)),
            area,
        );
    }

    fn render_lesson(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let lesson = &LESSONS[self.selected];
        let fill = |t: &str| learn::fill(t, self.urls.as_ref());
        let heading = theme.style(Role::Accent).add_modifier(Modifier::BOLD);
        let text = theme.style(Role::Text);
        let muted = theme.style(Role::Muted);
        let mut lines = vec![Line::styled(lesson.owasp, muted)];
        lines.push(match self.statuses.get(self.selected) {
            Some(Status::Done(why)) => {
                Line::styled(format!("✓ Done: {why}"), theme.style(Role::Success))
            }
            _ => Line::styled("Not done yet: r checks again", muted),
        });
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("Goal  ", heading),
            Span::styled(lesson.goal, text),
        ]));
        lines.push(Line::default());
        lines.push(Line::styled(lesson.background, text));
        lines.push(Line::default());
        lines.push(Line::styled("Steps", heading));
        for (n, step) in lesson.steps.iter().enumerate() {
            lines.push(Line::styled(format!("{}. {}", n + 1, fill(step)), text));
        }
        if !lesson.cli.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled("From a shell", heading));
            for step in lesson.cli {
                lines.push(Line::styled(format!("$ {}", fill(&step.text())), muted));
            }
        }
        lines.push(Line::default());
        let shown = self.progress.hints_shown(lesson.id);
        for (n, hint) in lesson.hints.iter().take(shown).enumerate() {
            lines.push(Line::from(vec![
                Span::styled(format!("Hint {}  ", n + 1), theme.style(Role::Warning)),
                Span::styled(fill(hint), text),
            ]));
        }
        let more = lesson.hints.len() - shown.min(lesson.hints.len());
        if more > 0 {
            lines.push(Line::styled(
                format!("{more} more hint(s): H reveals the next"),
                muted,
            ));
        }
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.style(Role::Error)));
        }
        let title = format!("{}. {}", self.selected + 1, lesson.title);
        frame.render_widget(
            Paragraph::new(lines)
                .block(titled(&title, theme))
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            area,
        );
    }
}
