//! The JWT tab's jobs: crack a secret, forge the attack variants, probe an endpoint, recover
//! the public key from signatures and save it.

use std::path::PathBuf;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::Msg;
use super::probe_form::ProbeRequest;
use crate::jwt::{CrackTarget, Decoded, ForgeOptions};
use crate::tasks::{Progress, TaskKind, TaskRunner};
use crate::tui::jobs::{Emitter, PaneJob, quick_io};

pub enum JwtJob {
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
    Probe { request: Box<ProbeRequest> },
    /// Recover the public key behind the tokens through the core `jwt::recover`, as
    /// `apiward jwt recover-key` does: a CPU task with progress and cancel.
    Recover { tokens: Vec<Decoded> },
    /// Fetch the JWKS at `url` to verify with, through the core `net::fetch_jwks` that
    /// `apiward jwt verify --jwks URL` uses.
    FetchJwks { url: String },
    /// Write a recovered public key's PEM into the workspace as `name`, mode 0644.
    SaveKey {
        /// The workspace named on the command line; `None`: the default one.
        workspace: Option<PathBuf>,
        name: String,
        pem: String,
    },
}

// Never the secret or the token.
impl std::fmt::Debug for JwtJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwtJob::Crack { target, wordlist } => {
                write!(f, "JwtJob::Crack({}, {wordlist:?})", target.alg())
            }
            JwtJob::Forge { decoded, .. } => write!(f, "JwtJob::Forge({:?})", decoded.alg),
            JwtJob::Probe { request } => {
                write!(f, "JwtJob::Probe({})", request.setup.target.url)
            }
            JwtJob::Recover { tokens } => {
                let alg = tokens.first().and_then(|t| t.alg.as_deref());
                write!(f, "JwtJob::Recover({alg:?}, {} tokens)", tokens.len())
            }
            JwtJob::SaveKey { name, .. } => write!(f, "JwtJob::SaveKey({name})"),
            JwtJob::FetchJwks { url } => write!(f, "JwtJob::FetchJwks({url})"),
        }
    }
}

impl PaneJob for JwtJob {
    type Msg = Msg;

    fn start(self, runner: &TaskRunner, _emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        match self {
            JwtJob::Crack { target, wordlist } => {
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
                async move { Msg::Cracked(handle.join_typed().await) }.boxed()
            }
            JwtJob::Forge { decoded, options } => {
                let handle =
                    runner.spawn_cpu(TaskKind::Other, "forge attack variants", move |_| {
                        Ok(crate::jwt::forge(&decoded, &options)?)
                    });
                async move { Msg::Forged(handle.join_typed().await) }.boxed()
            }
            JwtJob::Probe { request } => {
                let ProbeRequest {
                    mut setup,
                    key_file,
                    ca_file,
                } = *request;
                let url = setup.target.url.clone();
                let handle = runner.spawn(
                    TaskKind::Probe,
                    format!("probe {url}"),
                    move |ctx| async move {
                        // The files are read here, off the UI thread.
                        if let Some(path) = key_file {
                            let pem = read(&path, "the public key").await?;
                            setup.options.public_key_pem =
                                Some(String::from_utf8_lossy(&pem).into_owned());
                        }
                        if let Some(path) = ca_file {
                            setup.ca_pem = Some(read(&path, "the CA").await?);
                        }
                        let report = crate::jwt::probe_run::run(setup, |done, total| {
                            ctx.progress(Progress::Count {
                                done: done as u64,
                                total: Some(total as u64),
                            })
                        })
                        .await?;
                        Ok(Box::new(report))
                    },
                );
                async move { Msg::Probed(handle.join_typed().await) }.boxed()
            }
            JwtJob::Recover { tokens } => {
                let raw: Vec<String> = tokens.iter().map(|t| t.raw.clone()).collect();
                let alg = tokens[0].alg.clone().unwrap_or_default();
                let handle =
                    runner.spawn_cpu(TaskKind::Other, format!("recover {alg} key"), move |ctx| {
                        Ok(crate::jwt::recover::recover(&tokens, ctx)?)
                    });
                async move {
                    Msg::Recovered {
                        tokens: raw,
                        result: handle.join_typed().await,
                    }
                }
                .boxed()
            }
            JwtJob::FetchJwks { url } => {
                let fetched = url.clone();
                let handle = runner.spawn(
                    TaskKind::Other,
                    format!("fetch JWKS {url}"),
                    |_| async move {
                        let options = crate::net::ClientOptions::default();
                        Ok(crate::net::fetch_jwks(&fetched, &options).await?)
                    },
                );
                async move {
                    Msg::JwksFetched {
                        url,
                        result: handle.join_typed().await,
                    }
                }
                .boxed()
            }
            JwtJob::SaveKey {
                workspace,
                name,
                pem,
            } => async move {
                Msg::KeySaved(quick_io(move || save_public(workspace, &name, &pem)).await)
            }
            .boxed(),
        }
    }
}

/// A file the probe needs, or a sentence naming it.
async fn read(path: &std::path::Path, what: &str) -> anyhow::Result<Vec<u8>> {
    tokio::fs::read(path)
        .await
        .map_err(|e| anyhow::anyhow!("{what} {} could not be read: {e}", path.display()))
}

/// Writes a public key into the workspace folder the Keys tab uses, atomically and 0644
/// whatever the umask: it is public, and other tools are to read it.
fn save_public(workspace: Option<PathBuf>, name: &str, pem: &str) -> anyhow::Result<PathBuf> {
    let dir = crate::paths::workspace(workspace.as_deref()).ok_or_else(|| {
        anyhow::anyhow!("no workspace folder: start apiward with --workspace DIR")
    })?;
    let path = dir.join(name);
    // The mode is set on the temp file, so the key never shows under another mode.
    crate::fs::write_atomic_with(&path, pem.as_bytes(), crate::fs::Perm::Keep, |tmp| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp, std::fs::Permissions::from_mode(0o644))?;
        }
        #[cfg(not(unix))]
        let _ = tmp;
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
