//! The shared task runner: every long or network job of every tool, for both front ends.
//!
//! A task has an id, a kind and a title, reports progress and log lines, and ends as done,
//! failed or cancelled. Everything a task says travels as a [`TaskEvent`] on one channel, which
//! the TUI turns into messages and the CLI into a progress bar; the typed result goes back to
//! whoever spawned the task through its [`TaskHandle`]. Async tasks run on tokio behind a
//! semaphore; CPU-bound tasks run on a rayon pool sized to the cores, created on first use so
//! start-up stays cheap.

mod board;

pub use board::{TaskBoard, TaskState, TaskView};

use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

/// Progress events closer together than this are dropped (the last one always gets through),
/// so a tight loop that reports every guess cannot flood the front ends.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);

/// Async tasks allowed to run at once; the rest wait their turn.
pub const DEFAULT_CONCURRENCY: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u64);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// What sort of work a task is, for labels and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskKind {
    Send,
    Audit,
    Crack,
    Probe,
    KeyGen,
    Lab,
    Other,
}

impl TaskKind {
    pub fn label(self) -> &'static str {
        match self {
            TaskKind::Send => "send",
            TaskKind::Audit => "audit",
            TaskKind::Crack => "crack",
            TaskKind::Probe => "probe",
            TaskKind::KeyGen => "keygen",
            TaskKind::Lab => "lab",
            TaskKind::Other => "task",
        }
    }
}

/// How far a task has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// Started, with nothing measurable yet.
    Indeterminate,
    /// A share of the work, 0.0 to 1.0.
    Fraction(f64),
    /// Units done (guesses, requests), out of an optional total. The board derives a rate.
    Count { done: u64, total: Option<u64> },
}

impl Progress {
    /// The share done, where it is known.
    pub fn fraction(&self) -> Option<f64> {
        match *self {
            Progress::Indeterminate => None,
            Progress::Fraction(f) => Some(f.clamp(0.0, 1.0)),
            Progress::Count {
                done,
                total: Some(total),
            } if total > 0 => Some((done as f64 / total as f64).clamp(0.0, 1.0)),
            Progress::Count { .. } => None,
        }
    }
}

/// How a task ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskEnd {
    Done,
    Failed(String),
    Cancelled,
}

/// Everything a task reports, in order, on the runner's channel.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskEvent {
    Started {
        id: TaskId,
        kind: TaskKind,
        title: String,
    },
    Progress {
        id: TaskId,
        progress: Progress,
    },
    Log {
        id: TaskId,
        line: String,
    },
    Ended {
        id: TaskId,
        end: TaskEnd,
    },
}

impl TaskEvent {
    pub fn id(&self) -> TaskId {
        match self {
            TaskEvent::Started { id, .. }
            | TaskEvent::Progress { id, .. }
            | TaskEvent::Log { id, .. }
            | TaskEvent::Ended { id, .. } => *id,
        }
    }
}

/// Why a task gave no result. `F` is what a failure carries: its message by default
/// ([`TaskHandle::join`]), or the task's own error as a [`TaskFailure`]
/// ([`TaskHandle::join_typed`]), which a front end can downcast to act on its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError<F = String> {
    #[error("{0}")]
    Failed(F),
    #[error("cancelled")]
    Cancelled,
}

impl<F> crate::error_kind::Kind for TaskError<F> {
    /// A task's failure is classed by its own error (see `cli::error`); a cancelled one did
    /// not do its work.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        crate::error_kind::ExitKind::Failure
    }
}

impl From<TaskError<TaskFailure>> for TaskError {
    fn from(e: TaskError<TaskFailure>) -> Self {
        match e {
            TaskError::Failed(f) => TaskError::Failed(f.to_string()),
            TaskError::Cancelled => TaskError::Cancelled,
        }
    }
}

