//! Key handling of the Keys tab, without scrypt: keyrings are built in memory and fed in as
//! the open job would.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::keys::Policy;

const NOW: i64 = 1_767_225_600; // 2026-01-01 00:00:00 UTC

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn typed(pane: &mut KeysPane, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        out.extend(pane.on_key(&key(KeyCode::Char(c))));
    }
    out.extend(pane.on_key(&key(KeyCode::Enter)));
    out
}

fn status_of(effects: &[Effect]) -> String {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Status(s) => Some(s.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// An active ES256 key and a next Ed25519 key published 10 minutes ago (not safe to promote).
fn ring() -> Keyring {
    let mut ring = Keyring::new(Policy::default());
    let a = KeyEntry::generate("ES256", 2048, Some("a".into()), NOW - 86_400).unwrap();
    ring.add(a).unwrap();
    keys::promote(&mut ring, "a", NOW - 86_400, false).unwrap();
    let b = KeyEntry::generate("EdDSA", 2048, Some("b".into()), NOW - 600).unwrap();
    ring.add(b).unwrap();
    ring
}

fn open_pane() -> KeysPane {
    let mut pane = KeysPane::default();
    pane.set_now(NOW);
    pane.opened(Ok(Box::new(ring())));
    pane
}

#[test]
fn locked_keys_point_to_open_and_create() {
    let dir = tempfile::tempdir().unwrap();
    let mut pane = KeysPane::default();
    pane.set_workspace(Some(dir.path().to_path_buf()));
    let effects = pane.on_action(Action::KeysOpen);
    assert!(status_of(&effects).contains("n creates one"));
    assert!(status_of(&pane.on_action(Action::KeysRotate)).contains("No keyring open"));

    pane.on_action(Action::KeysNew);
    assert_eq!(pane.prompt, Some(Prompt::NewPassphrase));
    assert!(typed(&mut pane, "correct horse").is_empty());
    assert_eq!(pane.prompt, Some(Prompt::RepeatPassphrase));
    let effects = typed(&mut pane, "correct hose");
    assert!(status_of(&effects).contains("differ"));
    assert_eq!(pane.prompt, Some(Prompt::NewPassphrase));
    typed(&mut pane, "correct horse");
    let effects = typed(&mut pane, "correct horse");
    assert!(
        matches!(effects.as_slice(), [Effect::Start(job)] if matches!(job.peek::<KeysJob>(), Some(KeysJob::Open { create: true, .. }))),
        "{effects:?}"
    );
    assert!(
        pane.secret.text().is_empty(),
        "the typed passphrase is cleared"
    );
    assert!(pane.first.is_empty());
    let debug = format!("{effects:?}");
    assert!(
        !debug.contains("horse"),
        "jobs never print the passphrase: {debug}"
    );
}

#[test]
fn a_wrong_passphrase_asks_again_by_the_error_kind() {
    let dir = tempfile::tempdir().unwrap();
    let path = keys::keyring_path(dir.path());
    let file = KeyringFile::new(path.clone(), "right").unwrap();
    open_or_create(&file, true).unwrap();
    let wrong = KeyringFile::new(path, "wrong").unwrap();
    let error = open_or_create(&wrong, false).unwrap_err();
    let mut pane = KeysPane::default();
    let effects = pane.opened(Err(crate::tasks::TaskError::Failed(
        anyhow::Error::from(error).into(),
    )));
    assert!(status_of(&effects).contains("type it again"), "{effects:?}");
    assert_eq!(pane.prompt, Some(Prompt::Passphrase));
}

#[test]
fn a_failed_open_drops_the_pending_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(keys::keyring_path(dir.path()), b"x").unwrap();
    let mut pane = KeysPane::default();
    pane.set_workspace(Some(dir.path().to_path_buf()));
    pane.on_action(Action::KeysOpen);
    assert_eq!(pane.prompt, Some(Prompt::Passphrase));
    let effects = typed(&mut pane, "pw");
    assert!(matches!(effects.as_slice(), [Effect::Start(_)]));
    assert!(matches!(pane.state, RingState::Opening(_)));
    let effects = pane.opened(Err(crate::tasks::TaskError::Failed(
        anyhow::anyhow!("the passphrase does not open the keyring").into(),
    )));
    assert!(status_of(&effects).contains("does not open"));
    assert!(matches!(pane.state, RingState::Locked));
}

#[test]
fn an_unsafe_promotion_is_refused_then_forced_with_f() {
    let mut pane = open_pane();
    pane.on_action(Action::Down);
    let effects = pane.on_action(Action::KeysPromote);
    let text = status_of(&effects);
    assert!(
        text.contains("not safe until 2026-01-01 00:50:00 UTC"),
        "{text}"
    );
    assert!(pane.is_editing(), "the force popup takes the next key");
    // Any key but f cancels.
    pane.on_key(&key(KeyCode::Esc));
    assert_eq!(pane.ring().unwrap().key("b").unwrap().state, KeyState::Next);
    pane.on_action(Action::KeysPromote);
    let effects = pane.on_key(&key(KeyCode::Char('f')));
    assert!(
        status_of(&effects).contains("in memory only"),
        "{effects:?}"
    );
    let ring = pane.ring().unwrap();
    assert_eq!(ring.key("b").unwrap().state, KeyState::Active);
    assert_eq!(ring.key("a").unwrap().state, KeyState::Retiring);
}

#[test]
fn retiring_the_active_key_needs_force() {
    let mut pane = open_pane();
    let effects = pane.on_action(Action::KeysRetire);
    assert!(status_of(&effects).contains("a is active"), "{effects:?}");
    assert!(matches!(pane.popup, Popup::Force { .. }));
    pane.on_key(&key(KeyCode::Char('f')));
    assert_eq!(
        pane.ring().unwrap().key("a").unwrap().state,
        KeyState::Retiring
    );
}

#[test]
fn generate_asks_for_the_algorithm_and_adds_the_result() {
    let mut pane = open_pane();
    pane.on_action(Action::KeysGenerate);
    assert_eq!(pane.prompt, Some(Prompt::Alg));
    pane.on_key(&key(KeyCode::Right));
    let effects = pane.on_key(&key(KeyCode::Enter));
    let [Effect::Start(job)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let Some(KeysJob::Generate { alg, purpose, .. }) = job.peek::<KeysJob>() else {
        panic!("{job:?}")
    };
    assert_eq!((alg.as_str(), *purpose), ("ES384", GenPurpose::Add));
    let entry = KeyEntry::generate("ES384", 2048, Some("c".into()), NOW).unwrap();
    let effects = pane.generated(GenPurpose::Add, Ok(Box::new(entry)));
    assert!(status_of(&effects).contains("c (ES384) generated"));
    assert_eq!(pane.ring().unwrap().keys.len(), 3);
    assert_eq!(pane.selected, 2);
}

#[test]
fn rotation_reports_what_is_not_safe_and_can_be_forced() {
    let mut pane = open_pane();
    // The rotation is not due for 89 days and the next key is not safe yet: nothing happens.
    let effects = pane.on_action(Action::KeysRotate);
    assert!(
        status_of(&effects).contains("Nothing is due"),
        "{effects:?}"
    );
    pane.set_now(NOW + 90 * 86_400);
    let RingState::Open(open) = &mut pane.state else {
        panic!("not open")
    };
    Arc::get_mut(&mut open.ring).unwrap().keys[1].published_at = Some(NOW + 90 * 86_400 - 60);
    let effects = pane.on_action(Action::KeysRotate);
    assert!(
        status_of(&effects).contains("not safe until"),
        "{effects:?}"
    );
    let effects = pane.on_key(&key(KeyCode::Char('f')));
    assert!(status_of(&effects).contains("Rotated"), "{effects:?}");
    assert_eq!(pane.ring().unwrap().active().unwrap().kid, "b");
}

#[test]
fn revoke_asks_for_a_reason() {
    let mut pane = open_pane();
    pane.on_action(Action::KeysRevoke);
    assert_eq!(pane.prompt, Some(Prompt::RevokeReason));
    let effects = typed(&mut pane, "leaked in a log");
    assert!(status_of(&effects).contains("revoked"), "{effects:?}");
    let a = pane.ring().unwrap().key("a").unwrap();
    assert_eq!(a.state, KeyState::Revoked);
    assert_eq!(a.revoke_reason.as_deref(), Some("leaked in a log"));
}

#[test]
fn an_api_key_is_shown_once_and_copied_with_y() {
    let mut pane = open_pane();
    pane.on_action(Action::KeysApiView);
    pane.on_action(Action::KeysNew);
    typed(&mut pane, "acme read:users write");
    let Popup::Issued { key: issued, .. } = &pane.popup else {
        panic!("no popup")
    };
    let issued = issued.to_string();
    assert!(issued.starts_with("acme_"));
    let record = &pane.ring().unwrap().api_keys[0];
    assert_eq!(record.scopes, ["read:users", "write"]);
    assert!(issued.ends_with(&record.last4));
    let effects = pane.on_key(&key(KeyCode::Char('y')));
    assert!(matches!(effects.as_slice(), [Effect::Copy(k)] if *k == issued));
    pane.on_key(&key(KeyCode::Esc));
    assert!(matches!(pane.popup, Popup::None));
    // X asks for the reason first: nothing is revoked until it is given.
    pane.on_action(Action::KeysRevoke);
    assert_eq!(pane.ring().unwrap().api_keys[0].status(NOW), "valid");
    assert_eq!(pane.prompt, Some(Prompt::RevokeReason));
    let effects = typed(&mut pane, "");
    assert!(
        status_of(&effects).contains("needs a reason"),
        "{effects:?}"
    );
    typed(&mut pane, "leaked in a log");
    let record = &pane.ring().unwrap().api_keys[0];
    assert_eq!(record.status(NOW), "revoked");
    assert_eq!(record.revoke_reason.as_deref(), Some("leaked in a log"));
}

#[test]
fn copies_jwks_and_public_keys_but_no_secret() {
    let mut pane = open_pane();
    let effects = pane.on_action(Action::KeysCopyJwks);
    let [Effect::Copy(jwks)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(jwks.contains("\"kid\": \"a\"") && jwks.contains("\"kid\": \"b\""));
    assert!(!jwks.contains("\"d\""), "no private member");
    let effects = pane.on_action(Action::Copy);
    assert!(matches!(effects.as_slice(), [Effect::Copy(jwk)] if jwk.contains("P-256")));
}

#[test]
fn a_change_copies_no_key_and_the_save_job_shares_the_ring() {
    let dir = tempfile::tempdir().unwrap();
    let mut pane = open_pane();
    let file = KeyringFile::new(keys::keyring_path(dir.path()), "pw").unwrap();
    let RingState::Open(open) = &mut pane.state else {
        panic!("not open")
    };
    open.file = Some(Arc::new(file));
    let before = open.ring.clone();
    pane.on_action(Action::KeysRevoke);
    let effects = typed(&mut pane, "leaked");
    let Some(Effect::Start(job)) = effects.iter().find(|e| matches!(e, Effect::Start(_))) else {
        panic!("no save: {effects:?}")
    };
    let Some(KeysJob::Save { ring: saved, .. }) = job.peek::<KeysJob>() else {
        panic!("{job:?}")
    };
    let open = &pane.open_ring().unwrap().ring;
    assert!(
        Arc::ptr_eq(saved, open),
        "the job saves the open ring, not a copy"
    );
    assert_eq!(open.key("a").unwrap().state, KeyState::Revoked);
    for (new, old) in open.keys.iter().zip(&before.keys) {
        assert!(new.shares_secret_with(old), "{} was copied", new.kid);
    }
}

#[test]
fn the_test_token_is_signed_by_the_active_key() {
    let pane = open_pane();
    let token = pane.test_token().unwrap();
    let decoded = crate::jwt::decode(&token).unwrap();
    assert_eq!(decoded.header["kid"], "a");
    let payload = decoded.payload.unwrap();
    assert_eq!(payload["sub"], "test");
    assert_eq!(payload["exp"], NOW + 900);
    assert!(KeysPane::default().test_token().is_err());
}

#[test]
fn lock_forgets_the_keyring() {
    let mut pane = open_pane();
    pane.on_action(Action::KeysLock);
    assert!(!pane.is_open());
    assert!(matches!(pane.state, RingState::Locked));
}

#[test]
fn the_open_job_creates_then_opens_a_real_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let path = keys::keyring_path(dir.path());
    let file = KeyringFile::new(path.clone(), "pw").unwrap();
    let ring = open_or_create(&file, true).unwrap();
    assert!(ring.keys.is_empty() && path.exists());
    assert!(
        open_or_create(&file, true).is_err(),
        "never replaces a keyring"
    );
    assert_eq!(
        open_or_create(&file, false).unwrap().policy,
        Policy::default()
    );
    let wrong = KeyringFile::new(path, "nope").unwrap();
    assert!(matches!(
        open_or_create(&wrong, false),
        Err(KeysError::WrongPassphrase(_))
    ));
}

/// Prompts open empty, each recalls its own last value with ctrl-r, a passphrase is never
/// offered back, and a rejected value keeps its prompt open.
#[test]
fn prompts_open_empty_and_recall_their_own_last_value() {
    let ctrl_r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
    let mut pane = open_pane();
    pane.on_action(Action::KeysRevoke);
    for c in "rotated out".chars() {
        pane.on_key(&key(KeyCode::Char(c)));
    }
    pane.on_key(&key(KeyCode::Esc));
    pane.on_action(Action::KeysRevoke);
    assert_eq!(pane.reason.text(), "", "opens empty");
    pane.on_key(&ctrl_r);
    assert_eq!(pane.reason.text(), "rotated out");
    pane.on_key(&key(KeyCode::Esc));
    // The API key prompt has its own last value, not the reason.
    pane.on_action(Action::KeysApiView);
    pane.on_action(Action::KeysNew);
    pane.on_key(&ctrl_r);
    assert_eq!(pane.input.text(), "");
    let effects = typed(&mut pane, "   ");
    assert!(
        status_of(&effects).contains("needs a prefix"),
        "{effects:?}"
    );
    assert_eq!(pane.prompt, Some(Prompt::ApiKey), "kept open");
    pane.on_key(&key(KeyCode::Esc));
    // A passphrase is wiped, never offered back.
    let mut pane = KeysPane::default();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(keys::keyring_path(dir.path()), b"x").unwrap();
    pane.set_workspace(Some(dir.path().to_path_buf()));
    pane.on_action(Action::KeysOpen);
    assert_eq!(pane.prompt, Some(Prompt::Passphrase));
    let effects = typed(&mut pane, "");
    assert!(status_of(&effects).contains("empty"), "{effects:?}");
    assert_eq!(pane.prompt, Some(Prompt::Passphrase), "kept open");
    for c in "hunter2".chars() {
        pane.on_key(&key(KeyCode::Char(c)));
    }
    pane.on_key(&key(KeyCode::Esc));
    pane.on_action(Action::KeysOpen);
    pane.on_key(&ctrl_r);
    assert_eq!(pane.secret.text(), "");
    assert!(!pane.secret.can_recall());
}
