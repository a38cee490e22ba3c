//! The JWT tab's messages: the results of the jobs it starts.

use crate::jwt;
use crate::tui::jobs::JobError;

#[derive(Debug)]
pub enum Msg {
    /// A crack ended: the secret, none found, or why it stopped.
    Cracked(Result<Option<jwt::crack::Found>, JobError>),
    /// A probe ended with its report.
    Probed(Result<Box<jwt::probe::ProbeReport>, JobError>),
    /// A forge ended with its variants.
    Forged(Result<Vec<jwt::Variant>, JobError>),
}
