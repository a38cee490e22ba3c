//! Jobs: the long work panes ask for, started on the shared task runner. Each job's result
//! comes back to the app as a [`Msg`], so panes never wait on anything.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::path::PathBuf;

use super::app::Msg;
use std::sync::Arc;

use crate::audit::AuditOptions;
use crate::jwt::{CrackTarget, Decoded, ForgeOptions};
use crate::tasks::{TaskKind, TaskRunner};

/// Work a pane wants done in the background.
pub enum Job {
    /// Crack a token's HMAC secret: the built-in weak secrets, then the wordlist if given.
    Crack {
        target: CrackTarget,
        wordlist: Option<PathBuf>,
    },
    /// Make every attack variant of a token (may generate an RSA key pair).
    Forge {
        decoded: Box<Decoded>,
        options: ForgeOptions,
    },
    /// Probe an endpoint through the core `probe_run::run`, as `apiward jwt probe` does.
    Probe {
        request: Box<crate::tui::panes::jwt::ProbeRequest>,
    },
    /// Audit one URL.
    Audit { url: String, options: AuditOptions },
    /// Read the workspace for the Request tab (`None`: the default folder).
    LoadWorkspace { dir: Option<PathBuf> },
    /// Send a request from the Request tab.
    Send {
        request: Box<crate::http::Request>,
        prepared: Box<crate::http::Prepared>,
        history: Option<crate::http::History>,
    },
    /// Pretty-print a large response body off the UI thread.
    FormatBody {
        seq: u64,
        body: bytes::Bytes,
        json: bool,
    },
    /// Run a jq filter on a response body.
    FilterBody {
        seq: u64,
        body: bytes::Bytes,
        filter: String,
    },
    /// Search a large response body.
    SearchBody {
        seq: u64,
        haystack: crate::tui::panes::request::search::Haystack,
        query: String,
    },
    /// Write a response body (or a filter's result) to a file.
    SaveBody { path: PathBuf, bytes: bytes::Bytes },
    /// Save the Request tab's request into the workspace at `dir`: over the stored request
    /// `at` (its file, and its position there), else as `requests/NAME.http`.
    SaveRequest {
        dir: PathBuf,
        request: Box<crate::http::Request>,
        /// The stored request it goes back over, when it has one.
        at: Option<Box<crate::http::Stored>>,
    },
    /// Audit the URLs of a targets file: the file is read off the UI thread, its targets
    /// come back first, then each report as it finishes.
    AuditBatch {
        path: PathBuf,
        options: AuditOptions,
    },
    /// Open the keyring (scrypt: a fraction of a second), or create it with the default
    /// policy first.
    KeysOpen {
        file: Arc<crate::keys::KeyringFile>,
        create: bool,
    },
    /// Encrypt and write the keyring: the Keys tab's open ring itself, shared, so the job
    /// never holds a copy of the keys.
    KeysSave {
        file: Arc<crate::keys::KeyringFile>,
        ring: Arc<crate::keys::Keyring>,
    },
    /// Note findings, reveal a hint and check the lessons: small file reads and writes.
    Learn(crate::tui::panes::learn::RefreshRequest),
    /// Generate a signing key (RSA takes seconds).
    KeysGenerate {
        alg: String,
        bits: usize,
        now: i64,
        purpose: crate::tui::panes::keys::GenPurpose,
    },
}

/// Sends messages back to the app while a job runs (batch results as they arrive).
pub type Emit = Arc<dyn Fn(Msg) + Send + Sync>;

/// Targets audited at once in a batch from the TUI.
const BATCH_CONCURRENCY: usize = 16;

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Crack { target, wordlist } => {
                write!(f, "Job::Crack({}, {wordlist:?})", target.alg())
            }
            Job::Forge { decoded, .. } => write!(f, "Job::Forge({:?})", decoded.alg),
            Job::Audit { url, .. } => write!(f, "Job::Audit({url})"),
            Job::Probe { request } => write!(f, "Job::Probe({})", request.setup.target.url),
            Job::AuditBatch { path, .. } => write!(f, "Job::AuditBatch({})", path.display()),
            Job::LoadWorkspace { dir } => write!(f, "Job::LoadWorkspace({dir:?})"),
            Job::Send { prepared, .. } => write!(f, "Job::Send({} {})", prepared.method, {
                crate::http::sensitive::redact_url(&prepared.url, &prepared.redactor)
            }),
            Job::FormatBody { seq, body, .. } => {
                write!(f, "Job::FormatBody({seq}, {} bytes)", body.len())
            }
            Job::FilterBody { seq, filter, .. } => write!(f, "Job::FilterBody({seq}, {filter})"),
            Job::SearchBody { seq, .. } => write!(f, "Job::SearchBody({seq})"),
            Job::SaveBody { path, bytes } => {
                write!(
                    f,
                    "Job::SaveBody({}, {} bytes)",
                    path.display(),
                    bytes.len()
                )
            }
            Job::SaveRequest { dir, request, at } => {
                write!(f, "Job::SaveRequest({}, {}", dir.display(), request.name)?;
                if let Some(at) = at {
                    write!(f, ", at {}#{}", at.path.display(), at.index)?;
                }
                f.write_str(")")
            }
            // Never the passphrase.
            Job::KeysOpen { file, create } => {
                write!(
                    f,
                    "Job::KeysOpen({}, create: {create})",
                    file.path.display()
                )
            }
            Job::KeysSave { file, .. } => write!(f, "Job::KeysSave({})", file.path.display()),
            Job::Learn(req) => write!(f, "Job::Learn({})", req.course.workspace.display()),
            Job::KeysGenerate { alg, purpose, .. } => {
                write!(f, "Job::KeysGenerate({alg}, {purpose:?})")
            }
        }
    }
}

