//! `apiward learn` against a real lab: checks turn from "not yet" to done after the exploit
//! (recorded by the lab) or after the learner's own apiward run reports the finding.

use predicates::prelude::*;

use crate::lab_support::{TestLab, apiward};

/// `apiward learn ARGS` with the test's workspace and the lab's folder.
fn learn(lab: &TestLab, ws: &std::path::Path, args: &[&str]) -> assert_cmd::assert::Assert {
    apiward()
        .arg("learn")
        .args(args)
        .arg("--workspace")
        .arg(ws)
        .arg("--lab-dir")
        .arg(lab.dir.path())
        .assert()
}

#[test]
fn a_lesson_check_turns_done_after_its_exploit() {
    let lab = TestLab::start();
    let ws = tempfile::tempdir().unwrap();
    learn(&lab, ws.path(), &["check", "jwt-none"])
        .code(1)
        .stdout(predicate::str::contains("not yet"));

    // The exploit, with apiward's own probe: an alg-none variant gets accepted.
    let token = lab.jwt_token("", "none");
    apiward()
        .args([
            "jwt",
            "probe",
            "--url",
            &lab.http("/jwt/none/me"),
            "--token",
            &token,
        ])
        .assert()
        .code(predicate::in_iter([0, 1]));
    assert!(lab.has("jwt-none-accepted"));

    learn(&lab, ws.path(), &["check", "jwt-none"])
        .success()
        .stdout(predicate::str::contains("done"));
    let list = learn(&lab, ws.path(), &["list"]).success();
    let text = String::from_utf8_lossy(&list.get_output().stdout).to_string();
    let line = text
        .lines()
        .find(|l| l.contains("JWT: alg none accepted"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains('✓'), "{line}");
    // Progress is in the workspace, so it survives the lab's record being reset.
    std::fs::remove_file(lab.dir.path().join("progress.json")).unwrap();
    learn(&lab, ws.path(), &["check", "jwt-none"]).success();
    assert!(ws.path().join("learn.json").exists());
}

#[test]
fn an_audit_of_the_lab_completes_the_lesson_its_finding_belongs_to() {
    let lab = TestLab::start();
    let ws = tempfile::tempdir().unwrap();
    learn(&lab, ws.path(), &["check", "keep-up-to-date"]).code(1);
    apiward()
        .args(["audit", &lab.http("/api/status"), "--json", "--workspace"])
        .arg(ws.path())
        .assert()
        .code(predicate::in_iter([0, 1]));
    learn(&lab, ws.path(), &["check", "keep-up-to-date"])
        .success()
        .stdout(predicate::str::contains("info-leak-header"));
}

#[test]
fn an_audit_of_another_server_notes_nothing() {
    let server = crate::harness::server::TestServer::http(vec![]);
    let ws = tempfile::tempdir().unwrap();
    apiward()
        .args(["audit", &server.url("/"), "--json", "--workspace"])
        .arg(ws.path())
        .assert()
        .code(predicate::in_iter([0, 1]));
    assert!(!ws.path().join("learn.json").exists());
}

#[test]
fn show_fills_in_the_lab_address_and_hints_unlock_one_at_a_time() {
    let lab = TestLab::start();
    let ws = tempfile::tempdir().unwrap();
    let show = learn(&lab, ws.path(), &["show", "1"]).success();
    let text = String::from_utf8_lossy(&show.get_output().stdout).to_string();
    assert!(text.contains(&lab.http("/login")), "{text}");
    assert!(text.contains("API8:2023"), "{text}");
    assert!(!text.contains("Hint 1:"), "{text}");
    learn(&lab, ws.path(), &["hint", "1"])
        .success()
        .stdout(predicate::str::contains("Hint 1/"));
    let show = learn(&lab, ws.path(), &["show", "1"]).success();
    let text = String::from_utf8_lossy(&show.get_output().stdout).to_string();
    assert!(
        text.contains("Hint 1:") && !text.contains("Hint 2:"),
        "{text}"
    );
}

#[test]
fn an_unknown_lesson_is_bad_input() {
    let lab = TestLab::start();
    let ws = tempfile::tempdir().unwrap();
    learn(&lab, ws.path(), &["check", "99"])
        .code(2)
        .stderr(predicate::str::contains("no lesson 99"));
}

#[test]
fn a_corrupt_progress_file_is_reported_and_kept() {
    let lab = TestLab::start();
    let ws = tempfile::tempdir().unwrap();
    let file = ws.path().join("learn.json");
    std::fs::write(&file, "not json").unwrap();
    learn(&lab, ws.path(), &["list"])
        .code(2)
        .stderr(predicate::str::contains("not a lesson progress file"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not json");
}
