//! Probing an endpoint with forged tokens: the original and no token first, then every
//! variant, a few at a time, and which variants the server accepted.
//!
//! A variant counts as accepted when the server answers it with success (2xx) while it refuses
//! a request with no token at all: the endpoint is protected, and the forgery got through.
//! Refusals only mean something when the original token is accepted and a request without one
//! is refused; otherwise the verdict is inconclusive and says which baseline failed, so a probe
//! can never pass by accident.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use serde::Serialize;

/// Kept at this path for callers that found it here; it lives with the client now.
pub use crate::net::client::describe_error;

/// Variants in flight at once: an endpoint that never answers costs a few timeouts, not one
/// per variant, and a real server is not flooded.
pub const CONCURRENCY: usize = 4;

/// The most of each response body the probe reads. The verdict needs only the status and a
/// length to compare, and a hostile server may send an endless body or a gzip bomb (the cap
/// counts decoded bytes).
pub const MAX_BODY: usize = 1 << 20;

/// Where the token goes in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// A header of this name with the bare token.
    Header(String),
    /// A cookie of this name.
    Cookie(String),
    /// A query parameter of this name.
    Query(String),
}

impl Placement {
    /// Parses `bearer`, `header:NAME`, `cookie:NAME` or `query:NAME`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, name) = text.split_once(':').unwrap_or((text, ""));
        let name = name.trim().to_string();
        let need = |p: fn(String) -> Placement| {
            if name.is_empty() {
                Err(format!("'{text}' needs a name, such as {kind}:token"))
            } else {
                Ok(p(name.clone()))
            }
        };
        match kind.trim().to_ascii_lowercase().as_str() {
            "bearer" => Ok(Placement::Bearer),
            "header" => need(Placement::Header),
            "cookie" => need(Placement::Cookie),
            "query" => need(Placement::Query),
            _ => Err(format!(
                "unknown token placement '{text}': use bearer, header:NAME, cookie:NAME or query:NAME"
            )),
        }
    }
}

/// What to send.
#[derive(Debug, Clone)]
pub struct ProbeTarget {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub placement: Placement,
    pub timeout: Duration,
}

/// One answer from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub status: Option<u16>,
    /// The body bytes read: at most [`MAX_BODY`].
    pub length: Option<usize>,
    /// The body was longer than [`MAX_BODY`] and the rest was not read.
    pub truncated: bool,
    pub error: Option<String>,
}

impl Answer {
    fn success(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    /// No HTTP answer at all: the request failed at the network level.
    fn unanswered(&self) -> bool {
        self.status.is_none()
    }

    /// "200 (12 bytes)", with the cap when the body was cut, or the error.
    pub fn summary(&self) -> String {
        match (self.status, &self.error) {
            (Some(s), _) if self.truncated => {
                format!("{s} (over {} MiB; read up to the cap)", MAX_BODY >> 20)
            }
            (Some(s), _) => format!("{s} ({} bytes)", self.length.unwrap_or(0)),
            (None, Some(e)) => e.clone(),
            (None, None) => "no answer".into(),
        }
    }
}

/// What the probe concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At least one forged variant got through a protected endpoint.
    Accepted,
    /// The original token was accepted, no token was refused, and so was every variant.
    Rejected,
    /// Nothing can be judged, for this reason.
    Inconclusive(Inconclusive),
}

/// Why a probe could not judge the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inconclusive {
    /// Neither the original token nor a request without one got an answer.
    Unreachable,
    /// The endpoint answers success without any token.
    Unprotected,
    /// The request without a token got no answer, so there is no refusal to compare with.
    NoTokenUnanswered,
    /// The endpoint does not accept the original token itself.
    OriginalRefused,
}

impl Verdict {
    /// "accepted", "rejected" or "inconclusive", for JSON.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Accepted => "accepted",
            Verdict::Rejected => "rejected",
            Verdict::Inconclusive(_) => "inconclusive",
        }
    }

    pub fn inconclusive(self) -> Option<Inconclusive> {
        match self {
            Verdict::Inconclusive(why) => Some(why),
            _ => None,
        }
    }
}

