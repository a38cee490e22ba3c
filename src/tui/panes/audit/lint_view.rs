//! Drawing the Audit tab's spec lint: what was linted and the counts, then one line per
//! finding in the shared findings list, with each one's place beside it where there is room.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::AuditPane;
use crate::findings::{Finding, Severity};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{findings as findings_widget, titled};

/// The narrowest places column worth showing; with less room the details (enter) name the
/// place.
const MIN_PLACES_WIDTH: u16 = 20;
/// What is kept of a finding's title when the places need the room.
const MIN_TITLE_WIDTH: usize = 16;

impl AuditPane {
    pub(super) fn render_lint(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = titled(
            "Spec lint · enter details · y copy report · L lint another · esc back",
            theme,
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let Some(lint) = &self.lint else {
            let text = if self.linting {
                "Linting… progress in the Tasks tab (5); x there cancels."
            } else {
                "Press L and give an OpenAPI or Swagger description: a file, or a URL on this machine."
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.style(Role::Accent))),
                inner,
            );
            return;
        };
        let [head, list_area] =
            Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(inner);
        let mut spans = vec![
            Span::styled(lint.source.clone(), theme.style(Role::Text)),
            Span::styled(format!(" ({}) · ", lint.version), theme.style(Role::Muted)),
        ];
        spans.extend(counts(&lint.findings, theme));
        if self.linting {
            spans.push(Span::styled("  linting…", theme.style(Role::Accent)));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), head);
        if lint.findings.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "No findings: every rule of the lint passed.",
                    theme.style(Role::Success),
                )),
                list_area,
            );
            return;
        }
        // Rules repeat and their titles with them: the places are what tell the rows apart,
        // so they get the room a title does not need, as long as the id and the start of
        // the title stay readable (the details name the place in any case).
        let id_width = lint.findings.iter().map(|f| f.id.len()).max().unwrap_or(0) + 2;
        let list_min = (9 + id_width + MIN_TITLE_WIDTH) as u16;
        let longest_place = lint.places.iter().map(|p| p.chars().count()).max();
        let (list, places) = if list_area.width >= list_min + 1 + MIN_PLACES_WIDTH {
            let room = list_area.width - list_min - 1;
            let width = (longest_place.unwrap_or(0) as u16).min(room);
            let [list, places] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(width)])
                    .spacing(1)
                    .areas(list_area);
            (list, Some(places))
        } else {
            (list_area, None)
        };
        let height = list.height as usize;
        let refs: Vec<&Finding> = lint.findings.iter().collect();
        frame.render_widget(
            Paragraph::new(findings_widget::list_lines(
                &refs,
                self.lint_selected,
                height,
                theme,
            )),
            list,
        );
        if let Some(places) = places {
            // The same rows the list shows: it scrolls to keep the selection in view.
            let first = (self.lint_selected + 1).saturating_sub(height.max(1));
            let lines: Vec<Line> = lint
                .places
                .iter()
                .skip(first)
                .take(height)
                .map(|p| Line::styled(tail(p, places.width), theme.style(Role::Muted)))
                .collect();
            frame.render_widget(Paragraph::new(lines), places);
        }
    }
}

/// "3 findings: 1 high, 2 medium", coloured by severity.
fn counts(findings: &[Finding], theme: &Theme) -> Vec<Span<'static>> {
    let n = findings.len();
    let mut spans = vec![Span::styled(
        format!("{n} finding{}", if n == 1 { "" } else { "s" }),
        theme.style(Role::Text),
    )];
    let mut first = true;
    for severity in Severity::ALL.iter() {
        let count = findings.iter().filter(|f| f.severity == *severity).count();
        if count > 0 {
            spans.push(Span::styled(
                if first { ": " } else { ", " },
                theme.style(Role::Muted),
            ));
            spans.push(Span::styled(
                format!("{count} {severity}"),
                theme.severity(*severity),
            ));
            first = false;
        }
    }
    spans
}

/// The end of `place` in `width` columns: a pointer's last steps are what tell two apart.
fn tail(place: &str, width: u16) -> String {
    let width = width as usize;
    let count = place.chars().count();
    if count <= width {
        return place.to_string();
    }
    let keep = width.saturating_sub(1);
    let mut out = String::from("…");
    out.extend(place.chars().skip(count - keep));
    out
}
