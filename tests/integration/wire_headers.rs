//! Header names reach the HTTP/1.1 wire as typed, checked against curl: both send the same
//! headers to a server that answers with the request head it read, byte for byte.

use std::io::Write;
use std::process::Command;

use crate::cli_basics::{apiward, assert_ok};

/// A server whose body is the request head it received.
fn head_echo() -> String {
    let port = crate::harness::raw::serve(|mut stream, head| {
        let _ = stream.write_all(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
                head.len()
            )
            .as_bytes(),
        );
    });
    format!("http://127.0.0.1:{port}/p")
}

/// The header lines of a head, without the User-Agent each client names itself by.
fn lines(head: &str) -> Vec<String> {
    head.split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty() && !l.starts_with("User-Agent:"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_typed_header_name_goes_out_as_typed() {
    let url = head_echo();
    let home = tempfile::tempdir().unwrap();
    let out = apiward(home.path())
        .args(["send", "GET", &url, "X-Probe:42", "x-lower:1", "X-UPPER:2"])
        .output()
        .unwrap();
    assert_ok(&out);
    let head = String::from_utf8_lossy(&out.stdout);
    let sent = lines(&head);
    for want in [
        "X-Probe: 42",
        "x-lower: 1",
        "X-UPPER: 2",
        "Host: 127.0.0.1:",
    ] {
        assert!(
            sent.iter().any(|l| l.starts_with(want)),
            "{want:?} not on the wire: {sent:?}"
        );
    }
    // In the order typed.
    let at = |p: &str| sent.iter().position(|l| l.starts_with(p)).unwrap();
    assert!(at("X-Probe") < at("x-lower") && at("x-lower") < at("X-UPPER"));
}

#[test]
fn the_head_matches_curls_for_the_same_headers() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("skipped: curl is not installed, and it is the oracle here");
        return;
    }
    let url = head_echo();
    let typed = [
        "X-Probe: 42",
        "x-api-key: k",
        "Content-TYPE: text/plain",
        "ACCEPT: */*",
    ];
    let mut curl = Command::new("curl");
    curl.args(["-s", "--data-binary", "hello", &url]);
    for h in typed {
        curl.args(["-H", h]);
    }
    let curl_out = curl.output().unwrap();
    assert!(curl_out.status.success());

    let home = tempfile::tempdir().unwrap();
    let body = home.path().join("body.txt");
    std::fs::write(&body, "hello").unwrap();
    let mut cmd = apiward(home.path());
    cmd.args(["send", "POST", &url, &format!("@{}", body.display())]);
    for h in typed {
        cmd.arg(h.replacen(": ", ":", 1));
    }
    let out = cmd.output().unwrap();
    assert_ok(&out);

    let theirs = lines(&String::from_utf8_lossy(&curl_out.stdout));
    let ours = lines(&String::from_utf8_lossy(&out.stdout));
    // Every header curl sent, apiward sent with the same name, byte for byte.
    for line in &theirs {
        let name = line.split(':').next().unwrap();
        if name == "Accept-Encoding" {
            continue;
        }
        assert!(
            ours.iter().any(|l| l.split(':').next() == Some(name)),
            "curl sent {line:?}; apiward sent {ours:?}"
        );
    }
    // And one Content-Type only, the typed one.
    let content_types: Vec<_> = ours
        .iter()
        .filter(|l| l.to_ascii_lowercase().starts_with("content-type:"))
        .collect();
    assert_eq!(content_types, ["Content-TYPE: text/plain"], "{ours:?}");
}
