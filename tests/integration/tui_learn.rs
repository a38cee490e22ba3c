//! The first run and the Learn tab on a TestBackend: the welcome screen over the workbench,
//! the lab's addresses arriving, and a lesson ticking off when the lab records its exploit.

use apiward::learn::{Course, LESSONS, LabUrls, Progress, Status};
use apiward::tui::app::{App, Msg};
use apiward::tui::keymap::Keymap;
use apiward::tui::msg::LabStarted;
use apiward::tui::panes::learn::Refreshed;
use apiward::tui::tabs::Tab;
use apiward::tui::testing::{press, screen};
use apiward::tui::theme::Theme;
use crossterm::event::KeyCode;

fn urls() -> LabUrls {
    LabUrls {
        http: "http://127.0.0.1:41000".into(),
        https: "https://127.0.0.1:41001".into(),
        ca: "/data/lab/ca.pem".into(),
        partner: "http://127.0.0.1:41002".into(),
    }
}

/// The app as `cargo run --release` builds it on a first run, before the lab is up.
fn first_run(dir: &std::path::Path) -> App {
    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    app.set_learning(Course::new(dir.join("sample"), dir.join("lab")), true, true);
    app.show_welcome();
    app
}

fn lab_started(app: &mut App, dir: &std::path::Path) {
    app.update(Msg::LabStarted(Ok(Box::new(LabStarted {
        urls: urls(),
        dir: dir.join("lab"),
        sample: dir.join("sample"),
        successes: Vec::new(),
        sample_error: None,
    }))));
}

#[test]
fn the_first_run_opens_on_the_welcome_screen_and_learns_the_lab_address() {
    // Nothing is read or written here (effects are not carried out): fixed paths keep the
    // snapshots stable.
    let dir = std::path::Path::new("/data/apiward");
    let mut app = first_run(dir);
    let before = screen(&app, 120, 40);
    assert!(before.contains("Welcome to apiward"), "{before}");
    assert!(before.contains("starting on loopback"), "{before}");
    lab_started(&mut app, dir);
    let shot = screen(&app, 120, 40);
    insta::assert_snapshot!("first_run_welcome_120x40", shot);
    assert!(shot.contains("http://127.0.0.1:41000"));
    // At 80x24 the text is cut at the bottom, but the two keys stay on the border.
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("Enter starts lesson 1 · Esc closes this"),
        "{small}"
    );
    insta::assert_snapshot!("first_run_welcome_80x24", small);
    // Keys other than Enter, Esc and q are held back while it is open.
    press(&mut app, KeyCode::Char('3'));
    assert_eq!(app.tab(), Tab::Request);
    press(&mut app, KeyCode::Enter);
    assert!(!app.welcome_open());
    assert_eq!(app.tab(), Tab::Learn);
    // Enter starts lesson 1: it is the one shown, and the status line says its first step.
    assert_eq!(app.learn().selected(), 0);
    let status = app.status().unwrap_or_default();
    assert!(
        status.starts_with("Lesson 1 started: Request tab (1)"),
        "{status}"
    );
    assert!(status.contains("http://127.0.0.1:41000/login"), "{status}");
}

#[test]
fn the_learn_tab_ticks_a_lesson_off_when_the_lab_records_its_exploit() {
    // Nothing is read or written here (effects are not carried out): fixed paths keep the
    // snapshots stable.
    let dir = std::path::Path::new("/data/apiward");
    let mut app = first_run(dir);
    lab_started(&mut app, dir);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('6'));
    let none = LESSONS.iter().position(|l| l.id == "jwt-none").unwrap();
    for _ in 0..none {
        press(&mut app, KeyCode::Down);
    }
    let mut statuses = vec![Status::NotYet; LESSONS.len()];
    app.update(Msg::from(apiward::tui::panes::learn::Msg::Refreshed(Ok(
        Box::new(Refreshed {
            statuses: statuses.clone(),
            progress: Progress::default(),
            urls: Some(urls()),
        }),
    ))));
    let before = screen(&app, 120, 40);
    assert!(before.contains("Not done yet"), "{before}");
    assert!(
        before.contains("http://127.0.0.1:41000/jwt/none/login"),
        "{before}"
    );
    statuses[none] = Status::Done(
        "the lab saw it: a forged token (alg none, role admin) was accepted on /jwt/none/admin"
            .into(),
    );
    app.update(Msg::from(apiward::tui::panes::learn::Msg::Refreshed(Ok(
        Box::new(Refreshed {
            statuses,
            progress: Progress::default(),
            urls: Some(urls()),
        }),
    ))));
    let shot = screen(&app, 120, 40);
    insta::assert_snapshot!("learn_tab_lesson_done_120x40", shot);
    assert!(shot.contains("Lessons 1/27"), "{shot}");
    assert!(
        app.status().is_some_and(|s| s.contains("done")),
        "{:?}",
        app.status()
    );
}
