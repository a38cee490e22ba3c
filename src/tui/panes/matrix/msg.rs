//! The Matrix tab's messages: what its run reports while it goes, and how it ended.

use crate::authz::{Cell, Matrix, Role, Row};
// The task's own error, spelled out rather than as `tui::jobs::JobError`, so this file
// imports nothing of the TUI's (see `tui/msg.rs`).
use crate::tasks::{TaskError, TaskFailure};

#[derive(Debug)]
pub enum Msg {
    /// The workspace was read: who the requests are replayed as, in column order, and the
    /// files that could not be read (the others still run).
    Planned {
        identities: Vec<(String, Role)>,
        problems: Vec<String>,
    },
    /// Rows from index `first` on, as they stand: planned (no cells), or complete with their
    /// similarities.
    Rows { first: usize, rows: Vec<Row> },
    /// One identity's answer for one row.
    Cell {
        row: usize,
        identity: usize,
        cell: Box<Cell>,
    },
    /// The run ended: the whole matrix with its findings, or the run's own error (a host
    /// that is not loopback is `AuthzError::Host`, and nothing was sent).
    Ended(Result<Box<Matrix>, TaskError<TaskFailure>>),
}