impl Inconclusive {
    /// A stable kebab-case id, for JSON.
    pub fn id(self) -> &'static str {
        match self {
            Inconclusive::Unreachable => "unreachable",
            Inconclusive::Unprotected => "no-token-accepted",
            Inconclusive::NoTokenUnanswered => "no-token-unanswered",
            Inconclusive::OriginalRefused => "original-refused",
        }
    }

    /// Why nothing could be judged, in one sentence without a full stop.
    pub fn reason(self) -> &'static str {
        match self {
            Inconclusive::Unreachable => {
                "the endpoint answered neither the original token nor a request without one"
            }
            Inconclusive::Unprotected => {
                "the endpoint answers success without any token, so an accepted variant proves nothing"
            }
            Inconclusive::NoTokenUnanswered => {
                "the request without a token got no answer, so there is no refusal to compare with"
            }
            Inconclusive::OriginalRefused => {
                "the endpoint refuses the original token itself, so a refused variant proves nothing; probe with a token it accepts"
            }
        }
    }
}

/// What one variant's answer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VariantVerdict {
    /// A protected endpoint answered it with success.
    Accepted,
    /// Refused, and the baselines say a refusal means something.
    Rejected,
    /// Its answer cannot be judged; the result's `reason` says why.
    Inconclusive,
    /// Accepted, as it should be: the token re-signed with a strong secret the tester gave,
    /// a control that shows the secret is the server's and the claim variants can be judged.
    Expected,
}

impl VariantVerdict {
    pub fn name(self) -> &'static str {
        match self {
            VariantVerdict::Accepted => "accepted",
            VariantVerdict::Rejected => "rejected",
            VariantVerdict::Inconclusive => "inconclusive",
            VariantVerdict::Expected => "expected",
        }
    }
}

/// One variant's answer and verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeResult {
    pub attack: String,
    pub explanation: String,
    pub answer: Answer,
    pub accepted: bool,
    pub verdict: VariantVerdict,
    /// Why the verdict is inconclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Same status and body length as the original token got.
    pub like_original: bool,
}

/// Where the attacker JWKS for the jku variants was, and who fetched it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JkuNote {
    /// The URL the jku variants name.
    pub url: String,
    /// The probe served it itself on 127.0.0.1 for the length of the probe.
    pub hosted: bool,
    /// The file the JWKS was written to, for the tester to serve at `url`.
    pub jwks_file: Option<String>,
    /// The paths the target fetched from the probe's own host (empty when not hosted).
    pub fetched: Vec<String>,
}

