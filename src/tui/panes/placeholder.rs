//! The stand-in for a tool whose issue has not landed yet: two lines on what it will hold.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

use crate::tui::tabs::Tab;
use crate::tui::theme::{Role, Theme};

/// What each tool will hold, in two lines.
pub fn promise(tab: Tab) -> [&'static str; 2] {
    match tab {
        Tab::Request => [
            "Compose, send and inspect HTTP requests, with environments, auth, history and .http collections.",
            "Every response is checked for security problems: leaked tokens, missing headers, weak cookies.",
        ],
        Tab::Jwt => [
            "Decode, verify and lint JSON Web Tokens, and forge attack variants to probe an endpoint with.",
            "Crack weak HMAC secrets on every core, with progress in the Tasks tab.",
        ],
        Tab::Audit => [
            "Grade an endpoint's security headers, CORS, cookies, redirects and TLS setup in under a second.",
            "Every finding says what is wrong, why it matters and how to fix it.",
        ],
        Tab::Keys => [
            "Generate signing keys and API keys, keep them in an encrypted keyring and publish the JWKS.",
            "Walk through a key rotation that is safe for verifiers and for tokens still in flight.",
        ],
        Tab::Learn => [
            "Lessons on API security, hands-on against a deliberately vulnerable practice API on loopback.",
            "Each lesson checks your work and ticks off when the exploit or the fix is seen.",
        ],
        Tab::Tasks => ["", ""],
    }
}

pub fn render(frame: &mut Frame, area: Rect, tab: Tab, theme: &Theme) {
    let [first, second] = promise(tab);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.style(Role::Border))
        .title(Line::styled(
            format!(" {} ", tab.title()),
            theme.style(Role::Accent),
        ))
        .padding(Padding::new(2, 2, 1, 0))
        .style(theme.base());
    let text = vec![
        Line::styled(first, theme.style(Role::Text)),
        Line::styled(second, theme.style(Role::Muted)),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
