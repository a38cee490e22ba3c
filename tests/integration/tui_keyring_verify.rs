//! Verification with keyring keys, in the real loop against a keyring the CLI made: a token
//! signed in the Keys tab opens verified in the JWT tab, and so does a pasted one whose kid
//! the open keyring holds; a kid it does not hold stays unverified; once the Keys tab revokes
//! the key, the tab and `apiward jwt verify --keyring` (the peer) both refuse its token.

use std::time::{Duration, Instant};

use apiward::tasks::TaskRunner;
use apiward::tui::app::{App, Msg};
use apiward::tui::keymap::Keymap;
use apiward::tui::run::event_loop;
use apiward::tui::testing::TestScreen;
use apiward::tui::theme::Theme;
use crossterm::event::KeyCode;
use tokio::sync::mpsc;

use super::keys_cli::{PASS, init, keys, run_ok};
use super::tui_loop::User;

/// `apiward jwt verify --keyring TOKEN`'s exit code, with the passphrase in the environment.
fn cli_verify(ws: &std::path::Path, token: &str) -> Option<i32> {
    keys(ws)
        .args(["jwt", "verify", "--keyring", token])
        .output()
        .unwrap()
        .status
        .code()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyring_keys_verify_tokens_in_the_jwt_tab_as_the_cli_does() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path();
    init(ws);
    let kid = run_ok(keys(ws).args(["keys", "gen", "--alg", "ES256"]))
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    run_ok(keys(ws).args(["keys", "promote", &kid]));
    let signed = run_ok(keys(ws).args([
        "jwt",
        "sign",
        "--keyring",
        "--claims",
        r#"{"sub":"from-the-cli"}"#,
        "--set",
        "exp=+1h",
    ]));
    let signed = signed.trim().to_string();
    assert_eq!(cli_verify(ws, &signed), Some(0), "the peer accepts it");
    // A token of another key, under a kid the keyring does not hold.
    let mut header = serde_json::Map::new();
    header.insert("kid".into(), "stranger".into());
    let stranger = apiward::jwt::sign::sign(
        &header,
        &serde_json::json!({"sub": "stranger"}),
        "HS256",
        &apiward::jwt::SigningKey::Secret(b"not in the keyring".to_vec()),
    )
    .unwrap();

    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    app.set_workspace(Some(ws.to_path_buf()));
    let (mut screen, frames) = TestScreen::new(160, 48);
    let (keys_tx, keys_rx) = mpsc::unbounded_channel();
    let input = Box::pin(futures_util::stream::unfold(keys_rx, |mut rx| async move {
        rx.recv().await.map(|msg| (msg, rx))
    }));
    let (runner, mut task_rx) = TaskRunner::new(4);
    let looping = tokio::spawn(async move {
        let result = event_loop(&mut screen, &mut app, &runner, &mut task_rx, input, None).await;
        (result, app)
    });
    let mut user = User {
        keys: keys_tx,
        frames,
        last: String::new(),
    };
    let paste = |user: &User, text: &str| {
        user.keys.send(Ok(Msg::Paste(text.to_string()))).unwrap();
    };
    let key_check = format!("keyring key {kid} is active");

    // Open the keyring the CLI made, and sign a test token with its active key.
    user.key(KeyCode::Char('4'));
    user.key(KeyCode::Char('o'));
    user.type_text(PASS);
    user.key(KeyCode::Enter);
    user.sees("Keyring open: 1 key").await;
    user.key(KeyCode::Char('s'));
    let shown = user.sees(&key_check).await;
    assert!(
        shown.contains("✓ valid") && shown.contains("\"test\""),
        "{shown}"
    );

    // A pasted token: verified when the keyring holds its kid, left alone when not.
    paste(&user, &stranger);
    let shown = user.sees("not verified").await;
    assert!(shown.contains("\"stranger\""), "{shown}");
    paste(&user, &signed);
    let shown = user.sees("from-the-cli").await;
    assert!(
        shown.contains("✓ valid") && shown.contains(&key_check),
        "{shown}"
    );

    // Revoked in the Keys tab: the JWT tab's verdict follows, and so does the peer's once
    // the tab has saved the keyring.
    user.key(KeyCode::Char('4'));
    user.key(KeyCode::Char('X'));
    user.type_text("leaked in a log");
    user.key(KeyCode::Enter);
    user.sees("is revoked").await;
    user.key(KeyCode::Char('2'));
    let shown = user.sees("no longer accepted").await;
    assert!(shown.contains("✗ invalid"), "{shown}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while cli_verify(ws, &signed) == Some(0) {
        assert!(
            Instant::now() < deadline,
            "the revocation never reached the file"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(cli_verify(ws, &signed), Some(1), "the peer refuses it too");

    user.key(KeyCode::Char('q'));
    let (result, _app) = tokio::time::timeout(Duration::from_secs(30), looping)
        .await
        .expect("q ends the loop")
        .unwrap();
    result.expect("the loop ended cleanly");
}
