//! Tests of the cracker: it agrees with the `hmac` crate, finds secrets wherever the list is
//! cut (the end, a block boundary, a last line without a newline, CRLF lines), reports the first
//! match and absence, and stops on cancel.

use super::*;
use crate::jwt::b64;
use crate::jwt::decode::tests::XorShift;
use hmac::{Hmac, Mac};
use std::cell::Cell;

fn hmac_sig(alg: &str, key: &[u8], msg: &[u8]) -> Vec<u8> {
    match alg {
        "HS256" => Hmac::<Sha256>::new_from_slice(key)
            .unwrap()
            .chain_update(msg)
            .finalize()
            .into_bytes()
            .to_vec(),
        "HS384" => Hmac::<Sha384>::new_from_slice(key)
            .unwrap()
            .chain_update(msg)
            .finalize()
            .into_bytes()
            .to_vec(),
        _ => Hmac::<Sha512>::new_from_slice(key)
            .unwrap()
            .chain_update(msg)
            .finalize()
            .into_bytes()
            .to_vec(),
    }
}

fn token(alg: &str, key: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#)),
        b64::encode(r#"{"sub":"1234567890","name":"John Doe","iat":1516239022}"#)
    );
    let sig = hmac_sig(alg, key, input.as_bytes());
    format!("{input}.{}", b64::encode(sig))
}

fn wordlist(n: usize, last: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        out.extend_from_slice(format!("word{i:06}x\n").as_bytes());
    }
    out.extend_from_slice(last.as_bytes());
    out.push(b'\n');
    out
}

#[test]
fn fast_path_agrees_with_the_hmac_crate() {
    let mut rng = XorShift(42);
    for alg in ["HS256", "HS384", "HS512"] {
        for round in 0..300 {
            // Key lengths around both block sizes, including longer-than-block keys.
            let key_len = (rng.next() % 300) as usize;
            let msg_len = if round % 10 == 0 {
                round
            } else {
                (rng.next() % 400) as usize
            };
            let key: Vec<u8> = (0..key_len).map(|_| rng.next() as u8).collect();
            let msg: Vec<u8> = (0..msg_len).map(|_| rng.next() as u8).collect();
            let sig = hmac_sig(alg, &key, &msg);
            let t = CrackTarget::from_parts(alg, &msg, &sig).unwrap();
            assert!(t.check(&key), "{alg} key {key_len} msg {msg_len}");
            // Appending a zero byte would give the same HMAC (keys are zero-padded).
            let mut wrong = key.clone();
            wrong.push(1);
            assert!(!t.check(&wrong), "{alg} {key_len}");
        }
    }
}

#[test]
fn cracks_a_secret_at_the_end_of_200k_words() {
    for alg in ["HS256", "HS384", "HS512"] {
        let target = CrackTarget::new(&token(alg, b"correct horse battery")).unwrap();
        let list = wordlist(200_000, "correct horse battery");
        let last = Cell::new(0);
        let out = crack(&target, &list[..], None, |n| last.set(n), || false);
        let out = out.unwrap();
        assert_eq!(
            out.secret.as_deref().map(Vec::as_slice),
            Some(&b"correct horse battery"[..]),
            "{alg}"
        );
        assert_eq!(out.tried, 200_001);
        assert_eq!(last.get(), 200_001);
    }
}

#[test]
fn absent_secret_is_none() {
    let target = CrackTarget::new(&token("HS256", b"not in the list")).unwrap();
    let out = crack(
        &target,
        &wordlist(5000, "nope")[..],
        Some(2),
        |_| {},
        || false,
    )
    .unwrap();
    assert_eq!(out.secret, None);
    assert!(!out.cancelled);
    assert_eq!(out.tried, 5001);
    assert_eq!(crack_builtin(&target), None);
}

#[test]
fn builtin_list_finds_the_classics() {
    let target = CrackTarget::new(&token("HS256", b"your-256-bit-secret")).unwrap();
    assert_eq!(
        crack_builtin(&target).as_deref().map(Vec::as_slice),
        Some(&b"your-256-bit-secret"[..])
    );
}

#[test]
fn cancellation_stops_between_batches() {
    let target = CrackTarget::new(&token("HS512", b"absent")).unwrap();
    let list = wordlist(300_000, "still absent");
    let calls = Cell::new(0);
    let out = crack(
        &target,
        &list[..],
        None,
        |_| {},
        || {
            calls.set(calls.get() + 1);
            calls.get() > 2
        },
    )
    .unwrap();
    assert!(out.cancelled);
    assert!(out.tried < 300_000, "{}", out.tried);
}

