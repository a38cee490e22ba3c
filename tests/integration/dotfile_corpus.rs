//! The `.http` corpus (`tests/data/http_files/`): files in the shapes the JetBrains HTTP
//! Client spec and VS Code REST Client's README show. Each parses to the requests its editor
//! sends, survives a save byte for byte, and goes to a real loopback server with no script,
//! handler or reference text on the wire; chained request variables carry a login's token.

use std::path::{Path, PathBuf};

use apiward::http::dotfile::{self, chain};
use apiward::http::{Body, Stored, Workspace, prepare, send};

use crate::cli_basics::apiward;
use crate::harness::server::SeenRequest;
use crate::harness::{Route, TestServer};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/http_files")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        match entry.file_type().unwrap().is_dir() {
            true => copy_dir(&entry.path(), &target),
            false => {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
}

fn http_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "http"))
        .collect();
    files.sort();
    files
}

/// A request as its editor reads it: name, method, URL as written.
type Expected = (&'static str, &'static str, &'static str);

/// Each file's requests.
const EXPECTED: &[(&str, &[Expected])] = &[
    (
        "jetbrains_basics.http",
        &[
            (
                "Plain GET with query parameters on their own lines",
                "GET",
                "{{host}}/echo",
            ),
            ("Create an item", "POST", "{{host}}/echo"),
            ("Delete it", "DELETE", "{{host}}/echo?id=7"),
            (
                "The short form: a bare URL is a GET",
                "GET",
                "{{host}}/echo",
            ),
        ],
    ),
    (
        "jetbrains_body_files.http",
        &[
            ("The body is a file, sent as it is", "POST", "{{host}}/echo"),
            (
                "The body is a file whose variables are filled first",
                "POST",
                "{{host}}/echo",
            ),
            (
                "A multipart upload with a file part",
                "POST",
                "{{host}}/echo",
            ),
        ],
    ),
    (
        "jetbrains_dynamic.http",
        &[(
            "Every dynamic variable JetBrains documents that apiward fills",
            "POST",
            "{{host}}/echo",
        )],
    ),
    (
        "jetbrains_graphql.http",
        &[
            (
                "A GraphQL query with variables, JetBrains style",
                "POST",
                "{{host}}/graphql",
            ),
            ("Without variables", "POST", "{{host}}/graphql"),
        ],
    ),
    (
        "jetbrains_scripts.http",
        &[
            ("Sign the request before it goes", "POST", "{{host}}/echo"),
            ("scripted", "GET", "{{host}}/echo"),
            (
                "A handler right after the headers, and the earlier responses to compare with",
                "GET",
                "{{host}}/echo?second=1",
            ),
            ("A body, then a handler on one line", "PUT", "{{host}}/echo"),
        ],
    ),
    (
        "restclient_chain.http",
        &[
            ("login", "POST", "{{baseUrl}}/login"),
            ("me", "GET", "{{baseUrl}}/echo"),
        ],
    ),
    (
        "restclient_forms.http",
        &[
            ("basic", "GET", "{{host}}/echo"),
            ("form", "POST", "{{host}}/echo"),
            ("basic-colon", "GET", "{{host}}/echo?form=colon"),
        ],
    ),
    (
        "restclient_graphql.http",
        &[("", "POST", "{{host}}/graphql")],
    ),
    (
        "restclient_prompt.http",
        &[("signin", "POST", "{{host}}/echo")],
    ),
    (
        "restclient_relative.http",
        &[("", "GET", "http://{{hostport}}/echo?from=host")],
    ),
    (
        "restclient_variables.http",
        &[(
            "stamped",
            "POST",
            "{{api}}?day={{$datetime 'YYYY-MM-DD' 1 d}}",
        )],
    ),
];

#[test]
fn every_file_parses_to_the_requests_its_editor_sends() {
    let files = http_files();
    assert_eq!(
        files.len(),
        EXPECTED.len(),
        "a corpus file without expectations"
    );
    for (path, (name, expected)) in files.iter().zip(EXPECTED) {
        assert!(path.ends_with(name), "{} is not {name}", path.display());
        let text = std::fs::read_to_string(path).unwrap();
        let file = dotfile::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(&str, &str, &str)> = (file.requests.iter())
            .map(|r| (r.name.as_str(), r.method.as_str(), r.url.as_str()))
            .collect();
        assert_eq!(got, *expected, "{name}");
        // No request keeps a script, handler or reference as its body or a header.
        for req in &file.requests {
            let body = format!("{:?}", req.body);
            for marker in ["{%", "%}", "<>", ">>", "pre.js", "check.js"] {
                assert!(!body.contains(marker), "{name}: {marker} in {body}");
                assert!(
                    req.headers.iter().all(|h| !h.value.contains(marker)),
                    "{name}: {marker} in {:?}",
                    req.headers
                );
            }
        }
    }
    let scripts = std::fs::read_to_string(corpus().join("jetbrains_scripts.http")).unwrap();
    let file = dotfile::parse(&scripts).unwrap();
    let counts: Vec<(usize, usize, usize, usize)> = (file.extras.iter())
        .map(|e| {
            (
                e.pre.len(),
                e.handlers.len(),
                e.outputs.len(),
                e.references.len(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [(1, 1, 0, 0), (2, 1, 1, 0), (0, 1, 0, 2), (0, 1, 0, 0)]
    );
    assert_eq!(file.requests[3].body, Body::Raw("plain body text".into()));
}

#[test]
fn every_file_round_trips_byte_for_byte_through_a_save() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpus(), dir.path());
    let ws = Workspace::open(dir.path());
    let originals: Vec<(PathBuf, String)> = (ws.files().unwrap().into_iter())
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    let all = ws.requests().unwrap();
    assert_eq!(all.len(), 23);
    for stored in &all {
        ws.save_at(stored, &stored.request).unwrap();
    }
    for (path, text) in &originals {
        assert_eq!(
            &std::fs::read_to_string(path).unwrap(),
            text,
            "{}",
            path.display()
        );
        // apiward's own writing of it reads back as the same file.
        let file = dotfile::parse(text).unwrap();
        assert_eq!(
            dotfile::parse(&dotfile::write(&file)).unwrap(),
            file,
            "{}",
            path.display()
        );
    }
    // An edited request is rewritten; every script, handler and reference stays as written.
    for stored in &all {
        let (_, before) = originals.iter().find(|(p, _)| *p == stored.path).unwrap();
        let mut edited = stored.request.clone();
        edited
            .headers
            .push(apiward::http::Row::new("X-Edited", "1"));
        ws.save_at(stored, &edited).unwrap();
        let after = std::fs::read_to_string(&stored.path).unwrap();
        let old = dotfile::parse(before).unwrap();
        let new = dotfile::parse(&after).unwrap();
        assert_eq!(new.requests[stored.index], edited);
        assert_eq!(
            new.extras,
            old.extras,
            "{}:\n{after}",
            stored.path.display()
        );
        for (i, req) in new.requests.iter().enumerate() {
            if i != stored.index {
                assert_eq!(*req, old.requests[i]);
            }
        }
        std::fs::write(&stored.path, before).unwrap();
    }
}

/// A server that echoes `/echo` and `/graphql` and logs `ada` in at `/login`.
fn server() -> TestServer {
    let login = Route::handler("/login", |seen: &SeenRequest| {
        match seen.body == b"name=ada&password=lovelace" {
            true => (
                200,
                br#"{"token": "tok-4242", "user": {"name": "Ada"}}"#.to_vec(),
            ),
            false => (401, b"{}".to_vec()),
        }
    })
    .header("content-type", "application/json")
    .header("location", "/next/42");
    TestServer::http(vec![Route::echo("/echo"), Route::echo("/graphql"), login])
}

fn workspace_for(server: &TestServer) -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpus(), dir.path());
    let env = serde_json::json!({"test": {
        "host": server.url(""),
        "hostport": server.addr.to_string(),
        "item_id": "42",
        "owner": "ada",
    }});
    std::fs::write(dir.path().join("http-client.env.json"), env.to_string()).unwrap();
    let ws = Workspace::open(dir.path());
    (dir, ws)
}

