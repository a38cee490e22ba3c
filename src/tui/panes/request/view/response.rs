//! Drawing the response: status line, the view tabs, the open view, and a body prompt over
//! its bottom. The body view itself is drawn by `body.rs`, only its visible window.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::response::{Shown, View};
use super::super::{Focus, RequestPane, SendNote};
use crate::http::{Response, Timings};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::findings;

const HINT: &str = " < > views · w wrap · J inspect token · A audit URL ";
/// The hint while the body has the focus: what can be done with it.
const BODY_HINT: &str = " / search · f jq · b raw/hex · s save · y copy · < > views ";

pub fn render(pane: &RequestPane, frame: &mut Frame, area: Rect, theme: &Theme) {
    let title = match &pane.response.shown {
        Some(s) => {
            let r = &s.exchange.response;
            format!(
                "Response · {} {} · {} · {}",
                r.status,
                r.reason,
                r.version,
                size_text(r.body.len(), r.truncated)
            )
        }
        None => "Response".to_string(),
    };
    let on_body = pane.focus == Focus::Response
        && pane
            .response
            .shown
            .as_ref()
            .is_some_and(|s| s.view == View::Body);
    let hint = if on_body { BODY_HINT } else { HINT };
    let block = super::block(&title, pane.focus == Focus::Response, theme)
        .title_bottom(crate::tui::widgets::footer(hint, area.width, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut notes = Vec::new();
    if let Some(text) = pane.sending_text() {
        notes.push(Line::styled(text, theme.style(Role::Accent)));
    }
    match &pane.send_note {
        Some(SendNote::Failed(err)) => notes.push(Line::styled(
            format!("The send failed: {err}"),
            theme.style(Role::Error),
        )),
        Some(SendNote::Cancelled) if pane.response.shown.is_some() => notes.push(Line::styled(
            "Send cancelled; below is the previous response",
            theme.style(Role::Warning),
        )),
        Some(SendNote::Cancelled) => {
            notes.push(Line::styled("Send cancelled", theme.style(Role::Warning)))
        }
        None => {}
    }
    let [notes_area, rest] =
        Layout::vertical([Constraint::Length(notes.len() as u16), Constraint::Fill(1)])
            .areas(inner);
    frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: true }), notes_area);
    let Some(shown) = &pane.response.shown else {
        if pane.sending_text().is_none() {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled(
                        "Press ctrl-s to send; the answer shows here.",
                        theme.style(Role::Muted),
                    ),
                    Line::styled(
                        "Left and right move between the list, the editor and this response.",
                        theme.style(Role::Muted),
                    ),
                ])
                .wrap(Wrap { trim: true }),
                rest,
            );
        }
        return;
    };
    let [tabs, content] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(rest);
    frame.render_widget(Paragraph::new(view_tabs(shown, theme)), tabs);
    let r = &shown.exchange.response;
    match shown.view {
        View::Body => super::response_body::render(shown, frame, content, theme),
        View::Headers => {
            let lines = table(r.headers.iter().map(|(n, v)| (n.clone(), v.clone())), theme);
            scrolled(frame, content, lines, shown.scroll, theme);
        }
        View::Cookies => scrolled(frame, content, cookie_lines(r, theme), shown.scroll, theme),
        View::Timing => scrolled(
            frame,
            content,
            timing_lines(&r.timing, content.width, theme),
            0,
            theme,
        ),
        View::Tls => scrolled(frame, content, tls_lines(r, theme), shown.scroll, theme),
        View::Findings => {
            let list: Vec<_> = shown.exchange.findings.iter().collect();
            let lines = if list.is_empty() {
                vec![Line::styled(
                    "No findings on this response.",
                    theme.style(Role::Success),
                )]
            } else {
                findings::list_lines(&list, shown.finding, content.height as usize, theme)
            };
            frame.render_widget(Paragraph::new(lines), content);
        }
    }
    // A body prompt sits over the bottom of the response, as the editor's input does there.
    if let Some(prompt) = &shown.body_view.prompt {
        let height = 3.min(area.height);
        let at = Rect {
            y: area.y + area.height - height,
            height,
            ..area
        };
        prompt.input.render(frame, at, prompt.title(), true, theme);
    }
}

pub(super) fn size_text(bytes: usize, truncated: bool) -> String {
    let size = if bytes < 10 * 1024 {
        format!("{bytes} B")
    } else if bytes < 10 * 1024 * 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{} MB", bytes / (1024 * 1024))
    };
    if truncated {
        format!("{size} (truncated)")
    } else {
        size
    }
}

