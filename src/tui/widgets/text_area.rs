//! A multi-line text editor (ratatui-textarea) in a bordered box with a status line under
//! the text. Enter breaks the line and esc leaves; undo, selection and word moves come with
//! the crate.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders};
use ratatui_textarea::TextArea;

use crate::tui::theme::{Role, Theme};

/// What a key did to the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorOutcome {
    /// Esc: the user is done; the text stays as it is.
    Leave,
    /// The text changed.
    Edited,
    /// Only the cursor, the selection or the view moved.
    Moved,
}

#[derive(Debug, Clone)]
pub struct TextEditor {
    area: TextArea<'static>,
}

impl TextEditor {
    /// An editor holding `text`, the cursor at its start.
    pub fn new(text: &str) -> Self {
        let lines = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        let mut area = TextArea::new(lines);
        // Styles by modifier only: the theme is not known here, and modifiers read in every
        // theme, monochrome included.
        area.set_line_number_style(Style::default().add_modifier(Modifier::DIM));
        area.set_cursor_line_style(Style::default());
        area.set_selection_style(Style::default().add_modifier(Modifier::UNDERLINED));
        area.set_placeholder_style(Style::default().add_modifier(Modifier::DIM));
        area.set_placeholder_text("Type here; enter breaks the line, esc leaves");
        // Two spaces, as pretty-printed JSON is indented.
        area.set_tab_length(2);
        Self { area }
    }

    /// The text, lines joined with `\n`.
    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn line_count(&self) -> usize {
        self.area.lines().len()
    }

    /// The cursor as (line, column), both from 1 as editors show them.
    pub fn cursor(&self) -> (usize, usize) {
        let ratatui_textarea::DataCursor(row, col) = self.area.cursor();
        (row + 1, col + 1)
    }

    /// Inserts pasted text at the cursor, line breaks kept. Terminals paste line breaks as
    /// CR, which would otherwise stay inside one line.
    pub fn insert_str(&mut self, text: &str) -> bool {
        self.area
            .insert_str(text.replace("\r\n", "\n").replace('\r', "\n"))
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> EditorOutcome {
        if key.code == crossterm::event::KeyCode::Esc {
            return EditorOutcome::Leave;
        }
        if self.area.input(*key) {
            EditorOutcome::Edited
        } else {
            EditorOutcome::Moved
        }
    }

    /// Draws the editor in a box titled `title`, with `status` on its bottom border.
    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        title: &str,
        status: Line<'static>,
        theme: &Theme,
    ) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Accent))
            .title(Line::styled(
                format!(" {title} "),
                theme.style(Role::Accent),
            ))
            .title_bottom(status)
            .style(theme.base());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(&self.area, inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn enter_breaks_lines_and_esc_leaves() {
        let mut editor = TextEditor::new("{\r\n}");
        assert_eq!(editor.text(), "{\n}");
        assert_eq!(editor.handle_key(&key(KeyCode::End)), EditorOutcome::Moved);
        assert_eq!(
            editor.handle_key(&key(KeyCode::Enter)),
            EditorOutcome::Edited
        );
        for c in "\"a\": 1".chars() {
            editor.handle_key(&key(KeyCode::Char(c)));
        }
        assert_eq!(editor.text(), "{\n\"a\": 1\n}");
        assert_eq!(editor.cursor(), (2, 7));
        editor.insert_str("\r");
        assert_eq!(editor.line_count(), 4, "a pasted CR breaks the line");
        assert_eq!(editor.handle_key(&key(KeyCode::Esc)), EditorOutcome::Leave);
    }
}