/// Sends `stored` as `apiward send --name` does, chained requests first.
async fn send_stored(ws: &Workspace, stored: &Stored, given: &[(String, String)]) -> Vec<String> {
    let mut notes = Vec::new();
    let cx = chain::Context {
        ws,
        env: Some("test"),
        given,
        history: None,
    };
    let file_vars = chain::resolve(&cx, stored, &mut |n: &str| notes.push(n.to_string()))
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", stored.request.name));
    let mut vars = ws.vars(Some("test"), &file_vars).unwrap();
    for (n, v) in given {
        vars.set(n, v, false);
    }
    let prepared = prepare(&stored.request, &vars, stored.path.parent())
        .unwrap_or_else(|e| panic!("{}: {e}", stored.request.name));
    let response = send(&prepared, None).await.unwrap();
    assert!(
        response.status < 300,
        "{}: {}",
        stored.request.name,
        response.status
    );
    notes
}

fn json(seen: &SeenRequest) -> serde_json::Value {
    serde_json::from_slice(&seen.body)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&seen.body)))
}

#[tokio::test]
async fn sent_to_a_real_server_no_script_reaches_the_wire() {
    let server = server();
    let (_dir, ws) = workspace_for(&server);
    let given = [
        ("username".to_string(), "grace".to_string()),
        ("password".to_string(), "hopper".to_string()),
    ];
    let all = ws.requests().unwrap();
    let mut seen_by: Vec<(String, Vec<SeenRequest>)> = Vec::new();
    for stored in &all {
        let before = server.requests().len();
        send_stored(&ws, stored, &given).await;
        let key = format!(
            "{}#{}",
            stored.path.file_name().unwrap().to_string_lossy(),
            stored.index
        );
        seen_by.push((key, server.requests()[before..].to_vec()));
    }
    let seen = server.requests();
    for request in &seen {
        let head: String = (request.headers.iter())
            .map(|(n, v)| format!("{n}: {v}\n"))
            .collect();
        let text = format!(
            "{} {}\n{head}\n{}",
            request.method,
            request.path_and_query,
            String::from_utf8_lossy(&request.body)
        );
        for marker in [
            "{%",
            "%}",
            "client.",
            "request.variables",
            "<>",
            ">>",
            "./scripts",
            "check.js",
            "responses/",
            "@prompt",
            "<@",
        ] {
            assert!(
                !text.contains(marker),
                "{marker:?} reached the wire:\n{text}"
            );
        }
        // Every variable was filled, but for the one in a body file sent as it is.
        assert!(
            !text.contains("{{") || text.contains("{{not_filled}}"),
            "an unfilled variable:\n{text}"
        );
    }
    let one = |key: &str| -> SeenRequest {
        let (_, got) = seen_by.iter().find(|(k, _)| k == key).unwrap();
        assert_eq!(got.len(), 1, "{key}: {got:?}");
        got[0].clone()
    };

    let r = one("jetbrains_basics.http#0");
    assert_eq!(r.path_and_query, "/echo?page=2&size=50");
    let r = one("jetbrains_basics.http#1");
    assert_eq!(
        r.body,
        b"{\n  \"name\": \"widget\",\n  \"tags\": [\"a\", \"b\"]\n}"
    );
    assert_eq!(r.headers["x-trace-id"], "corpus-1");

    let r = one("jetbrains_scripts.http#0");
    assert_eq!(r.body, br#"{"action": "sign"}"#);
    let r = one("jetbrains_scripts.http#2");
    assert_eq!((r.body.len(), r.headers["x-mark"].as_str()), (0, "handled"));
    assert_eq!(one("jetbrains_scripts.http#3").body, b"plain body text");

    let body = json(&one("jetbrains_dynamic.http#0"));
    assert_eq!(body["id"].as_str().unwrap().len(), 36);
    assert!(body["at"].as_u64().unwrap() > 1_700_000_000);
    assert!(body["iso"].as_str().unwrap().ends_with('Z'));
    assert!(body["n"].as_u64().unwrap() < 1000);
    assert!((10..20).contains(&body["between"].as_u64().unwrap()));

    let body = json(&one("jetbrains_graphql.http#0"));
    assert!(
        body["query"]
            .as_str()
            .unwrap()
            .starts_with("query Item($id: ID!) {")
    );
    assert_eq!(body["variables"], serde_json::json!({"id": "42"}));
    let body = json(&one("jetbrains_graphql.http#1"));
    assert_eq!(
        body,
        serde_json::json!({"query": "{ items { name } }", "variables": {}})
    );
    let r = one("restclient_graphql.http#0");
    assert!(!r.headers.contains_key("x-request-type"));
    assert_eq!(
        json(&r)["variables"],
        serde_json::json!({"name": "apiward", "owner": "ada"})
    );

    let user = std::fs::read(corpus().join("bodies/user.json")).unwrap();
    assert_eq!(one("jetbrains_body_files.http#0").body, user);
    let filled = format!("{{\"user\": \"42\", \"host\": \"{}\"}}\n", server.url(""));
    assert_eq!(
        String::from_utf8(one("jetbrains_body_files.http#1").body).unwrap(),
        filled
    );
    let upload = String::from_utf8(one("jetbrains_body_files.http#2").body).unwrap();
    assert!(
        upload.contains("Quarterly report") && upload.contains(r#""id": 1"#),
        "{upload}"
    );

    let r = one("restclient_variables.http#0");
    assert!(
        r.path_and_query.starts_with("/echo?day=20"),
        "{}",
        r.path_and_query
    );
    assert!(r.headers["date"].ends_with(" GMT"));
    let body = json(&r);
    assert_eq!(body["key"], "corpus-dotenv-key");
    assert_eq!(body["modified_by"], std::env::var("PATH").unwrap());
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));
    let count: u32 = body["review_count"].as_str().unwrap().parse().unwrap();
    assert!((5..200).contains(&count));

    let r = one("restclient_prompt.http#0");
    assert_eq!(
        json(&r),
        serde_json::json!({"username": "grace", "password": "hopper"})
    );
    let r = one("restclient_forms.http#0");
    assert_eq!(r.headers["authorization"], "Basic dXNlcjpwYXNzd2Q=");
    let r = one("restclient_forms.http#2");
    assert_eq!(r.headers["authorization"], "Basic dXNlcjpwYXNzd2Q=");
    assert_eq!(
        one("restclient_forms.http#1").body,
        b"name=foo&password=bar"
    );
}