fn view_tabs(shown: &Shown, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for view in View::ALL {
        let label = match view {
            View::Findings => format!(" {} ({}) ", view.title(), shown.exchange.findings.len()),
            _ => format!(" {} ", view.title()),
        };
        let style = if view == shown.view {
            theme.style(Role::Accent).add_modifier(Modifier::REVERSED)
        } else {
            theme.style(Role::Muted)
        };
        spans.push(Span::styled(label, style));
    }
    Line::from(spans)
}

fn scrolled(
    frame: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    scroll: usize,
    _theme: &Theme,
) {
    let first = scroll.min(lines.len().saturating_sub(1));
    let lines: Vec<Line> = lines.into_iter().skip(first).collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn table(rows: impl Iterator<Item = (String, String)>, theme: &Theme) -> Vec<Line<'static>> {
    let rows: Vec<_> = rows.collect();
    let width = rows
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .min(30);
    rows.into_iter()
        .map(|(name, value)| {
            Line::from(vec![
                Span::styled(format!("{name:<width$}  "), theme.style(Role::Accent)),
                Span::styled(value, theme.style(Role::Text)),
            ])
        })
        .collect()
}

fn cookie_lines(r: &Response, theme: &Theme) -> Vec<Line<'static>> {
    if r.cookies.is_empty() {
        return vec![Line::styled("No cookies set.", theme.style(Role::Muted))];
    }
    let mut out = Vec::new();
    for c in &r.cookies {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", c.name), theme.style(Role::Accent)),
            Span::styled(c.value.clone(), theme.style(Role::Text)),
        ]));
        let mut flags = Vec::new();
        let flag = |on: bool, name: &str| {
            if on {
                format!("✓ {name}")
            } else {
                format!("✗ {name}")
            }
        };
        flags.push(flag(c.secure, "Secure"));
        flags.push(flag(c.http_only, "HttpOnly"));
        flags.push(format!(
            "SameSite={}",
            c.same_site.as_deref().unwrap_or("(unset)")
        ));
        if let Some(path) = &c.path {
            flags.push(format!("Path={path}"));
        }
        if let Some(domain) = &c.domain {
            flags.push(format!("Domain={domain}"));
        }
        if let Some(age) = c.max_age {
            flags.push(format!("Max-Age={age}"));
        } else if let Some(expires) = &c.expires {
            flags.push(format!("Expires={expires}"));
        }
        let role = if c.secure && c.http_only {
            Role::Muted
        } else {
            Role::Warning
        };
        out.push(Line::styled(
            format!("  {}", flags.join("  ")),
            theme.style(role),
        ));
    }
    out
}

/// A bar per phase, scaled to the total, with the milliseconds beside it.
fn timing_lines(t: &Timings, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let phases = [
        ("DNS", t.dns_ms),
        ("Connect", t.connect_ms),
        ("TLS", t.tls_ms),
        ("TTFB", t.ttfb_ms),
        ("Download", t.download_ms),
        ("Total", Some(t.total_ms)),
    ];
    let bar_width = (width as usize).saturating_sub(24).max(4);
    let total = t.total_ms.max(0.001);
    let mut out: Vec<Line> = phases
        .iter()
        .map(|(name, ms)| {
            let (bar, text) = match ms {
                Some(ms) => {
                    let cells = ((ms / total) * bar_width as f64).round() as usize;
                    (
                        "█".repeat(cells.clamp(1, bar_width)),
                        format!("{ms:>9.1} ms"),
                    )
                }
                None => (String::new(), format!("{:>12}", "—")),
            };
            Line::from(vec![
                Span::styled(format!("{name:<9}"), theme.style(Role::Muted)),
                Span::styled(text, theme.style(Role::Text)),
                Span::raw(" "),
                Span::styled(
                    bar,
                    theme.style(if *name == "Total" {
                        Role::Accent
                    } else {
                        Role::Success
                    }),
                ),
            ])
        })
        .collect();
    if !t.phases {
        out.push(Line::styled(
            "Through a proxy only the total time can be measured.",
            theme.style(Role::Muted),
        ));
    }
    out
}

fn tls_lines(r: &Response, theme: &Theme) -> Vec<Line<'static>> {
    let Some(tls) = &r.tls else {
        return vec![Line::styled(
            "Plain HTTP: no TLS.",
            theme.style(Role::Warning),
        )];
    };
    let mut out = vec![Line::styled(
        format!(
            "{} · {} · ALPN {}",
            tls.version,
            tls.cipher,
            tls.alpn.as_deref().unwrap_or("none")
        ),
        theme.style(Role::Text),
    )];
    out.push(if tls.verified {
        Line::styled("✓ certificate verified", theme.style(Role::Success))
    } else {
        Line::styled(
            "✗ certificate NOT verified (verification off)",
            theme.style(Role::Error),
        )
    });
    out.push(Line::default());
    out.extend(crate::tui::widgets::certs::chain_lines(
        &tls.certificates,
        true,
        theme,
    ));
    out
}