impl JkuNote {
    /// One sentence on where the JWKS was and whether the target came for it.
    pub fn summary(&self) -> String {
        if self.hosted {
            let fetched = match self.fetched.len() {
                0 => "the target never fetched it".to_string(),
                1 => "the target fetched it once".to_string(),
                n => format!("the target fetched it {n} times"),
            };
            format!(
                "the attacker JWKS was served at {} for the length of the probe; {fetched}",
                self.url
            )
        } else {
            match &self.jwks_file {
                Some(file) => format!(
                    "the attacker JWKS was written to {file}; the jku variants only work if {} serves it",
                    self.url
                ),
                None => format!("the jku variants point at {}", self.url),
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    pub url: String,
    pub original: Answer,
    pub no_token: Answer,
    /// False when the endpoint answers 2xx without any token, so acceptance means nothing.
    pub protected: bool,
    pub variants: Vec<ProbeResult>,
    /// Variants not sent because an option they need was not given.
    pub skipped: Vec<super::forge::Skipped>,
    /// Where the jku variants' JWKS was, when any were sent.
    pub jku: Option<JkuNote>,
    /// The secret given for re-signing is strong (32 bytes or more, in no wordlist), so the
    /// re-signed token getting in is expected, not a finding.
    #[serde(skip)]
    pub secret_strong: bool,
}

/// Whether an HMAC secret is one nobody could guess: at least 32 bytes (RFC 7518 §3.2 asks
/// for the hash size) and not in the built-in wordlist.
pub fn strong_secret(secret: &[u8]) -> bool {
    secret.len() >= 32
        && !super::wordlist::BUILTIN
            .iter()
            .any(|w| w.as_bytes() == secret)
}

/// The pseudo-variant for an expired original token that the server still accepts.
pub const EXPIRED_ACCEPTED: &str = "exp-not-enforced";

impl ProbeReport {
    /// What the probe knows beyond the answers, added once for both front ends: the variants
    /// `options` left out, and whether the original token had expired at `now`.
    pub fn complete(
        mut self,
        options: &super::ForgeOptions,
        original: &super::Decoded,
        now: i64,
    ) -> Self {
        self.skipped = super::forge::skipped(original, options);
        self.secret_strong = options.secret.as_deref().is_some_and(strong_secret);
        let exp = original
            .claims()
            .and_then(|c| c.get("exp"))
            .and_then(serde_json::Value::as_f64);
        self.note_expiry(exp, now);
        self.judge();
        self
    }

    /// Each variant's own verdict. A refusal means nothing when the baselines fail, and a
    /// refused claim variant means nothing when the plain re-signed token was refused too:
    /// then the secret is wrong and the claim check was never reached.
    pub fn judge(&mut self) {
        let overall = self.verdict().inconclusive();
        let resign_refused = self
            .variants
            .iter()
            .any(|v| v.attack == "resign" && !v.accepted);
        let strong = self.secret_strong;
        for v in &mut self.variants {
            (v.verdict, v.reason) = if v.accepted && v.attack == "resign" && strong {
                (
                    VariantVerdict::Expected,
                    Some(
                        "a control: the secret given is the server's, and it is strong, so the \
                         claim variants below are judged against a token the server trusts"
                            .into(),
                    ),
                )
            } else if v.accepted {
                (VariantVerdict::Accepted, None)
            } else if let Some(why) = overall {
                (VariantVerdict::Inconclusive, Some(why.reason().to_string()))
            } else if resign_refused && v.attack.starts_with("claim-") {
                (
                    VariantVerdict::Inconclusive,
                    Some(
                        "the token re-signed with the secret and otherwise unchanged was refused \
                         too, so the secret is not the server's and this claim check was not reached"
                            .into(),
                    ),
                )
            } else {
                (VariantVerdict::Rejected, None)
            };
        }
    }

    /// Puts two facts together: the original token's `exp` (unix seconds) has passed, and the
    /// server still accepts it. That is a skipped expiry check, reported as an accepted
    /// variant so the verdict and the exit code say so.
    pub fn note_expiry(&mut self, exp: Option<f64>, now: i64) {
        let Some(exp) = exp.filter(|e| *e < now as f64) else {
            return;
        };
        if self.protected && self.original.success() {
            self.variants.push(ProbeResult {
                attack: EXPIRED_ACCEPTED.into(),
                explanation: format!(
                    "The original token expired {} s ago and was still accepted: the server \
                     does not check exp (RFC 7519 §4.1.4), so a stolen token never stops working.",
                    now - exp as i64
                ),
                answer: self.original.clone(),
                accepted: true,
                verdict: VariantVerdict::Accepted,
                reason: None,
                like_original: true,
            });
        }
    }

    /// The variants that got in and say something is wrong (the re-sign control does not).
    pub fn accepted(&self) -> impl Iterator<Item = &ProbeResult> {
        let strong = self.secret_strong;
        self.variants
            .iter()
            .filter(move |v| v.accepted && !(strong && v.attack == "resign"))
    }

    /// The conclusion: an accepted variant on a protected endpoint counts even when the
    /// original token is refused; "rejected" only when both baselines make sense.
    pub fn verdict(&self) -> Verdict {
        let why = if self.original.unanswered() && self.no_token.unanswered() {
            Inconclusive::Unreachable
        } else if self.no_token.success() {
            Inconclusive::Unprotected
        } else if self.no_token.unanswered() {
            Inconclusive::NoTokenUnanswered
        } else if self.accepted().next().is_some() {
            return Verdict::Accepted;
        } else if !self.original.success() {
            Inconclusive::OriginalRefused
        } else {
            return Verdict::Rejected;
        };
        Verdict::Inconclusive(why)
    }
}

/// A variant to send: its attack name, explanation and token.
#[derive(Debug, Clone)]
pub struct ProbeVariant {
    pub attack: String,
    pub explanation: String,
    pub token: String,
}

/// Sends the original token and no token together, then the variants [`CONCURRENCY`] at a
/// time, reporting them in the order given. When neither baseline gets an answer the variants
/// are not sent: they would only wait out the same timeout. `on_sent` is called after each
/// request with the number answered so far.
pub async fn probe(
    client: &reqwest::Client,
    target: &ProbeTarget,
    original: &str,
    variants: &[ProbeVariant],
    on_sent: impl Fn(usize),
) -> ProbeReport {
    let counter = Counter {
        sent: AtomicUsize::new(0),
        on_sent,
    };
    let (original_answer, no_token) = futures_util::join!(
        counter.send(client, target, Some(original)),
        counter.send(client, target, None)
    );
    let protected = !no_token.success() && !no_token.unanswered();
    let answers: Vec<Answer> = if original_answer.unanswered() && no_token.unanswered() {
        Vec::new()
    } else {
        // The futures are made up front: a stream mapping through a closure here makes the
        // whole probe future not provably Send for the task runner.
        let requests: Vec<_> = variants
            .iter()
            .map(|v| counter.send(client, target, Some(v.token.as_str())))
            .collect();
        futures_util::stream::iter(requests)
            .buffered(CONCURRENCY)
            .collect()
            .await
    };
    let results = variants
        .iter()
        .zip(answers)
        .map(|(variant, answer)| ProbeResult {
            attack: variant.attack.clone(),
            explanation: variant.explanation.clone(),
            accepted: protected && answer.success(),
            verdict: if protected && answer.success() {
                VariantVerdict::Accepted
            } else {
                VariantVerdict::Rejected
            },
            reason: None,
            like_original: answer.status.is_some()
                && answer.status == original_answer.status
                && answer.length == original_answer.length,
            answer,
        })
        .collect();
    ProbeReport {
        url: target.url.clone(),
        original: original_answer,
        no_token,
        protected,
        variants: results,
        skipped: Vec::new(),
        jku: None,
        secret_strong: false,
    }
}

/// Counts answers as they come in, whatever order they finish in.
struct Counter<F> {
    sent: AtomicUsize,
    on_sent: F,
}

impl<F: Fn(usize)> Counter<F> {
    async fn send(
        &self,
        client: &reqwest::Client,
        target: &ProbeTarget,
        token: Option<&str>,
    ) -> Answer {
        let answer = send(client, target, token).await;
        (self.on_sent)(self.sent.fetch_add(1, Ordering::Relaxed) + 1);
        answer
    }
}

async fn send(client: &reqwest::Client, target: &ProbeTarget, token: Option<&str>) -> Answer {
    let method =
        reqwest::Method::from_bytes(target.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut request = client.request(method, &target.url).timeout(target.timeout);
    for (name, value) in &target.headers {
        request = request.header(name, value);
    }
    if let Some(token) = token {
        request = match &target.placement {
            Placement::Bearer => request.header("authorization", format!("Bearer {token}")),
            Placement::Header(name) => request.header(name, token),
            Placement::Cookie(name) => request.header("cookie", format!("{name}={token}")),
            Placement::Query(name) => request.query(&[(name, token)]),
        };
    }
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) => {
            return Answer {
                status: None,
                length: None,
                truncated: false,
                error: Some(describe_error(&e)),
            };
        }
    };
    let status = Some(response.status().as_u16());
    // Decoded chunks up to the cap, so a gzip bomb stops there too; the timeout above still
    // bounds a slow endless body.
    match crate::net::read_capped(&mut response, MAX_BODY).await {
        Ok(body) => Answer {
            status,
            length: Some(body.bytes.len()),
            truncated: body.truncated,
            error: None,
        },
        Err(e) => Answer {
            status,
            length: None,
            truncated: false,
            error: Some(describe_error(&e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placements_parse() {
        assert_eq!(Placement::parse("bearer"), Ok(Placement::Bearer));
        assert_eq!(
            Placement::parse("cookie:session"),
            Ok(Placement::Cookie("session".into()))
        );
        assert_eq!(
            Placement::parse("query:access_token"),
            Ok(Placement::Query("access_token".into()))
        );
        assert!(Placement::parse("header").is_err());
        assert!(Placement::parse("carrier-pigeon").is_err());
    }

    fn answer(status: Option<u16>) -> Answer {
        Answer {
            status,
            length: status.map(|_| 2),
            truncated: false,
            error: status.is_none().then(|| "the request timed out".into()),
        }
    }

    #[test]
    fn an_expired_token_still_accepted_is_a_finding() {
        let mut r = report(Some(200), Some(401), Some(401));
        r.note_expiry(Some(900.0), 1000);
        assert_eq!(r.verdict(), Verdict::Accepted);
        assert_eq!(r.accepted().next().unwrap().attack, EXPIRED_ACCEPTED);
        // Not expired, or refused, or unprotected: nothing to say.
        for (mut r, exp) in [
            (report(Some(200), Some(401), Some(401)), Some(1100.0)),
            (report(Some(401), Some(401), Some(401)), Some(900.0)),
            (report(Some(200), Some(200), Some(401)), Some(900.0)),
            (report(Some(200), Some(401), Some(401)), None),
        ] {
            r.note_expiry(exp, 1000);
            assert!(r.accepted().next().is_none());
        }
    }

    fn report(original: Option<u16>, no_token: Option<u16>, variant: Option<u16>) -> ProbeReport {
        let no_token = answer(no_token);
        let protected = !no_token.success() && !no_token.unanswered();
        let variant = answer(variant);
        ProbeReport {
            url: "http://127.0.0.1:9/".into(),
            original: answer(original),
            protected,
            no_token,
            variants: vec![ProbeResult {
                attack: "alg-none".into(),
                explanation: String::new(),
                accepted: protected && variant.success(),
                verdict: VariantVerdict::Rejected,
                reason: None,
                like_original: false,
                answer: variant,
            }],
            skipped: Vec::new(),
            jku: None,
            secret_strong: false,
        }
    }

    #[test]
    fn a_re_signed_token_is_a_finding_only_when_the_secret_is_weak() {
        for (secret, finding) in [
            (&b"secret1"[..], true),
            (&b"kQ9v2Rz7Lx4Wb1Nc8Ty3Hp6Md0Fs5Ge2Aj"[..], false),
        ] {
            let mut r = report(Some(200), Some(401), Some(401));
            r.variants[0].attack = "resign".into();
            r.variants[0].accepted = true;
            r.secret_strong = strong_secret(secret);
            r.judge();
            let found = r.findings().iter().any(|f| f.id == "probe-secret-known");
            assert_eq!(found, finding, "{}", String::from_utf8_lossy(secret));
            if !finding {
                assert_eq!(r.variants[0].verdict, VariantVerdict::Expected);
                assert_eq!(r.verdict(), Verdict::Rejected);
            }
        }
        assert!(!strong_secret(b"short"));
    }

    #[test]
    fn a_verdict_cannot_pass_by_accident() {
        use Inconclusive::*;
        let cases = [
            (Some(200), Some(401), Some(401), Verdict::Rejected),
            (Some(200), Some(401), Some(200), Verdict::Accepted),
            // A forgery through a protected endpoint counts even when the original is refused.
            (Some(401), Some(401), Some(200), Verdict::Accepted),
            (
                Some(401),
                Some(401),
                Some(401),
                Verdict::Inconclusive(OriginalRefused),
            ),
            (
                None,
                Some(401),
                Some(401),
                Verdict::Inconclusive(OriginalRefused),
            ),
            (
                Some(200),
                Some(200),
                Some(200),
                Verdict::Inconclusive(Unprotected),
            ),
            (
                Some(200),
                None,
                Some(401),
                Verdict::Inconclusive(NoTokenUnanswered),
            ),
            (None, None, None, Verdict::Inconclusive(Unreachable)),
        ];
        for (original, no_token, variant, want) in cases {
            assert_eq!(
                report(original, no_token, variant).verdict(),
                want,
                "original {original:?}, no token {no_token:?}, variant {variant:?}"
            );
        }
    }

    /// Serves one connection: `head` (status line and headers, no blank line), then `body`
    /// chunks from the iterator until it ends or the client hangs up.
    async fn serve_once(
        head: &'static str,
        body: impl Iterator<Item = Vec<u8>> + Send + 'static,
    ) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0; 4096];
            let _ = socket.read(&mut request).await;
            if socket
                .write_all(format!("{head}\r\ntransfer-encoding: chunked\r\n\r\n").as_bytes())
                .await
                .is_err()
            {
                return;
            }
            for chunk in body {
                let framed = [
                    format!("{:x}\r\n", chunk.len()).into_bytes(),
                    chunk,
                    b"\r\n".to_vec(),
                ]
                .concat();
                if socket.write_all(&framed).await.is_err() {
                    return;
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
        });
        url
    }

    fn target(url: String) -> ProbeTarget {
        ProbeTarget {
            url,
            method: "GET".into(),
            headers: Vec::new(),
            placement: Placement::Bearer,
            timeout: Duration::from_secs(30),
        }
    }

    fn client() -> reqwest::Client {
        crate::net::build_client(&crate::net::ClientOptions::default()).unwrap()
    }

    #[tokio::test]
    async fn an_endless_body_is_read_up_to_the_cap() {
        let url = serve_once("HTTP/1.1 200 OK", std::iter::repeat(vec![b'a'; 64 * 1024])).await;
        let got = send(&client(), &target(url), Some("t")).await;
        assert_eq!(got.status, Some(200));
        assert_eq!(got.length, Some(MAX_BODY));
        assert!(got.truncated);
        assert!(got.summary().contains("MiB"), "{}", got.summary());
    }

    #[tokio::test]
    async fn a_gzip_bomb_is_cut_at_the_cap_of_decoded_bytes() {
        use tokio::io::AsyncReadExt;
        // 16 MiB of zeros compress to about 16 KiB.
        let zeros: &[u8] = &vec![0; 16 << 20];
        let mut gzip = Vec::new();
        async_compression::tokio::bufread::GzipEncoder::new(zeros)
            .read_to_end(&mut gzip)
            .await
            .unwrap();
        assert!(gzip.len() < MAX_BODY);
        let url = serve_once(
            "HTTP/1.1 200 OK\r\ncontent-encoding: gzip",
            std::iter::once(gzip),
        )
        .await;
        let got = send(&client(), &target(url), Some("t")).await;
        assert_eq!((got.status, got.length), (Some(200), Some(MAX_BODY)));
        assert!(got.truncated);
    }

    #[tokio::test]
    async fn a_short_body_is_read_whole() {
        let url = serve_once("HTTP/1.1 401 Unauthorized", std::iter::once(b"no".to_vec())).await;
        let got = send(&client(), &target(url), None).await;
        assert_eq!(got, answer(Some(401)));
    }
}
