//! The Audit tab's options: the ones `apiward audit` takes that make sense on a screen
//! (timeout, certificate verification, a private CA, the time certificates are judged at, a
//! batch's concurrency, and headers sent with every request), gathered into the core's one
//! `AuditSetup`. Output formats, `--fail-on` and `--allow-unreachable` stay the CLI's: the tab
//! shows every report and lists what could not be reached.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::audit::setup::{AuditSetup, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_SECS};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::input::{InputOutcome, TextInput};
use crate::tui::widgets::{centered, titled};

/// The rows before the headers: (label, hint shown while on it).
const FIELDS: &[(&str, &str)] = &[
    (
        "timeout",
        "seconds for each request; a whole target gets three times as long",
    ),
    (
        "certificates",
        "space toggles: verified, or OFF to audit the headers behind an untrusted certificate",
    ),
    (
        "CA file",
        "a private CA's PEM file, trusted instead of the public roots (optional)",
    ),
    (
        "judge at",
        "unix seconds to judge certificate dates at (empty: now)",
    ),
    ("concurrency", "targets audited at once in a batch"),
];
const HEADER_HINT: &str =
    "Name: value, sent with every request (credentials make the audit check Cache-Control)";

const TIMEOUT: usize = 0;
const VERIFY: usize = 1;
const CA: usize = 2;
const NOW: usize = 3;
const CONCURRENCY: usize = 4;
/// The first header row; there is always one empty header row at the end to type into.
const HEADERS: usize = 5;

/// What a key did to the form.
#[derive(Debug, PartialEq, Eq)]
pub enum FormOutcome {
    Changed,
    Submit,
    Cancel,
}

#[derive(Debug, Clone)]
pub struct OptionsForm {
    /// Every text row; the certificates row's input stays empty (it is a toggle).
    fields: Vec<TextInput>,
    insecure: bool,
    selected: usize,
}

impl Default for OptionsForm {
    fn default() -> Self {
        let mut fields = vec![TextInput::default(); HEADERS + 1];
        fields[TIMEOUT].set_text(DEFAULT_TIMEOUT_SECS.to_string());
        fields[CONCURRENCY].set_text(DEFAULT_CONCURRENCY.to_string());
        Self {
            fields,
            insecure: false,
            selected: TIMEOUT,
        }
    }
}

impl OptionsForm {
    /// Opens on the first row, whichever was left selected.
    pub fn open(&mut self) {
        self.selected = TIMEOUT;
    }

    pub fn insecure(&self) -> bool {
        self.insecure
    }

    pub fn toggle_insecure(&mut self) {
        self.insecure = !self.insecure;
    }

