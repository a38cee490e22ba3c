//! The Request tab with a 20 MB JSON response: the time from the last byte to the first
//! screen (the pane takes the exchange, the body is pretty-printed as the TUI's job does, one
//! frame is drawn), and the time of one scrolling frame deep in the body. It also prints the
//! memory the shown response holds against the body's size. Run: `cargo bench --bench tui_body`.

use std::hint::black_box;

use apiward::http::{Exchange, Response};
use apiward::tui::app::{App, Msg, PaneMsg};
use apiward::tui::keymap::Keymap;
use apiward::tui::panes::Effect;
use apiward::tui::panes::request::{Msg as RequestMsg, RequestJob, formatted};
use apiward::tui::theme::Theme;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// About 20 MB of API-shaped JSON on one line, as servers send it.
fn body_20mb() -> bytes::Bytes {
    let mut s = String::from("{\"items\":[");
    let mut i = 0u64;
    while s.len() < 20 * 1024 * 1024 {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"id\":{i},\"name\":\"user{i}\",\"email\":\"user{i}@example.test\",\"admin\":{},\"tags\":[\"a\",\"b\"],\"score\":{}.5}}",
            i.is_multiple_of(7),
            i % 1000
        ));
        i += 1;
    }
    s.push_str("]}");
    s.into()
}

fn exchange(body: bytes::Bytes) -> Exchange {
    Exchange {
        response: Response {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            url: "http://127.0.0.1:8080/items".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body,
            ..Response::default()
        },
        findings: Vec::new(),
    }
}

/// What the event loop does from the last byte to the first frame with the body on it.
fn first_screen(app: &mut App, terminal: &mut Terminal<TestBackend>, body: &bytes::Bytes) {
    let sent = RequestMsg::Sent(Ok(Box::new(exchange(body.clone()))));
    app.update(Msg::Pane(PaneMsg::Request(sent)));
    for effect in app.take_effects() {
        if let Effect::Start(job) = effect
            && let Some(RequestJob::FormatBody { seq, body, json }) = job.into_inner()
        {
            let formatted = RequestMsg::BodyFormatted(seq, Ok(formatted::format(&body, json)));
            app.update(Msg::Pane(PaneMsg::Request(formatted)));
        }
    }
    terminal.draw(|f| app.render(f)).unwrap();
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let body = body_20mb();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    let before = rss_kib();
    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    first_screen(&mut app, &mut terminal, &body);
    let held = rss_kib().saturating_sub(before);
    eprintln!(
        "body {:.1} MiB; RSS grew {:.1} MiB with the response shown ({:.2}x the body, the body itself included)",
        body.len() as f64 / 1048576.0,
        held as f64 / 1024.0,
        held as f64 * 1024.0 / body.len() as f64
    );

    let mut group = c.benchmark_group("tui_body_20mb");
    group.sample_size(10);
    group.bench_function("first_screen", |b| {
        b.iter(|| {
            let mut app = App::new(Theme::builtin_default(), Keymap::default());
            first_screen(&mut app, &mut terminal, black_box(&body));
        })
    });
    group.finish();

    // Deep in the body: every PageDown is a frame, as on screen.
    press(&mut app, KeyCode::End);
    terminal.draw(|f| app.render(f)).unwrap();
    c.bench_function("tui_body_20mb/scroll_frame", |b| {
        let mut up = true;
        b.iter(|| {
            press(
                &mut app,
                if up {
                    KeyCode::PageUp
                } else {
                    KeyCode::PageDown
                },
            );
            up = !up;
            terminal.draw(|f| app.render(f)).unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
