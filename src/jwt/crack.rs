//! Finding the HMAC secret of HS256/384/512 tokens from a wordlist, fast.
//!
//! HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). For keys up to the block size, only the
//! first block of each hash depends on the guess: the message blocks and their padding are
//! the same for every guess, so they are laid out once in [`CrackTarget::new`], and a guess
//! costs exactly 1 + n + 2 compression calls with no allocation and no re-padding. That is the
//! floor for HMAC, so the speed is the raw SHA-2 compression speed of the core.

// sha2 0.10's compress functions take generic-array 0.14 blocks, which that crate now marks
// deprecated; there is no other way to call them until sha2 moves on.
#![allow(deprecated)]

use std::io::{self, BufRead};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::digest::consts::{U64, U128};
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256, Sha384, Sha512, compress256, compress512};

use super::decode::{Decoded, decode};
use super::wordlist::{ChunkReader, WordChunk, builtin_chunk};
use super::{JwtError, Result};
use crate::tasks::{Progress, TaskContext};

type Block64 = GenericArray<u8, U64>;
type Block128 = GenericArray<u8, U128>;

const IV256: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const IV384: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];
const IV512: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// The precomputed state for one token: its message blocks and the signature to match.
#[derive(Clone)]
pub struct CrackTarget {
    alg: &'static str,
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Sha256 {
        blocks: Vec<Block64>,
        target: [u32; 8],
    },
    /// SHA-384 and SHA-512 share the compression function; they differ in IV and length.
    Sha512 {
        iv: [u64; 8],
        out_words: usize,
        blocks: Vec<Block128>,
        target: [u64; 8],
    },
}

impl CrackTarget {
    /// Decodes `token` and prepares to crack it. It must be HS256, HS384 or HS512.
    pub fn new(token: &str) -> Result<Self> {
        Self::from_decoded(&decode(token)?)
    }

    pub fn from_decoded(d: &Decoded) -> Result<Self> {
        let alg = d.alg.as_deref().ok_or(JwtError::MissingAlg)?;
        Self::from_parts(alg, d.signing_input.as_bytes(), &d.signature)
    }

    /// Prepares from the algorithm name, the signed bytes and the signature.
    pub fn from_parts(alg: &str, message: &[u8], signature: &[u8]) -> Result<Self> {
        let (alg, out_len): (&'static str, usize) = match alg {
            "HS256" => ("HS256", 32),
            "HS384" => ("HS384", 48),
            "HS512" => ("HS512", 64),
            other => return Err(JwtError::UnsupportedAlg(other.to_string())),
        };
        if signature.len() != out_len {
            return Err(JwtError::UnsupportedAlg(format!(
                "{alg} with a {}-byte signature (expected {out_len})",
                signature.len()
            )));
        }
        let inner = if out_len == 32 {
            let mut target = [0u32; 8];
            for (t, c) in target.iter_mut().zip(signature.chunks_exact(4)) {
                *t = u32::from_be_bytes(c.try_into().unwrap_or_default());
            }
            Inner::Sha256 {
                blocks: pad_blocks::<U64>(message, 64, 8),
                target,
            }
        } else {
            let mut target = [0u64; 8];
            for (t, c) in target.iter_mut().zip(signature.chunks_exact(8)) {
                *t = u64::from_be_bytes(c.try_into().unwrap_or_default());
            }
            Inner::Sha512 {
                iv: if out_len == 48 { IV384 } else { IV512 },
                out_words: out_len / 8,
                blocks: pad_blocks::<U128>(message, 128, 16),
                target,
            }
        };
        Ok(Self { alg, inner })
    }

