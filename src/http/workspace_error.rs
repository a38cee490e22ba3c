//! What can go wrong reading and writing a workspace. Apart from `workspace.rs` so the
//! history, which the workspace opens, can report its errors without depending on it.

use std::path::{Path, PathBuf};

/// A workspace problem, naming the file (and line) concerned.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("cannot access {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Corrupt {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    #[error("no environment \"{name}\" in http-client.env.json (have: {})", if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    UnknownEnv {
        name: String,
        available: Vec<String>,
    },
    #[error("no request named \"{0}\" in the workspace")]
    NotFound(String),
    #[error("no request named \"{name}\" in the files that could be read ({})", problems.join("; "))]
    NotFoundUnread { name: String, problems: Vec<String> },
    #[error("\"{0}\" cannot be a request name: use letters, digits, '-', '_' or '.'")]
    BadName(String),
    #[error(
        "\"{0}\" cannot be a file name of the workspace: use letters, digits, '-', '_' or '.', and requests/ in front for that folder"
    )]
    BadFileName(String),
    #[error("{} was left as it was: {message}", path.display())]
    NotSaved { path: PathBuf, message: String },
}

crate::error_kind::bad_input!(WorkspaceError);

impl WorkspaceError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn corrupt(path: &Path, line: Option<usize>, message: String) -> Self {
        Self::Corrupt {
            path: path.to_path_buf(),
            line,
            message,
        }
    }
}