    /// Tab and the arrows move between rows, space toggles the certificates row, enter
    /// applies, esc cancels; the rest edits the row.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormOutcome {
        let last = self.fields.len() - 1;
        match key.code {
            KeyCode::Tab | KeyCode::Down => self.selected = (self.selected + 1).min(last),
            KeyCode::BackTab | KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right if self.selected == VERIFY => {
                self.toggle_insecure()
            }
            KeyCode::Enter => return FormOutcome::Submit,
            KeyCode::Esc => return FormOutcome::Cancel,
            _ if self.selected == VERIFY => {}
            _ => {
                if self.fields[self.selected].handle_key(key) == InputOutcome::Changed {
                    self.keep_one_empty_header();
                }
            }
        }
        FormOutcome::Changed
    }

    pub fn paste(&mut self, text: &str) {
        if self.selected != VERIFY {
            self.fields[self.selected].insert_str(text.trim());
            self.keep_one_empty_header();
        }
    }

    /// Headers are as many as typed: typing into the last row adds an empty one below it.
    fn keep_one_empty_header(&mut self) {
        if self.fields.last().is_some_and(|f| !f.text().is_empty()) {
            self.fields.push(TextInput::default());
        }
    }

    fn text(&self, field: usize) -> &str {
        self.fields[field].text().trim()
    }

    fn headers(&self) -> Vec<String> {
        self.fields[HEADERS..]
            .iter()
            .map(|f| f.text().trim().to_string())
            .filter(|h| !h.is_empty())
            .collect()
    }

    /// The options as the core's set-up, with what needs no file checked by the core; a
    /// mistake is one sentence.
    pub fn setup(&self) -> Result<AuditSetup, String> {
        let now = match self.text(NOW) {
            "" => None,
            text => Some(text.parse().map_err(|_| {
                format!("'{text}' is not a time: give unix seconds, or nothing for now")
            })?),
        };
        let concurrency = self
            .text(CONCURRENCY)
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(
                "the concurrency must be a whole number of targets at once, at least 1".to_string(),
            )?;
        let setup = AuditSetup {
            // Anything that is not a number is refused by the core's own check, in its words.
            timeout_secs: self.text(TIMEOUT).parse().unwrap_or(f64::NAN),
            insecure: self.insecure,
            ca_file: Some(self.text(CA))
                .filter(|t| !t.is_empty())
                .map(PathBuf::from),
            headers: self.headers(),
            now,
            concurrency,
        };
        setup.check().map_err(|e| e.to_string())?;
        Ok(setup)
    }

    /// What differs from the defaults, short, for the target line; empty when nothing does.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let headers = self.headers().len();
        if headers > 0 {
            parts.push(format!(
                "{headers} header{}",
                if headers == 1 { "" } else { "s" }
            ));
        }
        if self.text(TIMEOUT) != DEFAULT_TIMEOUT_SECS.to_string() {
            parts.push(format!("timeout {} s", self.text(TIMEOUT)));
        }
        if !self.text(CA).is_empty() {
            parts.push("private CA".into());
        }
        if !self.text(NOW).is_empty() {
            parts.push(format!("judged at {}", self.text(NOW)));
        }
        parts.join(" · ")
    }

    /// The form as a popup over `area`, and the selected row's input in `input_area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, input_area: Rect, theme: &Theme) {
        let popup = centered(area, 90, 90);
        frame.render_widget(Clear, popup);
        let mut lines: Vec<Line> = self
            .fields
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let label = FIELDS.get(i).map_or("header", |(label, _)| label);
                let value = if i == VERIFY {
                    Span::styled(
                        if self.insecure {
                            "OFF: headers audited behind any certificate"
                        } else {
                            "verified"
                        },
                        theme.style(if self.insecure {
                            Role::Warning
                        } else {
                            Role::Text
                        }),
                    )
                } else {
                    Span::styled(input.text().to_string(), theme.style(Role::Text))
                };
                let line = Line::from(vec![
                    Span::styled(format!("{label:<13}"), theme.style(Role::Accent)),
                    value,
                ]);
                if i == self.selected {
                    line.style(theme.style(Role::Selection))
                } else {
                    line
                }
            })
            .collect();
        lines.push(Line::default());
        lines.push(Line::styled(
            "The same options as apiward audit; output formats and --fail-on stay the CLI's.",
            theme.style(Role::Muted),
        ));
        frame.render_widget(
            Paragraph::new(lines).block(
                titled(
                    "Audit options · tab/↑↓ move · enter applies · esc cancels",
                    theme,
                )
                .border_style(theme.style(Role::Accent)),
            ),
            popup,
        );
        let (label, hint) = FIELDS
            .get(self.selected)
            .copied()
            .unwrap_or(("header", HEADER_HINT));
        let title = format!("{label}: {hint}");
        // The target line is drawn beneath: the row being edited replaces it.
        frame.render_widget(Clear, input_area);
        if self.selected == VERIFY {
            // A toggle has nothing to type: the input line says how to change it.
            let state = if self.insecure { "OFF" } else { "on" };
            frame.render_widget(
                Paragraph::new(Line::styled(
                    format!("certificate verification {state}"),
                    theme.style(Role::Text),
                ))
                .block(titled(&title, theme).border_style(theme.style(Role::Accent))),
                input_area,
            );
        } else {
            self.fields[self.selected].render(frame, input_area, &title, true, theme);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(form: &mut OptionsForm, code: KeyCode) -> FormOutcome {
        form.handle_key(&KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn type_text(form: &mut OptionsForm, text: &str) {
        for c in text.chars() {
            key(form, KeyCode::Char(c));
        }
    }

    fn clear(form: &mut OptionsForm) {
        form.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    }

    #[test]
    fn every_option_reaches_the_core_setup() {
        let mut form = OptionsForm::default();
        assert_eq!(form.setup().unwrap(), AuditSetup::default());
        assert_eq!(form.summary(), "");
        clear(&mut form);
        type_text(&mut form, "2.5");
        key(&mut form, KeyCode::Tab);
        type_text(&mut form, "x");
        assert!(!form.insecure(), "letters do not flip the toggle");
        key(&mut form, KeyCode::Char(' '));
        key(&mut form, KeyCode::Tab);
        type_text(&mut form, "/tmp/ca.pem");
        key(&mut form, KeyCode::Tab);
        type_text(&mut form, "1700000000");
        key(&mut form, KeyCode::Tab);
        clear(&mut form);
        type_text(&mut form, "4");
        key(&mut form, KeyCode::Tab);
        type_text(&mut form, "Authorization: Bearer t");
        key(&mut form, KeyCode::Tab);
        form.paste("X-Tenant: 7\n");
        assert_eq!(key(&mut form, KeyCode::Enter), FormOutcome::Submit);
        let setup = form.setup().unwrap();
        assert_eq!(
            setup,
            AuditSetup {
                timeout_secs: 2.5,
                insecure: true,
                ca_file: Some("/tmp/ca.pem".into()),
                headers: vec!["Authorization: Bearer t".into(), "X-Tenant: 7".into()],
                now: Some(1_700_000_000),
                concurrency: 4,
            }
        );
        assert_eq!(
            form.summary(),
            "2 headers · timeout 2.5 s · private CA · judged at 1700000000"
        );
        assert_eq!(key(&mut form, KeyCode::Esc), FormOutcome::Cancel);
    }

    #[test]
    fn mistakes_are_one_sentence_from_the_core_or_the_form() {
        let mut form = OptionsForm::default();
        clear(&mut form);
        type_text(&mut form, "soon");
        assert_eq!(
            form.setup().unwrap_err(),
            "the timeout must be a positive number of seconds"
        );
        let mut form = OptionsForm::default();
        for _ in 0..HEADERS {
            key(&mut form, KeyCode::Down);
        }
        type_text(&mut form, "no colon");
        assert_eq!(
            form.setup().unwrap_err(),
            "the header 'no colon' is not 'Name: value'"
        );
        let mut form = OptionsForm::default();
        key(&mut form, KeyCode::Down);
        key(&mut form, KeyCode::Down);
        key(&mut form, KeyCode::Down);
        type_text(&mut form, "tomorrow");
        assert!(form.setup().unwrap_err().contains("unix seconds"));
    }
}
