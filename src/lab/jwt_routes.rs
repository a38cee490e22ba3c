//! The JWT routes: one class of verification bug per path, each with a hardened twin.
//!
//! `POST /jwt/{class}/login` issues a token for that class, `GET /jwt/{class}/me` says who the
//! token makes you, and `GET /jwt/{class}/admin` succeeds only for role admin. The twin under
//! `/hardened` verifies the same tokens properly: a fixed algorithm, the server's own key,
//! signature, expiry and issuer. A vulnerable route that accepts a token the lab never issued
//! (or, for `exp`, an expired one) records the class's success id.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use subtle::ConstantTimeEq;

use super::refuse::refuse;
use super::state::{LabState, User, WEAK_SECRET};
use crate::jwt::sign::{SigningKey, hmac_raw, sign};
use crate::jwt::{self, Decoded, KeyMaterial, VerifyOptions};

/// The issuer of every lab token.
const ISSUER: &str = "apiward-lab";
/// The kid of the lab's RSA key, and the key file the kid route reads.
const RSA_KID: &str = "lab-rsa";
pub const KID_FILE: &str = "hs256.key";

/// One kind of JWT verification bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtClass {
    Unverified,
    None,
    WeakSecret,
    Jwk,
    Jku,
    Kid,
    Confusion,
    Exp,
    /// Algorithm confusion with a key published nowhere: recover it from two tokens.
    HiddenKey,
}

impl JwtClass {
    pub const ALL: [JwtClass; 9] = [
        JwtClass::Unverified,
        JwtClass::None,
        JwtClass::WeakSecret,
        JwtClass::Jwk,
        JwtClass::Jku,
        JwtClass::Kid,
        JwtClass::Confusion,
        JwtClass::Exp,
        JwtClass::HiddenKey,
    ];

    /// The path segment: `/jwt/{slug}/…`.
    pub fn slug(self) -> &'static str {
        match self {
            JwtClass::Unverified => "unverified",
            JwtClass::None => "none",
            JwtClass::WeakSecret => "weak-secret",
            JwtClass::Jwk => "jwk",
            JwtClass::Jku => "jku",
            JwtClass::Kid => "kid",
            JwtClass::Confusion => "confusion",
            JwtClass::Exp => "exp",
            JwtClass::HiddenKey => "hidden-key",
        }
    }

    /// The success id recorded when the bug is exploited.
    pub fn success_id(self) -> &'static str {
        match self {
            JwtClass::Unverified => "jwt-signature-not-verified",
            JwtClass::None => "jwt-none-accepted",
            JwtClass::WeakSecret => "jwt-weak-secret-forged",
            JwtClass::Jwk => "jwt-jwk-injection",
            JwtClass::Jku => "jwt-jku-injection",
            JwtClass::Kid => "jwt-kid-traversal",
            JwtClass::Confusion => "jwt-alg-confusion",
            JwtClass::Exp => "jwt-expired-accepted",
            JwtClass::HiddenKey => "jwt-alg-confusion-hidden-key",
        }
    }

    fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The classes whose tokens are RS256 with the lab's RSA key.
    fn rsa(self) -> bool {
        matches!(self, JwtClass::Jwk | JwtClass::Jku | JwtClass::Confusion)
    }
}

