//! The JWT tab's key recovery driven by its keys: `r` and the second token start the job with
//! both tokens, the candidates are shown, `y` copies and `s` saves the PEM (the save job run
//! for real), `P` probes with the recovered keys, and bad input is one sentence.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::*;
use crate::jwt::keygen;
use crate::jwt::recover::{self, Quiet};
use crate::tasks::{TaskBoard, TaskError, TaskRunner};
use crate::tui::keymap::Keymap;
use crate::tui::msg::PaneMsg;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn token(pair: &keygen::KeyPair, sub: &str) -> String {
    jwt::sign::sign(
        &serde_json::Map::new(),
        &json!({"sub": sub}),
        pair.alg,
        &jwt::SigningKey::Pem(pair.private_pem.clone()),
    )
    .unwrap()
}

fn screen(pane: &JwtPane) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 40)).unwrap();
    let theme = crate::tui::theme::Theme::builtin_default();
    terminal.draw(|f| pane.draw(f, f.area(), &theme)).unwrap();
    let buffer = terminal.backend().buffer();
    buffer
        .content
        .chunks(buffer.area.width as usize)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

/// Runs a job of this pane on a real runner and hands its message back.
async fn run(job: JwtJob) -> Msg {
    let (runner, _events) = TaskRunner::new(2);
    match crate::tui::jobs::Job::new(job)
        .start(&runner, Arc::new(|_| {}))
        .await
    {
        crate::tui::msg::Msg::Pane(PaneMsg::Jwt(msg)) => msg,
        other => panic!("{other:?}"),
    }
}

fn started(effect: Option<Effect>) -> JwtJob {
    match effect {
        Some(Effect::Start(job)) => job.into_inner::<JwtJob>().expect("a JWT job"),
        other => panic!("expected a job, got {other:?}"),
    }
}

