//! `apiward jwt probe` against servers whose token check is done by a third-party library,
//! the `jsonwebtoken` crate, in each classic wrong configuration, and in a right one.
//!
//! The lab is apiward's own code, so a probe tuned to it could miss what real servers do.
//! Here each server is a small axum app on 127.0.0.1 port 0 whose check is written the way a
//! hurried service writes it, tokens are issued by `jsonwebtoken` too, and each test runs the
//! real binary and asserts that the class is reported (the table in `docs/jwt.md`).

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};

use crate::lab_support::{apiward, json_run};

/// A token check: the token in, whether it passes out.
type Check = Arc<dyn Fn(String) -> Pin<Box<dyn Future<Output = bool> + Send>> + Send + Sync>;

/// A running server; it stops when dropped.
struct Api {
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves `app` on 127.0.0.1 port 0 from its own thread and runtime.
fn serve(app: Router) -> Api {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            ready_tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
    });
    let addr = ready_rx.recv().unwrap();
    Api {
        base: format!("http://{addr}"),
        stop: Some(stop),
        thread: Some(thread),
    }
}

/// An API whose `/me` answers 200 when `check` passes the bearer token, 401 otherwise.
fn api(check: Check) -> Api {
    async fn me(State(check): State<Check>, headers: HeaderMap) -> impl IntoResponse {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "));
        match token {
            Some(token) if check(token.to_string()).await => {
                (StatusCode::OK, r#"{"user":"alice"}"#)
            }
            Some(_) => (StatusCode::UNAUTHORIZED, "invalid token"),
            None => (StatusCode::UNAUTHORIZED, "no token"),
        }
    }
    serve(Router::new().route("/me", get(me)).with_state(check))
}

/// A check that needs no network.
fn sync_check(f: impl Fn(&str) -> bool + Send + Sync + 'static) -> Check {
    let f = Arc::new(f);
    Arc::new(move |token| {
        let f = f.clone();
        Box::pin(async move { f(&token) })
    })
}

/// The server's RSA key pair: (private PKCS#8 PEM, public SPKI PEM), made once.
fn rsa_pems() -> &'static (String, String) {
    static PEMS: OnceLock<(String, String)> = OnceLock::new();
    PEMS.get_or_init(|| {
        use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let private = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).unwrap();
        (
            private.to_pkcs8_pem(LineEnding::LF).unwrap().to_string(),
            private
                .to_public_key()
                .to_public_key_pem(LineEnding::LF)
                .unwrap(),
        )
    })
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

const AUD: &str = "https://api.example";
const ISS: &str = "https://issuer.example";

/// Claims a real issuer would put in: an hour to live.
fn claims() -> Value {
    let now = unix_now();
    json!({"sub": "alice", "role": "user", "aud": AUD, "iss": ISS, "iat": now, "exp": now + 3600})
}

