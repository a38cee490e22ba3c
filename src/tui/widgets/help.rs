//! The help overlay, generated from the keymap so it always tells the truth.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::action::Context;
use crate::tui::keymap::Keymap;
use crate::tui::theme::{Role, Theme};

/// The overlay's lines: a heading per context, then one line per action, keys first.
pub fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let width = keymap
        .bindings()
        .iter()
        .map(|(a, _)| keymap.keys_text(*a).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for context in contexts(keymap) {
        out.push(Line::styled(
            format!(" {}", context.title()),
            theme.style(Role::Muted),
        ));
        for (action, _) in keymap
            .bindings()
            .iter()
            .filter(|(a, _)| a.context() == context)
        {
            let keys = keymap.keys_text(*action);
            let keys = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys
            };
            out.push(Line::from(vec![
                Span::styled(format!("   {keys:<width$}  "), theme.style(Role::Accent)),
                Span::styled(action.description(), theme.style(Role::Text)),
            ]));
        }
    }
    out
}

/// The contexts that have keys, in order: everywhere first, then each tab.
fn contexts(keymap: &Keymap) -> Vec<Context> {
    let mut contexts: Vec<Context> = keymap.bindings().iter().map(|(a, _)| a.context()).collect();
    contexts.sort();
    contexts.dedup();
    contexts
}

/// The number of lines the overlay has, for scroll limits.
pub fn line_count(keymap: &Keymap) -> usize {
    contexts(keymap).len() + keymap.bindings().len()
}

pub fn render(frame: &mut Frame, area: Rect, keymap: &Keymap, scroll: usize, theme: &Theme) {
    let body = lines(keymap, theme);
    let height = (body.len() as u16 + 2).min(area.height.saturating_sub(2));
    let [popup] = Layout::horizontal([Constraint::Length(72.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Accent))
        .title(" Help: keys ")
        .title_bottom(Line::from(" ↑↓ scroll · esc or ? close ").right_aligned())
        .style(theme.base());
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(body).block(block).scroll((scroll as u16, 0)),
        popup,
    );
}
