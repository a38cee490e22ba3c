//! The Request tab's jobs: read the workspace, send, and the response body's formatting,
//! jq filters, searches and saving; saving, moving and deleting stored requests.

use std::path::PathBuf;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::Msg;
use super::search::Haystack;
use crate::http::{History, Prepared, Request, Stored};
use crate::tasks::{TaskKind, TaskRunner};
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

pub enum RequestJob {
    /// Read the workspace (`None`: the default folder).
    LoadWorkspace { dir: Option<PathBuf> },
    /// Send the request.
    Send {
        request: Box<Request>,
        prepared: Box<Prepared>,
        history: Option<History>,
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
        haystack: Haystack,
        query: String,
    },
    /// Write a response body (or a filter's result) to a file.
    SaveBody { path: PathBuf, bytes: bytes::Bytes },
    /// Delete the stored request `at` from its file in the workspace at `dir`.
    DeleteRequest { dir: PathBuf, at: Box<Stored> },
    /// Move the stored request `at` to the `.http` file `target` names (see
    /// `Workspace::move_target`).
    MoveRequest {
        dir: PathBuf,
        at: Box<Stored>,
        target: String,
    },
    /// Save the request into the workspace at `dir`: over the stored request `at` (its
    /// file, and its position there), else as `requests/NAME.http`.
    SaveRequest {
        dir: PathBuf,
        request: Box<Request>,
        at: Option<Box<Stored>>,
    },
}

// URLs are shown with their secrets masked; bodies only by size.
impl std::fmt::Debug for RequestJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestJob::LoadWorkspace { dir } => write!(f, "LoadWorkspace({dir:?})"),
            RequestJob::Send { prepared, .. } => write!(f, "Send({} {})", prepared.method, {
                crate::http::sensitive::redact_url(&prepared.url, &prepared.redactor)
            }),
            RequestJob::FormatBody { seq, body, .. } => {
                write!(f, "FormatBody({seq}, {} bytes)", body.len())
            }
            RequestJob::FilterBody { seq, filter, .. } => write!(f, "FilterBody({seq}, {filter})"),
            RequestJob::SearchBody { seq, .. } => write!(f, "SearchBody({seq})"),
            RequestJob::SaveBody { path, bytes } => {
                write!(f, "SaveBody({}, {} bytes)", path.display(), bytes.len())
            }
            RequestJob::DeleteRequest { at, .. } => {
                write!(f, "DeleteRequest({}#{})", at.path.display(), at.index)
            }
            RequestJob::MoveRequest { at, target, .. } => {
                write!(
                    f,
                    "MoveRequest({}#{} to {target})",
                    at.path.display(),
                    at.index
                )
            }
            RequestJob::SaveRequest { dir, request, at } => {
                write!(f, "SaveRequest({}, {}", dir.display(), request.name)?;
                if let Some(at) = at {
                    write!(f, ", at {}#{}", at.path.display(), at.index)?;
                }
                f.write_str(")")
            }
        }
    }
}

impl PaneJob for RequestJob {
    type Msg = Msg;

    fn start(self, runner: &TaskRunner, emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        match self {
            // Reading a few files is no task of the user's: off the task board and the
            // status bar.
            RequestJob::LoadWorkspace { dir } => async move {
                let load = move || super::load::load(dir).map_err(|e| anyhow::anyhow!(e));
                Msg::Loaded(quick_io(load).await.map(Box::new))
            }
            .boxed(),
            RequestJob::Send {
                request,
                prepared,
                history,
            } => {
                let handle = crate::http::spawn_send(runner, *request, *prepared, history);
                // The pane needs the task's id to cancel it with Esc; say it before any result.
                emit.send(Msg::SendStarted(handle.id));
                async move { Msg::Sent(handle.join_typed().await.map(Box::new)) }.boxed()
            }
            RequestJob::FormatBody { seq, body, json } => {
                let title = "format the response body";
                let handle = runner.spawn_cpu(TaskKind::Other, title, move |_| {
                    Ok(super::formatted::format(&body, json))
                });
                async move { Msg::BodyFormatted(seq, handle.join_typed().await) }.boxed()
            }
            RequestJob::FilterBody { seq, body, filter } => {
                let title = format!("jq {filter}");
                let handle = runner.spawn(TaskKind::Other, title, move |ctx| async move {
                    // On a blocking thread: a slow filter holds neither the async workers nor
                    // the CPU pool, and a cancel ends the task at once (the filter stops at
                    // its next value).
                    let token = ctx.token();
                    let run =
                        move || crate::http::jq::run(&body, &filter, &|| token.is_cancelled());
                    Ok(tokio::task::spawn_blocking(run).await??)
                });
                async move { Msg::Filtered(seq, handle.join_typed().await) }.boxed()
            }
            RequestJob::SearchBody {
                seq,
                haystack,
                query,
            } => {
                let handle = runner.spawn_cpu(TaskKind::Other, "search the body", move |_| {
                    Ok(super::search::find(&haystack, &query))
                });
                async move { Msg::Searched(seq, handle.join_typed().await) }.boxed()
            }
            RequestJob::SaveBody { path, bytes } => {
                let title = format!("save the body to {}", path.display());
                let handle = runner.spawn_cpu(TaskKind::Other, title, move |_| {
                    crate::http::workspace::write_atomic(&path, &bytes)?;
                    Ok(format!("Saved {} bytes to {}", bytes.len(), path.display()))
                });
                async move { Msg::BodySaved(handle.join_typed().await) }.boxed()
            }
            RequestJob::DeleteRequest { dir, at } => async move {
                let delete = move || {
                    crate::http::Workspace::open(&dir).delete_at(&at)?;
                    Ok::<_, crate::http::WorkspaceError>(super::origin::stored_name(&at))
                };
                Msg::Deleted(quick_io(delete).await)
            }
            .boxed(),
            RequestJob::MoveRequest { dir, at, target } => async move {
                let move_it = move || {
                    let ws = crate::http::Workspace::open(&dir);
                    let moved = ws.move_to(&at, &target)?;
                    // Read back, so the editor takes the variables of its new file.
                    let (requests, _) = ws.requests_and_problems()?;
                    let now = (requests.into_iter())
                        .find(|s| s.path == moved.path && s.index == moved.index);
                    Ok::<_, crate::http::WorkspaceError>(Box::new(super::origin::Relocated {
                        from: super::origin::Origin::of(&at),
                        moved,
                        now,
                    }))
                };
                Msg::Moved(quick_io(move_it).await)
            }
            .boxed(),
            RequestJob::SaveRequest { dir, request, at } => async move {
                let save = move || super::store::save(&dir, &request, at.as_deref());
                Msg::Saved(quick_io(save).await.map(Box::new))
            }
            .boxed(),
        }
    }
}