#[tokio::test]
async fn a_login_s_token_chains_into_the_next_request() {
    let server = server();
    let (_dir, ws) = workspace_for(&server);
    let me = ws.request("me").unwrap();
    let notes = send_stored(&ws, &me, &[]).await;
    assert_eq!(
        notes,
        ["sending \"login\" first: {{login.response.body.$.token}} needs its response"]
    );
    let seen = server.requests();
    let paths: Vec<&str> = seen.iter().map(|r| r.path_and_query.as_str()).collect();
    assert_eq!(paths, ["/login", "/echo"]);
    assert_eq!(seen[0].body, b"name=ada&password=lovelace");
    let h = &seen[1].headers;
    assert_eq!(h["authorization"], "Bearer tok-4242");
    assert_eq!(h["x-next"], "/next/42");
    assert_eq!(h["x-user"], "Ada");
    // Without the chain, the reference says which request must go first.
    let vars = ws.vars(Some("test"), &me.file_vars).unwrap();
    let err = prepare(&me.request, &vars, None).unwrap_err().to_string();
    assert!(err.contains("\"login\""), "{err}");
}

#[tokio::test]
async fn a_chain_that_cannot_be_satisfied_says_why() {
    let server = server();
    let (dir, ws) = workspace_for(&server);
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "loop.http",
        "# @name a\nGET {{host}}/echo?{{b.response.body.x}}\n\n###\n# @name b\nGET {{host}}/echo?{{a.response.body.x}}\n",
    );
    write(
        "missing.http",
        "# @name lone\nGET {{host}}/echo?{{nobody.response.body.x}}\n",
    );
    write(
        "nopath.http",
        "# @name first\nGET {{host}}/echo\n\n###\n# @name second\nGET {{host}}/echo?{{first.response.body.$.nothing}}\n",
    );
    let cx = chain::Context {
        ws: &ws,
        env: Some("test"),
        given: &[],
        history: None,
    };
    for (name, expected) in [
        ("a", "a → b → a"),
        ("lone", "names the request \"nobody\""),
        ("second", "nothing at $.nothing"),
    ] {
        let stored = ws.request(name).unwrap();
        let err = chain::resolve(&cx, &stored, &mut |_: &str| {})
            .await
            .unwrap_err();
        assert!(err.to_string().contains(expected), "{name}: {err}");
    }
    // Only `first` was sent: a cycle or a missing request sends nothing.
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn from_the_command_line() {
    let server = server();
    let (dir, _ws) = workspace_for(&server);
    // A broken file beside the corpus hides none of its requests.
    std::fs::write(
        dir.path().join("broken.http"),
        "GET {{host}}/echo\nnot a header\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let ws = dir.path().to_str().unwrap();
    apiward(home.path())
        .args([
            "--workspace",
            ws,
            "send",
            "--name",
            "scripted",
            "--env",
            "test",
        ])
        .assert()
        .success();
    apiward(home.path())
        .args([
            "--workspace",
            ws,
            "send",
            "--name",
            "stamped",
            "--env",
            "test",
        ])
        .assert()
        .success();
    // A pre-request script in the file no longer stops an export; none is in its output.
    let out = apiward(home.path())
        .args(["--workspace", ws, "export", "--name", "scripted"])
        .assert()
        .success();
    let curl = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        curl.starts_with("curl ") && curl.contains("/echo"),
        "{curl}"
    );
    assert!(!curl.contains("{%") && !curl.contains("pre.js"), "{curl}");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!((seen[0].method.as_str(), seen[0].body.len()), ("GET", 0));
    assert_eq!(json(&seen[1])["key"], "corpus-dotenv-key");
    // A prompt variable with no value is refused by name, and nothing is sent.
    let out = apiward(home.path())
        .args([
            "--workspace",
            ws,
            "send",
            "--name",
            "signin",
            "--env",
            "test",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("{{username}}") && stderr.contains("--var username="),
        "{stderr}"
    );
    // The broken file is named with its line when asked for what is not elsewhere.
    let out = apiward(home.path())
        .args([
            "--workspace",
            ws,
            "send",
            "--name",
            "nothing-here",
            "--env",
            "test",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("broken.http:2"), "{stderr}");
    assert_eq!(server.requests().len(), 2);
}

/// The requests of the corpus that httpyac, a command-line runner of both editors' files,
/// reads as the editors do, by file and position. Left out, each for a reason: multipart (each
/// tool writes its own boundary), random and time values, JetBrains' `GRAPHQL` method and
/// REST Client's `$.` request variables (httpyac reads neither).
const HTTPYAC_SAME: &[(&str, &[usize])] = &[
    ("jetbrains_basics.http", &[0, 1, 2, 3]),
    ("jetbrains_body_files.http", &[0, 1]),
    ("jetbrains_scripts.http", &[0, 1, 2, 3]),
    ("restclient_forms.http", &[0, 1, 2]),
    ("restclient_graphql.http", &[0]),
    ("restclient_prompt.http", &[0]),
    ("restclient_relative.http", &[0]),
];

/// What two senders must agree on: method, path, the headers the file sets, body bytes.
fn wire(seen: &SeenRequest) -> (String, String, Vec<(String, String)>, Vec<u8>) {
    // The senders' own defaults, and what the transport adds. REST Client's parser drops
    // X-Request-Type (httpRequestParser.ts); httpyac sends it on.
    let own = [
        "user-agent",
        "accept-encoding",
        "host",
        "connection",
        "content-length",
        "x-request-type",
    ];
    let mut headers: Vec<(String, String)> = (seen.headers.iter())
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .filter(|(n, v)| !(own.contains(&n.as_str()) || n == "accept" && v == "*/*"))
        .collect();
    headers.sort();
    let path = seen.path_and_query.clone();
    (seen.method.clone(), path, headers, seen.body.clone())
}

#[tokio::test]
async fn httpyac_sends_what_apiward_sends() {
    let Ok(out) = std::process::Command::new("httpyac")
        .arg("--version")
        .output()
    else {
        eprintln!("skipped: httpyac is not installed (npm install -g httpyac)");
        return;
    };
    assert!(out.status.success(), "httpyac --version failed");
    let server = server();
    let (dir, ws) = workspace_for(&server);
    let given = [
        ("username".to_string(), "grace".to_string()),
        ("password".to_string(), "hopper".to_string()),
    ];
    let mut compared = 0;
    for (name, same) in HTTPYAC_SAME {
        let before = server.requests().len();
        // The server runs on a thread of its own, so waiting here blocks nothing it needs.
        let status = std::process::Command::new("httpyac")
            .args(["send", name, "--all", "--env", "test", "-o", "none"])
            .args(["--var", "username=grace", "--var", "password=hopper"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "httpyac {name}: {status:?}");
        let theirs = server.requests()[before..].to_vec();
        let stored: Vec<Stored> = (ws.requests().unwrap().into_iter())
            .filter(|s| s.path.ends_with(name))
            .collect();
        assert_eq!(
            theirs.len(),
            stored.len(),
            "{name}: httpyac sent {theirs:?}"
        );
        for &i in *same {
            let before = server.requests().len();
            send_stored(&ws, &stored[i], &given).await;
            let ours = &server.requests()[before];
            assert_eq!(wire(ours), wire(&theirs[i]), "{name} #{i}");
            compared += 1;
        }
    }
    assert_eq!(compared, 16);
}
