//! Drawing the Audit tab: target, grade badge, findings by area, TLS, redirects, and the
//! batch table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{AuditPane, Focus, Shown};
use crate::audit::{self, AuditReport};
use crate::findings;
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{certs, findings as findings_widget, titled};

const HINT: &str =
    " e edit · r run · o options · b batch · L lint spec · t TLS check · y copy Markdown ";

impl AuditPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [target, body] =
            Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
        match self.focus {
            Focus::Url => self.url.render(
                frame,
                target,
                "Audit URL (enter runs the audit)",
                true,
                theme,
            ),
            Focus::Targets => self.targets.render(
                frame,
                target,
                "Targets file, one URL per line (enter runs the batch)",
                true,
                theme,
            ),
            Focus::Spec => self.spec.render(
                frame,
                target,
                "OpenAPI or Swagger description: a file, or a URL on this machine (enter lints)",
                true,
                theme,
            ),
            Focus::None | Focus::Options => self.render_target(frame, target, theme),
        }
        match self.shown {
            Shown::Batch => self.render_batch(frame, body, theme),
            Shown::Lint => self.render_lint(frame, body, theme),
            Shown::Report => match &self.report {
                Some(report) => self.render_report(frame, body, report, theme),
                None => render_welcome(frame, body, self.running, theme),
            },
        }
        if self.detail
            && let Some(f) = self.detail_finding()
        {
            findings_widget::render_detail(frame, body, f, theme);
        }
        if self.focus == Focus::Options {
            self.form.render(frame, body, target, theme);
        }
    }

    fn render_target(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut spans = vec![Span::styled(
            if self.url.text().is_empty() {
                "press e to enter a URL".to_string()
            } else {
                self.url.text().to_string()
            },
            theme.style(if self.url.text().is_empty() {
                Role::Muted
            } else {
                Role::Text
            }),
        )];
        if self.form.insecure() {
            spans.push(Span::styled(
                "  certificate verification OFF",
                theme.style(Role::Warning),
            ));
        }
        let options = self.form.summary();
        if !options.is_empty() {
            spans.push(Span::styled(
                format!("  {options}"),
                theme.style(Role::Muted),
            ));
        }
        if self.running {
            spans.push(Span::styled("  auditing…", theme.style(Role::Accent)));
        }
        let block = titled("Audit target", theme)
            .title_bottom(crate::tui::widgets::footer(HINT, area.width, theme));
        frame.render_widget(Paragraph::new(Line::from(spans)).block(block), area);
    }

    fn render_report(&self, frame: &mut Frame, area: Rect, report: &AuditReport, theme: &Theme) {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)])
                .areas(area);
        let [grade, tls, redirects] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Fill(1),
            Constraint::Length((report.redirects.len() as u16 + 2).clamp(3, 8)),
        ])
        .areas(left);
        render_grade(frame, grade, report, theme);
        render_tls(frame, tls, report, theme);
        let hops: Vec<Line> = report
            .redirects
            .iter()
            .map(|h| Line::styled(format!("{} {}", h.status, h.url), theme.style(Role::Text)))
            .collect();
        frame.render_widget(
            Paragraph::new(hops)
                .block(titled("Redirects", theme))
                .wrap(Wrap { trim: false }),
            redirects,
        );

        let ordered = self.ordered();
        let block = titled(
            &format!("Findings ({}) · by area · enter details", ordered.len()),
            theme,
        );
        let inner = block.inner(right);
        frame.render_widget(block, right);
        // One notice above the list: why the audit stopped, or that the body was cut.
        let notice = match (&report.error, report.body_cut_at) {
            (Some(err), _) => Some((format!("The audit could not finish: {err}"), Role::Error)),
            (None, Some(cap)) => Some((
                format!(
                    "The body was longer than {} KiB: only that much was read and judged.",
                    cap >> 10
                ),
                Role::Warning,
            )),
            (None, None) => None,
        };
        let reserved = if notice.is_some() {
            2.min(inner.height)
        } else {
            0
        };
        if let Some((text, role)) = notice {
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.style(role))).wrap(Wrap { trim: false }),
                Rect {
                    height: reserved,
                    ..inner
                },
            );
        }
        let list_area = Rect {
            y: inner.y + reserved,
            height: inner.height - reserved,
            ..inner
        };
        let [areas, list] =
            Layout::horizontal([Constraint::Length(10), Constraint::Fill(1)]).areas(list_area);
        let height = list.height as usize;
        let first = (self.selected + 1).saturating_sub(height.max(1));
        let area_lines: Vec<Line> = ordered
            .iter()
            .skip(first)
            .take(height)
            .map(|f| Line::styled(audit::rules::area(&f.id), theme.style(Role::Muted)))
            .collect();
        frame.render_widget(Paragraph::new(area_lines), areas);
        frame.render_widget(
            Paragraph::new(findings_widget::list_lines(
                &ordered,
                self.selected,
                height,
                theme,
            )),
            list,
        );
    }

    fn render_batch(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let done = self.batch.iter().filter(|r| r.report.is_some()).count();
        let block = titled(
            &format!(
                "Batch: {done}/{} done · enter opens a report · esc back",
                self.batch.len()
            ),
            theme,
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let height = inner.height as usize;
        let first = (self.batch_selected + 1).saturating_sub(height.max(1));
        let width = self
            .batch
            .iter()
            .map(|r| r.target.chars().count())
            .max()
            .unwrap_or(10)
            .min(60);
        let lines: Vec<Line> = self
            .batch
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, row)| {
                let mut spans = vec![Span::styled(
                    format!("{:<width$}  ", row.target),
                    theme.style(Role::Text),
                )];
                match &row.report {
                    None => spans.push(Span::styled("…", theme.style(Role::Muted))),
                    Some(r) if r.error.is_some() && r.grade.is_none() => spans.push(Span::styled(
                        format!("error: {}", r.error.as_deref().unwrap_or_default()),
                        theme.style(Role::Error),
                    )),
                    Some(r) => {
                        let grade = r.grade.clone().unwrap_or_else(|| "-".into());
                        spans.push(Span::styled(
                            format!("{grade:<3}"),
                            grade_style(&grade, theme),
                        ));
                        spans.push(Span::styled(
                            format!(" {:>3}  ", r.score.unwrap_or(0)),
                            theme.style(Role::Muted),
                        ));
                        if let Some(worst) = r.findings.iter().max_by_key(|f| f.severity) {
                            spans.push(Span::styled(
                                format!("{:<9}", worst.severity.as_str().to_uppercase()),
                                theme.severity(worst.severity),
                            ));
                            spans.push(Span::styled(worst.id.clone(), theme.style(Role::Accent)));
                        }
                    }
                }
                let line = Line::from(spans);
                if i == self.batch_selected {
                    line.style(theme.style(Role::Selection))
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn grade_style(grade: &str, theme: &Theme) -> ratatui::style::Style {
    let role = match grade.chars().next() {
        Some('A') => Role::Success,
        Some('B' | 'C') => Role::Warning,
        _ => Role::Error,
    };
    theme.style(role).add_modifier(Modifier::BOLD)
}

fn render_grade(frame: &mut Frame, area: Rect, report: &AuditReport, theme: &Theme) {
    // The badge is the overall grade: headers and TLS, whichever is worse.
    let grade = report
        .overall_grade
        .clone()
        .or_else(|| report.grade.clone())
        .unwrap_or_else(|| "—".into());
    let tls = report
        .tls_grade
        .as_ref()
        .map_or("no TLS".to_string(), |t| format!("TLS {}", t.grade));
    let worst = findings::worst(&report.findings)
        .map(|w| format!("worst finding: {w}"))
        .unwrap_or_else(|| "no findings".into());
    let lines = vec![
        Line::from(vec![
            Span::styled(
                format!("  {grade}  "),
                grade_style(&grade, theme).add_modifier(Modifier::REVERSED),
            ),
            Span::styled(
                format!(
                    "  headers {} {} / 100 · {tls} · {} ms",
                    report.grade.as_deref().unwrap_or("—"),
                    report.score.map_or("—".into(), |s| s.to_string()),
                    report.elapsed_ms
                ),
                theme.style(Role::Text),
            ),
        ]),
        Line::styled(report.target.clone(), theme.style(Role::Muted)),
        Line::styled(worst, theme.style(Role::Muted)),
    ];
    frame.render_widget(Paragraph::new(lines).block(titled("Grade", theme)), area);
}

fn render_tls(frame: &mut Frame, area: Rect, report: &AuditReport, theme: &Theme) {
    let Some(tls) = &report.tls else {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "Plain HTTP: no TLS.",
                theme.style(Role::Warning),
            ))
            .block(titled("TLS", theme)),
            area,
        );
        return;
    };
    let negotiated: Vec<&str> = [
        &tls.version,
        &tls.cipher_suite,
        &tls.key_exchange,
        &tls.alpn,
    ]
    .iter()
    .filter_map(|p| p.as_deref())
    .collect();
    let mut lines = vec![Line::styled(
        negotiated.join(" · "),
        theme.style(Role::Text),
    )];
    lines.push(if tls.trusted {
        Line::styled("✓ certificate trusted", theme.style(Role::Success))
    } else {
        Line::styled(
            format!("✗ not trusted: {}", tls.verdict.clone().unwrap_or_default()),
            theme.style(Role::Error),
        )
    });
    let protocols: Vec<Span> = tls
        .protocols
        .iter()
        .flat_map(|p| {
            let (mark, role) = match p.accepted {
                Some(true) if p.version.contains("1.0") || p.version.contains("1.1") => {
                    ("✓", Role::Error)
                }
                Some(true) => ("✓", Role::Success),
                Some(false) => ("✗", Role::Muted),
                None => ("?", Role::Muted),
            };
            [Span::styled(
                format!("{} {mark}  ", p.version),
                theme.style(role),
            )]
        })
        .collect();
    lines.push(Line::from(protocols));
    lines.push(Line::default());
    lines.extend(certs::chain_lines(&tls.chain, false, theme));
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("TLS", theme))
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn render_welcome(frame: &mut Frame, area: Rect, running: bool, theme: &Theme) {
    let lines = if running {
        vec![Line::styled(
            "Auditing… progress in the Tasks tab (5).",
            theme.style(Role::Accent),
        )]
    } else {
        vec![
            Line::styled(
                "Grade an endpoint's security headers, CORS, cookies, redirects and TLS.",
                theme.style(Role::Text),
            ),
            Line::default(),
            Line::styled(
                "Press e and enter a URL; the audit runs as a task and takes well under a second.",
                theme.style(Role::Muted),
            ),
            Line::styled(
                "Press b to audit every URL in a file, and o for the options apiward audit takes (headers, timeout, CA).",
                theme.style(Role::Muted),
            ),
            Line::styled(
                "Press L to lint an OpenAPI description for security problems. Only audit what you are authorised to test.",
                theme.style(Role::Muted),
            ),
        ]
    };
    frame.render_widget(
        Paragraph::new(lines)
            .block(titled("Audit", theme))
            .wrap(Wrap { trim: true }),
        area,
    );
}
