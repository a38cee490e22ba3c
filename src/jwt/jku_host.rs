//! The attacker's JWKS, served by the probe itself on an ephemeral 127.0.0.1 port while it
//! probes a target on this machine, so the jku variants are tested without the tester hosting
//! anything. Every path answers the JWKS (a redirect or a user-info URL may arrive with any
//! path), and each fetch is counted: a server that fetches the URL is following jku even
//! when it then refuses the key.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;
use tokio::sync::oneshot;

/// What the host serves and what it saw.
#[derive(Default)]
struct Shared {
    jwks: Option<String>,
    /// The path of each request, in order.
    fetched: Vec<String>,
}

/// A running JWKS host; it stops when dropped.
pub struct JkuHost {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    stop: Option<oneshot::Sender<()>>,
}

/// The path the probe's jku URL names.
const PATH: &str = "/jwks.json";

impl JkuHost {
    /// Binds 127.0.0.1 on a port the system picks and serves on the current tokio runtime.
    pub async fn start() -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = Router::new().fallback(serve).with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            addr,
            shared,
            stop: Some(stop),
        })
    }

    /// The URL the jku variants point at.
    pub fn url(&self) -> String {
        format!("http://{}{PATH}", self.addr)
    }

    /// Sets the JWKS to serve; until then every request gets 404.
    pub fn serve(&self, jwks: String) {
        self.lock().jwks = Some(jwks);
    }

    /// The paths fetched so far.
    pub fn fetched(&self) -> Vec<String> {
        self.lock().fetched.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for JkuHost {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn serve(State(shared): State<Arc<Mutex<Shared>>>, uri: Uri) -> impl IntoResponse {
    let mut shared = shared.lock().unwrap_or_else(PoisonError::into_inner);
    shared.fetched.push(uri.path().to_string());
    match &shared.jwks {
        Some(jwks) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            jwks.clone(),
        ),
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain")],
            "no JWKS yet".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn serves_the_jwks_on_any_path_and_counts_fetches() {
        let host = JkuHost::start().await.unwrap();
        let client = crate::net::build_client(&crate::net::ClientOptions::default()).unwrap();
        let early = client.get(host.url()).send().await.unwrap();
        assert_eq!(early.status(), 404);
        host.serve(r#"{"keys":[]}"#.into());
        let base = host.url().replace(PATH, "");
        let got = client
            .get(format!("{base}/elsewhere?x=1"))
            .send()
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
        assert_eq!(got.text().await.unwrap(), r#"{"keys":[]}"#);
        assert_eq!(host.fetched(), [PATH, "/elsewhere"]);
        let url = host.url();
        drop(host);
        // Stopped: the port no longer answers (a fresh client, so no pooled connection;
        // give the graceful shutdown a moment).
        let fresh = crate::net::build_client(&crate::net::ClientOptions::default()).unwrap();
        let mut refused = false;
        for _ in 0..50 {
            if fresh.get(&url).send().await.is_err() {
                refused = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert!(refused, "the host still answers after being dropped");
    }
}
