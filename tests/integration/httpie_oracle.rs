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
    std::fs::write(dir.join("n.txt"), "notes\n").unwrap();
    std::fs::write(dir.join("up.json"), "{\"up\": true}\n").unwrap();
    let base = server.url("").trim_end_matches('/').to_string();
    let port = server.addr.port().to_string();
    let apiward = env!("CARGO_BIN_EXE_apiward");
    let (mut same, mut differ) = (0, Vec::new());
    let corpus = include_str!("../data/httpie_corpus.txt");
    for line in corpus
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let line = line
            .replace("{URL}", &base)
            .replace("{PORT}", &port)
            .replace("{DIR}", &dir.display().to_string());
        // Standard input is piped from a file, or ignored by both.
        let (words, stdin, ignore) = match line.strip_prefix("STDIN=") {
            Some(rest) => {
                let (file, words) = rest.split_once(' ').unwrap();
                (words.to_string(), format!(" < {file}"), "")
            }
            None => (line.clone(), String::new(), "--ignore-stdin "),
        };
        let before = server.requests().len();
        assert!(
            run(&format!("http {ignore}{words}{stdin}"), home.path()),
            "HTTPie failed on: {line}"
        );
        let by_httpie = server.requests().len();
        let sent = run(
            &format!("{apiward} send {ignore}{words}{stdin}"),
            home.path(),
        );
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

/// `send --offline` prints the request HTTPie's `--offline` prints (request line and body;
/// the defaults each adds differ, as in the comparison above) and sends nothing.
#[test]
fn offline_prints_the_request_httpie_would_send() {
    if !httpie_available() {
        println!("skipped: HTTPie is not installed (pip install httpie; .ci/run does)");
        return;
    }
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let base = server.url("").trim_end_matches('/').to_string();
    let printed = |program: &str, words: &str| {
        let out = Command::new("bash")
            .args(["-c", &format!("{program} --offline --ignore-stdin {words}")])
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{program} {words}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        let line = head.lines().next().unwrap_or("").to_string();
        (line, body.trim_end().to_string())
    };
    let apiward = env!("CARGO_BIN_EXE_apiward");
    for words in [
        format!("{base}/get q==1"),
        format!("PUT {base}/put name=Ada age:=36 'tags[]=a'"),
        format!("-f {base}/form a=1 'b=x y'"),
        format!("{base}/raw --raw 'as it is'"),
        format!("get {base}/lower"),
    ] {
        assert_eq!(
            printed(&format!("{apiward} send"), &words),
            printed("http", &words),
            "{words}"
        );
    }
    assert!(server.requests().is_empty(), "--offline sent a request");
}

/// `export --format httpie` writes commands HTTPie accepts and that send what apiward sends:
/// a JSON body without a Content-Type (HTTPie takes no items after --raw), a raw text body,
/// a form and a multipart body.
#[test]
fn exported_httpie_commands_send_what_apiward_sends() {
    if !httpie_available() {
        println!("skipped: HTTPie is not installed (pip install httpie; .ci/run does)");
        return;
    }
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let dir = home.path().join("files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("t.txt"), "file text\n").unwrap();
    let base = server.url("").trim_end_matches('/').to_string();
    let apiward = env!("CARGO_BIN_EXE_apiward");
    let ws_arg = ws.display().to_string();
    let commands = [
        format!("curl --json '{{\"a\": [1, 2]}}' {base}/json"),
        format!("curl -X PUT -H 'X-Trace: 1' --json '{{\"b\": true}}' '{base}/q?x=1'"),
        format!("curl -d 'a=1&b=two words' {base}/form"),
        format!("curl -H 'Content-Type: text/plain' -d 'plain text' {base}/text"),
        format!(
            "curl -F 'n=1' -F 'f=@{}' {base}/multi",
            dir.join("t.txt").display()
        ),
    ];
    for (n, curl) in commands.iter().enumerate() {
        let name = format!("e{n}");
        let out = Command::new(apiward)
            .args([
                "--workspace",
                &ws_arg,
                "import",
                "curl",
                curl,
                "--save",
                &name,
            ])
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "import failed: {curl}: {out:?}");
        let out = Command::new(apiward)
            .args(["--workspace", &ws_arg, "export", "--name", &name])
            .args(["--format", "httpie"])
            .env("HOME", home.path())
            .output()
            .unwrap();
        let exported = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let before = server.requests().len();
        let by_httpie = exported.replacen("http ", "http --ignore-stdin ", 1);
        assert!(run(&by_httpie, home.path()), "HTTPie refused: {exported}");
        let after_httpie = server.requests().len();
        let send = format!("{apiward} --workspace {ws_arg} send --ignore-stdin --name {name}");
        assert!(run(&send, home.path()), "apiward failed: {name}");
        let all = server.requests();
        let (h, a) = (
            all[before..after_httpie]
                .last()
                .map(|r| normalise(r, &exported)),
            all[after_httpie..].last().map(|r| normalise(r, &exported)),
        );
        assert!(
            h.is_some() && h == a,
            "{exported}\n httpie:  {h:?}\n apiward: {a:?}"
        );
    }
}

/// A Content-Type given with -H is the only one, whatever body -d, --raw or items bring.
#[test]
fn a_given_content_type_is_the_only_one() {
    let home = tempfile::tempdir().unwrap();
    let apiward = env!("CARGO_BIN_EXE_apiward");
    for args in [
        vec!["-H", "Content-Type: text/plain", "-d", "x=1"],
        vec!["-H", "content-type: text/plain", "-d", "{\"a\": 1}"],
        vec!["-H", "Content-Type: text/plain", "--raw", "words"],
        vec!["-H", "Content-Type: application/vnd.api+json", "a=1"],
        vec!["--form", "-H", "Content-Type: text/plain", "a=1"],
    ] {
        let out = Command::new(apiward)
            .args([
                "send",
                "--offline",
                "--ignore-stdin",
                "http://127.0.0.1:9/x",
            ])
            .args(&args)
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        let types: Vec<&str> = text
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("content-type:"))
            .collect();
        assert_eq!(types.len(), 1, "{args:?}:\n{text}");
    }
}
