//! The Matrix tab: `apiward authz` in the workbench. `r` replays every request of the
//! workspace as each of its identities (a task); the table fills in as answers come, requests
//! down and identities across, each cell its status, size and likeness to the owner's body,
//! and each flagged row its `authz-*` ids. `enter` opens a cell beside the owner's answer with
//! a diff, `y` copies the Markdown report, `u` lets methods that may change data go too, and a
//! host that is not loopback is only sent to once the user says yes.

pub mod diff;
mod jobs;
pub mod msg;
#[cfg(test)]
mod tests;
mod view;

pub use jobs::MatrixJob;
pub use msg::Msg;

use std::path::PathBuf;

use super::{Cx, Effect, Pane, View};
use crate::authz::{AuthzError, Cell, Matrix, Role, Row};
use crate::tasks::TaskError;
use crate::tui::action::{Action, Context};
use crate::tui::jobs::JobError;
use diff::DiffLine;

/// Rows a page key moves.
const PAGE: usize = 10;

/// A cell opened beside the owner's answer.
#[derive(Debug, Clone)]
pub struct Opened {
    pub row: usize,
    pub identity: usize,
    pub lines: Vec<DiffLine>,
    pub scroll: usize,
}

#[derive(Debug, Default)]
pub struct MatrixPane {
    /// The workspace of the Request tab (`None`: the default one).
    workspace: Option<PathBuf>,
    /// The columns: each identity's name and role.
    identities: Vec<(String, Role)>,
    rows: Vec<Row>,
    /// The finished run, with its findings.
    matrix: Option<Box<Matrix>>,
    running: bool,
    /// Files of the workspace that could not be read, and why the last run failed.
    problems: Vec<String>,
    error: Option<String>,
    unsafe_methods: bool,
    /// Hosts beyond loopback the user said may be sent to.
    allow_hosts: Vec<String>,
    /// A host that is not loopback, waiting for the user's yes.
    confirm: Option<String>,
    row: usize,
    col: usize,
    opened: Option<Opened>,
}

