//! Real HTTP and HTTPS servers on 127.0.0.1 port 0 for tests, each on its own thread and
//! runtime, so synchronous tests (assert_cmd) and async tests can both use them.
//!
//! Routes are configured per test: a status, headers and a body per path, or an echo of the
//! request as JSON. Every request is recorded for assertions.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::pki::ServerCert;

/// What a path answers.
#[derive(Clone, Debug)]
pub struct Route {
    pub method: Option<String>,
    pub path: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub echo: bool,
    pub delay: Option<Duration>,
    /// Computes the status and body from the request, for servers with logic (token checks).
    pub handler: Option<Handler>,
}

/// A route's logic: the request in, status and body out.
pub type HandlerFn = dyn Fn(&SeenRequest) -> (u16, Vec<u8>) + Send + Sync;

#[derive(Clone)]
pub struct Handler(pub Arc<HandlerFn>);

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handler")
    }
}

impl Route {
    /// 200 with an empty body, for any method.
    pub fn new(path: &str) -> Self {
        Self {
            method: None,
            path: path.to_string(),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
            echo: false,
            delay: None,
            handler: None,
        }
    }

    /// Answers with whatever `handler` computes from the request.
    pub fn handler(
        path: &str,
        handler: impl Fn(&SeenRequest) -> (u16, Vec<u8>) + Send + Sync + 'static,
    ) -> Self {
        Self {
            handler: Some(Handler(Arc::new(handler))),
            ..Self::new(path)
        }
    }

    /// Answers with the request itself as JSON: method, path, headers and body.
    pub fn echo(path: &str) -> Self {
        Self {
            echo: true,
            ..Self::new(path)
        }
    }

    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct SeenRequest {
    pub method: String,
    pub path_and_query: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

pub struct TestServer {
    pub addr: SocketAddr,
    scheme: &'static str,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// A plain HTTP server.
    pub fn http(routes: Vec<Route>) -> Self {
        Self::start(routes, None)
    }

    /// An HTTPS server presenting `cert` (HTTP/1.1 and HTTP/2 by ALPN).
    pub fn https(routes: Vec<Route>, cert: &ServerCert) -> Self {
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(cert.chain.clone(), cert.key())
        .expect("server certificate");
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Self::start(routes, Some(Arc::new(config)))
    }

    /// An HTTPS server with a TLS configuration of the test's own making (a TLS 1.2-only
    /// server, say).
    pub fn https_with(routes: Vec<Route>, config: rustls::ServerConfig) -> Self {
        Self::start(routes, Some(Arc::new(config)))
    }

    fn start(routes: Vec<Route>, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let seen_in = seen.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("test server runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let routes = Arc::new(routes);
                let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
                let serve = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let routes = routes.clone();
                        let seen = seen_in.clone();
                        let acceptor = acceptor.clone();
                        tokio::spawn(async move {
                            let service =
                                service_fn(move |req| answer(req, routes.clone(), seen.clone()));
                            let builder = auto::Builder::new(TokioExecutor::new());
                            match acceptor {
                                Some(acceptor) => {
                                    if let Ok(tls) = acceptor.accept(stream).await {
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
                tokio::select! {
                    _ = serve => {}
                    _ = stop_rx => {}
                }
            });
        });
        let addr = addr_rx.recv().expect("server address");
        Self {
            addr,
            scheme,
            seen,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// The URL of `path` on this server, e.g. `http://127.0.0.1:41234/path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{}", self.scheme, self.addr, path)
    }

    /// The same URL with `localhost` as the host, for certificate name checks.
    pub fn localhost_url(&self, path: &str) -> String {
        format!("{}://localhost:{}{}", self.scheme, self.addr.port(), path)
    }

    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn answer(
    req: Request<Incoming>,
    routes: Arc<Vec<Route>>,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let request = SeenRequest {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path().to_string(), |pq| pq.to_string()),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    seen.lock().unwrap().push(request.clone());
    let route = routes.iter().find(|r| {
        r.path == parts.uri.path()
            && r.method
                .as_deref()
                .is_none_or(|m| m == parts.method.as_str())
    });
    let Some(route) = route else {
        return Ok(Response::builder()
            .status(404)
            .body(Full::new(Bytes::from_static(b"not found")))
            .unwrap());
    };
    if let Some(delay) = route.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::builder().status(route.status);
    for (name, value) in &route.headers {
        response = response.header(name, value);
    }
    if let Some(Handler(handler)) = &route.handler {
        let (status, body) = handler(&request);
        response = response.status(status);
        return Ok(response.body(Full::new(Bytes::from(body))).unwrap());
    }
    let body = if route.echo {
        response = response.header("content-type", "application/json");
        serde_json::to_vec(&serde_json::json!({
            "method": request.method,
            "path": request.path_and_query,
            "headers": request.headers,
            "body": String::from_utf8_lossy(&request.body),
        }))
        .unwrap()
    } else {
        route.body.clone()
    };
    Ok(response.body(Full::new(Bytes::from(body))).unwrap())
}
