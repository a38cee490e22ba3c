//! The loose ends of issue #22 end to end: `jwt sign` defaults, and `jwt probe` against servers
//! that never answer, refuse the real token or need no token at all.

use assert_cmd::Command;
use serde_json::Value;

use apiward::jwt::{self, KeyMaterial, VerifyOptions};

fn apiward() -> Command {
    let mut cmd = Command::cargo_bin("apiward").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

#[test]
fn sign_with_a_secret_defaults_to_hs256() {
    let secret = "a-secret-long-enough-for-hs256-signing!";
    let out = apiward()
        .args([
            "jwt",
            "sign",
            "--secret",
            secret,
            "--claims",
            r#"{"sub":"ann"}"#,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let decoded = jwt::decode(&token).unwrap();
    assert_eq!(decoded.header["alg"], Value::from("HS256"));
    let options = VerifyOptions {
        allowed_algs: vec!["HS256".into()],
        ..VerifyOptions::new(0)
    };
    let verdict = jwt::verify(&decoded, &KeyMaterial::secret_from_text(secret), &options);
    assert!(verdict.is_ok_and(|v| v.is_valid()));
}

#[test]
fn a_damaged_lab_progress_file_is_reported_once() {
    let ws = tempfile::tempdir().unwrap();
    let lab = tempfile::tempdir().unwrap();
    let file = lab.path().join("progress.json");
    std::fs::write(&file, "not json").unwrap();
    let out = apiward()
        .env("NO_COLOR", "1")
        .args(["learn", "list", "--workspace"])
        .arg(ws.path())
        .arg("--lab-dir")
        .arg(lab.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "apiward: {} is not a lab progress file (expected ident at line 1 column 2); \
             move it away to start afresh\n",
            file.display()
        )
    );
}
