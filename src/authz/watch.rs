//! What a run tells whoever watches it while it goes: how many requests are sent, the rows
//! once they are planned, and each cell as its answer comes in. The CLI watches only the
//! count (its progress bar); the TUI's Matrix tab fills its table from the rest.

use super::row::{Cell, Row};

/// A run's watcher. Only [`Watch::progress`] is required, so a plain `Fn(done, total)`
/// closure is one.
pub trait Watch: Send + Sync {
    /// Requests sent so far, of those planned (logins and repeats included).
    fn progress(&self, done: u64, total: u64);

    /// Rows from index `first` on, as they stand: once when planned (no cells yet), and
    /// again when their cells and similarities are all in.
    fn rows(&self, _first: usize, _rows: &[Row]) {}

    /// The answer one identity (by its index in the plan) got for one row.
    fn cell(&self, _row: usize, _identity: usize, _cell: &Cell) {}
}

impl<F: Fn(u64, u64) + Send + Sync> Watch for F {
    fn progress(&self, done: u64, total: u64) {
        self(done, total)
    }
}
