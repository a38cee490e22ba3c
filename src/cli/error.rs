//! The CLI's error: one sentence for stderr and the exit code that goes with it.
//!
//! Exit codes follow DESIGN.md: 0 success, 1 the check failed (or the network did), 2 bad
//! usage or bad input. Any error converts to exit 2, so `?` on a parse or file error does the
//! right thing; a failed check says so with [`CliError::failed`].

use std::fmt;
use std::process::ExitCode;

pub struct CliError {
    pub code: u8,
    pub error: anyhow::Error,
}

impl CliError {
    /// A failure that is not the user's input: a check that failed, a network error.
    pub fn failed(error: impl Into<anyhow::Error>) -> Self {
        Self {
            code: 1,
            error: error.into(),
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(error: E) -> Self {
        Self {
            code: 2,
            error: error.into(),
        }
    }
}

impl fmt::Display for CliError {
    /// The error and its causes on one line: "cannot read x.toml: No such file or directory".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:#}", self.error);
        f.write_str(text.trim_end())
    }
}

pub type CliResult<T = ExitCode> = Result<T, CliError>;
