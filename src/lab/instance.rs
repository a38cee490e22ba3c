//! Each running lab's own folder, so labs started side by side (two `apiward lab`s, a lab and a
//! workbench, two workbenches) never rewrite each other's addresses, CA or key files.
//!
//! The lab root (`lab/` in the data directory, or `--dir`) keeps what every lab shares: the
//! exploit record `progress.json`, merged under a file lock so lessons count each lab's
//! exploits and keep them across restarts, and the append-only `access.log`. Each running lab
//! gets `instances/PID-N/` for its `lab.json`, `ca.pem` and `keys/`, and holds a lock in it for
//! as long as it runs. A lock that can be taken means the lab stopped or died (the kernel
//! drops a dead process's locks, so a recycled pid cannot fake a live lab); the next lab to
//! start removes that folder.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use crate::fs::FileLock;

/// The folder under the lab root that holds one folder per lab.
pub const INSTANCES: &str = "instances";
/// The lock a running lab holds in its folder (the sidecar `.running.lock`).
const ALIVE: &str = "running";
/// The file that says a lab is up: written once both listeners are bound.
const READY: &str = "lab.json";

/// A running lab's folder, alive while this value lives.
#[derive(Debug)]
pub struct Instance {
    pub dir: PathBuf,
    _alive: FileLock,
}

impl Instance {
    /// Removes the folders of labs that are gone, then makes and locks a new one under `root`.
    pub fn claim(root: &Path) -> std::io::Result<Self> {
        let parent = root.join(INSTANCES);
        std::fs::create_dir_all(&parent)?;
        // Sweeping and creating take turns, so a sweep never finds a folder whose lab has not
        // locked it yet and takes it for a dead one.
        let _turn = crate::fs::lock(&parent)?;
        sweep(&parent);
        remove_legacy(root);
        // Several labs in one process (tests, several `lab::start`s) count up, never reusing a
        // name; a dead process with the same pid may have left one behind, hence the loop.
        static NEXT: AtomicU32 = AtomicU32::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let dir = parent.join(format!("{}-{n}", std::process::id()));
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    let alive = crate::fs::lock(&dir.join(ALIVE))?;
                    return Ok(Self { dir, _alive: alive });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

/// Whether the lab owning `dir` still runs: its lock cannot be taken.
fn alive(dir: &Path) -> bool {
    matches!(
        crate::fs::lock_within(&dir.join(ALIVE), Duration::ZERO),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
    )
}

fn sweep(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        if dir.is_dir() && !alive(&dir) {
            // Its CA and kid key file go too: nothing uses them once their lab is gone.
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                tracing::warn!("stale lab folder {} not removed: {e}", dir.display());
            }
        }
    }
}

/// Removes what labs before per-lab folders kept at the top of the root: nothing reads it
/// now, and `keys/hs256.key` is a secret that would otherwise stay on disk for good.
fn remove_legacy(root: &Path) {
    for file in ["lab.json", "ca.pem"] {
        let _ = std::fs::remove_file(root.join(file));
    }
    let keys = root.join("keys");
    let _ = std::fs::remove_file(keys.join(super::jwt_routes::KID_FILE));
    // Only when that leaves it empty: the folder is not ours to empty otherwise.
    let _ = std::fs::remove_dir(&keys);
}

/// The folders of the labs running from `root`, the one to name first: this process's own
/// lab (the workbench's, whatever started since), then the most recently started.
pub fn live(root: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root.join(INSTANCES)) else {
        return Vec::new();
    };
    let own = format!("{}-", std::process::id());
    let mut found: Vec<(bool, SystemTime, u32, PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        // A folder without lab.json is a lab still starting: not one to point a learner at.
        .filter(|dir| dir.join(READY).is_file() && alive(dir))
        .map(|dir| {
            let name = dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let started = std::fs::metadata(dir.join(READY))
                .and_then(|m| m.modified())
                .unwrap_or(SystemTime::UNIX_EPOCH);
            // Within one process the counter orders labs started within one clock tick.
            let n = name
                .rsplit('-')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            (name.starts_with(&own), started, n, dir)
        })
        .collect();
    found.sort_by_key(|(own, started, n, _)| std::cmp::Reverse((*own, *started, *n)));
    found.into_iter().map(|(.., dir)| dir).collect()
}

/// The folder of the lab lessons should name: the first of [`live`].
pub fn current(root: &Path) -> Option<PathBuf> {
    live(root).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_of_labs_before_instances_are_removed() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("keys")).unwrap();
        for f in ["lab.json", "ca.pem", "keys/hs256.key"] {
            std::fs::write(root.path().join(f), "old").unwrap();
        }
        std::fs::write(root.path().join("progress.json"), "{}").unwrap();
        let _lab = Instance::claim(root.path()).unwrap();
        for f in ["lab.json", "ca.pem", "keys"] {
            assert!(!root.path().join(f).exists(), "{f} is left");
        }
        assert!(
            root.path().join("progress.json").exists(),
            "shared progress is kept"
        );
    }

    #[test]
    fn each_claim_gets_its_own_folder_and_a_released_one_is_swept() {
        let root = tempfile::tempdir().unwrap();
        let a = Instance::claim(root.path()).unwrap();
        let b = Instance::claim(root.path()).unwrap();
        assert_ne!(a.dir, b.dir);
        for i in [&a, &b] {
            std::fs::write(i.dir.join(READY), "{}").unwrap();
        }
        let both = live(root.path());
        assert_eq!(both.len(), 2, "{both:?}");
        // The newer one first.
        assert_eq!(both[0], b.dir);
        let gone = b.dir.clone();
        drop(b);
        assert_eq!(live(root.path()), vec![a.dir.clone()]);
        // Still on disk until the next lab starts, which removes it and keeps the live one.
        assert!(gone.exists());
        let c = Instance::claim(root.path()).unwrap();
        assert!(!gone.exists());
        assert!(a.dir.exists() && c.dir.exists());
    }

    #[test]
    fn a_starting_lab_is_not_named() {
        let root = tempfile::tempdir().unwrap();
        let a = Instance::claim(root.path()).unwrap();
        assert_eq!(current(root.path()), None);
        std::fs::write(a.dir.join(READY), "{}").unwrap();
        assert_eq!(current(root.path()), Some(a.dir.clone()));
    }
}
