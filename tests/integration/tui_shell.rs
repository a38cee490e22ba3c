//! Snapshots of the TUI shell on a TestBackend at 80x24 and 120x40, driven through the same
//! update function the event loop uses.

use std::time::{Duration, Instant};

use apiward::tasks::{Progress, TaskEnd, TaskEvent, TaskId, TaskKind};
use apiward::tui::app::{App, Msg};
use apiward::tui::keymap::Keymap;
use apiward::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub(crate) use apiward::tui::testing::{app, press};

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    terminal
}

#[test]
fn request_tab_placeholder() {
    let app = app();
    insta::assert_snapshot!("request_80x24", draw(&app, 80, 24).backend());
    insta::assert_snapshot!("request_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn help_overlay() {
    let mut app = app();
    press(&mut app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", draw(&app, 80, 24).backend());
    insta::assert_snapshot!("help_120x40", draw(&app, 120, 40).backend());
}

#[test]
fn every_tab_renders_its_title() {
    let mut app = app();
    for (digit, title) in [
        ('1', "Request"),
        ('2', "JWT"),
        ('3', "Audit"),
        ('4', "Keys"),
        ('5', "Tasks"),
        ('6', "Learn"),
    ] {
        press(&mut app, KeyCode::Char(digit));
        let terminal = draw(&app, 80, 24);
        let screen = format!("{}", terminal.backend());
        let body: String = screen.lines().skip(1).take(2).collect();
        assert!(body.contains(title), "tab {digit}: {body}");
    }
}

/// A running crack, a failed audit and a finished send: the tasks both the Tasks tab
/// snapshot and the size sweep draw.
pub(crate) fn sample_task_events() -> Vec<TaskEvent> {
    vec![
        TaskEvent::Started {
            id: TaskId(1),
            kind: TaskKind::Crack,
            title: "crack HS256 token".into(),
        },
        TaskEvent::Progress {
            id: TaskId(1),
            progress: Progress::Count {
                done: 2_400_000,
                total: Some(10_000_000),
            },
        },
        TaskEvent::Started {
            id: TaskId(2),
            kind: TaskKind::Audit,
            title: "audit https://127.0.0.1".into(),
        },
        TaskEvent::Ended {
            id: TaskId(2),
            end: TaskEnd::Failed("connection refused".into()),
        },
        TaskEvent::Started {
            id: TaskId(3),
            kind: TaskKind::Send,
            title: "GET /users".into(),
        },
        TaskEvent::Log {
            id: TaskId(3),
            line: "200 OK in 12 ms".into(),
        },
        TaskEvent::Ended {
            id: TaskId(3),
            end: TaskEnd::Done,
        },
    ]
}

#[test]
fn tasks_tab_with_running_failed_and_done_tasks() {
    let mut app = app();
    let t0 = Instant::now();
    let events = sample_task_events();
    app.set_now(t0);
    for event in events {
        app.update(Msg::Task(event));
    }
    app.set_now(t0 + Duration::from_secs(2));
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('k'));
    insta::assert_snapshot!("tasks_120x40", draw(&app, 120, 40).backend());
    press(&mut app, KeyCode::Char('k'));
    insta::assert_snapshot!("tasks_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn no_color_theme_has_no_colours() {
    let app = App::new(Theme::builtin_default().monochrome(), Keymap::default());
    let terminal = draw(&app, 80, 24);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    // Emphasis survives: the active tab is drawn in reverse video.
    assert!(
        buffer
            .content()
            .iter()
            .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
    );
}

pub(crate) const WEAK_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

pub(crate) fn jwt_app() -> App {
    let mut app = app();
    app.set_unix_now(1_516_239_022 + 3600);
    press(&mut app, KeyCode::Char('2'));
    app.update(Msg::Paste(format!("Bearer {WEAK_TOKEN}")));
    app
}

#[test]
fn jwt_tab_with_a_pasted_token() {
    let app = jwt_app();
    insta::assert_snapshot!("jwt_120x40", draw(&app, 120, 40).backend());
    insta::assert_snapshot!("jwt_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn jwt_tab_finding_detail_and_verify() {
    let mut app = jwt_app();
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("jwt_detail_120x40", draw(&app, 120, 40).backend());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('v'));
    for c in "your-256-bit-secret".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(screen.contains("✓ valid (HS256, signature ok)"), "{screen}");
    assert!(
        !screen.contains("your-256-bit-secret\""),
        "the secret input is masked"
    );
}

pub(crate) fn exchange_for_snapshot() -> apiward::http::Exchange {
    use apiward::findings::{Finding, Severity};
    use apiward::http::{Cookie, Response, Timings};
    let body = format!(
        r#"{{"user":{{"id":42,"name":"Ada","admin":false}},"token":"{WEAK_TOKEN}","roles":["reader","writer"],"next":null}}"#
    );
    let response = Response {
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        url: "http://127.0.0.1:8080/users/42".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("set-cookie".into(), "sid=abc123; Path=/".into()),
            ("server".into(), "practice-api".into()),
        ],
        cookies: vec![Cookie {
            name: "sid".into(),
            value: "abc123".into(),
            domain: None,
            path: Some("/".into()),
            expires: None,
            max_age: None,
            secure: false,
            http_only: false,
            same_site: None,
        }],
        body: body.into(),
        truncated: false,
        decoded_from: None,
        // Fixed timings, so the bars are stable.
        timing: Timings {
            dns_ms: None,
            connect_ms: Some(1.5),
            tls_ms: None,
            ttfb_ms: Some(12.0),
            download_ms: Some(2.5),
            total_ms: 16.0,
            phases: true,
        },
        remote_addr: None,
        tls: None,
        redirects: Vec::new(),
    };
    let finding = Finding {
        id: "cookie-no-httponly".into(),
        severity: Severity::Medium,
        title: "Cookie sid is readable by scripts".into(),
        evidence: "Set-Cookie: sid=abc123; Path=/".into(),
        why: "Script injection can steal it.".into(),
        fix: "Add HttpOnly.".into(),
        refs: Vec::new(),
    };
    apiward::http::Exchange {
        response,
        findings: vec![finding],
    }
}

/// A workspace as the load job would report it: one stored request, one history entry and
/// an environment with a secret, which must show masked.
pub(crate) fn loaded_workspace() -> apiward::tui::panes::request::load::Loaded {
    use apiward::http::{Entry, Request, Stored, Vars};
    let mut vars = Vars::new();
    vars.set("base", "http://127.0.0.1:8080", false);
    vars.set("token", "s3cret-value", true);
    let stored = Request {
        name: "get-user".into(),
        ..Request::new("GET", "{{base}}/users/42")
    };
    let entry = Entry {
        at: 1_700_000_000,
        request: Request::new("POST", "http://127.0.0.1:8080/login"),
        method: "POST".into(),
        url: "http://127.0.0.1:8080/login".into(),
        status: Some(401),
        error: None,
        total_ms: Some(3.0),
        size: Some(20),
        truncated: false,
    };
    apiward::tui::panes::request::load::Loaded {
        dir: "/nonexistent/workspace".into(),
        exists: false,
        requests: vec![Stored {
            request: stored,
            path: "/nonexistent/workspace/requests/get-user.http".into(),
            index: 0,
            file_vars: Vec::new(),
        }],
        history: vec![entry],
        envs: vec![("local".into(), vars)],
        shared: Default::default(),
        problems: Vec::new(),
    }
}

pub(crate) fn request_app_with_response() -> App {
    let mut app = app();
    // The workspace's only environment is picked by itself.
    app.update(Msg::from(apiward::tui::panes::request::Msg::Loaded(Ok(
        Box::new(loaded_workspace()),
    ))));
    press(&mut app, KeyCode::Char('e'));
    for c in "{{base}}/users/42".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    // Ctrl-S mid-edit keeps the edit and sends; the loop would then deliver these two.
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    app.update(Msg::from(apiward::tui::panes::request::Msg::SendStarted(
        TaskId(1),
    )));
    app.update(Msg::from(apiward::tui::panes::request::Msg::Sent(Ok(
        Box::new(exchange_for_snapshot()),
    ))));
    app
}

#[test]
fn request_tab_empty_and_sending() {
    let mut app = app();
    app.update(Msg::from(apiward::tui::panes::request::Msg::Loaded(Ok(
        Box::new(loaded_workspace()),
    ))));
    insta::assert_snapshot!("request_loaded_80x24", draw(&app, 80, 24).backend());
    press(&mut app, KeyCode::Char('e'));
    for c in "http://127.0.0.1:9/slow".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    // Enter keeps the URL; ctrl-s sends.
    press(&mut app, KeyCode::Enter);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    )));
    app.update(Msg::from(apiward::tui::panes::request::Msg::SendStarted(
        TaskId(3),
    )));
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(screen.contains("Sending… esc cancels"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(
        app.take_effects().as_slice(),
        [.., apiward::tui::panes::Effect::CancelTask(TaskId(3))]
    ));
}