/// A task's error, kept whole (shared, so the failure stays `Clone`). It reads as the error
/// and its causes on one line, as a task's failure always has; [`TaskFailure::error`] gives
/// the error itself to downcast.
#[derive(Clone)]
pub struct TaskFailure(Arc<anyhow::Error>);

impl TaskFailure {
    pub fn error(&self) -> &anyhow::Error {
        &self.0
    }

    /// The first error of type `E` in the chain, if any.
    pub fn downcast_ref<E: std::error::Error + Send + Sync + 'static>(&self) -> Option<&E> {
        self.0.chain().find_map(|e| e.downcast_ref::<E>())
    }
}

impl From<anyhow::Error> for TaskFailure {
    fn from(error: anyhow::Error) -> Self {
        Self(Arc::new(error))
    }
}

impl fmt::Display for TaskFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl fmt::Debug for TaskFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TaskFailure({:#})", self.0)
    }
}

/// No `source()`: the message above already holds the causes, and a second copy of them would
/// print twice; [`TaskFailure::error`] reaches them.
impl std::error::Error for TaskFailure {}

/// A failure the runner itself made (a panic, a task that vanished).
fn failure(message: String) -> TaskError<TaskFailure> {
    TaskError::Failed(anyhow::anyhow!(message).into())
}

/// What a running task holds: its id, its cancellation token and the way to report.
#[derive(Clone)]
pub struct TaskContext {
    id: TaskId,
    events: mpsc::UnboundedSender<TaskEvent>,
    token: CancellationToken,
    last_progress: Arc<Mutex<Option<Instant>>>,
}

impl TaskContext {
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// For CPU-bound loops: check this every few thousand iterations and stop when true.
    pub fn is_cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Resolves when the task is cancelled.
    pub async fn cancelled(&self) {
        self.token.cancelled().await
    }

    /// A token that is cancelled with this task, for handing to sub-work.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// Reports progress. Reports closer than 50 ms apart are dropped, except a finished count
    /// or fraction, so callers can report as often as is convenient.
    pub fn progress(&self, progress: Progress) {
        let finished = progress.fraction() == Some(1.0);
        let now = Instant::now();
        {
            let mut last = self.last_progress.lock().unwrap_or_else(|e| e.into_inner());
            if !finished && last.is_some_and(|t| now.duration_since(t) < PROGRESS_INTERVAL) {
                return;
            }
            *last = Some(now);
        }
        let _ = self.events.send(TaskEvent::Progress {
            id: self.id,
            progress,
        });
    }

    pub fn log(&self, line: impl Into<String>) {
        let _ = self.events.send(TaskEvent::Log {
            id: self.id,
            line: line.into(),
        });
    }
}

/// The spawner's end of a task: its id, and its result once it ends.
pub struct TaskHandle<T> {
    pub id: TaskId,
    result: oneshot::Receiver<Result<T, TaskError<TaskFailure>>>,
}

impl<T> TaskHandle<T> {
    /// The result, a failure as its message.
    pub async fn join(self) -> Result<T, TaskError> {
        self.join_typed().await.map_err(TaskError::from)
    }

    /// The result, a failure with the task's own error in it.
    pub async fn join_typed(self) -> Result<T, TaskError<TaskFailure>> {
        self.result
            .await
            .unwrap_or_else(|_| Err(failure("the task vanished".into())))
    }
}

/// Spawns, tracks and cancels tasks. Cheap to clone; all clones share one set of tasks.
#[derive(Clone)]
pub struct TaskRunner {
    inner: Arc<Inner>,
}

struct Inner {
    next_id: AtomicU64,
    events: mpsc::UnboundedSender<TaskEvent>,
    tokens: Mutex<Vec<(TaskId, CancellationToken)>>,
    async_slots: Arc<Semaphore>,
    runtime: tokio::runtime::Handle,
    cpu_pool: OnceLock<Option<rayon::ThreadPool>>,
}

