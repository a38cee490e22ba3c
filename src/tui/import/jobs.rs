//! The import dialog's jobs, on a blocking thread (`quick_io`): read the source and compare
//! it with the workspace, then write it through the same `Imported::apply` the CLI calls.

use std::fmt;
use std::path::PathBuf;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::{Msg, Planned, Written};
use crate::http::Workspace;
use crate::import::collection::Imported;
use crate::import::source::{self, Kind};
use crate::tasks::TaskRunner;
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

pub enum ImportJob {
    /// Read `source` (as `kind`, or as its contents show) and compare it with `dir`.
    Plan {
        seq: u64,
        source: String,
        kind: Option<Kind>,
        dir: PathBuf,
    },
    /// Write what was previewed into `dir`.
    Write {
        seq: u64,
        source: String,
        imported: Box<Imported>,
        dir: PathBuf,
    },
}

// The import may hold secret values read from the file: never printed.
impl fmt::Debug for ImportJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportJob::Plan {
                source, kind, dir, ..
            } => write!(f, "ImportPlan({source}, {kind:?}, {})", dir.display()),
            ImportJob::Write { source, dir, .. } => {
                write!(f, "ImportWrite({source}, {})", dir.display())
            }
        }
    }
}

impl PaneJob for ImportJob {
    type Msg = Msg;

    fn start(self, _runner: &TaskRunner, _emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        match self {
            ImportJob::Plan {
                seq,
                source,
                kind,
                dir,
            } => async move {
                let work = move || -> anyhow::Result<Box<Planned>> {
                    // A description given as a loopback URL is fetched: the read is async, and
                    // this blocking thread waits for it on the loop's own runtime.
                    let options = source::Options::default();
                    let read = tokio::runtime::Handle::current()
                        .block_on(source::read(&source, kind, &options))?;
                    let (changes, secrets) = read.imported.changes(&Workspace::open(&dir))?;
                    Ok(Box::new(Planned {
                        source,
                        kind: read.kind,
                        version: read.version.map(|v| v.label()),
                        imported: read.imported,
                        changes,
                        secrets,
                        dir,
                    }))
                };
                Msg::Planned {
                    seq,
                    result: quick_io(work).await,
                }
            }
            .boxed(),
            ImportJob::Write {
                seq,
                source,
                imported,
                dir,
            } => async move {
                let work = move || -> anyhow::Result<Box<Written>> {
                    let (changes, secrets) = imported.apply(&Workspace::open(&dir))?;
                    Ok(Box::new(Written {
                        source,
                        requests: imported.plan.request_count(),
                        changes,
                        secrets,
                        dir,
                    }))
                };
                Msg::Written {
                    seq,
                    result: quick_io(work).await,
                }
            }
            .boxed(),
        }
    }
}
