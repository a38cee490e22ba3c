//! The response body view through the whole app on a TestBackend: keys in, the screen and
//! the status line out. Jobs (filter, large searches, saving) run on a real task runner, as
//! the event loop would run them, and their answers go back through `App::update`.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

use super::msg::Msg as RMsg;
use crate::http::{Exchange, Response};
use crate::tui::app::{App, Msg, PaneMsg};
use crate::tui::keymap::Keymap;
use crate::tui::panes::Effect;
use crate::tui::testing::{ctrl, draw, find, press, run_jobs, text, type_text};
use crate::tui::theme::Theme;

/// The app with a response of `content_type` and `body` in the Request tab, its workspace a
/// fresh folder so nothing real is read.
fn app_with(content_type: &str, body: impl Into<bytes::Bytes>) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    app.set_workspace(Some(dir.path().to_path_buf()));
    let exchange = Exchange {
        response: Response {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            url: "http://127.0.0.1/".into(),
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            ..Response::default()
        },
        findings: Vec::new(),
    };
    app.update(Msg::Pane(PaneMsg::Request(RMsg::Sent(Ok(Box::new(
        exchange,
    ))))));
    run_jobs(&mut app);
    (app, dir)
}

fn reversed_at(buffer: &Buffer, (x, y): (u16, u16)) -> bool {
    buffer[(x, y)].modifier.contains(Modifier::REVERSED)
}

/// A JSON array whose one `needle` is far below the first screen.
fn long_json() -> String {
    let mut items: Vec<String> = (0..80).map(|i| format!(r#"{{"n":{i}}}"#)).collect();
    items.insert(60, r#"{"needle":"here"}"#.into());
    items.push(r#"{"needle":"again"}"#.into());
    format!("[{}]", items.join(","))
}

#[test]
fn search_finds_counts_steps_and_scrolls_to_matches() {
    let (mut app, _dir) = app_with("application/json", long_json());
    assert!(!text(&draw(&app)).contains("needle"));
    press(&mut app, KeyCode::Char('/'));
    // Typed letters go to the prompt, not to n/N.
    type_text(&mut app, "needle");
    let screen = draw(&app);
    assert!(
        text(&screen).contains("Search the body"),
        "{}",
        text(&screen)
    );
    press(&mut app, KeyCode::Enter);
    let screen = draw(&app);
    let shown = text(&screen);
    assert!(shown.contains("/needle 1/2"), "{shown}");
    let at = find(&screen, "\"needle\"").expect("the view scrolled to the match");
    assert!(
        reversed_at(&screen, (at.0 + 1, at.1)),
        "the match is marked"
    );
    assert!(shown.contains("\"here\""), "{shown}");
    press(&mut app, KeyCode::Char('n'));
    let shown = text(&draw(&app));
    assert!(
        shown.contains("/needle 2/2") && shown.contains("\"again\""),
        "{shown}"
    );
    press(&mut app, KeyCode::Char('n'));
    assert!(text(&draw(&app)).contains("/needle 1/2"), "n wraps around");
    press(&mut app, KeyCode::Char('N'));
    assert!(text(&draw(&app)).contains("/needle 2/2"), "N goes back");
    // Smart case: a capital letter makes it exact.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "Needle");
    press(&mut app, KeyCode::Enter);
    assert!(text(&draw(&app)).contains("/Needle no match"));
    press(&mut app, KeyCode::Esc);
    let shown = text(&draw(&app));
    assert!(!shown.contains("/Needle"), "esc leaves the search: {shown}");
}

#[test]
fn esc_in_the_search_prompt_restores_the_view() {
    let (mut app, _dir) = app_with("application/json", long_json());
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "needle");
    assert!(
        text(&draw(&app)).contains("\"here\""),
        "a small body is searched as the query is typed"
    );
    press(&mut app, KeyCode::Esc);
    let shown = text(&draw(&app));
    assert!(
        !shown.contains("needle") && shown.contains("1 │ ["),
        "{shown}"
    );
}

#[test]
fn a_jq_filter_replaces_the_body_until_cleared() {
    let body = r#"{"users":[{"name":"ada","admin":true},{"name":"bob","admin":false}]}"#;
    let (mut app, _dir) = app_with("application/json", body);
    press(&mut app, KeyCode::Char('f'));
    assert!(text(&draw(&app)).contains("jq filter"));
    ctrl(&mut app, 'u');
    type_text(&mut app, ".users[] | select(.admin) | .name");
    press(&mut app, KeyCode::Enter);
    assert!(text(&draw(&app)).contains("Running the jq filter"));
    run_jobs(&mut app);
    let shown = text(&draw(&app));
    assert!(
        shown.contains("1 value") && shown.contains("\"ada\""),
        "{shown}"
    );
    assert!(!shown.contains("bob"), "{shown}");
    // A search looks through the filter's result.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "ada");
    press(&mut app, KeyCode::Enter);
    assert!(text(&draw(&app)).contains("/ada 1/1"));
    press(&mut app, KeyCode::Esc);
    // Esc clears the search first, then the filter.
    press(&mut app, KeyCode::Esc);
    let shown = text(&draw(&app));
    assert!(
        shown.contains("bob") && !shown.contains("1 value"),
        "{shown}"
    );
}

#[test]
fn bad_filters_show_their_error_and_never_panic() {
    let (mut app, _dir) = app_with("application/json", r#"{"a":[1,2]}"#);
    press(&mut app, KeyCode::Char('f'));
    ctrl(&mut app, 'u');
    type_text(&mut app, ".a[");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().starts_with("jq: expected"),
        "{:?}",
        app.status()
    );
    assert!(
        text(&draw(&app)).contains("jq filter"),
        "the prompt stays open to fix the filter"
    );
    ctrl(&mut app, 'u');
    type_text(&mut app, ".a.b");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let shown = text(&draw(&app));
    assert!(shown.contains("jq: cannot index"), "{shown}");
    // Halting ends the filter, not the program.
    press(&mut app, KeyCode::Char('f'));
    ctrl(&mut app, 'u');
    type_text(&mut app, ".a[0], halt");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let shown = text(&draw(&app));
    assert!(shown.contains("halted with exit code 0"), "{shown}");
    // Text bodies are not filtered.
    let (mut app, _dir) = app_with("text/plain", "plain words");
    press(&mut app, KeyCode::Char('f'));
    assert!(app.status().unwrap().contains("not JSON"));
}

#[test]
fn binary_bodies_show_raw_and_as_hex() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10".to_vec();
    let (mut app, _dir) = app_with("image/png", png);
    let shown = text(&draw(&app));
    assert!(shown.contains("Binary body, 20 bytes"), "{shown}");
    press(&mut app, KeyCode::Char('b'));
    let shown = text(&draw(&app));
    assert!(
        shown.contains(" raw ") && shown.contains("1 │ .PNG"),
        "{shown}"
    );
    press(&mut app, KeyCode::Char('b'));
    let screen = draw(&app);
    let shown = text(&screen);
    assert!(
        shown.contains("00000000: 8950 4e47 0d0a 1a0a 0000 000d 4948 4452  .PNG........IHDR"),
        "{shown}"
    );
    assert!(shown.contains("00000010: 0000 0010"), "{shown}");
    // A search in the hex view marks both the hex and the ASCII.
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "IHDR");
    press(&mut app, KeyCode::Enter);
    let screen = draw(&app);
    assert!(text(&screen).contains("/IHDR 1/1"));
    assert!(reversed_at(&screen, find(&screen, "4948 4452").unwrap()));
    let (x, y) = find(&screen, ".IHDR").unwrap();
    assert!(reversed_at(&screen, (x + 1, y)));
    press(&mut app, KeyCode::Char('b'));
    assert!(
        text(&draw(&app)).contains("Binary body"),
        "b comes back to pretty"
    );
}

#[test]
fn a_large_body_is_drawn_lazily_and_searched_by_a_task() {
    let mut body = vec![b'x'; 4 * 1024 * 1024];
    body.extend_from_slice(b"the-end");
    let (mut app, _dir) = app_with("application/octet-stream", body);
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::End);
    let shown = text(&draw(&app));
    assert!(shown.contains("00400000: 7468 652d 656e 64"), "{shown}");
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "the-end");
    press(&mut app, KeyCode::Enter);
    assert!(text(&draw(&app)).contains("searching…"));
    run_jobs(&mut app);
    let shown = text(&draw(&app));
    assert!(
        shown.contains("/the-end 1/1") && shown.contains("00400000:"),
        "{shown}"
    );
}

