//! The middleware that writes the access log (`super::log`): it gives each request an id,
//! sent back as `X-Request-Id`, times it, and hands the redacted entry to the lab's state.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value};

use super::log::{BODY_LIMIT, LogEntry, logged_headers, redact_json, redact_target, scrub_tokens};
use super::state::{LabState, RequestId, Scheme};

/// The middleware: gives the request an id, times it, and logs it redacted.
pub async fn middleware(
    State(state): State<Arc<LabState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = RequestId::new();
    let scheme = request
        .extensions()
        .get::<Scheme>()
        .copied()
        .unwrap_or(Scheme::Http);
    let method = request.method().to_string();
    let path = redact_target(
        request.uri().path(),
        request.uri().query().unwrap_or_default(),
    );
    let headers = logged_headers(request.headers());
    let (request_with_body, body) = read_body(request).await;
    request = request_with_body;
    request.extensions_mut().insert(id.clone());
    let mut response = next.run(request).await;
    if let Ok(value) = id.0.parse() {
        response.headers_mut().insert("x-request-id", value);
    }
    let entry = LogEntry {
        ts: super::now(),
        request_id: id.0,
        scheme: scheme.as_str(),
        method,
        path: scrub_tokens(&path),
        status: response.status().as_u16(),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        client: client.to_string(),
        headers,
        body,
    };
    state.log_request(entry);
    // Answer only once the line and any exploit this request recorded are on disk (off the
    // async workers), so a check from another process right after sees them.
    state.flush().await;
    response
}

/// Reads a small JSON or form body for the log and puts it back for the handler.
async fn read_body(request: Request) -> (Request, Option<Value>) {
    let content_type = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let small = request
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > 0 && n <= BODY_LIMIT);
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if !small || !(content_type.contains("json") || form) {
        return (request, None);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (Request::from_parts(parts, Body::empty()), None);
    };
    let logged = if form {
        let pairs: Map<String, Value> = form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.to_string(), Value::String(v.into_owned())))
            .collect();
        Some(redact_json(Value::Object(pairs)))
    } else {
        serde_json::from_slice(&bytes).ok().map(redact_json)
    };
    (Request::from_parts(parts, Body::from(bytes)), logged)
}
