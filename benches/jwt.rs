//! JWT hot paths: the cracker's per-guess check against a bare hmac+sha2 loop and the raw
//! SHA-256 compression rate on the same machine, the whole cracker over a wordlist on one
//! thread and on two (its scaling), and decode + lint of one token.
//!
//! `cargo bench --bench jwt`; results are recorded in docs/benchmarks.md.

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use apiward::jwt::{self, CrackTarget, LintOptions};

/// The signing input the issue's targets use: 235 bytes.
fn signing_input() -> Vec<u8> {
    let header = jwt::b64::encode(r#"{"alg":"HS256","typ":"JWT"}"#);
    let mut input = format!("{header}.").into_bytes();
    input.resize(235, b'A');
    input
}

/// A realistic token for decode and lint.
fn token() -> String {
    let header = jwt::b64::encode(r#"{"alg":"HS256","typ":"JWT","kid":"2026-11"}"#);
    let claims = jwt::b64::encode(
        r#"{"sub":"1234567890","role":"user","iss":"https://issuer.example","aud":"api","iat":1700000000,"exp":1700003600,"jti":"a1b2c3d4"}"#,
    );
    let input = format!("{header}.{claims}");
    let sig = jwt::sign::hmac_raw("HS256", b"not-in-the-list", input.as_bytes()).unwrap();
    format!("{input}.{}", jwt::b64::encode(sig))
}

fn guesses(n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| format!("guess-{i:08}").into_bytes())
        .collect()
}

/// The signing input, its signature under a secret no list holds, and the cracker's target.
fn crack_target() -> (Vec<u8>, Vec<u8>, CrackTarget) {
    let input = signing_input();
    let signature = jwt::sign::hmac_raw("HS256", b"not-in-the-list", &input).unwrap();
    let target = CrackTarget::from_parts("HS256", &input, &signature).unwrap();
    (input, signature, target)
}

fn crack(c: &mut Criterion) {
    let (input, signature, target) = crack_target();
    let words = guesses(10_000);
    let mut group = c.benchmark_group("crack_hs256_per_core");
    group.throughput(Throughput::Elements(words.len() as u64));
    group.bench_function("apiward_check", |b| {
        b.iter(|| words.iter().filter(|w| target.check(black_box(w))).count())
    });
    group.bench_function("bare_hmac_sha2_loop", |b| {
        b.iter(|| {
            words
                .iter()
                .filter(|w| {
                    let mut mac = Hmac::<Sha256>::new_from_slice(black_box(w)).unwrap();
                    mac.update(&input);
                    mac.finalize().into_bytes()[..] == signature[..]
                })
                .count()
        })
    });
    group.finish();

    // The ceiling: every guess changes the key, so nothing of HMAC can be precomputed but
    // the padded message blocks. On a 235-byte input one guess costs 7 compressions (the ipad
    // block, 4 message blocks with padding, the opad block, the outer digest block), so
    // guesses/s at the ceiling = compressions/s ÷ 7.
    compress(c);
}

// sha2 0.10's compression API takes generic-array blocks, which that crate now deprecates.
#[allow(deprecated)]
fn compress(c: &mut Criterion) {
    let mut group = c.benchmark_group("sha256_compress");
    let blocks = vec![[0u8; 64]; 10_000];
    group.throughput(Throughput::Elements(blocks.len() as u64));
    group.bench_function("compress256", |b| {
        let mut state = [
            0x6a09e667u32,
            0xbb67ae85,
            0x3c6ef372,
            0xa54ff53a,
            0x510e527f,
            0x9b05688c,
            0x1f83d9ab,
            0x5be0cd19,
        ];
        let blocks: Vec<_> = blocks
            .iter()
            .map(|b| (*b).into())
            .collect::<Vec<sha2::digest::generic_array::GenericArray<u8, _>>>();
        b.iter(|| sha2::compress256(black_box(&mut state), &blocks))
    });
    group.finish();
}

/// The whole cracker (splitting lines and hashing) over a 1M-word list file, the way
/// `jwt crack --wordlist` runs it, on one thread and on two: per-core speed should survive,
/// and two threads should take about half as long.
fn crack_wordlist(c: &mut Criterion) {
    let (_, _, target) = crack_target();
    let words = 1_000_000;
    let mut text = Vec::new();
    for i in 0..words {
        writeln!(text, "guess{i:09}").unwrap();
    }
    let mut list = tempfile::NamedTempFile::new().unwrap();
    list.write_all(&text).unwrap();
    let mut group = c.benchmark_group("crack_hs256_wordlist");
    group.throughput(Throughput::Elements(words));
    group.sample_size(10);
    for threads in [1, 2] {
        group.bench_function(format!("threads_{threads}"), |b| {
            b.iter(|| {
                jwt::crack::crack_file(&target, list.path(), Some(threads), |_| {}, || false)
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn decode_and_lint(c: &mut Criterion) {
    let token = token();
    let options = LintOptions::new(1_700_000_100);
    c.bench_function("decode_and_lint_one_token", |b| {
        b.iter(|| {
            let decoded = jwt::decode(black_box(&token)).unwrap();
            jwt::lint(&decoded, &options).len()
        })
    });
}

criterion_group!(benches, crack, crack_wordlist, decode_and_lint);
criterion_main!(benches);
