//! The Request tab's messages: the results of the jobs it starts.

use super::formatted::Formatted;
use super::load::Loaded;
use super::origin::Relocated;
use super::search::Found;
use super::store::Saved;
use crate::http::Exchange;
use crate::http::jq;
use crate::tasks::TaskId;
use crate::tasks::{TaskError, TaskFailure};

#[derive(Debug)]
pub enum Msg {
    /// The workspace was read.
    Loaded(Result<Box<Loaded>, TaskError<TaskFailure>>),
    /// A send started as this task (so Esc can cancel it).
    SendStarted(TaskId),
    /// A send ended; a cancel is `Err(TaskError<TaskFailure>::Cancelled)`, which is not a failure.
    Sent(Result<Box<Exchange>, TaskError<TaskFailure>>),
    /// A large response body was formatted, for the response with this sequence number.
    BodyFormatted(u64, Result<Formatted, TaskError<TaskFailure>>),
    /// A jq filter on a response body ended (the filter job with this sequence number).
    Filtered(u64, Result<jq::Output, TaskError<TaskFailure>>),
    /// A search through a large response body ended.
    Searched(u64, Result<Found, TaskError<TaskFailure>>),
    /// The request was saved into the workspace (or why not).
    Saved(Result<Box<Saved>, TaskError<TaskFailure>>),
    /// A stored request moved to another file.
    Moved(Result<Box<Relocated>, TaskError<TaskFailure>>),
    /// A stored request was deleted: its name.
    Deleted(Result<String, TaskError<TaskFailure>>),
    /// A response body was written to a file: what to say.
    BodySaved(Result<String, TaskError<TaskFailure>>),
}
