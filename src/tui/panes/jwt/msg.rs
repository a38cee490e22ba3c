//! The JWT tab's messages: the results of the jobs it starts.

use crate::jwt;
use crate::tasks::TaskError;

#[derive(Debug)]
pub enum Msg {
    /// A crack ended: the secret, none found, or why it stopped.
    Cracked(Result<Option<jwt::crack::Found>, TaskError>),
    /// A probe ended with its report.
    Probed(Result<Box<jwt::probe::ProbeReport>, TaskError>),
    /// A forge ended with its variants.
    Forged(Result<Vec<jwt::Variant>, TaskError>),
}
