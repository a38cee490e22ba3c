//! `apiward import har` with the HAR as ground truth: a Chrome and a Firefox recording
//! (`tests/data/har/`) are imported, every request is sent from the workspace to a loopback
//! echo server (the recorded origin's `{{base_url}}` pointed there), and what the server saw
//! must be what the browser recorded: method, path and query, the headers that are not the
//! browser's own (the documented noise list, plus Host), and the body. The recorded secrets
//! must appear nowhere in the workspace but the private env file.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::cli_basics::{apiward, assert_ok};
use crate::harness::{Route, TestServer};
use crate::import_postman::{Seen, data, normalise, walk};

/// What the browser sets of its own accord, as `docs/import.md` lists it; and what the
/// connection sets (Host, Content-Length), which differs on any server.
fn noise(name: &str, value: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with(':')
        || n.starts_with("sec-ch-")
        || n.starts_with("sec-fetch-")
        || [
            "host",
            "connection",
            "keep-alive",
            "te",
            "content-length",
            "accept-encoding",
            "upgrade-insecure-requests",
            "priority",
            "dnt",
            "sec-gpc",
            "pragma",
            "x-client-data",
        ]
        .contains(&n.as_str())
        || (n == "cache-control" && value == "no-cache")
}

/// The recorded request, as the echo server should see it.
fn recorded(entry: &Value) -> Seen {
    let r = &entry["request"];
    let url = reqwest::Url::parse(r["url"].as_str().unwrap()).unwrap();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for h in r["headers"].as_array().unwrap() {
        let (name, value) = (h["name"].as_str().unwrap(), h["value"].as_str().unwrap());
        if noise(name, value) {
            continue;
        }
        let name = name.to_ascii_lowercase();
        headers
            .entry(name.clone())
            .and_modify(|v| {
                // HTTP/2 splits cookies; one HTTP/1.1 request line joins them.
                if name == "cookie" {
                    v.push_str("; ");
                    v.push_str(value);
                }
            })
            .or_insert_with(|| value.to_string());
    }
    // A .http body cannot end in a line break (docs/import.md; the import says so).
    let text = r["postData"]["text"].as_str().unwrap_or("");
    let body = text.trim_end_matches('\n').as_bytes().to_vec();
    Seen {
        method: r["method"].as_str().unwrap().to_string(),
        path: match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        },
        headers,
        body,
    }
}

/// Imports `har` (with `args`), points every `*base_url` at `server`, sends every request,
/// and returns what the server saw.
fn import_and_send(
    home: &Path,
    ws: &Path,
    har: &Path,
    args: &[&str],
    server: &TestServer,
) -> Vec<Seen> {
    let out = apiward(home)
        .arg("--workspace")
        .arg(ws)
        .args(["import", "har"])
        .arg(har)
        .args(args)
        .output()
        .unwrap();
    assert_ok(&out);
    let env_path = ws.join("http-client.env.json");
    let mut env: Value =
        serde_json::from_str(&std::fs::read_to_string(&env_path).unwrap()).unwrap();
    let mut echo = serde_json::Map::new();
    for name in env["$shared"].as_object().unwrap().keys() {
        if name.ends_with("base_url") {
            echo.insert(name.clone(), server.url("").trim_end_matches('/').into());
        }
    }
    env["echo"] = Value::Object(echo);
    std::fs::write(&env_path, env.to_string()).unwrap();
    let before = server.requests().len();
    let names: Vec<String> = apiward::http::Workspace::open(ws)
        .requests()
        .unwrap()
        .into_iter()
        .map(|s| s.request.name)
        .collect();
    for name in &names {
        let out = apiward(home)
            .arg("--workspace")
            .arg(ws)
            .args(["send", "--name", name, "--env", "echo"])
            .output()
            .unwrap();
        assert_ok(&out);
    }
    server.requests()[before..]
        .iter()
        .map(|s| normalise(s, &["host", "content-length", "accept-encoding"]))
        .collect()
}

/// Compares each sent request with the recorded one of the same method and path.
fn compare(recorded: &[Seen], sent: &[Seen]) -> Vec<String> {
    let mut differ = Vec::new();
    for want in recorded {
        match sent
            .iter()
            .find(|s| s.method == want.method && s.path == want.path)
        {
            Some(got) if got == want => {}
            Some(got) => differ.push(format!("recorded: {want:?}\n  sent:     {got:?}")),
            None => differ.push(format!("never sent: {} {}", want.method, want.path)),
        }
    }
    differ
}

fn entries(har: &Path) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(har).unwrap()).unwrap();
    v["log"]["entries"].as_array().unwrap().clone()
}

