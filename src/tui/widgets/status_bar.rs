//! The status bar on the bottom row: running tasks, the last message, and the help hint.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tasks::TaskBoard;
use crate::tui::theme::{Role, Theme};

pub fn render(
    frame: &mut Frame,
    area: Rect,
    board: &TaskBoard,
    message: Option<&str>,
    hint: &str,
    theme: &Theme,
    now: Instant,
) {
    let running: Vec<_> = board.running().collect();
    let tasks = match running.as_slice() {
        [] => Span::styled(" idle ", theme.style(Role::Muted)),
        [one] => {
            let pct = one
                .progress
                .fraction()
                .map(|f| format!(" {:.0}%", f * 100.0))
                .unwrap_or_default();
            let rate = one
                .rate(now)
                .map(|r| format!(" {}/s", human_count(r)))
                .unwrap_or_default();
            Span::styled(
                format!(" ● {} {}{pct}{rate} ", one.kind.label(), one.title),
                theme.style(Role::Accent),
            )
        }
        many => Span::styled(
            format!(" ● {} tasks running ", many.len()),
            theme.style(Role::Accent),
        ),
    };
    // A column between the message and the hint, so a long message never runs into it.
    let [left, _, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(hint.chars().count() as u16 + 1),
    ])
    .areas(area);
    let room = (left.width as usize).saturating_sub(tasks.width() + 2);
    let mut spans = vec![tasks];
    if let Some(msg) = message {
        spans.push(Span::styled("│ ", theme.style(Role::Border)));
        spans.push(Span::styled(cut(msg, room), theme.style(Role::Text)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.base()), left);
    frame.render_widget(
        Paragraph::new(Span::styled(hint.to_string(), theme.style(Role::Muted)))
            .style(theme.base()),
        right,
    );
}

/// A message cut to `room` columns with an ellipsis where it was cut; the message log (M)
/// has it whole.
fn cut(message: &str, room: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if message.width() <= room {
        return message.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in message.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// 1234567 -> "1.2M", for rates.
pub fn human_count(n: f64) -> String {
    match n {
        n if n >= 1e9 => format!("{:.1}G", n / 1e9),
        n if n >= 1e6 => format!("{:.1}M", n / 1e6),
        n if n >= 1e3 => format!("{:.1}k", n / 1e3),
        n => format!("{n:.0}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{cut, human_count};

    #[test]
    fn a_long_message_is_cut_with_an_ellipsis() {
        assert_eq!(cut("Saved login", 20), "Saved login");
        assert_eq!(cut("New request: type its URL", 10), "New reque…");
        assert_eq!(cut("abc", 0), "…");
    }

    #[test]
    fn counts_are_short() {
        assert_eq!(human_count(12.0), "12");
        assert_eq!(human_count(3_600_000.0), "3.6M");
        assert_eq!(human_count(2_500.0), "2.5k");
    }
}
