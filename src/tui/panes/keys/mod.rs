//! The Keys tab: the encrypted keyring's signing keys with their state, age and next step, a
//! rotation timeline, the lifecycle actions, the public JWKS, and API keys.
//!
//! Opening, saving and generating run as jobs (scrypt and RSA are slow). Every change is made
//! on a copy of the keyring, which replaces it only when the core accepts the change, and is
//! then saved. The copy holds no key material of its own: its entries share their secrets
//! with the open ring (see [`KeyEntry`]). The open ring sits behind an `Arc`, which is what
//! the save job gets. The passphrase lives only inside the [`KeyringFile`] while the keyring
//! is open; it is never drawn (the prompt is masked) or logged, and the prompt's buffer is
//! wiped.

mod jobs;
pub mod msg;
mod timeline;
mod view;

pub use jobs::{KeysJob, open_or_create};
pub use msg::{GenPurpose, Msg};

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

use super::{Cx, Effect, Pane, View};
use crate::keys::{
    self, KeyEntry, KeyState, Keyring, KeyringFile, KeysError, StepReport, lifecycle, material,
};
use crate::tui::action::{Action, Context};
use crate::tui::widgets::input::{InputOutcome, TextInput};

/// The lifetime of a test token.
const TEST_TOKEN_SECS: i64 = 15 * 60;

/// The algorithm the generate prompt starts on.
const DEFAULT_ALG: &str = "ES256";

/// Which prompt has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prompt {
    /// The passphrase of an existing keyring.
    Passphrase,
    /// A new keyring's passphrase, then the same again.
    NewPassphrase,
    RepeatPassphrase,
    /// The algorithm of a new key, chosen from a list.
    Alg,
    /// Why the selected key is revoked.
    RevokeReason,
    /// A new API key's prefix and scopes.
    ApiKey,
}

/// A step the core refused as unsafe, which the user may force.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Forceable {
    Promote(String),
    Retire(String),
    Rotate,
}

/// A window over the tab.
enum Popup {
    None,
    /// The core's refusal; `f` forces the step.
    Force {
        op: Forceable,
        message: String,
    },
    /// A newly issued API key: the only time it is shown.
    Issued {
        key: Zeroizing<String>,
        id: String,
    },
}

/// Where the keyring stands. Each state holds only what it needs, so an open ring without
/// its save state, or a file being opened beside an open ring, cannot be written.
enum RingState {
    Locked,
    /// The open (or create) job runs with this file, which holds the passphrase.
    Opening(Arc<KeyringFile>),
    Open(OpenRing),
}

struct OpenRing {
    /// The file, which holds the passphrase; `None` for a ring held in memory only.
    file: Option<Arc<KeyringFile>>,
    /// Shared with a running save job, which writes this very ring.
    ring: Arc<Keyring>,
    save: SaveState,
}

/// Whether the open ring is on disk. One save runs at a time, so an older copy never
/// lands last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SaveState {
    Saved,
    /// A save job runs; `again`: the ring changed since it started, so another follows.
    Saving {
        again: bool,
    },
    /// A change is not on disk: its save failed, or there is no file.
    Unsaved,
}

pub struct KeysPane {
    /// The workspace given on the command line, if any.
    workspace: Option<PathBuf>,
    /// The keyring file, once known.
    path: Option<PathBuf>,
    state: RingState,
    now: i64,
    prompt: Option<Prompt>,
    /// A new API key's prefix and scopes.
    input: TextInput,
    /// Why a key is revoked: its own input, so each prompt recalls its own last value.
    reason: TextInput,
    /// Passphrases: masked, wiped after each entry and never offered back.
    secret: TextInput,
    /// A new passphrase's first entry, until it is repeated.
    first: Zeroizing<String>,
    alg: usize,
    selected: usize,
    api_view: bool,
    api_selected: usize,
    popup: Popup,
    /// What runs in the background for this tab, for the screen.
    busy: Option<String>,
}

