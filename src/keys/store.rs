//! The keyring file: JSON encrypted with a passphrase in the age format, written atomically.
//!
//! The file is a standard age file with one scrypt recipient, so `age -d keyring.age` opens it
//! with the same passphrase. Key material only ever exists in memory in plain text: the JSON is
//! encrypted before anything touches the disk, and the temp file of an atomic write already
//! holds ciphertext.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use age::secrecy::SecretString;
use sha2::{Digest, Sha256};

use crate::fs::{Perm, lock, write_atomic};

use super::keyring::{FORMAT, Keyring, VERSION};
use super::{KeysError, Result};

/// The keyring's file name in the workspace.
pub const KEYRING_FILE: &str = "keyring.age";

/// scrypt work factor: N = 2^15 (32 MiB, roughly 0.1 s on a laptop core). age's default
/// targets 1 s per operation (log_n 18 or more), but opening and saving a keyring is one
/// decryption plus one encryption, and the target is both together under 1 s, on slow CI
/// machines too. 2^15 still costs an attacker 32 MiB and tens of milliseconds per guess, so a
/// decent passphrase stays out of reach; `cargo bench --bench keyring` measures the real cost.
pub const WORK_FACTOR: u8 = 15;

/// The largest work factor we accept when opening: what apiward writes plus a margin for a
/// file re-encrypted by hand (2^18 is 256 MiB and about a second). age checks it before
/// deriving anything, so a hostile header asking for 2^22 (4 GiB, 13 s) costs nothing.
const MAX_WORK_FACTOR: u8 = WORK_FACTOR + 3;

/// The keyring file of a workspace.
pub fn keyring_path(workspace: &Path) -> PathBuf {
    workspace.join(KEYRING_FILE)
}

/// A keyring file and the passphrase that opens it: what a front end holds once the user has
/// typed the passphrase.
///
/// It remembers the digest of the ciphertext it last read or wrote, and a save refuses when
/// the file has changed since: the TUI holds a keyring open for minutes, and another
/// process's `keys gen` in that time must not be silently undone.
pub struct KeyringFile {
    pub path: PathBuf,
    passphrase: SecretString,
    seen: Mutex<Option<[u8; 32]>>,
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
            seen: Mutex::new(None),
        })
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// Writes a new keyring, refusing to replace an existing file.
    pub fn create(&self, ring: &Keyring) -> Result<()> {
        let _lock = self.lock()?;
        if self.path.exists() {
            return Err(KeysError::Exists(self.path.clone()));
        }
        self.write(ring)
    }

    /// Reads and decrypts the keyring.
    pub fn open(&self) -> Result<Keyring> {
        let bytes = self
            .read()?
            .ok_or_else(|| KeysError::NoKeyring(self.path.clone()))?;
        let ring = decrypt(&bytes, &self.passphrase, &self.path)?;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(digest(&bytes));
        Ok(ring)
    }

    /// Encrypts in memory, then replaces the file atomically, unless another process changed
    /// it since this handle read it.
    pub fn save(&self, ring: &Keyring) -> Result<()> {
        let _lock = self.lock()?;
        self.ensure_unchanged()?;
        self.write(ring)
    }

    /// Opens, lets `f` change the keyring, and saves when `f` succeeds, all under the file's
    /// lock: two processes changing one keyring take turns, and neither loses the other's key.
    pub fn update<T, E: From<KeysError>>(
        &self,
        f: impl FnOnce(&mut Keyring) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let _lock = self.lock()?;
        let mut ring = self.open()?;
        let out = f(&mut ring)?;
        self.write(&ring)?;
        Ok(out)
    }

    fn lock(&self) -> Result<crate::fs::FileLock> {
        lock(&self.path).map_err(|e| KeysError::io("lock", &self.path, e))
    }

    fn read(&self) -> Result<Option<Vec<u8>>> {
        match std::fs::read(&self.path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(KeysError::io("read", &self.path, e)),
        }
    }

    /// Refuses when the file is not what this handle last read or wrote (with the lock held).
    fn ensure_unchanged(&self) -> Result<()> {
        let now = self.read()?.map(|b| digest(&b));
        let seen = *self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if now.is_some() && now != seen {
            return Err(KeysError::ChangedOnDisk(self.path.clone()));
        }
        Ok(())
    }

    fn write(&self, ring: &Keyring) -> Result<()> {
        let bytes = encrypt(ring, &self.passphrase)?;
        write_atomic(&self.path, &bytes, Perm::Private)
            .map_err(|e| KeysError::io("write", &self.path, e))?;
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(digest(&bytes));
        Ok(())
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The keyring as age ciphertext.
pub fn encrypt(ring: &Keyring, passphrase: &SecretString) -> Result<Vec<u8>> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.clone());
    recipient.set_work_factor(WORK_FACTOR);
    // The plain text is wiped from memory once encrypted. Its size is counted first so that
    // its buffer never grows: a growing Vec would free unwiped copies of the keys.
    let json_err = |e: serde_json::Error| KeysError::Encrypt(e.to_string());
    let mut size = Counter(0);
    serde_json::to_writer(&mut size, ring).map_err(json_err)?;
    let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(size.0));
    serde_json::to_writer(&mut *plain, ring).map_err(json_err)?;
    age::encrypt(&recipient, &plain).map_err(|e| KeysError::Encrypt(e.to_string()))
}

/// Counts the bytes written to it and keeps none.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
    // Sized from the ciphertext, which is always longer than the plain text, so the buffer
    // never grows: a growing Vec moves its bytes and frees the old buffer unwiped.
    let mut plain = zeroize::Zeroizing::new(vec![0u8; bytes.len()]);
    let mut len = 0;
    while len < plain.len() {
        match std::io::Read::read(&mut reader, &mut plain[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(corrupt("its encrypted contents are damaged")),
        }
    }
    plain.truncate(len);
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

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
