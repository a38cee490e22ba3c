//! The Tasks tab: every task with its state, a progress gauge, its rate, and the selected
//! task's log or error below.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, LineGauge, Paragraph, Wrap};

use super::{Cx, Effect, Pane, View};
use crate::tasks::{TaskBoard, TaskState, TaskView};
use crate::tui::action::{Action, Context};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::status_bar::human_count;

#[derive(Debug, Default)]
pub struct TasksPane {
    /// Index into the board's tasks, newest last.
    selected: usize,
}

impl TasksPane {
    fn on_action(&mut self, action: Action, board: &TaskBoard) -> Option<Effect> {
        let count = board.tasks().len();
        let last = count.saturating_sub(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::ClearTasks => return Some(Effect::ClearTasks),
            Action::CancelTask => {
                let task = board.tasks().get(self.selected)?;
                return Some(if task.is_running() {
                    Effect::CancelTask(task.id)
                } else {
                    Effect::Status(format!("Task {} has already ended", task.id))
                });
            }
            Action::Copy => {
                let task = board.tasks().get(self.selected)?;
                let mut text = format!("{} {}: {}\n", task.id, task.kind.label(), task.title);
                if let TaskState::Failed(err) = &task.state {
                    text.push_str(&format!("error: {err}\n"));
                }
                task.logs.iter().for_each(|l| {
                    text.push_str(l);
                    text.push('\n');
                });
                return Some(Effect::Copy(text));
            }
            _ => return None,
        }
        None
    }

    /// A new task was started: follow it, so `x` cancels what the user just began.
    pub fn follow_newest(&mut self, board: &TaskBoard) {
        self.selected = board.tasks().len().saturating_sub(1);
    }

    fn draw(&self, frame: &mut Frame, area: Rect, board: &TaskBoard, theme: &Theme, now: Instant) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style(Role::Border))
            .title(Line::styled(" Tasks ", theme.style(Role::Accent)))
            .title_bottom(
                Line::styled(" x cancel · y copy log ", theme.style(Role::Muted)).right_aligned(),
            )
            .style(theme.base());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        if board.tasks().is_empty() {
            frame.render_widget(
                Paragraph::new(vec![
                    Line::styled("No tasks yet.", theme.style(Role::Text)),
                    Line::styled(
                        "Sends, audits, probes, cracks and key generation run here, with progress, and can be cancelled.",
                        theme.style(Role::Muted),
                    ),
                ])
                .wrap(Wrap { trim: true }),
                inner,
            );
            return;
        }
        let list_height = (board.tasks().len() as u16).min(inner.height.saturating_sub(4).max(1));
        let [list, _, detail] = Layout::vertical([
            Constraint::Length(list_height),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let selected = self.selected.min(board.tasks().len() - 1);
        // Keep the selection in view.
        let first = (selected + 1).saturating_sub(list.height as usize);
        for (row, (index, task)) in board.tasks().iter().enumerate().skip(first).enumerate() {
            let y = list.y + row as u16;
            if y >= list.bottom() {
                break;
            }
            let area = Rect::new(list.x, y, list.width, 1);
            self.render_row(frame, area, task, index == selected, theme, now);
        }
        if let Some(task) = board.tasks().get(selected) {
            render_detail(frame, detail, task, theme);
        }
    }

    fn render_row(
        &self,
        frame: &mut Frame,
        area: Rect,
        task: &TaskView,
        selected: bool,
        theme: &Theme,
        now: Instant,
    ) {
        let [state, kind, title, gauge, rate, time] = Layout::horizontal([
            Constraint::Length(11),
            Constraint::Length(7),
            Constraint::Fill(1),
            Constraint::Length(20),
            Constraint::Length(11),
            Constraint::Length(8),
        ])
        .spacing(1)
        .areas(area);
        let (label, role) = match &task.state {
            TaskState::Running => ("● running", Role::Accent),
            TaskState::Done => ("✓ done", Role::Success),
            TaskState::Failed(_) => ("✗ failed", Role::Error),
            TaskState::Cancelled => ("○ cancelled", Role::Warning),
        };
        let mut base = theme.base();
        if selected {
            base = theme.style(Role::Selection);
            frame.render_widget(Paragraph::new("").style(base), area);
        }
        let text = |s: String, role: Role| {
            let mut style = theme.style(role);
            if selected {
                style = style.patch(base).add_modifier(Modifier::BOLD);
                if let Some(fg) = theme.style(role).fg {
                    style = style.fg(fg);
                }
            }
            Paragraph::new(s).style(style)
        };
        frame.render_widget(text(label.into(), role), state);
        frame.render_widget(text(task.kind.label().into(), Role::Muted), kind);
        frame.render_widget(text(task.title.clone(), Role::Text), title);
        let ratio = match (&task.state, task.progress.fraction()) {
            (TaskState::Done, _) => 1.0,
            (_, Some(f)) => f,
            _ => 0.0,
        };
        let pct = match (&task.state, task.progress.fraction()) {
            (TaskState::Running, None) => "…".to_string(),
            _ => format!("{:.0}%", ratio * 100.0),
        };
        frame.render_widget(
            LineGauge::default()
                .ratio(ratio)
                .label(pct)
                .filled_style(theme.style(role))
                .unfilled_style(theme.style(Role::Border)),
            gauge,
        );
        let rate_text = task
            .rate(now)
            .map(|r| format!("{}/s", human_count(r)))
            .unwrap_or_default();
        frame.render_widget(text(rate_text, Role::Muted), rate);
        frame.render_widget(text(human_duration(task.elapsed(now)), Role::Muted), time);
    }
}

impl Pane for TasksPane {
    fn context(&self) -> Context {
        Context::Tasks
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        let effect = self.on_action(action, cx.board);
        cx.push(effect);
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        self.draw(frame, area, view.board, view.theme, view.now);
    }
}

fn render_detail(frame: &mut Frame, area: Rect, task: &TaskView, theme: &Theme) {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", task.id), theme.style(Role::Muted)),
        Span::styled(task.title.clone(), theme.style(Role::Accent)),
    ])];
    if let TaskState::Failed(err) = &task.state {
        lines.push(Line::styled(
            format!("error: {err}"),
            theme.style(Role::Error),
        ));
    }
    let room = area.height.saturating_sub(lines.len() as u16) as usize;
    let skip = task.logs.len().saturating_sub(room);
    lines.extend(
        task.logs
            .iter()
            .skip(skip)
            .map(|l| Line::styled(l.clone(), theme.style(Role::Text))),
    );
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// 75 s -> "1m15s".
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        s if s >= 3600 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{:.1}s", d.as_secs_f64()),
    }
}
