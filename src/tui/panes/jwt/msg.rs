//! The JWT tab's messages: the results of the jobs it starts.

use std::path::PathBuf;

use crate::jwt;
use crate::jwt::recover::Candidate;
use crate::tui::jobs::JobError;

#[derive(Debug)]
pub enum Msg {
    /// A crack ended: the secret, none found, or why it stopped.
    Cracked(Result<Option<jwt::crack::Found>, JobError>),
    /// A probe ended with its report.
    Probed(Result<Box<jwt::probe::ProbeReport>, JobError>),
    /// A forge ended with its variants.
    Forged(Result<Vec<jwt::Variant>, JobError>),
    /// A key recovery ended: the tokens (raw) it worked from, and the candidates.
    Recovered {
        tokens: Vec<String>,
        result: Result<Vec<Candidate>, JobError>,
    },
    /// A recovered public key was saved, to this file.
    KeySaved(Result<PathBuf, JobError>),
}
