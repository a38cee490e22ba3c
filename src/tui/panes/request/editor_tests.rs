//! The request editor through the whole app on a TestBackend: the multi-line body editor,
//! every auth and body kind, and saving into the workspace, checked on screen, in the
//! request that would be sent, and in the `.http` file written.

use crossterm::event::KeyCode;

use super::RequestJob;
use super::msg::Msg as RMsg;
use crate::http::{Auth, Body, JwtKey, KeyPlace, Part, PartValue, Request, Row, Workspace};
use crate::tasks::TaskError;
use crate::tui::app::{App, Msg, PaneMsg};
use crate::tui::keymap::Keymap;
use crate::tui::panes::Effect;
use crate::tui::testing::{ctrl, draw, press, run_jobs, text, type_text};
use crate::tui::theme::Theme;

/// The app on a workspace holding `requests/echo.http` (`POST` to a closed local port) with
/// that request open in the editor, its URL focused.
fn app_with_echo() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(dir.path()).unwrap();
    let mut echo = Request::new("POST", "http://127.0.0.1:9/echo");
    echo.name = "echo".into();
    ws.save(&echo).unwrap();
    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    app.set_workspace(Some(dir.path().to_path_buf()));
    press(&mut app, KeyCode::Left);
    run_jobs(&mut app);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.request_model(), &echo);
    (app, dir)
}

fn screen(app: &App) -> String {
    text(&draw(app))
}

/// Edits the focused one-line field: clears it, types `value`, enter.
fn set_field(app: &mut App, value: &str) {
    press(app, KeyCode::Char('e'));
    ctrl(app, 'u');
    type_text(app, value);
    press(app, KeyCode::Enter);
}

/// Sends with ctrl-s and returns the body the send job carries; the send is then ended so
/// the next one can start.
fn send_body(app: &mut App) -> Vec<u8> {
    ctrl(app, 's');
    let body = app
        .take_effects()
        .into_iter()
        .find_map(|e| match e {
            Effect::Start(job) => match job.peek::<RequestJob>() {
                Some(RequestJob::Send { prepared, .. }) => Some(prepared.body.to_vec()),
                _ => None,
            },
            _ => None,
        })
        .unwrap_or_else(|| panic!("no send: {:?}", app.status()));
    app.update(Msg::Pane(PaneMsg::Request(RMsg::Sent(Err(
        TaskError::Failed(anyhow::anyhow!("not sent in tests").into()),
    )))));
    app.take_effects();
    body
}

#[test]
fn the_body_editor_takes_lines_checks_json_and_sends_as_typed() {
    let (mut app, _dir) = app_with_echo();
    press(&mut app, KeyCode::Char('B'));
    assert!(screen(&app).contains("Body    JSON · B next kind"));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('e'));
    assert!(screen(&app).contains("Body · JSON (esc leaves, ctrl-s sends)"));
    type_text(&mut app, "{");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "  \"a\": 1,");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "  \"b\": ");
    let shown = screen(&app);
    assert!(
        shown.contains("✗ line 3, column 7: EOF while parsing a value"),
        "{shown}"
    );
    // Letters that are keys elsewhere (q quits, S saves) are text here.
    type_text(&mut app, "\"qS\"");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "}");
    let shown = screen(&app);
    assert!(shown.contains("✓ valid JSON  4 lines · 4:2"), "{shown}");
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::End);
    assert!(screen(&app).contains("4 lines · 3:12"), "arrows move");
    let typed = "{\n  \"a\": 1,\n  \"b\": \"qS\"\n}";
    assert_eq!(send_body(&mut app), typed.as_bytes());
    assert!(
        screen(&app).contains("Body · JSON"),
        "the editor stays open after a send"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.request_model().body, Body::Json(typed.into()));
    let shown = screen(&app);
    assert!(
        !shown.contains("esc leaves") && shown.contains("\"b\": \"qS\""),
        "{shown}"
    );
    // Raw text keeps its lines too, and trailing blank lines go as a .http file drops them.
    press(&mut app, KeyCode::Char('B'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Body · raw text"));
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.request_model().body, Body::Raw(typed.into()));
}

