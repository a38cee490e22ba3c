//! The Audit tab's jobs: one URL, every target of a file with bounded concurrency, or the
//! lint of an API description. Options are read (a CA file) off the UI thread, here.

use std::path::PathBuf;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::lint_report::LintReport;
use super::msg::Msg;
use crate::audit::setup::AuditSetup;
use crate::spec::{Document, LoadOptions, Location};
use crate::tasks::{Progress, TaskKind, TaskRunner};
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

#[derive(Debug)]
pub enum AuditJob {
    /// Audit one URL.
    One { url: String, setup: AuditSetup },
    /// Audit the URLs of a targets file: the file is read off the UI thread, its targets
    /// come back first, then each report as it finishes.
    Batch { path: PathBuf, setup: AuditSetup },
    /// Lint the API description at a path or URL, as `apiward spec lint` does: a URL only on
    /// this machine (the loader's own guard), `$ref`s to other hosts refused.
    Lint { source: String },
}

impl PaneJob for AuditJob {
    type Msg = Msg;

    fn start(self, runner: &TaskRunner, emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        match self {
            AuditJob::One { url, setup } => {
                let runner = runner.clone();
                async move {
                    let options = match quick_io(move || setup.options()).await {
                        Ok(options) => options,
                        Err(e) => return Msg::Audited(Err(e)),
                    };
                    let handle =
                        runner.spawn(
                            TaskKind::Audit,
                            format!("audit {url}"),
                            move |_| async move {
                                Ok(Box::new(crate::audit::audit(&url, &options).await))
                            },
                        );
                    Msg::Audited(handle.join_typed().await)
                }
                .boxed()
            }
            AuditJob::Batch { path, setup } => {
                let runner = runner.clone();
                async move {
                    let read = quick_io(move || {
                        let options = setup.options()?;
                        let urls = crate::audit::targets::read(&path)?;
                        anyhow::Ok((options, urls, setup.concurrency()))
                    });
                    let (options, urls, concurrency) = match read.await {
                        Ok(read) => read,
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
                        crate::audit::audit_many(urls, &options, concurrency, on_done).await;
                        Ok(())
                    });
                    Msg::BatchEnded(handle.join_typed().await)
                }
                .boxed()
            }
            AuditJob::Lint { source } => {
                let title = format!("lint {source}");
                let handle = runner.spawn(TaskKind::Audit, title, move |ctx| async move {
                    let location = Location::parse(&source);
                    let doc = Document::load(&location, &LoadOptions::default()).await?;
                    // Loaded: the walk is the other half, and CPU work off the async threads.
                    ctx.progress(Progress::Fraction(0.5));
                    let report =
                        tokio::task::spawn_blocking(move || LintReport::new(source, &doc)).await?;
                    ctx.progress(Progress::Fraction(1.0));
                    Ok(Box::new(report))
                });
                async move { Msg::Linted(handle.join_typed().await) }.boxed()
            }
        }
    }
}