#[test]
fn request_tab_with_a_response() {
    let mut app = request_app_with_response();
    insta::assert_snapshot!("request_response_120x40", draw(&app, 120, 40).backend());
    insta::assert_snapshot!("request_response_80x24", draw(&app, 80, 24).backend());
    insta::assert_snapshot!("request_response_160x40", draw(&app, 160, 40).backend());
    // The other views: move into the response and step through them.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('>'));
    insta::assert_snapshot!("request_headers_120x40", draw(&app, 120, 40).backend());
    press(&mut app, KeyCode::Char('>'));
    press(&mut app, KeyCode::Char('>'));
    insta::assert_snapshot!("request_timing_120x40", draw(&app, 120, 40).backend());
    press(&mut app, KeyCode::Char('<'));
    press(&mut app, KeyCode::Char('<'));
    press(&mut app, KeyCode::Char('<'));
    press(&mut app, KeyCode::Char('<'));
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(screen.contains("cookie-no-httponly"), "{screen}");
    press(&mut app, KeyCode::Enter);
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(
        screen.contains("Add HttpOnly."),
        "the detail popup opens: {screen}"
    );
}

#[test]
fn request_tab_sends_tokens_and_urls_on() {
    let mut app = request_app_with_response();
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(app.tab(), apiward::tui::tabs::Tab::Jwt);
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(
        screen.contains("1234567890"),
        "the body's token is decoded: {screen}"
    );
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('A'));
    assert_eq!(app.tab(), apiward::tui::tabs::Tab::Audit);
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(
        screen.contains("http://127.0.0.1:8080/users/42"),
        "{screen}"
    );
}

