//! The command palette: every action of every tab, with its keys and help line, filtered as
//! the user types (the query's letters in order, closest together first), and run on enter
//! on its own tab. It reads the same keymap the help overlay does.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::action::Action;
use super::keymap::Keymap;
use super::theme::{Role, Theme};
use super::widgets::input::{InputOutcome, TextInput};

#[derive(Debug, Default)]
pub struct Palette {
    input: TextInput,
    selected: usize,
}

/// What a key did to the palette.
pub enum PaletteOutcome {
    Open,
    Close,
    Run(Action),
}

impl Palette {
    /// The actions the query finds, best first. The palette's own action is not one.
    pub fn matches(&self, keymap: &Keymap) -> Vec<Action> {
        let query = self.input.text().to_lowercase();
        let mut found: Vec<(usize, Action)> = keymap
            .bindings()
            .iter()
            .map(|(action, _)| *action)
            .filter(|a| *a != Action::Palette)
            .filter_map(|a| score(&query, &haystack(a)).map(|s| (s, a)))
            .collect();
        // Stable: equal matches keep the help overlay's order.
        found.sort_by_key(|(score, _)| *score);
        found.into_iter().map(|(_, a)| a).collect()
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> PaletteOutcome {
        let found = self.matches(keymap);
        match key.code {
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(found.len().saturating_sub(1)),
            _ => match self.input.handle_key(key) {
                InputOutcome::Changed => self.selected = 0,
                InputOutcome::Cancel => return PaletteOutcome::Close,
                InputOutcome::Submit => {
                    return match found.get(self.selected) {
                        Some(action) => PaletteOutcome::Run(*action),
                        None => PaletteOutcome::Open,
                    };
                }
            },
        }
        PaletteOutcome::Open
    }

    pub fn paste(&mut self, text: &str) {
        self.input.insert_str(text.trim());
        self.selected = 0;
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap, theme: &Theme) {
        let found = self.matches(keymap);
        let [popup] = Layout::horizontal([Constraint::Length(84.min(area.width))])
            .flex(Flex::Center)
            .areas(area);
        let height = (found.len() as u16 + 4).clamp(5, area.height.saturating_sub(2).max(5));
        let [popup] = Layout::vertical([Constraint::Length(height)])
            .flex(Flex::Start)
            .areas(popup);
        let rows = height.saturating_sub(4) as usize;
        // Keep the selected row in view.
        let first = self.selected.saturating_sub(rows.saturating_sub(1));
        let mut lines = vec![
            Line::from(vec![
                Span::styled("› ", theme.style(Role::Accent)),
                Span::styled(self.input.text().to_string(), theme.style(Role::Text)),
                Span::styled("▏", theme.style(Role::Accent)),
            ]),
            Line::default(),
        ];
        if found.is_empty() {
            lines.push(Line::styled("No action matches", theme.style(Role::Muted)));
        }
        for (i, action) in found.iter().enumerate().skip(first).take(rows) {
            let keys = keymap.keys_text(*action);
            let style = if i == self.selected {
                theme.style(Role::Selection)
            } else {
                theme.style(Role::Text)
            };
            let marker = if i == self.selected { "▶ " } else { "  " };
            lines.push(Line::from(vec![
                Span::styled(marker, theme.style(Role::Accent)),
                Span::styled(format!("{keys:<12} "), theme.style(Role::Accent)),
                Span::styled(action.description().to_string(), style),
                Span::styled(
                    format!("  {}", action.context().title()),
                    theme.style(Role::Muted),
                ),
            ]));
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Accent))
            .title(" Command palette ")
            .title_bottom(
                Line::from(" type to filter · ↑↓ choose · enter runs · esc closes ")
                    .right_aligned(),
            )
            .style(theme.base());
        frame.render_widget(Clear, popup);
        frame.render_widget(Paragraph::new(lines).block(block), popup);
    }
}

/// What the query is matched against: the help line, the config name and the tab.
fn haystack(action: Action) -> String {
    format!(
        "{} {} {}",
        action.description(),
        action.name(),
        action.context().title()
    )
    .to_lowercase()
}

/// How well `query` matches `text`, lower is better; `None` when it does not. Every word
/// of the query found as written ranks by where the words are; otherwise the query's
/// letters in order rank by how far apart they fall, after every whole-word match.
fn score(query: &str, text: &str) -> Option<usize> {
    let words: Vec<&str> = query.split_whitespace().collect();
    if let Some(at) = words.iter().map(|w| text.find(w)).sum::<Option<usize>>() {
        return Some(at);
    }
    let mut chars = text.char_indices();
    let mut first = None;
    let mut last = 0;
    for q in words.concat().chars() {
        let (at, _) = chars.find(|(_, c)| *c == q)?;
        first.get_or_insert(at);
        last = at;
    }
    Some(10_000 + first.map_or(0, |f| last - f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn typed(palette: &mut Palette, text: &str, keymap: &Keymap) {
        for c in text.chars() {
            palette.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), keymap);
        }
    }

    #[test]
    fn the_query_finds_actions_by_their_words_and_enter_runs_the_first() {
        let keymap = Keymap::default();
        let mut palette = Palette::default();
        assert!(
            palette.matches(&keymap).len() > 50,
            "every action, unfiltered"
        );
        assert!(!palette.matches(&keymap).contains(&Action::Palette));
        typed(&mut palette, "audit run", &keymap);
        let found = palette.matches(&keymap);
        assert_eq!(found.first(), Some(&Action::AuditRun), "{found:?}");
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert!(matches!(
            palette.handle_key(&enter, &keymap),
            PaletteOutcome::Run(Action::AuditRun)
        ));
        typed(&mut palette, "zzzzqq", &keymap);
        assert!(palette.matches(&keymap).is_empty());
        assert!(matches!(
            palette.handle_key(&enter, &keymap),
            PaletteOutcome::Open
        ));
    }

    #[test]
    fn whole_words_rank_before_scattered_letters() {
        assert_eq!(score("", "crack the secret"), Some(0));
        assert_eq!(score("secret", "crack the secret"), Some(10));
        assert_eq!(score("crk", "crack the secret"), Some(10_004));
        assert_eq!(score("x", "crack the secret"), None);
    }
}