/// Small file work on a blocking thread, kept off the task board: it is over before a task
/// row could be read, and a task's "finished" line would push the job's own message out of
/// the status bar.
async fn quick_io<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<Box<T>, String>
where
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(value)) => Ok(Box::new(value)),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Starts `job` on the runner and returns the future of its result message.
pub fn start(job: Job, runner: &TaskRunner, emit: Emit) -> BoxFuture<'static, Msg> {
    match job {
        Job::Crack { target, wordlist } => {
            let title = match &wordlist {
                Some(path) => format!("crack {} secret with {}", target.alg(), path.display()),
                None => format!("crack {} secret", target.alg()),
            };
            let handle = runner.spawn_cpu(TaskKind::Crack, title, move |ctx| {
                Ok(crate::jwt::crack_with_task(
                    ctx,
                    &target,
                    wordlist.as_deref(),
                )?)
            });
            async move { Msg::Cracked(handle.join().await.map_err(|e| e.to_string())) }.boxed()
        }
        Job::Forge { decoded, options } => {
            let handle = runner.spawn_cpu(TaskKind::Other, "forge attack variants", move |_| {
                Ok(crate::jwt::forge(&decoded, &options)?)
            });
            async move { Msg::Forged(handle.join().await.map_err(|e| e.to_string())) }.boxed()
        }
        Job::Probe { request } => {
            let crate::tui::panes::jwt::ProbeRequest {
                mut setup,
                key_file,
            } = *request;
            let url = setup.target.url.clone();
            let handle = runner.spawn(
                TaskKind::Probe,
                format!("probe {url}"),
                move |ctx| async move {
                    // The public key file is read here, off the UI thread.
                    if let Some(path) = key_file {
                        let pem = tokio::fs::read(&path).await.map_err(|e| {
                            anyhow::anyhow!(
                                "the public key {} could not be read: {e}",
                                path.display()
                            )
                        })?;
                        setup.options.public_key_pem =
                            Some(String::from_utf8_lossy(&pem).into_owned());
                    }
                    let report = crate::jwt::probe_run::run(setup, |done, total| {
                        ctx.progress(crate::tasks::Progress::Count {
                            done: done as u64,
                            total: Some(total as u64),
                        })
                    })
                    .await?;
                    Ok(Box::new(report))
                },
            );
            async move { Msg::Probed(handle.join().await.map_err(|e| e.to_string())) }.boxed()
        }
        Job::Audit { url, options } => {
            let handle = runner.spawn(
                TaskKind::Audit,
                format!("audit {url}"),
                move |_| async move { Ok(Box::new(crate::audit::audit(&url, &options).await)) },
            );
            async move { Msg::Audited(handle.join().await.map_err(|e| e.to_string())) }.boxed()
        }
        Job::Learn(req) => async move {
            Msg::LearnRefreshed(quick_io(move || crate::tui::panes::learn::refresh(req)).await)
        }
        .boxed(),
        Job::LoadWorkspace { dir } => {
            let handle = runner.spawn_cpu(TaskKind::Other, "load the workspace", move |_| {
                crate::tui::panes::request::load::load(dir)
                    .map(Box::new)
                    .map_err(|e| anyhow::anyhow!(e))
            });
            async move { Msg::RequestLoaded(handle.join().await.map_err(|e| e.to_string())) }
                .boxed()
        }
        Job::Send {
            request,
            prepared,
            history,
        } => {
            let handle = crate::http::spawn_send(runner, *request, *prepared, history);
            // The pane needs the task's id to cancel it with Esc; say it before any result.
            emit(Msg::RequestSending(handle.id));
            async move { Msg::RequestSent(handle.join().await.map(Box::new)) }.boxed()
        }
        Job::FormatBody { seq, body, json } => {
            let handle = runner.spawn_cpu(TaskKind::Other, "format the response body", move |_| {
                Ok(crate::tui::panes::request::body::format(&body, json))
            });
            async move { Msg::RequestBody(seq, handle.join().await.map_err(|e| e.to_string())) }
                .boxed()
        }
        Job::FilterBody { seq, body, filter } => {
            let title = format!("jq {filter}");
            let handle = runner.spawn(TaskKind::Other, title, move |ctx| async move {
                // On a blocking thread: a slow filter holds neither the async workers nor the
                // CPU pool, and a cancel ends the task at once (the filter stops at its next
                // value).
                let token = ctx.token();
                let run = move || crate::http::jq::run(&body, &filter, &|| token.is_cancelled());
                Ok(tokio::task::spawn_blocking(run).await??)
            });
            async move { Msg::RequestFiltered(seq, handle.join().await.map_err(|e| e.to_string())) }
                .boxed()
        }
        Job::SearchBody {
            seq,
            haystack,
            query,
        } => {
            let handle = runner.spawn_cpu(TaskKind::Other, "search the body", move |_| {
                Ok(crate::tui::panes::request::search::find(&haystack, &query))
            });
            async move { Msg::RequestSearched(seq, handle.join().await.map_err(|e| e.to_string())) }
                .boxed()
        }
        Job::SaveBody { path, bytes } => {
            let title = format!("save the body to {}", path.display());
            let handle = runner.spawn_cpu(TaskKind::Other, title, move |_| {
                crate::http::workspace::write_atomic(&path, &bytes)?;
                Ok(format!("Saved {} bytes to {}", bytes.len(), path.display()))
            });
            async move {
                Msg::Status(
                    handle
                        .join()
                        .await
                        .unwrap_or_else(|e| format!("Cannot save the body: {e}")),
                )
            }
            .boxed()
        }
        Job::SaveRequest { dir, request, at } => async move {
            let save =
                move || crate::tui::panes::request::save::save(&dir, &request, at.as_deref());
            Msg::RequestSaved(quick_io(save).await)
        }
        .boxed(),
        Job::KeysOpen { file, create } => {
            let title = if create {
                "create the keyring"
            } else {
                "open the keyring"
            };
            let handle = runner.spawn_cpu(TaskKind::Other, title, move |_| {
                Ok(crate::tui::panes::keys::open_or_create(&file, create).map(Box::new)?)
            });
            async move { Msg::KeysOpened(handle.join().await.map_err(|e| e.to_string())) }.boxed()
        }
        Job::KeysSave { file, ring } => {
            let handle = runner.spawn_cpu(TaskKind::Other, "save the keyring", move |_| {
                Ok(file.save(&ring)?)
            });
            async move { Msg::KeysSaved(handle.join().await.map_err(|e| e.to_string())) }.boxed()
        }
        Job::KeysGenerate {
            alg,
            bits,
            now,
            purpose,
        } => {
            let title = format!("generate a {alg} key");
            let handle = runner.spawn_cpu(TaskKind::KeyGen, title, move |_| {
                Ok(crate::keys::KeyEntry::generate(&alg, bits, None, now).map(Box::new)?)
            });
            async move {
                Msg::KeysGenerated(purpose, handle.join().await.map_err(|e| e.to_string()))
            }
            .boxed()
        }
        Job::AuditBatch { path, options } => {
            let runner = runner.clone();
            async move {
                let read = move || crate::audit::targets::read(&path);
                let urls = match quick_io(read).await {
                    Ok(urls) => *urls,
                    Err(e) => return Msg::Status(e),
                };
                emit(Msg::AuditBatchTargets(urls.clone()));
                let total = urls.len() as u64;
                let title = format!("audit {total} targets");
                let emit_item = emit.clone();
                let handle = runner.spawn(TaskKind::Audit, title, move |ctx| async move {
                    let done = std::sync::atomic::AtomicU64::new(0);
                    let on_done = move |report: &crate::audit::AuditReport| {
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        ctx.progress(crate::tasks::Progress::Count {
                            done: n,
                            total: Some(total),
                        });
                        emit_item(Msg::AuditBatchItem(Box::new(report.clone())));
                    };
                    crate::audit::audit_many(urls, &options, BATCH_CONCURRENCY, on_done).await;
                    Ok(())
                });
                match handle.join().await {
                    Ok(()) => Msg::Status("Batch audit finished".to_string()),
                    Err(e) => Msg::Status(format!("Batch audit {e}")),
                }
            }
            .boxed()
        }
    }
}
