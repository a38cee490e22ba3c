//! Key handling of the Request tab, without a terminal: actions and raw keys in, state and
//! effects out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::fields::{Field, Target};
use super::*;
use crate::http::{Auth, Exchange, Response, Row};
use crate::tasks::TaskError;

fn key(pane: &mut RequestPane, code: KeyCode) -> Option<Effect> {
    pane.on_key(&KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_text(pane: &mut RequestPane, text: &str) {
    for c in text.chars() {
        key(pane, KeyCode::Char(c));
    }
}

fn exchange(body: &str) -> Box<Exchange> {
    Box::new(Exchange {
        response: Response {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            url: "http://127.0.0.1/".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: bytes::Bytes::from(body.to_string()),
            ..Response::default()
        },
        findings: Vec::new(),
    })
}

#[test]
fn editing_the_url_then_sending_with_ctrl_s() {
    let mut pane = RequestPane::default();
    assert_eq!(pane.editor.current_field(), Field::Url);
    assert!(pane.on_action(Action::Edit).is_none());
    assert!(pane.is_editing());
    type_text(&mut pane, "http://127.0.0.1:9/x");
    // Enter keeps the field and sends nothing; ctrl-s sends.
    assert!(key(&mut pane, KeyCode::Enter).is_none());
    assert!(!pane.is_editing());
    assert!(pane.unsaved(), "a typed URL is an unsaved edit");
    let effect = pane.on_action(Action::RequestSend);
    assert!(
        matches!(effect, Some(Effect::Start(ref job)) if matches!(job.peek::<RequestJob>(), Some(RequestJob::Send { .. }))),
        "{effect:?}"
    );
    assert_eq!(pane.request().url, "http://127.0.0.1:9/x");
    assert!(matches!(
        pane.on_action(Action::RequestSend),
        Some(Effect::Status(_))
    ));
}

#[test]
fn esc_cancels_the_running_send_by_its_task_id() {
    let mut pane = RequestPane::default();
    pane.editor.request.url = "http://127.0.0.1:9/".into();
    assert!(pane.on_action(Action::RequestSend).is_some());
    pane.send_started(TaskId(7));
    assert!(matches!(
        pane.on_action(Action::Back),
        Some(Effect::CancelTask(TaskId(7)))
    ));
    pane.sent(Err(TaskError::Cancelled));
    assert!(
        pane.on_action(Action::Back).is_none(),
        "nothing left to cancel"
    );
}

#[test]
fn a_bad_url_is_reported_where_it_is() {
    let mut pane = RequestPane::default();
    pane.on_action(Action::Edit);
    type_text(&mut pane, "ftp://x");
    key(&mut pane, KeyCode::Enter);
    assert_eq!(pane.editor.problem.as_ref().unwrap().0, Target::Url);
}

#[test]
fn rows_are_added_toggled_and_deleted() {
    let mut pane = RequestPane::default();
    pane.on_action(Action::Down); // the query heading
    pane.on_action(Action::Down); // the headers heading
    assert_eq!(pane.editor.current_field(), Field::Header(None));
    pane.on_action(Action::RequestAddRow);
    type_text(&mut pane, "Accept: application/json");
    key(&mut pane, KeyCode::Enter);
    assert_eq!(
        pane.request().headers,
        [Row::new("Accept", "application/json")]
    );
    assert_eq!(pane.editor.current_field(), Field::Header(Some(0)));
    pane.on_action(Action::RequestToggleRow);
    assert!(!pane.request().headers[0].enabled);
    pane.on_action(Action::RequestDeleteRow);
    assert!(pane.request().headers.is_empty());
    // A row added and abandoned is not kept.
    pane.on_action(Action::RequestAddRow);
    key(&mut pane, KeyCode::Esc);
    assert!(pane.request().headers.is_empty());
}

#[test]
fn method_cycles_and_focus_moves_between_parts() {
    let mut pane = RequestPane::default();
    pane.on_action(Action::RequestMethod);
    assert_eq!(pane.request().method, "POST");
    pane.on_action(Action::Left);
    assert_eq!(pane.focus(), Focus::List);
    pane.on_action(Action::Right);
    pane.on_action(Action::Right);
    assert_eq!(pane.focus(), Focus::Response);
}

#[test]
fn response_views_switch_and_tokens_are_found() {
    let mut pane = RequestPane::default();
    pane.editor.request.auth = Auth::Bearer {
        token: "req-token".into(),
    };
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
    let effects = pane.sent(Ok(exchange(&format!(r#"{{"token":"{token}"}}"#))));
    assert!(effects.is_empty(), "a small body is formatted at once");
    assert!(
        pane.response
            .shown
            .as_ref()
            .unwrap()
            .body
            .as_ref()
            .unwrap()
            .json
    );
    assert_eq!(pane.token_to_inspect().as_deref(), Some("req-token"));
    pane.on_action(Action::Right);
    assert_eq!(pane.token_to_inspect().as_deref(), Some(token));
    pane.on_action(Action::RequestNextView);
    assert_eq!(
        pane.response.shown.as_ref().unwrap().view,
        response::View::Headers
    );
    pane.on_action(Action::RequestPrevView);
    pane.on_action(Action::RequestPrevView);
    assert_eq!(
        pane.response.shown.as_ref().unwrap().view,
        response::View::Findings
    );
}

#[test]
fn a_large_body_is_formatted_by_a_job() {
    let mut pane = RequestPane::default();
    let big = format!("[{}1]", "1,".repeat(formatted::INLINE_LIMIT));
    let effects = pane.sent(Ok(exchange(&big)));
    let seq = match effects.as_slice() {
        [Effect::Start(job)] => match job.peek::<RequestJob>() {
            Some(RequestJob::FormatBody { seq, .. }) => *seq,
            _ => panic!("{job:?}"),
        },
        other => panic!("{other:?}"),
    };
    assert!(pane.response.shown.as_ref().unwrap().body.is_none());
    pane.body_formatted(seq + 1, Ok(formatted::Formatted::default()));
    assert!(
        pane.response.shown.as_ref().unwrap().body.is_none(),
        "a stale answer is dropped"
    );
    pane.body_formatted(seq, Ok(formatted::format(b"[1]", true)));
    assert!(pane.response.shown.as_ref().unwrap().body.is_some());
}

/// The pane drawn alone, as text.
fn screen(pane: &RequestPane) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 30)).unwrap();
    let theme = crate::tui::theme::Theme::builtin_default();
    terminal.draw(|f| pane.draw(f, f.area(), &theme)).unwrap();
    terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect()
}

#[test]
fn a_failed_send_replaces_the_previous_body() {
    let mut pane = RequestPane::default();
    pane.sent(Ok(exchange(r#"{"previous":"answer"}"#)));
    assert!(screen(&pane).contains("previous"));
    pane.sent(Err(TaskError::Failed(
        anyhow::anyhow!("could not connect").into(),
    )));
    let shown = screen(&pane);
    assert!(
        shown.contains("The send failed: could not connect"),
        "{shown}"
    );
    assert!(!shown.contains("previous"), "{shown}");
}

#[test]
fn a_cancelled_send_is_not_a_failure() {
    let mut pane = RequestPane::default();
    pane.sent(Err(TaskError::Cancelled));
    let shown = screen(&pane);
    assert!(shown.contains("Send cancelled"), "{shown}");
    assert!(!shown.contains("failed"), "{shown}");
    // A response from before stays, said to be the previous one.
    pane.sent(Ok(exchange(r#"{"previous":"answer"}"#)));
    pane.sent(Err(TaskError::Cancelled));
    let shown = screen(&pane);
    assert!(
        shown.contains("Send cancelled; below is the previous response"),
        "{shown}"
    );
    assert!(shown.contains("previous\""), "{shown}");
    assert!(!shown.contains("failed"), "{shown}");
}
