//! `apiward import postman` against Postman's own runner: newman (npm, pinned in
//! `tests/newman/`) runs `tests/data/postman/shop.postman_collection.json` with its
//! environment against a loopback echo server, apiward imports the same files and sends every
//! request from the workspace to the same server, and the two must agree on method, path and
//! query, headers and body. Left out of the comparison: the headers each client adds of its
//! own accord (User-Agent, Postman-Token, Host, Accept-Encoding, Connection, Content-Length,
//! Cache-Control) and the multipart boundary, which is random.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cli_basics::{apiward, assert_ok};
use crate::harness::server::SeenRequest;
use crate::harness::{Route, TestServer};

/// Headers a client adds by itself.
const OWN_HEADERS: &[&str] = &[
    "user-agent",
    "postman-token",
    "host",
    "accept-encoding",
    "connection",
    "content-length",
    "cache-control",
];

/// What two requests must agree on.
#[derive(Debug, PartialEq)]
pub(crate) struct Seen {
    pub method: String,
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

/// `seen` without the headers named in `own`, the multipart boundary named `BOUNDARY`.
pub(crate) fn normalise(seen: &SeenRequest, own: &[&str]) -> Seen {
    let mut headers: BTreeMap<String, String> = seen
        .headers
        .iter()
        .filter(|(n, _)| !own.contains(&n.as_str()))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let mut body = seen.body.clone();
    if let Some(ct) = headers.get_mut("content-type")
        && let Some((_, boundary)) = ct.clone().split_once("boundary=")
    {
        *ct = ct.replace(boundary, "BOUNDARY");
        body = String::from_utf8_lossy(&body)
            .replace(boundary, "BOUNDARY")
            .into_bytes();
    }
    Seen {
        method: seen.method.clone(),
        path: seen.path_and_query.clone(),
        headers,
        body,
    }
}

pub(crate) fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

fn newman() -> Result<PathBuf, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/newman/node_modules/newman/bin/newman.js");
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    if !script.exists() {
        return Err("newman is not installed (npm ci --prefix tests/newman)".into());
    }
    Ok(script)
}

/// The fixture environment pointed at `base`, written into `dir`.
fn local_env(dir: &Path, base: &str) -> PathBuf {
    let text = std::fs::read_to_string(data("postman/local.postman_environment.json")).unwrap();
    let path = dir.join("local.postman_environment.json");
    std::fs::write(
        &path,
        text.replace("http://127.0.0.1:{PORT}", base.trim_end_matches('/')),
    )
    .unwrap();
    path
}

/// Imports the shop collection with `env` into `ws`.
fn import_shop(home: &Path, ws: &Path, env: &Path) {
    let out = apiward(home)
        .arg("--workspace")
        .arg(ws)
        .args(["import", "postman"])
        .arg(data("postman/shop.postman_collection.json"))
        .arg("--env")
        .arg(env)
        .output()
        .unwrap();
    assert_ok(&out);
}

/// The names of every request in the workspace.
fn names(ws: &Path) -> Vec<String> {
    apiward::http::Workspace::open(ws)
        .requests()
        .unwrap()
        .into_iter()
        .map(|s| s.request.name)
        .collect()
}

fn key(s: &Seen) -> String {
    let path = s.path.split('?').next().unwrap_or("");
    format!("{} {path}", s.method)
}

