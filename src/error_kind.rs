//! What kind of failure an error is, so a front end can act on it without reading its words:
//! the CLI turns it into its exit code, the TUI may phrase or offer a retry by it. Each core
//! error enum implements [`Kind`]; `crate::kind_of` finds it in an error's chain, so a new
//! subcommand that returns core errors gets the right exit code without choosing one.

/// The two ways work goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// The work ran and failed: the network or a server, or a check's verdict (exit 1).
    Failure,
    /// What was given cannot be used: an argument, a file, a token, a key (exit 2).
    BadInput,
}

/// Implemented by every core error type.
pub trait Kind {
    fn exit_kind(&self) -> ExitKind;
}

/// Errors that are bad input in every variant.
macro_rules! bad_input {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::error_kind::Kind for $ty {
            fn exit_kind(&self) -> $crate::error_kind::ExitKind {
                $crate::error_kind::ExitKind::BadInput
            }
        }
    )*};
}
pub(crate) use bad_input;
