//! The JWT tab's probe options: the same ones `apiward jwt probe` takes (method, where the
//! token goes, an extra header, timeout, the public key for key confusion, the secret for
//! re-signing, and where the jku JWKS lives), gathered into the one core `ProbeSetup`, with the
//! public keys recovered from tokens as `--recover-from` gives them.

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::jwt::probe::Placement;
use crate::jwt::probe_run::ProbeSetup;
use crate::jwt::recover::Candidate;
use crate::jwt::{Decoded, ForgeOptions};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::input::{InputOutcome, TextInput};
use crate::tui::widgets::{centered, titled};

/// The fields, in order: (label, hint shown while editing it).
const FIELDS: &[(&str, &str)] = &[
    ("URL", "the endpoint that accepts this token"),
    ("method", "GET, POST, …"),
    ("token in", "bearer, header:NAME, cookie:NAME or query:NAME"),
    ("header", "an extra header, Name: value (optional)"),
    ("timeout", "seconds to wait for each answer"),
    (
        "public key",
        "the server's public key PEM file, for RS/HS key confusion (optional)",
    ),
    (
        "secret",
        "the HMAC secret, for re-signed and claim variants (filled in once verified or cracked)",
    ),
    (
        "jku URL",
        "a URL you host the JWKS at (empty: hosted on 127.0.0.1 for a target on this machine)",
    ),
    ("JWKS file", "where to write the JWKS for your jku URL"),
    (
        "jku redirect",
        "an open redirect on the trusted jku host, e.g. https://trusted/redirect?url= (optional)",
    ),
];

const URL: usize = 0;
const METHOD: usize = 1;
const PLACEMENT: usize = 2;
const HEADER: usize = 3;
const TIMEOUT: usize = 4;
const KEY: usize = 5;
const SECRET: usize = 6;
const JKU: usize = 7;
const JWKS_OUT: usize = 8;
const REDIRECT: usize = 9;

/// What a key did to the form.
#[derive(Debug, PartialEq, Eq)]
pub enum FormOutcome {
    Changed,
    Submit,
    Cancel,
}

/// A probe to start: the setup, and the public key file the job reads off the UI thread.
#[derive(Debug)]
pub struct ProbeRequest {
    pub setup: ProbeSetup,
    pub key_file: Option<PathBuf>,
}

#[derive(Debug)]
pub struct ProbeForm {
    fields: Vec<TextInput>,
    selected: usize,
    /// Keys recovered from tokens, tried as HMAC secrets in every encoding (key confusion).
    recovered: Vec<Candidate>,
}

impl Default for ProbeForm {
    fn default() -> Self {
        let mut fields: Vec<TextInput> = FIELDS
            .iter()
            .enumerate()
            .map(|(i, _)| {
                if i == SECRET {
                    TextInput::masked()
                } else {
                    TextInput::default()
                }
            })
            .collect();
        fields[METHOD].set_text("GET");
        fields[PLACEMENT].set_text("bearer");
        fields[TIMEOUT].set_text("10");
        Self {
            fields,
            selected: URL,
            recovered: Vec::new(),
        }
    }
}

impl ProbeForm {
    /// Opens on the URL, with the known secret filled in unless one was typed, and the keys
    /// recovered from tokens that verify the one probed.
    pub fn open(&mut self, secret: Option<&[u8]>, recovered: Vec<Candidate>) {
        self.selected = URL;
        self.recovered = recovered;
        if let Some(secret) = secret
            && self.fields[SECRET].text().is_empty()
        {
            self.fields[SECRET].set_text(String::from_utf8_lossy(secret).into_owned());
        }
    }

