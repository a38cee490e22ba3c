//! The lab's one writer: a thread, fed by a channel, that appends access-log lines and saves
//! the exploit record. Handlers run on the async workers (inside the workbench's runtime too),
//! where blocking file I/O and the fsyncs of an atomic write would stall other requests and
//! the screen; here a handler only sends.
//!
//! The log middleware waits for the writer before answering ([`Writer::flush`]), so once a
//! client has its answer, its log line and any exploit it recorded are on disk, and a lesson
//! checked from another process right after sees them.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::progress::{self, Success};

/// How many queued jobs one round handles before answering the flushes it has seen.
const BATCH: usize = 256;

enum Job {
    Line(String),
    /// Every success this lab knows, merged into the shared file.
    Progress(Vec<Success>),
    Flush(tokio::sync::oneshot::Sender<()>),
}

/// The sending side; the thread ends when it is dropped.
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Opens the access log for appending (so a bad path fails the start, not a request) and
    /// starts the thread.
    pub fn spawn(log: &Path, progress: PathBuf) -> std::io::Result<Self> {
        // Private: redacted as it is, it still says who tried what against the lab.
        let file = crate::fs::open_append(log, crate::fs::Perm::Private)?;
        let (tx, rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("apiward-lab-writer".into())
            .spawn(move || run(&rx, file, &progress))?;
        Ok(Self { tx })
    }

    /// Queues one access-log line (without its newline).
    pub fn line(&self, line: String) {
        let _ = self.tx.send(Job::Line(line));
    }

    /// Queues a save of the exploit record.
    pub fn progress(&self, all: Vec<Success>) {
        let _ = self.tx.send(Job::Progress(all));
    }

    /// Waits until everything queued before this call is written.
    pub async fn flush(&self) {
        let (done, wait) = tokio::sync::oneshot::channel();
        if self.tx.send(Job::Flush(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

fn run(rx: &mpsc::Receiver<Job>, mut log: File, progress_file: &Path) {
    while let Ok(first) = rx.recv() {
        let mut lines = String::new();
        let mut latest = None;
        let mut waiting = Vec::new();
        for job in std::iter::once(first).chain(rx.try_iter().take(BATCH)) {
            match job {
                Job::Line(l) => {
                    lines.push_str(&l);
                    lines.push('\n');
                }
                // Each snapshot holds all the earlier ones: the last is enough.
                Job::Progress(all) => latest = Some(all),
                Job::Flush(done) => waiting.push(done),
            }
        }
        // One write of whole lines: O_APPEND keeps another lab's lines from landing inside
        // ours. No fsync: a log line lost to a power cut costs nothing, and it would slow
        // every answer.
        if !lines.is_empty()
            && let Err(e) = log.write_all(lines.as_bytes())
        {
            tracing::warn!("lab access log not written: {e}");
        }
        if let Some(all) = latest
            && let Err(e) = progress::merge(progress_file, &all)
        {
            tracing::warn!("lab progress not saved: {e}");
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}
