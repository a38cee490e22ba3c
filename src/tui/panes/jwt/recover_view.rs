//! Drawing the recovered public keys over the JWT tab: one line per candidate (kind, bits,
//! RFC 7638 thumbprint, whether it verifies the tokens), then the selected one's PEM.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::JwtPane;
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{centered, titled};

impl JwtPane {
    pub(super) fn render_recovered(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let popup = centered(area, 96, 96);
        frame.render_widget(Clear, popup);
        let block = titled(
            "Recovered public keys · ↑↓ select · y copy PEM · s save to workspace · P probe with them · r other token · esc close",
            theme,
        )
        .border_style(theme.style(Role::Accent));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let recovery = &self.recovery;
        if recovery.candidates.is_empty() {
            frame.render_widget(Paragraph::new("No candidate was found."), inner);
            return;
        }
        let mut list: Vec<Line> = Vec::new();
        if recovery.tokens.len() == 1 && recovery.candidates.len() > 1 {
            list.push(Line::styled(
                format!(
                    "One ECDSA signature fits {} keys; a second token from the same key (r) leaves one.",
                    recovery.candidates.len()
                ),
                theme.style(Role::Warning),
            ));
        }
        for (i, c) in recovery.candidates.iter().enumerate() {
            let (mark, role) = if c.verifies {
                ("✓", Role::Success)
            } else {
                ("✗", Role::Error)
            };
            let line = Line::from(vec![
                Span::styled(format!("{:>2}  ", i + 1), theme.style(Role::Muted)),
                Span::styled(format!("{:<24}", c.describe()), theme.style(Role::Accent)),
                Span::styled(format!("{:<46}", c.thumbprint), theme.style(Role::Text)),
                Span::styled(format!("{mark} {}", recovery.verdict(c)), theme.style(role)),
            ]);
            list.push(if i == recovery.selected {
                line.style(theme.style(Role::Selection))
            } else {
                line
            });
        }
        let list_height = (list.len() as u16).min(inner.height / 2);
        let [list_area, _, pem_area] = Layout::vertical([
            Constraint::Length(list_height),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let first = (recovery.selected + 1).saturating_sub(list_area.height as usize);
        frame.render_widget(Paragraph::new(list).scroll((first as u16, 0)), list_area);
        let Some(c) = recovery.selected() else { return };
        let mut pem: Vec<Line> = c
            .spki_pem
            .lines()
            .map(|l| Line::styled(l.to_string(), theme.style(Role::Text)))
            .collect();
        if let Some(pkcs1) = &c.pkcs1_pem {
            pem.push(Line::default());
            pem.extend(
                pkcs1
                    .lines()
                    .map(|l| Line::styled(l.to_string(), theme.style(Role::Muted))),
            );
        }
        frame.render_widget(Paragraph::new(pem).wrap(Wrap { trim: false }), pem_area);
    }
}