#[tokio::test]
async fn r_recovers_from_two_es256_tokens_then_copies_saves_and_probes_with_the_key() {
    let pair = keygen::generate("ES256").unwrap();
    let public = keygen::public_pem(&pair).unwrap();
    let (first, second) = (token(&pair, "alice"), token(&pair, "bob"));
    let workspace = tempfile::tempdir().unwrap();
    let mut pane = JwtPane::default();
    pane.set_workspace(Some(workspace.path().to_path_buf()));
    pane.load(&first);

    // r opens the second-token input; a paste goes into it, enter starts the job.
    assert!(pane.on_action(Action::JwtRecover).is_none());
    assert_eq!(pane.focus, Focus::Second);
    pane.on_paste(&format!("Bearer {second}\n"));
    let job = started(pane.on_key(&key(KeyCode::Enter)));
    let JwtJob::Recover { tokens } = &job else {
        panic!("{job:?}")
    };
    let raw: Vec<&str> = tokens.iter().map(|t| t.raw.as_str()).collect();
    assert_eq!(raw, [first.as_str(), second.as_str()]);
    assert!(screen(&pane).contains("recovering the EC key"));

    // The real job: its candidates open over the tab.
    let Msg::Recovered { tokens, result } = run(job).await else {
        panic!("not a recovery")
    };
    match pane.recovered(tokens, result) {
        Some(Effect::Status(s)) => assert!(s.contains("verifies both tokens"), "{s}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(pane.overlay, Overlay::Recovered);
    let candidate = pane.recovery.selected().unwrap().clone();
    assert_eq!(candidate.spki_pem, public);
    let shown = screen(&pane);
    assert!(shown.contains("Recovered public keys"), "{shown}");
    assert!(shown.contains("EC P-256"), "{shown}");
    assert!(shown.contains(&candidate.thumbprint), "{shown}");
    assert!(shown.contains("✓ verifies both tokens"), "{shown}");
    assert!(shown.contains("-----BEGIN PUBLIC KEY-----"), "{shown}");

    // y copies the selected key's PEM.
    match pane.on_action(Action::Copy) {
        Some(Effect::Copy(text)) => assert_eq!(text, public),
        other => panic!("{other:?}"),
    }

    // s saves it into the workspace, 0644, under the name recover-key --out gives it.
    let save = started(pane.on_action(Action::JwtSaveKey));
    let Msg::KeySaved(Ok(path)) = run(save).await else {
        panic!("the key was not saved")
    };
    assert_eq!(
        path,
        workspace
            .path()
            .join(format!("{}.spki.pem", candidate.thumbprint))
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), public);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    // r again with the same tokens shows the keys without a second 40 s job.
    pane.on_action(Action::Back);
    assert!(pane.on_action(Action::JwtRecover).is_none());
    assert_eq!(pane.overlay, Overlay::Recovered);

    // P from the list: the probe form carries the recovered key into the core setup.
    assert!(pane.on_action(Action::JwtProbe).is_none());
    assert_eq!(pane.focus, Focus::Probe);
    assert!(screen(&pane).contains(&candidate.thumbprint));
    for c in "http://127.0.0.1:9/me".chars() {
        pane.on_key(&key(KeyCode::Char(c)));
    }
    let JwtJob::Probe { request } = started(pane.on_key(&key(KeyCode::Enter))) else {
        panic!("not a probe")
    };
    let thumbprints: Vec<&str> = request
        .setup
        .recovered
        .iter()
        .map(|c| c.thumbprint.as_str())
        .collect();
    assert_eq!(thumbprints, [candidate.thumbprint.as_str()]);
}

#[test]
fn one_es256_token_is_enough_and_its_candidates_say_so() {
    let pair = keygen::generate("ES256").unwrap();
    let only = token(&pair, "alice");
    let mut pane = JwtPane::default();
    pane.load(&only);
    pane.on_action(Action::JwtRecover);
    let JwtJob::Recover { tokens } = started(pane.on_key(&key(KeyCode::Enter))) else {
        panic!("not a recovery")
    };
    assert_eq!(tokens.len(), 1);
    let found = recover::recover(&tokens, &Quiet).unwrap();
    pane.recovered(vec![only.clone()], Ok(found));
    let shown = screen(&pane);
    assert!(shown.contains("verifies the token"), "{shown}");
    if pane.recovery.candidates.len() > 1 {
        assert!(
            shown.contains("a second token from the same key"),
            "{shown}"
        );
    }
    let public = keygen::public_pem(&pair).unwrap();
    assert!(
        pane.recovery
            .candidates
            .iter()
            .any(|c| c.spki_pem == public)
    );
}

#[test]
fn tokens_that_give_no_key_away_are_one_sentence_and_start_nothing() {
    let rsa = keygen::generate("RS256").unwrap();
    let mut pane = JwtPane::default();
    pane.load(&token(&rsa, "alice"));
    pane.on_action(Action::JwtRecover);
    match pane.on_key(&key(KeyCode::Enter)) {
        Some(Effect::Status(s)) => assert!(s.contains("needs a second token"), "{s}"),
        other => panic!("{other:?}"),
    }
    // The inspected token again is no second signature.
    let first = pane.token().unwrap();
    pane.on_action(Action::JwtRecover);
    pane.on_paste(&first);
    match pane.on_key(&key(KeyCode::Enter)) {
        Some(Effect::Status(s)) => assert!(s.contains("different signature"), "{s}"),
        other => panic!("{other:?}"),
    }
    let hs = jwt::sign::sign(
        &serde_json::Map::new(),
        &json!({"sub": "a"}),
        "HS256",
        &jwt::SigningKey::Secret(b"k".to_vec()),
    )
    .unwrap();
    pane.load(&hs);
    pane.recovery.second.clear();
    pane.on_action(Action::JwtRecover);
    match pane.on_key(&key(KeyCode::Enter)) {
        Some(Effect::Status(s)) => assert!(s.contains("do not give their key away"), "{s}"),
        other => panic!("{other:?}"),
    }
    // s with nothing recovered says so.
    pane.overlay = Overlay::Recovered;
    match pane.on_action(Action::JwtSaveKey) {
        Some(Effect::Status(s)) => assert!(s.contains("No recovered key"), "{s}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cancelled_recovery_says_so_and_keeps_no_keys() {
    let pair = keygen::generate("ES256").unwrap();
    let first = token(&pair, "alice");
    let mut pane = JwtPane::default();
    pane.load(&first);
    let mut effects = Vec::new();
    let keymap = Keymap::default();
    let board = TaskBoard::default();
    let mut cx = Cx::new(&mut effects, &keymap, &board);
    pane.update(
        Msg::Recovered {
            tokens: vec![first],
            result: Err(TaskError::Cancelled),
        },
        &mut cx,
    );
    assert!(pane.recovery.candidates.is_empty());
    assert_eq!(pane.overlay, Overlay::None);
    let status = match effects.as_slice() {
        [Effect::Status(s)] => s.clone(),
        other => panic!("{other:?}"),
    };
    assert!(status.contains("cancelled"), "{status}");
    assert!(screen(&pane).contains("recovery cancelled"));
}
