//! The message log overlay: every message of the session, in full and wrapped, newest last,
//! since the status bar shows only the last one and only as much as fits.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::theme::{Role, Theme};

pub fn render(frame: &mut Frame, area: Rect, messages: &[String], scroll: usize, theme: &Theme) {
    let [popup] = Layout::horizontal([Constraint::Length(100.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(area.height.saturating_sub(2).max(3))])
        .flex(Flex::Center)
        .areas(popup);
    let lines: Vec<Line> = if messages.is_empty() {
        vec![Line::styled("No messages yet", theme.style(Role::Muted))]
    } else {
        messages
            .iter()
            .enumerate()
            .map(|(i, m)| Line::styled(format!("{:>3}  {m}", i + 1), theme.style(Role::Text)))
            .collect()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Accent))
        .title(format!(" Messages ({}) ", messages.len()))
        .title_bottom(Line::from(" ↑↓ scroll · esc or M close ").right_aligned())
        .style(theme.base());
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        popup,
    );
}
