//! Jobs: the long work a pane asks for. A pane defines its jobs as a type of its own that
//! implements [`PaneJob`]: starting it on the shared task runner gives a future of the pane's
//! own message. The app never looks inside; the event loop starts the erased [`Job`] and
//! routes the message back to the pane.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::{Msg, PaneMsg};
use crate::tasks::{TaskError, TaskFailure, TaskRunner};

/// Why a job gave no result: cancelled, or failed with the task's own error inside, which a
/// pane may downcast to act on its kind.
pub type JobError = TaskError<TaskFailure>;

/// Sends messages back to the app while a job runs (batch results as they arrive).
pub type Emit = Arc<dyn Fn(Msg) + Send + Sync>;

/// A pane's emitter: sends that pane's messages to it while a job runs.
pub struct Emitter<M> {
    emit: Emit,
    _msg: PhantomData<fn(M)>,
}

impl<M> Clone for Emitter<M> {
    fn clone(&self) -> Self {
        Self {
            emit: self.emit.clone(),
            _msg: PhantomData,
        }
    }
}

impl<M: Into<PaneMsg>> Emitter<M> {
    pub fn send(&self, msg: M) {
        (self.emit)(Msg::Pane(msg.into()))
    }

    /// A line for the status bar.
    pub fn status(&self, text: String) {
        (self.emit)(Msg::Status(text))
    }
}

/// Long work of one pane. `Debug` names it for logs and tests and never shows a secret.
pub trait PaneJob: fmt::Debug + Send + 'static {
    /// The pane's message type, which the job's result comes back as.
    type Msg: Into<PaneMsg> + Send + 'static;

    /// Starts the work on `runner` (or on a blocking thread, for small file work) and returns
    /// the future of its final message; `emit` sends messages before that.
    fn start(self, runner: &TaskRunner, emit: Emitter<Self::Msg>) -> BoxFuture<'static, Self::Msg>;
}

/// A pane's job with its type erased, as the app and the event loop carry it.
pub struct Job(Box<dyn Erased>);

trait Erased: Send {
    fn start(self: Box<Self>, runner: &TaskRunner, emit: Emit) -> BoxFuture<'static, Msg>;
    fn as_any(&self) -> &dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

impl<J: PaneJob> Erased for J {
    fn start(self: Box<Self>, runner: &TaskRunner, emit: Emit) -> BoxFuture<'static, Msg> {
        let emitter = Emitter {
            emit,
            _msg: PhantomData,
        };
        PaneJob::start(*self, runner, emitter)
            .map(|msg| Msg::Pane(msg.into()))
            .boxed()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }

    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl Job {
    pub fn new(job: impl PaneJob) -> Self {
        Job(Box::new(job))
    }

    /// Starts the job on `runner`; the future resolves to the message for its pane.
    pub fn start(self, runner: &TaskRunner, emit: Emit) -> BoxFuture<'static, Msg> {
        self.0.start(runner, emit)
    }

    /// The pane's own job, when it is of type `J` (tests look inside).
    pub fn peek<J: PaneJob>(&self) -> Option<&J> {
        self.0.as_any().downcast_ref()
    }

    /// The pane's own job, taken out, when it is of type `J`.
    pub fn into_inner<J: PaneJob>(self) -> Option<J> {
        self.0.into_any().downcast().ok().map(|job| *job)
    }
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f)
    }
}

/// Small file work on a blocking thread, kept off the task board: it is over before a task
/// row could be read, and a task's "finished" line would push the job's own message out of
/// the status bar.
pub async fn quick_io<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, JobError>
where
    T: Send + 'static,
    E: Into<anyhow::Error> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(TaskError::Failed(e.into().into())),
        Err(e) => Err(TaskError::Failed(anyhow::Error::from(e).into())),
    }
}
