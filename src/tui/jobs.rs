//! Jobs: the long work panes ask for, started on the shared task runner. Each job's result
//! comes back to the app as a [`Msg`], so panes never wait on anything.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use std::path::PathBuf;

use super::app::Msg;
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
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Crack { target, wordlist } => {
                write!(f, "Job::Crack({}, {wordlist:?})", target.alg())
            }
            Job::Forge { decoded, .. } => write!(f, "Job::Forge({:?})", decoded.alg),
        }
    }
}

/// Starts `job` on the runner and returns the future of its result message.
pub fn start(job: Job, runner: &TaskRunner) -> BoxFuture<'static, Msg> {
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
    }
}
