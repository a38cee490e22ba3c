//! Hand-written because pre-padded SHA-2 blocks make a guess 5–7 compressions, no allocation.
//!
//! Finding the HMAC secret of HS256/384/512 tokens from a wordlist, fast.
//!
//! HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). For keys up to the block size, only the
//! first block of each hash depends on the guess: the message blocks and their padding are
//! the same for every guess, so they are laid out once in [`CrackTarget::new`], and a guess
//! costs exactly 1 + n + 2 compression calls with no allocation and no re-padding. That is the
//! floor for HMAC, so the speed is the raw SHA-2 compression speed of the core.
//!
//! To scale with cores, no thread may do work the others wait on: each batch is cut into many
//! pieces by byte offset, and the thread that takes a piece reads it (a wordlist file with
//! positioned reads, a stream from large blocks of whole lines) and finds its own line
//! boundaries, so reading and splitting lines are spread over the threads with the hashing.

// sha2 0.10's compress functions take generic-array 0.14 blocks, which that crate now marks
// deprecated; there is no other way to call them until sha2 moves on.
#![allow(deprecated)]

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::digest::consts::{U64, U128};
use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256, Sha384, Sha512, compress256, compress512};
use zeroize::Zeroizing;

use super::decode::{Decoded, decode};
use super::wordlist::{BUILTIN, LineBlocks, line_start, words};
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

/// A secret that was found: wiped from memory when dropped.
pub type Found = Zeroizing<Vec<u8>>;

/// What a cracking run ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrackOutcome {
    /// The secret, when found.
    pub secret: Option<Found>,
    /// Guesses tried.
    pub tried: u64,
    /// True when the run stopped because it was cancelled.
    pub cancelled: bool,
}

/// How far a run has got: the words tried and the bytes of the list they came from. The
/// bytes give a rate-independent share of a file, so the total can be estimated as it goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub words: u64,
    pub bytes: u64,
}

/// How long one parallel batch should take: short enough that a cancel lands within ~100 ms.
const BATCH_TARGET: Duration = Duration::from_millis(40);
/// Bounds on a batch's bytes: the first batch is small so a short list or an early secret
/// costs nothing; the largest still fits the target on many cores.
const MIN_BATCH: usize = 4 << 10;
const MAX_BATCH: usize = 64 << 20;
/// A batch ends when its slowest piece does, so it is cut into many pieces per thread: when
/// one thread runs out of pieces, what the others still hold is a small share of the batch.
const PIECES_PER_THREAD: usize = 32;
/// Below this a piece costs more to schedule than to check.
const MIN_PIECE: usize = 1 << 10;

/// One run over a wordlist: the batch size it has settled on and the tally so far, carried
/// across the blocks of a streamed list.
struct Sweep<'a, P, C> {
    target: &'a CrackTarget,
    pool: Option<&'a rayon::ThreadPool>,
    on_progress: P,
    is_cancelled: C,
    batch_bytes: usize,
    tally: Tally,
}

impl<'a, P: Fn(Tally), C: Fn() -> bool> Sweep<'a, P, C> {
    fn new(
        target: &'a CrackTarget,
        pool: Option<&'a rayon::ThreadPool>,
        on_progress: P,
        is_cancelled: C,
    ) -> Self {
        Self {
            target,
            pool,
            on_progress,
            is_cancelled,
            batch_bytes: MIN_BATCH,
            tally: Tally::default(),
        }
    }

    fn outcome(&self, secret: Option<Found>, cancelled: bool) -> CrackOutcome {
        CrackOutcome {
            secret,
            tried: self.tally.words,
            cancelled,
        }
    }

    /// Tries every word of `source`, batch by batch, reporting after each and checking for a
    /// cancel before each. Returns the outcome once it is final: found or cancelled; `None`
    /// means the words ran out and the run goes on with the next block.
    fn lines<S: Source + ?Sized>(&mut self, source: &S) -> io::Result<Option<CrackOutcome>> {
        let mut start = 0;
        while start < source.len() {
            if (self.is_cancelled)() {
                return Ok(Some(self.outcome(None, true)));
            }
            let end = (start + self.batch_bytes).min(source.len());
            let began = Instant::now();
            let target = self.target;
            // Only the batch crosses threads, so the callbacks need not be Send.
            let (tried, found) = match self.pool {
                Some(pool) => pool.install(|| search(target, source, start, end))?,
                None => search(target, source, start, end)?,
            };
            self.tally.words += tried;
            self.tally.bytes += (end - start) as u64;
            (self.on_progress)(self.tally);
            if found.is_some() {
                return Ok(Some(self.outcome(found, false)));
            }
            // Aim the next batch at the target duration, growing or shrinking at most 4x. The
            // rate comes from the bytes this batch really had: the end of a block cuts it short.
            let took = began.elapsed().max(Duration::from_micros(50));
            let ideal =
                ((end - start) as f64 * BATCH_TARGET.as_secs_f64() / took.as_secs_f64()) as usize;
            self.batch_bytes = ideal
                .clamp(self.batch_bytes / 4, self.batch_bytes * 4)
                .clamp(MIN_BATCH, MAX_BATCH);
            start = end;
        }
        Ok(None)
    }

