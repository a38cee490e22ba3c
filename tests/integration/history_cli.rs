//! `apiward history` and `apiward export` end to end, against real local servers: list,
//! search, show and resend what `apiward send` recorded; export a stored request; and the
//! private env's secret in none of the history, the exports or the workspace's other files.

use std::path::Path;
use std::process::Output;

use predicates::prelude::*;

use crate::cli_basics::apiward;
use crate::harness::{Route, TestServer};

const SECRET: &str = "s3cret-from-the-private-env";

/// Runs `apiward --workspace WS ARGS…`.
fn run(home: &Path, ws: &Path, args: &[&str]) -> Output {
    apiward(home)
        .arg("--workspace")
        .arg(ws)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit 2 with one sentence on stderr containing `needle`.
fn assert_usage_error(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
}

fn hits(server: &TestServer, path: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path_and_query.starts_with(path))
        .count()
}

#[test]
fn history_lists_searches_shows_and_resends() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/echo"), Route::new("/users").status(201)]);
    let empty = run(home.path(), &ws, &["history"]);
    assert!(empty.status.success());
    assert!(stdout(&empty).contains("No requests sent yet"));

    let echo = server.url("/echo");
    let users = server.url("/users");
    for args in [
        vec!["send", echo.as_str(), "X-Trace:abc"],
        vec!["send", "POST", users.as_str(), "name=Ada"],
    ] {
        apiward(home.path())
            .arg("--workspace")
            .arg(&ws)
            .args(&args)
            .assert()
            .success();
    }

    let list = stdout(&run(home.path(), &ws, &["history", "list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    // Newest first, each with its number, method, URL, status and time.
    assert!(lines[0].starts_with("1  "), "{list}");
    for needle in ["POST", &users, "201", " ms", " UTC"] {
        assert!(lines[0].contains(needle), "{needle} in {list}");
    }
    for needle in ["2  ", "GET", &echo, "200"] {
        assert!(lines[1].contains(needle), "{needle} in {list}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&run(home.path(), &ws, &["history", "--json"]).stdout).unwrap();
    assert_eq!(json[0]["index"], 1);
    assert_eq!(json[0]["method"], "POST");
    assert_eq!(json[1]["url"], echo.as_str());

    let found = stdout(&run(home.path(), &ws, &["history", "search", "echo"]));
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(found.starts_with("2  ") && found.contains(&echo), "{found}");
    let found = stdout(&run(home.path(), &ws, &["history", "search", "201"]));
    assert!(
        found.lines().count() == 1 && found.contains("POST"),
        "{found}"
    );
    let none = run(home.path(), &ws, &["history", "search", "no-such-thing"]);
    assert!(none.status.success());
    assert!(stdout(&none).contains("No history entry matches"));

    let shown = stdout(&run(home.path(), &ws, &["history", "show", "2"]));
    for needle in [
        "#2 ",
        &format!("GET {echo}"),
        "status:  200",
        "X-Trace: abc",
    ] {
        assert!(shown.contains(needle), "{needle} in {shown}");
    }

    assert_eq!(hits(&server, "/echo"), 1);
    apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["history", "resend", "2"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("HTTP/1.1 200 OK\n"))
        .stdout(predicate::str::contains("\"x-trace\": \"abc\""));
    assert_eq!(hits(&server, "/echo"), 2, "the server saw the resend");
    let again = &server.requests()[2];
    assert_eq!(again.headers["x-trace"], "abc");
    // The resend is recorded like any send, as the newest entry.
    let list = stdout(&run(home.path(), &ws, &["history"]));
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(list.lines().next().unwrap().contains(&echo), "{list}");

    assert_usage_error(
        &run(home.path(), &ws, &["history", "show", "9"]),
        "no history entry 9",
    );
    assert_usage_error(
        &run(home.path(), &ws, &["history", "resend", "0"]),
        "no history entry 0",
    );
    assert_eq!(server.requests().len(), 3);
}

/// Imports `curl` as the stored request `name`, puts SECRET in the private env `dev` as
/// `token`, and sends the request once with it.
fn save_and_send_with_secret(home: &Path, ws: &Path, name: &str, curl: &str) {
    apiward(home)
        .arg("--workspace")
        .arg(ws)
        .args(["import", "curl", "--save", name])
        .arg(curl)
        .assert()
        .success();
    std::fs::write(
        ws.join("http-client.private.env.json"),
        format!(r#"{{"dev": {{"token": "{SECRET}"}}}}"#),
    )
    .unwrap();
    let sent = run(home, ws, &["send", "--name", name, "--env", "dev"]);
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
}

#[test]
fn export_and_history_never_carry_the_private_secret() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/echo")]);
    let url = server.url("/echo");
    save_and_send_with_secret(
        home.path(),
        &ws,
        "echo",
        &format!("curl -H 'X-Api-Token: {{{{token}}}}' -H 'X-Trace: abc' '{url}?page=2'"),
    );
    assert_eq!(server.requests()[0].headers["x-api-token"], SECRET);

    let curl = run(home.path(), &ws, &["export", "--name", "echo"]);
    assert!(curl.status.success());
    let curl = stdout(&curl);
    for needle in [
        "curl ",
        &format!("'{url}?page=2'"),
        "-H 'X-Api-Token: {{token}}'",
        "-H 'X-Trace: abc'",
    ] {
        assert!(curl.contains(needle), "{needle} in {curl}");
    }
    for (format, start) in [
        ("curl", "curl "),
        ("httpie", "http "),
        ("xh", "xh "),
        ("http", "# @name echo\nGET "),
    ] {
        let out = stdout(&run(
            home.path(),
            &ws,
            &["export", "--name", "echo", "--format", format],
        ));
        assert!(out.starts_with(start), "{format}: {out}");
        assert!(out.contains("{{token}}"), "{format}: {out}");
        assert!(!out.contains(SECRET), "{format} leaks the secret: {out}");
    }

    // A bare {{variable}} is kept in the history, so a resend with the environment works.
    apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["history", "resend", "1", "--env", "dev"])
        .assert()
        .success();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.requests()[1].headers["x-api-token"], SECRET);

    for args in [
        &["history", "list"][..],
        &["history", "--json"],
        &["history", "show", "1"],
        &["history", "show", "1", "--json"],
        &["history", "search", "echo"],
    ] {
        let out = run(home.path(), &ws, args);
        assert!(out.status.success(), "{args:?}");
        assert!(!stdout(&out).contains(SECRET), "{args:?} leaks the secret");
    }
    let mut files = vec![ws.join("history.jsonl"), ws.join(".gitignore")];
    files.extend(
        std::fs::read_dir(ws.join("requests"))
            .unwrap()
            .flatten()
            .map(|e| e.path()),
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(SECRET), "{file:?} leaks the secret");
    }

    assert_usage_error(
        &run(home.path(), &ws, &["export", "--name", "nope"]),
        "no request named \"nope\"",
    );
}

#[test]
fn a_masked_entry_is_not_resent() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/echo")]);
    apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args([
            "send",
            &server.url("/echo"),
            "Authorization:Bearer literal-token",
        ])
        .assert()
        .success();
    let history = std::fs::read_to_string(ws.join("history.jsonl")).unwrap();
    assert!(!history.contains("literal-token"));
    // Resending would put the mask on the wire as the credential.
    assert_usage_error(
        &run(home.path(), &ws, &["history", "resend", "1"]),
        "cannot be resent",
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_bearer_reference_is_kept_and_resent_with_its_environment() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/echo")]);
    let url = server.url("/echo");
    save_and_send_with_secret(
        home.path(),
        &ws,
        "authed",
        &format!("curl -H 'Authorization: Bearer {{{{token}}}}' '{url}'"),
    );
    let history = std::fs::read_to_string(ws.join("history.jsonl")).unwrap();
    assert!(!history.contains(SECRET));
    assert!(history.contains("Bearer {{token}}"), "{history}");
    let again = run(
        home.path(),
        &ws,
        &["history", "resend", "1", "--env", "dev"],
    );
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].headers["authorization"], format!("Bearer {SECRET}"));
}

#[test]
fn a_corrupt_history_is_reported_and_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    let file = ws.join("history.jsonl");
    let damaged = "{\"at\": 1, not json\n";
    std::fs::write(&file, damaged).unwrap();
    for args in [
        &["history"][..],
        &["history", "search", "x"],
        &["history", "show", "1"],
        &["history", "resend", "1"],
    ] {
        assert_usage_error(&run(home.path(), &ws, args), "history.jsonl:1");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), damaged);
}