impl MatrixPane {
    /// Runs over `dir` instead of the default workspace, as the Request tab does.
    pub fn set_workspace(&mut self, dir: Option<PathBuf>) {
        self.workspace = dir;
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn matrix(&self) -> Option<&Matrix> {
        self.matrix.as_deref()
    }

    pub fn opened(&self) -> Option<&Opened> {
        self.opened.as_ref()
    }

    fn run(&mut self) -> Effect {
        if self.running {
            return Effect::Status("The matrix is running: x on the Tasks tab stops it".into());
        }
        self.running = true;
        self.matrix = None;
        self.rows.clear();
        self.error = None;
        self.problems.clear();
        self.opened = None;
        Effect::start(MatrixJob::Run {
            dir: self.workspace.clone(),
            unsafe_methods: self.unsafe_methods,
            allow_hosts: self.allow_hosts.clone(),
        })
    }

    fn toggle_unsafe(&mut self) -> Effect {
        self.unsafe_methods = !self.unsafe_methods;
        Effect::Status(match self.unsafe_methods {
            true => "Unsafe methods ON: the next run sends POST, PUT, PATCH and DELETE too".into(),
            false => "Unsafe methods off: the next run sends GET, HEAD and OPTIONS only".into(),
        })
    }

    fn on_action(&mut self, action: Action) -> Option<Effect> {
        if let Some(host) = &self.confirm {
            match action {
                Action::Select => {
                    let host = host.clone();
                    self.confirm = None;
                    self.allow_hosts.push(host);
                    return Some(self.run());
                }
                Action::Back => {
                    let text = format!("Nothing sent to {host}");
                    self.confirm = None;
                    return Some(Effect::Status(text));
                }
                _ => return None,
            }
        }
        if self.opened.is_some() {
            return self.diff_action(action);
        }
        let last_row = self.rows.len().saturating_sub(1);
        let last_col = self.identities.len().saturating_sub(1);
        match action {
            Action::MatrixRun => return Some(self.run()),
            Action::MatrixUnsafe => return Some(self.toggle_unsafe()),
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::Down => self.row = (self.row + 1).min(last_row),
            Action::PageUp => self.row = self.row.saturating_sub(PAGE),
            Action::PageDown => self.row = (self.row + PAGE).min(last_row),
            Action::Top => self.row = 0,
            Action::Bottom => self.row = last_row,
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col = (self.col + 1).min(last_col),
            Action::Select if self.rows.is_empty() && !self.running => return Some(self.run()),
            Action::Select => return self.open(self.row, self.col),
            Action::Copy => {
                return Some(match &self.matrix {
                    Some(m) => Effect::Copy(crate::authz::report::markdown(m)),
                    None if self.running => Effect::Status("The run is not over yet".into()),
                    None => Effect::Status("No matrix to copy yet: r runs it".into()),
                });
            }
            _ => {}
        }
        None
    }

    /// Keys while a cell is open: scroll, another identity's cell of the row, or back.
    fn diff_action(&mut self, action: Action) -> Option<Effect> {
        let opened = self.opened.as_mut()?;
        let last = opened.lines.len().saturating_sub(1);
        match action {
            Action::Back | Action::Select => self.opened = None,
            Action::Up => opened.scroll = opened.scroll.saturating_sub(1),
            Action::Down => opened.scroll = (opened.scroll + 1).min(last),
            Action::PageUp => opened.scroll = opened.scroll.saturating_sub(PAGE),
            Action::PageDown => opened.scroll = (opened.scroll + PAGE).min(last),
            Action::Top => opened.scroll = 0,
            Action::Bottom => opened.scroll = last,
            Action::Left | Action::Right => {
                let (row, identity) = (opened.row, opened.identity);
                let next = match action {
                    Action::Left => identity.checked_sub(1)?,
                    _ => identity + 1,
                };
                if next < self.identities.len() {
                    self.col = next;
                    return self.open(row, next);
                }
            }
            Action::Copy => {
                return self
                    .matrix
                    .as_ref()
                    .map(|m| Effect::Copy(crate::authz::report::markdown(m)));
            }
            _ => {}
        }
        None
    }

    /// Opens a cell beside its row's owner's answer.
    fn open(&mut self, row: usize, identity: usize) -> Option<Effect> {
        let r = self.rows.get(row)?;
        let cell = r.cells.get(identity).filter(|c| c.status.is_some());
        let Some(cell) = cell else {
            let why = r.cells.get(identity).and_then(|c| c.error.clone());
            return Some(Effect::Status(match why {
                Some(e) => format!("No answer: {e}"),
                None => "No answer yet".into(),
            }));
        };
        let owner = r.cells.iter().find(|c| c.identity == r.owner);
        let owner_body = owner.map(|c| c.body.clone()).unwrap_or_default();
        self.opened = Some(Opened {
            row,
            identity,
            lines: diff::side_by_side(&owner_body, &cell.body),
            scroll: 0,
        });
        None
    }

    /// The cells of `row`, one per identity, made when its first answer comes.
    fn cells_of(&mut self, row: usize) -> Option<&mut Vec<Cell>> {
        let names = &self.identities;
        let r = self.rows.get_mut(row)?;
        if r.cells.len() < names.len() {
            r.cells = names
                .iter()
                .map(|(n, _)| Cell {
                    identity: n.clone(),
                    ..Cell::default()
                })
                .collect();
        }
        Some(&mut r.cells)
    }

    fn ended(&mut self, result: Result<Box<Matrix>, JobError>) -> Option<Effect> {
        self.running = false;
        match result {
            Ok(m) => {
                self.rows = m.rows.clone();
                let status = format!(
                    "Matrix done: {} requests sent, findings: {}",
                    m.sent,
                    m.findings.len()
                );
                self.matrix = Some(m);
                self.row = self.row.min(self.rows.len().saturating_sub(1));
                Some(Effect::Status(status))
            }
            Err(TaskError::Cancelled) => Some(Effect::Status("Matrix cancelled".into())),
            Err(TaskError::Failed(failure)) => match failure.downcast_ref::<AuthzError>() {
                // The error's kind, not its words: a host that is not loopback is asked about.
                Some(AuthzError::Host { host, .. }) => {
                    self.confirm = Some(host.clone());
                    None
                }
                _ => {
                    self.error = Some(failure.to_string());
                    Some(Effect::Status(format!("Matrix failed: {failure}")))
                }
            },
        }
    }

    /// A message of this pane's job.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        match msg {
            Msg::Planned {
                identities,
                problems,
            } => {
                self.identities = identities;
                self.problems = problems;
                self.col = self.col.min(self.identities.len().saturating_sub(1));
            }
            Msg::Rows { first, rows } => {
                for (i, row) in rows.into_iter().enumerate() {
                    match self.rows.get_mut(first + i) {
                        Some(r) => *r = row,
                        None => self.rows.push(row),
                    }
                }
            }
            Msg::Cell {
                row,
                identity,
                cell,
            } => {
                if let Some(cells) = self.cells_of(row)
                    && let Some(slot) = cells.get_mut(identity)
                {
                    *slot = Cell {
                        identity: std::mem::take(&mut slot.identity),
                        ..*cell
                    };
                }
            }
            Msg::Ended(result) => cx.push(self.ended(result)),
        }
    }
}

impl Pane for MatrixPane {
    fn context(&self) -> Context {
        Context::Matrix
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        cx.push(self.on_action(action));
    }

    fn render(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, view: &View) {
        self.draw(frame, area, view.theme);
    }
}