impl Default for KeysPane {
    fn default() -> Self {
        Self {
            workspace: None,
            path: None,
            state: RingState::Locked,
            now: 0,
            prompt: None,
            input: TextInput::default(),
            reason: TextInput::default(),
            secret: TextInput::masked(),
            first: Zeroizing::new(String::new()),
            alg: material::ALGS
                .iter()
                .position(|a| *a == DEFAULT_ALG)
                .unwrap_or(0),
            selected: 0,
            api_view: false,
            api_selected: 0,
            popup: Popup::None,
            busy: None,
        }
    }
}

fn status(text: impl Into<String>) -> Vec<Effect> {
    vec![Effect::Status(text.into())]
}

impl KeysPane {
    /// The workspace folder from the command line; `None`: the default one, found on first use.
    pub fn set_workspace(&mut self, dir: Option<PathBuf>) {
        self.path = dir.as_deref().map(keys::keyring_path);
        self.workspace = dir;
    }

    /// The wall clock (unix seconds) that ages and plans are computed at.
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    pub fn is_open(&self) -> bool {
        matches!(self.state, RingState::Open(_))
    }

    fn open_ring(&self) -> Option<&OpenRing> {
        match &self.state {
            RingState::Open(open) => Some(open),
            _ => None,
        }
    }

    pub fn ring(&self) -> Option<&Keyring> {
        self.open_ring().map(|open| &*open.ring)
    }

    /// The open ring itself, for the JWT tab to hold weakly: it verifies tokens with it.
    pub fn shared_ring(&self) -> Option<&Arc<Keyring>> {
        self.open_ring().map(|open| &open.ring)
    }

    /// A copy of the open ring to change: it replaces the ring (see [`KeysPane::commit`]) only
    /// when the core accepts the change. Its keys share their secrets with the open ring's.
    fn working_copy(&self) -> Option<Keyring> {
        self.ring().cloned()
    }

    /// The keyring file, found in the workspace the first time it is needed.
    fn resolve_path(&mut self) -> Option<PathBuf> {
        if self.path.is_none() {
            self.path = crate::paths::workspace(self.workspace.as_deref())
                .map(|dir| keys::keyring_path(&dir));
        }
        self.path.clone()
    }

    fn selected_key(&self) -> Option<&KeyEntry> {
        self.ring()?.keys.get(self.selected)
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        match self.prompt {
            Some(Prompt::Passphrase | Prompt::NewPassphrase | Prompt::RepeatPassphrase) => {
                self.secret.insert_str(text.trim_end_matches(['\n', '\r']));
                Vec::new()
            }
            Some(Prompt::RevokeReason) => {
                self.reason.insert_str(text.trim());
                Vec::new()
            }
            Some(Prompt::ApiKey) => {
                self.input.insert_str(text.trim());
                Vec::new()
            }
            _ => status("The Keys tab takes text only in its prompts"),
        }
    }

