//! The JWT tab's probe options: every one `apiward jwt probe` takes (method, where the token
//! goes, extra headers, timeout, claim edits, the public key for key confusion, the secret for
//! re-signing, where the jku JWKS lives, a CA file and skipping certificate checks), gathered
//! into the one core `ProbeSetup` through the same core parsers as the CLI's flags, with the
//! public keys recovered from tokens (`r`) as `--recover-from` gives them. The form opens
//! empty (defaults shown dimmed); ctrl-r brings back the last probe's options and the known
//! secret.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::jwt::probe::Placement;
use crate::jwt::probe_run::{self, ProbeSetup};
use crate::jwt::recover::Candidate;
use crate::jwt::{Decoded, ForgeOptions};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::{centered, footer, titled};

/// The text fields, in order: (label, hint shown while editing it, the default an empty field
/// stands for). The CLI flag each one is named in the hint.
const FIELDS: &[(&str, &str, &str)] = &[
    ("URL", "the endpoint that accepts this token (--url)", ""),
    ("method", "GET, POST, … (--method)", "GET"),
    (
        "token in",
        "bearer, header:NAME, cookie:NAME or query:NAME (--placement)",
        "bearer",
    ),
    (
        "timeout",
        "seconds to wait for each answer (--timeout)",
        "10",
    ),
    (
        "set claims",
        "claim edits for every variant, k=v …, such as role=admin exp=+1h (--set)",
        "",
    ),
    (
        "public key",
        "the server's public key PEM file, for RS/HS key confusion (--key)",
        "",
    ),
    (
        "secret",
        "the HMAC secret, for re-signed and claim variants (--secret)",
        "",
    ),
    (
        "jku URL",
        "a URL you host the JWKS at; empty: hosted on 127.0.0.1 for a target on this machine (--jku)",
        "",
    ),
    (
        "JWKS file",
        "where to write the JWKS for your jku URL (--jwks-out)",
        "",
    ),
    (
        "jku redirect",
        "an open redirect on the trusted jku host, e.g. https://trusted/redirect?url= (--jku-redirect)",
        "",
    ),
    (
        "CA file",
        "a CA certificate (PEM) to trust as well (--ca)",
        "",
    ),
];

const URL: usize = 0;
const METHOD: usize = 1;
const PLACEMENT: usize = 2;
const TIMEOUT: usize = 3;
const SET: usize = 4;
const KEY: usize = 5;
const SECRET: usize = 6;
const JKU: usize = 7;
const JWKS_OUT: usize = 8;
const REDIRECT: usize = 9;
const CA: usize = 10;

/// The hint of a header row (repeatable, as `-H` is: a filled last row opens another).
const HEADER_HINT: &str =
    "an extra header, Name: value (--header); tab on a filled last one adds another";
/// The hint of the certificate switch.
const INSECURE_HINT: &str = "skip certificate verification (--insecure): space switches";

/// One row of the form, in the order drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Text(usize),
    Header(usize),
    Insecure,
}

/// What a key did to the form.
#[derive(Debug, PartialEq, Eq)]
pub enum FormOutcome {
    Changed,
    Submit,
    Cancel,
}

/// A probe to start: the setup, and the files the job reads off the UI thread.
#[derive(Debug)]
pub struct ProbeRequest {
    pub setup: ProbeSetup,
    /// The server's public key PEM (`--key`).
    pub key_file: Option<PathBuf>,
    /// A CA to trust as well (`--ca`).
    pub ca_file: Option<PathBuf>,
}

#[derive(Debug)]
pub struct ProbeForm {
    fields: Vec<TextInput>,
    /// Extra headers; the last one is the empty row a new header is typed in.
    headers: Vec<TextInput>,
    insecure: bool,
    /// The last probe's certificate switch, for ctrl-r.
    last_insecure: bool,
    /// The selected row, an index into [`ProbeForm::rows`].
    selected: usize,
    /// Keys recovered from tokens, tried as HMAC secrets in every encoding (key confusion).
    recovered: Vec<Candidate>,
}

