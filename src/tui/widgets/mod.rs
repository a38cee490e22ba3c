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

/// `text` broken into rows of `width` display columns, anywhere (URLs have no spaces to break
/// at), on at most `max_rows` rows: what does not fit goes out of the last row's middle.
pub fn wrap_anywhere(text: &str, width: usize, max_rows: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    if width == 0 || max_rows == 0 {
        return Vec::new();
    }
    let mut rows = vec![String::new()];
    let mut used = 0;
    for (at, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            if rows.len() == max_rows {
                let last = rows.pop().unwrap_or_default();
                rows.push(ellipsize_middle(&(last + &text[at..]), width));
                return rows;
            }
            rows.push(String::new());
            used = 0;
        }
        used += w;
        if let Some(row) = rows.last_mut() {
            row.push(c);
        }
    }
    rows
}

/// `text` cut to `width` display columns by taking out its middle, so both ends (a name's
/// prefix and its last word, a path's start and its id) stay readable.
pub fn ellipsize_middle(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    if width <= 1 {
        return "…".repeat(width);
    }
    let keep = width - 1;
    let (head, tail) = (keep.div_ceil(2), keep / 2);
    let mut front = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head {
            break;
        }
        used += w;
        front.push(c);
    }
    let mut back: Vec<char> = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail {
            break;
        }
        used += w;
        back.push(c);
    }
    front.push('…');
    front.extend(back.into_iter().rev());
    front
}

/// A block's bottom hint (" a · b · c "), right-aligned, fitted to `width` columns by
/// dropping its last items rather than cutting letters off its start.
pub fn footer(hint: &str, width: u16, theme: &Theme) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let room = (width as usize).saturating_sub(4);
    let items: Vec<&str> = hint.trim().split(" · ").collect();
    let mut fitted = String::new();
    for item in items {
        let next = if fitted.is_empty() {
            item.to_string()
        } else {
            format!("{fitted} · {item}")
        };
        if next.width() > room {
            break;
        }
        fitted = next;
    }
    let text = if fitted.is_empty() {
        String::new()
    } else {
        format!(" {fitted} ")
    };
    Line::styled(text, theme.style(Role::Muted)).right_aligned()
}

#[cfg(test)]
mod tests {
    use super::{ellipsize_middle, wrap_anywhere};

    #[test]
    fn long_text_wraps_anywhere_and_the_last_row_loses_its_middle() {
        assert_eq!(wrap_anywhere("abcdefgh", 3, 5), ["abc", "def", "gh"]);
        assert_eq!(wrap_anywhere("abcdefghijkl", 3, 2), ["abc", "d…l"]);
        assert_eq!(wrap_anywhere("日本語", 4, 3), ["日本", "語"]);
        assert!(wrap_anywhere("abc", 0, 3).is_empty());
    }

    #[test]
    fn the_middle_goes_and_both_ends_stay() {
        assert_eq!(
            ellipsize_middle("jwt-weak-secret-login", 14),
            "jwt-wea…-login"
        );
        assert_eq!(ellipsize_middle("short", 14), "short");
        // Wide characters are never split: the cut may leave a column unused.
        assert_eq!(ellipsize_middle("日本語のなまえ", 7), "日…え");
        assert_eq!(ellipsize_middle("abc", 1), "…");
    }

    #[test]
    fn a_footer_drops_hints_from_its_end_to_fit() {
        let theme = crate::tui::theme::Theme::builtin_default();
        let line = |w| super::footer(" e edit · ctrl-s send · S save ", w, &theme).to_string();
        assert_eq!(line(60), " e edit · ctrl-s send · S save ");
        assert_eq!(line(24), " e edit · ctrl-s send ");
        assert_eq!(line(8), "");
    }
}
