//! Running one task from the CLI: a runtime, the shared runner, and progress on stderr.

use std::future::Future;

use super::CliError;
use crate::tasks::{TaskContext, TaskError, TaskFailure, TaskKind, TaskRunner};

/// Runs `work` as a CPU task on the runner's pool, with a progress bar when stderr is a
/// terminal, and returns its result.
pub fn run_cpu<T, F>(kind: TaskKind, title: String, work: F) -> Result<T, CliError>
where
    T: Send + 'static,
    F: FnOnce(&TaskContext) -> anyhow::Result<T> + Send + 'static,
{
    block_on(|runner| runner.spawn_cpu(kind, title, work).join_typed())
}

/// Runs `work` as an async task on tokio, with a progress bar when stderr is a terminal.
pub fn run_async<T, F, Fut>(kind: TaskKind, title: String, work: F) -> Result<T, CliError>
where
    T: Send + 'static,
    F: FnOnce(TaskContext) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    block_on(|runner| runner.spawn(kind, title, work).join_typed())
}

fn block_on<T, J, Fut>(start: J) -> Result<T, CliError>
where
    J: FnOnce(&TaskRunner) -> Fut,
    Fut: Future<Output = Result<T, TaskError<TaskFailure>>>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (runner, events) = TaskRunner::new(1);
        let progress = super::progress::spawn(events, super::progress::wanted());
        let result = start(&runner).await;
        // Dropping the last runner closes the channel, which ends the progress drawer.
        drop(runner);
        let _ = progress.await;
        // The task's own error goes on whole, so its kind sets the exit code.
        result.map_err(|e| match e {
            TaskError::Failed(failure) => failure.into(),
            cancelled => cancelled.into(),
        })
    })
}
