//! The files apiward writes: one atomic write and one advisory lock for the whole crate.
//!
//! Every file is replaced by writing a temp file beside it and renaming it over the old one,
//! so a crash leaves the old content or the new, never half of one. Read-modify-write cycles
//! on shared files (keyring, history, saved requests, lesson progress) hold a [`FileLock`]
//! for the whole cycle, so two apiward processes take turns instead of losing a write.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a writer waits for another process's lock before giving up with a message.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// The permissions a written file gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// The replaced file's permissions; a new file gets the usual default (0644 under the
    /// common umask). A hand-made collection at 0600 stays 0600.
    Keep,
    /// 0600, whatever was there: the file may hold secrets, even redacted ones.
    Private,
}

/// Writes `bytes` to `path` atomically: a temp file in the same directory (so the rename does
/// not cross file systems), fsynced, renamed over the target, then the directory fsynced so
/// the rename itself survives a crash. Temp files left by a writer that crashed are removed.
pub fn write_atomic(path: &Path, bytes: &[u8], perm: Perm) -> std::io::Result<()> {
    write_atomic_with(path, bytes, perm, |_| Ok(()))
}

/// [`write_atomic`] with a hook between the synced temp file and the rename, so tests can
/// interrupt a write at its most delicate point.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    perm: Perm,
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = parent(path);
    std::fs::create_dir_all(&dir)?;
    let name = file_name(path);
    remove_stale_temps(&dir, &name);
    // Unique per write, not just per process: two saves of one file can overlap (TUI jobs).
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!("{}{}-{n}", temp_prefix(&name), std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if perm == Perm::Private {
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        let mut file = options.open(&tmp)?;
        match (perm, std::fs::metadata(path)) {
            (Perm::Keep, Ok(old)) => file.set_permissions(old.permissions())?,
            #[cfg(unix)]
            (Perm::Private, _) => {
                // The mode above is masked by the umask; this is not.
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(std::fs::Permissions::from_mode(0o600))?
            }
            _ => {}
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        before_rename(&tmp)?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Appends `bytes` to `path`, creating it with `perm`, and fsyncs it. For append-only logs
/// whose lines are complete on their own (the history), where a rewrite per line would cost
/// the whole file each time.
pub fn append(path: &Path, bytes: &[u8], perm: Perm) -> std::io::Result<()> {
    std::fs::create_dir_all(parent(path))?;
    let mut file = open_append(path, perm)?;
    file.write_all(bytes)?;
    file.sync_data()
}

/// Opens `path` for appending, creating it with `perm`. A `Perm::Private` file created by an
/// older apiward (or by hand) at 0644 is tightened to 0600. For logs held open (the TUI's
/// log, the lab's access log) and [`append`].
pub fn open_append(path: &Path, perm: Perm) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    if perm == Perm::Private {
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    if perm == Perm::Private {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// An advisory lock on a file's read-modify-write cycle, held until dropped. It locks a
/// sidecar `.NAME.lock` rather than the file itself, because an atomic write replaces the
/// file (and with it any lock on its old inode). The sidecar is left in place: removing it
/// would let a waiter lock an unlinked file while a newcomer locks a fresh one.
#[derive(Debug)]
pub struct FileLock {
    _file: std::fs::File,
}

/// Locks `path` for a read-modify-write, waiting up to [`LOCK_WAIT`] for another process.
/// The error says the file is busy, so a second writer fails instead of overwriting.
pub fn lock(path: &Path) -> std::io::Result<FileLock> {
    lock_within(path, LOCK_WAIT)
}

/// [`lock`] with a chosen wait, for tests.
pub fn lock_within(path: &Path, wait: Duration) -> std::io::Result<FileLock> {
    let dir = parent(path);
    std::fs::create_dir_all(&dir)?;
    let lock_path = dir.join(format!(".{}.lock", file_name(path)));
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&lock_path)?;
    let started = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(FileLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::WouldBlock,
                    format!(
                        "another process has held {} for over {} s; it was left as it was, \
                         try again once that process has finished",
                        path.display(),
                        wait.as_secs_f32()
                    ),
                ));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned())
}

fn temp_prefix(name: &str) -> String {
    format!(".{name}.tmp-")
}

/// Removes temp files of `name` whose writer is gone: a `kill -9` between create and rename
/// leaves one behind, and nothing else would ever remove it. A temp file of a live process
/// (another writer, right now) is left alone.
fn remove_stale_temps(dir: &Path, name: &str) {
    let prefix = temp_prefix(name);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_alive(pid)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // Signal 0 only asks whether the process exists; EPERM means it does, as another user's.
    // SAFETY: kill with signal 0 sends nothing and touches no memory.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    // Without a cheap liveness check, a temp file is never presumed stale.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn replaces_whole_and_keeps_or_sets_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"one", Perm::Keep).unwrap();
        write_atomic(&path, b"two", Perm::Keep).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"three", Perm::Keep).unwrap();
            assert_eq!(mode(&path), 0o640);
            write_atomic(&path, b"four", Perm::Private).unwrap();
            assert_eq!(mode(&path), 0o600);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "only the file itself: {left:?}");
    }

    #[test]
    fn a_failed_rename_keeps_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        write_atomic(&path, b"old", Perm::Private).unwrap();
        let err = write_atomic_with(&path, b"new", Perm::Private, |_| {
            Err(std::io::Error::other("killed"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "killed");
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_dead_writers_temp_files_go_on_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.age");
        // A child that has exited is a pid that no longer runs.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = dir.path().join(format!(".keyring.age.tmp-{dead}-0"));
        let live = dir
            .path()
            .join(format!(".keyring.age.tmp-{}-999", std::process::id()));
        let other = dir.path().join(format!(".other.tmp-{dead}-0"));
        for p in [&stale, &live, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        write_atomic(&path, b"new", Perm::Private).unwrap();
        assert!(!stale.exists(), "a dead writer's temp file stays");
        assert!(live.exists() && other.exists());
    }

    #[cfg(unix)]
    #[test]
    fn append_creates_private_and_tightens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.jsonl");
        std::fs::write(&path, b"a\n").unwrap();
        append(&path, b"b\n", Perm::Private).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a\nb\n");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn a_second_locker_waits_then_fails_with_a_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyring.age");
        let held = lock(&path).unwrap();
        let err = lock_within(&path, Duration::from_millis(50)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::WouldBlock);
        assert!(err.to_string().contains("keyring.age"), "{err}");
        drop(held);
        lock_within(&path, Duration::from_millis(50)).unwrap();
    }
}
