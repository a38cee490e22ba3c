//! The lab's in-memory world: demo users, the keys tokens are signed with, the rate limiter,
//! the tokens it issued, the success tracker and the access log. Everything resets when the
//! lab stops, except the saved progress.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::log::{AccessLog, LogEntry};
use super::progress::{Success, Tracker};
use super::writer::Writer;

/// The weak HMAC secret of the weak-secret route: in apiward's built-in crack list.
pub const WEAK_SECRET: &str = "secret1";
/// The salt of the demo password hashes (fixed: it is a lab).
const SALT: &str = "apiward-lab-salt:";
/// Failed logins per client before the hardened login answers 429.
pub const LOGIN_ATTEMPTS: u32 = 5;
/// How long the hardened login stays closed after too many failures.
const LOCKOUT: Duration = Duration::from_secs(60);

/// A demo account.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: u64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub api_key: String,
}

impl User {
    /// The record without secrets: what a well-behaved API shows.
    pub fn public(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id, "username": self.username, "email": self.email, "role": self.role,
        })
    }
}

/// The demo users and their passwords: alice and bob are ordinary users, carol is the admin.
/// Bob's password is a common one, for the brute-force lesson.
pub const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("alice", "alice-password", "user"),
    ("bob", "sunshine", "user"),
    ("carol", "", "admin"),
];

/// Which listener a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// The id of one request, logged and returned in `X-Request-Id`.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestId {
    pub fn new() -> Self {
        Self(format!("req-{:016x}", rand::rngs::OsRng.next_u64()))
    }
}

impl Default for RequestId {
    fn default() -> Self {
        Self::new()
    }
}

/// The keys the lab signs with, made fresh at every start.
pub struct LabKeys {
    /// The strong HS256 secret of the ordinary routes.
    pub hs_secret: Vec<u8>,
    /// The RSA key pair of the RS256 routes (jwk, jku, confusion).
    pub rsa_private_pem: String,
    pub rsa_public_pem: String,
    pub rsa_public_jwk: serde_json::Value,
    /// Where key files named by `kid` live.
    pub key_dir: PathBuf,
    /// The RSA key of the hidden-key route, published nowhere; made on its first use, so a
    /// lab start does not pay for a second key it may never need.
    pub hidden_rsa: tokio::sync::OnceCell<RsaPair>,
}

/// An RSA key pair as PEM.
pub struct RsaPair {
    pub private_pem: String,
    /// SubjectPublicKeyInfo PEM, as `jwt::keygen::public_pem` writes it.
    pub public_pem: String,
}

/// Everything the handlers share.
pub struct LabState {
    pub(crate) users: Mutex<Vec<User>>,
    pub(crate) keys: LabKeys,
    pub(crate) log: AccessLog,
    tracker: Tracker,
    /// Where the log lines and the exploit record go to disk, off the async workers.
    writer: Writer,
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
    brute: Mutex<HashMap<(IpAddr, String), u32>>,
    issued: Mutex<HashSet<[u8; 32]>>,
    /// The bound addresses, known once both listeners are up (for the https redirect).
    pub(crate) addrs: OnceLock<(SocketAddr, SocketAddr)>,
    /// The partner API's address (see `lab::partner`), once it listens.
    pub(crate) partner: OnceLock<SocketAddr>,
    /// What the API5–API10 routes remember.
    pub(crate) owasp: super::owasp_state::OwaspState,
    /// Counts new successes, so an in-process watcher (the TUI's Learn tab) wakes on each
    /// without polling.
    recorded: tokio::sync::watch::Sender<usize>,
}

impl LabState {
    pub(crate) fn new(keys: LabKeys, log: AccessLog, saved: Vec<Success>, writer: Writer) -> Self {
        let users = DEMO_USERS
            .iter()
            .zip(1u64..)
            .map(|((name, password, role), id)| {
                // The admin's password is random: the lessons are about getting in otherwise.
                let password = if password.is_empty() {
                    random_hex(16)
                } else {
                    password.to_string()
                };
                User {
                    id,
                    username: name.to_string(),
                    email: format!("{name}@lab.apiward.test"),
                    role: role.to_string(),
                    password_hash: password_hash(&password),
                    api_key: format!("lab_{name}_{}", random_hex(12)),
                }
            })
            .collect();
        Self {
            users: Mutex::new(users),
            keys,
            log,
            tracker: Tracker::new(saved),
            writer,
            failures: Mutex::new(HashMap::new()),
            brute: Mutex::new(HashMap::new()),
            issued: Mutex::new(HashSet::new()),
            addrs: OnceLock::new(),
            partner: OnceLock::new(),
            owasp: super::owasp_state::OwaspState::new(random_hex(16)),
            recorded: tokio::sync::watch::Sender::new(0),
        }
    }

    /// Every exploit that worked so far, oldest first.
    pub fn successes(&self) -> Vec<Success> {
        self.tracker.all()
    }

