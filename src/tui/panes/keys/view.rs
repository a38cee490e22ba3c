//! Drawing the Keys tab: the locked screen, the key table, the timeline, the plan, the API
//! keys, and the prompts and popups over them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::timeline::{self, state_role};
use super::{KeysPane, Popup, Prompt};
use crate::jwt::{format_utc, humanize_secs};
use crate::keys::{self, KeyState, Keyring, StepKind};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::titled;

const HINT: &str =
    " g generate · R rotate · + promote · - retire · X revoke · s sign · a API keys ";
const API_HINT: &str = " n issue · X revoke · y copy id · a signing keys ";

/// `2026-01-01 00:50`: a time short enough for a table.
fn short(t: i64) -> String {
    format_utc(t)[..16].to_string()
}

/// "in 50 min" or "3 days ago".
fn relative(t: i64, now: i64) -> String {
    let d = humanize_secs(t - now);
    if t >= now {
        format!("in {d}")
    } else {
        format!("{d} ago")
    }
}

/// A rectangle of `width` × `height` centred in `area`.
fn centered_fixed(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

impl KeysPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match self.ring() {
            None => self.render_locked(frame, area, theme),
            Some(ring) if self.api_view => self.render_api(frame, area, ring, theme),
            Some(ring) => self.render_ring(frame, area, ring, theme),
        }
        if let Some(prompt) = self.prompt {
            self.render_prompt(frame, area, prompt, theme);
        }
        match &self.popup {
            Popup::None => {}
            Popup::Force { message, .. } => render_force(frame, area, message, theme),
            Popup::Issued { key, id } => render_issued(frame, area, key, id, theme),
        }
    }

    fn render_locked(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let path = self.path.as_ref().map_or_else(
            || "keyring.age in the workspace folder".to_string(),
            |p| p.display().to_string(),
        );
        let policy = keys::Policy::default();
        let mut lines = vec![
            Line::styled("No keyring open", theme.style(Role::Accent)),
            Line::default(),
            Line::styled(format!("Keyring: {path}"), theme.style(Role::Text)),
            Line::default(),
            Line::from(vec![
                Span::styled("o ", theme.style(Role::Accent)),
                Span::styled(
                    "opens it: you are asked for its passphrase.",
                    theme.style(Role::Text),
                ),
            ]),
            Line::from(vec![
                Span::styled("n ", theme.style(Role::Accent)),
                Span::styled(
                    format!(
                        "creates one with the default policy: rotate every {}, tokens live up \
                         to {}, verifiers cache the JWKS {}, clock skew {}.",
                        humanize_secs(policy.rotation_period),
                        humanize_secs(policy.max_token_lifetime),
                        humanize_secs(policy.jwks_cache_ttl),
                        humanize_secs(policy.clock_skew),
                    ),
                    theme.style(Role::Text),
                ),
            ]),
            Line::default(),
            Line::styled(
                "The keyring is encrypted with age (scrypt). The passphrase is kept in memory \
                 only while the keyring is open; L closes it.",
                theme.style(Role::Muted),
            ),
        ];
        if let Some(busy) = &self.busy {
            lines.push(Line::default());
            lines.push(Line::styled(busy.clone(), theme.style(Role::Accent)));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(titled("Keys", theme))
                .wrap(Wrap { trim: true }),
            area,
        );
    }

    fn title(&self, what: &str) -> String {
        let open = self.open_ring();
        let has_file = open.is_some_and(|o| o.file.is_some());
        let mut title = format!(
            "{what} · {}",
            self.path
                .as_ref()
                .filter(|_| has_file)
                .map_or_else(|| "in memory".to_string(), |p| p.display().to_string())
        );
        match open.map(|o| o.save) {
            Some(super::SaveState::Saving { .. }) => title.push_str(" · saving…"),
            Some(super::SaveState::Unsaved) if has_file => title.push_str(" · not saved"),
            _ => {}
        }
        if let Some(busy) = &self.busy {
            title.push_str(&format!(" · {busy}"));
        }
        title
    }

    fn render_ring(&self, frame: &mut Frame, area: Rect, ring: &Keyring, theme: &Theme) {
        let n = ring.keys.len() as u16;
        let [table, line, plan] = Layout::vertical([
            Constraint::Length(n.max(1) + 3),
            Constraint::Length(n + 6),
            Constraint::Min(3),
        ])
        .areas(area);
        self.render_table(frame, table, ring, theme);
        let summary = keys::plan(ring, self.now);
        let block = titled("Rotation timeline", theme);
        let inner = block.inner(line);
        frame.render_widget(block, line);
        frame.render_widget(
            Paragraph::new(timeline::lines(
                ring,
                &summary,
                self.now,
                inner.width,
                theme,
            )),
            inner,
        );
        render_plan(frame, plan, ring, &summary, self.now, theme);
    }

    fn render_table(&self, frame: &mut Frame, area: Rect, ring: &Keyring, theme: &Theme) {
        let block = titled(&self.title("Signing keys"), theme)
            .title_bottom(crate::tui::widgets::footer(HINT, area.width, theme));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let rows = keys::summaries(ring, self.now);
        if rows.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    "No keys yet: g generates one (it is published as the next key).",
                    theme.style(Role::Muted),
                )),
                inner,
            );
            return;
        }
        let width = inner.width as usize;
        let fixed = 7 + 10 + 10;
        let kid_max = rows
            .iter()
            .map(|r| r.kid.chars().count())
            .max()
            .unwrap_or(3);
        let kid_w = kid_max
            .clamp(3, 24)
            .min(width.saturating_sub(fixed + 24).max(8));
        let wide = width >= kid_w + fixed + 40;
        let mut lines = vec![Line::styled(
            format!(
                "{:<kid_w$} {:<6} {:<9} {:<9} next",
                "kid", "alg", "state", "age"
            ),
            theme.style(Role::Muted),
        )];
        let height = inner.height.saturating_sub(1) as usize;
        let first = (self.selected + 1).saturating_sub(height.max(1));
        for (i, row) in rows.iter().enumerate().skip(first).take(height) {
            let kid: String = if row.kid.chars().count() > kid_w {
                let mut s: String = row.kid.chars().take(kid_w - 1).collect();
                s.push('…');
                s
            } else {
                row.kid.clone()
            };
            let (next, role) = match (row.state, row.next_action) {
                (KeyState::Revoked, _) => (
                    format!("revoked: {}", row.revoke_reason.clone().unwrap_or_default()),
                    Role::Error,
                ),
                (_, Some((kind, at))) => {
                    let word = match (row.state, kind) {
                        (KeyState::Active, _) => "rotate",
                        (_, StepKind::Promote) => "promote",
                        (_, StepKind::Remove) => "remove",
                        (_, StepKind::PublishNext) => "publish",
                    };
                    let mut text = format!("{word:<7} {}", short(at));
                    if wide {
                        text.push_str(&format!(" ({})", relative(at, self.now)));
                    }
                    (
                        text,
                        if at <= self.now {
                            Role::Warning
                        } else {
                            Role::Text
                        },
                    )
                }
                (_, None) => ("—".to_string(), Role::Muted),
            };
            let line = Line::from(vec![
                Span::styled(format!("{kid:<kid_w$} "), theme.style(Role::Text)),
                Span::styled(format!("{:<6} ", row.alg), theme.style(Role::Text)),
                Span::styled(
                    format!("{:<9} ", row.state.as_str()),
                    theme.style(state_role(row.state)),
                ),
                Span::styled(
                    format!("{:<9} ", humanize_secs(row.age_secs)),
                    theme.style(Role::Muted),
                ),
                Span::styled(next, theme.style(role)),
            ]);
            lines.push(if i == self.selected {
                line.style(theme.style(Role::Selection))
            } else {
                line
            });
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn render_api(&self, frame: &mut Frame, area: Rect, ring: &Keyring, theme: &Theme) {
        let block = titled(&self.title("API keys"), theme)
            .title_bottom(crate::tui::widgets::footer(API_HINT, area.width, theme));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if ring.api_keys.is_empty() {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled("No API keys yet: n issues one.", theme.style(Role::Muted)),
                    Line::styled(
                        "The key is shown once; the keyring keeps only its SHA-256.",
                        theme.style(Role::Muted),
                    ),
                ]),
                inner,
            );
            return;
        }
        let mut lines = vec![Line::styled(
            format!(
                "{:<9} {:<10} {:<6} {:<8} {:<17} scopes",
                "id", "prefix", "last4", "status", "created"
            ),
            theme.style(Role::Muted),
        )];
        let height = inner.height.saturating_sub(1) as usize;
        let first = (self.api_selected + 1).saturating_sub(height.max(1));
        for (i, r) in ring.api_keys.iter().enumerate().skip(first).take(height) {
            let status = r.status(self.now);
            let role = match status {
                "valid" => Role::Success,
                "revoked" => Role::Error,
                _ => Role::Warning,
            };
            let line = Line::from(vec![
                Span::styled(format!("{:<9} ", r.id), theme.style(Role::Accent)),
                Span::styled(format!("{:<10} ", r.prefix), theme.style(Role::Text)),
                Span::styled(format!("…{:<5} ", r.last4), theme.style(Role::Text)),
                Span::styled(format!("{status:<8} "), theme.style(role)),
                Span::styled(
                    format!("{:<17} ", short(r.created_at)),
                    theme.style(Role::Muted),
                ),
                Span::styled(r.scopes.join(" "), theme.style(Role::Text)),
            ]);
            lines.push(if i == self.api_selected {
                line.style(theme.style(Role::Selection))
            } else {
                line
            });
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn render_prompt(&self, frame: &mut Frame, area: Rect, prompt: Prompt, theme: &Theme) {
        let width = 70.min(area.width.saturating_sub(2));
        let rect = centered_fixed(area, width, 4);
        frame.render_widget(Clear, rect);
        let [input, hint] =
            Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(rect);
        let (title, help) = match prompt {
            Prompt::Passphrase => ("Keyring passphrase", "enter opens · esc cancels"),
            Prompt::NewPassphrase => ("New keyring passphrase", "enter · esc cancels"),
            Prompt::RepeatPassphrase => ("Repeat the passphrase", "enter creates · esc cancels"),
            Prompt::RevokeReason => ("Why is it revoked? (recorded)", "enter revokes · esc"),
            Prompt::ApiKey => (
                "API key: prefix and scopes, e.g. acme read:users",
                "enter issues · esc",
            ),
            Prompt::Alg => (
                "Generate a key",
                "←→ choose · enter generates · esc cancels",
            ),
        };
        match prompt {
            Prompt::Alg => {
                let alg = keys::material::ALGS[self.alg];
                let note = if alg.starts_with("RS") || alg.starts_with("PS") {
                    "  2048-bit RSA: a few seconds, as a task"
                } else if alg.starts_with("HS") {
                    "  HMAC: never published in the JWKS"
                } else {
                    ""
                };
                let block = titled(title, theme).border_style(theme.style(Role::Accent));
                frame.render_widget(
                    Paragraph::new(Line::from(vec![
                        Span::styled("◂ ", theme.style(Role::Muted)),
                        Span::styled(alg, theme.style(Role::Accent)),
                        Span::styled(" ▸", theme.style(Role::Muted)),
                        Span::styled(note, theme.style(Role::Muted)),
                    ]))
                    .block(block),
                    input,
                );
            }
            Prompt::Passphrase | Prompt::NewPassphrase | Prompt::RepeatPassphrase => {
                self.secret.render(frame, input, title, true, theme)
            }
            Prompt::RevokeReason => self.reason.render(frame, input, title, true, theme),
            _ => self.input.render(frame, input, title, true, theme),
        }
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {help}"), theme.style(Role::Muted)))
                .style(theme.base()),
            hint,
        );
    }
}

