//! The JWT tab: paste or type a token; see its segments, header, payload, claims and
//! findings; verify it, crack its secret as a task, edit claims and re-sign, forge attack
//! variants, recover the public key from a second token, and probe an endpoint.

mod jobs;
pub mod msg;
mod probe_form;
mod recover;
mod recover_view;
mod view;

pub use jobs::JwtJob;
pub use msg::Msg;

pub use probe_form::ProbeRequest;

use std::sync::{Arc, Weak};

use crossterm::event::KeyEvent;
use serde_json::Value;
use zeroize::Zeroizing;

use super::{Cx, Effect, Pane, View};
use crate::findings::Finding;
use crate::jwt::probe::Verdict;
use crate::jwt::{self, Decoded, LintOptions, Verification, VerifyOptions};
use crate::keys::Keyring;
use crate::tui::action::Action;
use crate::tui::action::Context;
use crate::tui::widgets::input::{InputOutcome, TextInput};

/// Which input has the keyboard, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    None,
    Token,
    Key,
    Claims,
    Wordlist,
    /// The probe options form.
    Probe,
    /// The second token, to recover the public key from.
    Second,
}

/// A window over the tab.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Overlay {
    None,
    /// The selected finding's why, fix and references.
    Detail,
    /// The forge menu, with the selected variant.
    Forge(usize),
    /// Asking before probing a host that is not on this machine.
    ConfirmProbe(String),
    /// The probe's answers.
    Probe,
    /// The recovered public keys, with the selected one's PEM.
    Recovered,
}

/// One forged variant, ready to copy or load.
#[derive(Debug, Clone)]
pub struct ForgedToken {
    pub attack: String,
    pub token: String,
    pub explanation: String,
}

pub struct JwtPane {
    token: TextInput,
    key: TextInput,
    claims: TextInput,
    wordlist: TextInput,
    probe_form: probe_form::ProbeForm,
    /// A probe of a host off this machine, waiting for the confirmation.
    pending_probe: Option<Box<ProbeRequest>>,
    probe: Option<Box<jwt::probe::ProbeReport>>,
    /// How far the probe report is scrolled, in lines.
    probe_scroll: u16,
    focus: Focus,
    overlay: Overlay,
    decoded: Option<Decoded>,
    error: Option<String>,
    findings: Vec<Finding>,
    selected: usize,
    verification: Option<Result<Verification, String>>,
    /// The Keys tab's open keyring, held weakly: a token whose kid it holds is verified with
    /// that key, and closing the keyring there leaves no key here.
    keyring: Weak<Keyring>,
    /// The verification shown was made with a keyring key: a change of the keyring redoes it.
    keyring_verified: bool,
    /// The HMAC secret, once verified or cracked: enables re-signing and `short-secret`.
    /// Wiped when replaced or dropped.
    secret: Option<Zeroizing<Vec<u8>>>,
    /// A note on the crack, shown under the verify panel.
    crack_note: Option<String>,
    variants: Vec<ForgedToken>,
    recovery: recover::Recovery,
    /// The workspace named on the command line, where recovered keys are saved.
    workspace: Option<std::path::PathBuf>,
    now: i64,
}

impl Default for JwtPane {
    fn default() -> Self {
        Self {
            token: TextInput::default(),
            key: TextInput::masked(),
            claims: TextInput::default(),
            wordlist: TextInput::default(),
            probe_form: probe_form::ProbeForm::default(),
            pending_probe: None,
            probe: None,
            probe_scroll: 0,
            focus: Focus::None,
            overlay: Overlay::None,
            decoded: None,
            error: None,
            findings: Vec::new(),
            selected: 0,
            verification: None,
            keyring: Weak::new(),
            keyring_verified: false,
            secret: None,
            crack_note: None,
            variants: Vec::new(),
            recovery: recover::Recovery::default(),
            workspace: None,
            now: 0,
        }
    }
}

impl JwtPane {
    /// The token being inspected, as it was pasted (cleaned of `Bearer ` and quotes).
    pub fn token(&self) -> Option<String> {
        self.decoded.as_ref().map(|d| d.raw.clone())
    }

    /// The workspace folder from the command line; `None`: the default one, as the Keys tab
    /// finds it.
    pub fn set_workspace(&mut self, dir: Option<std::path::PathBuf>) {
        self.workspace = dir;
    }

    /// Sets the clock claims are compared against (unix seconds).
    pub fn set_now(&mut self, now: i64) {
        if self.now / 60 != now / 60 {
            self.now = now;
            self.relint();
        }
        self.now = now;
    }

