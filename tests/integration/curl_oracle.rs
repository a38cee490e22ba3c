//! curl is the oracle for `import curl`: every command in `tests/data/curl_corpus.txt` is
//! run by real curl and by apiward (import, then send) against the same echo server, and
//! the two requests the server saw must agree on method, path and query, headers and body.
//!
//! Left out of the comparison, as documented in the README: the headers each client adds of
//! its own accord (User-Agent and Accept unless the command sets them, Accept-Encoding,
//! Host, Content-Length, Connection) and the multipart boundary, which is random.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::cli_basics::apiward;
use crate::harness::server::SeenRequest;
use crate::harness::{Route, TestServer};

/// Headers a client adds by itself; compared only when the command sets them.
const OWN_HEADERS: &[&str] = &[
    "user-agent",
    "accept",
    "accept-encoding",
    "host",
    "content-length",
    "connection",
];

/// What two requests must agree on.
#[derive(Debug, PartialEq)]
pub(crate) struct Seen {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

pub(crate) fn normalise(seen: &SeenRequest, command: &str) -> Seen {
    let lower = command.to_ascii_lowercase();
    let set_by_command = |name: &str| {
        lower.contains(&format!("{name}:"))
            || (name == "user-agent" && (lower.contains(" -a ") || lower.contains("--user-agent")))
    };
    let mut headers: BTreeMap<String, String> = seen
        .headers
        .iter()
        .filter(|(n, _)| !OWN_HEADERS.contains(&n.as_str()) || set_by_command(n))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let mut body = seen.body.clone();
    // The multipart boundary is random per client: name it the same in both.
    if let Some(ct) = headers.get_mut("content-type")
        && let Some((_, boundary)) = ct.clone().split_once("boundary=")
    {
        *ct = ct.replace(boundary, "BOUNDARY");
        let text = String::from_utf8_lossy(&body).replace(boundary, "BOUNDARY");
        body = text.into_bytes();
    }
    Seen {
        method: seen.method.clone(),
        path: seen.path_and_query.clone(),
        headers,
        body,
    }
}

fn curl_available() -> bool {
    Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `command` (a curl command line) with bash, as a user pastes it.
fn run_curl(command: &str) -> bool {
    Command::new("bash")
        .args(["-c", &format!("{command} -s -o /dev/null")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run_apiward(home: &Path, command: &str, n: usize) -> Result<(), String> {
    let ws = home.join("ws");
    let name = format!("c{n}");
    let out = apiward(home)
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "curl", command, "--save", &name])
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "import refused: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let out = apiward(home)
        .arg("--workspace")
        .arg(&ws)
        .args(["send", "--name", &name])
        .output()
        .unwrap();
    if out.status.code() == Some(2) {
        return Err(format!(
            "send refused: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(())
}

#[test]
fn imported_curl_commands_send_what_curl_sends() {
    if !curl_available() {
        println!("skipped: curl is not installed (apt-get install curl)");
        return;
    }
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("body.json"), "{\"from\": \"a file\"}\n").unwrap();
    std::fs::write(dir.join("up.txt"), "uploaded\n").unwrap();
    let corpus = include_str!("../data/curl_corpus.txt");
    let base = server.url("").trim_end_matches('/').to_string();
    let (mut same, mut refused, mut differ) = (Vec::new(), Vec::new(), Vec::new());
    for (n, line) in corpus
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .enumerate()
    {
        let command = line
            .replace("{URL}", &base)
            .replace("{DIR}", &dir.display().to_string());
        let before = server.requests().len();
        assert!(run_curl(&command), "curl failed on: {command}");
        let by_curl = server.requests()[before..].to_vec();
        if let Err(why) = run_apiward(home.path(), &command, n) {
            refused.push(format!("{command}\n    {why}"));
            continue;
        }
        let by_apiward = server.requests()[before + by_curl.len()..].to_vec();
        let (Some(c), Some(a)) = (by_curl.last(), by_apiward.last()) else {
            differ.push(format!("{command}\n    apiward sent nothing"));
            continue;
        };
        let (c, a) = (normalise(c, &command), normalise(a, &command));
        if c == a {
            same.push(command);
        } else {
            differ.push(format!("{command}\n    curl:    {c:?}\n    apiward: {a:?}"));
        }
    }
    let total = same.len() + refused.len() + differ.len();
    println!(
        "curl oracle: {} of {total} the same, {} refused with a sentence, {} different",
        same.len(),
        refused.len(),
        differ.len()
    );
    for r in &refused {
        println!("refused: {r}");
    }
    assert!(
        differ.is_empty(),
        "{} commands send something other than curl does:\n{}",
        differ.len(),
        differ.join("\n")
    );
    assert!(
        same.len() * 100 >= total * 95,
        "only {} of {total} match",
        same.len()
    );
}
