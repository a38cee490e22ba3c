//! Snapshots of the result views the other snapshot tests do not reach: the Audit tab's
//! report and batch table, the JWT tab's crack, probe and forge results, and the Request
//! tab's hex and search views. Each state is fed in as the job's message, as the loop
//! delivers it, from fixed inputs so the pictures are stable.

use std::collections::BTreeMap;

use apiward::audit::AuditReport;
use apiward::jwt::probe::{Answer, ProbeReport, ProbeResult, VariantVerdict};
use apiward::tui::app::Msg;
use apiward::tui::panes::{audit, jwt};
use apiward::tui::testing::{app, press, type_text};
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::tui_shell::{WEAK_TOKEN, jwt_app, request_app_with_response};

fn snapshot(app: &apiward::tui::app::App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    terminal
}

/// A report of a plain-HTTP target with a weak header set and a session cookie, judged by the
/// real header and cookie checks.
fn report(target: &str) -> AuditReport {
    let mut headers = http::HeaderMap::new();
    headers.insert("content-type", "text/html".parse().unwrap());
    headers.insert("x-frame-options", "SAMEORIGIN".parse().unwrap());
    let mut findings = apiward::audit::headers::check_headers(&headers, false);
    findings.extend(apiward::audit::cookies::check_cookies(&["sid=1; Path=/"]));
    let shown: BTreeMap<String, String> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    AuditReport {
        target: target.to_string(),
        score: Some(20),
        grade: Some("F".into()),
        tls_grade: None,
        overall_grade: Some("F".into()),
        findings,
        tls: None,
        headers: shown,
        redirects: Vec::new(),
        http_redirects: Vec::new(),
        cors: Vec::new(),
        tests: Vec::new(),
        final_url: Some(target.to_string()),
        status: Some(200),
        probe_timeouts: Vec::new(),
        body_cut_at: None,
        error: None,
        elapsed_ms: 120,
    }
}

#[test]
fn audit_report_and_batch_views() {
    let mut app = app();
    press(&mut app, KeyCode::Char('3'));
    let one = report("http://api.example/");
    app.update(Msg::from(audit::Msg::Audited(Ok(Box::new(one)))));
    insta::assert_snapshot!("audit_report_120x40", snapshot(&app, 120, 40).backend());

    let targets = vec![
        "http://api.example/".to_string(),
        "http://b.example/".into(),
    ];
    app.update(Msg::from(audit::Msg::BatchTargets(targets)));
    let first = report("http://api.example/");
    app.update(Msg::from(audit::Msg::BatchItem(Box::new(first))));
    insta::assert_snapshot!("audit_batch_120x40", snapshot(&app, 120, 40).backend());
}

fn answer(status: u16, length: usize) -> Answer {
    Answer {
        status: Some(status),
        length: Some(length),
        truncated: false,
        error: None,
    }
}

fn variant(attack: &str, status: u16, accepted: bool) -> ProbeResult {
    ProbeResult {
        attack: attack.into(),
        explanation: String::new(),
        answer: answer(status, 42),
        accepted,
        verdict: if accepted {
            VariantVerdict::Accepted
        } else {
            VariantVerdict::Rejected
        },
        reason: None,
        like_original: accepted,
    }
}

#[test]
fn jwt_crack_probe_and_forge_results() {
    let mut app = jwt_app();
    let secret = zeroize::Zeroizing::new(b"your-256-bit-secret".to_vec());
    app.update(Msg::from(jwt::Msg::Cracked(Ok(Some(secret)))));
    insta::assert_snapshot!("jwt_cracked_120x40", snapshot(&app, 120, 40).backend());

    let report = ProbeReport {
        url: "http://127.0.0.1:9/me".into(),
        original: answer(200, 42),
        no_token: answer(401, 12),
        protected: true,
        variants: vec![
            variant("alg-none", 401, false),
            variant("resign", 200, true),
            variant("claim-exp-past", 401, false),
        ],
        skipped: Vec::new(),
        jku: None,
        secret_strong: false,
    };
    app.update(Msg::from(jwt::Msg::Probed(Ok(Box::new(report)))));
    insta::assert_snapshot!("jwt_probe_120x40", snapshot(&app, 120, 40).backend());
    press(&mut app, KeyCode::Esc);

    // The none variants carry no signature, so their tokens are the same every run.
    let decoded = apiward::jwt::decode(WEAK_TOKEN).unwrap();
    let variants: Vec<_> = apiward::jwt::forge(&decoded, &Default::default())
        .unwrap()
        .into_iter()
        .filter(|v| v.attack.to_string().starts_with("alg-none"))
        .collect();
    assert!(!variants.is_empty());
    app.update(Msg::from(jwt::Msg::Forged(Ok(variants))));
    insta::assert_snapshot!("jwt_forge_120x40", snapshot(&app, 120, 40).backend());
}

