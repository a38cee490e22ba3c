//! The API routes: OWASP API Top 10 bugs outside JWTs, each with a hardened twin under
//! `/hardened` that shares the handler and differs only where the bug is.
//!
//! Callers authenticate with the session token from `POST /login`, as a bearer token or the
//! `session` cookie; API-key routes take the key from login too.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Extension, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::jwt_routes::{Credentials, bearer, issue_session, verify_session};
use super::refuse::refuse;
use super::state::{LOGIN_ATTEMPTS, LabState, RequestId, Scheme, User};

/// `POST /login`: no rate limit, a cookie without flags, fine over plain HTTP. The twin
/// answers 429 after [`LOGIN_ATTEMPTS`] failures and sets Secure, HttpOnly, SameSite.
pub async fn login<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Extension(scheme): Extension<Scheme>,
    Json(creds): Json<Credentials>,
) -> Response {
    let ip = client.ip();
    if HARDENED && state.locked_out(ip) {
        let mut r = refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "too many failed logins: try again in a minute",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return r;
    }
    let user = state.check_password(&creds.username, &creds.password);
    let failures_before = state.count_login(ip, &creds.username, user.is_some());
    let Some(user) = user else {
        return refuse(StatusCode::UNAUTHORIZED, "wrong username or password");
    };
    if !HARDENED {
        if failures_before >= LOGIN_ATTEMPTS {
            state.record(
                "login-brute-force",
                format!(
                    "{}'s password was found after {failures_before} failed logins on /login",
                    user.username
                ),
            );
        }
        if scheme == Scheme::Http {
            state.record(
                "plain-http-credentials",
                format!(
                    "{}'s password was sent over plain HTTP to /login",
                    user.username
                ),
            );
        }
    }
    let token = match issue_session(&state, &user) {
        Ok(t) => t,
        Err(e) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    let flags = if HARDENED {
        "; Secure; HttpOnly; SameSite=Strict"
    } else {
        ""
    };
    let cookie = format!("session={token}; Path=/{flags}");
    let body = json!({ "token": token, "api_key": user.api_key, "user": user.public() });
    let mut response = Json(body).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The caller, from a verified session token (bearer or cookie), as the store has them now.
/// Refusals are boxed: a `Response` is large and this is the cold path.
pub(crate) fn caller(state: &LabState, headers: &HeaderMap) -> Result<User, Box<Response>> {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("session="));
    let token = bearer(headers).or(cookie).ok_or_else(|| {
        Box::new(refuse(
            StatusCode::UNAUTHORIZED,
            "log in first: POST /login",
        ))
    })?;
    let claims =
        verify_session(state, token).map_err(|e| Box::new(refuse(StatusCode::UNAUTHORIZED, &e)))?;
    claims
        .get("uid")
        .and_then(Value::as_u64)
        .and_then(|id| state.user(id))
        .ok_or_else(|| Box::new(refuse(StatusCode::UNAUTHORIZED, "the token names no user")))
}

/// `GET /api/users/{id}`: BOLA. The vulnerable route returns anyone's record; the twin only
/// yours (or any to an admin).
pub async fn user_by_id<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    Path(id): Path<u64>,
    headers: HeaderMap,
) -> Response {
    let me = match caller(&state, &headers) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    let Some(user) = state.user(id) else {
        return refuse(StatusCode::NOT_FOUND, "no such user");
    };
    if user.id != me.id {
        if HARDENED && me.role != "admin" {
            return refuse(StatusCode::FORBIDDEN, "you can only read your own record");
        }
        if !HARDENED {
            state.record(
                "bola-read-other-user",
                format!(
                    "{} read {}'s record at /api/users/{id}",
                    me.username, user.username
                ),
            );
        }
    }
    Json(user.public()).into_response()
}

/// `GET /api/users`: excessive data exposure. The vulnerable route dumps whole records,
/// password hashes and API keys included; the twin lists names.
pub async fn users<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = caller(&state, &headers) {
        return *r;
    }
    let users = state.users().clone();
    if HARDENED {
        let list: Vec<Value> = users
            .iter()
            .map(|u| json!({ "id": u.id, "username": u.username }))
            .collect();
        return Json(json!({ "users": list })).into_response();
    }
    state.record(
        "excessive-data-exposure",
        format!(
            "/api/users returned the password hashes of {} users",
            users.len()
        ),
    );
    Json(json!({ "users": users })).into_response()
}