/// 2026-01-01 00:00:00 UTC: the Keys tab's clock in snapshots.
pub(crate) const KEYS_NOW: i64 = 1_767_225_600;

/// A keyring with a key in every state, built with the core at fixed times: one retired, one
/// revoked, one retiring, one active and one next.
pub(crate) fn keyring_for_snapshot() -> apiward::keys::Keyring {
    use apiward::keys::{self, KeyEntry, Keyring, Policy};
    let day = 86_400;
    let t0 = KEYS_NOW - 200 * day;
    let mut ring = Keyring::new(Policy::default());
    let add = |ring: &mut Keyring, alg: &str, kid: &str, at: i64| {
        ring.add(KeyEntry::generate(alg, 2048, Some(kid.into()), at).unwrap())
            .unwrap();
    };
    add(&mut ring, "ES256", "k1-es256", t0);
    keys::promote(&mut ring, "k1-es256", t0, false).unwrap();
    add(&mut ring, "EdDSA", "k2-ed25519", t0 + 85 * day);
    keys::promote(&mut ring, "k2-ed25519", t0 + 90 * day, false).unwrap();
    keys::retire(&mut ring, "k1-es256", t0 + 91 * day, false).unwrap();
    add(&mut ring, "HS256", "k3-hs256", t0 + 100 * day);
    keys::revoke(&mut ring, "k3-hs256", "leaked in CI logs", t0 + 101 * day).unwrap();
    add(&mut ring, "ES256", "k4-es256", KEYS_NOW - 2 * day);
    keys::promote(&mut ring, "k4-es256", KEYS_NOW - 1800, false).unwrap();
    add(&mut ring, "EdDSA", "k5-ed25519", KEYS_NOW - 600);
    ring
}

fn keys_app() -> App {
    let mut app = app();
    app.set_unix_now(KEYS_NOW);
    app.set_workspace(Some("/nonexistent/workspace".into()));
    press(&mut app, KeyCode::Char('4'));
    app
}