    /// Whether the exploit `id` (one of [`super::progress::SUCCESS_IDS`]) has worked.
    pub fn has(&self, id: &str) -> bool {
        self.tracker.has(id)
    }

    /// The last requests, redacted, oldest first.
    pub fn recent_requests(&self) -> Vec<super::log::LogEntry> {
        self.log.recent()
    }

    pub(crate) fn record(&self, id: &str, detail: impl Into<String>) {
        let detail = detail.into();
        if let Some(all) = self.tracker.record(id, detail.clone()) {
            tracing::info!("lab success {id}: {detail}");
            self.writer.progress(all);
            self.recorded.send_modify(|n| *n += 1);
        }
    }

    /// Keeps a request in the ring and queues its line for `access.log`.
    pub(crate) fn log_request(&self, entry: LogEntry) {
        self.writer.line(self.log.push(entry));
    }

    /// Waits until the log lines and exploits queued so far are on disk.
    pub(crate) async fn flush(&self) {
        self.writer.flush().await;
    }

    /// A receiver that changes each time a new exploit is recorded.
    pub fn watch_successes(&self) -> tokio::sync::watch::Receiver<usize> {
        self.recorded.subscribe()
    }

    /// The hidden-key route's RSA key, made (off the async workers) on first use.
    pub(crate) async fn hidden_rsa(&self) -> Result<&RsaPair, String> {
        self.keys
            .hidden_rsa
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(|| {
                    let pair = crate::jwt::keygen::generate("RS256").map_err(|e| e.to_string())?;
                    let public_pem =
                        crate::jwt::keygen::public_pem(&pair).map_err(|e| e.to_string())?;
                    Ok(RsaPair {
                        private_pem: pair.private_pem,
                        public_pem,
                    })
                })
                .await
                .map_err(|e| e.to_string())?
            })
            .await
    }

    /// The hidden-key route's public key (SPKI PEM), for a test that plays a learner who has
    /// recovered it from two tokens. No route serves it.
    pub async fn hidden_public_pem(&self) -> Result<String, String> {
        Ok(self.hidden_rsa().await?.public_pem.clone())
    }

    /// The hidden-key route's key once [`Self::hidden_rsa`] has made it.
    pub(crate) fn hidden_rsa_ready(&self) -> Result<&RsaPair, String> {
        self.keys
            .hidden_rsa
            .get()
            .ok_or_else(|| "the hidden-key route has issued no token yet".to_string())
    }

    pub(crate) fn users(&self) -> std::sync::MutexGuard<'_, Vec<User>> {
        lock(&self.users)
    }

    pub(crate) fn user(&self, id: u64) -> Option<User> {
        self.users().iter().find(|u| u.id == id).cloned()
    }

    /// Checks a password; `None` when the user does not exist or it is wrong.
    pub(crate) fn check_password(&self, username: &str, password: &str) -> Option<User> {
        let hash = password_hash(password);
        self.users()
            .iter()
            .find(|u| u.username == username && u.password_hash == hash)
            .cloned()
    }

    /// Notes a token the lab issued, so a forged one can be told apart.
    pub(crate) fn note_issued(&self, token: &str) {
        let mut issued = lock(&self.issued);
        // A long-running lab must not grow without bound; old tokens simply count as forged.
        if issued.len() > 100_000 {
            issued.clear();
        }
        issued.insert(Sha256::digest(token.as_bytes()).into());
    }

    pub(crate) fn was_issued(&self, token: &str) -> bool {
        lock(&self.issued).contains(&<[u8; 32]>::from(Sha256::digest(token.as_bytes())))
    }

    /// True when the hardened login is closed to this client.
    pub(crate) fn locked_out(&self, client: IpAddr) -> bool {
        lock(&self.failures)
            .get(&client)
            .is_some_and(|(n, last)| *n >= LOGIN_ATTEMPTS && last.elapsed() < LOCKOUT)
    }

    /// Counts a login outcome for the rate limit and for spotting brute force. Returns the
    /// number of failures for this client and user before a success.
    pub(crate) fn count_login(&self, client: IpAddr, username: &str, ok: bool) -> u32 {
        let mut failures = lock(&self.failures);
        let mut brute = lock(&self.brute);
        let key = (client, username.to_string());
        if ok {
            failures.remove(&client);
            brute.remove(&key).unwrap_or(0)
        } else {
            let entry = failures.entry(client).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= LOCKOUT {
                entry.0 = 0;
            }
            *entry = (entry.0 + 1, Instant::now());
            *brute.entry(key).or_insert(0) += 1;
            0
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `sha256(salt + password)` in hex: deliberately weak, so the exposed hashes can be cracked.
pub fn password_hash(password: &str) -> String {
    hex(&Sha256::digest(format!("{SALT}{password}").as_bytes()))
}

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex(&buf)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
