//! Keys never do nothing silently: when a pane's action changed nothing a user can see (no
//! job, no message, not one cell of the pane), the status bar says so and where to look.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::Keymap;
use super::panes::{Pane, View};

/// Whether an action that changed nothing deserves a word. Moving past the end of a list or
/// closing what is not open is what a user expects to do nothing, and a line for each would
/// push the last real result out of the status bar.
pub fn worth_a_word(action: Action) -> bool {
    !matches!(
        action,
        Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Back
    )
}

/// The pane as it draws in `area`'s size: compared before and after an action, it tells
/// whether the action showed. Drawing off screen costs well under a millisecond, and keys
/// come at a person's pace.
pub fn picture(pane: &dyn Pane, area: Rect, view: &View) -> Option<Buffer> {
    let size = Rect::new(0, 0, area.width.max(1), area.height.max(1));
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).ok()?;
    terminal.draw(|frame| pane.render(frame, size, view)).ok()?;
    Some(terminal.backend().buffer().clone())
}

/// The line for an action that had nothing to act on: the pane's own advice when it has some.
pub fn said(pane: &dyn Pane, action: Action, keymap: &Keymap) -> String {
    if let Some(hint) = pane.idle_hint(action) {
        return hint;
    }
    let keys = keymap.keys_text(action);
    let key = keys.split(", ").next().unwrap_or_default();
    format!(
        "{key} ({}) has nothing to act on here; ? lists this tab's keys",
        lowercase_first(short(action.description()))
    )
}

/// The description without its parenthetical, which would nest in the line's own brackets.
fn short(description: &str) -> &str {
    description.split(" (").next().unwrap_or(description)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_and_closing_stay_quiet_and_the_rest_speak() {
        assert!(!worth_a_word(Action::Down));
        assert!(!worth_a_word(Action::Back));
        assert!(worth_a_word(Action::Copy));
        assert!(worth_a_word(Action::JwtCrack));
    }

    #[test]
    fn a_description_loses_its_parenthetical() {
        let text = said(
            &crate::tui::panes::tasks::TasksPane::default(),
            Action::Edit,
            &Keymap::default(),
        );
        assert_eq!(
            text,
            "e (edit the focused field) has nothing to act on here; ? lists this tab's keys"
        );
    }

    #[test]
    fn the_line_names_the_key_and_what_it_does() {
        let pane = crate::tui::panes::tasks::TasksPane::default();
        let text = said(&pane, Action::CancelTask, &Keymap::default());
        assert_eq!(
            text,
            "x (cancel the selected task) has nothing to act on here; ? lists this tab's keys"
        );
    }
}