#[test]
fn every_auth_kind_is_edited_with_secrets_masked() {
    let (mut app, _dir) = app_with_echo();
    press(&mut app, KeyCode::Char('c'));
    assert!(screen(&app).contains("Auth    basic · c next kind"));
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "ada");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "hunter2");
    let shown = screen(&app);
    assert!(
        shown.contains("•••••••") && !shown.contains("hunter2"),
        "typed masked: {shown}"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.request_model().auth,
        Auth::Basic {
            username: "ada".into(),
            password: "hunter2".into()
        }
    );
    let shown = screen(&app);
    assert!(shown.contains("User      ada") && shown.contains("Password  ••••••"));
    assert!(!shown.contains("hunter2"), "{shown}");
    // The send carries it.
    ctrl(&mut app, 's');
    assert!(
        app.take_effects()
            .iter()
            .any(|e| matches!(e, Effect::Start(job)
                if matches!(job.peek::<RequestJob>(), Some(RequestJob::Send { prepared, .. })
                    if prepared.header("authorization") == Some("Basic YWRhOmh1bnRlcjI="))
            ))
    );
    app.update(Msg::Pane(PaneMsg::Request(RMsg::Sent(Err(
        TaskError::Failed(anyhow::anyhow!("not sent in tests").into()),
    )))));

    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "t0ken-value");
    assert!(!screen(&app).contains("t0ken-value"));
    assert_eq!(
        app.request_model().auth,
        Auth::Bearer {
            token: "t0ken-value".into()
        }
    );

    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "X-Key");
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "k3y-value");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    let shown = screen(&app);
    assert!(shown.contains("Sent in   query") && !shown.contains("k3y-value"));
    assert_eq!(
        app.request_model().auth,
        Auth::ApiKey {
            name: "X-Key".into(),
            value: "k3y-value".into(),
            place: KeyPlace::Query
        }
    );

    press(&mut app, KeyCode::Char('c'));
    let shown = screen(&app);
    assert!(shown.contains("Alg       HS256"), "{shown}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "jwt-s3cret");
    assert!(!screen(&app).contains("jwt-s3cret"));
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "[1]");
    assert!(
        screen(&app).contains("✗ Auth: the JWT claims are not a JSON object"),
        "claims are checked as typed"
    );
    set_field(&mut app, r#"{"sub":"ada","iat":{{$timestamp}}}"#);
    assert!(!screen(&app).contains("✗ Auth"));
    // The token is signed at send time with the secret.
    ctrl(&mut app, 's');
    let effects = app.take_effects();
    let token = effects
        .iter()
        .find_map(|e| match e {
            Effect::Start(job) => match job.peek::<RequestJob>() {
                Some(RequestJob::Send { prepared, .. }) => prepared.header("authorization"),
                _ => None,
            },
            _ => None,
        })
        .and_then(|v| v.strip_prefix("Bearer "))
        .expect("a signed token");
    let decoded = crate::jwt::decode(token).unwrap();
    assert_eq!(decoded.alg.as_deref(), Some("HS256"));
    app.update(Msg::Pane(PaneMsg::Request(RMsg::Sent(Err(
        TaskError::Failed(anyhow::anyhow!("not sent in tests").into()),
    )))));
    // Another algorithm family takes a PEM file instead of the secret.
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    set_field(&mut app, "none");
    assert!(app.status().unwrap().contains("the JWT alg is one of"));
    set_field(&mut app, "es256");
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "keys/signing.pem");
    assert!(screen(&app).contains("PEM file  keys/signing.pem"));
    assert_eq!(
        app.request_model().auth,
        Auth::Jwt {
            alg: "ES256".into(),
            key: JwtKey::PemFile("keys/signing.pem".into()),
            claims: r#"{"sub":"ada","iat":{{$timestamp}}}"#.into()
        }
    );

    // Digest asks for a user and password, as Basic does.
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(&app.request_model().auth, Auth::Digest { .. }));
    assert!(screen(&app).contains("digest"));
    // Round the kinds again: what was typed in each is still there.
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.request_model().auth, Auth::None);
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(&app.request_model().auth, Auth::Basic { username, .. } if username == "ada"));
}

#[test]
fn every_body_kind_is_edited_and_sent() {
    let (mut app, dir) = app_with_echo();
    std::fs::write(dir.path().join("requests/avatar.png"), b"PNGDATA").unwrap();
    std::fs::write(dir.path().join("requests/body.bin"), b"\x00\x01raw").unwrap();
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('B'));
    }
    assert!(screen(&app).contains("Body    form · B next kind"));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "name=ada");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "password: pw-secret");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "city: Zürich");
    press(&mut app, KeyCode::Enter);
    // Off, like a header row: kept, not sent.
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Char(' '));
    let shown = screen(&app);
    assert!(
        shown.contains("✗ password: ••••••") && !shown.contains("pw-secret"),
        "{shown}"
    );
    assert_eq!(send_body(&mut app), b"name=ada&city=Z%C3%BCrich");
    // Abandoned rows go; d deletes.
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(
        app.request_model().body,
        Body::Form(vec![Row::new("name", "ada"), Row::new("city", "Zürich")])
    );

    // Multipart starts from the form's fields; a value @path is a file.
    press(&mut app, KeyCode::Char('B'));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "avatar: @avatar.png");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("✓ avatar: @avatar.png"));
    press(&mut app, KeyCode::Char(' '));
    assert!(app.status().unwrap().contains("sent or deleted"));
    let sent = String::from_utf8_lossy(&send_body(&mut app)).into_owned();
    assert!(
        sent.contains("name=\"avatar\"; filename=\"avatar.png\"") && sent.contains("PNGDATA"),
        "{sent}"
    );
    assert!(sent.contains("name=\"city\"\r\n\r\nZürich"), "{sent}");
    assert_eq!(
        app.request_model().body,
        Body::Multipart(vec![
            Part {
                name: "name".into(),
                value: PartValue::Text("ada".into()),
                enabled: true
            },
            Part {
                name: "city".into(),
                value: PartValue::Text("Zürich".into()),
                enabled: true
            },
            Part {
                name: "avatar".into(),
                value: PartValue::File("avatar.png".into()),
                enabled: true
            },
        ])
    );

    press(&mut app, KeyCode::Char('B'));
    assert!(screen(&app).contains("e enters the path"));
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "body.bin");
    assert_eq!(app.request_model().body, Body::File("body.bin".into()));
    assert_eq!(send_body(&mut app), b"\x00\x01raw");

    press(&mut app, KeyCode::Char('B'));
    assert_eq!(app.request_model().body, Body::None);
    press(&mut app, KeyCode::Char('B'));
    assert_eq!(
        app.request_model().body,
        Body::Json(String::new()),
        "nothing was typed as JSON"
    );
}

