//! `apiward authz --tag NAME` and `--list` over the sample workspace a lab writes, against a
//! lab running in process: a tag picks exactly its requests, the matrix over the hardened tag
//! flags nothing and over the bola tag flags the BOLA route, and an unknown tag is one
//! sentence and exit 2.

use serde_json::Value;

use crate::lab_support::{TestLab, apiward, json_run};
use apiward::learn::sample;

fn sample_of(lab: &TestLab) -> std::path::PathBuf {
    let dir = lab.dir.path().join("sample");
    sample::prepare(&dir, &lab.handle.urls).unwrap();
    let admin = sample::admin_session(&lab.handle.state);
    sample::prepare_authz(&dir, &lab.handle.urls, admin.as_deref()).unwrap();
    dir
}

fn names(rows: &Value, key: &str) -> Vec<String> {
    let names = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[key].as_str().unwrap().to_string());
    names.collect()
}

#[test]
fn a_tag_picks_its_requests_for_the_list_and_the_matrix() {
    let lab = TestLab::start();
    let ws = sample_of(&lab);
    let run = |args: &[&str]| {
        let mut cmd = apiward();
        json_run(cmd.arg("authz").arg("--workspace").arg(&ws).args(args))
    };

    let (code, listed) = run(&["--list", "--tag", "hardened", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(
        names(&listed, "name"),
        ["me-hardened", "user-1-hardened", "admin-export-hardened"]
    );
    assert!(
        listed[1]["tags"]
            .as_array()
            .unwrap()
            .contains(&"bola".into())
    );
    // With nothing chosen, --list lists every request, the untagged ones too.
    let (_, all) = run(&["--list", "--json"]);
    assert!(names(&all, "name").contains(&"login".to_string()), "{all}");

    let (code, matrix) = run(&["--tag", "hardened", "--json"]);
    assert_eq!(code, 0, "{matrix}");
    assert_eq!(
        names(&matrix["rows"], "name"),
        ["me-hardened", "user-1-hardened", "admin-export-hardened"]
    );
    assert_eq!(matrix["findings"], Value::Array(vec![]), "{matrix}");

    let (_, matrix) = run(&["--tag", "bola", "--json"]);
    assert_eq!(
        names(&matrix["rows"], "name"),
        ["user-1", "user-1-hardened"]
    );
    let ids: Vec<&str> = (matrix["findings"].as_array().unwrap().iter())
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["authz-bola"], "{matrix}");
}

#[test]
fn an_unknown_tag_is_one_sentence_and_exit_2() {
    let lab = TestLab::start();
    let ws = sample_of(&lab);
    let out = apiward()
        .arg("authz")
        .arg("--workspace")
        .arg(&ws)
        .args(["--tag", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "apiward: no request is tagged \"nope\" (tags: bfla, bola, hardened)"
    );
    assert!(out.stdout.is_empty());
}
