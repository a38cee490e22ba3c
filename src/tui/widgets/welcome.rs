//! The welcome screen of the first run: what apiward is, where the lab is, and a 60-second
//! tour of the tabs. Enter goes to the lessons, Esc closes it; `w` on the Learn tab opens it
//! again.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{centered, titled};
use crate::tui::panes::learn::LabState;
use crate::tui::theme::{Role, Theme};

/// One line per tab: its number, name and what to try first.
const TOUR: &[(&str, &str, &str)] = &[
    (
        "1",
        "Request",
        "Sample requests against the lab: pick 'login', Ctrl-S sends; > shows the findings.",
    ),
    (
        "2",
        "JWT",
        "p pastes a token to decode and lint; f forges attacks, P probes a URL, c cracks the secret.",
    ),
    (
        "3",
        "Audit",
        "e enters a URL to audit: headers, CORS, cookies, redirects, TLS, and a grade.",
    ),
    (
        "4",
        "Keys",
        "An encrypted keyring: generate signing keys, rotate them safely, publish JWKS.",
    ),
    (
        "5",
        "Tasks",
        "Long work runs here with progress and rates; x cancels.",
    ),
    (
        "6",
        "Learn",
        "27 lessons in three groups; each ticks off by itself when the lab sees your exploit.",
    ),
    (
        "7",
        "Matrix",
        "r sends every request as every identity: who can read or change whose data.",
    ),
];

pub fn render(frame: &mut Frame, area: Rect, lab: &LabState, theme: &Theme) {
    let text = theme.style(Role::Text);
    let muted = theme.style(Role::Muted);
    let accent = theme.style(Role::Accent).add_modifier(Modifier::BOLD);
    let mut lines = vec![
        Line::styled(
            "A terminal workbench for API security: requests, JWTs, header and TLS audits, key rotation.",
            text,
        ),
        Line::default(),
        match lab {
            LabState::Running(urls) => Line::from(vec![
                Span::styled("Practice lab  ", theme.style(Role::Success)),
                Span::styled(format!("{}   {}", urls.http, urls.https), text),
            ]),
            LabState::Starting => Line::styled("Practice lab  starting on loopback…", muted),
            LabState::Failed(e) => Line::styled(
                format!("Practice lab  did not start: {e}"),
                theme.style(Role::Error),
            ),
            LabState::Off => Line::styled("Practice lab  off (--no-lab)", muted),
        },
        Line::styled(
            "A deliberately vulnerable API on 127.0.0.1, yours to attack. Its sample requests are in the Request tab.",
            muted,
        ),
        Line::default(),
        Line::styled("The tour, in 60 seconds", accent),
    ];
    for (key, tab, what) in TOUR {
        lines.push(Line::from(vec![
            Span::styled(format!(" {key} "), theme.style(Role::Selection)),
            Span::styled(format!(" {tab:<8}"), accent),
            Span::styled(*what, text),
        ]));
    }
    lines.extend([
        Line::default(),
        Line::styled(
            "Keys: digits or Tab switch tabs, ? lists every key, q quits. Only test what you are allowed to test.",
            muted,
        ),
        Line::default(),
        Line::from(vec![
            Span::styled("Enter", accent),
            Span::styled(" starts lesson 1    ", text),
            Span::styled("Esc", accent),
            Span::styled(" closes this", text),
        ]),
    ]);
    // As tall as the text (plus room to wrap on narrow screens), centred; nearly the whole
    // width on a narrow screen, where every column saves a wrapped line.
    let share = if area.width < 100 { 98 } else { 86 };
    let width = area.width.saturating_mul(share) / 100;
    let height = (lines.len() as u16 + 4 + 100u16.saturating_sub(width) / 3).min(area.height);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(centered(area, share, 100));
    frame.render_widget(Clear, area);
    // The two keys stay on the border, seen even where the text is cut at the bottom.
    let keys = super::footer("Enter starts lesson 1 · Esc closes this", area.width, theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("Welcome to apiward", theme).title_bottom(keys))
            .wrap(Wrap { trim: true }),
        area,
    );
}
