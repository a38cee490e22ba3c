//! `apiward import insomnia` end to end: the fixture export is imported with its Local
//! environment pointed at a loopback echo server, every request is sent from the workspace,
//! and the server sees what Insomnia would send (written out here by hand: no Insomnia runner
//! is installable from a registry without its desktop app). Its secrets stay in the private
//! env file.

use std::collections::BTreeMap;

use crate::cli_basics::{apiward, assert_ok};
use crate::harness::{Route, TestServer};
use crate::import_postman::{data, normalise, walk};

#[test]
fn an_insomnia_export_sends_what_it_says() {
    let server = TestServer::http(vec![Route::echo("/")]);
    let home = tempfile::tempdir().unwrap();
    let base = server.url("").trim_end_matches('/').to_string();
    let text = std::fs::read_to_string(data("insomnia/notes.insomnia.json")).unwrap();
    let export = home.path().join("notes.json");
    std::fs::write(&export, text.replace("http://127.0.0.1:{PORT}", &base)).unwrap();
    let ws = home.path().join("ws");
    let out = apiward(home.path())
        .arg("--workspace")
        .arg(&ws)
        .args(["import", "insomnia"])
        .arg(&export)
        .output()
        .unwrap();
    assert_ok(&out);
    for name in [
        "list-notes",
        "create-note",
        "admin-tools.export-all",
        "health",
    ] {
        let out = apiward(home.path())
            .arg("--workspace")
            .arg(&ws)
            .args(["send", "--name", name, "--env", "Local"])
            .output()
            .unwrap();
        assert_ok(&out);
    }
    let own = ["user-agent", "accept-encoding", "host", "content-length"];
    let seen: Vec<_> = server
        .requests()
        .iter()
        .map(|s| normalise(s, &own))
        .collect();
    let headers = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    let find = |path: &str| {
        seen.iter()
            .find(|s| s.path == path)
            .unwrap_or_else(|| panic!("nothing sent to {path}: {seen:#?}"))
    };
    let list = find("/api/notes?tag=work&limit=50");
    assert_eq!(list.headers, headers(&[("accept", "application/json")]));
    let create = seen
        .iter()
        .find(|s| s.method == "POST" && s.path == "/api/notes")
        .unwrap();
    assert_eq!(
        create.headers,
        headers(&[
            ("accept", "*/*"),
            ("authorization", "Bearer ins_tok_c0ffee1234abcd"),
            ("content-type", "application/json")
        ])
    );
    assert_eq!(
        create.body,
        b"{\n\t\"title\": \"Groceries\",\n\t\"pinned\": false\n}"
    );
    let export_all = find("/api/admin/export");
    assert_eq!(
        export_all.body,
        b"format=csv&admin_password=local-Admin-pw9"
    );
    assert_eq!(export_all.headers["x-admin-key"], "ak_local_5566778899");
    let health = find("/health");
    assert_eq!(
        health.headers["authorization"],
        "Basic bW9uaXRvcjptMG4xdG9yLXBhc3M="
    );

    let private = ws.join("http-client.private.env.json");
    for file in walk(&ws) {
        if file == private {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        for secret in [
            "ins_tok_c0ffee1234abcd",
            "m0n1tor-pass",
            "ak_local_5566778899",
            "local-Admin-pw9",
        ] {
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
    }
}