fn render_plan(
    frame: &mut Frame,
    area: Rect,
    ring: &Keyring,
    plan: &keys::Plan,
    now: i64,
    theme: &Theme,
) {
    let p = &ring.policy;
    let title = format!(
        "Plan · rotate every {} · tokens ≤ {} · JWKS cache {} · skew {}",
        humanize_secs(p.rotation_period),
        humanize_secs(p.max_token_lifetime),
        humanize_secs(p.jwks_cache_ttl),
        humanize_secs(p.clock_skew)
    );
    let mut lines = Vec::new();
    for o in &plan.overdue {
        lines.push(Line::styled(
            format!("overdue since {}: {} ({})", short(o.since), o.what, o.kid),
            theme.style(Role::Error),
        ));
    }
    for (i, step) in plan.steps.iter().enumerate() {
        let kid = step.kid.as_deref().unwrap_or("a new key");
        let safe = timeline::safe_point(step);
        let (mark, role) = if step.is_ready(now) {
            ("ready", Role::Success)
        } else if step.is_safe(now) {
            ("safe ", Role::Text)
        } else {
            ("wait ", Role::Warning)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", i + 1), theme.style(Role::Accent)),
            Span::styled(format!("{mark} "), theme.style(role)),
            Span::styled(
                format!("{} {kid} ({})", step.kind.as_str(), step.alg),
                theme.style(Role::Text),
            ),
            Span::styled(
                format!(
                    " · due {} · safe {} ({})",
                    short(step.due_at),
                    short(safe),
                    relative(safe, now)
                ),
                theme.style(Role::Muted),
            ),
        ]));
    }
    if let Some(step) = plan.steps.iter().find(|s| !s.is_safe(now)) {
        lines.push(Line::styled(
            format!("Why wait: {}", step.why),
            theme.style(Role::Muted),
        ));
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            "Nothing planned: g generates a key.",
            theme.style(Role::Muted),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled(&title, theme))
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn render_force(frame: &mut Frame, area: Rect, message: &str, theme: &Theme) {
    let popup = crate::tui::widgets::centered(area, 80, 60);
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = message
        .lines()
        .map(|l| Line::styled(l.to_string(), theme.style(Role::Text)))
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(
        "Forcing it may make verifiers reject valid tokens, or accept tokens of a key that \
         should be gone.",
        theme.style(Role::Warning),
    ));
    lines.push(Line::default());
    lines.push(Line::styled(
        "f forces it anyway · any other key cancels",
        theme.style(Role::Muted),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("Not safe yet", theme).border_style(theme.style(Role::Warning)))
            .wrap(Wrap { trim: true }),
        popup,
    );
}

fn render_issued(frame: &mut Frame, area: Rect, key: &str, id: &str, theme: &Theme) {
    let popup = crate::tui::widgets::centered(area, 80, 50);
    frame.render_widget(Clear, popup);
    let lines = vec![
        Line::styled(format!("API key {id}"), theme.style(Role::Muted)),
        Line::default(),
        Line::styled(key.to_string(), theme.style(Role::Accent)),
        Line::default(),
        Line::styled(
            "Copy it now: it is not shown again. The keyring keeps only its SHA-256.",
            theme.style(Role::Warning),
        ),
        Line::default(),
        Line::styled("y copies · any other key closes", theme.style(Role::Muted)),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("New API key", theme).border_style(theme.style(Role::Accent)))
            .wrap(Wrap { trim: false }),
        popup,
    );
}
