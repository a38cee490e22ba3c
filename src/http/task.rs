//! Sending as a task: the one call both front ends use. It sends, computes the findings,
//! records the history entry, and reports progress (body bytes) and a log line per phase.

use std::sync::Arc;

use serde::Serialize;

use super::findings;
use super::history::{Entry, History};
use super::model::Request;
use super::prepare::Prepared;
use super::response::Response;
use super::send::{SendError, send};
use crate::findings::Finding;
use crate::tasks::{Progress, TaskHandle, TaskKind, TaskRunner};

/// A finished exchange: the answer and what is wrong with it.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    pub response: Response,
    pub findings: Vec<Finding>,
}

/// Sends, checks, and records in `history` (when given) whether it worked or not. A history
/// that cannot be written does not fail the send; its error is returned beside the result.
pub async fn run(
    request: &Request,
    prepared: &Prepared,
    history: Option<&History>,
    progress: super::OnProgress<'_>,
) -> (Result<Exchange, SendError>, Option<String>) {
    let result = send(prepared, progress).await.map(|response| Exchange {
        findings: findings::check(prepared, &response),
        response,
    });
    let history_error = match history {
        Some(h) => {
            let outcome = match &result {
                Ok(x) => Ok(&x.response),
                Err(e) => Err(e.to_string()),
            };
            let entry = Entry::new(
                request,
                prepared,
                outcome.as_ref().map_err(String::as_str).copied(),
            );
            // The append locks and fsyncs a file: off the async workers, which draw the TUI
            // and serve the lab.
            let h = h.clone();
            match tokio::task::spawn_blocking(move || h.append(&entry)).await {
                Ok(written) => written.err().map(|e| e.to_string()),
                Err(e) => Some(e.to_string()),
            }
        }
        None => None,
    };
    (result, history_error)
}

/// Sends on the task runner. Cancelling the task drops the send, which closes the
/// connection. The task fails with the send error's sentence (secrets redacted).
pub fn spawn_send(
    runner: &TaskRunner,
    request: Request,
    prepared: Prepared,
    history: Option<History>,
) -> TaskHandle<Exchange> {
    let title = format!(
        "{} {}",
        prepared.method,
        super::sensitive::redact_url(&prepared.url, &prepared.redactor)
    );
    runner.spawn(TaskKind::Send, title, move |ctx| async move {
        ctx.progress(Progress::Indeterminate);
        let reporter = {
            let ctx = ctx.clone();
            Arc::new(move |bytes: u64| {
                ctx.progress(Progress::Count {
                    done: bytes,
                    total: None,
                })
            })
        };
        let (result, history_error) =
            run(&request, &prepared, history.as_ref(), Some(&*reporter)).await;
        if let Some(e) = history_error {
            ctx.log(format!("history not written: {e}"));
        }
        let exchange =
            result.map_err(|e| anyhow::anyhow!(prepared.redactor.redact(&e.to_string())))?;
        let r = &exchange.response;
        ctx.log(format!(
            "{} {} in {:.1} ms, {} bytes",
            r.status,
            r.reason,
            r.timing.total_ms,
            r.body.len()
        ));
        Ok(exchange)
    })
}