    fn on_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        match std::mem::replace(&mut self.popup, Popup::None) {
            Popup::None => {}
            Popup::Force { op, .. } if key.code == KeyCode::Char('f') => {
                return self.run_forceable(op, true);
            }
            Popup::Force { .. } => return status("Not forced: nothing changed"),
            Popup::Issued { key: secret, id } if key.code == KeyCode::Char('y') => {
                let copy = secret.to_string();
                self.popup = Popup::Issued { key: secret, id };
                return vec![Effect::Copy(copy)];
            }
            Popup::Issued { .. } => {
                return status("The API key is not shown again; only its hash is kept");
            }
        }
        let Some(prompt) = self.prompt else {
            return Vec::new();
        };
        if prompt == Prompt::Alg {
            let n = material::ALGS.len();
            match key.code {
                KeyCode::Left | KeyCode::Up | KeyCode::BackTab => self.alg = (self.alg + n - 1) % n,
                KeyCode::Right | KeyCode::Down | KeyCode::Tab | KeyCode::Char(' ') => {
                    self.alg = (self.alg + 1) % n
                }
                KeyCode::Enter => {
                    self.prompt = None;
                    let alg = material::ALGS[self.alg].to_string();
                    self.busy = Some(format!("Generating a {alg} key…"));
                    return vec![Effect::start(KeysJob::Generate {
                        alg,
                        bits: keys::DEFAULT_RSA_BITS,
                        now: self.now,
                        purpose: GenPurpose::Add,
                    })];
                }
                KeyCode::Esc => self.prompt = None,
                _ => {}
            }
            return Vec::new();
        }
        let masked = matches!(
            prompt,
            Prompt::Passphrase | Prompt::NewPassphrase | Prompt::RepeatPassphrase
        );
        let input = match prompt {
            _ if masked => &mut self.secret,
            Prompt::RevokeReason => &mut self.reason,
            _ => &mut self.input,
        };
        match input.handle_key(key) {
            InputOutcome::Changed => Vec::new(),
            InputOutcome::Cancel => {
                self.prompt = None;
                self.secret.clear();
                self.first = Zeroizing::new(String::new());
                Vec::new()
            }
            InputOutcome::Submit => {
                self.prompt = None;
                if masked {
                    let text = Zeroizing::new(self.secret.text().to_string());
                    self.secret.clear();
                    self.passphrase_entered(prompt, text)
                } else {
                    // The text stays until the prompt opens again, which offers it to ctrl-r.
                    match prompt {
                        Prompt::RevokeReason => {
                            let text = self.reason.text().trim().to_string();
                            self.revoke(&text)
                        }
                        _ => {
                            let text = self.input.text().trim().to_string();
                            self.issue_api_key(&text)
                        }
                    }
                }
            }
        }
    }

    fn passphrase_entered(&mut self, prompt: Prompt, text: Zeroizing<String>) -> Vec<Effect> {
        if text.is_empty() {
            self.prompt = Some(prompt);
            return status("The passphrase is empty: type it (esc cancels)");
        }
        let create = match prompt {
            Prompt::NewPassphrase => {
                self.first = text;
                self.prompt = Some(Prompt::RepeatPassphrase);
                return Vec::new();
            }
            Prompt::RepeatPassphrase => {
                let same = *self.first == *text;
                self.first = Zeroizing::new(String::new());
                if !same {
                    self.prompt = Some(Prompt::NewPassphrase);
                    return status("The two passphrases differ; enter it again");
                }
                true
            }
            _ => false,
        };
        let Some(path) = self.resolve_path() else {
            return status("No workspace folder: start apiward with --workspace DIR");
        };
        match KeyringFile::new(path, &text) {
            Ok(file) => {
                let file = Arc::new(file);
                self.state = RingState::Opening(file.clone());
                self.busy = Some(if create {
                    "Creating the keyring…".into()
                } else {
                    "Opening the keyring…".into()
                });
                vec![Effect::start(KeysJob::Open { file, create })]
            }
            Err(e) => status(e.to_string()),
        }
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        if action == Action::KeysSignTest {
            return match self.test_token() {
                Ok(token) => vec![
                    Effect::InspectToken(token),
                    Effect::Status("Test token signed by the active key (sub test, 15 min)".into()),
                ],
                Err(e) => status(e),
            };
        }
        let Some(ring) = self.ring() else {
            return self.locked_action(action);
        };
        let last = if self.api_view {
            ring.api_keys.len()
        } else {
            ring.keys.len()
        }
        .saturating_sub(1);
        let selected = if self.api_view {
            &mut self.api_selected
        } else {
            &mut self.selected
        };
        match action {
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Down => *selected = (*selected + 1).min(last),
            Action::Top => *selected = 0,
            Action::Bottom => *selected = last,
            Action::PageUp => *selected = selected.saturating_sub(10),
            Action::PageDown => *selected = (*selected + 10).min(last),
            Action::KeysApiView => self.api_view = !self.api_view,
            Action::KeysLock => return self.lock(),
            Action::KeysOpen => return status("The keyring is open; L closes it"),
            Action::KeysCopyJwks => {
                let Some(ring) = self.ring() else {
                    return Vec::new();
                };
                let jwks = keys::jwks::public_jwks(ring);
                return vec![Effect::Copy(
                    serde_json::to_string_pretty(&jwks).unwrap_or_default(),
                )];
            }
            _ if self.api_view => return self.api_action(action),
            Action::KeysGenerate => self.prompt = Some(Prompt::Alg),
            Action::KeysRotate => return self.rotate(false, None),
            Action::KeysPromote | Action::KeysRetire => {
                let Some(kid) = self.selected_key().map(|k| k.kid.clone()) else {
                    return status("No key selected: g generates one");
                };
                let op = if action == Action::KeysPromote {
                    Forceable::Promote(kid)
                } else {
                    Forceable::Retire(kid)
                };
                return self.run_forceable(op, false);
            }
            Action::KeysRevoke => match self.selected_key() {
                None => return status("No key selected"),
                Some(k) if k.state == KeyState::Revoked => {
                    return status(format!("{} is already revoked", k.kid));
                }
                Some(_) => {
                    self.reason.open();
                    self.prompt = Some(Prompt::RevokeReason);
                }
            },
            Action::Copy => {
                return match self.selected_key() {
                    None => status("No key selected"),
                    Some(k) => match &k.public_jwk {
                        Some(jwk) => vec![Effect::Copy(
                            serde_json::to_string_pretty(jwk).unwrap_or_default(),
                        )],
                        None => status(format!(
                            "{} is an HMAC key: it has no public key and is never published",
                            k.kid
                        )),
                    },
                };
            }
            Action::KeysNew => return status("a shows the API keys, where n issues one"),
            _ => {}
        }
        Vec::new()
    }

    fn locked_action(&mut self, action: Action) -> Vec<Effect> {
        if !matches!(action, Action::KeysOpen | Action::KeysNew) {
            return if matches!(
                action,
                Action::Up | Action::Down | Action::Top | Action::Bottom | Action::Select
            ) {
                Vec::new()
            } else {
                status("No keyring open: o opens it, n creates one")
            };
        }
        if let Some(busy) = &self.busy {
            return status(busy.clone());
        }
        let Some(path) = self.resolve_path() else {
            return status("No workspace folder: start apiward with --workspace DIR");
        };
        let exists = path.exists();
        match (action, exists) {
            (Action::KeysOpen, true) => self.prompt = Some(Prompt::Passphrase),
            (Action::KeysOpen, false) => {
                return status(format!(
                    "There is no keyring at {}: n creates one",
                    path.display()
                ));
            }
            (_, true) => {
                return status(format!(
                    "A keyring already exists at {}: o opens it",
                    path.display()
                ));
            }
            (_, false) => self.prompt = Some(Prompt::NewPassphrase),
        }
        self.secret.clear();
        Vec::new()
    }

    fn api_action(&mut self, action: Action) -> Vec<Effect> {
        let record = self
            .ring()
            .and_then(|r| r.api_keys.get(self.api_selected))
            .map(|r| r.id.clone());
        match action {
            Action::KeysNew => {
                self.input.open();
                self.prompt = Some(Prompt::ApiKey);
                Vec::new()
            }
            // Asked first, with the reason, as for signing keys: a revoked key stays dead.
            Action::KeysRevoke => {
                let Some(id) = record else {
                    return status("No API key selected");
                };
                let revoked = self
                    .ring()
                    .and_then(|r| r.api_keys.get(self.api_selected))
                    .is_some_and(|r| r.revoked_at.is_some());
                if revoked {
                    return status(format!("API key {id} is already revoked"));
                }
                self.reason.open();
                self.prompt = Some(Prompt::RevokeReason);
                status(format!(
                    "Revoking API key {id}: type why and press enter; esc keeps it"
                ))
            }
            Action::Copy => match record {
                Some(id) => vec![Effect::Copy(id)],
                None => status("No API key selected"),
            },
            Action::Select | Action::Back => Vec::new(),
            _ => status("That works on signing keys: a shows them"),
        }
    }

    fn issue_api_key(&mut self, text: &str) -> Vec<Effect> {
        let mut words = text.split_whitespace();
        let Some(prefix) = words.next() else {
            self.prompt = Some(Prompt::ApiKey);
            return status("An API key needs a prefix, such as 'acme' (esc cancels)");
        };
        let scopes: Vec<String> = words.map(String::from).collect();
        let Some(mut ring) = self.working_copy() else {
            return status("No keyring open");
        };
        match keys::apikey::issue(&mut ring, prefix, &scopes, None, self.now) {
            Ok(issued) => {
                let id = issued.record.id.clone();
                self.api_selected = ring.api_keys.len().saturating_sub(1);
                let effects = self.commit(ring, format!("API key {id} issued"));
                self.popup = Popup::Issued {
                    key: Zeroizing::new(issued.key),
                    id,
                };
                effects
            }
            // A rejected value keeps the prompt open, with what was typed, and says why.
            Err(e) => {
                self.prompt = Some(Prompt::ApiKey);
                status(format!("{e} (esc cancels)"))
            }
        }
    }

    /// Revokes the selected signing key, or API key in the API view, for `reason`.
    fn revoke(&mut self, reason: &str) -> Vec<Effect> {
        if reason.is_empty() {
            self.prompt = Some(Prompt::RevokeReason);
            return status("A revocation needs a reason: type why (esc cancels)");
        }
        if self.api_view {
            let Some(id) = self
                .ring()
                .and_then(|r| r.api_keys.get(self.api_selected))
                .map(|r| r.id.clone())
            else {
                return status("No API key selected");
            };
            let Some(mut ring) = self.working_copy() else {
                return status("No keyring open");
            };
            return match keys::apikey::revoke(&mut ring, &id, Some(reason), self.now) {
                Ok(()) => self.commit(ring, format!("API key {id} is revoked: {reason}")),
                Err(e) => status(e.to_string()),
            };
        }
        let Some(kid) = self.selected_key().map(|k| k.kid.clone()) else {
            return Vec::new();
        };
        let Some(mut ring) = self.working_copy() else {
            return status("No keyring open");
        };
        match keys::revoke(&mut ring, &kid, reason, self.now) {
            Ok(t) => self.commit(ring, transition_text(&t)),
            Err(e) => status(e.to_string()),
        }
    }

    /// Promote or retire, refused as unsafe unless `force`.
    fn run_forceable(&mut self, op: Forceable, force: bool) -> Vec<Effect> {
        if op == Forceable::Rotate {
            return self.rotate(force, None);
        }
        let Some(mut ring) = self.working_copy() else {
            return status("No keyring open");
        };
        let result = match &op {
            Forceable::Promote(kid) => keys::promote(&mut ring, kid, self.now, force),
            Forceable::Retire(kid) => keys::retire(&mut ring, kid, self.now, force),
            Forceable::Rotate => unreachable!("handled above"),
        };
        match result {
            Ok(t) => self.commit(ring, transition_text(&t)),
            Err(KeysError::Unsafe(refusal)) => self.offer_force(op, refusal.to_string()),
            Err(KeysError::BadTransition { kid, state, why })
                if state == KeyState::Active && matches!(op, Forceable::Retire(_)) =>
            {
                self.offer_force(op, format!("{kid} is active: {why}"))
            }
            Err(e) => status(e.to_string()),
        }
    }

    fn offer_force(&mut self, op: Forceable, message: String) -> Vec<Effect> {
        let text = format!("Refused: {message}");
        self.popup = Popup::Force { op, message };
        status(text)
    }

    /// Performs the plan's due and safe steps (all of them with `force`), generating the new
    /// next key first as a job when the plan needs one.
    fn rotate(&mut self, force: bool, new_key: Option<KeyEntry>) -> Vec<Effect> {
        let Some(current) = self.ring() else {
            return Vec::new();
        };
        if new_key.is_none()
            && let Some(alg) = lifecycle::needs_new_key(current, self.now, force)
        {
            let bits = keys::next_rsa_bits(current);
            self.busy = Some(format!("Generating a {alg} key for the rotation…"));
            return vec![Effect::start(KeysJob::Generate {
                bits,
                alg,
                now: self.now,
                purpose: GenPurpose::Rotate { force },
            })];
        }
        let Some(mut ring) = self.working_copy() else {
            return status("No keyring open");
        };
        let rotation = match keys::rotate(&mut ring, self.now, force, new_key) {
            Ok(r) => r,
            Err(e) => return status(e.to_string()),
        };
        // The sentences are the core's, which `apiward keys rotate` prints too.
        let steps = keys::rotation_report::report(&rotation, self.now);
        let mut done = Vec::new();
        let mut unsafe_steps = Vec::new();
        let mut waiting = Vec::new();
        for step in steps.iter() {
            match step {
                StepReport::Done {
                    summary,
                    warning: None,
                } => done.push(summary.clone()),
                StepReport::Done {
                    summary,
                    warning: Some(warning),
                } => done.push(format!("{summary} ({warning})")),
                StepReport::Waiting(line) => waiting.push(line.clone()),
                StepReport::NotSafe(line) => unsafe_steps.push(line.clone()),
            }
        }
        let mut effects = if done.is_empty() {
            let text = match (waiting.first(), steps.is_empty()) {
                (_, true) => "Nothing to rotate: g generates a key".to_string(),
                (Some(w), _) if unsafe_steps.is_empty() => format!("Nothing is due: {w}"),
                _ => String::new(),
            };
            if text.is_empty() {
                Vec::new()
            } else {
                status(text)
            }
        } else {
            self.commit(ring, format!("Rotated: {}", done.join("; ")))
        };
        if !unsafe_steps.is_empty() && !force {
            effects.extend(self.offer_force(Forceable::Rotate, unsafe_steps.join("\n")));
        }
        effects
    }

    /// Replaces the keyring with `ring` and saves it.
    fn commit(&mut self, ring: Keyring, summary: String) -> Vec<Effect> {
        let RingState::Open(open) = &mut self.state else {
            return status("The keyring was closed; the change was dropped");
        };
        self.selected = self.selected.min(ring.keys.len().saturating_sub(1));
        open.ring = Arc::new(ring);
        if open.file.is_none() {
            open.save = SaveState::Unsaved;
            return status(format!("{summary} (in memory only: no keyring file)"));
        }
        let mut effects = vec![Effect::Status(summary)];
        effects.extend(self.save());
        effects
    }

    /// Saves the keyring as a job, one at a time. The job shares the open ring rather than
    /// getting a copy of it.
    fn save(&mut self) -> Option<Effect> {
        let RingState::Open(open) = &mut self.state else {
            return None;
        };
        let file = open.file.clone()?;
        if let SaveState::Saving { again } = &mut open.save {
            *again = true;
            return None;
        }
        open.save = SaveState::Saving { again: false };
        Some(Effect::start(KeysJob::Save {
            file,
            ring: open.ring.clone(),
        }))
    }

    fn lock(&mut self) -> Vec<Effect> {
        let lost = self
            .open_ring()
            .is_some_and(|open| open.save == SaveState::Unsaved);
        self.state = RingState::Locked;
        self.popup = Popup::None;
        self.prompt = None;
        self.selected = 0;
        self.api_selected = 0;
        self.api_view = false;
        status(if lost {
            "Keyring closed; changes that failed to save are lost"
        } else {
            "Keyring closed; the passphrase is forgotten"
        })
    }

    /// The open job answered.
    fn opened(&mut self, result: Result<Box<Keyring>, crate::tui::jobs::JobError>) -> Vec<Effect> {
        self.busy = None;
        let opening = std::mem::replace(&mut self.state, RingState::Locked);
        match result {
            Ok(ring) => {
                let file = match opening {
                    RingState::Opening(file) => Some(file),
                    _ => None,
                };
                let n = ring.keys.len();
                self.state = RingState::Open(OpenRing {
                    file,
                    ring: Arc::from(ring),
                    save: SaveState::Saved,
                });
                self.selected = 0;
                self.api_selected = 0;
                status(format!(
                    "Keyring open: {n} key{}; L closes it and forgets the passphrase",
                    if n == 1 { "" } else { "s" }
                ))
            }
            // The error's kind, not its words: a wrong passphrase asks again.
            Err(crate::tasks::TaskError::Failed(failure))
                if matches!(
                    failure.downcast_ref::<KeysError>(),
                    Some(KeysError::WrongPassphrase(_))
                ) =>
            {
                self.secret.clear();
                self.prompt = Some(Prompt::Passphrase);
                status("That passphrase does not open the keyring: type it again (esc cancels)")
            }
            Err(e) => status(e.to_string()),
        }
    }

    /// A save job answered; a change that came in meanwhile is saved now.
    fn saved(&mut self, result: Result<(), crate::tui::jobs::JobError>) -> Vec<Effect> {
        let RingState::Open(open) = &mut self.state else {
            return Vec::new();
        };
        let again = open.save == SaveState::Saving { again: true };
        open.save = match &result {
            Ok(()) if !again => SaveState::Saved,
            _ => SaveState::Unsaved,
        };
        if again {
            return self.save().into_iter().collect();
        }
        match result {
            Ok(()) => Vec::new(),
            Err(e) => status(format!("The keyring was not saved: {e}")),
        }
    }

    /// A generate job answered.
    fn generated(
        &mut self,
        purpose: GenPurpose,
        result: Result<Box<KeyEntry>, crate::tui::jobs::JobError>,
    ) -> Vec<Effect> {
        self.busy = None;
        let entry = match result {
            Ok(entry) => *entry,
            Err(e) => return status(format!("Key generation failed: {e}")),
        };
        if !self.is_open() {
            return status("The keyring was closed; the new key was dropped");
        }
        match purpose {
            GenPurpose::Rotate { force } => self.rotate(force, Some(entry)),
            GenPurpose::Add => {
                let Some(mut ring) = self.working_copy() else {
                    return status("No keyring open");
                };
                let mut text = format!(
                    "{} ({}) generated and published as the next key",
                    entry.kid, entry.alg
                );
                if ring.active().is_none() {
                    text.push_str("; + promotes it to active");
                }
                match ring.add(entry) {
                    Ok(()) => {
                        self.selected = ring.keys.len() - 1;
                        self.commit(ring, text)
                    }
                    Err(e) => status(e.to_string()),
                }
            }
        }
    }

    /// A test token signed by the active key: sub "test", valid for 15 minutes.
    pub fn test_token(&self) -> Result<String, String> {
        let ring = self
            .ring()
            .ok_or("No keyring open: o opens it, n creates one")?;
        let key = ring.signer(None).map_err(|e| e.to_string())?;
        let mut header = Map::new();
        header.insert("alg".into(), Value::from(key.alg.clone()));
        header.insert("typ".into(), Value::from("JWT"));
        header.insert("kid".into(), Value::from(key.kid.clone()));
        let claims = json!({
            "sub": "test",
            "iat": self.now,
            "exp": self.now + TEST_TOKEN_SECS,
        });
        crate::jwt::sign(&header, &claims, &key.alg, &key.signing_key()).map_err(|e| e.to_string())
    }
}

impl KeysPane {
    /// A job of this pane ended.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        cx.push(match msg {
            Msg::Opened(result) => self.opened(result),
            Msg::Saved(result) => self.saved(result),
            Msg::Generated(purpose, result) => self.generated(purpose, result),
        });
    }
}

impl Pane for KeysPane {
    fn context(&self) -> Context {
        Context::Keys
    }

    /// A prompt or popup has the keyboard.
    fn is_editing(&self) -> bool {
        self.prompt.is_some() || !matches!(self.popup, Popup::None)
    }

    fn handle_key(&mut self, key: &KeyEvent, cx: &mut Cx) {
        cx.push(self.on_key(key));
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        cx.push(self.on_action(action));
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) {
        cx.push(self.on_paste(text));
    }

    fn render(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, view: &View) {
        self.draw(frame, area, view.theme);
    }
}

fn transition_text(t: &keys::Transition) -> String {
    match &t.warning {
        Some(w) => format!("{} (warning: {w})", t.summary),
        None => t.summary.clone(),
    }
}

#[cfg(test)]
mod tests;