    pub fn alg(&self) -> &'static str {
        self.alg
    }

    /// Whether `guess` is the secret.
    pub fn check(&self, guess: &[u8]) -> bool {
        match &self.inner {
            Inner::Sha256 { blocks, target } => {
                if guess.len() > 64 {
                    // RFC 2104: keys longer than the block are hashed first.
                    return self.check(&Sha256::digest(guess));
                }
                let mut key = Block64::default();
                key[..guess.len()].copy_from_slice(guess);
                let mut block = Block64::default();
                xor_into(&mut block, &key, 0x36);
                let mut state = IV256;
                compress256(&mut state, std::slice::from_ref(&block));
                compress256(&mut state, blocks);
                let mut outer = IV256;
                xor_into(&mut block, &key, 0x5c);
                compress256(&mut outer, std::slice::from_ref(&block));
                let mut last = Block64::default();
                for (dst, w) in last.chunks_exact_mut(4).zip(state) {
                    dst.copy_from_slice(&w.to_be_bytes());
                }
                last[32] = 0x80;
                last[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
                compress256(&mut outer, std::slice::from_ref(&last));
                // The first word rejects almost every wrong guess.
                outer[0] == target[0] && outer == *target
            }
            Inner::Sha512 {
                iv,
                out_words,
                blocks,
                target,
            } => {
                if guess.len() > 128 {
                    let digest = if *out_words == 6 {
                        Sha384::digest(guess).to_vec()
                    } else {
                        Sha512::digest(guess).to_vec()
                    };
                    return self.check(&digest);
                }
                let mut key = Block128::default();
                key[..guess.len()].copy_from_slice(guess);
                let mut block = Block128::default();
                xor_into(&mut block, &key, 0x36);
                let mut state = *iv;
                compress512(&mut state, std::slice::from_ref(&block));
                compress512(&mut state, blocks);
                let mut outer = *iv;
                xor_into(&mut block, &key, 0x5c);
                compress512(&mut outer, std::slice::from_ref(&block));
                let mut last = Block128::default();
                for (dst, w) in last.chunks_exact_mut(8).zip(&state[..*out_words]) {
                    dst.copy_from_slice(&w.to_be_bytes());
                }
                last[out_words * 8] = 0x80;
                let bits = (128u128 + *out_words as u128 * 8) * 8;
                last[112..].copy_from_slice(&bits.to_be_bytes());
                compress512(&mut outer, std::slice::from_ref(&last));
                outer[0] == target[0] && outer[..*out_words] == target[..*out_words]
            }
        }
    }
}

/// Writes `key ^ pad` over the whole block (the key is zero-padded to the block size).
fn xor_into(dst: &mut [u8], key: &[u8], pad: u8) {
    for (d, k) in dst.iter_mut().zip(key) {
        *d = k ^ pad;
    }
}

/// The message blocks of the inner hash, padded as if one key block came first.
fn pad_blocks<N>(message: &[u8], block: usize, len_bytes: usize) -> Vec<GenericArray<u8, N>>
where
    N: sha2::digest::generic_array::ArrayLength<u8>,
{
    let total_bits = ((block + message.len()) as u128) * 8;
    let mut bytes = message.to_vec();
    bytes.push(0x80);
    while !(bytes.len() + len_bytes).is_multiple_of(block) {
        bytes.push(0);
    }
    bytes.extend_from_slice(&total_bits.to_be_bytes()[16 - len_bytes..]);
    bytes
        .chunks_exact(block)
        .map(GenericArray::clone_from_slice)
        .collect()
}

/// What a cracking run ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrackOutcome {
    /// The secret, when found.
    pub secret: Option<Vec<u8>>,
    /// Guesses tried.
    pub tried: u64,
    /// True when the run stopped because it was cancelled.
    pub cancelled: bool,
}

/// How long one parallel batch should take: short enough that a cancel lands within ~100 ms.
const BATCH_TARGET: Duration = Duration::from_millis(40);

/// Tries every word of every chunk, in parallel on the current rayon pool, batch by batch.
/// `on_progress` gets the running count after each batch; `is_cancelled` is checked between
/// batches, which are sized to take about 40 ms whatever the token length.
pub fn crack_chunks<I>(
    target: &CrackTarget,
    chunks: I,
    on_progress: impl Fn(u64),
    is_cancelled: impl Fn() -> bool,
) -> io::Result<CrackOutcome>
where
    I: IntoIterator<Item = io::Result<WordChunk>>,
{
    run(target, chunks, None, on_progress, is_cancelled)
}

