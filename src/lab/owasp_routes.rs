//! The routes for the OWASP API Top 10 2023 entries the first routes left out: API5 (an admin
//! function that checks who you are but not what you may do), API6 (a business flow with no
//! limit), API7 (server-side request forgery through a link preview), API9 (a forgotten older
//! version) and API10 (a partner's data trusted as it comes). Each has its hardened twin under
//! `/hardened`, sharing the handler and differing only where the bug is.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::api_routes::caller;
use super::refuse::refuse;
use super::state::LabState;

/// The welcome coupon: one per customer, on paper.
pub const COUPON: &str = "WELCOME10";
/// Redemptions of the coupon by one user that count as abusing the flow.
pub const COUPON_ABUSE: u32 = 3;
/// The header the lab's own fetches carry: it stands for "this request comes from inside the
/// server's network", which is what the internal route trusts.
const INTERNAL_HEADER: &str = "x-lab-internal";
/// The only destinations the hardened link preview would fetch.
pub const PREVIEW_ALLOWLIST: &[&str] = &["docs.lab.apiward.test", "status.lab.apiward.test"];

/// `GET /api/admin/export` (API5): every account, for admins. The vulnerable route checks the
/// session and nothing else; the twin also checks the role.
pub async fn admin_export<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    headers: HeaderMap,
) -> Response {
    let me = match caller(&state, &headers) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    if me.role != "admin" {
        if HARDENED {
            return refuse(StatusCode::FORBIDDEN, "admins only");
        }
        state.record(
            "bfla-admin-function",
            format!(
                "{} (role {}) called the admin-only GET /api/admin/export",
                me.username, me.role
            ),
        );
    }
    let accounts: Vec<Value> = state.users().iter().map(|u| u.public()).collect();
    Json(json!({ "export": "accounts", "accounts": accounts })).into_response()
}

#[derive(serde::Deserialize)]
pub struct Redeem {
    code: String,
}

/// `POST /api/coupons/redeem` (API6): the welcome coupon adds 10 credits, "once per customer",
/// but the vulnerable route never remembers who redeemed it. The twin does.
pub async fn redeem<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    headers: HeaderMap,
    Json(body): Json<Redeem>,
) -> Response {
    let me = match caller(&state, &headers) {
        Ok(u) => u,
        Err(r) => return *r,
    };
    if !body.code.eq_ignore_ascii_case(COUPON) {
        return refuse(StatusCode::NOT_FOUND, "no such coupon");
    }
    let times = {
        let mut redeemed = lock(&state.owasp.redeemed);
        let n = redeemed.entry((HARDENED, me.id)).or_insert(0);
        if HARDENED && *n >= 1 {
            return refuse(
                StatusCode::CONFLICT,
                "you already redeemed this coupon: it is one per customer",
            );
        }
        *n += 1;
        *n
    };
    if !HARDENED && times >= COUPON_ABUSE {
        state.record(
            "coupon-redeemed-repeatedly",
            format!(
                "{} redeemed the one-per-customer coupon {COUPON} {times} times",
                me.username
            ),
        );
    }
    Json(json!({
        "coupon": COUPON, "redeemed_by": me.username, "times": times, "credit": 10 * times,
    }))
    .into_response()
}

#[derive(serde::Deserialize)]
pub struct Preview {
    url: String,
}

/// `POST /api/link-preview` (API7): fetches the URL a user pastes and shows its start. The
/// vulnerable route fetches whatever it is given (on loopback only: see [`super::fetch`]),
/// from inside the server's network, so `/internal/metadata` answers it. The twin allows only
/// https to a short list of hosts and refuses addresses in loopback and private ranges.
pub async fn link_preview<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    Json(body): Json<Preview>,
) -> Response {
    if HARDENED {
        return match allowed_destination(&body.url) {
            // Allowed, but the lab sends nothing off the machine: say what would happen.
            Ok(host) => Json(json!({
                "url": body.url,
                "preview": format!("{host} is on the allow-list; a real server would fetch it now"),
            }))
            .into_response(),
            Err(why) => refuse(StatusCode::BAD_REQUEST, &why),
        };
    }
    let secret = state.owasp.internal_secret.clone();
    match super::fetch::get(&body.url, 64 << 10, &[(INTERNAL_HEADER, &secret)]).await {
        Ok(page) => {
            let preview: String = page.body.chars().take(2000).collect();
            Json(json!({ "url": body.url, "status": page.status, "preview": preview }))
                .into_response()
        }
        Err(e) => refuse(StatusCode::BAD_GATEWAY, &format!("cannot preview: {e}")),
    }
}

