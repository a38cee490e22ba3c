//! The tab bar on the top row, and which tab a mouse click at a column hits.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::tabs::Tab;
use crate::tui::theme::{Role, Theme};

const BRAND: &str = " apiward ";
const DIVIDER: &str = "│";

fn label(tab: Tab) -> String {
    format!(" {} {} ", tab.index() + 1, tab.title())
}

/// The columns each tab occupies, as (tab, first column, column after the last).
fn spans() -> impl Iterator<Item = (Tab, u16, u16)> {
    let mut x = (BRAND.chars().count() + DIVIDER.chars().count()) as u16;
    Tab::ALL.into_iter().map(move |tab| {
        let width = label(tab).chars().count() as u16;
        let start = x;
        x += width + DIVIDER.chars().count() as u16;
        (tab, start, start + width)
    })
}

/// The tab under a column of the top row, for mouse clicks.
pub fn tab_at(column: u16) -> Option<Tab> {
    spans()
        .find(|(_, start, end)| (*start..*end).contains(&column))
        .map(|(tab, _, _)| tab)
}

pub fn render(frame: &mut Frame, area: Rect, active: Tab, theme: &Theme) {
    let mut line = vec![
        Span::styled(BRAND, theme.style(Role::Accent)),
        Span::styled(DIVIDER, theme.style(Role::Border)),
    ];
    for tab in Tab::ALL {
        let role = if tab == active {
            Role::Selection
        } else {
            Role::Muted
        };
        line.push(Span::styled(label(tab), theme.style(role)));
        line.push(Span::styled(DIVIDER, theme.style(Role::Border)));
    }
    frame.render_widget(Paragraph::new(Line::from(line)).style(theme.base()), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_land_on_the_tab_drawn_there() {
        // " apiward │ 1 Request │ 2 JWT │..."
        assert_eq!(tab_at(0), None);
        assert_eq!(tab_at(10), Some(Tab::Request));
        assert_eq!(tab_at(20), Some(Tab::Request));
        assert_eq!(tab_at(21), None);
        assert_eq!(tab_at(22), Some(Tab::Jwt));
        let (_, start, _) = spans().last().unwrap();
        assert_eq!(tab_at(start), Some(Tab::Matrix));
    }
}