impl TaskRunner {
    /// A runner on the current tokio runtime, and the receiver for its events.
    ///
    /// # Panics
    /// When called outside a tokio runtime.
    pub fn new(max_concurrent: usize) -> (Self, mpsc::UnboundedReceiver<TaskEvent>) {
        let (events, rx) = mpsc::unbounded_channel();
        let inner = Inner {
            next_id: AtomicU64::new(1),
            events,
            tokens: Mutex::new(Vec::new()),
            async_slots: Arc::new(Semaphore::new(max_concurrent.max(1))),
            runtime: tokio::runtime::Handle::current(),
            cpu_pool: OnceLock::new(),
        };
        (
            Self {
                inner: Arc::new(inner),
            },
            rx,
        )
    }

    /// The number of threads CPU-bound tasks share.
    pub fn cpu_threads() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// Runs an async task on tokio. At most `max_concurrent` run at once.
    pub fn spawn<T, F, Fut>(&self, kind: TaskKind, title: impl Into<String>, f: F) -> TaskHandle<T>
    where
        T: Send + 'static,
        F: FnOnce(TaskContext) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
    {
        let (ctx, tx, handle) = self.start(kind, title.into());
        let slots = self.inner.async_slots.clone();
        let runner = self.clone();
        self.inner.runtime.spawn(async move {
            let token = ctx.token.clone();
            let permit = tokio::select! {
                biased;
                _ = token.cancelled() => None,
                permit = slots.acquire_owned() => permit.ok(),
            };
            let outcome = match permit {
                None => Err(TaskError::Cancelled),
                Some(_permit) => {
                    // Its own tokio task, so a panic inside is a failure of this task only.
                    let mut job = tokio::spawn(f(ctx.clone()));
                    tokio::select! {
                        biased;
                        _ = token.cancelled() => {
                            job.abort();
                            Err(TaskError::Cancelled)
                        }
                        joined = &mut job => match joined {
                            Ok(Ok(value)) => Ok(value),
                            Ok(Err(err)) => Err(TaskError::Failed(err.into())),
                            Err(join) if join.is_panic() => {
                                Err(failure(panic_message(join.into_panic())))
                            }
                            Err(_) => Err(TaskError::Cancelled),
                        },
                    }
                }
            };
            runner.finish(ctx.id, outcome, tx);
        });
        handle
    }

    /// Runs a CPU-bound task on the shared thread pool. The closure should check
    /// [`TaskContext::is_cancelled`] often; rayon's parallel iterators inside it use the same
    /// pool.
    pub fn spawn_cpu<T, F>(&self, kind: TaskKind, title: impl Into<String>, f: F) -> TaskHandle<T>
    where
        T: Send + 'static,
        F: FnOnce(&TaskContext) -> anyhow::Result<T> + Send + 'static,
    {
        let (ctx, tx, handle) = self.start(kind, title.into());
        let runner = self.clone();
        let job = move || {
            let outcome = if ctx.is_cancelled() {
                Err(TaskError::Cancelled)
            } else {
                match catch_unwind(AssertUnwindSafe(|| f(&ctx))) {
                    _ if ctx.is_cancelled() => Err(TaskError::Cancelled),
                    Ok(Ok(value)) => Ok(value),
                    Ok(Err(err)) => Err(TaskError::Failed(err.into())),
                    Err(panic) => Err(failure(panic_message(panic))),
                }
            };
            runner.finish(ctx.id, outcome, tx);
        };
        match self.cpu_pool() {
            Some(pool) => pool.spawn(job),
            // No pool could be built (thread limits): fall back to tokio's blocking threads.
            None => drop(self.inner.runtime.spawn_blocking(job)),
        }
        handle
    }