    /// Tab and the arrows move between fields, enter probes, esc closes; the rest edits.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormOutcome {
        let last = FIELDS.len() - 1;
        match key.code {
            KeyCode::Tab | KeyCode::Down => self.selected = (self.selected + 1).min(last),
            KeyCode::BackTab | KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            _ => {
                return match self.fields[self.selected].handle_key(key) {
                    InputOutcome::Submit => FormOutcome::Submit,
                    InputOutcome::Cancel => FormOutcome::Cancel,
                    InputOutcome::Changed => FormOutcome::Changed,
                };
            }
        }
        FormOutcome::Changed
    }

    pub fn paste(&mut self, text: &str) {
        self.fields[self.selected].insert_str(text.trim());
    }

    pub fn url(&self) -> &str {
        self.text(URL)
    }

    fn text(&self, field: usize) -> &str {
        self.fields[field].text().trim()
    }

    fn optional(&self, field: usize) -> Option<String> {
        Some(self.text(field).to_string()).filter(|t| !t.is_empty())
    }

    /// The probe these options describe, checked by the core as the CLI's is; a mistake is
    /// one sentence for the status bar.
    pub fn request(&self, original: Decoded, now: i64) -> Result<ProbeRequest, String> {
        let options = ForgeOptions {
            secret: self.optional(SECRET).map(String::into_bytes),
            jku_url: self.optional(JKU),
            jku_redirect: self.optional(REDIRECT),
            now,
            ..Default::default()
        };
        let mut setup = ProbeSetup::new(self.url(), original, options, now);
        setup.target.method = self.text(METHOD).to_ascii_uppercase();
        setup.target.placement = Placement::parse(self.text(PLACEMENT))?;
        if let Some(header) = self.optional(HEADER) {
            let (name, value) = header
                .split_once(':')
                .ok_or_else(|| format!("the header '{header}' needs the form Name: value"))?;
            setup
                .target
                .headers
                .push((name.trim().to_string(), value.trim().to_string()));
        }
        let secs: f64 = self
            .text(TIMEOUT)
            .parse()
            .ok()
            .filter(|s: &f64| *s > 0.0 && s.is_finite())
            .ok_or("the timeout must be a positive number of seconds")?;
        setup.target.timeout = Duration::from_secs_f64(secs);
        setup.jwks_out = self.optional(JWKS_OUT).map(PathBuf::from);
        setup.recovered = self.recovered.clone();
        setup.check().map_err(|e| e.to_string())?;
        Ok(ProbeRequest {
            setup,
            key_file: self.optional(KEY).map(PathBuf::from),
        })
    }

    /// The form as a popup over `area`, and the selected field's input in `input_area`.
    pub fn render(&self, frame: &mut Frame, area: Rect, input_area: Rect, theme: &Theme) {
        let popup = centered(area, 90, 90);
        frame.render_widget(Clear, popup);
        let mut lines: Vec<Line> = FIELDS
            .iter()
            .zip(&self.fields)
            .enumerate()
            .map(|(i, ((label, _), input))| {
                let value = if i == SECRET && !input.text().is_empty() {
                    "•".repeat(input.text().chars().count().min(12))
                } else {
                    input.text().to_string()
                };
                let line = Line::from(vec![
                    Span::styled(format!("{label:<13}"), theme.style(Role::Accent)),
                    Span::styled(value, theme.style(Role::Text)),
                ]);
                if i == self.selected {
                    line.style(theme.style(Role::Selection))
                } else {
                    line
                }
            })
            .collect();
        lines.push(Line::default());
        if !self.recovered.is_empty() {
            let thumbprints: Vec<&str> = self
                .recovered
                .iter()
                .map(|c| c.thumbprint.as_str())
                .collect();
            lines.push(Line::from(vec![
                Span::styled(format!("{:<13}", "recovered"), theme.style(Role::Accent)),
                Span::styled(
                    format!(
                        "{} key(s) tried as HS256/384/512 secrets in each encoding: {}",
                        thumbprints.len(),
                        thumbprints.join(", ")
                    ),
                    theme.style(Role::Text),
                ),
            ]));
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            "Every forged variant is sent to the URL. Only probe what you are authorised to test.",
            theme.style(Role::Muted),
        ));
        frame.render_widget(
            Paragraph::new(lines).block(
                titled(
                    "Probe options · tab/↑↓ move · enter probes · esc closes",
                    theme,
                )
                .border_style(theme.style(Role::Accent)),
            ),
            popup,
        );
        let (label, hint) = FIELDS[self.selected];
        self.fields[self.selected].render(
            frame,
            input_area,
            &format!("{label}: {hint}"),
            true,
            theme,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn token() -> Decoded {
        let t = crate::jwt::sign::sign(
            &serde_json::Map::new(),
            &serde_json::json!({"sub": "a"}),
            "HS256",
            &crate::jwt::SigningKey::Secret(b"k".to_vec()),
        )
        .unwrap();
        crate::jwt::decode(&t).unwrap()
    }

    fn type_text(form: &mut ProbeForm, text: &str) {
        for c in text.chars() {
            form.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    fn tab(form: &mut ProbeForm, n: usize) {
        for _ in 0..n {
            form.handle_key(&KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        }
    }

    #[test]
    fn every_option_reaches_the_core_setup() {
        let mut form = ProbeForm::default();
        form.open(Some(b"cracked"), Vec::new());
        type_text(&mut form, "https://api.example/me");
        tab(&mut form, 1);
        form.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_text(&mut form, "post");
        tab(&mut form, 1);
        form.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_text(&mut form, "cookie:session");
        tab(&mut form, 1);
        type_text(&mut form, "X-Tenant: 7");
        tab(&mut form, 1);
        form.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        type_text(&mut form, "2.5");
        tab(&mut form, 1);
        type_text(&mut form, "/tmp/pub.pem");
        tab(&mut form, 2);
        type_text(&mut form, "https://me.example/jwks.json");
        // A jku URL of your own needs the file to write its JWKS to.
        let err = form.request(token(), 0).unwrap_err();
        assert!(err.contains("--jwks-out"), "{err}");
        tab(&mut form, 1);
        type_text(&mut form, "/tmp/jwks.json");
        tab(&mut form, 1);
        type_text(&mut form, "https://trusted.example/go?to=");
        let req = form.request(token(), 0).unwrap();
        let s = &req.setup;
        assert_eq!(s.target.url, "https://api.example/me");
        assert_eq!(s.target.method, "POST");
        assert_eq!(s.target.placement, Placement::Cookie("session".into()));
        assert_eq!(s.target.headers, [("X-Tenant".into(), "7".into())]);
        assert_eq!(s.target.timeout, Duration::from_millis(2500));
        assert_eq!(req.key_file, Some(PathBuf::from("/tmp/pub.pem")));
        assert_eq!(s.options.secret.as_deref(), Some(&b"cracked"[..]));
        assert_eq!(
            s.options.jku_url.as_deref(),
            Some("https://me.example/jwks.json")
        );
        assert_eq!(s.jwks_out, Some(PathBuf::from("/tmp/jwks.json")));
        assert_eq!(
            s.options.jku_redirect.as_deref(),
            Some("https://trusted.example/go?to=")
        );
    }

    #[test]
    fn mistakes_are_one_sentence() {
        let mut form = ProbeForm::default();
        type_text(&mut form, "not a url");
        assert!(form.request(token(), 0).unwrap_err().contains("not a URL"));
        let mut form = ProbeForm::default();
        type_text(&mut form, "http://127.0.0.1:9/");
        tab(&mut form, 4);
        type_text(&mut form, "x");
        assert!(form.request(token(), 0).unwrap_err().contains("timeout"));
    }
}
