//! The Request tab's recent requests and moves between files, through the whole app on a
//! real workspace folder: ` (or ctrl-^) goes back to the request opened before, asking
//! first about unsaved edits, and F moves the selected saved request to another `.http`
//! file, checked in the files written and on screen.

use apiward::tui::app::App;
use apiward::tui::testing::{app, ctrl, press, run_jobs, type_text};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const API: &str = "@base = http://127.0.0.1:9\n\n# @name login\nPOST {{base}}/login\n\n\
                   ###\n# @name users\nGET {{base}}/users\n\n\
                   ###\n# @name orders\nGET {{base}}/orders\n";

fn snapshot(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    terminal
}

/// The app on a workspace holding `api.http` (login, users, orders), loaded, the list
/// focused on its first entry.
fn app_on_api() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    apiward::http::Workspace::create(dir.path()).unwrap();
    std::fs::write(dir.path().join("api.http"), API).unwrap();
    let mut app = app();
    app.set_workspace(Some(dir.path().to_path_buf()));
    press(&mut app, KeyCode::Left);
    run_jobs(&mut app);
    (app, dir)
}

/// Opens the list's entry `n` places below the top.
fn open(app: &mut App, n: usize) {
    press(app, KeyCode::Left);
    press(app, KeyCode::Char('g'));
    for _ in 0..n {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
}

#[test]
fn the_alternate_key_goes_back_to_the_request_before_and_asks_about_edits() {
    let (mut app, _dir) = app_on_api();
    press(&mut app, KeyCode::Char('`'));
    assert!(
        app.status().unwrap().starts_with("No other saved request"),
        "{:?}",
        app.status()
    );
    open(&mut app, 0);
    open(&mut app, 2);
    assert_eq!(app.request_model().name, "orders");
    // One key back, and the same key forth.
    press(&mut app, KeyCode::Char('`'));
    assert_eq!(app.request_model().name, "login");
    insta::assert_snapshot!("request_recent_120x40", snapshot(&app, 120, 40).backend());
    ctrl(&mut app, '6');
    assert_eq!(app.request_model().name, "orders");
    open(&mut app, 1);
    insta::assert_snapshot!("request_recent_80x24", snapshot(&app, 80, 24).backend());

    // With the URL edited, it asks first; esc keeps the edit, d drops it and goes.
    press(&mut app, KeyCode::Char('e'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "{{base}}/people");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('`'));
    assert!(
        app.status()
            .unwrap()
            .starts_with("Unsaved edits to users: s saves ·"),
        "{:?}",
        app.status()
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.request_model().url, "{{base}}/people");
    press(&mut app, KeyCode::Char('`'));
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(app.request_model().name, "orders");
    press(&mut app, KeyCode::Char('`'));
    assert_eq!(app.request_model().name, "users");
    assert_eq!(
        app.request_model().url,
        "{{base}}/users",
        "the edit was dropped"
    );
}

#[test]
fn a_saved_request_moves_to_another_file_and_stays_open() {
    let (mut app, dir) = app_on_api();
    open(&mut app, 1);
    assert_eq!(app.request_model().name, "users");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Char('F'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "people");
    insta::assert_snapshot!(
        "request_move_prompt_80x24",
        snapshot(&app, 80, 24).backend()
    );
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let status = app.status().unwrap().to_string();
    assert_eq!(
        status,
        "Moved users to requests/people.http (new file) · {{base}} set by its old file only"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requests/people.http")).unwrap(),
        "# @name users\nGET {{base}}/users\n"
    );
    let left = std::fs::read_to_string(dir.path().join("api.http")).unwrap();
    assert_eq!(
        left,
        "@base = http://127.0.0.1:9\n\n# @name login\nPOST {{base}}/login\n\n\
         ###\n# @name orders\nGET {{base}}/orders\n"
    );
    insta::assert_snapshot!("request_moved_120x40", snapshot(&app, 120, 40).backend());
    // The open request now resolves its new file's variables, and base is not one of them.
    ctrl(&mut app, 's');
    let said = app.status().unwrap();
    assert!(
        said.starts_with("Cannot send: unknown variable {{base}}"),
        "{said}"
    );

    // The open request follows it: a save goes into its new file, not back into api.http.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('e'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "http://127.0.0.1:9/people");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('S'));
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert_eq!(app.status().unwrap(), "Saved users to requests/people.http");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requests/people.http")).unwrap(),
        "# @name users\nGET http://127.0.0.1:9/people\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("api.http")).unwrap(),
        left
    );

    // A name that cannot be a file is one sentence, and nothing is written.
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Char('F'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "../outside");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let said = app.status().unwrap();
    assert!(
        said.starts_with("Cannot move the request: \"../outside\" cannot be a file name"),
        "{said}"
    );
    assert!(!dir.path().parent().unwrap().join("outside.http").exists());
}