/// `GET /api/me`: your own record.
pub async fn me(State(state): State<Arc<LabState>>, headers: HeaderMap) -> Response {
    match caller(&state, &headers) {
        Ok(me) => Json(me.public()).into_response(),
        Err(r) => *r,
    }
}

/// `PATCH /api/me`: mass assignment. The vulnerable route copies every field it knows,
/// `role` included; the twin only changes the email.
pub async fn update_me<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    headers: HeaderMap,
    Json(changes): Json<Map<String, Value>>,
) -> Response {
    let me = match caller(&state, &headers) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    let updated = {
        let mut users = state.users();
        let Some(user) = users.iter_mut().find(|u| u.id == me.id) else {
            return refuse(StatusCode::NOT_FOUND, "no such user");
        };
        for (field, value) in &changes {
            let Some(text) = value.as_str() else { continue };
            match field.as_str() {
                "email" => user.email = text.to_string(),
                "role" if !HARDENED => user.role = text.to_string(),
                _ => {}
            }
        }
        user.clone()
    };
    if !HARDENED && updated.role == "admin" && me.role != "admin" {
        state.record(
            "mass-assignment-admin",
            format!("{} made themselves admin with PATCH /api/me", me.username),
        );
    }
    Json(updated.public()).into_response()
}

#[derive(serde::Deserialize)]
pub struct KeyQuery {
    api_key: Option<String>,
}

/// `GET /api/reports`: an API key in the query string (where logs, proxies and browser
/// history keep it) is accepted; the twin takes it only in `X-API-Key`.
pub async fn reports<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    Query(query): Query<KeyQuery>,
    headers: HeaderMap,
) -> Response {
    let in_header = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    let key = match (in_header, query.api_key.as_deref()) {
        (Some(k), _) => k.to_string(),
        (None, Some(_)) if HARDENED => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "send the API key in the X-API-Key header, never in the URL",
            );
        }
        (None, Some(k)) => k.to_string(),
        (None, None) => return refuse(StatusCode::UNAUTHORIZED, "an API key is required"),
    };
    let Some(owner) = state.users().iter().find(|u| u.api_key == key).cloned() else {
        return refuse(StatusCode::UNAUTHORIZED, "unknown API key");
    };
    if !HARDENED && in_header.is_none() {
        state.record(
            "api-key-in-query",
            format!(
                "{}'s API key was accepted in the query string of /api/reports",
                owner.username
            ),
        );
    }
    Json(json!({
        "owner": owner.username,
        "reports": [{ "id": 1, "title": "Quarterly numbers" }, { "id": 2, "title": "Incidents" }],
    }))
    .into_response()
}

/// `GET /api/orders/{id}`: a non-numeric id makes the vulnerable route answer with a stack
/// trace and the SQL it ran; the twin says "internal error" with the request id to quote.
pub async fn order<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    Path(id): Path<String>,
    Extension(request_id): Extension<RequestId>,
) -> Response {
    match id.parse::<u32>() {
        Ok(n @ 1..=3) => Json(json!({ "id": n, "item": "lab mug", "total": 12.5 })).into_response(),
        Ok(_) => refuse(StatusCode::NOT_FOUND, "no such order"),
        Err(_) if HARDENED => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": "internal error", "request_id": request_id.0 })),
        )
            .into_response(),
        Err(e) => {
            state.record(
                "verbose-error-leak",
                format!("/api/orders/{id} answered with a stack trace and its SQL"),
            );
            let trace = format!(
                "thread 'tokio-runtime-worker' panicked at src/orders/repo.rs:88:14:\n\
                 called `Result::unwrap()` on an `Err` value: {e:?}\n\
                 query: SELECT * FROM orders WHERE id = '{id}' AND owner = $1\n\
                 database: postgres://orders_rw@db.internal:5432/shop\n\
                 stack backtrace:\n   0: shop::orders::repo::find_order\n   \
                 1: shop::orders::handlers::get_order\n   2: tokio::runtime::task::harness::poll"
            );
            (StatusCode::INTERNAL_SERVER_ERROR, trace).into_response()
        }
    }
}

/// `GET /api/status`: a public page, for auditing headers and CORS.
pub async fn status() -> Json<Value> {
    Json(json!({ "status": "ok", "service": "apiward practice lab" }))
}
