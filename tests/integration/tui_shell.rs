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

fn app() -> App {
    App::new(Theme::builtin_default(), Keymap::default())
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

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

#[test]
fn tasks_tab_with_running_failed_and_done_tasks() {
    let mut app = app();
    let t0 = Instant::now();
    let events = [
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
    ];
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

const WEAK_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

fn jwt_app() -> App {
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
