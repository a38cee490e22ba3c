//! The Keys tab's jobs: open or create the keyring (scrypt), save it, generate a key (RSA
//! takes seconds).

use std::sync::Arc;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use super::msg::{GenPurpose, Msg};
use crate::keys::{self, KeyEntry, Keyring, KeyringFile, Policy};
use crate::tasks::{TaskKind, TaskRunner};
use crate::tui::jobs::{Emitter, PaneJob};

pub enum KeysJob {
    /// Open the keyring (scrypt: a fraction of a second), or create it with the default
    /// policy first.
    Open {
        file: Arc<KeyringFile>,
        create: bool,
    },
    /// Encrypt and write the keyring: the tab's open ring itself, shared, so the job never
    /// holds a copy of the keys.
    Save {
        file: Arc<KeyringFile>,
        ring: Arc<Keyring>,
    },
    /// Generate a signing key.
    Generate {
        alg: String,
        bits: usize,
        now: i64,
        purpose: GenPurpose,
    },
}

// Never the passphrase or a key.
impl std::fmt::Debug for KeysJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeysJob::Open { file, create } => {
                write!(
                    f,
                    "KeysJob::Open({}, create: {create})",
                    file.path.display()
                )
            }
            KeysJob::Save { file, .. } => write!(f, "KeysJob::Save({})", file.path.display()),
            KeysJob::Generate { alg, purpose, .. } => {
                write!(f, "KeysJob::Generate({alg}, {purpose:?})")
            }
        }
    }
}

/// The open job's work: open the keyring, or create it with the default policy.
pub fn open_or_create(file: &KeyringFile, create: bool) -> keys::Result<Keyring> {
    if create {
        let ring = Keyring::new(Policy::default());
        file.create(&ring)?;
        Ok(ring)
    } else {
        file.open()
    }
}

impl PaneJob for KeysJob {
    type Msg = Msg;

    fn start(self, runner: &TaskRunner, _emit: Emitter<Msg>) -> BoxFuture<'static, Msg> {
        match self {
            KeysJob::Open { file, create } => {
                let title = if create {
                    "create the keyring"
                } else {
                    "open the keyring"
                };
                let handle = runner.spawn_cpu(TaskKind::Other, title, move |_| {
                    Ok(open_or_create(&file, create).map(Box::new)?)
                });
                async move { Msg::Opened(handle.join_typed().await) }.boxed()
            }
            KeysJob::Save { file, ring } => {
                let handle = runner.spawn_cpu(TaskKind::Other, "save the keyring", move |_| {
                    Ok(file.save(&ring)?)
                });
                async move { Msg::Saved(handle.join_typed().await) }.boxed()
            }
            KeysJob::Generate {
                alg,
                bits,
                now,
                purpose,
            } => {
                let title = format!("generate a {alg} key");
                let handle = runner.spawn_cpu(TaskKind::KeyGen, title, move |_| {
                    Ok(KeyEntry::generate(&alg, bits, None, now).map(Box::new)?)
                });
                async move { Msg::Generated(purpose, handle.join_typed().await) }.boxed()
            }
        }
    }
}
