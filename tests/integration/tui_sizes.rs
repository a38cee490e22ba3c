//! The size sweep: every tab, with something loaded in it, drawn at every terminal size from
//! 1x1 to 300x100 without a panic. A panic while drawing kills the workbench and can leave
//! the terminal in raw mode, and small or odd sizes are where layout arithmetic breaks.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use apiward::audit::{AuditOptions, audit};
use apiward::tui::app::{App, Msg};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::harness::{Route, TestCa, TestServer};
use crate::tui_shell::{
    KEYS_NOW, WEAK_TOKEN, keyring_for_snapshot, press, request_app_with_response,
};

/// Widths 1..=300 step 7 and heights 1..=100 step 3, plus the corners and the sizes people
/// report bugs at. Past 120x40, where every pane has room, only every third of those widths
/// and heights: the big sizes cost the most to draw and are the least likely to break, and
/// the full grid took most of a minute in a debug build.
fn sizes() -> Vec<(u16, u16)> {
    let widths = (1..=300).step_by(7).enumerate();
    let mut sizes: Vec<(u16, u16)> = widths
        .flat_map(|(i, w)| {
            (1..=100)
                .step_by(3)
                .enumerate()
                .filter(move |&(j, h)| w <= 120 || h <= 40 || (i % 3 == 0 && j % 3 == 0))
                .map(move |(_, h)| (w, h))
        })
        .collect();
    sizes.extend([
        (1, 1),
        (300, 100),
        (60, 15),
        (80, 24),
        (2, 2),
        (300, 1),
        (1, 100),
    ]);
    sizes
}

/// One screen of the sweep: its name, the keys that lead to it from the screen before, and
/// what a job would deliver then.
struct Screen {
    name: &'static str,
    keys: &'static [KeyCode],
    then: fn(&mut App),
}

fn nothing(_: &mut App) {}

/// The forge popup opens on its job's result.
fn forged(app: &mut App) {
    let token = apiward::jwt::decode(WEAK_TOKEN).unwrap();
    let forged = apiward::jwt::forge(&token, &Default::default())
        .map_err(|e| apiward::tasks::TaskError::Failed(anyhow::Error::from(e).into()));
    app.update(Msg::from(apiward::tui::panes::jwt::Msg::Forged(forged)));
}

/// Goes to `screen` from the screen before it.
fn enter(app: &mut App, screen: &Screen) {
    for &key in screen.keys {
        press(app, key);
    }
    (screen.then)(app);
}

const SCREENS: &[Screen] = &[
    Screen {
        name: "request with a response",
        keys: &[KeyCode::Char('1')],
        then: nothing,
    },
    Screen {
        name: "request response headers",
        keys: &[KeyCode::Right, KeyCode::Char('>')],
        then: nothing,
    },
    Screen {
        name: "request response timing",
        keys: &[KeyCode::Char('>'), KeyCode::Char('>')],
        then: nothing,
    },
    Screen {
        name: "jwt with a token",
        keys: &[KeyCode::Char('2')],
        then: nothing,
    },
    Screen {
        name: "jwt finding detail",
        keys: &[KeyCode::Enter],
        then: nothing,
    },
    Screen {
        name: "jwt verify input",
        keys: &[KeyCode::Esc, KeyCode::Char('v')],
        then: nothing,
    },
    Screen {
        name: "audit with a report",
        keys: &[KeyCode::Esc, KeyCode::Char('3')],
        then: nothing,
    },
    Screen {
        name: "audit finding detail",
        keys: &[KeyCode::Enter],
        then: nothing,
    },
    Screen {
        name: "keys with a keyring",
        keys: &[KeyCode::Esc, KeyCode::Char('4')],
        then: nothing,
    },
    Screen {
        name: "tasks",
        keys: &[KeyCode::Char('5')],
        then: nothing,
    },
    Screen {
        name: "learn",
        keys: &[KeyCode::Char('6')],
        then: nothing,
    },
    Screen {
        name: "help overlay",
        keys: &[KeyCode::Char('?')],
        then: nothing,
    },
    Screen {
        name: "jwt forge variants",
        keys: &[KeyCode::Esc, KeyCode::Char('2')],
        then: forged,
    },
];

/// A real audit of a plain HTTPS server: TLS details, a score and a handful of findings.
async fn audit_report() -> apiward::audit::AuditReport {
    let ca = TestCa::new("size sweep CA");
    let server = TestServer::https(
        vec![Route::new("/").header("set-cookie", "sid=1; Path=/")],
        &ca.issue(&["localhost", "127.0.0.1"]),
    );
    let opts = AuditOptions {
        timeout: Duration::from_secs(5),
        target_timeout: Duration::from_secs(15),
        ca_pem: Some(ca.cert_pem().into_bytes()),
        probe_tls_versions: false,
        ..AuditOptions::default()
    };
    audit(&server.localhost_url("/"), &opts).await
}

/// The app with something in every tab: a response, a token, an audit report, a keyring and
/// tasks.
async fn loaded_app() -> App {
    let mut app = request_app_with_response();
    app.set_unix_now(KEYS_NOW);
    press(&mut app, KeyCode::Char('2'));
    app.update(Msg::Paste(format!("Bearer {WEAK_TOKEN}")));
    press(&mut app, KeyCode::Char('3'));
    let report = audit_report().await;
    assert!(!report.findings.is_empty(), "{:?}", report.error);
    app.update(Msg::from(apiward::tui::panes::audit::Msg::Audited(Ok(
        Box::new(report),
    ))));
    app.set_workspace(Some("/nonexistent/workspace".into()));
    press(&mut app, KeyCode::Char('4'));
    app.update(Msg::from(apiward::tui::panes::keys::Msg::Opened(Ok(
        Box::new(keyring_for_snapshot()),
    ))));
    let t0 = Instant::now();
    app.set_now(t0);
    for event in crate::tui_shell::sample_task_events() {
        app.update(Msg::Task(event));
    }
    app.set_now(t0 + Duration::from_secs(2));
    press(&mut app, KeyCode::Char('1'));
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tab_draws_at_every_size_without_a_panic() {
    let mut app = loaded_app().await;
    let sizes = sizes();
    let mut failures = Vec::new();
    for screen in SCREENS {
        enter(&mut app, screen);
        for &(width, height) in &sizes {
            let drawn = catch_unwind(AssertUnwindSafe(|| {
                let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
                terminal.draw(|f| app.render(f)).unwrap();
            }));
            if drawn.is_err() {
                failures.push(format!("{} at {width}x{height}", screen.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} draws panicked, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sweep_draws_loaded_tabs() {
    // Guards the sweep itself: if the set-up stopped loading anything, it would test little.
    let mut app = loaded_app().await;
    let mut screens = Vec::new();
    for screen in SCREENS {
        enter(&mut app, screen);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| app.render(f)).unwrap();
        screens.push((screen.name, format!("{}", terminal.backend())));
    }
    let has = |name: &str, needle: &str| {
        let (_, text) = screens.iter().find(|(n, _)| *n == name).unwrap();
        assert!(text.contains(needle), "{name} lacks {needle:?}:\n{text}");
    };
    has("request with a response", "Ada");
    has("request response headers", "practice-api");
    has("jwt with a token", "1234567890");
    has("audit with a report", "localhost");
    has("keys with a keyring", "k4-es256");
    has("tasks", "crack HS256 token");
    has("learn", "Learn");
    has("jwt forge variants", "Forge");
}
