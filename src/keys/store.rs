//! The keyring file: JSON encrypted with a passphrase in the age format, written atomically.
//!
//! The file is a standard age file with one scrypt recipient, so `age -d keyring.age` opens it
//! with the same passphrase. Key material only ever exists in memory in plain text: the JSON is
//! encrypted before anything touches the disk, and the temp file of an atomic write already
//! holds ciphertext.

use std::io::Write;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

use super::keyring::{FORMAT, Keyring, VERSION};
use super::{KeysError, Result};

/// The keyring's file name in the workspace.
pub const KEYRING_FILE: &str = "keyring.age";

/// scrypt work factor: N = 2^15 (32 MiB, roughly 0.1 s on a laptop core). age's default
/// targets 1 s per operation (log_n 18 or more), but opening and saving a keyring is one
/// decryption plus one encryption, and the target is both together under 1 s, on slow CI
/// machines too. 2^15 still costs an attacker 32 MiB and tens of milliseconds per guess, so a
/// decent passphrase stays out of reach; `keyring_open_and_save_timing` prints the real cost.
pub const WORK_FACTOR: u8 = 15;

/// The largest work factor we accept when opening: files re-encrypted with the `age` CLI use
/// log_n 18-20. The bound stops a hostile file from costing minutes and gigabytes.
const MAX_WORK_FACTOR: u8 = 22;

/// The keyring file of a workspace.
pub fn keyring_path(workspace: &Path) -> PathBuf {
    workspace.join(KEYRING_FILE)
}

/// A keyring file and the passphrase that opens it: what a front end holds once the user has
/// typed the passphrase.
pub struct KeyringFile {
    pub path: PathBuf,
    passphrase: SecretString,
}

impl KeyringFile {
    /// Refuses an empty passphrase: it would encrypt with a key anyone can derive.
    pub fn new(path: PathBuf, passphrase: &str) -> Result<Self> {
        if passphrase.is_empty() {
            return Err(KeysError::EmptyPassphrase);
        }
        Ok(Self {
            path,
            passphrase: SecretString::from(passphrase.to_string()),
        })
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Writes a new keyring, refusing to replace an existing file.
    pub fn create(&self, ring: &Keyring) -> Result<()> {
        if self.path.exists() {
            return Err(KeysError::Exists(self.path.clone()));
        }
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| KeysError::io("create", dir, e))?;
        }
        self.save(ring)
    }

    /// Reads and decrypts the keyring.
    pub fn open(&self) -> Result<Keyring> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(KeysError::NoKeyring(self.path.clone()));
            }
            Err(e) => return Err(KeysError::io("read", &self.path, e)),
        };
        decrypt(&bytes, &self.passphrase, &self.path)
    }

    /// Encrypts in memory, then replaces the file atomically.
    pub fn save(&self, ring: &Keyring) -> Result<()> {
        let bytes = encrypt(ring, &self.passphrase)?;
        write_atomic(&self.path, &bytes, 0o600).map_err(|e| KeysError::io("write", &self.path, e))
    }
}

/// The keyring as age ciphertext.
pub fn encrypt(ring: &Keyring, passphrase: &SecretString) -> Result<Vec<u8>> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(WORK_FACTOR);
    // The plain text is wiped from memory once encrypted.
    let plain = zeroize::Zeroizing::new(
        serde_json::to_vec(ring).map_err(|e| KeysError::Encrypt(e.to_string()))?,
    );
    age::encrypt(&recipient, &plain).map_err(|e| KeysError::Encrypt(e.to_string()))
}

/// Decrypts and parses a keyring; `path` names the file in errors.
pub fn decrypt(bytes: &[u8], passphrase: &SecretString, path: &Path) -> Result<Keyring> {
    use age::DecryptError as E;
    let corrupt = |why: &str| KeysError::Corrupt(path.to_path_buf(), why.to_string());
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    // In two stages, so a wrong passphrase (the header's file key does not unwrap) is told
    // apart from damage (the header is fine, the payload's authentication fails).
    let decryptor = age::Decryptor::new(bytes)
        .map_err(|_| corrupt("it is not a valid age file (damaged or foreign)"))?;
    if !decryptor.is_scrypt() {
        return Err(corrupt(
            "it is an age file, but not encrypted with a passphrase",
        ));
    }
    let mut reader = match decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
        Ok(r) => r,
        Err(E::DecryptionFailed | E::KeyDecryptionFailed | E::NoMatchingKeys) => {
            return Err(KeysError::WrongPassphrase(path.to_path_buf()));
        }
        Err(E::ExcessiveWork { required, .. }) => {
            return Err(corrupt(&format!(
                "its scrypt work factor 2^{required} is beyond the accepted 2^{MAX_WORK_FACTOR}"
            )));
        }
        Err(E::InvalidMac) => return Err(corrupt("its header has been altered")),
        Err(other) => return Err(corrupt(&other.to_string())),
    };
    let mut plain = zeroize::Zeroizing::new(Vec::new());
    std::io::Read::read_to_end(&mut reader, &mut plain)
        .map_err(|_| corrupt("its encrypted contents are damaged"))?;
    let ring: Keyring = serde_json::from_slice(&plain)
        .map_err(|_| corrupt("it decrypts, but does not hold an apiward keyring"))?;
    if ring.format != FORMAT || ring.version > VERSION {
        return Err(corrupt(&format!(
            "its format is '{}' version {}, this apiward reads '{FORMAT}' up to {VERSION}",
            ring.format, ring.version
        )));
    }
    Ok(ring)
}

/// Writes `bytes` to `path` atomically: a temp file in the same directory (so the rename does
/// not cross file systems) created with `mode`, fsynced, renamed over the target, then the
/// directory fsynced so the rename itself survives a crash. The old file stays intact until
/// the rename, and the temp file is removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    write_atomic_with(path, bytes, mode, |_| Ok(()))
}

/// [`write_atomic`] with a hook between the synced temp file and the rename, so tests can
/// interrupt a write at its most delicate point.
pub fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    before_rename: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        super::thumbprint::random_kid()
    ));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        let mut file = options.open(&tmp)?;
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
    #[cfg(not(unix))]
    let _ = mode;
    Ok(())
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
