//! Widgets around the panes: the tab bar, the status bar and the help overlay.

pub mod certs;
pub mod findings;
pub mod help;
pub mod hex;
pub mod highlight;
pub mod input;
pub mod json;
pub mod messages;
pub mod status_bar;
pub mod tab_bar;
pub mod text_area;
pub mod welcome;

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};

use crate::tui::theme::{Role, Theme};

/// A rectangle centred in `area`, a share of its width and height.
pub fn centered(area: Rect, width_pct: u16, height_pct: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Percentage(width_pct)])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Percentage(height_pct)])
        .flex(Flex::Center)
        .areas(h);
    v
}

/// The bordered block with a title that every pane section uses.
pub fn titled<'a>(title: &str, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {title} "),
            theme.style(Role::Accent),
        ))
        .style(theme.base())
}