fn hs256(secret: &[u8], header: Header, claims: &Value) -> String {
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

fn rs256(header: Header, claims: &Value) -> String {
    let key = EncodingKey::from_rsa_pem(rsa_pems().0.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// The validation a careful service uses: one algorithm, exp, nbf, aud and iss all checked.
fn strict(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.validate_nbf = true;
    v.set_audience(&[AUD]);
    v.set_issuer(&[ISS]);
    v.set_required_spec_claims(&["exp", "aud", "iss"]);
    v
}

/// Verifies with the server's own RSA key, RS256 only, strictly: the path every vulnerable
/// server also takes for its legitimate tokens.
fn verify_rs256(token: &str) -> bool {
    let key = DecodingKey::from_rsa_pem(rsa_pems().1.as_bytes()).unwrap();
    jsonwebtoken::decode::<Value>(token, &key, &strict(Algorithm::RS256)).is_ok()
}

/// Verifies with a key from a JWK, with the algorithm the header names (as such servers do).
fn verify_with_jwk(token: &str, jwk: &Jwk) -> bool {
    let (Ok(header), Ok(key)) = (
        jsonwebtoken::decode_header(token),
        DecodingKey::from_jwk(jwk),
    ) else {
        return false;
    };
    let mut v = strict(header.alg);
    v.algorithms = vec![header.alg];
    jsonwebtoken::decode::<Value>(token, &key, &v).is_ok()
}

/// Fetches a JWKS the way a server following jku does: reqwest, redirects followed.
async fn fetch_jwks(url: &str) -> Option<JwkSet> {
    let client = crate::harness::client();
    let body = client.get(url).send().await.ok()?.bytes().await.ok()?;
    serde_json::from_slice(&body).ok()
}

/// What one probe run said.
struct Probe {
    code: i32,
    report: Value,
}

impl Probe {
    fn accepted(&self) -> Vec<String> {
        self.report["accepted"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", self.report))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    fn finding_ids(&self) -> Vec<String> {
        self.report["findings"]
            .as_array()
            .unwrap_or_else(|| panic!("{}", self.report))
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    }

    fn verdict_of(&self, attack: &str) -> String {
        self.report["variants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["attack"] == attack)
            .map(|v| v["verdict"].as_str().unwrap().to_string())
            .unwrap_or_else(|| "not sent".into())
    }

    /// Asserts the class: exit 1, the finding, and each named variant accepted.
    fn reports(&self, finding: &str, attacks: &[&str]) {
        assert_eq!(self.code, 1, "{}", self.report);
        assert_eq!(self.report["verdict"], "accepted", "{}", self.report);
        assert!(
            self.finding_ids().iter().any(|f| f == finding),
            "{finding} missing: {:?}",
            self.finding_ids()
        );
        for attack in attacks {
            assert!(
                self.accepted().iter().any(|a| a == attack),
                "{attack} not accepted: {:?}",
                self.accepted()
            );
        }
    }
}

fn probe(api: &Api, token: &str, extra: &[&str]) -> Probe {
    let url = api.url("/me");
    let mut args = vec!["jwt", "probe", "--url", &url, "--token", token, "--json"];
    args.extend_from_slice(extra);
    let (code, report) = json_run(apiward().args(&args));
    Probe { code, report }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const SECRET: &[u8] = b"a-long-random-server-secret-0f3a9c71d2";

#[test]
fn signature_validation_off_is_reported() {
    // jsonwebtoken's insecure_decode: claims read, signature never checked.
    let api = api(sync_check(|t| {
        jsonwebtoken::dangerous::insecure_decode::<Value>(t).is_ok()
    }));
    let token = hs256(SECRET, Header::new(Algorithm::HS256), &claims());
    probe(&api, &token, &[]).reports(
        "probe-signature-not-verified",
        &["signature-stripped", "null-signature"],
    );
}

#[test]
fn alg_none_accepted_is_reported() {
    // A naive server: reads the header itself and skips verification for alg none, since
    // jsonwebtoken has no "none" to verify with.
    let api = api(sync_check(|t| {
        let header = t.split('.').next().unwrap_or_default();
        let alg = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header)
            .ok()
            .and_then(|h| serde_json::from_slice::<Value>(&h).ok())
            .and_then(|h| h["alg"].as_str().map(str::to_ascii_lowercase));
        if alg.as_deref() == Some("none") {
            return jsonwebtoken::dangerous::insecure_decode_claims::<Value>(t).is_ok();
        }
        let key = DecodingKey::from_secret(SECRET);
        jsonwebtoken::decode::<Value>(t, &key, &strict(Algorithm::HS256)).is_ok()
    }));
    let token = hs256(SECRET, Header::new(Algorithm::HS256), &claims());
    let probe = probe(&api, &token, &[]);
    probe.reports("probe-alg-none", &["alg-none", "alg-none-upper"]);
    // The signature itself is checked: only the none family got in.
    assert_eq!(probe.verdict_of("signature-stripped"), "rejected");
}

#[test]
fn an_embedded_jwk_trusted_is_reported() {
    let api = api(sync_check(|t| {
        match jsonwebtoken::decode_header(t).ok().and_then(|h| h.jwk) {
            Some(jwk) => verify_with_jwk(t, &jwk),
            None => verify_rs256(t),
        }
    }));
    let token = rs256(Header::new(Algorithm::RS256), &claims());
    probe(&api, &token, &[]).reports("probe-embedded-jwk", &["embedded-jwk"]);
}

#[test]
fn jku_followed_is_reported_with_the_jwks_the_probe_hosts_itself() {
    let check: Check = Arc::new(|t| {
        Box::pin(async move {
            match jsonwebtoken::decode_header(&t)
                .ok()
                .and_then(|h| h.jku.zip(h.kid))
            {
                Some((jku, kid)) => match fetch_jwks(&jku).await {
                    Some(set) => set.find(&kid).is_some_and(|jwk| verify_with_jwk(&t, jwk)),
                    None => false,
                },
                None => verify_rs256(&t),
            }
        })
    });
    let api = api(check);
    let token = rs256(Header::new(Algorithm::RS256), &claims());
    // No --jku: the target is on this machine, so the probe serves the JWKS itself.
    let probe = probe(&api, &token, &[]);
    probe.reports("probe-jku-followed", &["jku"]);
    let jku = &probe.report["jku"];
    assert_eq!(jku["hosted"], true, "{jku}");
    assert!(
        jku["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(!jku["fetched"].as_array().unwrap().is_empty(), "{jku}");
    // A kid that is a URL is another question, and this server does not fetch it.
    assert_eq!(probe.verdict_of("kid-url"), "rejected");
}

/// A server whose check follows any jku, as in the test above.
fn jku_following_api() -> Api {
    api(Arc::new(|t| {
        Box::pin(async move {
            match jsonwebtoken::decode_header(&t)
                .ok()
                .and_then(|h| h.jku.zip(h.kid))
            {
                Some((jku, kid)) => match fetch_jwks(&jku).await {
                    Some(set) => set.find(&kid).is_some_and(|jwk| verify_with_jwk(&t, jwk)),
                    None => false,
                },
                None => verify_rs256(&t),
            }
        })
    }))
}

#[test]
fn a_jku_url_of_your_own_gets_the_jwks_written_for_you_to_serve() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    // The tester's own static file server, serving whatever the file holds when asked.
    let served = file.clone();
    let host = serve(Router::new().route(
        "/jwks.json",
        get(move || {
            let served = served.clone();
            async move { std::fs::read_to_string(served).unwrap_or_default() }
        }),
    ));
    let api = jku_following_api();
    let token = rs256(Header::new(Algorithm::RS256), &claims());
    let jku = host.url("/jwks.json");
    let file_arg = file.display().to_string();
    let probe = probe(&api, &token, &["--jku", &jku, "--jwks-out", &file_arg]);
    probe.reports("probe-jku-followed", &["jku"]);
    assert_eq!(probe.report["jku"]["hosted"], false);
    assert_eq!(probe.report["jku"]["url"], jku.as_str());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["keys"][0]["kid"], "apiward-forged");
    // A jku of your own without a file to write its JWKS to is bad input, said before any
    // request.
    let out = apiward()
        .args(["jwt", "probe", "--url", &api.url("/me"), "--token", &token])
        .args(["--jku", &jku])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--jwks-out FILE") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn a_jku_allowlist_that_checks_the_prefix_is_bypassed() {
    // The trusted key host: the server's JWKS, and an open redirect.
    let (_, public) = rsa_pems();
    let mut jwk = Jwk::from_encoding_key(
        &EncodingKey::from_rsa_pem(rsa_pems().0.as_bytes()).unwrap(),
        Algorithm::RS256,
    )
    .unwrap();
    jwk.common.key_id = Some("main".into());
    assert!(public.starts_with("-----BEGIN PUBLIC KEY"));
    let jwks = serde_json::to_string(&JwkSet { keys: vec![jwk] }).unwrap();
    #[derive(serde::Deserialize)]
    struct To {
        url: String,
    }
    let trusted = serve(
        Router::new()
            .route("/jwks.json", get(move || async move { jwks.clone() }))
            .route(
                "/redirect",
                get(|Query(to): Query<To>| async move { Redirect::temporary(&to.url) }),
            ),
    );
    let origin = trusted.base.clone();
    let check: Check = Arc::new(move |t| {
        let origin = origin.clone();
        Box::pin(async move {
            let Some((jku, kid)) = jsonwebtoken::decode_header(&t)
                .ok()
                .and_then(|h| h.jku.zip(h.kid))
            else {
                return false;
            };
            // The mistake: the URL's text is checked, not its host.
            if !jku.starts_with(&origin) {
                return false;
            }
            match fetch_jwks(&jku).await {
                Some(set) => set.find(&kid).is_some_and(|jwk| verify_with_jwk(&t, jwk)),
                None => false,
            }
        })
    });
    let api = api(check);
    let mut header = Header::new(Algorithm::RS256);
    header.jku = Some(trusted.url("/jwks.json"));
    header.kid = Some("main".into());
    let token = rs256(header, &claims());
    let redirect = trusted.url("/redirect?url=");
    let probe = probe(&api, &token, &["--jku-redirect", &redirect]);
    probe.reports(
        "probe-jku-allowlist-bypass",
        &["jku-userinfo", "jku-redirect"],
    );
    // The plain attacker URL is refused by the allowlist, and the sub-domain shape needs a
    // domain name, which a loopback host is not: listed as not sent.
    assert_eq!(probe.verdict_of("jku"), "rejected");
    let skipped = probe.report["skipped"].to_string();
    assert!(skipped.contains("jku-subdomain"), "{skipped}");
}

#[test]
fn a_kid_fetched_as_a_url_is_reported() {
    let api = api(Arc::new(|t| {
        Box::pin(async move {
            // The mistake: a kid that looks like a URL is where the key is loaded from.
            match jsonwebtoken::decode_header(&t).ok().and_then(|h| h.kid) {
                Some(kid) if kid.starts_with("http") => match fetch_jwks(&kid).await {
                    Some(set) => set.keys.first().is_some_and(|jwk| verify_with_jwk(&t, jwk)),
                    None => false,
                },
                _ => verify_rs256(&t),
            }
        })
    }));
    let token = rs256(Header::new(Algorithm::RS256), &claims());
    let probe = probe(&api, &token, &[]);
    probe.reports("probe-kid-url", &["kid-url"]);
    assert_eq!(probe.verdict_of("jku"), "rejected");
}

#[test]
fn a_key_path_built_from_kid_is_reported() {
    // The probe's known-file variant points at /proc/sys/kernel/randomize_va_space, signed with
    // its usual contents; where they differ, the variant cannot work and the test says so.
    let known = std::fs::read("/proc/sys/kernel/randomize_va_space").unwrap_or_default();
    if known != b"2\n" {
        eprintln!(
            "skipped: /proc/sys/kernel/randomize_va_space holds {known:?} here, not \"2\\n\", so the probe's known-file variant cannot match"
        );
        return;
    }
    // A key folder nine levels deep, so six levels of ../ would not reach the root.
    let dir = tempfile::tempdir().unwrap();
    let keys = dir
        .path()
        .join("srv/app/config/secrets/jwt/keys/v2/hmac/current");
    std::fs::create_dir_all(&keys).unwrap();
    std::fs::write(keys.join("main"), SECRET).unwrap();
    let keys = Arc::new(keys);
    let api = api(sync_check(move |t| {
        let Some(kid) = jsonwebtoken::decode_header(t).ok().and_then(|h| h.kid) else {
            return false;
        };
        // The mistake: the key path is built from kid. An empty key is refused, as current
        // libraries (pyjwt among them) refuse one, so /dev/null does not do.
        let key = std::fs::read(keys.join(kid)).unwrap_or_default();
        if key.is_empty() {
            return false;
        }
        let validation = strict(Algorithm::HS256);
        jsonwebtoken::decode::<Value>(t, &DecodingKey::from_secret(&key), &validation).is_ok()
    }));
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("main".into());
    let token = hs256(SECRET, header, &claims());
    let probe = probe(&api, &token, &[]);
    probe.reports("probe-kid-traversal", &["kid-traversal-known-file"]);
    assert_eq!(probe.verdict_of("kid-traversal"), "rejected");
}

#[test]
fn rs_hs_confusion_is_reported_given_the_public_key() {
    let api = api(sync_check(|t| {
        let Ok(header) = jsonwebtoken::decode_header(t) else {
            return false;
        };
        // The mistake: the token picks the algorithm, and the one key serves both.
        let public = rsa_pems().1.as_bytes();
        let key = match header.alg {
            Algorithm::HS256 => DecodingKey::from_secret(public),
            _ => DecodingKey::from_rsa_pem(public).unwrap(),
        };
        let v = strict(header.alg);
        jsonwebtoken::decode::<Value>(t, &key, &v).is_ok()
    }));
    let dir = tempfile::tempdir().unwrap();
    let pem = write(dir.path(), "public.pem", &rsa_pems().1);
    let token = rs256(Header::new(Algorithm::RS256), &claims());
    // Without the key the variant is listed as not sent, and nothing else gets in.
    let blind = probe(&api, &token, &[]);
    assert_eq!(blind.code, 0, "{}", blind.report);
    assert!(
        blind.report["skipped"]
            .to_string()
            .contains("key-confusion")
    );
    probe(&api, &token, &["--key", &pem]).reports("probe-key-confusion", &["key-confusion"]);
}

#[test]
fn a_weak_secret_is_cracked_and_then_reported() {
    let weak = b"secret1";
    let api = api(sync_check(move |t| {
        let key = DecodingKey::from_secret(weak);
        jsonwebtoken::decode::<Value>(t, &key, &strict(Algorithm::HS256)).is_ok()
    }));
    let token = hs256(weak, Header::new(Algorithm::HS256), &claims());
    let (code, cracked) = json_run(apiward().args(["jwt", "crack", &token, "--json"]));
    assert_eq!(code, 0, "{cracked}");
    let secret = cracked["secret"].as_str().unwrap().to_string();
    assert_eq!(secret.as_bytes(), weak);
    let probe = probe(&api, &token, &["--secret", &secret]);
    probe.reports("probe-secret-known", &["resign"]);
    // The server checks every claim: each claim variant was refused, and that counts.
    for attack in [
        "claim-exp-past",
        "claim-nbf-future",
        "claim-aud-foreign",
        "claim-iss-foreign",
        "claim-exp-missing",
    ] {
        assert_eq!(probe.verdict_of(attack), "rejected", "{attack}");
    }
}

#[test]
fn exp_not_validated_is_reported_by_a_resigned_variant_and_by_an_expired_original() {
    let api = api(sync_check(|t| {
        let mut v = strict(Algorithm::HS256);
        v.validate_exp = false;
        v.set_required_spec_claims(&["aud", "iss"]);
        jsonwebtoken::decode::<Value>(t, &DecodingKey::from_secret(SECRET), &v).is_ok()
    }));
    let secret = std::str::from_utf8(SECRET).unwrap();
    let token = hs256(SECRET, Header::new(Algorithm::HS256), &claims());
    let probe_fresh = probe(&api, &token, &["--secret", secret]);
    probe_fresh.reports("probe-exp-not-enforced", &["claim-exp-past"]);
    assert!(
        probe_fresh
            .finding_ids()
            .contains(&"probe-exp-not-required".to_string())
    );
    // nbf, aud and iss are still checked.
    for attack in ["claim-nbf-future", "claim-aud-foreign", "claim-iss-foreign"] {
        assert_eq!(probe_fresh.verdict_of(attack), "rejected", "{attack}");
    }
    // Without the secret: an original token that has expired and still gets in.
    let mut old = claims();
    old["exp"] = json!(unix_now() - 7200);
    let expired = hs256(SECRET, Header::new(Algorithm::HS256), &old);
    probe(&api, &expired, &[]).reports("probe-exp-not-enforced", &["exp-not-enforced"]);
}

#[test]
fn jsonwebtoken_defaults_skip_nbf_and_iss_and_the_probe_says_so() {
    // Validation::new as most services use it: nbf is off by default and no issuer is set.
    let api = api(sync_check(|t| {
        let mut v = Validation::new(Algorithm::HS256);
        v.set_audience(&[AUD]);
        jsonwebtoken::decode::<Value>(t, &DecodingKey::from_secret(SECRET), &v).is_ok()
    }));
    let secret = std::str::from_utf8(SECRET).unwrap();
    let token = hs256(SECRET, Header::new(Algorithm::HS256), &claims());
    let probe = probe(&api, &token, &["--secret", secret]);
    probe.reports(
        "probe-nbf-not-enforced",
        &["claim-nbf-future", "claim-iss-foreign"],
    );
    assert!(
        probe
            .finding_ids()
            .contains(&"probe-iss-not-checked".to_string())
    );
    for attack in ["claim-exp-past", "claim-aud-foreign", "claim-exp-missing"] {
        assert_eq!(probe.verdict_of(attack), "rejected", "{attack}");
    }
}

#[test]
fn a_correctly_configured_server_comes_out_clean() {
    let api = api(sync_check(verify_rs256));
    let dir = tempfile::tempdir().unwrap();
    let pem = write(dir.path(), "public.pem", &rsa_pems().1);
    let token = rs256(Header::new(Algorithm::RS256), &claims());
    let probe = probe(&api, &token, &["--key", &pem]);
    assert_eq!(probe.code, 0, "{}", probe.report);
    assert_eq!(probe.report["verdict"], "rejected");
    assert_eq!(probe.finding_ids(), Vec::<String>::new());
    // Every variant sent has its verdict, and the jku ones really were sent and served.
    let variants = probe.report["variants"].as_array().unwrap();
    assert!(variants.len() >= 15, "{}", variants.len());
    assert!(variants.iter().all(|v| v["verdict"] == "rejected"));
    assert_eq!(probe.report["jku"]["hosted"], true);
    // The server never fetched the jku: no SSRF either.
    assert_eq!(probe.report["jku"]["fetched"], json!([]));
}

#[test]
fn sarif_lists_every_class_failed_passed_or_not_sent() {
    let api = api(sync_check(|t| {
        jsonwebtoken::dangerous::insecure_decode::<Value>(t).is_ok()
    }));
    let token = hs256(SECRET, Header::new(Algorithm::HS256), &claims());
    let url = api.url("/me");
    let out = apiward()
        .args(["jwt", "probe", "--url", &url, "--token", &token, "--sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let kind_of = |rule: &str| -> Vec<String> {
        results
            .iter()
            .filter(|r| r["ruleId"] == rule)
            .map(|r| r["kind"].as_str().unwrap_or("fail").to_string())
            .collect()
    };
    assert_eq!(kind_of("probe-signature-not-verified"), ["fail"]);
    assert!(kind_of("probe-alg-none").iter().all(|k| k == "pass"));
    assert!(kind_of("probe-secret-known").contains(&"notApplicable".to_string()));
    let rules = log["runs"][0]["tool"]["driver"]["rules"].to_string();
    assert!(rules.contains("probe-aud-not-checked"), "{rules}");
}