impl Default for ProbeForm {
    fn default() -> Self {
        let fields = (0..FIELDS.len())
            .map(|i| {
                if i == SECRET {
                    TextInput::masked()
                } else {
                    TextInput::default()
                }
            })
            .collect();
        Self {
            fields,
            headers: vec![TextInput::default()],
            insecure: false,
            last_insecure: false,
            selected: 0,
            recovered: Vec::new(),
        }
    }
}

impl ProbeForm {
    /// Opens on the URL with every field empty: what was typed last time, and the known
    /// secret (verified or cracked) when no other was typed, are one ctrl-r away. The keys
    /// recovered from tokens that verify the one probed are used as they are.
    pub fn open(&mut self, secret: Option<&[u8]>, recovered: Vec<Candidate>) {
        self.selected = 0;
        self.recovered = recovered;
        for input in self.fields.iter_mut().chain(&mut self.headers) {
            input.open();
        }
        if let Some(secret) = secret
            && !self.fields[SECRET].can_recall()
        {
            self.fields[SECRET].offer(String::from_utf8_lossy(secret), "the known secret");
        }
        self.last_insecure = std::mem::take(&mut self.insecure);
    }

    fn rows(&self) -> Vec<Row> {
        let mut rows = vec![Row::Text(URL), Row::Text(METHOD), Row::Text(PLACEMENT)];
        rows.extend((0..self.headers.len()).map(Row::Header));
        rows.extend((TIMEOUT..FIELDS.len()).map(Row::Text));
        rows.push(Row::Insecure);
        rows
    }

    fn row(&self) -> Row {
        let rows = self.rows();
        rows[self.selected.min(rows.len() - 1)]
    }

    fn input_mut(&mut self, row: Row) -> Option<&mut TextInput> {
        match row {
            Row::Text(i) => self.fields.get_mut(i),
            Row::Header(i) => self.headers.get_mut(i),
            Row::Insecure => None,
        }
    }