fn run<I>(
    target: &CrackTarget,
    chunks: I,
    pool: Option<&rayon::ThreadPool>,
    on_progress: impl Fn(u64),
    is_cancelled: impl Fn() -> bool,
) -> io::Result<CrackOutcome>
where
    I: IntoIterator<Item = io::Result<WordChunk>>,
{
    let mut tried = 0u64;
    let mut batch = 1024usize;
    for chunk in chunks {
        let chunk = chunk?;
        let mut start = 0;
        while start < chunk.len() {
            if is_cancelled() {
                return Ok(CrackOutcome {
                    secret: None,
                    tried,
                    cancelled: true,
                });
            }
            let end = (start + batch).min(chunk.len());
            let began = Instant::now();
            let search = || {
                (start..end)
                    .into_par_iter()
                    .with_min_len(64)
                    .find_first(|&i| target.check(chunk.get(i)))
            };
            // Only the batch crosses threads, so the callbacks need not be Send.
            let found = match pool {
                Some(pool) => pool.install(search),
                None => search(),
            };
            tried += (end - start) as u64;
            on_progress(tried);
            if let Some(i) = found {
                return Ok(CrackOutcome {
                    secret: Some(chunk.get(i).to_vec()),
                    tried,
                    cancelled: false,
                });
            }
            // Aim the next batch at the target duration, growing or shrinking at most 4x.
            let took = began.elapsed().max(Duration::from_micros(50));
            let ideal = (batch as f64 * BATCH_TARGET.as_secs_f64() / took.as_secs_f64()) as usize;
            batch = ideal.clamp(batch / 4, batch * 4).clamp(256, 1 << 20);
            start = end;
        }
    }
    Ok(CrackOutcome {
        secret: None,
        tried,
        cancelled: false,
    })
}

/// Cracks from a streamed wordlist, `threads` wide (`None`: the current rayon pool, which is
/// the task runner's pool when called from a CPU task).
pub fn crack<R: BufRead>(
    target: &CrackTarget,
    wordlist: R,
    threads: Option<usize>,
    on_progress: impl Fn(u64),
    is_cancelled: impl Fn() -> bool,
) -> io::Result<CrackOutcome> {
    let chunks = ChunkReader::new(wordlist, 1 << 16);
    let pool = match threads {
        None => None,
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(io::Error::other)?,
        ),
    };
    run(target, chunks, pool.as_ref(), on_progress, is_cancelled)
}

/// Tries only the built-in list of well-known weak secrets. Cheap: used by `lint`.
pub fn crack_builtin(target: &CrackTarget) -> Option<Vec<u8>> {
    let chunk = builtin_chunk();
    (0..chunk.len())
        .find(|&i| target.check(chunk.get(i)))
        .map(|i| chunk.get(i).to_vec())
}

/// Task-runner glue: the built-in list, then the wordlist file if given, reporting
/// `Progress::Count` with a total estimated from the file size. Returns the secret, if found;
/// a cancelled run returns `Ok(None)` and the runner marks the task cancelled.
pub fn crack_with_task(
    ctx: &TaskContext,
    target: &CrackTarget,
    wordlist: Option<&std::path::Path>,
) -> Result<Option<Vec<u8>>> {
    let builtin = super::wordlist::BUILTIN.len() as u64;
    if let Some(secret) = crack_builtin(target) {
        ctx.log("found in the built-in list of weak secrets");
        return Ok(Some(secret));
    }
    ctx.log(format!("not in the {builtin} built-in weak secrets"));
    let Some(path) = wordlist else {
        ctx.progress(Progress::Count {
            done: builtin,
            total: Some(builtin),
        });
        return Ok(None);
    };
    let io_err = |e: io::Error| JwtError::Wordlist(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(io_err)?;
    let estimate = estimate_words(path).map(|n| n + builtin);
    let reader = io::BufReader::with_capacity(1 << 20, file);
    let chunks = ChunkReader::new(reader, 1 << 16);
    let report = |done: u64| {
        ctx.progress(Progress::Count {
            done: builtin + done,
            total: estimate.map(|t| t.max(builtin + done)),
        })
    };
    let outcome = crack_chunks(target, chunks, report, || ctx.is_cancelled()).map_err(io_err)?;
    if outcome.secret.is_none() && !outcome.cancelled {
        let done = builtin + outcome.tried;
        ctx.progress(Progress::Count {
            done,
            total: Some(done),
        });
    }
    Ok(outcome.secret)
}

/// Estimates the number of lines in a file from its size and its first 64 KiB.
fn estimate_words(path: &std::path::Path) -> Option<u64> {
    use std::io::Read;
    let size = std::fs::metadata(path).ok()?.len();
    let mut head = Vec::with_capacity(1 << 16);
    std::fs::File::open(path)
        .ok()?
        .take(1 << 16)
        .read_to_end(&mut head)
        .ok()?;
    let lines = head.iter().filter(|&&b| b == b'\n').count().max(1) as u64;
    Some(size * lines / head.len().max(1) as u64)
}

#[cfg(test)]
#[path = "crack_tests.rs"]
mod tests;
