//! Many targets at once: bounded concurrency, one report per target in input order, and a
//! callback as each finishes (the CLI drives its progress bar from it).

use futures_util::StreamExt;

use super::{AuditOptions, AuditReport, audit};

/// Audits every URL with at most `concurrency` running at once. Each target is bounded by
/// `opts.target_timeout`, so a slow or broken host costs one slot for that long and never
/// stalls the rest. `on_done` sees each report as it completes; the result is in input order.
pub async fn audit_many<I, S>(
    urls: I,
    opts: &AuditOptions,
    concurrency: usize,
    on_done: impl Fn(&AuditReport),
) -> Vec<AuditReport>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let urls: Vec<String> = urls.into_iter().map(|u| u.as_ref().to_string()).collect();
    // Owned URLs: a stream of futures borrowing from a local trips rustc's Send inference
    // (higher-ranked lifetimes) when the whole batch runs inside a spawned task.
    let mut done: Vec<(usize, AuditReport)> =
        futures_util::stream::iter(urls.into_iter().enumerate())
            .map(|(i, url)| async move { (i, audit(&url, opts).await) })
            .buffer_unordered(concurrency.max(1))
            .inspect(|(_, report)| on_done(report))
            .collect()
            .await;
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}
