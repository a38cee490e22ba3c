//! One probe from start to finish, shared by `apiward jwt probe` and the JWT tab: check the
//! setup, host the attacker JWKS (or write it for the tester to host), forge, send, and
//! complete the report. The front ends only gather options and show the report.

use std::path::PathBuf;
use std::time::Duration;

use super::jku_host::JkuHost;
use super::probe::{JkuNote, Placement, ProbeReport, ProbeTarget, ProbeVariant};
use super::recover::Candidate;
use super::{Decoded, ForgeOptions, JwtError};

/// Everything a probe needs.
#[derive(Debug, Clone)]
pub struct ProbeSetup {
    pub target: ProbeTarget,
    /// The token the endpoint accepts.
    pub original: Decoded,
    pub options: ForgeOptions,
    /// Where to write the attacker JWKS when the tester hosts it at `options.jku_url`.
    pub jwks_out: Option<PathBuf>,
    /// Skip certificate verification.
    pub insecure: bool,
    /// Extra CAs to trust, PEM.
    pub ca_pem: Option<Vec<u8>>,
    /// The time claims are compared against, unix seconds.
    pub now: i64,
    /// Public keys recovered from the tokens (`jwt recover-key`): each is tried as the HMAC
    /// secret of HS256/384/512 in every encoding a server may hold it in.
    pub recovered: Vec<Candidate>,
}

/// Why a probe could not start or got no answer at all. Each is one sentence.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Jwt(#[from] JwtError),
    #[error("{0}")]
    Client(#[from] crate::net::HttpError),
    #[error(transparent)]
    Url(#[from] crate::net::UrlError),
    #[error("the JWKS host on 127.0.0.1 could not start: {0}")]
    Host(std::io::Error),
    #[error("the JWKS could not be written to {path}: {error}")]
    JwksOut { path: String, error: std::io::Error },
    #[error("{url} did not answer: {error}")]
    Unanswered { url: String, error: String },
}

impl crate::error_kind::Kind for ProbeError {
    /// A target that never answered, or a JWKS host that could not start, is a failure of the
    /// run; the rest is what was given.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            ProbeError::Host(_) | ProbeError::Unanswered { .. } => {
                crate::error_kind::ExitKind::Failure
            }
            _ => crate::error_kind::ExitKind::BadInput,
        }
    }
}

const BAD_TIMEOUT: &str = "the timeout must be a positive number of seconds";

/// A probe's timeout from seconds as typed: positive and finite, or one sentence.
pub fn timeout(secs: f64) -> Result<Duration, ProbeError> {
    if secs > 0.0 && secs.is_finite() {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(ProbeError::Setup(BAD_TIMEOUT.into()))
    }
}

impl ProbeSetup {
    /// A setup with the usual defaults: GET, `Authorization: Bearer`, 10 s, no extra headers.
    pub fn new(url: &str, original: Decoded, options: ForgeOptions, now: i64) -> Self {
        Self {
            target: ProbeTarget {
                url: url.to_string(),
                method: "GET".into(),
                headers: Vec::new(),
                placement: Placement::Bearer,
                timeout: Duration::from_secs(10),
            },
            original,
            options,
            jwks_out: None,
            insecure: false,
            ca_pem: None,
            now,
            recovered: Vec::new(),
        }
    }

    /// Whether the target is on this machine, where the probe hosts the JWKS itself.
    pub fn local_target(&self) -> bool {
        reqwest::Url::parse(&self.target.url).is_ok_and(|u| is_loopback(&u))
    }

    /// What can be checked before any traffic.
    pub fn check(&self) -> Result<(), ProbeError> {
        let bad = |s: String| Err(ProbeError::Setup(s));
        let url = &self.target.url;
        crate::net::http_url(url)?;
        if reqwest::Method::from_bytes(self.target.method.as_bytes()).is_err() {
            return bad(format!("'{}' is not an HTTP method", self.target.method));
        }
        let secs = self.target.timeout.as_secs_f64();
        if secs <= 0.0 {
            return bad(BAD_TIMEOUT.into());
        }
        if let Some(jku) = &self.options.jku_url {
            if !crate::net::is_http_url(jku) {
                return bad(format!("the jku '{jku}' is not an http or https URL"));
            }
            if self.jwks_out.is_none() {
                return bad(
                    "a jku URL you host needs a file to write its JWKS to (--jwks-out FILE): \
                     the probe makes a fresh key pair each run"
                        .into(),
                );
            }
        }
        if let Some(prefix) = &self.options.jku_redirect
            && reqwest::Url::parse(prefix).is_err()
        {
            return bad(format!("the jku redirect '{prefix}' is not a URL"));
        }
        Ok(())
    }
}

