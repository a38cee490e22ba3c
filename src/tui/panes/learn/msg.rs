//! The Learn tab's messages: the result of a refresh.

use crate::learn::{LabUrls, Progress, Status};
use crate::tasks::{TaskError, TaskFailure};

#[derive(Debug)]
pub enum Msg {
    /// A refresh ended: every lesson's status, the progress and the lab's addresses.
    Refreshed(Result<Box<Refreshed>, TaskError<TaskFailure>>),
}

/// What a refresh job brings back.
#[derive(Debug, Clone)]
pub struct Refreshed {
    pub statuses: Vec<Status>,
    pub progress: Progress,
    pub urls: Option<LabUrls>,
}
