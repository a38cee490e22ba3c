//! The Keys tab's messages: the results of opening, saving and generating.

use crate::keys::{KeyEntry, Keyring};
use crate::tasks::{TaskError, TaskFailure};

/// Why a key is being generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GenPurpose {
    /// `g`: added as a next key.
    Add,
    /// The rotation needs a new next key; the rotation runs when it arrives.
    Rotate { force: bool },
}

#[derive(Debug)]
pub enum Msg {
    /// The open (or create) job ended.
    Opened(Result<Box<Keyring>, TaskError<TaskFailure>>),
    /// A save job ended.
    Saved(Result<(), TaskError<TaskFailure>>),
    /// A key generation job ended.
    Generated(GenPurpose, Result<Box<KeyEntry>, TaskError<TaskFailure>>),
}