#[test]
fn imported_collection_sends_what_newman_sends() {
    let newman = match newman() {
        Ok(path) => path,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let env = local_env(home.path(), &server.url(""));
    let ran = Command::new("node")
        .arg(&newman)
        .arg("run")
        .arg(data("postman/shop.postman_collection.json"))
        .arg("-e")
        .arg(&env)
        .arg("--working-dir")
        .arg(data("postman"))
        .args(["--silent", "--suppress-exit-code"])
        .output()
        .unwrap();
    assert!(
        ran.status.success(),
        "newman failed: {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let by_newman: Vec<Seen> = server
        .requests()
        .iter()
        .map(|s| normalise(s, OWN_HEADERS))
        .collect();
    assert_eq!(by_newman.len(), 14, "newman sent {by_newman:#?}");

    let ws = home.path().join("ws");
    import_shop(home.path(), &ws, &env);
    let names = names(&ws);
    assert_eq!(names.len(), 14, "{names:?}");
    for name in &names {
        let out = apiward(home.path())
            .arg("--workspace")
            .arg(&ws)
            .args(["send", "--name", name, "--env", "Local"])
            .output()
            .unwrap();
        assert_ok(&out);
    }
    let by_apiward: Vec<Seen> = server.requests()[by_newman.len()..]
        .iter()
        .map(|s| normalise(s, OWN_HEADERS))
        .collect();
    let mut differ = Vec::new();
    for n in &by_newman {
        match by_apiward.iter().find(|a| key(a) == key(n)) {
            Some(a) if a == n => {}
            Some(a) => differ.push(format!("newman:  {n:?}\n  apiward: {a:?}")),
            None => differ.push(format!("apiward never sent {}", key(n))),
        }
    }
    println!(
        "newman oracle: {} of {} requests the same",
        by_newman.len() - differ.len(),
        by_newman.len()
    );
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn secrets_of_the_collection_and_environment_stay_in_the_private_file() {
    let home = tempfile::tempdir().unwrap();
    let env = local_env(home.path(), "http://127.0.0.1:9");
    let ws = home.path().join("ws");
    import_shop(home.path(), &ws, &env);
    let private = ws.join("http-client.private.env.json");
    let secrets = [
        "tok_live_9f8e7d6c5b4a39281706",
        "adm_51c0ffee7e57a11",
        "s3cure-Admin-pass!",
        "sk_search_0a1b2c3d4e5f",
        "oat_2b9d1e7f4c3a",
        "correct-horse-battery",
    ];
    let kept = std::fs::read_to_string(&private).unwrap();
    for secret in secrets {
        assert!(
            kept.contains(secret),
            "{secret} is not in the private env file"
        );
    }
    for file in walk(&ws) {
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
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&private).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Scripts are comments, the environment is one, and a second import changes nothing.
    let users = std::fs::read_to_string(ws.join("requests/users.http")).unwrap();
    assert!(
        users.contains("//   pm.test(\"status is 200\", function () {"),
        "{users}"
    );
    let public = std::fs::read_to_string(ws.join("http-client.env.json")).unwrap();
    assert!(public.contains("\"Local\"") && public.contains("\"apiVersion\": \"v2\""));
    let again = apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "postman"])
        .arg(data("postman/shop.postman_collection.json"))
        .arg("--env")
        .arg(&env)
        .output()
        .unwrap();
    assert_ok(&again);
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(
        said.contains("unchanged: 14") && !said.contains("added"),
        "{said}"
    );
}

/// Every file under `dir`.
pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_v2_0_collection_previews_with_its_auth_and_what_was_left_out() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let out = apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "postman", "--dry-run"])
        .arg(data("postman/petstore.v2.0.postman_collection.json"))
        .output()
        .unwrap();
    assert_ok(&out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("==> requests/pets.http (3 requests)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("# @auth digest keeper '{{keeperPassword}}'"),
        "{stdout}"
    );
    assert!(stdout.contains("X-Client: postman-2.0"), "{stdout}");
    assert!(
        stdout.contains("GET {{host}}/pets/7?fields=name,tag"),
        "{stdout}"
    );
    assert!(
        stderr.contains("hawk auth is not something apiward sends"),
        "{stderr}"
    );
    assert!(stderr.contains("Digest auth"), "{stderr}");
    assert!(!ws.exists(), "--dry-run wrote the workspace");
}

#[test]
fn bad_input_exits_2_with_one_sentence() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path();
    let cases = [
        ("not-json.json", "{ this is not json", "is not JSON"),
        (
            "v1.json",
            r#"{"id": "x", "name": "Old", "order": [], "requests": []}"#,
            "Collection v1",
        ),
        (
            "v3.json",
            r#"{"info": {"name": "x", "schema": "https://schema.getpostman.com/json/collection/v3.0.0/collection.json"}, "item": []}"#,
            "reads Postman Collection v2.0 and v2.1",
        ),
        (
            "env.json",
            r#"{"name": "e", "values": [], "_postman_variable_scope": "environment"}"#,
            "pass it with --env",
        ),
    ];
    for (file, text, says) in cases {
        std::fs::write(dir.join(file), text).unwrap();
        let out = apiward(dir)
            .arg("--workspace")
            .arg(dir.join("ws"))
            .args(["import", "postman"])
            .arg(dir.join(file))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(says), "{file}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
    let out = apiward(dir)
        .args(["import", "postman"])
        .arg(data("postman/shop.postman_collection.json"))
        .arg("--env")
        .arg(dir.join("v1.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Postman environment"));
}
