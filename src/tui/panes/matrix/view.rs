//! Drawing the Matrix tab: the table (requests down, identities across, flags at the end),
//! the selected row's findings under it, the opened cell beside the owner's answer, and the
//! question before a host that is not loopback.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TableCell, Clear, Paragraph, Row as TableRow, Table, Wrap};

use super::MatrixPane;
use super::diff::Change;
use crate::authz::report;
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{centered, titled};

const HINT: &str = " r run · u unsafe · enter diff · y copy Markdown · x on Tasks stops ";
const DIFF_HINT: &str = " ←/→ other identity · ↑/↓ scroll · esc back · y copy Markdown ";

/// The widest a cell column gets: `200 12K 100%`.
const CELL_WIDTH: u16 = 14;

impl MatrixPane {
    pub(super) fn draw(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if self.opened.is_some() {
            self.draw_diff(frame, area, theme);
        } else {
            self.draw_table(frame, area, theme);
        }
        if let Some(host) = &self.confirm {
            draw_confirm(frame, area, host, theme);
        }
    }

    fn title(&self) -> String {
        let planned = self.rows.len() * self.identities.len();
        let answered: usize = (self.rows.iter())
            .map(|r| {
                r.cells
                    .iter()
                    .filter(|c| c.status.is_some() || c.error.is_some())
                    .count()
            })
            .sum();
        let state = match (&self.matrix, self.running) {
            (Some(m), _) => format!("findings: {} · {} sent", m.findings.len(), m.sent),
            (None, true) => format!("running, {answered}/{planned} answered"),
            (None, false) if answered > 0 => format!("stopped, {answered}/{planned} answered"),
            (None, false) => "not run".into(),
        };
        let methods = match self.unsafe_methods {
            true => "all methods",
            false => "safe methods only",
        };
        format!("Authorization matrix · {state} · {methods}")
    }

