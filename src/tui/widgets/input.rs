//! A one-line text input: typing, cursor movement, paste, an optional mask for secrets, and
//! a value to recall: a prompt opens empty, and the last value (or one the pane offers, such
//! as a cracked secret) is one key away (ctrl-r), never pre-typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthChar;

use zeroize::{Zeroize, Zeroizing};

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

/// The text lives in a buffer that is wiped when it is cleared, replaced or dropped, and that
/// grows only through [`TextInput::reserve`], which wipes the buffer it leaves behind: a
/// passphrase typed here leaves no copy in freed memory.
///
/// The cursor is a byte offset, kept on a character boundary, so typing, moving and pasting
/// cost the same however long the text is, and drawing walks only the characters on screen.
#[derive(Clone, Default)]
pub struct TextInput {
    text: Zeroizing<String>,
    /// Cursor position in bytes, always on a char boundary.
    cursor: usize,
    masked: bool,
    /// What ctrl-r puts back; empty: nothing to recall. Wiped like the text.
    recall: Zeroizing<String>,
    /// What the recalled value is, for the hint: "the last value", "the cracked secret".
    recall_label: &'static str,
}

/// The key that recalls the offered value, as the title names it.
pub const RECALL_KEY: &str = "ctrl-r";

impl std::fmt::Debug for TextInput {
    // A masked input holds a secret: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("TextInput");
        if self.masked {
            d.field("len", &self.text.len());
        } else {
            d.field("text", &self.text.as_str());
        }
        d.field("cursor", &self.cursor)
            .field("masked", &self.masked)
            .field("can_recall", &self.can_recall())
            .finish()
    }
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

    /// Replaces the text (the old one is wiped) and puts the cursor at its end.
    pub fn set_text(&mut self, text: impl Into<String>) {
        self.text = Zeroizing::new(text.into());
        self.cursor = self.text.len();
    }

    /// Wipes the text, keeping its buffer for what is typed next.
    pub fn clear(&mut self) {
        self.text.zeroize();
        self.cursor = 0;
    }

    /// Opens the input as a prompt: empty, with what it held offered back by ctrl-r (the value
    /// offered before stays when it held nothing).
    pub fn open(&mut self) {
        if !self.text.is_empty() {
            self.recall = std::mem::take(&mut self.text);
            self.recall_label = "the last value";
        }
        self.clear();
    }

    /// Offers `value` to ctrl-r, in place of what was offered before, named by `label` in the
    /// hint ("the cracked secret"); an empty one offers nothing.
    pub fn offer(&mut self, value: impl Into<String>, label: &'static str) {
        self.recall = Zeroizing::new(value.into());
        self.recall_label = label;
    }

    /// What was typed, or what is offered when nothing was: for prompts where enter alone
    /// keeps the value in place (a request's name, a file to save to).
    pub fn text_or_offer(&self) -> &str {
        if self.text.is_empty() {
            &self.recall
        } else {
            &self.text
        }
    }

    /// Whether ctrl-r has something to put back.
    pub fn can_recall(&self) -> bool {
        !self.recall.is_empty()
    }

    /// Inserts pasted text at the cursor, in one insert however long it is; line breaks
    /// become spaces.
    pub fn insert_str(&mut self, text: &str) {
        // '\n' and '\r' are one byte, like the space that replaces them: the cleaned text
        // is exactly as long, so its buffer never grows either.
        let mut clean = Zeroizing::new(String::with_capacity(text.len()));
        clean.extend(
            text.chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
        );
        self.reserve(clean.len());
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn insert(&mut self, c: char) {
        self.reserve(c.len_utf8());
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Makes room for `extra` more bytes. A `String` that grows by itself copies its bytes
    /// into a new buffer and frees the old one unwiped; this copies into a buffer twice the
    /// size and wipes the old one (dropping a `Zeroizing` does), so growth stays amortised.
    fn reserve(&mut self, extra: usize) {
        if self.text.capacity() - self.text.len() >= extra {
            return;
        }
        let wanted = (self.text.len() + extra)
            .max(2 * self.text.capacity())
            .max(32);
        let mut grown = Zeroizing::new(String::with_capacity(wanted));
        grown.push_str(&self.text);
        std::mem::swap(&mut self.text, &mut grown);
    }

    /// The byte offset of the char before the cursor, if any.
    fn prev(&self) -> Option<usize> {
        let c = self.text[..self.cursor].chars().next_back()?;
        Some(self.cursor - c.len_utf8())
    }

    /// The byte offset after the char at the cursor, if any.
    fn next(&self) -> Option<usize> {
        let c = self.text[self.cursor..].chars().next()?;
        Some(self.cursor + c.len_utf8())
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> InputOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => return InputOutcome::Submit,
            KeyCode::Esc => return InputOutcome::Cancel,
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char('r') if ctrl && self.can_recall() => {
                let recalled = self.recall.to_string();
                self.set_text(recalled);
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.len(),
            KeyCode::Char(c) if !ctrl => self.insert(c),
            KeyCode::Backspace => {
                if let Some(at) = self.prev() {
                    self.text.remove(at);
                    self.cursor = at;
                }
            }
            KeyCode::Delete if self.cursor < self.text.len() => {
                self.text.remove(self.cursor);
            }
            KeyCode::Left => self.cursor = self.prev().unwrap_or(self.cursor),
            KeyCode::Right => self.cursor = self.next().unwrap_or(self.cursor),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            _ => {}
        }
        InputOutcome::Changed
    }

    /// The characters on screen in a box `width` columns wide, and the cursor's column among
    /// them. Columns are display widths (unicode-width, as ratatui draws them): a CJK
    /// character or an emoji takes two. Once the cursor is past the width the line scrolls so
    /// it sits in the last column. Only the characters around the cursor are walked, never the
    /// whole text.
    fn window(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        // A mask shows one `•` per character, whatever the character's width.
        let columns = |c: char| {
            if self.masked {
                1
            } else {
                c.width().unwrap_or(0)
            }
        };
        // Back from the cursor while what lies before it fits in all but the last column.
        let (mut start, mut column) = (self.cursor, 0);
        for (i, c) in self.text[..self.cursor].char_indices().rev() {
            if column + columns(c) > width - 1 {
                break;
            }
            column += columns(c);
            start = i;
        }
        let mut used = 0;
        let shown = self.text[start..].chars().take_while(|&c| {
            used += columns(c);
            used <= width
        });
        let visible = if self.masked {
            shown.map(|_| '•').collect()
        } else {
            shown.collect()
        };
        (visible, column)
    }

    /// Draws the input in a bordered box and places the terminal cursor in it when focused.
    /// While a value can be recalled, the box's bottom says which key brings it back.
    pub fn render(&self, frame: &mut Frame, area: Rect, title: &str, focused: bool, theme: &Theme) {
        // Inputs open over other content; its text must not show through where theirs is short.
        frame.render_widget(ratatui::widgets::Clear, area);
        let border = if focused { Role::Accent } else { Role::Border };
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(border))
            .title(Line::styled(
                format!(" {title} "),
                theme.style(Role::Accent),
            ))
            .style(theme.base());
        if focused && self.can_recall() && *self.text != *self.recall {
            block = block.title_bottom(super::footer(
                &format!(" {RECALL_KEY} recalls {} ", self.recall_label),
                area.width,
                theme,
            ));
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let (visible, column) = self.window(inner.width as usize);
        // Empty, an offered value shows dimmed where typing goes: seen, never pre-typed.
        // A secret is never shown.
        let shown = if self.text.is_empty() && !self.masked && self.can_recall() {
            let offered = super::ellipsize_middle(&self.recall, inner.width as usize);
            Span::styled(offered, theme.style(Role::Muted))
        } else {
            Span::styled(visible, theme.style(Role::Text))
        };
        frame.render_widget(Paragraph::new(Line::from(shown)), inner);
        if focused {
            frame.set_cursor_position(Position::new(inner.x + column as u16, inner.y));
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

    /// 200 kB with line breaks and multi-byte characters, as a paste might bring.
    fn big_paste() -> String {
        "https://example.com/ä?q=1\r\n".repeat(200 * 1024 / 28 + 1)
    }

    #[test]
    fn a_200_kb_paste_lands_whole_at_the_cursor() {
        let mut input = TextInput::default();
        input.insert_str("[]");
        input.handle_key(&key(KeyCode::Left));
        let paste = big_paste();
        assert!(paste.len() >= 200 * 1000);
        input.insert_str(&paste);
        let expected = format!("[{}]", paste.replace(['\r', '\n'], " "));
        assert_eq!(input.text(), expected);
        // The cursor is just after the paste, on a char boundary: the next key lands there.
        input.handle_key(&key(KeyCode::Char('!')));
        input.handle_key(&key(KeyCode::Backspace));
        input.handle_key(&key(KeyCode::Left));
        input.handle_key(&key(KeyCode::Char('é')));
        let mut expected = expected;
        expected.insert(expected.len() - 2, 'é');
        assert_eq!(input.text(), expected);
    }

    #[test]
    fn drawing_shows_the_window_around_the_cursor() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let theme = Theme::builtin_default();
        let draw = |input: &TextInput| {
            let mut terminal = Terminal::new(TestBackend::new(12, 3)).unwrap();
            terminal
                .draw(|f| input.render(f, f.area(), "t", true, &theme))
                .unwrap();
            let buffer = terminal.backend().buffer().clone();
            let row: String = (1..11)
                .map(|x| buffer[(x, 1)].symbol().to_string())
                .collect();
            (row, terminal.get_cursor_position().unwrap().x)
        };
        let mut input = TextInput::default();
        input.insert_str(&big_paste());
        input.insert_str("ünd-the-end");
        // Scrolled to the end: the last nine characters, and the cursor in the last column.
        assert_eq!(draw(&input), ("ünd-the-end"[3..].to_string() + " ", 10));
        input.handle_key(&key(KeyCode::Home));
        assert_eq!(draw(&input), ("https://ex".to_string(), 1));
        input.set_masked(true);
        assert_eq!(draw(&input).0, "•".repeat(10));
    }

    /// Wide characters take two columns: the cursor sits after them as ratatui draws them,
    /// and a line of them scrolls by columns, not by characters.
    #[test]
    fn the_cursor_counts_display_columns_for_cjk_and_emoji() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let theme = Theme::builtin_default();
        // Inner box: columns 1 to 10 of a 12-wide frame.
        let draw = |input: &TextInput| {
            let mut terminal = Terminal::new(TestBackend::new(12, 3)).unwrap();
            terminal
                .draw(|f| input.render(f, f.area(), "t", true, &theme))
                .unwrap();
            let buffer = terminal.backend().buffer().clone();
            let cells: Vec<String> = (1..11)
                .map(|x| buffer[(x, 1)].symbol().to_string())
                .collect();
            (cells, terminal.get_cursor_position().unwrap().x)
        };
        let mut input = TextInput::default();
        input.insert_str("a日🦀");
        let (cells, x) = draw(&input);
        // a (1 column), 日 (2), 🦀 (2): the cursor is in the sixth column of the box, and
        // ratatui drew the crab in the two cells just before it.
        assert_eq!(x, 1 + 5);
        assert_eq!(cells[3], "🦀");
        assert_eq!(cells[5], " ");
        input.handle_key(&key(KeyCode::Left));
        assert_eq!(draw(&input).1, 1 + 3);
        input.handle_key(&key(KeyCode::Left));
        assert_eq!(draw(&input).1, 1 + 1);

        // Six CJK characters are twelve columns: four and the cursor fit in ten.
        let mut input = TextInput::default();
        for c in "一二三四五六".chars() {
            input.handle_key(&key(KeyCode::Char(c)));
        }
        let (cells, x) = draw(&input);
        assert_eq!(x, 1 + 8);
        assert_eq!((cells[0].as_str(), cells[6].as_str()), ("三", "六"));
        // Masked, each character is one `•`, so the cursor counts characters again.
        input.set_masked(true);
        assert_eq!(draw(&input).1, 1 + 6);
    }

    /// The input drawn focused in a 50x3 box, as text.
    fn screen(input: &TextInput) -> String {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let theme = Theme::builtin_default();
        let mut terminal = Terminal::new(TestBackend::new(50, 3)).unwrap();
        terminal
            .draw(|f| input.render(f, f.area(), "Key", true, &theme))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        buffer
            .content
            .iter()
            .map(|c| c.symbol())
            .collect::<String>()
    }

    #[test]
    fn a_prompt_opens_empty_and_ctrl_r_recalls_the_last_value() {
        let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        let mut input = TextInput::masked();
        // Nothing to recall: ctrl-r is not a letter either, and no hint is drawn.
        assert_eq!(input.handle_key(&ctrl_r), InputOutcome::Changed);
        assert_eq!(input.text(), "");
        assert!(!screen(&input).contains("ctrl-r"));
        input.insert_str("first");
        input.open();
        assert_eq!(input.text(), "", "opens empty");
        assert!(screen(&input).contains("ctrl-r recalls the last value"));
        input.insert_str("x");
        input.handle_key(&ctrl_r);
        assert_eq!(input.text(), "first", "replaces what was typed");
        assert_eq!(
            screen(&input).matches('•').count(),
            5,
            "recalled, still masked"
        );
        assert!(!screen(&input).contains("ctrl-r"), "no hint once recalled");
        // Opening an empty input keeps what was offered; a pane may offer its own value.
        input.clear();
        input.open();
        input.handle_key(&ctrl_r);
        assert_eq!(input.text(), "first");
        input.offer("cracked", "the cracked secret");
        input.open();
        assert!(screen(&input).contains("ctrl-r recalls the last value"));
        input.offer("cracked", "the cracked secret");
        assert!(screen(&input).contains("ctrl-r recalls the cracked secret"));
        input.handle_key(&ctrl_r);
        assert_eq!(input.text(), "cracked");
        assert!(!format!("{input:?}").contains("cracked"));
    }

    #[test]
    fn an_offered_value_shows_dimmed_and_enter_alone_may_take_it() {
        let mut input = TextInput::default();
        input.offer("login", "the name (enter alone keeps it)");
        assert_eq!(input.text(), "", "never pre-typed");
        assert_eq!(input.text_or_offer(), "login");
        assert!(screen(&input).contains("login"), "seen where typing goes");
        input.insert_str("x");
        assert_eq!(input.text_or_offer(), "x");
        assert!(!screen(&input).contains("login"));
        let mut secret = TextInput::masked();
        secret.offer("hunter2", "the cracked secret");
        assert!(
            !screen(&secret).contains("hunter2"),
            "a secret is never shown"
        );
    }

    #[test]
    fn a_masked_input_never_prints_its_text() {
        let mut input = TextInput::masked();
        input.insert_str("hunter2");
        assert!(!format!("{input:?}").contains("hunter2"));
        input.clear();
        assert_eq!((input.text(), input.cursor), ("", 0));
    }
}