    /// The Keys tab's open keyring (`None` once closed), given after every message. A token
    /// not verified yet, or verified by the keyring before it changed, is verified again.
    pub fn set_keyring(&mut self, ring: Option<&Arc<Keyring>>) {
        let ring = ring.map(Arc::downgrade).unwrap_or_default();
        if Weak::ptr_eq(&ring, &self.keyring) {
            return;
        }
        self.keyring = ring;
        if self.verification.is_none() || self.keyring_verified {
            self.verify_with_keyring();
        }
    }

    /// Verifies the token with the open keyring's key that its kid names, as
    /// `apiward jwt verify --keyring` does (the same core lookup, and its check that the key is
    /// still published). Says nothing when the keyring is closed or holds no such key.
    fn verify_with_keyring(&mut self) {
        let (Some(decoded), Some(ring)) = (&self.decoded, self.keyring.upgrade()) else {
            return;
        };
        let Some(kid) = decoded.header_str("kid") else {
            return;
        };
        let found = match crate::keys::verifier(&ring, Some(kid)) {
            Ok(Some(found)) => found,
            Ok(None) => return,
            Err(e) => {
                self.verification = Some(Err(e.to_string()));
                self.keyring_verified = true;
                return;
            }
        };
        let result = jwt::verify(decoded, &found.key, &VerifyOptions::new(self.now))
            .map(|mut v| {
                v.checks.push(found.check);
                v
            })
            .map_err(|e| e.to_string());
        self.verification = Some(result);
        self.keyring_verified = true;
    }

    /// Loads a token, replacing the current one, and inspects it.
    pub fn load(&mut self, text: &str) {
        self.secret = None;
        self.verification = None;
        self.keyring_verified = false;
        self.crack_note = None;
        self.variants.clear();
        self.overlay = Overlay::None;
        self.selected = 0;
        match jwt::decode(text) {
            Ok(decoded) => {
                self.decoded = Some(decoded);
                self.error = None;
            }
            Err(err) => {
                self.decoded = None;
                self.error = Some(err.to_string());
            }
        }
        self.relint();
        self.verify_with_keyring();
    }

    fn relint(&mut self) {
        self.findings = match &self.decoded {
            Some(decoded) => jwt::lint(
                decoded,
                &LintOptions {
                    known_secret: self.secret.as_deref().cloned(),
                    ..LintOptions::new(self.now)
                },
            ),
            None => Vec::new(),
        };
        self.selected = self.selected.min(self.findings.len().saturating_sub(1));
    }