/// Runs the probe. `on_sent(done, total)` is called after each request.
pub async fn run(
    setup: ProbeSetup,
    on_sent: impl Fn(usize, usize),
) -> Result<ProbeReport, ProbeError> {
    setup.check()?;
    let ProbeSetup {
        target,
        original,
        mut options,
        jwks_out,
        insecure,
        ca_pem,
        now,
        recovered,
    } = setup;
    let recovered: Vec<Candidate> = recovered.into_iter().filter(|c| c.verifies).collect();
    // The forge's own key-confusion variant takes the first recovered key's SPKI PEM, so the
    // report does not list key-confusion as not sent; the other encodings are added below.
    let forge_made_first = options.public_key_pem.is_none() && !recovered.is_empty();
    if forge_made_first {
        options.public_key_pem = Some(recovered[0].spki_pem.clone());
    }
    let client = crate::net::build_client(&crate::net::ClientOptions {
        timeout: target.timeout,
        insecure,
        ca_pem,
        follow_redirects: None,
    })?;
    // A target on this machine can fetch from 127.0.0.1, so the probe hosts the JWKS itself
    // unless the tester named their own URL.
    let host = match &options.jku_url {
        None if reqwest::Url::parse(&target.url).is_ok_and(|u| is_loopback(&u)) => {
            let host = JkuHost::start().await.map_err(ProbeError::Host)?;
            options.jku_url = Some(host.url());
            Some(host)
        }
        _ => None,
    };
    // Forging may generate an RSA key: keep it off the async workers.
    let forged = {
        let (original, options) = (original.clone(), options.clone());
        tokio::task::spawn_blocking(move || super::forge(&original, &options))
            .await
            .map_err(|e| ProbeError::Setup(format!("forging stopped: {e}")))??
    };
    let jwks = forged.iter().find_map(|v| v.extra.clone());
    let mut note = None;
    if let (Some(url), Some(jwks)) = (&options.jku_url, jwks) {
        if let Some(host) = &host {
            host.serve(jwks);
        } else if let Some(path) = &jwks_out {
            let path = path.clone();
            let written = path.clone();
            tokio::task::spawn_blocking(move || {
                crate::fs::write_atomic(&written, jwks.as_bytes(), crate::fs::Perm::Keep)
            })
            .await
            .map_err(|e| ProbeError::Setup(format!("writing the JWKS stopped: {e}")))?
            .map_err(|error| ProbeError::JwksOut {
                path: path.display().to_string(),
                error,
            })?;
        }
        note = Some(JkuNote {
            url: url.clone(),
            hosted: host.is_some(),
            jwks_file: jwks_out.as_ref().map(|p| p.display().to_string()),
            fetched: Vec::new(),
        });
    }
    let mut variants: Vec<ProbeVariant> = forged
        .into_iter()
        .map(|v| ProbeVariant {
            attack: v.attack.to_string(),
            explanation: v.explanation,
            token: v.token,
        })
        .collect();
    variants.extend(recovered_variants(
        &original,
        &options,
        &recovered,
        forge_made_first,
    )?);
    let total = variants.len() + 2;
    let report = super::probe::probe(&client, &target, &original.raw, &variants, |sent| {
        on_sent(sent, total)
    })
    .await;
    if let (Some(note), Some(host)) = (&mut note, &host) {
        note.fetched = host.fetched();
    }
    let mut report = report.complete(&options, &original, now);
    report.jku = note;
    Ok(report)
}