#[derive(serde::Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// `POST /jwt/{class}/login` and its twin: a token for the class (and, for `exp`, an expired
/// one to try).
pub async fn login<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    UrlPath(slug): UrlPath<String>,
    Json(creds): Json<Credentials>,
) -> Response {
    let Some(class) = JwtClass::from_slug(&slug) else {
        return unknown_class(&slug);
    };
    let Some(user) = state.check_password(&creds.username, &creds.password) else {
        return refuse(StatusCode::UNAUTHORIZED, "wrong username or password");
    };
    if class == JwtClass::HiddenKey
        && let Err(e) = state.hidden_rsa().await
    {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, &e);
    }
    let now = super::now();
    let claims = |iat: i64| {
        let mut claims = claims_for(&user, iat);
        // Two logins in one second must still give two tokens: recovering the key needs two
        // different signatures.
        if class == JwtClass::HiddenKey {
            claims["jti"] = json!(super::state::random_hex(8));
        }
        claims
    };
    let mut body = Map::new();
    match issue(&state, class, HARDENED, &claims(now)) {
        Ok(token) => body.insert("token".into(), json!(token)),
        Err(e) => return refuse(StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    if class == JwtClass::Exp
        && let Ok(old) = issue(&state, class, HARDENED, &claims(now - 7200))
    {
        body.insert("expired_token".into(), json!(old));
    }
    Json(Value::Object(body)).into_response()
}

/// The claims of a token for `user` issued at `iat`, valid for an hour.
pub fn claims_for(user: &User, iat: i64) -> Value {
    json!({
        "sub": user.username, "uid": user.id, "role": user.role,
        "iss": ISSUER, "iat": iat, "exp": iat + 3600,
    })
}

/// The session token of the API routes: plain HS256 with the lab's strong secret.
pub fn issue_session(state: &LabState, user: &User) -> Result<String, String> {
    issue(state, JwtClass::None, true, &claims_for(user, super::now()))
}

/// The claims of a session token, properly verified.
pub fn verify_session(state: &LabState, token: &str) -> Result<Map<String, Value>, String> {
    let decoded = jwt::decode(token).map_err(|e| e.to_string())?;
    verify_hardened(state, JwtClass::None, &decoded)
}

/// Signs a token the way `class` expects, and notes it as issued.
pub fn issue(
    state: &LabState,
    class: JwtClass,
    hardened: bool,
    claims: &Value,
) -> Result<String, String> {
    let keys = &state.keys;
    let mut header = Map::new();
    header.insert("typ".into(), json!("JWT"));
    let (alg, key) = if class == JwtClass::HiddenKey {
        // No kid: the key has no name anywhere, and is published nowhere.
        let pair = state.hidden_rsa_ready()?;
        ("RS256", SigningKey::Pem(pair.private_pem.clone()))
    } else if class.rsa() {
        header.insert("kid".into(), json!(RSA_KID));
        if class == JwtClass::Jku
            && let Some((http, _)) = state.addrs.get()
        {
            header.insert(
                "jku".into(),
                json!(format!("http://{http}/.well-known/jwks.json")),
            );
        }
        ("RS256", SigningKey::Pem(keys.rsa_private_pem.clone()))
    } else if class == JwtClass::WeakSecret && !hardened {
        ("HS256", SigningKey::Secret(WEAK_SECRET.as_bytes().to_vec()))
    } else {
        if class == JwtClass::Kid {
            header.insert("kid".into(), json!(KID_FILE));
        }
        ("HS256", SigningKey::Secret(keys.hs_secret.clone()))
    };
    let token = sign(&header, claims, alg, &key).map_err(|e| e.to_string())?;
    state.note_issued(&token);
    Ok(token)
}

/// `GET /jwt/{class}/me` and its twin.
pub async fn me<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    UrlPath(slug): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &slug, HARDENED, &headers, "me", |claims| {
        Json(json!({
            "you": claims.get("sub"), "role": claims.get("role"), "claims": claims,
        }))
        .into_response()
    })
    .await
}

/// `GET /jwt/{class}/admin` and its twin: only for role admin.
pub async fn admin<const HARDENED: bool>(
    State(state): State<Arc<LabState>>,
    UrlPath(slug): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    guarded(&state, &slug, HARDENED, &headers, "admin", |claims| {
        let who = claims.get("sub").cloned().unwrap_or(Value::Null);
        if claims.get("role").and_then(Value::as_str) == Some("admin") {
            Json(json!({ "you": who, "message": "Welcome to the admin area." })).into_response()
        } else {
            refuse(StatusCode::FORBIDDEN, "admins only")
        }
    })
    .await
}

async fn guarded(
    state: &LabState,
    slug: &str,
    hardened: bool,
    headers: &HeaderMap,
    page: &str,
    allowed: impl FnOnce(&Map<String, Value>) -> Response,
) -> Response {
    let Some(class) = JwtClass::from_slug(slug) else {
        return unknown_class(slug);
    };
    let Some(token) = bearer(headers) else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "send a token: Authorization: Bearer …",
        );
    };
    let decoded = match jwt::decode(token) {
        Ok(d) => d,
        Err(e) => return refuse(StatusCode::UNAUTHORIZED, &e.to_string()),
    };
    if class == JwtClass::HiddenKey
        && let Err(e) = state.hidden_rsa().await
    {
        return refuse(StatusCode::INTERNAL_SERVER_ERROR, &e);
    }
    let result = if hardened {
        verify_hardened(state, class, &decoded)
    } else {
        verify_vulnerable(state, class, &decoded).await
    };
    let claims = match result {
        Ok(c) => c,
        Err(why) => return refuse(StatusCode::UNAUTHORIZED, &why),
    };
    let response = allowed(&claims);
    if !hardened && response.status().is_success() {
        let exploited = match class {
            JwtClass::Exp => claims
                .get("exp")
                .and_then(Value::as_i64)
                .is_some_and(|exp| exp < super::now()),
            _ => !state.was_issued(token),
        };
        if exploited {
            let role = claims.get("role").and_then(Value::as_str).unwrap_or("none");
            let alg = decoded.alg.as_deref().unwrap_or("?");
            state.record(
                class.success_id(),
                format!(
                    "a forged token (alg {alg}, role {role}) was accepted on /jwt/{}/{page}",
                    class.slug()
                ),
            );
        }
    }
    response
}

