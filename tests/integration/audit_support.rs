//! Servers the audit tests need beyond the harness: one answering through a closure (to
//! reflect an Origin), and raw TCP servers that speak just enough TLS 1.0 to accept or refuse.

use std::convert::Infallible;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

use crate::harness::Route;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub type Handler = Arc<dyn Fn(&hyper::http::request::Parts) -> Response<Full<Bytes>> + Send + Sync>;

/// An HTTP(S) server on 127.0.0.1 port 0 whose every answer comes from `handler`.
pub struct FnServer {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FnServer {
    pub fn start(tls: Option<rustls::ServerConfig>, handler: Handler) -> Self {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let acceptor = tls.map(|c| tokio_rustls::TlsAcceptor::from(Arc::new(c)));
                let serve = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let (handler, acceptor) = (handler.clone(), acceptor.clone());
                        tokio::spawn(async move {
                            let service = service_fn(move |req: Request<hyper::body::Incoming>| {
                                let handler = handler.clone();
                                async move {
                                    let (parts, _) = req.into_parts();
                                    Ok::<_, Infallible>(handler(&parts))
                                }
                            });
                            let builder = auto::Builder::new(TokioExecutor::new());
                            match acceptor {
                                Some(a) => {
                                    if let Ok(tls) = a.accept(stream).await {
                                        let _ = builder
                                            .serve_connection(TokioIo::new(tls), service)
                                            .await;
                                    }
                                }
                                None => {
                                    let _ = builder
                                        .serve_connection(TokioIo::new(stream), service)
                                        .await;
                                }
                            }
                        });
                    }
                };
                tokio::select! { _ = serve => {} _ = stop_rx => {} }
            });
        });
        let addr = addr_rx.recv().unwrap();
        Self {
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn localhost_url(&self, scheme: &str, path: &str) -> String {
        format!("{scheme}://localhost:{}{path}", self.addr.port())
    }
}

impl Drop for FnServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A TCP server that answers one connection's first bytes with `reply` and closes.
pub fn raw_tls_server(reply: Vec<u8>) -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(&reply);
        }
    });
    addr
}

/// A ServerHello record choosing `version` and ECDHE-RSA-AES128-SHA.
pub fn server_hello(version: u16) -> Vec<u8> {
    let mut body = version.to_be_bytes().to_vec();
    body.extend_from_slice(&[0x11; 32]); // random
    body.push(0); // no session id
    body.extend_from_slice(&[0xc0, 0x13, 0x00]); // suite, null compression
    let mut hs = vec![0x02, 0, 0, body.len() as u8];
    hs.extend_from_slice(&body);
    let mut record = vec![0x16, 0x03, 0x01, 0, hs.len() as u8];
    record.extend_from_slice(&hs);
    record
}

/// A fatal protocol_version alert.
pub fn protocol_version_alert() -> Vec<u8> {
    vec![0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]
}

/// A route with every security header and a well-flagged cookie: the hardened baseline the
/// audit tests grade.
pub fn good_route(path: &str) -> Route {
    Route::new(path)
        .header("content-type", "application/json")
        .header(
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'",
        )
        .header(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        )
        .header("x-content-type-options", "nosniff")
        .header("x-frame-options", "DENY")
        .header("referrer-policy", "no-referrer")
        .header("cross-origin-resource-policy", "same-origin")
        .header("cross-origin-opener-policy", "same-origin")
        .header("cross-origin-embedder-policy", "require-corp")
        .header("permissions-policy", "camera=(), geolocation=()")
        .header("ratelimit-policy", "100;w=60")
        .header("cache-control", "no-store")
        .header(
            "set-cookie",
            "sid=abc; Secure; HttpOnly; SameSite=Strict; Path=/",
        )
        .body(r#"{"ok":true}"#)
}