/// The encodings a server may hold a public key in and use, byte for byte, as an HMAC secret.
fn encodings(key: &Candidate) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut pem = |name: &'static str, bare: &'static str, text: &str| {
        out.push((name, text.to_string()));
        out.push((bare, text.trim_end_matches('\n').to_string()));
    };
    pem("spki-pem", "spki-pem-no-newline", &key.spki_pem);
    if let Some(pkcs1) = &key.pkcs1_pem {
        pem("pkcs1-pem", "pkcs1-pem-no-newline", pkcs1);
    }
    out.push(("jwk", key.jwk.to_value().to_string()));
    out
}

/// Key confusion with each recovered key, in each encoding, under HS256, HS384 and HS512.
/// The forge makes each token (claim edits included) through its key-confusion variant; the
/// other HMAC sizes re-sign its header and payload. `skip_first`: the forge already sent the
/// first key's SPKI PEM under its own HMAC alg.
fn recovered_variants(
    original: &Decoded,
    options: &ForgeOptions,
    keys: &[Candidate],
    skip_first: bool,
) -> Result<Vec<ProbeVariant>, ProbeError> {
    let mut out = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        for (encoding, text) in encodings(key) {
            let opts = ForgeOptions {
                public_key_pem: Some(text.clone()),
                ..options.clone()
            };
            let base = super::forge_one("key-confusion", original, &opts)?;
            let forged = super::decode(&base.token)?;
            let payload_b64 = base.token.split('.').nth(1).unwrap_or_default();
            for alg in ["HS256", "HS384", "HS512"] {
                let own = forged.alg.as_deref() == Some(alg);
                if skip_first && i == 0 && encoding == "spki-pem" && own {
                    continue;
                }
                let token = if own {
                    base.token.clone()
                } else {
                    let mut header = forged.header.clone();
                    header.insert("alg".into(), alg.into());
                    super::sign::sign_payload_b64(
                        &header,
                        payload_b64,
                        alg,
                        &super::SigningKey::Secret(text.as_bytes().to_vec()),
                    )?
                };
                out.push(ProbeVariant {
                    attack: "key-confusion".into(),
                    explanation: format!(
                        "{alg} keyed with recovered key {} ({}) as {encoding}",
                        i + 1,
                        key.thumbprint
                    ),
                    token,
                });
            }
        }
    }
    Ok(out)
}

/// Whether a URL points at this machine: localhost or a loopback address.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.ends_with(".localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for url in [
            "http://localhost:8080/",
            "http://127.0.0.1/",
            "https://127.8.9.1/x",
            "http://[::1]:80/",
        ] {
            assert!(is_loopback(&reqwest::Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "https://example.com/",
            "http://10.0.0.1/",
            "http://localhost.evil.example/",
        ] {
            assert!(!is_loopback(&reqwest::Url::parse(url).unwrap()), "{url}");
        }
    }

    fn setup(url: &str) -> ProbeSetup {
        let token = crate::jwt::sign::sign(
            &serde_json::Map::new(),
            &serde_json::json!({"sub": "a"}),
            "HS256",
            &crate::jwt::SigningKey::Secret(b"k".to_vec()),
        )
        .unwrap();
        ProbeSetup::new(
            url,
            crate::jwt::decode(&token).unwrap(),
            ForgeOptions::default(),
            0,
        )
    }

    #[test]
    fn a_bad_setup_is_one_sentence_before_any_traffic() {
        let mut s = setup("ftp://127.0.0.1/");
        assert!(s.check().unwrap_err().to_string().contains("not an http"));
        s = setup("http://127.0.0.1/");
        s.target.method = "GE T".into();
        assert!(s.check().unwrap_err().to_string().contains("HTTP method"));
        s = setup("http://127.0.0.1/");
        s.target.timeout = Duration::ZERO;
        assert!(s.check().unwrap_err().to_string().contains("timeout"));
        s = setup("https://api.example/");
        s.options.jku_url = Some("https://me.example/jwks.json".into());
        assert!(s.check().unwrap_err().to_string().contains("--jwks-out"));
        s.jwks_out = Some("/tmp/x.json".into());
        assert!(s.check().is_ok());
    }
}