/// A list of `n` filler words with CRLF endings and `secret` as its last line, no newline after.
fn crlf_list_ending_in(n: usize, secret: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        out.extend_from_slice(format!("word{i:06}x\r\n").as_bytes());
    }
    out.extend_from_slice(secret.as_bytes());
    out
}

#[test]
fn finds_a_crlf_last_line_without_newline_in_a_file_and_a_stream() {
    let target = CrackTarget::new(&token("HS256", b"last-one")).unwrap();
    let list = crlf_list_ending_in(30_000, "last-one");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.txt");
    std::fs::write(&path, &list).unwrap();
    let last = Cell::new(Tally::default());
    let out = crack_file(&target, &path, Some(2), |t| last.set(t), || false).unwrap();
    assert_eq!(
        out.secret.as_deref().map(Vec::as_slice),
        Some(&b"last-one"[..])
    );
    assert_eq!(out.tried, 30_001);
    assert_eq!(
        last.get(),
        Tally {
            words: 30_001,
            bytes: list.len() as u64
        }
    );
    let streamed = crack(&target, &list[..], Some(2), |_| {}, || false).unwrap();
    assert_eq!(streamed, out);
    // With a CRLF line after it, the secret is still the bare word.
    let mut list = list;
    list.extend_from_slice(b"\r\nafter\r\n");
    let out = crack(&target, &list[..], None, |_| {}, || false).unwrap();
    assert_eq!(
        out.secret.as_deref().map(Vec::as_slice),
        Some(&b"last-one"[..])
    );
}

#[test]
fn finds_secrets_across_a_streamed_block_boundary() {
    // Streams are read 4 MiB at a time: put the secret's line across the first boundary,
    // then ending right at it, then starting right after it.
    let filler = |bytes: usize| {
        let mut out = Vec::with_capacity(bytes);
        let mut i = 0;
        while out.len() + 32 <= bytes {
            out.extend_from_slice(format!("w{i:014}\n").as_bytes());
            i += 1;
        }
        // A longer last filler line brings the list to exactly `bytes`.
        out.extend(std::iter::repeat_n(b'p', bytes - out.len() - 1));
        out.push(b'\n');
        out
    };
    let target = CrackTarget::new(&token("HS256", b"across-the-edge")).unwrap();
    let edge = 4 << 20;
    for before in [edge - 7, edge - "across-the-edge\n".len(), edge] {
        let mut list = filler(before);
        list.extend_from_slice(b"across-the-edge\nnext\n");
        let out = crack(&target, &list[..], None, |_| {}, || false).unwrap();
        assert_eq!(
            out.secret.as_deref().map(Vec::as_slice),
            Some(&b"across-the-edge"[..]),
            "{before}"
        );
    }
}

#[test]
fn reports_the_first_match_when_pieces_run_in_parallel() {
    // Keys are zero-padded, so "twin" and "twin\0" are the same HMAC key: both match.
    let target = CrackTarget::new(&token("HS256", b"twin")).unwrap();
    let mut list = wordlist(2_000, "twin\0");
    list.extend_from_slice(&wordlist(20_000, "twin"));
    let pool = pool(Some(4)).unwrap().unwrap();
    let (tried, found) = pool
        .install(|| search(&target, &list[..], 0, list.len()))
        .unwrap();
    assert_eq!(found.as_deref().map(Vec::as_slice), Some(&b"twin\0"[..]));
    assert!(tried >= 2_001, "{tried}");
    // Swapped, the bare word comes first.
    let mut list = wordlist(2_000, "twin");
    list.extend_from_slice(&wordlist(20_000, "twin\0"));
    let (_, found) = pool
        .install(|| search(&target, &list[..], 0, list.len()))
        .unwrap();
    assert_eq!(found.as_deref().map(Vec::as_slice), Some(&b"twin"[..]));
}

#[test]
fn empty_lines_are_guesses_and_an_empty_list_has_none() {
    let target = CrackTarget::new(&token("HS256", b"")).unwrap();
    let out = crack(&target, &b"a\n\nb\n"[..], None, |_| {}, || false).unwrap();
    assert_eq!(out.secret.as_deref().map(Vec::as_slice), Some(&b""[..]));
    let out = crack(&target, &b""[..], None, |_| {}, || false).unwrap();
    assert_eq!((out.secret, out.tried), (None, 0));
}

