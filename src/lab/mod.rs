//! The practice lab: a deliberately vulnerable API on loopback, to learn API security on.
//!
//! Each bug has its own route and a hardened twin under `/hardened` (see [`routes::ROUTES`]),
//! served over HTTP and HTTPS (a certificate made at start). The lab logs every request
//! redacted ([`log`]) and records which exploits worked ([`progress`]) so lessons can check:
//! in process through [`LabState::successes`] and [`LabState::has`], from another process
//! through `GET /lab/progress`, and after the fact through `progress.json`.
//!
//! [`start`] runs it inside the caller's tokio runtime: `apiward lab` and, later, the TUI and
//! the tests all use it.

pub mod api_routes;
pub mod jwt_routes;
pub mod log;
pub mod progress;
pub mod routes;
mod server;
pub mod state;
pub mod tls;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub use progress::{SUCCESS_IDS, Success};
pub use routes::{LabRoute, ROUTES};
pub use state::{LabState, Scheme};

/// What can stop the lab from starting, each a single clear sentence.
#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error(
        "{0} is not a loopback address: the lab is deliberately vulnerable, so it only binds to 127.0.0.1 or ::1 (pass --i-understand-this-is-vulnerable to override)"
    )]
    NotLoopback(IpAddr),
    #[error("port {0} leaves no room for the HTTPS port above it; pick a lower --port")]
    PortRange(u16),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, String),
    #[error("cannot make the lab's certificate: {0}")]
    Tls(String),
    #[error("cannot make the lab's keys: {0}")]
    Keys(String),
    #[error("{0}: {1}")]
    Io(String, String),
    #[error("{0}")]
    Progress(String),
}

/// How to run the lab.
#[derive(Debug, Clone)]
pub struct LabConfig {
    /// The address to bind; loopback unless `allow_exposed`.
    pub bind: IpAddr,
    /// The HTTP port; HTTPS is the next one. 0 picks free ports for both.
    pub port: u16,
    /// Where `access.log`, `progress.json` and the kid key files go.
    pub dir: PathBuf,
    /// Bind a non-loopback address anyway.
    pub allow_exposed: bool,
    /// How many log entries to keep in memory.
    pub log_capacity: usize,
}

impl LabConfig {
    /// 127.0.0.1, any free ports, files in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            dir: dir.into(),
            allow_exposed: false,
            log_capacity: 1000,
        }
    }
}

/// A running lab. Dropping it stops the servers.
pub struct LabHandle {
    pub http_addr: SocketAddr,
    pub https_addr: SocketAddr,
    /// The CA that issued the HTTPS certificate, PEM, for clients to trust.
    pub ca_pem: String,
    /// The addresses and the CA file, as lessons see them.
    pub urls: LabUrls,
    pub state: Arc<LabState>,
    /// Trip to stop serving.
    pub shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl LabHandle {
    pub fn http_url(&self) -> String {
        format!("http://{}", self.http_addr)
    }

    pub fn https_url(&self) -> String {
        format!("https://{}", self.https_addr)
    }

    /// Stops serving and waits (up to five seconds) for open requests to finish.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        let tasks = std::mem::take(&mut self.tasks);
        let all = futures_util::future::join_all(tasks);
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), all).await;
    }
}

impl Drop for LabHandle {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The lab's addresses and CA file, written by the lab into its folder so lessons (in any
/// process) can name real URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabUrls {
    pub http: String,
    pub https: String,
    /// The CA file that issued the HTTPS certificate, for clients to trust.
    pub ca: String,
}

impl LabUrls {
    const FILE: &'static str = "lab.json";