/// The token in `Authorization: Bearer …`.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn unknown_class(slug: &str) -> Response {
    let known: Vec<&str> = JwtClass::ALL.iter().map(|c| c.slug()).collect();
    refuse(
        StatusCode::NOT_FOUND,
        &format!("no JWT lesson '{slug}': try one of {}", known.join(", ")),
    )
}

/// Proper verification: the server's key for the class, one algorithm, exp and iss checked.
pub fn verify_hardened(
    state: &LabState,
    class: JwtClass,
    decoded: &Decoded,
) -> Result<Map<String, Value>, String> {
    let keys = &state.keys;
    let (key, alg) = if class == JwtClass::HiddenKey {
        let pair = state.hidden_rsa_ready()?;
        (KeyMaterial::from_pem(&pair.public_pem), "RS256")
    } else if class.rsa() {
        (KeyMaterial::from_pem(&keys.rsa_public_pem), "RS256")
    } else {
        if class == JwtClass::Kid && decoded.header.get("kid") != Some(&json!(KID_FILE)) {
            return Err("unknown kid: keys are looked up by name, never read from a path".into());
        }
        (Ok(KeyMaterial::Secret(keys.hs_secret.clone())), "HS256")
    };
    verify_with(decoded, &key.map_err(|e| e.to_string())?, alg, true)
}

/// Verifies with `key`, allowing only `alg`; with `claims`, exp/nbf/iss must pass too.
fn verify_with(
    decoded: &Decoded,
    key: &KeyMaterial,
    alg: &str,
    claims: bool,
) -> Result<Map<String, Value>, String> {
    let mut opts = VerifyOptions::new(super::now());
    opts.allowed_algs = vec![alg.to_string()];
    opts.require_exp = claims;
    opts.issuers = vec![ISSUER.to_string()];
    let v = jwt::verify(decoded, key, &opts).map_err(|e| e.to_string())?;
    if !v.signature_valid {
        return Err("the signature is not valid".into());
    }
    if claims && let Some(bad) = v.failures().next() {
        return Err(format!("{}: {}", bad.name, bad.detail));
    }
    claims_of(decoded)
}

fn claims_of(decoded: &Decoded) -> Result<Map<String, Value>, String> {
    decoded
        .claims()
        .cloned()
        .ok_or_else(|| "the payload is not a claims object".into())
}

/// Each class's bug, on purpose.
async fn verify_vulnerable(
    state: &LabState,
    class: JwtClass,
    decoded: &Decoded,
) -> Result<Map<String, Value>, String> {
    let keys = &state.keys;
    let header_alg = decoded.alg.clone().unwrap_or_default();
    match class {
        // BUG: decodes and trusts the claims without looking at the signature.
        JwtClass::Unverified => claims_of(decoded),
        // BUG: takes alg from the token and treats any spelling of "none" as "no check".
        JwtClass::None if header_alg.eq_ignore_ascii_case("none") => claims_of(decoded),
        // BUG: a secret from every wordlist.
        JwtClass::WeakSecret => verify_with(
            decoded,
            &KeyMaterial::secret_from_text(WEAK_SECRET),
            "HS256",
            true,
        ),
        // BUG: trusts the key the token carries.
        JwtClass::Jwk if decoded.header.contains_key("jwk") => {
            let key = KeyMaterial::from_jwk(&decoded.header["jwk"]).map_err(|e| e.to_string())?;
            verify_with(decoded, &key, &header_alg, true)
        }
        // BUG: fetches keys from whatever URL the token names (loopback only, it is a lab).
        JwtClass::Jku if decoded.header.contains_key("jku") => {
            let url = decoded.header["jku"].as_str().unwrap_or_default();
            let jwks = fetch_loopback(url).await?;
            let kid = decoded.header.get("kid").and_then(Value::as_str);
            let (_, key) =
                jwt::select_from_jwks(&jwks, kid, Some(&header_alg)).map_err(|e| e.to_string())?;
            verify_with(decoded, &key, &header_alg, true)
        }
        // BUG: kid is a file path, read as the HMAC key.
        JwtClass::Kid => {
            let kid = decoded.header.get("kid").and_then(Value::as_str);
            let key = read_key_file(&keys.key_dir, kid.ok_or("the token has no kid")?)?;
            hmac_check(decoded, &header_alg, &key)?;
            claims_of(decoded)
        }
        // BUG: an HS token is checked with the RSA public key's PEM as the HMAC secret.
        JwtClass::Confusion if header_alg.starts_with("HS") => {
            hmac_check(decoded, &header_alg, keys.rsa_public_pem.as_bytes())?;
            claims_of(decoded)
        }
        // BUG: the same confusion, with a public key the lab never publishes: it has to be
        // recovered from two of its tokens first.
        JwtClass::HiddenKey if header_alg.starts_with("HS") => {
            let pair = state.hidden_rsa_ready()?;
            hmac_check(decoded, &header_alg, pair.public_pem.as_bytes())?;
            claims_of(decoded)
        }
        // BUG: the signature is checked, the expiry is not.
        JwtClass::Exp => verify_with(
            decoded,
            &KeyMaterial::Secret(keys.hs_secret.clone()),
            "HS256",
            false,
        ),
        // Tokens without the class's bait go through the proper check.
        _ => verify_hardened(state, class, decoded),
    }
}

