//! Drawing the JWT tab. Pure: state and theme in, cells out.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use serde_json::Value;

use super::{Focus, JwtPane, Overlay};
use crate::findings::Finding;
use crate::jwt::probe::VariantVerdict;
use crate::jwt::{self, TokenKind};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{centered, findings, footer, json, titled};

const HINT: &str = " e edit · p paste · v verify · c crack · f forge · P probe · E claims · S to Request · y copy ";
/// The hint over a token whose signature gives its public key away (RS*, ES*).
const HINT_RECOVER: &str = " e edit · p paste · v verify · r recover key · f forge · P probe · E claims · S to Request · y copy ";

impl JwtPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let token_lines = self.token_height(area.width);
        // A prompt takes one line; the verdict wraps onto up to three, so the key check at
        // its end ("keyring key k1 is revoked: …") is never cut off.
        let verify_lines = match self.focus {
            Focus::None => self.verify_height(area.width, theme),
            _ => 1,
        };
        let [token_area, middle, verify_area] = Layout::vertical([
            Constraint::Length(token_lines + 2),
            Constraint::Fill(1),
            Constraint::Length(verify_lines + 2),
        ])
        .areas(area);
        if self.focus == Focus::Token {
            self.token.render(
                frame,
                token_area,
                "Token: type or paste, enter inspects, esc cancels",
                true,
                theme,
            );
        } else {
            self.render_token(frame, token_area, theme);
        }
        match &self.decoded {
            Some(_) => self.render_details(frame, middle, theme),
            None => render_welcome(frame, middle, theme),
        }
        match self.focus {
            Focus::Key => self.key.render(
                frame,
                verify_area,
                "Verify with: HMAC secret, PEM public key or certificate, JWK, JWKS or its URL (enter)",
                true,
                theme,
            ),
            Focus::Claims => self.claims.render(
                frame,
                verify_area,
                "Edit claims: k=v … such as role=admin exp=+1h (enter re-signs)",
                true,
                theme,
            ),
            // The form has more rows than the middle holds on a small screen: it takes the
            // token's rows too.
            Focus::Probe => {
                self.probe_form
                    .render(frame, token_area.union(middle), verify_area, theme)
            }
            Focus::Second => self.recovery.second.render(
                frame,
                verify_area,
                "Recover the key: a second token signed by the same key (ES*: may stay empty), enter recovers",
                true,
                theme,
            ),
            Focus::Wordlist => self.wordlist.render(
                frame,
                verify_area,
                "Crack: wordlist file, one guess per line (empty: the built-in weak secrets only; enter starts)",
                true,
                theme,
            ),
            _ => self.render_verify(frame, verify_area, theme),
        }
        match &self.overlay {
            Overlay::None => {}
            Overlay::Detail => self.render_detail(frame, middle, theme),
            Overlay::Forge(selected) => self.render_forge(frame, middle, *selected, theme),
            Overlay::ConfirmProbe(url) => render_confirm(frame, middle, url, theme),
            Overlay::Probe => self.render_probe(frame, middle, theme),
            Overlay::Recovered => self.render_recovered(frame, middle, theme),
        }
    }

    fn token_height(&self, width: u16) -> u16 {
        let inner = width.saturating_sub(2).max(1) as usize;
        let len = self.decoded.as_ref().map_or(0, |d| d.raw.chars().count());
        len.div_ceil(inner).clamp(1, 4) as u16
    }

    fn render_token(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let recoverable = self.decoded.as_ref().is_some_and(|d| {
            d.alg
                .as_deref()
                .is_some_and(|a| a.starts_with("RS") || a.starts_with("ES"))
        });
        let hint = if recoverable { HINT_RECOVER } else { HINT };
        // Fitted by dropping the last hints, never by cutting letters off, as every pane's.
        let block = titled("JWT token", theme).title_bottom(footer(hint, area.width, theme));
        let line = match (&self.decoded, &self.error) {
            (Some(d), _) => {
                // The segments in three colours, as jwt.io shows them.
                let roles = [
                    Role::Error,
                    Role::Warning,
                    Role::Accent,
                    Role::Success,
                    Role::Info,
                ];
                let mut spans = Vec::new();
                for (i, part) in d.raw.split('.').enumerate() {
                    if i > 0 {
                        spans.push(Span::styled(".", theme.style(Role::Muted)));
                    }
                    spans.push(Span::styled(part.to_string(), theme.style(roles[i.min(4)])));
                }
                Line::from(spans)
            }
            (None, Some(err)) => {
                Line::styled(format!("Not a token: {err}"), theme.style(Role::Error))
            }
            (None, None) => Line::styled(
                "Paste a token here (bracketed paste), press e to type one, or p to paste from the clipboard.",
                theme.style(Role::Muted),
            ),
        };
        frame.render_widget(
            Paragraph::new(line).block(block).wrap(Wrap { trim: false }),
            area,
        );
    }

    fn render_details(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(decoded) = &self.decoded else { return };
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)])
                .areas(area);
        let header = json::lines(&Value::Object(decoded.header.clone()), theme);
        let [header_area, payload_area] = Layout::vertical([
            Constraint::Length(rows(header.len()).min(left.height / 2)),
            Constraint::Fill(1),
        ])
        .areas(left);
        let kind = match decoded.kind {
            TokenKind::Jws => "Header",
            TokenKind::Unsecured => "Header (alg none: unsecured)",
            TokenKind::Jwe => "Protected header (JWE: encrypted)",
        };
        frame.render_widget(
            Paragraph::new(header).block(titled(kind, theme)),
            header_area,
        );
        let payload = match &decoded.payload {
            Some(Value::String(text)) => vec![Line::styled(text.clone(), theme.style(Role::Text))],
            Some(value) => json::lines(value, theme),
            None => vec![Line::styled("(encrypted)", theme.style(Role::Muted))],
        };
        frame.render_widget(
            Paragraph::new(payload)
                .block(titled("Payload", theme))
                .wrap(Wrap { trim: false }),
            payload_area,
        );

        let claims = decoded
            .claims()
            .map(|c| jwt::describe_claims(c, self.now))
            .unwrap_or_default();
        let [claims_area, findings_area] = Layout::vertical([
            Constraint::Length(rows(claims.len()).max(3).min(right.height / 2)),
            Constraint::Fill(1),
        ])
        .areas(right);
        let claim_lines: Vec<Line> = claims
            .iter()
            .map(|c| {
                let value = match (&c.date, &c.relative) {
                    (Some(date), Some(rel)) => format!("{date} · {rel}"),
                    _ => serde_json::to_string(&c.value).unwrap_or_default(),
                };
                let mut spans = vec![
                    Span::styled(format!("{:<6}", c.name), theme.style(Role::Accent)),
                    Span::styled(value, theme.style(Role::Text)),
                ];
                if !c.meaning.is_empty() {
                    let short = c.meaning.split(':').next().unwrap_or_default();
                    spans.push(Span::styled(
                        format!("  ({short})"),
                        theme.style(Role::Muted),
                    ));
                }
                Line::from(spans)
            })
            .collect();
        frame.render_widget(
            Paragraph::new(claim_lines).block(titled("Claims", theme)),
            claims_area,
        );
        self.render_findings(frame, findings_area, theme);
    }

    fn render_findings(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = format!(
            "Findings ({}) · ↑↓ select · enter details",
            self.findings.len()
        );
        let block = titled(&title, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.findings.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled("No findings.", theme.style(Role::Success))),
                inner,
            );
            return;
        }
        let all: Vec<&Finding> = self.findings.iter().collect();
        let lines = findings::list_lines(&all, self.selected, inner.height as usize, theme);
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The rows the verdict wraps onto at `width`, one to three; a row more than its length
    /// asks, since wrapping at words leaves the ends of rows short.
    fn verify_height(&self, width: u16, theme: &Theme) -> u16 {
        let inner = width.saturating_sub(2).max(1) as usize;
        match self.verify_line(theme).width() {
            w if w <= inner => 1,
            w => (w.div_ceil(inner) + 1).min(3) as u16,
        }
    }

    fn render_verify(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        frame.render_widget(
            Paragraph::new(self.verify_line(theme))
                .block(titled("Verify", theme))
                .wrap(Wrap { trim: false }),
            area,
        );
    }

    /// The verdict, and the notes of a crack or key recovery after it.
    fn verify_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = Vec::new();
        match &self.verification {
            None => spans.push(Span::styled(
                "not verified: press v and enter a secret or key",
                theme.style(Role::Muted),
            )),
            Some(Err(e)) => spans.push(Span::styled(format!("✗ {e}"), theme.style(Role::Error))),
            Some(Ok(v)) => {
                let (mark, role) = if v.is_valid() {
                    ("✓ valid", Role::Success)
                } else {
                    ("✗ invalid", Role::Error)
                };
                spans.push(Span::styled(format!("{mark} "), theme.style(role)));
                let sig = if v.signature_valid {
                    "signature ok"
                } else {
                    "bad signature"
                };
                spans.push(Span::styled(
                    format!("({}, {sig}", v.alg),
                    theme.style(Role::Text),
                ));
                for check in &v.checks {
                    let role = if check.ok { Role::Muted } else { Role::Error };
                    spans.push(Span::styled(
                        format!(", {}: {}", check.name, check.detail),
                        theme.style(role),
                    ));
                }
                spans.push(Span::styled(")", theme.style(Role::Text)));
            }
        }
        if let Some(note) = &self.crack_note {
            spans.push(Span::styled("  │ crack: ", theme.style(Role::Border)));
            spans.push(Span::styled(note.clone(), theme.style(Role::Accent)));
        }
        if let Some(note) = &self.recovery.note {
            spans.push(Span::styled("  │ key: ", theme.style(Role::Border)));
            spans.push(Span::styled(note.clone(), theme.style(Role::Accent)));
        }
        Line::from(spans)
    }

    fn render_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(f) = self.findings.get(self.selected) {
            findings::render_detail(frame, area, f, theme);
        }
    }

    fn render_probe(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(report) = &self.probe else { return };
        let popup = centered(area, 96, 96);
        frame.render_widget(Clear, popup);
        let mut lines = vec![
            Line::styled(
                format!("original token  {}", report.original.summary()),
                theme.style(Role::Text),
            ),
            Line::styled(
                format!("no token        {}", report.no_token.summary()),
                theme.style(Role::Text),
            ),
        ];
        if let Some(why) = report.verdict().inconclusive() {
            lines.push(Line::styled(
                format!("Inconclusive: {}.", why.reason()),
                theme.style(Role::Warning),
            ));
        }
        if let Some(jku) = &report.jku {
            lines.push(Line::styled(
                format!("jku             {}", jku.summary()),
                theme.style(Role::Text),
            ));
        }
        lines.push(Line::default());
        for v in &report.variants {
            let (verdict, role) = match v.verdict {
                VariantVerdict::Accepted => ("ACCEPTED", Role::Critical),
                VariantVerdict::Inconclusive => ("inconclusive", Role::Warning),
                VariantVerdict::Rejected => ("rejected", Role::Muted),
                VariantVerdict::Expected => ("expected", Role::Muted),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{:<25}", v.attack), theme.style(Role::Accent)),
                Span::styled(format!("{verdict:<13}"), theme.style(role)),
                Span::styled(v.answer.summary(), theme.style(Role::Text)),
            ]));
            // Variants of one attack (the recovered keys' encodings and HMAC sizes) are told
            // apart by their explanation: which one got in.
            let shared = report
                .variants
                .iter()
                .filter(|o| o.attack == v.attack)
                .count()
                > 1;
            if v.verdict == VariantVerdict::Accepted && shared {
                lines.push(Line::styled(
                    format!("  ↳ {}", v.explanation),
                    theme.style(Role::Muted),
                ));
            }
        }
        // What was not sent is said, so "rejected" above never covers an untried attack.
        for s in &report.skipped {
            lines.push(Line::from(vec![
                Span::styled(format!("{:<25}", s.attack), theme.style(Role::Accent)),
                Span::styled(format!("{:<13}", "not sent"), theme.style(Role::Warning)),
                Span::styled(format!("needs {}", s.needs), theme.style(Role::Muted)),
            ]));
        }
        // What each accepted class means, in one line apiece; the CLI prints the full why.
        let findings = report.findings();
        if !findings.is_empty() {
            lines.push(Line::default());
        }
        for f in &findings {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:<9}", f.severity.as_str()),
                    theme.style(Role::Critical),
                ),
                Span::styled(format!("{} · {}", f.title, f.fix), theme.style(Role::Text)),
            ]));
        }
        // The URL on top, the keys at the bottom, fitted by dropping rather than cut off.
        let title = format!("Probe {}", report.url);
        let keys = footer(
            " ↑↓ scroll · y copies JSON · esc closes ",
            popup.width,
            theme,
        );
        frame.render_widget(
            Paragraph::new(lines)
                .block(
                    titled(&title, theme)
                        .border_style(theme.style(Role::Accent))
                        .title_bottom(keys),
                )
                .wrap(Wrap { trim: false })
                .scroll((self.probe_scroll, 0)),
            popup,
        );
    }

    fn render_forge(&self, frame: &mut Frame, area: Rect, selected: usize, theme: &Theme) {
        let popup = centered(area, 96, 96);
        frame.render_widget(Clear, popup);
        let block = titled(
            "Forge · for authorised testing only · y copy · enter inspect · esc close",
            theme,
        )
        .border_style(theme.style(Role::Accent));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        if self.variants.is_empty() {
            frame.render_widget(
                Paragraph::new("No variants can be made from this token."),
                inner,
            );
            return;
        }
        let list_height = (self.variants.len() as u16).min(inner.height / 2);
        let [list, _, detail] = Layout::vertical([
            Constraint::Length(list_height),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let first = (selected + 1).saturating_sub(list.height as usize);
        let lines: Vec<Line> = self
            .variants
            .iter()
            .enumerate()
            .skip(first)
            .take(list.height as usize)
            .map(|(i, v)| {
                let line = Line::from(vec![
                    Span::styled(format!("{:<25}", v.attack), theme.style(Role::Accent)),
                    Span::styled(v.explanation.clone(), theme.style(Role::Text)),
                ]);
                if i == selected {
                    line.style(theme.style(Role::Selection))
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
        if let Some(v) = self.variants.get(selected) {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(v.explanation.clone(), theme.style(Role::Text)),
                    Line::default(),
                    Line::styled(v.token.clone(), theme.style(Role::Warning)),
                ])
                .wrap(Wrap { trim: false }),
                detail,
            );
        }
    }
}

fn render_confirm(frame: &mut Frame, area: Rect, url: &str, theme: &Theme) {
    let popup = centered(area, 70, 40);
    frame.render_widget(Clear, popup);
    let lines = vec![
        Line::styled(format!("Probe {url}?"), theme.style(Role::Warning)),
        Line::default(),
        Line::styled(
            "This host is not on this machine. The probe sends the token and every",
            theme.style(Role::Text),
        ),
        Line::styled(
            "forged variant to it. Only test what you are authorised to test.",
            theme.style(Role::Text),
        ),
        Line::default(),
        Line::styled(
            "enter probes · any other key cancels",
            theme.style(Role::Muted),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("Confirm probe", theme).border_style(theme.style(Role::Warning)))
            .wrap(Wrap { trim: true }),
        popup,
    );
}

fn render_welcome(frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = vec![
        Line::styled("Inspect a JSON Web Token.", theme.style(Role::Text)),
        Line::default(),
        Line::styled(
            "Paste a token (or a whole Authorization header) and apiward decodes it without",
            theme.style(Role::Muted),
        ),
        Line::styled(
            "verifying, explains its claims, and lists what is wrong with it and how to fix it.",
            theme.style(Role::Muted),
        ),
        Line::styled(
            "Then verify it with a key, crack a weak HMAC secret, edit claims and re-sign, or",
            theme.style(Role::Muted),
        ),
        Line::styled(
            "forge attack variants to test an endpoint you are authorised to test.",
            theme.style(Role::Muted),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("JWT", theme))
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The height of a bordered box around `lines` lines, saturating: a token may hold more
/// claims than a `u16` counts.
fn rows(lines: usize) -> u16 {
    u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2)
}
