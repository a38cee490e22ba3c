//! What the import dialog's jobs answer: a source read and compared with the workspace, or
//! what writing it did. Imports no job or dialog code, so `tui/msg.rs` can name it.

use std::fmt;
use std::path::PathBuf;

use crate::import::Changes;
use crate::import::collection::Imported;
use crate::import::source::Kind;
use crate::tasks::{TaskError, TaskFailure};

/// A source read into an import, and what writing it into the workspace would change.
pub struct Planned {
    /// As typed: what the files name as their source.
    pub source: String,
    pub kind: Kind,
    /// A description's version ("OpenAPI 3.0"), for the title.
    pub version: Option<&'static str>,
    /// Holds secret values read from the file: never shown, only written.
    pub imported: Imported,
    pub changes: Changes,
    /// Secrets the write would set in the private env file, by name.
    pub secrets: Vec<String>,
    /// The workspace it was compared with, and will be written into.
    pub dir: PathBuf,
}

// The import may hold secret values: only what is safe to log.
impl fmt::Debug for Planned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Planned")
            .field("source", &self.source)
            .field("kind", &self.kind)
            .field("requests", &self.imported.plan.request_count())
            .field("changes", &self.changes)
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

/// What a write did.
#[derive(Debug)]
pub struct Written {
    pub source: String,
    pub requests: usize,
    pub changes: Changes,
    /// Secrets set in the private env file with the values read, by name.
    pub secrets: Vec<String>,
    pub dir: PathBuf,
}

#[derive(Debug)]
pub enum Msg {
    /// The preview of the read numbered `seq` (a later read, or a closed dialog, ignores it).
    Planned {
        seq: u64,
        result: Result<Box<Planned>, TaskError<TaskFailure>>,
    },
    Written {
        seq: u64,
        result: Result<Box<Written>, TaskError<TaskFailure>>,
    },
}