#[test]
fn request_hex_and_search_views() {
    let mut app = request_app_with_response();
    // b: pretty, raw, hex.
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('b'));
    insta::assert_snapshot!("request_hex_120x40", snapshot(&app, 120, 40).backend());
    press(&mut app, KeyCode::Char('b'));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "id");
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("request_search_120x40", snapshot(&app, 120, 40).backend());
}

#[test]
fn the_palette_finds_and_runs_an_action_and_the_message_log_keeps_every_message() {
    let mut app = app();
    // ctrl-p opens the palette; typing filters it.
    app.update(Msg::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('p'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "audit");
    insta::assert_snapshot!("palette_80x24", snapshot(&app, 80, 24).backend());
    insta::assert_snapshot!("palette_120x40", snapshot(&app, 120, 40).backend());
    // Enter runs the first match on its own tab: the audit's URL prompt, here.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "audit a file");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), apiward::tui::tabs::Tab::Audit);
    press(&mut app, KeyCode::Esc);

    // Messages longer than the status bar are all in the log, in full.
    let long = format!("a long error: {}", "details ".repeat(30));
    app.update(Msg::Status(long.clone()));
    app.update(Msg::Status("the last word".into()));
    assert_eq!(app.messages(), &[long, "the last word".to_string()]);
    press(&mut app, KeyCode::Char('M'));
    insta::assert_snapshot!("message_log_80x24", snapshot(&app, 80, 24).backend());
    press(&mut app, KeyCode::Esc);
}

#[test]
fn a_new_request_is_marked_unsaved_and_nothing_drops_it_without_asking() {
    let mut app = app();
    app.update(Msg::from(apiward::tui::panes::request::Msg::Loaded(Ok(
        Box::new(crate::tui_shell::loaded_workspace()),
    ))));
    // ctrl-n: a blank request with its URL being typed; enter keeps it, sends nothing.
    app.update(Msg::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('n'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "http://127.0.0.1:9/new");
    press(&mut app, KeyCode::Enter);
    let sends = app.take_effects().into_iter().filter(|e| {
        matches!(e, apiward::tui::panes::Effect::Start(job)
        if job.peek::<apiward::tui::panes::request::RequestJob>().is_some_and(|j| {
            matches!(j, apiward::tui::panes::request::RequestJob::Send { .. })
        }))
    });
    assert_eq!(sends.count(), 0, "enter on the URL sends nothing");
    insta::assert_snapshot!(
        "request_new_unsaved_120x40",
        snapshot(&app, 120, 40).backend()
    );
    insta::assert_snapshot!(
        "request_new_unsaved_80x24",
        snapshot(&app, 80, 24).backend()
    );

    // Opening the saved request asks first; esc keeps the edit.
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Enter);
    assert!(
        app.status()
            .unwrap()
            .starts_with("Unsaved edits to the new request")
    );
    insta::assert_snapshot!(
        "request_unsaved_prompt_120x40",
        snapshot(&app, 120, 40).backend()
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.request_model().url, "http://127.0.0.1:9/new");

    // q asks too, and only a second q quits.
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.should_quit());
    assert!(
        app.status().unwrap().contains("q again quits"),
        "{:?}",
        app.status()
    );
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}

#[test]
fn d_drops_the_edit_and_opens_the_chosen_request() {
    let mut app = app();
    app.update(Msg::from(apiward::tui::panes::request::Msg::Loaded(Ok(
        Box::new(crate::tui_shell::loaded_workspace()),
    ))));
    app.update(Msg::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('n'),
        crossterm::event::KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "http://127.0.0.1:9/dropped");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(app.request_model().name, "get-user");
    // Nothing is unsaved now: q quits at once.
    press(&mut app, KeyCode::Char('q'));
    assert!(app.should_quit());
}
