//! The Audit tab as a user drives it: options set in its form reach the audited server, and
//! its spec lint view shows what `apiward spec lint` reports on the same description (the
//! same rule ids in the same order, and `y` copies the CLI's own text), a description served
//! on 127.0.0.1 included, and one on another host refused before anything is fetched.

use std::path::{Path, PathBuf};

use apiward::tui::action::Action;
use apiward::tui::keymap::Keymap;
use apiward::tui::panes::audit::AuditPane;
use apiward::tui::panes::{Cx, Effect, Pane};
use apiward::tui::testing::{app, draw_at, press, run_jobs, text, type_text};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::harness::server::{Route, TestServer};
use crate::lab_support::{apiward, json_run};

fn weak() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/spec/weak.yaml")
}

#[test]
fn a_header_and_timeout_set_in_the_options_form_reach_the_audited_server() {
    let server = TestServer::http(vec![Route::echo("/")]);
    let mut app = app();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('o'));
    // timeout, certificates, CA file, judge at, concurrency, then the first header row.
    app.update(apiward::tui::app::Msg::Key(KeyEvent::new(
        KeyCode::Char('u'),
        KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "3");
    for _ in 0..5 {
        press(&mut app, KeyCode::Down);
    }
    type_text(&mut app, "X-Audit-Probe: from-the-form");
    press(&mut app, KeyCode::Down);
    type_text(&mut app, "Authorization: Bearer tab");
    let form = text(&draw_at(&app, 120, 40));
    assert!(form.contains("Audit options"), "{form}");
    press(&mut app, KeyCode::Enter);
    let target = text(&draw_at(&app, 120, 40));
    assert!(target.contains("2 headers · timeout 3 s"), "{target}");
    press(&mut app, KeyCode::Char('e'));
    type_text(&mut app, &server.url("/"));
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);

    let seen = server.requests();
    assert!(!seen.is_empty(), "the audit reached the server");
    for r in &seen {
        assert_eq!(
            r.headers.get("x-audit-probe").map(String::as_str),
            Some("from-the-form"),
            "on every request the audit sent: {} {}",
            r.method,
            r.path_and_query
        );
        assert_eq!(
            r.headers.get("authorization").map(String::as_str),
            Some("Bearer tab")
        );
    }
    let report = text(&draw_at(&app, 120, 40));
    assert!(report.contains("Grade"), "{report}");
}

/// The pane linting `source` as the loop would: `L`, the source typed, enter, the job run and
/// its message delivered. Returns the pane and the status lines it gave (only one, when it
/// refused the source before starting a job).
fn lint_in_pane(source: &str) -> (AuditPane, Vec<String>) {
    let keymap = Keymap::default();
    let board = apiward::tasks::TaskBoard::default();
    let mut pane = AuditPane::default();
    let mut effects = Vec::new();
    pane.handle_action(
        Action::AuditSpecLint,
        &mut Cx::new(&mut effects, &keymap, &board),
    );
    for c in source.chars() {
        pane.handle_key(
            &KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
            &mut Cx::new(&mut effects, &keymap, &board),
        );
    }
    pane.handle_key(
        &KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        &mut Cx::new(&mut effects, &keymap, &board),
    );
    let job = match effects.pop() {
        Some(Effect::Start(job)) => job,
        // Refused before a job: what the tab said.
        Some(Effect::Status(said)) => return (pane, vec![said]),
        _ => panic!("neither a lint job nor a word"),
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let msg = rt.block_on(async {
        let (runner, _events) = apiward::tasks::TaskRunner::new(2);
        job.start(&runner, std::sync::Arc::new(|_| {})).await
    });
    let apiward::tui::app::Msg::Pane(apiward::tui::msg::PaneMsg::Audit(msg)) = msg else {
        panic!("not the Audit tab's message: {msg:?}");
    };
    let mut effects = Vec::new();
    pane.update(msg, &mut Cx::new(&mut effects, &keymap, &board));
    let statuses = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Status(s) => Some(s),
            _ => None,
        })
        .collect();
    (pane, statuses)
}