#[test]
fn an_empty_file_and_a_device_have_no_words() {
    let target = CrackTarget::new(&token("HS256", b"absent")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.txt");
    std::fs::write(&path, b"").unwrap();
    let out = crack_file(&target, &path, None, |_| {}, || false).unwrap();
    assert_eq!((out.secret, out.tried, out.cancelled), (None, 0, false));
    // Not a regular file, so it is streamed rather than read at offsets.
    #[cfg(unix)]
    {
        let out = crack_file(&target, Path::new("/dev/null"), None, |_| {}, || false).unwrap();
        assert_eq!((out.secret, out.tried), (None, 0));
    }
}

#[test]
fn the_estimated_total_follows_the_bytes_done() {
    let tally = Tally {
        words: 1_000,
        bytes: 16_000,
    };
    assert_eq!(estimate_words(tally, 160_000), 10_000);
    assert_eq!(estimate_words(Tally::default(), 160_000), 0);
    // Sizes past u64 words-times-bytes do not overflow.
    let big = Tally {
        words: u64::MAX / 2,
        bytes: u64::MAX / 2,
    };
    assert_eq!(estimate_words(big, u64::MAX / 2), u64::MAX / 2);
}

#[test]
fn refuses_non_hmac_tokens_and_wrong_lengths() {
    let t = format!("{}.e30.AAAA", b64::encode(r#"{"alg":"RS256"}"#));
    assert!(CrackTarget::new(&t).is_err());
    let t = format!("{}.e30.AAAA", b64::encode(r#"{"alg":"HS256"}"#));
    let e = CrackTarget::new(&t).err().unwrap().to_string();
    assert!(e.contains("3-byte signature"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_as_a_cpu_task_with_progress() {
    use crate::tasks::{TaskEvent, TaskRunner};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.txt");
    std::fs::write(&path, wordlist(50_000, "s3cr3t-from-file")).unwrap();
    let target = CrackTarget::new(&token("HS256", b"s3cr3t-from-file")).unwrap();
    let (runner, mut rx) = TaskRunner::new(2);
    let handle = runner.spawn_cpu(crate::tasks::TaskKind::Crack, "crack", move |ctx| {
        Ok(crack_with_task(ctx, &target, Some(&path))?)
    });
    let secret = handle.join().await.unwrap();
    assert_eq!(
        secret.as_deref().map(Vec::as_slice),
        Some(&b"s3cr3t-from-file"[..])
    );
    let mut saw_count = false;
    while let Ok(ev) = rx.try_recv() {
        if let TaskEvent::Progress {
            progress: Progress::Count { done, total },
            ..
        } = ev
        {
            saw_count = done > 0 && total.is_some();
        }
    }
    assert!(saw_count);
}

#[test]
fn a_file_that_shrinks_during_a_run_ends_it_with_an_error() {
    // Mapped, the list's lost pages raised SIGBUS and killed the process (the TUI's terminal
    // stayed in raw mode); read, the missing bytes are an error.
    let target = CrackTarget::new(&token("HS256", b"absent")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.txt");
    std::fs::write(&path, wordlist(200_000, "last")).unwrap();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    // Progress comes between batches: cut the file after the first.
    let cut = |_: Tally| file.set_len(100).unwrap();
    let err = crack_file(&target, &path, Some(2), cut, || false).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    assert!(err.to_string().contains("got shorter"), "{err}");
}

#[test]
fn a_file_is_read_in_pieces_that_share_out_every_line_once() {
    // Lines of every length, some far longer than a piece or the slack read past one, so
    // pieces start and end inside lines, and some pieces hold no line start at all.
    let mut rng = XorShift(7);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.txt");
    for round in 0..6 {
        let mut list = Vec::new();
        let mut count = 0u64;
        while list.len() < 200_000 {
            let len = match rng.next() % 10 {
                0 => (rng.next() % 20_000) as usize,
                1 => 0,
                _ => (rng.next() % 40) as usize,
            };
            list.extend(std::iter::repeat_n(b'a' + (count % 26) as u8, len));
            list.push(b'\n');
            count += 1;
        }
        let secret = b"the-secret-word";
        if round % 2 == 0 {
            // No newline after the last line.
            list.extend_from_slice(secret);
        } else {
            list.extend_from_slice(b"the-secret-word\r\n");
        }
        count += 1;
        std::fs::write(&path, &list).unwrap();
        let target = CrackTarget::new(&token("HS256", secret)).unwrap();
        let out = crack_file(&target, &path, Some(2), |_| {}, || false).unwrap();
        assert_eq!(out.tried, count, "round {round}");
        assert_eq!(out.secret.as_deref().map(Vec::as_slice), Some(&secret[..]));
        assert_eq!(
            crack(&target, &list[..], Some(2), |_| {}, || false).unwrap(),
            out
        );
    }
}
