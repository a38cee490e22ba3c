//! Key-rotation helper: an encrypted keyring of signing keys, their lifecycle and rotation
//! plan, the public JWKS and its hygiene checks, and API keys.
//!
//! Plain Rust with typed errors, shared by the CLI (`apiward keys`, `apiward apikey`) and the
//! TUI's Keys tab. Nothing here prints, prompts or touches the network; time is always passed
//! in as `now` (unix seconds), so plans and rotations are reproducible in tests.
//!
//! - [`store`]: the age-encrypted keyring file ([`KeyringFile`]), written atomically.
//! - [`keyring`]: the data: [`Keyring`], [`KeyEntry`], [`KeyState`], [`Policy`].
//! - [`material`]: generating, importing and exporting private keys.
//! - [`thumbprint`]: RFC 7638 kids.
//! - [`plan`] and [`lifecycle`]: when each step is due and safe, and performing it;
//!   [`rotation_report`]: a rotation in sentences and the RSA size of its new key.
//! - [`jwks`]: publishing the public JWKS and checking a published one.
//! - [`verifier`]: the keyring key that verifies a token, by its kid.
//! - [`apikey`]: GitHub-style API keys with an offline checksum, stored as hashes.

pub mod apikey;
pub mod apikey_record;
pub mod jwks;
pub mod keyring;
pub mod lifecycle;
pub mod material;
pub mod plan;
pub mod rotation_report;
pub mod store;
pub mod thumbprint;
pub mod verifier;

use std::path::{Path, PathBuf};

pub use apikey::{ApiKeyRecord, IssuedKey};
pub use keyring::{KeyEntry, KeyState, Keyring, Policy};
pub use lifecycle::{Rotation, StepOutcome, Transition, promote, retire, revoke, rotate};
pub use plan::{KeySummary, Plan, Step, StepKind, plan, summaries};
pub use rotation_report::{DEFAULT_RSA_BITS, StepReport, next_rsa_bits};
pub use store::{KeyringFile, keyring_path};
pub use thumbprint::thumbprint;
pub use verifier::{Verifier, verifier};

/// A step refused because it is not safe yet: what, until when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub what: String,
    pub safe_at: i64,
    pub why: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is not safe until {}: {}",
            self.what,
            crate::jwt::format_utc(self.safe_at),
            self.why
        )
    }
}

/// Everything that can go wrong in the keys core, each a single clear sentence.
#[derive(Debug, thiserror::Error)]
pub enum KeysError {
    #[error("there is no keyring at {0}")]
    NoKeyring(PathBuf),
    #[error("a keyring already exists at {0}; it was left as it is")]
    Exists(PathBuf),
    #[error("the passphrase does not open the keyring at {0}; the file was left as it is")]
    WrongPassphrase(PathBuf),
    #[error("{0} is not a usable apiward keyring: {1}; the file was left as it is")]
    Corrupt(PathBuf, String),
    #[error(
        "{0} was changed by another process since it was opened; your change was not saved \
         and the file was left as it is: open it again and redo the change"
    )]
    ChangedOnDisk(PathBuf),
    #[error("the passphrase is empty")]
    EmptyPassphrase,
    #[error("cannot encrypt the keyring: {0}")]
    Encrypt(String),
    #[error("cannot {0} {1}: {2}")]
    Io(&'static str, PathBuf, std::io::Error),
    #[error("no key has kid '{0}'")]
    UnknownKid(String),
    #[error("a key with kid '{0}' is already in the keyring")]
    DuplicateKid(String),
    #[error("no key is active")]
    NoActiveKey,
    #[error(
        "unsupported algorithm '{0}': use HS256/384/512, RS256/384/512, PS256/384/512, ES256, \
         ES384, ES512 or EdDSA"
    )]
    UnsupportedAlg(String),
    #[error("the key could not be used: {0}")]
    InvalidKey(String),
    #[error("key '{kid}' is {state}: {why}")]
    BadTransition {
        kid: String,
        state: KeyState,
        why: String,
    },
    #[error("{0}")]
    Unsafe(Refusal),
    #[error("the JWKS {0}")]
    Jwks(String),
    #[error("{0}")]
    ApiKey(String),
    #[error(transparent)]
    Jwt(#[from] crate::jwt::JwtError),
}

impl crate::error_kind::Kind for KeysError {
    /// A step refused as unsafe is a check that failed; everything else is what was given.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        use crate::error_kind::ExitKind;
        match self {
            KeysError::Unsafe(_) => ExitKind::Failure,
            KeysError::Jwt(e) => e.exit_kind(),
            _ => ExitKind::BadInput,
        }
    }
}

impl KeysError {
    pub(crate) fn io(action: &'static str, path: &Path, err: std::io::Error) -> Self {
        KeysError::Io(action, path.to_path_buf(), err)
    }
}

/// Results in the keys core.
pub type Result<T, E = KeysError> = std::result::Result<T, E>;
