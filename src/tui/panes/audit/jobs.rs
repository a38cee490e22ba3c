//! The Audit tab's jobs: one URL, or every target of a file with bounded concurrency.

use std::path::PathBuf;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::Msg;
use crate::audit::AuditOptions;
use crate::tasks::{Progress, TaskKind, TaskRunner};
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

/// Targets audited at once in a batch from the TUI.
const BATCH_CONCURRENCY: usize = 16;

#[derive(Debug)]
pub enum AuditJob {
    /// Audit one URL.
    One { url: String, options: AuditOptions },
    /// Audit the URLs of a targets file: the file is read off the UI thread, its targets
    /// come back first, then each report as it finishes.
    Batch {
        path: PathBuf,
        options: AuditOptions,
    },
}

impl PaneJob for AuditJob {
    type Msg = Msg;

    fn start(self, runner: &TaskRunner, emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        match self {
            AuditJob::One { url, options } => {
                let handle = runner.spawn(
                    TaskKind::Audit,
                    format!("audit {url}"),
                    move |_| async move { Ok(Box::new(crate::audit::audit(&url, &options).await)) },
                );
                async move { Msg::Audited(handle.join_typed().await) }.boxed()
            }
            AuditJob::Batch { path, options } => {
                let runner = runner.clone();
                async move {
                    let urls = match quick_io(move || crate::audit::targets::read(&path)).await {
                        Ok(urls) => urls,
                        Err(e) => return Msg::BatchEnded(Err(e)),
                    };
                    emit.send(Msg::BatchTargets(urls.clone()));
                    let total = urls.len() as u64;
                    let title = format!("audit {total} targets");
                    let handle = runner.spawn(TaskKind::Audit, title, move |ctx| async move {
                        let done = std::sync::atomic::AtomicU64::new(0);
                        let on_done = move |report: &crate::audit::AuditReport| {
                            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                            ctx.progress(Progress::Count {
                                done: n,
                                total: Some(total),
                            });
                            emit.send(Msg::BatchItem(Box::new(report.clone())));
                        };
                        crate::audit::audit_many(urls, &options, BATCH_CONCURRENCY, on_done).await;
                        Ok(())
                    });
                    Msg::BatchEnded(handle.join_typed().await)
                }
                .boxed()
            }
        }
    }
}