#[test]
fn chrome_recording_filtered_to_the_api_host_sends_as_recorded() {
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let har = data("har/chrome-shop.har");
    let sent = import_and_send(
        home.path(),
        &ws,
        &har,
        &["--host", "api.shop.example"],
        &server,
    );
    // The page's own API requests: no preflight, no asset, no other host, the repeated
    // product search once.
    let want: Vec<Seen> = entries(&har)
        .iter()
        .filter(|e| {
            e["request"]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://api.shop.example/")
        })
        .filter(|e| e["_resourceType"] != "preflight")
        .map(recorded)
        .collect();
    assert_eq!(want.len(), 8);
    assert_eq!(sent.len(), 7, "{sent:#?}");
    let differ = compare(&want, &sent);
    println!(
        "HAR oracle (Chrome): {} of 8 recorded requests sent as recorded",
        8 - differ.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));

    let secrets = [
        "Qm9ndXMtc2lnbmF0dXJlLWZvci1maXh0dXJlcy1vbmx5",
        "9c1f3e5a7b2d4f60",
        "7f3c9a1e5b2d8046",
        "Hunter2-correct!",
        "rt_5e6f7a8b9c0d1e2f",
        "at_q_a1b2c3d4e5",
    ];
    assert_no_secret_outside_the_private_file(&ws, &secrets);
}

#[test]
fn firefox_recording_sends_as_recorded() {
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let har = data("har/firefox-notes.har");
    let sent = import_and_send(home.path(), &ws, &har, &[], &server);
    let want: Vec<Seen> = entries(&har)
        .iter()
        .filter(|e| !e["request"]["url"].as_str().unwrap().ends_with(".css"))
        .map(recorded)
        .collect();
    assert_eq!(sent.len(), want.len(), "{sent:#?}");
    let differ = compare(&want, &sent);
    println!(
        "HAR oracle (Firefox): {} of {} recorded requests sent as recorded",
        want.len() - differ.len(),
        want.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert_no_secret_outside_the_private_file(
        &ws,
        &[
            "YW5uOnNlY3JldC1ub3Rlcw==",
            "fx_key_0099aabbcc",
            "fx-5a4b3c2d1e",
        ],
    );
    let file = std::fs::read_to_string(ws.join("requests/notes-example-org.http")).unwrap();
    assert!(
        file.contains("// its body's final line break is not kept"),
        "{file}"
    );
}

fn assert_no_secret_outside_the_private_file(ws: &Path, secrets: &[&str]) {
    let private = ws.join("http-client.private.env.json");
    let kept = std::fs::read_to_string(&private).unwrap();
    for secret in secrets {
        assert!(
            kept.contains(secret),
            "{secret} is not in the private env file"
        );
    }
    for file in walk(ws) {
        if file == private {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{secret} is written in plain text in {}",
                file.display()
            );
        }
    }
}

#[test]
fn dry_run_writes_nothing_and_bad_input_exits_2() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let ws = dir.join("ws");
    let out = apiward(dir)
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "har", "--dry-run"])
        .arg(data("har/chrome-shop.har"))
        .output()
        .unwrap();
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("==> requests/api-shop-example.http (7 requests)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("==> requests/shop-example.http"),
        "{stdout}"
    );
    assert!(!stdout.contains("Hunter2-correct!"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("3 static asset request(s)"), "{stderr}");
    let filtered = apiward(dir)
        .args(["import", "har", "--dry-run", "--host", "api.shop.example"])
        .arg(data("har/chrome-shop.har"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&filtered.stderr);
    assert!(
        said.contains("5 request(s) to hosts other than api.shop.example"),
        "{said}"
    );
    assert!(!said.contains("static asset"), "{said}");
    assert!(stderr.contains("1 repeated request(s)"), "{stderr}");
    assert!(!ws.exists(), "--dry-run wrote the workspace");

    let cases: [(&str, &str, &[&str], &str); 4] = [
        ("a.har", "<html>not json</html>", &[], "is not JSON"),
        (
            "b.har",
            r#"{"log": {"version": "0.9", "entries": [{}]}}"#,
            &[],
            "HAR 1.1 and 1.2",
        ),
        (
            "c.har",
            r#"{"log": {"version": "1.2", "entries": []}}"#,
            &[],
            "holds no requests",
        ),
        (
            "chrome",
            "",
            &["--host", "nowhere.example"],
            "its requests go to api.shop.example",
        ),
    ];
    for (file, text, args, says) in cases {
        let path = if text.is_empty() {
            data("har/chrome-shop.har")
        } else {
            std::fs::write(dir.join(file), text).unwrap();
            dir.join(file)
        };
        let out = apiward(dir)
            .arg("--workspace")
            .arg(&ws)
            .args(["import", "har"])
            .arg(&path)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(says), "{file}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}
