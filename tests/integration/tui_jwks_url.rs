//! The JWT tab verifies with a JWKS URL as `apiward jwt verify --jwks URL` does: the same
//! token and the same served key set, one verdict from both; a URL that answers an error is
//! said, not taken for a key.

use apiward::tui::app::Msg;
use apiward::tui::testing::{app, press, run_jobs, screen, type_text};
use crossterm::event::KeyCode;

use crate::harness::{Route, TestServer};
use crate::lab_support::apiward;

#[test]
fn the_jwt_tab_verifies_with_a_jwks_url_as_the_cli_does() {
    let pair = apiward::jwt::keygen::generate("ES256").unwrap();
    let mut jwk = pair.public_jwk.clone();
    jwk["kid"] = "k1".into();
    let jwks = serde_json::json!({ "keys": [jwk] }).to_string();
    let server = TestServer::http(vec![Route::new("/.well-known/jwks.json").body(jwks)]);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    std::fs::write(&key, &pair.private_pem).unwrap();
    let out = apiward()
        .args(["jwt", "sign", "--alg", "ES256", "--key"])
        .arg(&key)
        .args(["--kid", "k1", "--claims", r#"{"sub":"x"}"#])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let url = server.url("/.well-known/jwks.json");
    let cli = apiward()
        .args(["jwt", "verify", &token, "--jwks", &url])
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(0), "the CLI verifies it");

    let verify_in_tab = |url: &str| {
        let mut app = app();
        press(&mut app, KeyCode::Char('2'));
        app.update(Msg::Paste(token.clone()));
        press(&mut app, KeyCode::Char('v'));
        type_text(&mut app, url);
        press(&mut app, KeyCode::Enter);
        run_jobs(&mut app);
        screen(&app, 120, 40)
    };
    let shown = verify_in_tab(&url);
    assert!(shown.contains("✓ valid"), "{shown}");
    let missing = verify_in_tab(&server.url("/missing"));
    assert!(missing.contains("404"), "{missing}");
    assert!(!missing.contains("✓ valid"), "{missing}");
}