    pub fn load(lab_dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(lab_dir.join(Self::FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    pub fn save(&self, lab_dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string(self).map_err(std::io::Error::other)?;
        crate::http::workspace::write_atomic(&lab_dir.join(Self::FILE), text.as_bytes())
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

/// Starts the lab in the current tokio runtime and returns once both listeners are bound.
pub async fn start(config: LabConfig) -> Result<LabHandle, LabError> {
    if !config.bind.is_loopback() && !config.allow_exposed {
        return Err(LabError::NotLoopback(config.bind));
    }
    let https_port = match config.port {
        0 => 0,
        p => p.checked_add(1).ok_or(LabError::PortRange(p))?,
    };
    let io = |what: &std::path::Path, e: std::io::Error| {
        LabError::Io(format!("cannot write {}", what.display()), e.to_string())
    };
    let key_dir = config.dir.join("keys");
    std::fs::create_dir_all(&key_dir).map_err(|e| io(&key_dir, e))?;

    // RSA key generation takes up to a second: keep it off the async workers.
    let (keys, tls) = tokio::task::spawn_blocking(move || make_keys(key_dir))
        .await
        .map_err(|e| LabError::Keys(e.to_string()))??;
    let log_path = config.dir.join("access.log");
    let log =
        log::AccessLog::open(Some(&log_path), config.log_capacity).map_err(|e| io(&log_path, e))?;
    let state = Arc::new(LabState::new(
        keys,
        log,
        Some(config.dir.join("progress.json")),
    )?);

    let bind = |port: u16| async move {
        let addr = SocketAddr::new(config.bind, port);
        TcpListener::bind(addr)
            .await
            .map_err(|e| LabError::Bind(addr, e.to_string()))
    };
    let http = bind(config.port).await?;
    let https = bind(https_port).await?;
    let local = |l: &TcpListener| {
        l.local_addr()
            .map_err(|e| LabError::Io("listener".into(), e.to_string()))
    };
    let (http_addr, https_addr) = (local(&http)?, local(&https)?);
    let _ = state.addrs.set((http_addr, https_addr));
    // Clients trust the CA from here, and lessons read the addresses to name real URLs,
    // from any process.
    let ca = config.dir.join("ca.pem");
    crate::http::workspace::write_atomic(&ca, tls.ca_pem.as_bytes())
        .map_err(|e| LabError::Io(format!("cannot write {}", ca.display()), e.to_string()))?;
    let urls = LabUrls {
        http: format!("http://{http_addr}"),
        https: format!("https://{https_addr}"),
        ca: ca.display().to_string(),
    };
    urls.save(&config.dir).map_err(|e| {
        LabError::Io(
            format!("cannot write {}", config.dir.display()),
            e.to_string(),
        )
    })?;
    let https = tls::TlsListener::new(https, tls.server_config.clone())
        .map_err(|e| LabError::Io("listener".into(), e.to_string()))?;

    let shutdown = CancellationToken::new();
    let router = server::router(state.clone());
    let tasks = vec![
        tokio::spawn(server::serve(
            http,
            router.clone(),
            Scheme::Http,
            shutdown.clone(),
        )),
        tokio::spawn(server::serve(
            https,
            router,
            Scheme::Https,
            shutdown.clone(),
        )),
    ];
    Ok(LabHandle {
        http_addr,
        https_addr,
        ca_pem: tls.ca_pem,
        urls,
        state,
        shutdown,
        tasks,
    })
}

fn make_keys(key_dir: PathBuf) -> Result<(state::LabKeys, tls::LabTls), LabError> {
    let fail = |e: &dyn std::fmt::Display| LabError::Keys(e.to_string());
    let pair = crate::jwt::keygen::generate("RS256").map_err(|e| fail(&e))?;
    let public_pem = crate::jwt::keygen::public_pem(&pair).map_err(|e| fail(&e))?;
    let hs_secret = state::random_hex(32).into_bytes();
    // The kid route reads its key from this file; the hardened twin never touches files.
    let key_file = key_dir.join(jwt_routes::KID_FILE);
    crate::fs::write_atomic(&key_file, &hs_secret, crate::fs::Perm::Private)
        .map_err(|e| fail(&e))?;
    let keys = state::LabKeys {
        hs_secret,
        rsa_private_pem: pair.private_pem,
        rsa_public_pem: public_pem,
        rsa_public_jwk: pair.public_jwk,
        key_dir,
    };
    Ok((keys, tls::generate()?))
}

/// Now, unix seconds.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
