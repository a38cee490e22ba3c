//! The Request tab's messages: the results of the jobs it starts.

use super::body::Formatted;
use super::load::Loaded;
use super::search::Found;
use super::store::Saved;
use crate::http::Exchange;
use crate::http::jq;
use crate::tasks::TaskId;
use crate::tui::jobs::JobError;

#[derive(Debug)]
pub enum Msg {
    /// The workspace was read.
    Loaded(Result<Box<Loaded>, JobError>),
    /// A send started as this task (so Esc can cancel it).
    SendStarted(TaskId),
    /// A send ended; a cancel is `Err(JobError::Cancelled)`, which is not a failure.
    Sent(Result<Box<Exchange>, JobError>),
    /// A large response body was formatted, for the response with this sequence number.
    BodyFormatted(u64, Result<Formatted, JobError>),
    /// A jq filter on a response body ended (the filter job with this sequence number).
    Filtered(u64, Result<jq::Output, JobError>),
    /// A search through a large response body ended.
    Searched(u64, Result<Found, JobError>),
    /// The request was saved into the workspace (or why not).
    Saved(Result<Box<Saved>, JobError>),
    /// A stored request was deleted: its name.
    Deleted(Result<String, JobError>),
    /// A response body was written to a file: what to say.
    BodySaved(Result<String, JobError>),
}