#[test]
fn save_writes_the_body_and_asks_before_overwriting() {
    let body = b"{\"id\": 42}\n".to_vec();
    let (mut app, dir) = app_with("application/json", body.clone());
    let path = dir.path().join("out.json");
    press(&mut app, KeyCode::Char('s'));
    assert!(
        text(&draw(&app)).contains("response.json"),
        "a name is offered"
    );
    ctrl(&mut app, 'u');
    type_text(&mut app, &path.display().to_string());
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert_eq!(std::fs::read(&path).unwrap(), body, "the bytes as received");
    assert_eq!(
        app.status(),
        Some(format!("Saved 11 bytes to {}", path.display()).as_str())
    );
    // The file is there now: the first enter asks, the second overwrites.
    press(&mut app, KeyCode::Char('f'));
    ctrl(&mut app, 'u');
    type_text(&mut app, ".id");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    press(&mut app, KeyCode::Char('s'));
    ctrl(&mut app, 'u');
    type_text(&mut app, &path.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().contains("exists"),
        "{:?}",
        app.status()
    );
    assert!(app.take_effects().is_empty());
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "42\n",
        "the filter's result"
    );
    // A path that cannot be written says why in the status line.
    press(&mut app, KeyCode::Char('s'));
    ctrl(&mut app, 'u');
    type_text(&mut app, &path.join("below-a-file").display().to_string());
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert!(
        app.status().unwrap().starts_with("Cannot save the body"),
        "{:?}",
        app.status()
    );
}

#[test]
fn copy_puts_the_body_on_the_clipboard() {
    let (mut app, _dir) = app_with("application/json", r#"{"a":1}"#);
    // y copies only once the response has the focus.
    press(&mut app, KeyCode::Char('y'));
    assert!(
        app.take_effects()
            .iter()
            .all(|e| !matches!(e, Effect::Copy(_)))
    );
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('y'));
    assert!(matches!(app.take_effects().as_slice(), [Effect::Copy(text)] if text == r#"{"a":1}"#));
    let (mut app, _dir) = app_with("image/png", b"\x89PNG\x00\xff".to_vec());
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.status().unwrap().contains("binary"));
}