/// An HMAC check with any key bytes (the empty key included, which jsonwebtoken refuses).
fn hmac_check(decoded: &Decoded, alg: &str, key: &[u8]) -> Result<(), String> {
    let mac = hmac_raw(alg, key, decoded.signing_input.as_bytes()).map_err(|e| e.to_string())?;
    if bool::from(mac.ct_eq(&decoded.signature)) {
        Ok(())
    } else {
        Err("the signature is not valid".into())
    }
}

/// Where the kid route behaves as if its key files were, as on a server. A traversal is
/// resolved from here, so the number of `../` that reaches `/dev/null` does not depend on
/// where the lab's own folder is (a home directory can be deeper than any forged kid).
const SERVED_KEY_DIR: &str = "/srv/lab/keys";

/// The file a kid names: `SERVED_KEY_DIR/kid` with `.` and `..` worked out, mapped back onto
/// the lab's real key folder when it stays inside it.
fn key_file_path(dir: &Path, kid: &str) -> std::path::PathBuf {
    use std::path::Component;
    let mut resolved = std::path::PathBuf::from("/");
    for part in Path::new(SERVED_KEY_DIR).join(kid).components() {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    match resolved.strip_prefix(SERVED_KEY_DIR) {
        Ok(inside) => dir.join(inside),
        Err(_) => resolved,
    }
}

/// Reads a key "file" named by kid. Only regular files and /dev/null, and at most 64 KiB, so a
/// learner's traversal cannot hang the lab on a FIFO or /dev/zero.
fn read_key_file(dir: &Path, kid: &str) -> Result<Vec<u8>, String> {
    let path = key_file_path(dir, kid);
    let no_key = || format!("no key file for kid '{kid}'");
    let meta = std::fs::metadata(&path).map_err(|_| no_key())?;
    let dev_null = path
        .canonicalize()
        .is_ok_and(|p| p == Path::new("/dev/null"));
    if !meta.is_file() && !dev_null {
        return Err(no_key());
    }
    let mut key = Vec::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut key))
        .map_err(|_| no_key())?;
    Ok(key)
}

/// GETs a JWKS, refusing any host that is not loopback.
async fn fetch_loopback(url: &str) -> Result<String, String> {
    // Even a lab that trusts any jku reads no more than a key set's worth.
    let fetched = super::fetch::get(url, 256 << 10, &[])
        .await
        .map_err(|e| format!("bad jku: {e}"))?;
    if fetched.truncated {
        return Err("the jku key set is larger than 256 KiB".into());
    }
    Ok(fetched.body)
}

/// `GET /.well-known/jwks.json`: the RSA public key, as real servers publish it.
pub async fn jwks(State(state): State<Arc<LabState>>) -> Json<Value> {
    let mut jwk = state.keys.rsa_public_jwk.clone();
    jwk["kid"] = json!(RSA_KID);
    Json(json!({ "keys": [jwk] }))
}

/// `GET /.well-known/public.pem`: the same key as PEM, the bait for algorithm confusion.
pub async fn public_pem(State(state): State<Arc<LabState>>) -> Response {
    (
        [("content-type", "application/x-pem-file")],
        state.keys.rsa_public_pem.clone(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kid_traversal_is_resolved_from_the_served_key_folder() {
        let dir = Path::new("/home/a/b/c/d/e/f/g/h/i/j/k/l/lab/instances/1-0/keys");
        assert_eq!(key_file_path(dir, KID_FILE), dir.join(KID_FILE));
        assert_eq!(key_file_path(dir, "./sub/../hs256.key"), dir.join(KID_FILE));
        for kid in [
            "../../../dev/null",
            "../../../../../../../../../../../../dev/null",
            "/dev/null",
        ] {
            assert_eq!(key_file_path(dir, kid), Path::new("/dev/null"), "{kid}");
        }
        // Too few levels stays under /srv, where nothing is.
        assert_eq!(
            key_file_path(dir, "../../dev/null"),
            Path::new("/srv/dev/null")
        );
    }
}
