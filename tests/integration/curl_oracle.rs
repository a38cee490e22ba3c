//! curl is the oracle for `import curl`: every command in `tests/data/curl_corpus.txt` is
//! run by real curl and by apiward (import, then send) against the same echo server, and
//! the two requests the server saw must agree on method, path and query, headers and body.
//!
//! Left out of the comparison, as documented in the README: the headers each client adds of
//! its own accord (User-Agent and Accept unless the command sets them, Accept-Encoding,
//! Host, Content-Length, Connection, and the Proxy-Connection curl adds through a proxy) and
//! the multipart boundary, which is random.

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
    "proxy-connection",
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

/// One corpus entry: what apiward imports, and what curl runs (the bash twin of a Windows
/// form, which curl on this machine cannot read).
struct Entry {
    import: String,
    run: String,
}

/// Entries start at column 0; an indented line continues the one before (so a multi-line
/// body or a `\` continuation stays one command). `@cmd` and `@ps` mark a Windows form whose
/// bash twin follows as `@as`.
fn entries(corpus: &str) -> Vec<Entry> {
    let mut blocks: Vec<String> = Vec::new();
    for line in corpus.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(last) = blocks.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        } else if !line.trim().is_empty() && !line.starts_with('#') {
            blocks.push(line.to_string());
        }
    }
    let mut out = Vec::new();
    let mut blocks = blocks.into_iter();
    while let Some(b) = blocks.next() {
        match b.strip_prefix("@cmd ").or_else(|| b.strip_prefix("@ps ")) {
            Some(windows) => {
                let twin = blocks.next().unwrap_or_default();
                let run = twin
                    .strip_prefix("@as ")
                    .unwrap_or_else(|| panic!("no @as twin after {b}"));
                out.push(Entry {
                    import: windows.to_string(),
                    run: run.to_string(),
                });
            }
            None => out.push(Entry {
                import: b.clone(),
                run: b,
            }),
        }
    }
    out
}

/// Every URL in the corpus is on loopback, or on a reserved `.example` name that never
/// resolves (what --resolve, --connect-to and a loopback proxy point elsewhere).
fn assert_loopback(command: &str) {
    for (i, _) in command.match_indices("://") {
        let authority = command[i + 3..]
            .split(['/', '\'', '"', ' ', '^', '?', '`'])
            .next()
            .unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        assert!(
            ["127.0.0.1", "localhost", "{HOSTPORT}"]
                .iter()
                .any(|h| host.starts_with(h))
                || host
                    .split(':')
                    .next()
                    .is_some_and(|h| h.ends_with(".example")),
            "the corpus may only name loopback or .example hosts: {command}"
        );
    }
}

/// Runs `command` (a curl command line) with bash, as a user pastes it, its output dropped.
fn run_curl(home: &Path, command: &str) -> bool {
    let quiet = command.replacen("curl ", "curl -s -o /dev/null ", 1);
    Command::new("bash")
        .args(["-c", &quiet])
        .current_dir(home.join("files"))
        .env("HOME", home)
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn import(home: &Path, command: &str, n: usize) -> Result<String, String> {
    let name = format!("c{n}");
    let out = apiward(home)
        .arg("--workspace")
        .arg(home.join("ws"))
        .args(["import", "curl", command, "--save", &name])
        .current_dir(home.join("files"))
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "import refused: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(name)
}

fn send(home: &Path, name: &str) -> Result<(), String> {
    let out = apiward(home)
        .arg("--workspace")
        .arg(home.join("ws"))
        .args(["send", "--name", name])
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
    std::fs::write(dir.join("headers.txt"), "X-From-File: 1\nX-Second: two\n").unwrap();
    std::fs::write(
        dir.join("cookies.txt"),
        "# Netscape HTTP Cookie File\n\
         127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n\
         127.0.0.1\tFALSE\t/api\tFALSE\t4102444800\tdeep\tx\n\
         127.0.0.1\tFALSE\t/\tFALSE\t1\texpired\tgone\n\
         other.example\tFALSE\t/\tFALSE\t0\telsewhere\tno\n",
    )
    .unwrap();
    let corpus = include_str!("../data/curl_corpus.txt");
    let base = server.url("").trim_end_matches('/').to_string();
    let host_port = base.trim_start_matches("http://").to_string();
    let port = server.addr.port().to_string();
    let fill = |text: &str| {
        text.replace("{URL}", &base)
            .replace("{HOSTPORT}", &host_port)
            .replace("{PORT}", &port)
            .replace("{DIR}", &dir.display().to_string())
    };
    let (mut same, mut refused, mut differ) = (Vec::new(), Vec::new(), Vec::new());
    for (n, entry) in entries(corpus).iter().enumerate() {
        assert_loopback(&entry.import);
        assert_loopback(&entry.run);
        let (command, run) = (fill(&entry.import), fill(&entry.run));
        // Imported first: a command apiward refuses is not sent by either.
        let name = match import(home.path(), &command, n) {
            Ok(name) => name,
            Err(why) => {
                refused.push(format!("{command}\n    {why}"));
                continue;
            }
        };
        let before = server.requests().len();
        assert!(run_curl(home.path(), &run), "curl failed on: {run}");
        let by_curl = server.requests()[before..].to_vec();
        if let Err(why) = send(home.path(), &name) {
            refused.push(format!("{command}\n    {why}"));
            continue;
        }
        let by_apiward = server.requests()[before + by_curl.len()..].to_vec();
        let (Some(c), Some(a)) = (by_curl.last(), by_apiward.last()) else {
            differ.push(format!("{command}\n    apiward sent nothing"));
            continue;
        };
        let (c, a) = (normalise(c, &run), normalise(a, &run));
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
    assert!(total >= 100, "the corpus holds only {total} commands");
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
