//! Findings on screen, shared by every tab that reports them: a selectable list coloured by
//! severity, and a detail popup with evidence, why, fix and references.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::findings::Finding;
use crate::tui::theme::{Role, Theme};

/// One line per finding: severity, id, title; the selected one highlighted. Scrolls to keep
/// the selection visible. `heading` lines (area names) may be interleaved by the caller
/// through `rows`.
pub fn list_lines(
    findings: &[&Finding],
    selected: usize,
    height: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let id_width = findings.iter().map(|f| f.id.len()).max().unwrap_or(0) + 2;
    let first = (selected + 1).saturating_sub(height.max(1));
    findings
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, f)| {
            let line = Line::from(vec![
                Span::styled(
                    format!("{:<9}", f.severity.as_str().to_uppercase()),
                    theme.severity(f.severity),
                ),
                Span::styled(format!("{:<id_width$}", f.id), theme.style(Role::Accent)),
                Span::styled(f.title.clone(), theme.style(Role::Text)),
            ]);
            if i == selected {
                line.style(theme.style(Role::Selection))
            } else {
                line
            }
        })
        .collect()
}

/// The finding's full explanation in a popup over `area`.
pub fn render_detail(frame: &mut Frame, area: Rect, finding: &Finding, theme: &Theme) {
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{} ", finding.severity.as_str().to_uppercase()),
                theme.severity(finding.severity),
            ),
            Span::styled(finding.id.clone(), theme.style(Role::Accent)),
        ]),
        Line::styled(finding.title.clone(), theme.style(Role::Text)),
        Line::default(),
    ];
    for (label, text) in [
        ("Evidence", &finding.evidence),
        ("Why it matters", &finding.why),
        ("How to fix it", &finding.fix),
    ] {
        if !text.is_empty() {
            lines.push(Line::styled(label, theme.style(Role::Muted)));
            lines.push(Line::styled(text.clone(), theme.style(Role::Text)));
            lines.push(Line::default());
        }
    }
    if !finding.refs.is_empty() {
        lines.push(Line::styled("References", theme.style(Role::Muted)));
        for r in &finding.refs {
            lines.push(Line::styled(
                format!("{} <{}>", r.title, r.url),
                theme.style(Role::Text),
            ));
        }
    }
    let popup = super::centered(area, 90, 90);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.style(Role::Accent))
                    .title(Line::styled(
                        " Finding · esc closes ",
                        theme.style(Role::Accent),
                    ))
                    .style(theme.base()),
            )
            .wrap(Wrap { trim: false }),
        popup,
    );
}