    /// Raw keys while an input is focused.
    fn on_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        if self.focus == Focus::Probe {
            return match self.probe_form.handle_key(key) {
                probe_form::FormOutcome::Changed => None,
                probe_form::FormOutcome::Cancel => {
                    self.focus = Focus::None;
                    None
                }
                probe_form::FormOutcome::Submit => self.ask_probe(),
            };
        }
        let input = match self.focus {
            Focus::Token => &mut self.token,
            Focus::Key => &mut self.key,
            Focus::Claims => &mut self.claims,
            Focus::Wordlist => &mut self.wordlist,
            Focus::Second => &mut self.recovery.second,
            Focus::Probe | Focus::None => return None,
        };
        match input.handle_key(key) {
            InputOutcome::Changed => None,
            InputOutcome::Cancel => {
                self.focus = Focus::None;
                None
            }
            InputOutcome::Submit => {
                let focus = std::mem::replace(&mut self.focus, Focus::None);
                match focus {
                    Focus::Token => {
                        let text = self.token.text().to_string();
                        self.load(&text);
                        None
                    }
                    Focus::Key => {
                        let text = Zeroizing::new(self.key.text().to_string());
                        self.verify(&text)
                    }
                    Focus::Claims => self.resign(),
                    Focus::Wordlist => self.crack(),
                    Focus::Second => self.recover(),
                    Focus::Probe | Focus::None => None,
                }
            }
        }
    }

    /// Pasted text goes to the focused input, or else replaces the token.
    fn on_paste(&mut self, text: &str) {
        match self.focus {
            Focus::Token => self.token.insert_str(text.trim()),
            Focus::Key => self.key.insert_str(text.trim()),
            Focus::Claims => self.claims.insert_str(text.trim()),
            Focus::Wordlist => self.wordlist.insert_str(text.trim()),
            Focus::Second => self.recovery.second.insert_str(text.trim()),
            Focus::Probe => self.probe_form.paste(text),
            Focus::None => self.load(text),
        }
    }

    fn on_action(&mut self, action: Action) -> Option<Effect> {
        if let Overlay::Forge(selected) = self.overlay {
            return self.forge_action(action, selected);
        }
        match &self.overlay {
            Overlay::Probe => {
                // The report is longer than most screens: the arrows scroll it. y copies it as
                // `apiward jwt probe --json` prints it.
                match action {
                    Action::Back | Action::Select => self.overlay = Overlay::None,
                    Action::Copy => {
                        return self.probe.as_ref().map(|report| {
                            Effect::Copy(
                                serde_json::to_string_pretty(&report.to_json()).unwrap_or_default(),
                            )
                        });
                    }
                    Action::Up => self.probe_scroll = self.probe_scroll.saturating_sub(1),
                    Action::Down => self.probe_scroll = self.probe_scroll.saturating_add(1),
                    Action::Top => self.probe_scroll = 0,
                    _ => {}
                }
                return None;
            }
            Overlay::Recovered => return self.recovered_action(action),
            Overlay::Detail => {
                if matches!(action, Action::Back | Action::Select) {
                    self.overlay = Overlay::None;
                }
                return None;
            }
            Overlay::ConfirmProbe(_) => {
                self.overlay = Overlay::None;
                let pending = self.pending_probe.take();
                return match (action, pending) {
                    (Action::Select, Some(request)) => self.start_probe(*request),
                    _ => Some(Effect::Status("Probe cancelled".into())),
                };
            }
            _ => {}
        }
        let last = self.findings.len().saturating_sub(1);
        match action {
            Action::JwtToRequest => {
                return Some(match self.token() {
                    Some(token) => Effect::UseBearer(token),
                    None => Effect::Status("No token to send: paste one first".into()),
                });
            }
            // Every prompt opens empty; what it held (or the token, or a known secret) is
            // offered to ctrl-r instead of being pre-typed.
            Action::Edit => {
                self.token.clear();
                if let Some(token) = self.token() {
                    self.token.offer(token, "the inspected token");
                }
                self.focus = Focus::Token;
            }
            Action::PasteClipboard => return Some(Effect::ReadClipboard),
            Action::JwtVerify => {
                self.key.open();
                if let Some(secret) = &self.secret
                    && !self.key.can_recall()
                {
                    self.key.offer(
                        String::from_utf8_lossy(secret).into_owned(),
                        "the known secret",
                    );
                }
                self.focus = Focus::Key;
            }
            Action::JwtEditClaims => {
                self.claims.open();
                self.focus = Focus::Claims;
            }
            Action::JwtCrack if self.decoded.is_some() => {
                self.wordlist.open();
                self.focus = Focus::Wordlist;
            }
            Action::JwtForge => return self.open_forge(),
            Action::JwtRecover => return self.open_recover(),
            Action::JwtProbe => return self.open_probe(),
            Action::Copy => {
                return self
                    .decoded
                    .as_ref()
                    .map(|d| Effect::Copy(d.raw.clone()))
                    .or(Some(Effect::Status("No token to copy".into())));
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Select if !self.findings.is_empty() => self.overlay = Overlay::Detail,
            _ => {}
        }
        None
    }

    /// The probe form, with the known secret and the recovered keys that verify this token.
    fn open_probe(&mut self) -> Option<Effect> {
        let decoded = self.decoded.as_ref()?;
        let recovered = self.recovery.for_probe(decoded);
        self.probe_form
            .open(self.secret.as_deref().map(|s| s.as_slice()), recovered);
        self.focus = Focus::Probe;
        None
    }

    /// Verifies the token with `text`: a secret, a PEM, a JWK or a JWKS, or a JWKS's http(s)
    /// URL, fetched first as a task.
    fn verify(&mut self, text: &str) -> Option<Effect> {
        let decoded = self.decoded.as_ref()?;
        let trimmed = text.trim();
        if crate::net::http_url(trimmed).is_ok() {
            return Some(Effect::start(JwtJob::FetchJwks {
                url: trimmed.to_string(),
            }));
        }
        let result = key_for(decoded, text)
            .and_then(|key| {
                jwt::verify(decoded, &key, &VerifyOptions::new(self.now)).map(|v| (key, v))
            })
            .map_err(|e| e.to_string());
        self.keyring_verified = false;
        self.verification = Some(match result {
            Ok((jwt::KeyMaterial::Secret(secret), v)) => {
                if v.signature_valid {
                    self.secret = Some(Zeroizing::new(secret));
                    self.relint();
                }
                Ok(v)
            }
            Ok((_, v)) => Ok(v),
            Err(e) => Err(e),
        });
        None
    }

    fn crack(&mut self) -> Option<Effect> {
        let decoded = self.decoded.as_ref()?;
        let wordlist = Some(self.wordlist.text().trim())
            .filter(|p| !p.is_empty())
            .map(std::path::PathBuf::from);
        match jwt::CrackTarget::from_decoded(decoded) {
            Ok(target) => {
                self.crack_note = Some("cracking… progress in the Tasks tab (5)".into());
                Some(Effect::start(JwtJob::Crack { target, wordlist }))
            }
            Err(e) => Some(Effect::Status(format!("Cannot crack: {e}"))),
        }
    }

    /// The result of a crack task started from this pane.
    fn cracked(&mut self, result: Result<Option<jwt::crack::Found>, crate::tui::jobs::JobError>) {
        self.crack_note = Some(match result {
            Ok(Some(secret)) => {
                let shown = String::from_utf8_lossy(&secret).into_owned();
                // Offered to the verify prompt's ctrl-r, never typed into it.
                self.key.offer(shown.clone(), "the cracked secret");
                self.secret = Some(secret);
                self.relint();
                let text = Zeroizing::new(shown.clone());
                self.verify(&text);
                format!("secret found: {shown}")
            }
            Ok(None) => "the secret is in neither the built-in list nor the wordlist".into(),
            Err(e) => format!("crack {e}"),
        });
    }

    fn resign(&mut self) -> Option<Effect> {
        let decoded = self.decoded.as_ref()?;
        let Some(secret) = self.secret.clone() else {
            return Some(Effect::Status(
                "No secret known: verify with one (v) or crack it (c) first".into(),
            ));
        };
        let alg = decoded.alg.clone().unwrap_or_else(|| "HS256".into());
        let result = (|| {
            let edits = self
                .claims
                .text()
                .split_whitespace()
                .map(jwt::sign::parse_edit)
                .collect::<Result<Vec<_>, _>>()?;
            let mut claims = decoded.claims().cloned().unwrap_or_default();
            jwt::sign::apply_edits(&mut claims, &edits, self.now)?;
            jwt::sign::sign(
                &decoded.header,
                &Value::Object(claims),
                &alg,
                &jwt::sign::SigningKey::Secret(secret.to_vec()),
            )
        })();
        match result {
            Ok(token) => {
                self.load(&token);
                let text = Zeroizing::new(String::from_utf8_lossy(&secret).into_owned());
                self.secret = Some(secret);
                self.relint();
                self.verify(&text);
                Some(Effect::Status(
                    "Claims edited and re-signed with the known secret".into(),
                ))
            }
            Err(e) => Some(Effect::Status(format!("Cannot re-sign: {e}"))),
        }
    }

    /// Probing sends traffic: a host that is not this machine needs a confirmation first.
    /// The options go through the same core setup and checks as the CLI's; a mistake keeps
    /// the form open and says what is wrong.
    fn ask_probe(&mut self) -> Option<Effect> {
        let decoded = self.decoded.clone()?;
        let request = match self.probe_form.request(decoded, self.now) {
            Ok(request) => request,
            Err(e) => {
                self.focus = Focus::Probe;
                return Some(Effect::Status(format!("Cannot probe: {e}")));
            }
        };
        self.focus = Focus::None;
        if request.setup.local_target() {
            self.start_probe(request)
        } else {
            self.overlay = Overlay::ConfirmProbe(request.setup.target.url.clone());
            self.pending_probe = Some(Box::new(request));
            None
        }
    }

    fn start_probe(&mut self, request: ProbeRequest) -> Option<Effect> {
        self.crack_note = Some("probing… progress in the Tasks tab (5)".into());
        Some(Effect::start(JwtJob::Probe {
            request: Box::new(request),
        }))
    }

    /// The report of a probe job started from this pane.
    pub fn probed(
        &mut self,
        result: Result<Box<jwt::probe::ProbeReport>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        self.crack_note = None;
        match result {
            Ok(report) => {
                let status = match report.verdict() {
                    Verdict::Rejected => "Probe finished: no forged variant was accepted".into(),
                    Verdict::Accepted => format!(
                        "Probe finished: {} forged variant(s) ACCEPTED",
                        report.accepted().count()
                    ),
                    Verdict::Inconclusive(why) => format!("Probe inconclusive: {}", why.reason()),
                };
                self.probe = Some(report);
                self.overlay = Overlay::Probe;
                self.probe_scroll = 0;
                Some(Effect::Status(status))
            }
            Err(e) => Some(Effect::Status(format!("Probe {e}"))),
        }
    }

    /// `r`: the recovered keys when they came from the tokens given, else the second-token
    /// input (kept from last time). The inspected token must be signed.
    fn open_recover(&mut self) -> Option<Effect> {
        let decoded = self.decoded.as_ref()?;
        if let Ok(tokens) = self.recovery.tokens(decoded)
            && self.recovery.has(&tokens)
        {
            self.overlay = Overlay::Recovered;
            return None;
        }
        self.recovery.second.open();
        self.focus = Focus::Second;
        None
    }

    /// Starts recovering the key from the inspected token and the second one, or shows the
    /// candidates already recovered from them.
    fn recover(&mut self) -> Option<Effect> {
        let decoded = self.decoded.as_ref()?;
        let tokens = match self.recovery.tokens(decoded) {
            Ok(tokens) => tokens,
            Err(e) => return Some(Effect::Status(format!("Cannot recover the key: {e}"))),
        };
        if self.recovery.has(&tokens) {
            self.overlay = Overlay::Recovered;
            return None;
        }
        let raw: Vec<String> = tokens.iter().map(|t| t.raw.clone()).collect();
        if self.recovery.running.as_ref() == Some(&raw) {
            return Some(Effect::Status(
                "Already recovering the key from these tokens: the Tasks tab (5) shows it".into(),
            ));
        }
        self.recovery.running = Some(raw);
        self.recovery.note = Some(match decoded.alg.as_deref() {
            Some(alg) if alg.starts_with("RS") => {
                "recovering the RSA key (about 40 s for 2048 bits)… progress and cancel (x) in the Tasks tab (5)".into()
            }
            _ => "recovering the EC key…".into(),
        });
        Some(Effect::start(JwtJob::Recover { tokens }))
    }

    /// The end of a recovery job: the candidates open over the tab.
    fn recovered(
        &mut self,
        tokens: Vec<String>,
        result: Result<Vec<jwt::recover::Candidate>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        if self.recovery.running.as_ref() == Some(&tokens) {
            self.recovery.running = None;
        }
        match result {
            Ok(candidates) => {
                self.recovery.found(tokens, candidates);
                self.overlay = Overlay::Recovered;
                let note = self.recovery.note.clone().unwrap_or_default();
                Some(Effect::Status(format!("Key recovery finished: {note}")))
            }
            Err(e) => {
                let why = match e {
                    crate::tasks::TaskError::Cancelled => "recovery cancelled".to_string(),
                    crate::tasks::TaskError::Failed(why) => format!("recovery failed: {why}"),
                };
                self.recovery.note = Some(why.clone());
                Some(Effect::Status(format!("Key {why}")))
            }
        }
    }

    /// Keys over the recovered keys: select, copy, save, probe with them, try other tokens.
    fn recovered_action(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Back | Action::Select => self.overlay = Overlay::None,
            Action::Up => self.recovery.select(true),
            Action::Down => self.recovery.select(false),
            Action::Copy => {
                let c = self.recovery.selected()?;
                return Some(Effect::Copy(c.spki_pem.clone()));
            }
            Action::JwtSaveKey => return self.save_key(),
            Action::JwtProbe => {
                self.overlay = Overlay::None;
                return self.open_probe();
            }
            Action::JwtRecover | Action::Edit => {
                self.overlay = Overlay::None;
                self.recovery.second.open();
                self.focus = Focus::Second;
            }
            _ => {}
        }
        None
    }

    /// Saves the selected candidate's SPKI PEM into the workspace, as a job.
    fn save_key(&mut self) -> Option<Effect> {
        let Some(c) = self.recovery.selected() else {
            return Some(Effect::Status(
                "No recovered key to save: r recovers one".into(),
            ));
        };
        Some(Effect::start(JwtJob::SaveKey {
            workspace: self.workspace.clone(),
            name: recover::file_name(c),
            pem: c.spki_pem.clone(),
        }))
    }

    /// Forging may generate an RSA key, so it runs as a job; the menu opens when it returns.
    fn open_forge(&mut self) -> Option<Effect> {
        let decoded = Box::new(self.decoded.clone()?);
        let options = jwt::ForgeOptions {
            secret: self.secret.as_deref().cloned(),
            now: self.now,
            ..Default::default()
        };
        Some(Effect::start(JwtJob::Forge { decoded, options }))
    }

    /// The variants of a forge job started from this pane.
    fn forged(
        &mut self,
        result: Result<Vec<jwt::Variant>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        match result {
            Ok(variants) => {
                self.variants = variants
                    .into_iter()
                    .map(|v| ForgedToken {
                        attack: v.attack.to_string(),
                        token: v.token,
                        explanation: v.explanation,
                    })
                    .collect();
                self.overlay = Overlay::Forge(0);
                None
            }
            Err(e) => Some(Effect::Status(format!("Cannot forge: {e}"))),
        }
    }

    fn forge_action(&mut self, action: Action, selected: usize) -> Option<Effect> {
        let last = self.variants.len().saturating_sub(1);
        match action {
            Action::Back | Action::JwtForge => self.overlay = Overlay::None,
            Action::Up => self.overlay = Overlay::Forge(selected.saturating_sub(1)),
            Action::Down => self.overlay = Overlay::Forge((selected + 1).min(last)),
            Action::Copy => {
                return self
                    .variants
                    .get(selected)
                    .map(|v| Effect::Copy(v.token.clone()));
            }
            Action::Select => {
                let token = self.variants.get(selected)?.token.clone();
                self.load(&token);
                return Some(Effect::Status(
                    "Loaded the forged variant into the inspector".into(),
                ));
            }
            _ => {}
        }
        None
    }
}

