//! The JWT tab's messages: the results of the jobs it starts.

use std::path::PathBuf;

use crate::jwt;
use crate::jwt::recover::Candidate;
use crate::tasks::{TaskError, TaskFailure};

#[derive(Debug)]
pub enum Msg {
    /// A crack ended: the secret, none found, or why it stopped.
    Cracked(Result<Option<jwt::crack::Found>, TaskError<TaskFailure>>),
    /// A probe ended with its report.
    Probed(Result<Box<jwt::probe::ProbeReport>, TaskError<TaskFailure>>),
    /// A forge ended with its variants.
    Forged(Result<Vec<jwt::Variant>, TaskError<TaskFailure>>),
    /// A key recovery ended: the tokens (raw) it worked from, and the candidates.
    Recovered {
        tokens: Vec<String>,
        result: Result<Vec<Candidate>, TaskError<TaskFailure>>,
    },
    /// A JWKS was fetched from `url` to verify with (or why not).
    JwksFetched {
        url: String,
        result: Result<String, TaskError<TaskFailure>>,
    },
    /// A recovered public key was saved, to this file.
    KeySaved(Result<PathBuf, TaskError<TaskFailure>>),
}
