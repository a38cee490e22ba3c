//! The practice lab: a deliberately vulnerable API on loopback, to learn API security on.
//!
//! Each bug has its own route and a hardened twin under `/hardened` (see [`routes::ROUTES`]),
//! served over HTTP and HTTPS (a certificate made at start). The lab logs every request
//! redacted ([`log`]) and records which exploits worked ([`progress`]) so lessons can check:
//! in process through [`LabState::successes`] and [`LabState::has`], from another process
//! through `GET /lab/progress`, and after the fact through `progress.json`.
//!
//! Labs started from one folder run side by side: each keeps its addresses, CA and key files
//! in a folder of its own ([`instance`]), and they share the exploit record and the log.
//!
//! [`start`] runs it inside the caller's tokio runtime: `apiward lab` and, later, the TUI and
//! the tests all use it.

pub mod api_routes;
mod fetch;
pub mod instance;
pub mod jwt_routes;
pub mod log;
mod log_layer;
mod openapi;
pub mod owasp_routes;
mod owasp_state;
pub mod partner;
pub mod progress;
mod refuse;
pub mod routes;
mod server;
pub mod state;
pub mod tls;
mod writer;

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
        "{0} is not a loopback address: the lab is deliberately vulnerable, so it only binds to 127.0.0.1 or ::1"
    )]
    NotLoopback(IpAddr),
    #[error("port {0} leaves no room for the HTTPS port above it")]
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

impl crate::error_kind::Kind for LabError {
    /// An address or port the lab refuses, or a progress file that is not one, is bad input;
    /// a lab that could not start is not.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            LabError::NotLoopback(_) | LabError::PortRange(_) | LabError::Progress(_) => {
                crate::error_kind::ExitKind::BadInput
            }
            _ => crate::error_kind::ExitKind::Failure,
        }
    }
}

/// How to run the lab.
#[derive(Debug, Clone)]
pub struct LabConfig {
    /// The address to bind; loopback unless `allow_exposed`.
    pub bind: IpAddr,
    /// The HTTP port; HTTPS is the next one. 0 picks free ports for both.
    pub port: u16,
    /// The lab root: `access.log` and `progress.json`, shared by the labs started from it,
    /// and under `instances/` each running lab's own folder (see [`instance`]).
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
    /// This lab's own folder: `lab.json`, `ca.pem` and `keys/`.
    pub dir: PathBuf,
    pub state: Arc<LabState>,
    /// Trip to stop serving.
    pub shutdown: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
    /// Marks the folder as in use until the handle goes.
    _instance: instance::Instance,
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

/// The lab's addresses and CA file, written by the lab into its own folder so lessons (in any
/// process) can name real URLs; [`LabUrls::current`] finds the lab to name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabUrls {
    pub http: String,
    pub https: String,
    /// The CA file that issued the HTTPS certificate, for clients to trust.
    pub ca: String,
    /// The partner API the lab consumes (`http://127.0.0.1:PORT`); empty from labs before it.
    #[serde(default)]
    pub partner: String,
}

impl LabUrls {
    const FILE: &'static str = "lab.json";

    pub fn load(lab_dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(lab_dir.join(Self::FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The addresses of the lab lessons should name among those running from `root` (see
    /// [`instance::current`]); none when no lab runs there.
    pub fn current(root: &Path) -> Option<Self> {
        Self::load(&instance::current(root)?)
    }

    pub fn save(&self, lab_dir: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string(self).map_err(std::io::Error::other)?;
        crate::fs::write_atomic(
            &lab_dir.join(Self::FILE),
            text.as_bytes(),
            crate::fs::Perm::Keep,
        )
    }
}

/// The shared exploit record in a lab root.
pub fn progress_file(root: &Path) -> PathBuf {
    root.join("progress.json")
}

/// The shared access log in a lab root.
pub fn access_log(root: &Path) -> PathBuf {
    root.join("access.log")
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
    let root = config.dir.clone();
    // A folder of its own, RSA key generation (up to a second), the saved record and the
    // log file: all blocking, so none of it on the async workers.
    let (instance, keys, tls, saved, writer) = tokio::task::spawn_blocking(move || prepare(&root))
        .await
        .map_err(|e| LabError::Keys(e.to_string()))??;
    let state = Arc::new(LabState::new(
        keys,
        log::AccessLog::new(config.log_capacity),
        saved,
        writer,
    ));

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
    // The partner API the lab consumes, on a port of its own like a real third party.
    let partner = bind(0).await?;
    let (http_addr, https_addr) = (local(&http)?, local(&https)?);
    let partner_addr = local(&partner)?;
    let _ = state.addrs.set((http_addr, https_addr));
    let _ = state.partner.set(partner_addr);
    // Clients trust the CA from here, and lessons read the addresses to name real URLs,
    // from any process. lab.json comes last: it says the lab is up.
    let dir = instance.dir.clone();
    let ca = dir.join("ca.pem");
    let urls = LabUrls {
        http: format!("http://{http_addr}"),
        https: format!("https://{https_addr}"),
        ca: ca.display().to_string(),
        partner: format!("http://{partner_addr}"),
    };
    let (ca_pem, saved_urls) = (tls.ca_pem.clone(), urls.clone());
    tokio::task::spawn_blocking(move || {
        crate::fs::write_atomic(&ca, ca_pem.as_bytes(), crate::fs::Perm::Keep)
            .map_err(|e| cannot_write(&ca, e))?;
        saved_urls
            .save(&dir)
            .map_err(|e| cannot_write(&dir.join(LabUrls::FILE), e))
    })
    .await
    .map_err(|e| LabError::Io("lab.json".into(), e.to_string()))??;
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
        tokio::spawn(server::serve(
            partner,
            partner::router(),
            Scheme::Http,
            shutdown.clone(),
        )),
    ];
    Ok(LabHandle {
        http_addr,
        https_addr,
        ca_pem: tls.ca_pem,
        urls,
        dir: instance.dir.clone(),
        state,
        shutdown,
        tasks,
        _instance: instance,
    })
}

/// What [`start`] needs from the disk before it binds, made on a blocking thread.
type Prepared = (
    instance::Instance,
    state::LabKeys,
    tls::LabTls,
    Vec<Success>,
    writer::Writer,
);

fn cannot_write(what: &Path, e: std::io::Error) -> LabError {
    LabError::Io(format!("cannot write {}", what.display()), e.to_string())
}

fn prepare(root: &Path) -> Result<Prepared, LabError> {
    let io = cannot_write;
    // Read first: a damaged record stops the start before anything is made.
    let saved = progress::load(&progress_file(root))?;
    let instance = instance::Instance::claim(root).map_err(|e| io(root, e))?;
    // The kid route reads its key file from here: this lab's own, never another's.
    let key_dir = instance.dir.join("keys");
    std::fs::create_dir_all(&key_dir).map_err(|e| io(&key_dir, e))?;
    let (keys, tls) = make_keys(key_dir)?;
    let log = access_log(root);
    let writer = writer::Writer::spawn(&log, progress_file(root)).map_err(|e| io(&log, e))?;
    Ok((instance, keys, tls, saved, writer))
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
        hidden_rsa: tokio::sync::OnceCell::new(),
    };
    Ok((keys, tls::generate()?))
}

/// Now, unix seconds.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