    fn draw_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = titled(&self.title(), theme)
            .title_bottom(Line::styled(HINT, theme.style(Role::Muted)).right_aligned());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(self.empty_lines(theme)).wrap(Wrap { trim: false }),
                inner,
            );
            return;
        }
        let [table_area, detail] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(inner);
        let header = ["request", "method", "path", "owner"]
            .into_iter()
            .map(str::to_string)
            .chain(
                self.identities
                    .iter()
                    .map(|(n, r)| format!("{n} ({})", r.as_str())),
            )
            .chain(["flags".to_string()]);
        let header = TableRow::new(header.map(TableCell::from)).style(theme.style(Role::Muted));
        let height = table_area.height.saturating_sub(1) as usize;
        let first = (self.row + 1).saturating_sub(height.max(1));
        let rows = (self.rows.iter().enumerate())
            .skip(first)
            .take(height)
            .map(|(i, row)| {
                let flags = self.flags(i);
                let mut cells = vec![
                    TableCell::from(row.name.clone()),
                    TableCell::from(row.method.clone()),
                    TableCell::from(report::path(&row.url)),
                    TableCell::from(row.owner.clone()),
                ];
                for c in 0..self.identities.len() {
                    let (text, role) = match row.cells.get(c) {
                        Some(cell) if cell.status.is_some() || cell.error.is_some() => {
                            let role = match (cell.error.is_some(), cell.success()) {
                                (true, _) => Role::Error,
                                (false, true) => Role::Success,
                                (false, false) => Role::Muted,
                            };
                            (report::cell(row, cell), role)
                        }
                        _ if self.running => ("…".to_string(), Role::Muted),
                        _ => ("-".to_string(), Role::Muted),
                    };
                    let mut style = theme.style(role);
                    if i == self.row && c == self.col {
                        style = theme.style(Role::Selection).add_modifier(Modifier::BOLD);
                    }
                    cells.push(TableCell::from(Span::styled(text, style)));
                }
                let flag_style = theme.style(Role::High).add_modifier(Modifier::BOLD);
                cells.push(TableCell::from(Span::styled(flags.join(" "), flag_style)));
                let mut line = TableRow::new(cells);
                if i == self.row {
                    line = line.style(Style::default().add_modifier(Modifier::UNDERLINED));
                }
                line
            });
        let name_width = (self.rows.iter())
            .map(|r| r.name.chars().count())
            .max()
            .unwrap_or(8)
            .clamp(7, 28) as u16;
        let widths = [
            Constraint::Length(name_width),
            Constraint::Length(6),
            Constraint::Max(28),
            Constraint::Length(9),
        ]
        .into_iter()
        .chain(self.identities.iter().map(|(n, r)| {
            // The header (`anonymous (anonymous)`) in full when wider than the cells.
            let header = n.chars().count() + r.as_str().len() + 3;
            Constraint::Length(CELL_WIDTH.max(header as u16))
        }))
        .chain([Constraint::Fill(1)]);
        let table = Table::new(rows, widths).header(header).column_spacing(1);
        frame.render_widget(table, table_area);
        frame.render_widget(
            Paragraph::new(self.detail_lines(theme)).wrap(Wrap { trim: true }),
            detail,
        );
    }

    /// The `authz-*` ids of row `i`, once the run is over.
    fn flags(&self, i: usize) -> Vec<String> {
        match (&self.matrix, self.rows.get(i)) {
            (Some(m), Some(row)) => (m.findings_of(row).iter()).map(|f| f.id.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// Under the table: the selected row's URL and its findings' evidence.
    fn detail_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let Some(row) = self.rows.get(self.row) else {
            return Vec::new();
        };
        let mut lines = vec![Line::styled(
            format!("{} {}", row.method, row.url),
            theme.style(Role::Muted),
        )];
        if let Some(m) = &self.matrix {
            for f in m.findings_of(row) {
                lines.push(Line::from(vec![
                    Span::styled(format!("{} ", f.id), theme.severity(f.severity)),
                    Span::styled(f.evidence.clone(), theme.style(Role::Text)),
                ]));
            }
        }
        lines
    }

    fn empty_lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let mut lines = Vec::new();
        if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.style(Role::Error)));
            lines.push(Line::default());
        }
        let text = match self.running {
            true => "Reading the workspace and logging in…",
            false => {
                "r replays every request of the workspace once as each of its identities \
                 (apiward authz --all) and compares each answer with the owner's. \
                 Identities live in the workspace's private env file: \
                 apiward authz identity set NAME … adds one; the practice lab's sample has \
                 alice, bob, admin and anonymous."
            }
        };
        lines.push(Line::styled(text, theme.style(Role::Text)));
        let dir = match &self.workspace {
            Some(d) => d.display().to_string(),
            None => "the default workspace".into(),
        };
        lines.push(Line::styled(
            format!("Workspace: {dir}"),
            theme.style(Role::Muted),
        ));
        for p in &self.problems {
            lines.push(Line::styled(
                format!("skipped: {p}"),
                theme.style(Role::Warning),
            ));
        }
        lines
    }

    fn draw_diff(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(opened) = &self.opened else {
            return;
        };
        let Some(row) = self.rows.get(opened.row) else {
            return;
        };
        let block = titled(&format!("{} {} ({})", row.method, row.url, row.name), theme)
            .title_bottom(Line::styled(DIFF_HINT, theme.style(Role::Muted)).right_aligned());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [heads, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
        let [left_head, right_head] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(heads);
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(body);
        let head = |identity: &str| {
            let cell = row.cells.iter().find(|c| c.identity == identity);
            let text = cell.map_or_else(|| "-".into(), |c| report::cell(row, c));
            format!("{identity}: {text}")
        };
        let other = (row.cells.get(opened.identity)).map_or("", |c| c.identity.as_str());
        frame.render_widget(
            Paragraph::new(format!("owner {}", head(&row.owner))).style(theme.style(Role::Accent)),
            left_head,
        );
        frame.render_widget(
            Paragraph::new(head(other)).style(theme.style(Role::Accent)),
            right_head,
        );
        let height = body.height as usize;
        let shown = opened.lines.iter().skip(opened.scroll).take(height);
        let (mut l, mut r) = (Vec::new(), Vec::new());
        for line in shown {
            let (left_role, right_role) = match line.change {
                Change::Same => (Role::Text, Role::Text),
                Change::Removed => (Role::Error, Role::Muted),
                Change::Added => (Role::Muted, Role::Success),
                Change::Changed => (Role::Warning, Role::Warning),
            };
            let side = |text: &Option<String>, role| match text {
                Some(t) => Line::styled(t.clone(), theme.style(role)),
                None => Line::styled("", theme.style(Role::Muted)),
            };
            l.push(side(&line.left, left_role));
            r.push(side(&line.right, right_role));
        }
        frame.render_widget(Paragraph::new(l), left);
        frame.render_widget(Paragraph::new(r), right);
    }
}

/// The question before sending to a host that is not loopback.
fn draw_confirm(frame: &mut Frame, area: Rect, host: &str, theme: &Theme) {
    let popup = centered(area, 70, 40);
    frame.render_widget(Clear, popup);
    let block = titled(&format!("Send to {host}?"), theme);
    let lines = vec![
        Line::styled(
            format!(
                "{host} is not a loopback address. Replaying the workspace's requests as other \
                 identities sends them to it for real: say yes only for a host you may test."
            ),
            theme.style(Role::Text),
        ),
        Line::default(),
        Line::styled(
            format!("enter: yes, replay the requests against {host} · esc: no, send nothing there"),
            theme.style(Role::Warning),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        popup,
    );
}
