//! The trust guarantees end to end: credentials that do not follow a redirect off their
//! origin, secrets that never reach the disk in plain text, and keyring writers that take
//! turns instead of losing a key.

use std::path::Path;

use apiward::http::{self, Request, Vars};

use crate::cli_basics::{apiward, apiward_process, assert_ok};
use crate::harness::{Route, TestCa, TestServer};

/// The four kinds of credential a redirect must not carry to another origin.
const CREDENTIALS: [(&str, &str); 4] = [
    ("Authorization", "Bearer tok-1"),
    ("Cookie", "sid=cookie-1"),
    ("X-Api-Key", "key-1"),
    ("X-Session-Token", "custom-1"),
];

async fn send_following(url: &str, ca: Option<&Path>) -> serde_json::Value {
    let mut req = Request::new("GET", url);
    for (name, value) in CREDENTIALS {
        req = req.header(name, value);
    }
    req = req.header("X-Trace", "kept");
    req.options.follow_redirects = true;
    req.options.ca_file = ca.map(Path::to_path_buf);
    let prepared = http::prepare(&req, &Vars::new(), None).unwrap();
    let resp = http::send(&prepared, None).await.unwrap();
    assert_eq!(resp.status, 200, "the chain ends at the echo");
    serde_json::from_slice(&resp.body).unwrap()
}

#[tokio::test]
async fn credentials_stay_with_their_origin_across_redirects() {
    let other = TestServer::http(vec![Route::echo("/echo")]);
    let origin = TestServer::http(vec![
        Route::new("/same").status(302).header("location", "/echo"),
        Route::new("/away")
            .status(307)
            .header("location", &other.url("/echo")),
        Route::echo("/echo"),
    ]);

    let same = send_following(&origin.url("/same"), None).await;
    for (name, value) in CREDENTIALS {
        assert_eq!(
            same["headers"][name.to_ascii_lowercase()],
            value,
            "{name} kept within the origin"
        );
    }

    let away = send_following(&origin.url("/away"), None).await;
    for (name, _) in CREDENTIALS {
        assert!(
            away["headers"].get(name.to_ascii_lowercase()).is_none(),
            "{name} followed the redirect to another port: {away}"
        );
    }
    assert_eq!(away["headers"]["x-trace"], "kept");

    // https to http on the same host name is another origin too: a downgrade.
    let ca = TestCa::new("apiward trust test CA");
    let cert = ca.issue(&["localhost"]);
    let secure = TestServer::https(
        vec![
            Route::new("/down")
                .status(302)
                .header("location", &other.localhost_url("/echo")),
        ],
        &cert,
    );
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.cert_pem()).unwrap();
    let down = send_following(&secure.localhost_url("/down"), Some(&ca_file)).await;
    for (name, _) in CREDENTIALS {
        assert!(
            down["headers"].get(name.to_ascii_lowercase()).is_none(),
            "{name} followed https to http: {down}"
        );
    }
}

/// Every file below `dir`, with its contents.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

#[test]
fn passwords_in_bodies_never_reach_the_disk() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/login")]);
    let url = server.url("/login");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz";
    let bearer = format!("Authorization:Bearer {jwt}");
    let runs: [Vec<&str>; 4] = [
        // HTTPie items: a JSON body.
        vec![
            "send",
            "POST",
            &url,
            "username=alice",
            "password=json-pass-1",
        ],
        // A raw form body.
        vec![
            "send",
            &url,
            "-d",
            "user=alice&password=form-pass-2&client_secret=form-secret-3",
        ],
        // Basic auth and a bearer token.
        vec!["send", &url, "-u", "alice:basic-pass-4"],
        vec!["send", &url, &bearer],
    ];
    for args in &runs {
        apiward(home.path())
            .arg("--workspace")
            .arg(&ws)
            .args(args)
            .assert()
            .success();
    }
    let history = ws.join("history.jsonl");
    let text = std::fs::read_to_string(&history).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("alice"), "the rest is kept: {text}");
    for (path, bytes) in files(home.path()) {
        let content = String::from_utf8_lossy(&bytes);
        for secret in [
            "json-pass-1",
            "form-pass-2",
            "form-secret-3",
            "basic-pass-4",
            "YWxpY2U6YmFzaWMtcGFzcy00",
            jwt,
        ] {
            assert!(
                !content.contains(secret),
                "{secret} is in {}",
                path.display()
            );
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "history.jsonl is private");
    }
    // A masked entry is refused by resend with a sentence, never sent with the mask.
    let out = apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["history", "resend", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("masked"));
}

#[test]
fn two_concurrent_keys_gen_lose_no_key() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let run = |args: &[&str]| {
        apiward(home.path())
            .env("APIWARD_PASSPHRASE", "trust-test-pass")
            .arg("--workspace")
            .arg(&ws)
            .args(args)
            .output()
            .unwrap()
    };
    assert!(run(&["keys", "init"]).status.success());
    let rounds = 20;
    let keygen = || {
        apiward_process(home.path())
            .env("APIWARD_PASSPHRASE", "trust-test-pass")
            .arg("--workspace")
            .arg(&ws)
            .args(["keys", "gen", "--alg", "ES256"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for _ in 0..rounds {
        let (a, b) = (keygen(), keygen());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert_ok(&out);
        }
    }
    let list = run(&["keys", "list", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(json["keys"].as_array().unwrap().len(), 2 * rounds);
    let temps: Vec<_> = std::fs::read_dir(&ws)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

#[test]
fn import_curl_save_keeps_credentials_in_the_private_env() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let server = TestServer::http(vec![Route::echo("/me")]);
    let command = format!(
        "curl -H 'Authorization: Bearer tok-imported-1' -H 'X-Api-Key: key-imported-2' \
         '{}?access_token=query-imported-3&page=2'",
        server.url("/me")
    );
    let out = apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "curl", &command, "--save", "me"])
        .output()
        .unwrap();
    assert_ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("moved the Authorization header into http-client.private.env.json"),
        "{said}"
    );
    let secrets = ["tok-imported-1", "key-imported-2", "query-imported-3"];
    let private = ws.join("http-client.private.env.json");
    let env = std::fs::read_to_string(&private).unwrap();
    for (path, bytes) in files(&ws) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in secrets {
            assert_eq!(
                text.contains(secret),
                path == private,
                "{secret} in {}",
                path.display()
            );
        }
    }
    assert!(env.contains("me_authorization"), "{env}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The saved request still sends the real values, without naming an environment.
    let out = apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["send", "--name", "me"])
        .output()
        .unwrap();
    assert_ok(&out);
    let seen = &server.requests()[0];
    assert_eq!(
        seen.path_and_query,
        "/me?access_token=query-imported-3&page=2"
    );
    assert_eq!(seen.headers["authorization"], "Bearer tok-imported-1");
    assert_eq!(seen.headers["x-api-key"], "key-imported-2");
}