    /// Cancels a running task. Returns false when no such task is running.
    pub fn cancel(&self, id: TaskId) -> bool {
        let tokens = self.inner.tokens.lock().unwrap_or_else(|e| e.into_inner());
        match tokens.iter().find(|(tid, _)| *tid == id) {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    /// Cancels every running task, for shutdown.
    pub fn cancel_all(&self) {
        let tokens = self.inner.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.iter().for_each(|(_, token)| token.cancel());
    }

    /// How many tasks have started and not yet ended.
    pub fn running(&self) -> usize {
        self.inner
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    #[allow(clippy::type_complexity)]
    fn start<T>(
        &self,
        kind: TaskKind,
        title: String,
    ) -> (
        TaskContext,
        oneshot::Sender<Result<T, TaskError<TaskFailure>>>,
        TaskHandle<T>,
    ) {
        let id = TaskId(self.inner.next_id.fetch_add(1, Ordering::Relaxed));
        let token = CancellationToken::new();
        self.inner
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, token.clone()));
        let _ = self
            .inner
            .events
            .send(TaskEvent::Started { id, kind, title });
        let (tx, rx) = oneshot::channel();
        let ctx = TaskContext {
            id,
            events: self.inner.events.clone(),
            token,
            last_progress: Arc::new(Mutex::new(None)),
        };
        (ctx, tx, TaskHandle { id, result: rx })
    }

    fn finish<T>(
        &self,
        id: TaskId,
        outcome: Result<T, TaskError<TaskFailure>>,
        tx: oneshot::Sender<Result<T, TaskError<TaskFailure>>>,
    ) {
        self.inner
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(tid, _)| *tid != id);
        let end = match &outcome {
            Ok(_) => TaskEnd::Done,
            Err(TaskError::Failed(msg)) => TaskEnd::Failed(msg.to_string()),
            Err(TaskError::Cancelled) => TaskEnd::Cancelled,
        };
        let _ = self.inner.events.send(TaskEvent::Ended { id, end });
        let _ = tx.send(outcome);
    }

