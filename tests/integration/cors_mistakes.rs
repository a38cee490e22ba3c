//! CORS allowlists written the classic wrong ways, each as a small loopback server, and the
//! finding `apiward audit` must name for each: the mistakes Corsy looks for.

use std::io::Write;

use serde_json::Value;

use crate::cli_basics::apiward;

/// A server's CORS check: whether it allows an Origin.
type Check = fn(&str) -> bool;

/// A server on 127.0.0.1 whose CORS check is `allows`; it reflects an allowed Origin with
/// credentials, as the vulnerable servers in the wild do. Returns its port.
fn server(allows: Check) -> u16 {
    crate::harness::raw::serve(move |mut stream, head| {
        let origin = head.lines().find_map(|l| {
            l.split_once(':')
                .filter(|(n, _)| n.eq_ignore_ascii_case("origin"))
                .map(|(_, v)| v.trim().to_string())
        });
        let cors = match origin.filter(|o| allows(o)) {
            Some(o) => format!(
                "access-control-allow-origin: {o}\r\naccess-control-allow-credentials: true\r\n"
            ),
            None => String::new(),
        };
        let _ = stream.write_all(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{cors}\
                 content-length: 2\r\nconnection: close\r\n\r\n{{}}"
            )
            .as_bytes(),
        );
    })
}

fn finding_ids(url: &str) -> Vec<String> {
    let home = tempfile::tempdir().unwrap();
    let out = apiward(home.path())
        .args(["audit", url, "--json", "--timeout", "10"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The host part of an origin, read the careless way: up to the first character that is
/// not a letter, digit, dot or dash.
fn careless_host(origin: &str) -> &str {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// `^https?://127.0.0.1$` with its dots left unescaped, as a regex reads it.
fn unescaped_dot(origin: &str) -> bool {
    let host = origin.split_once("://").map_or(origin, |(_, r)| r);
    let pattern = "127.0.0.1";
    host.len() == pattern.len()
        && host
            .chars()
            .zip(pattern.chars())
            .all(|(h, p)| p == '.' || h == p)
}

#[test]
fn each_classic_allowlist_mistake_is_named() {
    let cases: [(&str, Check, &str); 5] = [
        (
            "ends-with check",
            |o| o.ends_with("localhost"),
            "cors-suffix-bypass",
        ),
        (
            "starts-with check",
            |o| o.starts_with("https://localhost"),
            "cors-prefix-bypass",
        ),
        (
            "host read up to a special character",
            |o| careless_host(o) == "localhost",
            "cors-special-char-bypass",
        ),
        (
            "any sub-domain",
            |o| o.ends_with(".localhost"),
            "cors-subdomain-trusted",
        ),
        (
            "a shared hosting domain in the allowlist",
            |o| o.ends_with(".github.io"),
            "cors-third-party-origin",
        ),
    ];
    for (what, allows, id) in cases {
        let ids = finding_ids(&format!("http://localhost:{}/", server(allows)));
        assert!(ids.iter().any(|i| i == id), "{what}: {id} not in {ids:?}");
        assert!(
            !ids.iter().any(|i| i == "cors-reflects-origin"),
            "{what}: a narrow mistake is not full reflection: {ids:?}"
        );
    }
    // A dot to leave unescaped needs a host with dots in it.
    let ids = finding_ids(&format!("http://127.0.0.1:{}/", server(unescaped_dot)));
    assert!(ids.iter().any(|i| i == "cors-unescaped-dot"), "{ids:?}");
    let strict = finding_ids(&format!(
        "http://localhost:{}/",
        server(|o| o == "https://app.localhost")
    ));
    assert!(
        !strict.iter().any(|i| i.starts_with("cors-")),
        "an exact allowlist has no CORS finding: {strict:?}"
    );
}