    /// Runs over a whole list.
    fn all<S: Source + ?Sized>(mut self, source: &S) -> io::Result<CrackOutcome> {
        Ok(self
            .lines(source)?
            .unwrap_or_else(|| self.outcome(None, false)))
    }

    /// Runs over a stream, block by block.
    fn stream(mut self, reader: impl Read) -> io::Result<CrackOutcome> {
        let mut blocks = LineBlocks::new(reader);
        while let Some(block) = blocks.next_block()? {
            if let Some(outcome) = self.lines(block)? {
                return Ok(outcome);
            }
        }
        Ok(self.outcome(None, false))
    }
}

/// Checks every word of the lines that start in `start..end` of `source` on the current rayon
/// pool. Each piece reads its own bytes and finds its own line boundaries, so reading and
/// splitting the list are spread over the threads like the hashing. Returns the words tried
/// and the first word in the list that is the secret.
fn search<S: Source + ?Sized>(
    target: &CrackTarget,
    source: &S,
    start: usize,
    end: usize,
) -> io::Result<(u64, Option<Found>)> {
    let len = end - start;
    let pieces = (rayon::current_num_threads() * PIECES_PER_THREAD).min(len / MIN_PIECE + 1);
    let (tried, found) = (0..pieces)
        .into_par_iter()
        // Each piece its own job, so a thread that runs out can always take the next piece
        // instead of waiting while another thread works through a run of them.
        .with_max_len(1)
        .map(|i| {
            let (a, b) = (start + len * i / pieces, start + len * (i + 1) / pieces);
            source.lines_in(a, b, |lines| {
                let mut tried = 0u64;
                for word in words(lines) {
                    tried += 1;
                    if target.check(word) {
                        return (tried, Some((i, Zeroizing::new(word.to_vec()))));
                    }
                }
                (tried, None)
            })
        })
        .try_reduce(
            || (0, None),
            // Pieces run in any order; the earliest piece's match is the list's first.
            |(a, fa), (b, fb)| Ok((a + b, fa.into_iter().chain(fb).min_by_key(|(i, _)| *i))),
        )?;
    Ok((tried, found.map(|(_, word)| word)))
}

/// Where a sweep takes its words from. A line belongs to the piece its first byte is in, so
/// pieces cut anywhere share out the lines with none lost or seen twice.
trait Source: Sync {
    /// The bytes in the list.
    fn len(&self) -> usize;

    /// Calls `f` with the whole lines that start in `a..b`: from the first line start at or
    /// after `a` to the first at or after `b`, as [`line_start`] finds them.
    fn lines_in<R>(&self, a: usize, b: usize, f: impl FnOnce(&[u8]) -> R) -> io::Result<R>;
}

/// A list in memory: a streamed block.
impl Source for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn lines_in<R>(&self, a: usize, b: usize, f: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        Ok(f(&self[line_start(self, a)..line_start(self, b)]))
    }
}

/// A wordlist file, read by every thread at its own offsets. Not mapped: a file truncated
/// under a map faults (SIGBUS) on the lost pages and kills the process, leaving the TUI's
/// terminal in raw mode; a read of a file that got shorter is a plain error.
#[cfg(unix)]
struct FileLines {
    file: File,
    /// The size when the crack started; what is appended later is not read.
    len: usize,
}

/// How far past its end a piece reads first, to finish its last line: most lines fit.
#[cfg(unix)]
const LINE_SLACK: usize = 256;

#[cfg(unix)]
thread_local! {
    /// Each worker's piece buffer, kept between pieces so reading allocates nothing.
    static PIECE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(unix)]
impl FileLines {
    /// Reads into `buf` the whole lines that start in `a..b`, reading on past `b` until the
    /// last of them ends; returns where they are in `buf`.
    fn read_lines(&self, a: usize, b: usize, buf: &mut Vec<u8>) -> io::Result<(usize, usize)> {
        // From the byte before `a`: a newline there means a line starts at `a`.
        let from = a.saturating_sub(1);
        let mut filled = 0;
        self.fill(
            buf,
            from,
            &mut filled,
            (b + LINE_SLACK).min(self.len) - from,
        )?;
        let start = match a {
            0 => 0,
            _ => match buf[..b - 1 - from].iter().position(|&c| c == b'\n') {
                Some(i) => i + 1,
                // One line runs through the whole piece; the piece it started in has it.
                None => return Ok((0, 0)),
            },
        };
        // The end: just past the first newline at or after `b - 1`, or the end of the list.
        let mut scanned = b - 1 - from;
        loop {
            if let Some(i) = buf[scanned..filled].iter().position(|&c| c == b'\n') {
                return Ok((start, scanned + i + 1));
            }
            if from + filled == self.len {
                return Ok((start, filled));
            }
            scanned = filled;
            let want = (filled * 2).min(self.len - from);
            self.fill(buf, from, &mut filled, want)?;
        }
    }

