//! Putting the lab together: the router (vulnerable routes at the top, twins under
//! `/hardened`), the two header policies, and serving it over HTTP and HTTPS.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Extension, Json, Router};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::refuse::refuse;
use super::state::{LabState, Scheme};
use super::{api_routes as api, jwt_routes as jwt, log_layer, owasp_routes as owasp, routes};

/// The routes that come in pairs; `HARDENED` picks the twin.
fn twinned<const HARDENED: bool>() -> Router<Arc<LabState>> {
    Router::new()
        .route("/login", post(api::login::<HARDENED>))
        .route("/api/status", get(api::status))
        .route("/api/me", get(api::me).patch(api::update_me::<HARDENED>))
        .route("/api/users", get(api::users::<HARDENED>))
        .route("/api/users/{id}", get(api::user_by_id::<HARDENED>))
        .route("/api/reports", get(api::reports::<HARDENED>))
        .route("/api/orders/{id}", get(api::order::<HARDENED>))
        .route("/jwt/{class}/login", post(jwt::login::<HARDENED>))
        .route("/jwt/{class}/me", get(jwt::me::<HARDENED>))
        .route("/jwt/{class}/admin", get(jwt::admin::<HARDENED>))
        .route("/api/admin/export", get(owasp::admin_export::<HARDENED>))
        .route("/api/coupons/redeem", post(owasp::redeem::<HARDENED>))
        .route("/api/link-preview", post(owasp::link_preview::<HARDENED>))
        .route("/api/companies/{id}", get(owasp::company::<HARDENED>))
        .route("/v1/users/{id}", get(owasp::v1_user::<HARDENED>))
}

/// The whole lab. The scheme of the listener is added by [`serve`].
pub fn router(state: Arc<LabState>) -> Router {
    let vulnerable =
        twinned::<false>().layer(from_fn_with_state(state.clone(), permissive_headers));
    let hardened = twinned::<true>().layer(from_fn_with_state(state.clone(), strict_headers));
    Router::new()
        .merge(vulnerable)
        .nest("/hardened", hardened)
        .route("/", get(index))
        .route("/lab/progress", get(progress))
        .route("/internal/metadata", get(owasp::internal_metadata))
        .route("/openapi.json", get(super::openapi::serve))
        .route("/.well-known/jwks.json", get(jwt::jwks))
        .route("/.well-known/public.pem", get(jwt::public_pem))
        .fallback(|| async { refuse(StatusCode::NOT_FOUND, "no such route: see GET /") })
        .layer(from_fn_with_state(state.clone(), log_layer::middleware))
        .with_state(state)
}

async fn index(State(state): State<Arc<LabState>>) -> Json<serde_json::Value> {
    let partner = state.partner.get().map(|a| format!("http://{a}"));
    Json(json!({
        "lab": "apiward practice lab",
        "warning": "deliberately vulnerable: keep it on loopback",
        "demo_login": { "username": "alice", "password": "alice-password" },
        "partner_api": partner,
        "routes": routes::ROUTES,
    }))
}

async fn progress(State(state): State<Arc<LabState>>) -> Json<serde_json::Value> {
    Json(json!({ "successes": state.successes() }))
}

/// The vulnerable routes' policy: no security headers, and CORS that reflects any Origin
/// with credentials, so any website may read a logged-in user's data.
async fn permissive_headers(
    State(state): State<Arc<LabState>>,
    request: Request,
    next: Next,
) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let preflight = request.method() == Method::OPTIONS && origin.is_some();
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert("x-powered-by", HeaderValue::from_static("apiward-lab/0.1"));
    if let Some(origin) = origin {
        let text = origin.to_str().unwrap_or_default().to_string();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        if preflight {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST, PATCH, DELETE"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type, x-api-key"),
            );
        }
        if !is_lab_origin(&state, &text) {
            state.record(
                "cors-origin-reflected",
                format!("the foreign origin {text} was allowed with credentials"),
            );
        }
    }
    response
}

/// The twins' policy: plain HTTP is redirected to HTTPS, and answers carry CSP, HSTS,
/// nosniff, frame denial and a strict referrer policy. CORS allows the lab's own origin only.
async fn strict_headers(
    State(state): State<Arc<LabState>>,
    request: Request,
    next: Next,
) -> Response {
    let scheme = request.extensions().get::<Scheme>().copied();
    if scheme != Some(Scheme::Https)
        && let Some((_, https)) = state.addrs.get()
    {
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        // The router nests the twins under /hardened and strips it; put it back.
        let location = format!("https://{}/hardened{target}", https_host(https));
        let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        return r;
    }
    let origin = request.headers().get(header::ORIGIN).cloned();
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    );
    set(
        h,
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    set(h, "cache-control", "no-store");
    if let Some(origin) = origin
        && is_lab_origin(&state, origin.to_str().unwrap_or_default())
    {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

fn https_host(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V6(v6) => format!("[{}]:{}", v6.ip(), v6.port()),
        SocketAddr::V4(v4) => v4.to_string(),
    }
}

/// The lab's own origins (either scheme, any loopback spelling of its ports).
fn is_lab_origin(state: &LabState, origin: &str) -> bool {
    let Some((http, https)) = state.addrs.get() else {
        return false;
    };
    [("http", http.port()), ("https", https.port())]
        .iter()
        .any(|(scheme, port)| {
            ["localhost".to_string(), "127.0.0.1".into(), "[::1]".into()]
                .iter()
                .any(|host| origin == format!("{scheme}://{host}:{port}"))
        })
}

/// Serves `router` on an already bound listener until `shutdown` trips.
pub async fn serve<L>(listener: L, router: Router, scheme: Scheme, shutdown: CancellationToken)
where
    L: axum::serve::Listener<Addr = SocketAddr>,
{
    let app = router
        .layer(Extension(scheme))
        .into_make_service_with_connect_info::<SocketAddr>();
    // tap_io gives any listener whose address is a SocketAddr axum's ConnectInfo.
    let listener = listener.tap_io(|_| {});
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await;
    if let Err(e) = result {
        tracing::warn!("lab {} server stopped: {e}", scheme.as_str());
    }
}