#[test]
fn keys_tab_locked() {
    let mut app = keys_app();
    insta::assert_snapshot!("keys_locked_120x40", draw(&app, 120, 40).backend());
    insta::assert_snapshot!("keys_locked_80x24", draw(&app, 80, 24).backend());
    press(&mut app, KeyCode::Char('o'));
    assert!(
        app.status().unwrap().contains("n creates one"),
        "{:?}",
        app.status()
    );
}

#[test]
fn keys_tab_with_a_keyring_and_its_timeline() {
    let mut app = keys_app();
    // What the open job returns, without scrypt.
    app.update(Msg::from(apiward::tui::panes::keys::Msg::Opened(Ok(
        Box::new(keyring_for_snapshot()),
    ))));
    insta::assert_snapshot!("keys_open_120x40", draw(&app, 120, 40).backend());
    insta::assert_snapshot!("keys_open_80x24", draw(&app, 80, 24).backend());
    // The API-keys view, empty.
    press(&mut app, KeyCode::Char('a'));
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(screen.contains("No API keys yet"), "{screen}");
    press(&mut app, KeyCode::Char('a'));
    // The next key is not safe to promote yet: refused, with the force popup.
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Char('+'));
    assert!(
        app.status()
            .unwrap()
            .contains("not safe until 2026-01-01 00:50:00 UTC"),
        "{:?}",
        app.status()
    );
    insta::assert_snapshot!("keys_force_80x24", draw(&app, 80, 24).backend());
    press(&mut app, KeyCode::Esc);
    // A test token opens in the JWT tab.
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(app.tab(), apiward::tui::tabs::Tab::Jwt);
    let screen = format!("{}", draw(&app, 120, 40).backend());
    assert!(screen.contains("k4-es256"), "{screen}");
}

/// The whole path: a real keyring file, the passphrase typed into the masked prompt, the open
/// job on the task runner, its message back into the app.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_tab_opens_a_real_keyring_through_the_job() {
    use apiward::keys::{self, KeyEntry, Keyring, KeyringFile, Policy};
    use apiward::tui::panes::Effect;
    let dir = tempfile::tempdir().unwrap();
    let file = KeyringFile::new(keys::keyring_path(dir.path()), "open sesame").unwrap();
    let mut ring = Keyring::new(Policy::default());
    ring.add(KeyEntry::generate("ES256", 2048, Some("only".into()), KEYS_NOW).unwrap())
        .unwrap();
    keys::promote(&mut ring, "only", KEYS_NOW, false).unwrap();
    file.create(&ring).unwrap();

    let mut app = app();
    app.set_unix_now(KEYS_NOW);
    app.set_workspace(Some(dir.path().to_path_buf()));
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Char('o'));
    for c in "open sesame".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let screen = format!("{}", draw(&app, 80, 24).backend());
    assert!(!screen.contains("sesame"), "the prompt is masked: {screen}");
    press(&mut app, KeyCode::Enter);

    let (runner, _events) = apiward::tasks::TaskRunner::new(apiward::tasks::DEFAULT_CONCURRENCY);
    let emit: apiward::tui::jobs::Emit = std::sync::Arc::new(|_| {});
    let mut effects = app.take_effects();
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::Start(job) = effects.remove(0) else {
        panic!("not a job")
    };
    let msg = job.start(&runner, emit.clone()).await;
    app.update(msg);
    assert_eq!(
        app.keyring().map(|r| r.keys.len()),
        Some(1),
        "{:?}",
        app.status()
    );

    // A change is saved as a job, and the file then holds it.
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('n'));
    for c in "acme read".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let save = app
        .take_effects()
        .into_iter()
        .find_map(|e| match e {
            Effect::Start(job) => Some(job),
            _ => None,
        })
        .expect("a save job");
    let msg = save.start(&runner, emit).await;
    app.update(msg);
    assert_eq!(file.open().unwrap().api_keys.len(), 1);
}

#[test]
fn a_jwt_token_goes_to_the_request_tab_as_its_bearer_token() {
    let mut app = jwt_app();
    press(&mut app, KeyCode::Char('S'));
    assert_eq!(app.tab(), apiward::tui::tabs::Tab::Request);
    match &app.request_model().auth {
        apiward::http::Auth::Bearer { token } => assert_eq!(token, WEAK_TOKEN),
        other => panic!("auth is {other:?}"),
    }
}
