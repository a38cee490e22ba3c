//! A one-line text input: typing, cursor movement, paste, and an optional mask for secrets.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::theme::{Role, Theme};

/// What a key did to the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputOutcome {
    /// Enter: the text is ready.
    Submit,
    /// Esc: editing was abandoned.
    Cancel,
    /// The text or the cursor changed.
    Changed,
}

#[derive(Debug, Clone, Default)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters.
    cursor: usize,
    masked: bool,
}

impl TextInput {
    /// An input that shows `•` instead of what is typed.
    pub fn masked() -> Self {
        Self {
            masked: true,
            ..Self::default()
        }
    }

    /// Shows `•` for each character, or the text, from now on.
    pub fn set_masked(&mut self, masked: bool) {
        self.masked = masked;
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set_text(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.cursor = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.set_text("");
    }

    /// Inserts pasted text at the cursor; line breaks become spaces.
    pub fn insert_str(&mut self, text: &str) {
        for c in text.chars() {
            self.insert(if c == '\n' || c == '\r' { ' ' } else { c });
        }
    }

    fn insert(&mut self, c: char) {
        let at = self.byte_index(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    fn byte_index(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> InputOutcome {
        let len = self.text.chars().count();
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return InputOutcome::Submit,
            KeyCode::Esc => return InputOutcome::Cancel,
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = len,
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_index(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_index(self.cursor);
                self.text.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            _ => {}
        }
        InputOutcome::Changed
    }

    /// Draws the input in a bordered box and places the terminal cursor in it when focused.
    pub fn render(&self, frame: &mut Frame, area: Rect, title: &str, focused: bool, theme: &Theme) {
        let border = if focused { Role::Accent } else { Role::Border };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(border))
            .title(Line::styled(
                format!(" {title} "),
                theme.style(Role::Accent),
            ))
            .style(theme.base());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let shown: String = if self.masked {
            "•".repeat(self.text.chars().count())
        } else {
            self.text.clone()
        };
        // Scroll horizontally so the cursor stays visible.
        let width = inner.width.max(1) as usize;
        let skip = (self.cursor + 1).saturating_sub(width);
        let visible: String = shown.chars().skip(skip).take(width).collect();
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(visible, theme.style(Role::Text)))),
            inner,
        );
        if focused {
            frame.set_cursor_position(Position::new(
                inner.x + (self.cursor - skip) as u16,
                inner.y,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_editing_and_submitting() {
        let mut input = TextInput::default();
        for c in "sekret".chars() {
            input.handle_key(&key(KeyCode::Char(c)));
        }
        for _ in 0..3 {
            input.handle_key(&key(KeyCode::Left));
        }
        input.handle_key(&key(KeyCode::Backspace));
        input.handle_key(&key(KeyCode::Char('c')));
        assert_eq!(input.text(), "secret");
        input.handle_key(&key(KeyCode::End));
        input.insert_str("\nü");
        assert_eq!(input.text(), "secret ü");
        assert_eq!(input.handle_key(&key(KeyCode::Enter)), InputOutcome::Submit);
        assert_eq!(input.handle_key(&key(KeyCode::Esc)), InputOutcome::Cancel);
        input.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(input.text(), "");
    }
}