    /// Reads the list's bytes `from + filled .. from + want` into `buf[filled..want]`.
    fn fill(
        &self,
        buf: &mut Vec<u8>,
        from: usize,
        filled: &mut usize,
        want: usize,
    ) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        if buf.len() < want {
            buf.resize(want, 0);
        }
        self.file
            .read_exact_at(&mut buf[*filled..want], (from + *filled) as u64)
            .map_err(|e| match e.kind() {
                io::ErrorKind::UnexpectedEof => {
                    io::Error::new(e.kind(), "the file got shorter while it was being read")
                }
                _ => e,
            })?;
        *filled = want;
        Ok(())
    }
}

#[cfg(unix)]
impl Source for FileLines {
    fn len(&self) -> usize {
        self.len
    }

    fn lines_in<R>(&self, a: usize, b: usize, f: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        PIECE.with_borrow_mut(|buf| {
            let (start, end) = self.read_lines(a, b, buf)?;
            Ok(f(&buf[start..end]))
        })
    }
}

/// A pool `threads` wide, or `None` for the current one.
fn pool(threads: Option<usize>) -> io::Result<Option<rayon::ThreadPool>> {
    threads
        .map(|n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(io::Error::other)
        })
        .transpose()
}

/// Cracks from a streamed wordlist, `threads` wide (`None`: the current rayon pool, which is
/// the task runner's pool when called from a CPU task). `on_progress` gets the running count
/// after each batch; `is_cancelled` is checked between batches, which are sized to take about
/// 40 ms whatever the token length.
pub fn crack<R: Read>(
    target: &CrackTarget,
    wordlist: R,
    threads: Option<usize>,
    on_progress: impl Fn(u64),
    is_cancelled: impl Fn() -> bool,
) -> io::Result<CrackOutcome> {
    let pool = pool(threads)?;
    let report = |tally: Tally| on_progress(tally.words);
    Sweep::new(target, pool.as_ref(), report, is_cancelled).stream(wordlist)
}

/// Cracks from the wordlist file at `path`, as [`crack`] does but reporting a [`Tally`]. A
/// regular file is read by every thread at its own offsets ([`FileLines`]), so no thread
/// copies the list for the others; anything else (stdin, a pipe) is streamed. Either way
/// memory stays flat. A file that gets shorter during the run ends it with an error.
pub fn crack_file(
    target: &CrackTarget,
    path: &Path,
    threads: Option<usize>,
    on_progress: impl Fn(Tally),
    is_cancelled: impl Fn() -> bool,
) -> io::Result<CrackOutcome> {
    let file = File::open(path)?;
    let pool = pool(threads)?;
    let sweep = Sweep::new(target, pool.as_ref(), on_progress, is_cancelled);
    let meta = file.metadata()?;
    if !meta.is_file() {
        return sweep.stream(file);
    }
    #[cfg(unix)]
    {
        let len = usize::try_from(meta.len()).map_err(io::Error::other)?;
        sweep.all(&FileLines { file, len })
    }
    #[cfg(not(unix))]
    sweep.stream(file)
}

/// Tries only the built-in list of well-known weak secrets. Cheap: used by `lint`.
pub fn crack_builtin(target: &CrackTarget) -> Option<Found> {
    BUILTIN
        .iter()
        .map(|w| w.as_bytes())
        .find(|w| target.check(w))
        .map(|w| Zeroizing::new(w.to_vec()))
}

/// Task-runner glue: the built-in list, then the wordlist file if given, reporting
/// `Progress::Count` with a total estimated from the file size and the bytes done so far.
/// Returns the secret, if found; a cancelled run returns `Ok(None)` and the runner marks the
/// task cancelled.
pub fn crack_with_task(
    ctx: &TaskContext,
    target: &CrackTarget,
    wordlist: Option<&Path>,
) -> Result<Option<Found>> {
    let builtin = BUILTIN.len() as u64;
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
    // Only a regular file has a size to estimate from; a pipe's total stays unknown.
    let meta = std::fs::metadata(path).map_err(io_err)?;
    let size = meta.is_file().then_some(meta.len());
    let report = |tally: Tally| {
        let done = builtin + tally.words;
        ctx.progress(Progress::Count {
            done,
            total: size.map(|size| (builtin + estimate_words(tally, size)).max(done)),
        })
    };
    let outcome = crack_file(target, path, None, report, || ctx.is_cancelled()).map_err(io_err)?;
    if outcome.secret.is_none() && !outcome.cancelled {
        let done = builtin + outcome.tried;
        ctx.progress(Progress::Count {
            done,
            total: Some(done),
        });
    }
    Ok(outcome.secret)
}

/// The words in a file of `size` bytes, judged from the words per byte so far; it sharpens as
/// the run goes, and is exact at the end.
fn estimate_words(tally: Tally, size: u64) -> u64 {
    let scaled = u128::from(tally.words) * u128::from(size);
    u64::try_from(scaled / u128::from(tally.bytes.max(1))).unwrap_or(u64::MAX)
}

#[cfg(test)]
#[path = "crack_tests.rs"]
mod tests;