#[test]
fn save_writes_the_request_and_asks_before_replacing_another() {
    let (mut app, dir) = app_with_echo();
    let ws = Workspace::open(dir.path());
    let mut other = Request::new("GET", "http://127.0.0.1:9/other");
    other.name = "other".into();
    ws.save(&other).unwrap();
    press(&mut app, KeyCode::Char('r'));
    run_jobs(&mut app);

    // Every kind that has a file form: API key auth with a form body, then JWT with JSON.
    press(&mut app, KeyCode::Char('m'));
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('c'));
        press(&mut app, KeyCode::Char('B'));
    }
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "q=1 2");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "off=x");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(' '));

    // The name is offered; esc leaves without saving.
    press(&mut app, KeyCode::Char('S'));
    assert!(screen(&app).contains("Save the request as"));
    press(&mut app, KeyCode::Esc);
    assert!(app.take_effects().is_empty());

    // Saving back under its own name needs no question.
    press(&mut app, KeyCode::Char('S'));
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let status = app.status().unwrap().to_string();
    assert!(status.starts_with("Saved echo to "), "{status}");
    let saved = ws.request("echo").unwrap();
    assert_eq!(&saved.request, app.request_model(), "the file round-trips");
    assert!(matches!(saved.request.auth, Auth::ApiKey { .. }));

    // Another request's name asks first, then replaces it.
    press(&mut app, KeyCode::Char('c'));
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('B'));
    }
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "{\"ok\": true}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('S'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "other");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.status(),
        Some("requests/other.http holds another request named other: enter again saves over it")
    );
    assert!(app.take_effects().is_empty());
    assert!(screen(&app).contains("enter saves over it"));
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let saved = ws.request("other").unwrap();
    assert_eq!(&saved.request, app.request_model());
    assert_eq!(saved.request.url, "http://127.0.0.1:9/echo");
    assert!(matches!(saved.request.auth, Auth::Jwt { .. }));
    let file = std::fs::read_to_string(&saved.path).unwrap();
    assert!(file.contains("# @body json"), "{file}");
    // The list reloaded and selects the saved request.
    let names: Vec<String> = ws
        .requests()
        .unwrap()
        .into_iter()
        .map(|s| s.request.name)
        .collect();
    assert_eq!(names, ["echo", "other"]);
    let shown = screen(&app);
    assert!(shown.contains("Request · other"), "{shown}");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.request_model(),
        &saved.request,
        "the saved one is selected"
    );

    // Now it is "other": saving again asks nothing. A bad name says why.
    press(&mut app, KeyCode::Char('S'));
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert!(app.status().unwrap().starts_with("Saved other"));
    press(&mut app, KeyCode::Char('S'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "no spaces");
    press(&mut app, KeyCode::Enter);
    // The prompt stays open with the reason, so what is typed next is still the name.
    assert!(
        app.status()
            .unwrap()
            .starts_with("'no spaces' cannot be a request's file name"),
        "{:?}",
        app.status()
    );
    ctrl(&mut app, 'u');
    type_text(&mut app, "no-spaces");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert!(
        app.status().unwrap().starts_with("Saved no-spaces"),
        "{:?}",
        app.status()
    );
}

#[test]
fn a_literal_secret_is_moved_to_the_private_env_on_save() {
    let (mut app, dir) = app_with_echo();
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "plain-token");
    press(&mut app, KeyCode::Char('S'));
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert_eq!(
        app.status(),
        Some(
            "Saved echo to requests/echo.http · moved the bearer token as {{echo_token}} into \
             http-client.private.env.json"
        )
    );
    let file = std::fs::read_to_string(dir.path().join("requests/echo.http")).unwrap();
    assert!(!file.contains("plain-token"), "{file}");
    assert!(file.contains("{{echo_token}}"), "{file}");
    let private = std::fs::read_to_string(dir.path().join("http-client.private.env.json")).unwrap();
    assert!(private.contains("plain-token"), "{private}");
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert!(ignore.contains("http-client.private.env.json"), "{ignore}");
}
