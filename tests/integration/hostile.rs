//! Hostile servers on loopback: an endless body, a gzip bomb, a huge header and silence.
//! Every command that reads from a server ends on its own, says what happened in a sentence,
//! and keeps only a bounded amount of what it was sent. Peak memory is measured by hand
//! with `/usr/bin/time -v` (docs/reliability.md), never asserted here.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Output;

use crate::cli_basics::apiward;

/// What the server does after reading a request's head.
#[derive(Clone, Copy, Debug)]
enum Hostility {
    /// 200 with a chunked body that never ends (stops when the client hangs up).
    Endless,
    /// 200 with `Content-Encoding: gzip` whose body inflates to a gigabyte of zeros.
    GzipBomb,
    /// A response head with a 1 MiB header.
    HugeHeader,
    /// Accepts, reads, and never answers.
    Silent,
}

/// A server on 127.0.0.1 port 0 that treats every connection with `how`. Its threads end
/// when their client hangs up, which every command here does when it exits.
fn hostile(how: Hostility) -> String {
    if let Hostility::GzipBomb = how {
        bomb_member();
    }
    let port = match how {
        Hostility::Endless => crate::harness::raw::serve(|mut s, _| drop(endless(&mut s))),
        Hostility::GzipBomb => crate::harness::raw::serve(|mut s, _| drop(bomb(&mut s))),
        Hostility::HugeHeader => crate::harness::raw::serve(|mut s, _| {
            let big = "a".repeat(1 << 20);
            let _ = s.write_all(format!("HTTP/1.1 200 OK\r\nx-big: {big}\r\n\r\n").as_bytes());
        }),
        // Holds the connection until the client gives up.
        Hostility::Silent => crate::harness::raw::serve(|mut s, _| drop(s.read(&mut [0u8; 1]))),
    };
    format!("http://127.0.0.1:{port}/")
}

fn endless(stream: &mut TcpStream) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    )?;
    stream.write_all(b"6\r\n{\"a\":[\r\n")?;
    let chunk = format!("{:x}\r\n{}\r\n", 1 << 16, "1,".repeat(1 << 15));
    // Bounded all the same: 16 GiB, far past every cap, if a client never hangs up.
    for _ in 0..(1 << 18) {
        stream.write_all(chunk.as_bytes())?;
    }
    Ok(())
}

/// One gzip member of 4 MiB of zeros (about 4 KiB), made once for every test: made per
/// connection in a debug build on a busy machine, it outlasted the clients' timeouts.
fn bomb_member() -> &'static [u8] {
    static MEMBER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    MEMBER.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(async {
                use tokio::io::AsyncReadExt;
                let zeros = vec![0u8; 4 << 20];
                let mut out = Vec::new();
                async_compression::tokio::bufread::GzipEncoder::new(zeros.as_slice())
                    .read_to_end(&mut out)
                    .await
                    .unwrap();
                out
            })
    })
}

/// 256 members: a gzip stream may hold many, so this inflates to 1 GiB from about 1 MiB,
/// and a decoder that stops after the first still sees 4 MiB, past every cap under test.
fn bomb(stream: &mut TcpStream) -> std::io::Result<()> {
    const MEMBERS: usize = 256;
    let member = bomb_member();
    stream.write_all(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n\
             content-length: {}\r\n\r\n",
            member.len() * MEMBERS
        )
        .as_bytes(),
    )?;
    for _ in 0..MEMBERS {
        stream.write_all(member)?;
    }
    Ok(())
}

fn run(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    apiward(home.path()).args(args).output().unwrap()
}

/// Exit 1, with a message on stderr or stdout that contains one of `needles`.
fn assert_fails_saying(out: &Output, what: &str, needles: &[&str]) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(out.status.code(), Some(1), "{what}: {text}");
    assert!(
        needles.iter().any(|n| text.contains(n)),
        "{what}: none of {needles:?} in {text}"
    );
}

const TOKEN: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sEkwb9hnyJGSzv2n3UmnK8R9pC1XhDU2ZGv3sAdGJ1E";

#[test]
fn a_jwks_fetch_stops_at_its_cap_or_its_timeout() {
    for how in [
        Hostility::Endless,
        Hostility::GzipBomb,
        Hostility::HugeHeader,
        Hostility::Silent,
    ] {
        let url = hostile(how);
        let out = run(&["jwt", "verify", TOKEN, "--jwks", &url]);
        assert_fails_saying(
            &out,
            &format!("jwt verify --jwks against {how:?}"),
            &[
                "larger than 1024 KiB",
                "timed out",
                "message head",
                "header",
            ],
        );
        let out = run(&["keys", "jwks", "--check", &url]);
        assert_fails_saying(
            &out,
            &format!("keys jwks --check against {how:?}"),
            &[
                "larger than 1024 KiB",
                "timed out",
                "message head",
                "header",
            ],
        );
    }
}

#[test]
fn a_probe_and_an_audit_end_with_a_verdict() {
    for how in [
        Hostility::Endless,
        Hostility::GzipBomb,
        Hostility::HugeHeader,
        Hostility::Silent,
    ] {
        let url = hostile(how);
        // Silence is waited out; the rest get room for a busy machine, since each answers
        // at once and a timeout would hide the cap under test.
        let timeout = if let Hostility::Silent = how {
            "2"
        } else {
            "20"
        };
        let out = run(&[
            "jwt",
            "probe",
            "--url",
            &url,
            "--token",
            TOKEN,
            "--timeout",
            timeout,
        ]);
        // The endpoint answers 200 to anything, or nothing at all: either way nothing can
        // be judged.
        assert_fails_saying(
            &out,
            &format!("jwt probe against {how:?}"),
            &["nconclusive", "did not answer"],
        );
        let out = run(&["audit", &url, "--timeout", timeout, "--json"]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        match how {
            Hostility::Endless | Hostility::GzipBomb => {
                assert_eq!(report["body_cut_at"], 1 << 20, "{how:?}: {report}");
            }
            Hostility::HugeHeader | Hostility::Silent => {
                assert_eq!(out.status.code(), Some(1), "{how:?}: {report}");
                assert!(report["error"].is_string(), "{how:?}: {report}");
            }
        }
    }
}

#[test]
fn send_keeps_at_most_its_body_cap_and_says_so() {
    let url = hostile(Hostility::Endless);
    let out = run(&["send", &url, "--max-body", "2M", "--timeout", "20"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.stdout.len() <= 3 << 20,
        "printed {} bytes",
        out.stdout.len()
    );
    assert!(
        stderr.contains("2 MiB") || stderr.contains("cut"),
        "{stderr}"
    );
    for how in [Hostility::HugeHeader, Hostility::Silent] {
        let out = run(&["send", &hostile(how), "--timeout", "2"]);
        assert_fails_saying(&out, &format!("send against {how:?}"), &["apiward:"]);
    }
}