    /// Tab and the arrows move between rows, ctrl-r recalls the last probe's options, enter
    /// probes, esc closes; space switches the certificate check; the rest edits the field.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormOutcome {
        let row = self.row();
        match key.code {
            KeyCode::Tab | KeyCode::Down => {
                // A filled last header row opens another under it.
                if let Row::Header(i) = row
                    && i + 1 == self.headers.len()
                    && !self.headers[i].text().trim().is_empty()
                {
                    self.headers.push(TextInput::default());
                }
                self.selected = (self.selected + 1).min(self.rows().len() - 1);
            }
            KeyCode::BackTab | KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Char('r') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                for input in self.fields.iter_mut().chain(&mut self.headers) {
                    input.handle_key(key);
                }
                self.insecure = self.last_insecure;
            }
            KeyCode::Enter => return FormOutcome::Submit,
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char(' ') if row == Row::Insecure => self.insecure = !self.insecure,
            _ => {
                if let Some(input) = self.input_mut(row) {
                    input.handle_key(key);
                }
            }
        }
        FormOutcome::Changed
    }

    pub fn paste(&mut self, text: &str) {
        let row = self.row();
        if let Some(input) = self.input_mut(row) {
            input.insert_str(text.trim());
        }
    }

    /// A field as typed, else its default.
    fn text(&self, field: usize) -> &str {
        match self.fields[field].text().trim() {
            "" => FIELDS[field].2,
            typed => typed,
        }
    }

    fn optional(&self, field: usize) -> Option<String> {
        Some(self.text(field).to_string()).filter(|t| !t.is_empty())
    }

    /// The probe these options describe, read by the core parsers the CLI's flags go through
    /// and checked by the core as the CLI's is; a mistake is one sentence for the status bar.
    pub fn request(&self, original: Decoded, now: i64) -> Result<ProbeRequest, String> {
        let set = self
            .text(SET)
            .split_whitespace()
            .map(crate::jwt::sign::parse_edit)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let options = ForgeOptions {
            secret: self.optional(SECRET).map(String::into_bytes),
            jku_url: self.optional(JKU),
            jku_redirect: self.optional(REDIRECT),
            set,
            now,
            ..Default::default()
        };
        let mut setup = ProbeSetup::new(self.text(URL), original, options, now);
        setup.target.method = self.text(METHOD).to_ascii_uppercase();
        setup.target.placement = Placement::parse(self.text(PLACEMENT))?;
        for header in self.headers.iter().map(|h| h.text().trim()) {
            if !header.is_empty() {
                let pair = crate::net::parse_header(header).map_err(|e| e.to_string())?;
                setup.target.headers.push(pair);
            }
        }
        // Text that is not a number is NaN, which the core refuses in its own words.
        let secs = self.text(TIMEOUT).parse().unwrap_or(f64::NAN);
        setup.target.timeout = probe_run::timeout(secs).map_err(|e| e.to_string())?;
        setup.jwks_out = self.optional(JWKS_OUT).map(PathBuf::from);
        setup.insecure = self.insecure;
        setup.recovered = self.recovered.clone();
        setup.check().map_err(|e| e.to_string())?;
        Ok(ProbeRequest {
            setup,
            key_file: self.optional(KEY).map(PathBuf::from),
            ca_file: self.optional(CA).map(PathBuf::from),
        })
    }

    /// One row as drawn: its label and its value, or the default it stands for, dimmed.
    fn row_line(&self, row: Row, theme: &Theme) -> Line<'static> {
        let (label, input, default) = match row {
            Row::Text(i) => (FIELDS[i].0.to_string(), &self.fields[i], FIELDS[i].2),
            Row::Header(i) => (format!("header {}", i + 1), &self.headers[i], ""),
            Row::Insecure => {
                let (text, role) = if self.insecure {
                    ("yes: certificates are not checked", Role::Warning)
                } else {
                    ("no", Role::Text)
                };
                return Line::from(vec![
                    Span::styled(format!("{:<13}", "insecure"), theme.style(Role::Accent)),
                    Span::styled(text, theme.style(role)),
                ]);
            }
        };
        let typed = input.text();
        let value = if typed.is_empty() {
            let dim = if input.can_recall() && default.is_empty() {
                "(ctrl-r recalls)"
            } else {
                default
            };
            Span::styled(dim.to_string(), theme.style(Role::Muted))
        } else if row == Row::Text(SECRET) {
            Span::styled(
                "•".repeat(typed.chars().count().min(12)),
                theme.style(Role::Text),
            )
        } else {
            Span::styled(typed.to_string(), theme.style(Role::Text))
        };
        Line::from(vec![
            Span::styled(format!("{label:<13}"), theme.style(Role::Accent)),
            value,
        ])
    }

    /// The form as a popup over `area`, and the selected field's input in `input_area`. The
    /// rows scroll so the selected one stays in sight on a small screen.
    pub fn render(&self, frame: &mut Frame, area: Rect, input_area: Rect, theme: &Theme) {
        let popup = centered(area, 94, 100);
        frame.render_widget(Clear, popup);
        let rows = self.rows();
        let mut lines: Vec<Line> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let line = self.row_line(*row, theme);
                if i == self.selected {
                    line.style(theme.style(Role::Selection))
                } else {
                    line
                }
            })
            .collect();
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
        } else {
            lines.push(Line::styled(
                "recovered    none: r recovers the key from a second token (--recover-from)",
                theme.style(Role::Muted),
            ));
        }
        lines.push(Line::styled(
            // Short enough for the popup at 80 columns.
            "Only probe what you are authorised to test: every variant is sent.",
            theme.style(Role::Muted),
        ));
        let inner_rows = popup.height.saturating_sub(2) as usize;
        let scroll = (self.selected + 1).saturating_sub(inner_rows);
        frame.render_widget(
            Paragraph::new(lines)
                .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
                .block(
                    titled("Probe options", theme)
                        .border_style(theme.style(Role::Accent))
                        .title_bottom(footer(
                            " enter probes · tab/↑↓ move · ctrl-r recalls the last probe · esc closes ",
                            popup.width,
                            theme,
                        )),
                ),
            popup,
        );
        let row = self.row();
        let (label, hint) = match row {
            Row::Text(i) => (FIELDS[i].0.to_string(), FIELDS[i].1),
            Row::Header(i) => (format!("header {}", i + 1), HEADER_HINT),
            Row::Insecure => ("insecure".to_string(), INSECURE_HINT),
        };
        let title = format!("{label}: {hint}");
        match row {
            Row::Text(i) => self.fields[i].render(frame, input_area, &title, true, theme),
            Row::Header(i) => self.headers[i].render(frame, input_area, &title, true, theme),
            Row::Insecure => frame.render_widget(
                Paragraph::new(self.row_line(row, theme))
                    .block(titled(&title, theme).border_style(theme.style(Role::Accent))),
                input_area,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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

    fn ctrl_r(form: &mut ProbeForm) {
        form.handle_key(&KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    }

    #[test]
    fn every_option_reaches_the_core_setup() {
        let mut form = ProbeForm::default();
        form.open(None, Vec::new());
        type_text(&mut form, "https://api.example/me");
        tab(&mut form, 1);
        type_text(&mut form, "post");
        tab(&mut form, 1);
        type_text(&mut form, "cookie:session");
        tab(&mut form, 1);
        type_text(&mut form, "X-Tenant: 7");
        // A filled last header opens another row under it.
        tab(&mut form, 1);
        type_text(&mut form, "Accept:application/json");
        tab(&mut form, 2);
        assert_eq!(form.row(), Row::Text(TIMEOUT));
        type_text(&mut form, "2.5");
        tab(&mut form, 1);
        type_text(&mut form, "role=admin exp=+1h");
        tab(&mut form, 1);
        type_text(&mut form, "/tmp/pub.pem");
        tab(&mut form, 1);
        type_text(&mut form, "typed");
        tab(&mut form, 1);
        type_text(&mut form, "https://me.example/jwks.json");
        // A jku URL of your own needs the file to write its JWKS to.
        let err = form.request(token(), 0).unwrap_err();
        assert!(err.contains("--jwks-out"), "{err}");
        tab(&mut form, 1);
        type_text(&mut form, "/tmp/jwks.json");
        tab(&mut form, 1);
        type_text(&mut form, "https://trusted.example/go?to=");
        tab(&mut form, 1);
        type_text(&mut form, "/tmp/ca.pem");
        tab(&mut form, 1);
        assert_eq!(form.row(), Row::Insecure);
        type_text(&mut form, " ");
        let req = form.request(token(), 1_000).unwrap();
        let s = &req.setup;
        assert_eq!(s.target.url, "https://api.example/me");
        assert_eq!(s.target.method, "POST");
        assert_eq!(s.target.placement, Placement::Cookie("session".into()));
        assert_eq!(
            s.target.headers,
            [
                ("X-Tenant".into(), "7".into()),
                ("Accept".into(), "application/json".into())
            ]
        );
        assert_eq!(s.target.timeout, Duration::from_millis(2500));
        assert_eq!(
            s.options.set,
            [
                ("role".into(), "admin".into()),
                ("exp".into(), "+1h".into())
            ]
        );
        assert_eq!(req.key_file, Some(PathBuf::from("/tmp/pub.pem")));
        assert_eq!(req.ca_file, Some(PathBuf::from("/tmp/ca.pem")));
        assert!(s.insecure);
        assert_eq!(s.options.secret.as_deref(), Some(&b"typed"[..]));
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
    fn the_form_opens_empty_with_the_defaults_and_ctrl_r_recalls_the_last_probe() {
        let mut form = ProbeForm::default();
        form.open(Some(b"cracked"), Vec::new());
        type_text(&mut form, "http://127.0.0.1:9/me");
        // Empty fields are the CLI's defaults; the known secret is not used until recalled.
        let s = form.request(token(), 0).unwrap().setup;
        assert_eq!(
            (
                s.target.method.as_str(),
                &s.target.placement,
                s.target.timeout
            ),
            ("GET", &Placement::Bearer, Duration::from_secs(10))
        );
        assert!(s.options.secret.is_none());
        tab(&mut form, 1);
        type_text(&mut form, "put");
        tab(&mut form, 12);
        type_text(&mut form, " ");
        // Opened again: nothing pre-typed, so typing never appends to an old value.
        form.open(Some(b"cracked"), Vec::new());
        assert!(form.fields.iter().all(|f| f.text().is_empty()));
        assert!(!form.insecure);
        assert!(form.request(token(), 0).unwrap_err().contains("URL"));
        ctrl_r(&mut form);
        let s = form.request(token(), 0).unwrap().setup;
        assert_eq!(s.target.url, "http://127.0.0.1:9/me");
        assert_eq!(s.target.method, "PUT");
        assert!(s.insecure);
        assert_eq!(s.options.secret.as_deref(), Some(&b"cracked"[..]));
    }

    #[test]
    fn mistakes_are_one_sentence() {
        let mut form = ProbeForm::default();
        type_text(&mut form, "not a url");
        assert!(form.request(token(), 0).unwrap_err().contains("not a URL"));
        let mut form = ProbeForm::default();
        type_text(&mut form, "http://127.0.0.1:9/");
        tab(&mut form, 4);
        assert_eq!(form.row(), Row::Text(TIMEOUT));
        type_text(&mut form, "x");
        let err = form.request(token(), 0).unwrap_err();
        assert_eq!(
            err,
            probe_run::timeout(0.0).unwrap_err().to_string(),
            "the core's sentence"
        );
        let mut form = ProbeForm::default();
        type_text(&mut form, "http://127.0.0.1:9/");
        tab(&mut form, 3);
        type_text(&mut form, "no colon");
        assert!(
            form.request(token(), 0)
                .unwrap_err()
                .contains("Name: value")
        );
    }

    /// Parity with the CLI: every flag of `apiward jwt probe` is a row of the form (its hint
    /// names the flag), or is listed here with what the tab has instead.
    #[test]
    fn every_flag_of_jwt_probe_is_in_the_form() {
        use clap::CommandFactory;
        // The token is the inspected one; r recovers keys from a second; the report is the
        // overlay, whose y copies the --json text (SARIF is for CI); the clock is the
        // workbench's.
        const ELSEWHERE: &[&str] = &["token", "recover-from", "json", "sarif", "now", "help"];
        let mut cli = crate::cli::Cli::command();
        cli.build();
        let probe = cli
            .find_subcommand("jwt")
            .and_then(|jwt| jwt.find_subcommand("probe"))
            .unwrap();
        let hints: Vec<&str> = FIELDS
            .iter()
            .map(|f| f.1)
            .chain([HEADER_HINT, INSECURE_HINT])
            .collect();
        let mut flags = 0;
        // Global options (--workspace, --theme) are the workbench's own.
        let own = probe.get_arguments().filter(|a| !a.is_global_set());
        for long in own.filter_map(|a| a.get_long()) {
            if ELSEWHERE.contains(&long) {
                continue;
            }
            flags += 1;
            let named = format!("(--{long})");
            assert!(
                hints.iter().any(|h| h.contains(&named)),
                "jwt probe --{long} has no row in the JWT tab's probe form"
            );
        }
        assert!(flags >= 13, "{flags}");
    }
}