impl JwtPane {
    /// A job of this pane ended.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        match msg {
            Msg::Cracked(result) => self.cracked(result),
            Msg::Probed(result) => cx.push(self.probed(result)),
            Msg::Forged(result) => cx.push(self.forged(result)),
            Msg::Recovered { tokens, result } => cx.push(self.recovered(tokens, result)),
            Msg::KeySaved(Ok(path)) => cx.status(format!(
                "Saved the public key to {} (0644); P probes with the recovered keys",
                path.display()
            )),
            Msg::KeySaved(Err(e)) => cx.status(format!("Cannot save the key: {e}")),
            Msg::JwksFetched { url, result } => match result {
                Ok(jwks) => {
                    cx.push(self.verify(&jwks));
                    cx.status(format!(
                        "Fetched the JWKS of {url}; the verdict is under the token"
                    ));
                }
                Err(e) => self.verification = Some(Err(e.to_string())),
            },
        }
    }
}

impl Pane for JwtPane {
    fn context(&self) -> Context {
        Context::Jwt
    }

    fn is_editing(&self) -> bool {
        self.focus != Focus::None
    }

    fn handle_key(&mut self, key: &KeyEvent, cx: &mut Cx) {
        cx.push(self.on_key(key));
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        cx.push(self.on_action(action));
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        self.on_paste(text);
    }