#[test]
fn the_lint_view_has_the_clis_findings_and_copies_its_text() {
    let file = weak();
    let (code, cli) = json_run(apiward().args(["spec", "lint", "--json"]).arg(&file));
    assert_eq!(code, 0, "{cli}");
    let cli_ids: Vec<&str> = cli["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(cli_ids.len() > 40, "{}", cli_ids.len());

    let (mut pane, statuses) = lint_in_pane(&file.display().to_string());
    let lint = pane.lint().expect("the lint finished");
    let tab_ids: Vec<&str> = lint.findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(tab_ids, cli_ids, "the same rules, in the same order");
    let cli_evidence: Vec<&str> = cli["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["evidence"].as_str().unwrap())
        .collect();
    let tab_evidence: Vec<&str> = lint.findings.iter().map(|f| f.evidence.as_str()).collect();
    assert_eq!(tab_evidence, cli_evidence, "the same places");
    assert!(
        statuses
            .iter()
            .any(|s| s.contains(&format!("{} findings", cli_ids.len()))),
        "{statuses:?}"
    );

    // y copies what `apiward spec lint FILE` prints.
    let printed = apiward()
        .args(["spec", "lint"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(printed.status.code(), Some(0));
    let keymap = Keymap::default();
    let board = apiward::tasks::TaskBoard::default();
    let mut effects = Vec::new();
    pane.handle_action(Action::Copy, &mut Cx::new(&mut effects, &keymap, &board));
    let Some(Effect::Copy(copied)) = effects.pop() else {
        panic!("nothing copied");
    };
    assert_eq!(copied, String::from_utf8(printed.stdout).unwrap());
}

#[test]
fn a_description_on_this_machine_lints_and_one_elsewhere_is_refused_unfetched() {
    let served = std::fs::read(weak()).unwrap();
    let server = TestServer::http(vec![Route::new("/openapi.yaml").body(served)]);
    let (pane, _) = lint_in_pane(&server.url("/openapi.yaml"));
    let lint = pane.lint().expect("a loopback URL lints");
    assert!(lint.findings.len() > 40);
    assert_eq!(server.requests().len(), 1, "fetched once");

    // 192.0.2.0/24 is TEST-NET-1: the loader's guard refuses it before a task starts.
    let (pane, statuses) = lint_in_pane("http://192.0.2.1/openapi.yaml");
    assert!(pane.lint().is_none());
    assert!(
        statuses
            .iter()
            .any(|s| s.contains("is not on this machine") && s.contains("Audit tab")),
        "{statuses:?}"
    );
}

#[test]
fn the_lint_view_at_two_sizes() {
    let mut app = app();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('L'));
    // Relative to the crate root, where cargo runs the tests, so the snapshot is the same
    // in every checkout.
    type_text(&mut app, "tests/data/spec/weak.yaml");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    insta::assert_snapshot!(
        "audit_spec_lint_120x40",
        apiward::tui::testing::screen(&app, 120, 40)
    );
    insta::assert_snapshot!(
        "audit_spec_lint_80x24",
        apiward::tui::testing::screen(&app, 80, 24)
    );
    press(&mut app, KeyCode::Enter);
    let detail = text(&draw_at(&app, 120, 40));
    for part in ["Evidence", "Why it matters", "How to fix it", "#/"] {
        assert!(detail.contains(part), "{part}: {detail}");
    }
}

#[test]
fn the_options_form_and_the_lint_view_draw_at_any_size() {
    let mut app = app();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('L'));
    type_text(&mut app, "tests/data/spec/weak.yaml");
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let sizes = [(1, 1), (12, 4), (40, 10), (80, 24), (120, 40), (300, 100)];
    for (w, h) in sizes {
        draw_at(&app, w, h);
    }
    press(&mut app, KeyCode::Enter);
    for (w, h) in sizes {
        draw_at(&app, w, h);
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('o'));
    for _ in 0..8 {
        press(&mut app, KeyCode::Down);
    }
    type_text(&mut app, "X-A: 1");
    for (w, h) in sizes {
        draw_at(&app, w, h);
    }
    let form = text(&draw_at(&app, 80, 24));
    assert!(form.contains("X-A: 1"), "{form}");
    // A mistake keeps the form open; esc puts the options back as they were.
    press(&mut app, KeyCode::Up);
    type_text(&mut app, "broken");
    press(&mut app, KeyCode::Enter);
    assert!(text(&draw_at(&app, 120, 40)).contains("Audit options ·"));
    press(&mut app, KeyCode::Esc);
    let after = text(&draw_at(&app, 120, 40));
    assert!(
        !after.contains("Audit options ·") && !after.contains("1 header"),
        "{after}"
    );
}
