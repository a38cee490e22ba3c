//! JWT core: decode, describe, lint, verify, sign, forge and crack JSON Web Tokens.
//!
//! Plain Rust with typed errors, shared by the CLI and the TUI. Nothing here prints, draws or
//! touches the network; time is always passed in as `now` (unix seconds) so every result is
//! reproducible in tests.
//!
//! - [`decode`] reads any compact token without verifying it and never refuses a strange one.
//! - [`claims`] explains the registered claims and their times.
//! - [`lint`] turns a decoded token into [`crate::findings::Finding`]s.
//! - [`keys`] and [`verify`] check signatures and claims, refusing key/alg confusion.
//! - [`sign`] makes tokens; [`forge`] makes attack variants for authorised testing.
//! - [`crack`] finds weak HMAC secrets from a wordlist.

pub mod b64;
pub mod claims;
pub mod crack;
pub mod decode;
pub mod duration;
pub mod es512;
pub mod forge;
pub mod jku_host;
mod json;
pub mod jwk;
pub mod keygen;
pub mod keys;
pub mod lint;
pub mod pem;
pub mod probe;
mod probe_json;
pub mod probe_rules;
pub mod probe_run;
pub mod recover;
mod rules;
mod sensitive;
pub mod sign;
pub mod thumbprint;
pub mod verify;
pub mod wordlist;

pub use claims::{ClaimInfo, describe_claims, format_utc, humanize_secs};
pub use crack::{CrackOutcome, CrackTarget, crack_with_task};
pub use decode::{Decoded, PayloadFormat, Segment, TokenKind, decode};
pub use duration::{parse_duration, parse_time_value};
pub use forge::{ForgeOptions, Variant, forge, forge_one};
pub use keys::{KeyMaterial, select_from_jwks};
pub use lint::{LINT_IDS, LintOptions, lint};
pub use sign::{SigningKey, apply_edits, sign};
pub use verify::{Check, Verification, VerifyOptions, verify};

/// Everything that can go wrong in the JWT core, each a single clear sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("the token is empty")]
    Empty,
    #[error("a token has 3 segments (JWS) or 5 (JWE), this has {0}")]
    SegmentCount(usize),
    #[error("segment {segment} is not valid base64url: {why}")]
    Base64 { segment: usize, why: String },
    #[error("segment {segment} is not a JSON object: {why}")]
    NotJsonObject { segment: usize, why: String },
    #[error("algorithm '{0}' is not supported for this operation")]
    UnsupportedAlg(String),
    #[error("the token has no 'alg' header, so there is nothing to verify it with")]
    MissingAlg,
    #[error("an unsecured token (alg '{0}') has no signature and is never valid")]
    Unsecured(String),
    #[error("this is an encrypted token (JWE); it cannot be verified or signed as a JWS")]
    Jwe,
    #[error("key/algorithm mismatch: {0}")]
    KeyMismatch(String),
    #[error("the key could not be read: {0}")]
    InvalidKey(String),
    #[error("no key in the JWKS matches: {0}")]
    NoMatchingKey(String),
    #[error("invalid claim edit '{0}': {1}")]
    ClaimEdit(String, String),
    #[error("invalid duration '{0}': use a number with s, m, h, d or w, such as 15m or +1h")]
    Duration(String),
    #[error("cannot make the '{0}' variant: {1}")]
    Forge(String, String),
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("the wordlist could not be read: {0}")]
    Wordlist(String),
}

crate::error_kind::bad_input!(JwtError);

/// Results in the JWT core.
pub type Result<T, E = JwtError> = std::result::Result<T, E>;