    fn idle_hint(&self, action: Action) -> Option<String> {
        match action {
            _ if self.decoded.is_none() => Some(
                "No token yet: p pastes one from the clipboard, e types one, J on the Request tab sends one here".into(),
            ),
            Action::JwtSaveKey => Some("s saves a recovered key: r recovers one first".into()),
            _ => None,
        }
    }

    fn render(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, view: &View) {
        self.draw(frame, area, view.theme);
    }
}

impl JwtPane {
    /// The text of the focused prompt, for tests.
    #[cfg(test)]
    fn focused_text(&self) -> &str {
        match self.focus {
            Focus::Token => self.token.text(),
            Focus::Key => self.key.text(),
            Focus::Claims => self.claims.text(),
            Focus::Wordlist => self.wordlist.text(),
            Focus::Second => self.recovery.second.text(),
            Focus::Probe | Focus::None => "",
        }
    }
}

/// The key for verifying `decoded` from what the user typed: a JWKS picks by `kid`.
fn key_for(decoded: &Decoded, text: &str) -> jwt::Result<jwt::KeyMaterial> {
    let trimmed = text.trim();
    if trimmed.starts_with('{') && trimmed.contains("\"keys\"") {
        return jwt::keys::select_from_jwks(
            trimmed,
            decoded.header_str("kid"),
            decoded.alg.as_deref(),
        )
        .map(|(_, key)| key);
    }
    jwt::KeyMaterial::parse(text)
}

