//! The JWT tab verifies with a JWKS URL as `apiward jwt verify --jwks URL` does: the same
//! token and the same served key set, one verdict from both; a URL that answers an error is
//! said, not taken for a key.

use apiward::tui::app::Msg;
use apiward::tui::testing::{app, press, run_jobs, screen, type_text};
use crossterm::event::KeyCode;

use crate::lab_support::apiward;

#[test]
fn the_jwt_tab_verifies_with_a_jwks_url_as_the_cli_does() {
    let (server, token) = crate::jwt_cli::served_jwks_and_token();
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
