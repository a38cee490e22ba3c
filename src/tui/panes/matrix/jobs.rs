//! The Matrix tab's job: `apiward authz --all` over the tab's workspace, set up by the same
//! core as the CLI's, with each planned row and each answered cell sent to the pane as the
//! run goes.

use std::path::PathBuf;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::Msg;
use crate::authz::select::Selection;
use crate::authz::watch::Watch;
use crate::authz::{Cell, Row, matrix, setup};
use crate::http::workspace::Workspace;
use crate::tasks::{Progress, TaskContext, TaskKind, TaskRunner};
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

#[derive(Debug)]
pub enum MatrixJob {
    /// Every request of the workspace (`None`: the default one) as every identity.
    Run {
        dir: Option<PathBuf>,
        /// Also send methods that may change data (the CLI's `--unsafe`).
        unsafe_methods: bool,
        /// Hosts beyond loopback the user confirmed (the CLI's `--allow-host`).
        allow_hosts: Vec<String>,
    },
}

impl PaneJob for MatrixJob {
    type Msg = Msg;

    fn start(self, runner: &TaskRunner, emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        let MatrixJob::Run {
            dir,
            unsafe_methods,
            allow_hosts,
        } = self;
        let runner = runner.clone();
        async move {
            // The workspace and its identities are read off the UI thread, as the CLI reads
            // them before its run.
            let planned = quick_io(move || -> anyhow::Result<_> {
                let dir = crate::paths::workspace(dir.as_deref())
                    .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace"))?;
                let ws = Workspace::open(dir);
                let all = Selection {
                    all: true,
                    ..Selection::default()
                };
                let (mut plan, problems) = setup::plan(&ws, &all, &[], None)?;
                plan.unsafe_methods = unsafe_methods;
                plan.allow_hosts = allow_hosts;
                Ok((ws, plan, problems))
            })
            .await;
            let (ws, plan, problems) = match planned {
                Ok(p) => p,
                Err(e) => return Msg::Ended(Err(e)),
            };
            emit.send(Msg::Planned {
                identities: (plan.identities.iter())
                    .map(|i| (i.name.clone(), i.role))
                    .collect(),
                problems: problems.iter().map(ToString::to_string).collect(),
            });
            let title = format!(
                "authz {} requests × {} identities",
                plan.requests.len(),
                plan.identities.len()
            );
            let handle = runner.spawn(TaskKind::Send, title, move |ctx| async move {
                let live = Live { emit, ctx };
                Ok(Box::new(matrix::run(&ws, &plan, &live).await?))
            });
            Msg::Ended(handle.join_typed().await)
        }
        .boxed()
    }
}

/// The run's watcher: counts go to the task board, rows and cells to the pane.
struct Live {
    emit: Emitter<Msg>,
    ctx: TaskContext,
}

impl Watch for Live {
    fn progress(&self, done: u64, total: u64) {
        self.ctx.progress(Progress::Count {
            done,
            total: Some(total),
        });
    }

    fn rows(&self, first: usize, rows: &[Row]) {
        self.emit.send(Msg::Rows {
            first,
            rows: rows.to_vec(),
        });
    }

    fn cell(&self, row: usize, identity: usize, cell: &Cell) {
        self.emit.send(Msg::Cell {
            row,
            identity,
            cell: Box::new(cell.clone()),
        });
    }
}