/// Why the hardened preview will not fetch `url`, or the host it would fetch.
pub fn allowed_destination(url: &str) -> Result<String, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("'{url}' is not a URL: {e}"))?;
    if parsed.scheme() != "https" {
        return Err("only https links are previewed".into());
    }
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    if let Ok(ip) = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        && internal_ip(ip)
    {
        return Err(format!(
            "{ip} is a loopback, private or link-local address: never fetched"
        ));
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return Err("localhost is never fetched".into());
    }
    if !PREVIEW_ALLOWLIST.contains(&host.as_str()) {
        return Err(format!(
            "{host} is not on the allow-list ({})",
            PREVIEW_ALLOWLIST.join(", ")
        ));
    }
    Ok(host)
}

/// Loopback, private, link-local (cloud metadata lives there), unspecified and the like.
fn internal_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| internal_ip(IpAddr::V4(v4)))
        }
    }
}

/// `GET /internal/metadata`: what a cloud metadata service would hold. It answers only
/// requests from inside the server's network (the lab's own fetches), and records the SSRF.
pub async fn internal_metadata(State(state): State<Arc<LabState>>, headers: HeaderMap) -> Response {
    let inside = headers
        .get(INTERNAL_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == state.owasp.internal_secret);
    if !inside {
        return refuse(
            StatusCode::FORBIDDEN,
            "internal network only: this route is not for clients",
        );
    }
    state.record(
        "ssrf-internal-reached",
        "the link preview fetched the internal-only /internal/metadata",
    );
    Json(json!({
        "instance": "lab-api-1",
        "iam": { "role": "lab-api", "access_key": "AKIALABEXAMPLE0000000", "secret_key": "lab/not-a-real-secret" },
    }))
    .into_response()
}

/// `GET /v1/users/{id}` (API9): the first version of the user API, still deployed: no
/// login, whole records. The current `/api/users/{id}` wants a session; the twin has retired
/// v1 and says where to go.
pub async fn v1_user<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    Path(id): Path<u64>,
) -> Response {
    if HARDENED {
        return refuse(
            StatusCode::GONE,
            "API v1 is retired: use /api/users/{id}, which needs a session",
        );
    }
    let Some(user) = state.user(id) else {
        return refuse(StatusCode::NOT_FOUND, "no such user");
    };
    state.record(
        "old-api-version-used",
        format!(
            "the old /v1/users/{id} gave out {}'s record and API key without a login",
            user.username
        ),
    );
    let mut record = user.public();
    record["api_key"] = json!(user.api_key);
    record["api_version"] = json!("v1");
    Json(record).into_response()
}

/// `GET /api/companies/{id}` (API10): the company directory comes from a partner API the lab
/// calls (see [`super::partner`]). The vulnerable route passes the partner's answer on as it
/// comes; the twin checks it against what a company record may hold and refuses the rest.
pub async fn company<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    Path(id): Path<u64>,
) -> Response {
    let Some(partner) = state.partner.get() else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "the partner API is not up");
    };
    let url = format!("http://{partner}/companies/{id}");
    let fetched = match super::fetch::get(&url, 64 << 10, &[]).await {
        Ok(f) => f,
        Err(e) => return refuse(StatusCode::BAD_GATEWAY, &format!("the partner API: {e}")),
    };
    if fetched.status == 404 {
        return refuse(StatusCode::NOT_FOUND, "no such company");
    }
    let data: Value = match serde_json::from_str(&fetched.body) {
        Ok(v) => v,
        Err(_) if HARDENED => {
            return refuse(
                StatusCode::BAD_GATEWAY,
                "the partner's answer is not JSON: refused",
            );
        }
        Err(_) => Value::String(fetched.body),
    };
    match super::partner::validate_company(&data) {
        Ok(clean) if HARDENED => {
            Json(json!({ "company": clean, "source": "partner" })).into_response()
        }
        Err(why) if HARDENED => refuse(
            StatusCode::BAD_GATEWAY,
            &format!("the partner's answer did not validate, so it is not passed on: {why}"),
        ),
        Ok(_) => Json(json!({ "company": data, "source": "partner" })).into_response(),
        Err(why) => {
            state.record(
                "partner-data-trusted",
                format!(
                    "/api/companies/{id} passed on a partner answer that fails validation ({why})"
                ),
            );
            Json(json!({ "company": data, "source": "partner" })).into_response()
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hardened_preview_allows_only_listed_https_hosts() {
        assert!(allowed_destination("https://docs.lab.apiward.test/x").is_ok());
        for bad in [
            "http://docs.lab.apiward.test/",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://10.1.2.3/",
            "https://169.254.169.254/latest/",
            "https://192.168.0.1/",
            "https://[::ffff:127.0.0.1]/",
            "https://localhost/",
            "https://example.com/",
        ] {
            assert!(allowed_destination(bad).is_err(), "{bad}");
        }
    }
}
