//! HTTPie is the oracle for apiward's request items: every line of
//! `tests/data/httpie_corpus.txt` is run by real HTTPie (`pip install httpie`) and by
//! `apiward send` with the same words against one echo server, and the two requests the
//! server saw must agree. Left out as in the curl oracle: the headers each client adds of
//! its own accord (User-Agent, Accept and Accept-Encoding unless set, Host, Content-Length,
//! Connection).

use std::process::Command;

use crate::curl_oracle::{Seen, normalise};
use crate::harness::{Route, TestServer};

fn httpie_available() -> bool {
    Command::new("http")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(shell: &str, home: &std::path::Path) -> bool {
    Command::new("bash")
        .args(["-c", shell])
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn request_items_send_what_httpie_sends() {
    if !httpie_available() {
        println!("skipped: HTTPie is not installed (pip install httpie; .ci/run does)");
        return;
    }
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("t.txt"), "file text\n").unwrap();
    std::fs::write(dir.join("j.json"), "{\"k\": [1, 2]}").unwrap();
    let base = server.url("").trim_end_matches('/').to_string();
    let apiward = env!("CARGO_BIN_EXE_apiward");
    let (mut same, mut differ) = (0, Vec::new());
    let corpus = include_str!("../data/httpie_corpus.txt");
    for line in corpus
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let words = line
            .replace("{URL}", &base)
            .replace("{DIR}", &dir.display().to_string());
        let before = server.requests().len();
        assert!(
            run(&format!("http --ignore-stdin {words}"), home.path()),
            "HTTPie failed on: {words}"
        );
        let by_httpie = server.requests().len();
        let sent = run(&format!("{apiward} send {words}"), home.path());
        let all = server.requests();
        let (h, a): (Option<Seen>, Option<Seen>) = (
            all[before..by_httpie].last().map(|r| normalise(r, &words)),
            all[by_httpie..].last().map(|r| normalise(r, &words)),
        );
        match (h, a) {
            (Some(h), Some(a)) if h == a => same += 1,
            (h, a) => differ.push(format!(
                "{words}\n    httpie:  {h:?}\n    apiward: {a:?} (exit ok: {sent})"
            )),
        }
    }
    println!("httpie oracle: {same} of {} the same", same + differ.len());
    assert!(
        differ.is_empty(),
        "{} item sets send something other than HTTPie does:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