#[cfg(test)]
mod recover_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(pane: &mut JwtPane, text: &str) {
        for c in text.chars() {
            pane.on_key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn the_probe_form_starts_a_probe_with_the_known_secret_and_asks_before_a_remote_host() {
        let token = jwt::sign::sign(
            &serde_json::Map::new(),
            &serde_json::json!({"sub": "a"}),
            "HS256",
            &jwt::SigningKey::Secret(b"cracked".to_vec()),
        )
        .unwrap();
        let mut pane = JwtPane::default();
        pane.load(&token);
        pane.secret = Some(Zeroizing::new(b"cracked".to_vec()));
        assert!(pane.on_action(Action::JwtProbe).is_none());
        assert!(pane.is_editing());
        type_text(&mut pane, "http://127.0.0.1:9/me");
        // The known secret is not pre-typed: ctrl-r fills it in.
        pane.on_key(&KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
        match pane.on_key(&key(KeyCode::Enter)) {
            Some(Effect::Start(job)) => match job.into_inner::<JwtJob>() {
                Some(JwtJob::Probe { request }) => {
                    assert_eq!(request.setup.target.url, "http://127.0.0.1:9/me");
                    assert_eq!(
                        request.setup.options.secret.as_deref(),
                        Some(&b"cracked"[..])
                    );
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
        // A host off this machine waits for a confirmation; a bad option keeps the form open.
        pane.on_action(Action::JwtProbe);
        type_text(&mut pane, "https://api.example/me");
        assert!(pane.on_key(&key(KeyCode::Enter)).is_none());
        assert_eq!(
            pane.overlay,
            Overlay::ConfirmProbe("https://api.example/me".into())
        );
        assert!(matches!(
            pane.on_action(Action::Select),
            Some(Effect::Start(_))
        ));
        pane.on_action(Action::JwtProbe);
        type_text(&mut pane, "ftp://x");
        match pane.on_key(&key(KeyCode::Enter)) {
            Some(Effect::Status(s)) => assert!(s.contains("not an http"), "{s}"),
            other => panic!("{other:?}"),
        }
        assert!(pane.is_editing());
    }

    fn ctrl_r() -> KeyEvent {
        KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)
    }

    fn hs256(secret: &[u8]) -> String {
        jwt::sign::sign(
            &serde_json::Map::new(),
            &serde_json::json!({"sub": "a"}),
            "HS256",
            &jwt::SigningKey::Secret(secret.to_vec()),
        )
        .unwrap()
    }

    /// After a crack, v opens empty: typing never appends to the secret, and ctrl-r recalls
    /// it. Every other prompt opens empty too, with its last value one ctrl-r away.
    #[test]
    fn prompts_open_empty_and_ctrl_r_recalls() {
        let token = hs256(b"secret");
        let mut pane = JwtPane::default();
        pane.load(&token);
        pane.cracked(Ok(Some(Zeroizing::new(b"secret".to_vec()))));
        assert!(
            pane.verification
                .as_ref()
                .unwrap()
                .as_ref()
                .unwrap()
                .is_valid()
        );
        pane.on_action(Action::JwtVerify);
        assert_eq!(pane.key.text(), "", "the cracked secret is not pre-typed");
        type_text(&mut pane, "x");
        pane.on_key(&ctrl_r());
        assert_eq!(pane.key.text(), "secret");
        pane.on_key(&key(KeyCode::Esc));
        // A typed key is the last value next time.
        pane.on_action(Action::JwtVerify);
        type_text(&mut pane, "wrong");
        pane.on_key(&key(KeyCode::Enter));
        assert!(
            !pane
                .verification
                .as_ref()
                .unwrap()
                .as_ref()
                .unwrap()
                .is_valid()
        );
        pane.on_action(Action::JwtVerify);
        assert_eq!(pane.key.text(), "");
        pane.on_key(&ctrl_r());
        assert_eq!(pane.key.text(), "wrong");
        pane.on_key(&key(KeyCode::Esc));
        // e: the token prompt opens empty and recalls the inspected token.
        pane.on_action(Action::Edit);
        assert_eq!(pane.token.text(), "");
        pane.on_key(&ctrl_r());
        assert_eq!(pane.token.text(), token);
        pane.on_key(&key(KeyCode::Esc));
        for (action, input) in [
            (Action::JwtEditClaims, "role=admin"),
            (Action::JwtCrack, "/tmp/words.txt"),
        ] {
            pane.on_action(action);
            type_text(&mut pane, input);
            pane.on_key(&key(KeyCode::Esc));
            pane.on_action(action);
            assert_eq!(pane.focused_text(), "", "{action:?} opens empty");
            pane.on_key(&ctrl_r());
            assert_eq!(pane.focused_text(), input, "{action:?}");
            pane.on_key(&key(KeyCode::Esc));
        }
    }

    /// A token whose kid the open keyring holds is verified with that key, as
    /// `jwt verify --keyring` does; one whose kid it does not hold is left alone; closing or
    /// changing the keyring is followed.
    #[test]
    fn a_token_is_verified_with_the_keyring_key_its_kid_names() {
        use crate::keys::{KeyEntry, Policy};
        const NOW: i64 = 1_767_225_600;
        let mut ring = Keyring::new(Policy::default());
        ring.add(KeyEntry::generate("ES256", 2048, Some("k1".into()), NOW).unwrap())
            .unwrap();
        crate::keys::promote(&mut ring, "k1", NOW, true).unwrap();
        let signer = ring.signer(None).unwrap().signing_key();
        let mut header = serde_json::Map::new();
        header.insert("kid".into(), "k1".into());
        let claims = serde_json::json!({"sub": "t", "exp": NOW + 600});
        let token = jwt::sign::sign(&header, &claims, "ES256", &signer).unwrap();
        let ring = Arc::new(ring);

        let mut pane = JwtPane::default();
        pane.set_now(NOW);
        pane.set_keyring(Some(&ring));
        pane.load(&token);
        let v = pane.verification.clone().unwrap().unwrap();
        assert!(v.is_valid(), "{v:?}");
        assert!(
            v.checks
                .iter()
                .any(|c| c.detail == "keyring key k1 is active")
        );
        // A kid the keyring does not hold: not verified, as before.
        header.insert("kid".into(), "other".into());
        let stranger = jwt::sign::sign(&header, &claims, "ES256", &signer).unwrap();
        pane.load(&stranger);
        assert!(pane.verification.is_none());
        // The keyring changes (the key is revoked): the keyring's verdict is redone.
        pane.load(&token);
        let mut revoked = (*ring).clone();
        crate::keys::revoke(&mut revoked, "k1", "leaked", NOW).unwrap();
        let revoked = Arc::new(revoked);
        pane.set_keyring(Some(&revoked));
        let v = pane.verification.clone().unwrap().unwrap();
        assert!(v.signature_valid && !v.is_valid(), "{v:?}");
        // Closed: nothing of it is kept, and a new token is not verified.
        pane.set_keyring(None);
        drop((ring, revoked));
        pane.load(&token);
        assert!(pane.verification.is_none());
    }

    #[test]
    fn a_probe_refused_even_the_original_token_says_inconclusive() {
        use jwt::probe::{Answer, Inconclusive, ProbeReport, ProbeResult};
        let refused = Answer {
            status: Some(401),
            length: Some(0),
            truncated: false,
            error: None,
        };
        let report = ProbeReport {
            url: "http://127.0.0.1:9/me".into(),
            original: refused.clone(),
            no_token: refused.clone(),
            protected: true,
            variants: vec![ProbeResult {
                attack: "alg-none".into(),
                explanation: String::new(),
                answer: refused,
                accepted: false,
                verdict: jwt::probe::VariantVerdict::Rejected,
                reason: None,
                like_original: true,
            }],
            skipped: Vec::new(),
            jku: None,
            secret_strong: false,
        };
        let mut pane = JwtPane::default();
        let reason = Inconclusive::OriginalRefused.reason();
        match pane.probed(Ok(Box::new(report))) {
            Some(Effect::Status(text)) => {
                assert_eq!(text, format!("Probe inconclusive: {reason}"));
            }
            other => panic!("{other:?}"),
        }
        // y over the report copies what `apiward jwt probe --json` prints.
        match pane.on_action(Action::Copy) {
            Some(Effect::Copy(text)) => {
                let json: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(json, pane.probe.as_ref().unwrap().to_json());
                assert_eq!(json["verdict"], "inconclusive");
                assert_eq!(json["reason"], reason);
            }
            other => panic!("{other:?}"),
        }
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 30)).unwrap();
        let theme = crate::tui::theme::Theme::builtin_default();
        terminal.draw(|f| pane.draw(f, f.area(), &theme)).unwrap();
        let screen: String = terminal
            .backend()
            .buffer()
            .content
            .iter()
            .map(|c| c.symbol())
            .collect();
        assert!(
            screen.contains(&format!("Inconclusive: {reason}.")),
            "{screen}"
        );
    }
}