    fn cpu_pool(&self) -> Option<&rayon::ThreadPool> {
        self.inner
            .cpu_pool
            .get_or_init(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(Self::cpu_threads())
                    .thread_name(|i| format!("apiward-cpu-{i}"))
                    .build()
                    .ok()
            })
            .as_ref()
    }
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".into());
    format!("the task panicked: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Long enough that only a task that never stops hits it: tests assert behaviour, not
    /// timings, and a loaded 2-core machine may be slow.
    const NEVER: Duration = Duration::from_secs(30);

    async fn wait_for_end(
        rx: &mut mpsc::UnboundedReceiver<TaskEvent>,
        id: TaskId,
        within: Duration,
    ) -> TaskEnd {
        tokio::time::timeout(within, async {
            loop {
                match rx.recv().await {
                    Some(TaskEvent::Ended { id: got, end }) if got == id => return end,
                    Some(_) => continue,
                    None => panic!("channel closed"),
                }
            }
        })
        .await
        .expect("the task never ended")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn async_task_returns_its_value_and_reports() {
        let (runner, mut rx) = TaskRunner::new(4);
        let handle = runner.spawn(TaskKind::Other, "sum", |ctx| async move {
            ctx.log("adding");
            ctx.progress(Progress::Fraction(1.0));
            Ok(2 + 2)
        });
        let id = handle.id;
        assert_eq!(handle.join().await, Ok(4));
        let mut seen = Vec::new();
        while let Ok(ev) = rx.try_recv() {
            seen.push(ev);
        }
        assert!(matches!(&seen[0], TaskEvent::Started { title, .. } if title == "sum"));
        assert!(seen.contains(&TaskEvent::Log {
            id,
            line: "adding".into()
        }));
        assert_eq!(
            seen.last(),
            Some(&TaskEvent::Ended {
                id,
                end: TaskEnd::Done
            })
        );
        assert_eq!(runner.running(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_async_task_stops_on_cancel() {
        let (runner, mut rx) = TaskRunner::new(4);
        // Deliberately uncooperative: it never looks at its token.
        let handle = runner.spawn(TaskKind::Other, "sleepy", |_ctx| async move {
            tokio::time::sleep(Duration::from_secs(600)).await;
            Ok(())
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(runner.cancel(handle.id));
        // Well before the 600 s sleep would have ended on its own.
        let end = wait_for_end(&mut rx, handle.id, NEVER).await;
        assert_eq!(end, TaskEnd::Cancelled);
        assert_eq!(handle.join().await, Err(TaskError::Cancelled));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_cpu_task_stops_on_cancel() {
        let (runner, mut rx) = TaskRunner::new(4);
        let handle = runner.spawn_cpu(TaskKind::Crack, "spin", |ctx| {
            let mut n: u64 = 0;
            while !ctx.is_cancelled() {
                n = n.wrapping_add(1);
                ctx.progress(Progress::Count {
                    done: n,
                    total: None,
                });
            }
            Ok(n)
        });
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert!(runner.cancel(handle.id));
        // It spins until told to stop: ending at all shows the cancel got through.
        let end = wait_for_end(&mut rx, handle.id, NEVER).await;
        assert_eq!(end, TaskEnd::Cancelled);
        assert!(
            !runner.cancel(handle.id),
            "an ended task cannot be cancelled"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrency_is_bounded() {
        let (runner, _rx) = TaskRunner::new(2);
        let live = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (live, peak) = (live.clone(), peak.clone());
                runner.spawn(TaskKind::Other, format!("t{i}"), move |_| async move {
                    let now = live.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    live.fetch_sub(1, Ordering::SeqCst);
                    Ok(i)
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            assert_eq!(h.join().await, Ok(i));
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failures_and_panics_become_failed_tasks() {
        let (runner, _rx) = TaskRunner::new(2);
        let failed = runner.spawn(TaskKind::Other, "fails", |_| async {
            Err::<(), _>(anyhow::anyhow!("connection refused"))
        });
        assert_eq!(
            failed.join().await,
            Err(TaskError::Failed("connection refused".into()))
        );
        let panicked = runner.spawn_cpu(TaskKind::Other, "panics", |_| -> anyhow::Result<()> {
            panic!("boom")
        });
        let err = panicked.join().await.unwrap_err().to_string();
        assert!(err.contains("panicked: boom"), "{err}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failure_keeps_the_tasks_own_error_to_downcast() {
        #[derive(Debug, thiserror::Error)]
        #[error("port {0} is closed")]
        struct Closed(u16);
        let (runner, _rx) = TaskRunner::new(2);
        let failed = runner.spawn(TaskKind::Other, "fails", |_| async {
            Err::<(), _>(anyhow::Error::new(Closed(8080)).context("cannot send"))
        });
        let Err(TaskError::Failed(failure)) = failed.join_typed().await else {
            panic!("the task did not fail");
        };
        // The same sentence as before, and the error itself underneath it.
        assert_eq!(failure.to_string(), "cannot send: port 8080 is closed");
        assert_eq!(failure.downcast_ref::<Closed>().map(|c| c.0), Some(8080));
        let message: TaskError = TaskError::Failed(failure).into();
        assert_eq!(
            message,
            TaskError::Failed("cannot send: port 8080 is closed".into())
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn progress_is_throttled_but_completion_gets_through() {
        let (runner, mut rx) = TaskRunner::new(2);
        let handle = runner.spawn_cpu(TaskKind::Other, "count", |ctx| {
            for done in 0..=100_000u64 {
                ctx.progress(Progress::Count {
                    done,
                    total: Some(100_000),
                });
            }
            Ok(())
        });
        handle.join().await.unwrap();
        let mut progress = Vec::new();
        while let Ok(ev) = rx.try_recv() {
            if let TaskEvent::Progress { progress: p, .. } = ev {
                progress.push(p);
            }
        }
        assert!(progress.len() < 1000, "{} progress events", progress.len());
        assert_eq!(progress.last().and_then(Progress::fraction), Some(1.0));
    }
}
