//! What is wrong with an `.http` file and on which line: the error the parser and the
//! readers of its scripts and directives share, kept below all of them.

/// What is wrong with a file, and where (1-based line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

crate::error_kind::bad_input!(ParseError);

pub(super) fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}
