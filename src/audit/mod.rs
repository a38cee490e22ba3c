//! Header and TLS audit core: Observatory-style header scoring, API checks, CORS probes,
//! redirects and TLS inspection, for one target or many.
//!
//! Plain Rust: nothing here prints or draws. The pure checks ([`check_headers`],
//! [`check_cookies`], [`check_cors_response`]) work on a response already received, so the
//! request builder can reuse them; [`audit`] and [`audit_many`] do the network work.

mod batch;
pub mod cookies;
pub mod cors;
pub mod csp;
pub mod grades;
pub mod headers;
pub mod markdown;
pub mod meta;
pub mod redirects;
pub mod rules;
mod run;
pub mod scoring;
pub mod setup;
pub mod site;
pub mod sri;
pub mod targets;
pub mod tls;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use batch::audit_many;
pub use cookies::check_cookies;
pub use cors::{CorsProbe, ProbeKind, check_cors_response};
pub use headers::{
    check_api_headers, check_cache_control, check_headers, check_json_content_type, score_headers,
};
pub use redirects::Hop;
pub use scoring::{ScoredTest, grade, score};
pub use tls::{CertInfo, ProtocolSupport, TlsReport, TrustIssue};

use crate::findings::Finding;

/// The most any extra probe (CORS origins, TRACE, the per-version TLS handshakes) may take:
/// a server that holds such a request open must not cost the whole `timeout`, and the report
/// says which probe ran out of time.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// How to audit.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// For each request and TLS connection.
    pub timeout: Duration,
    /// For the whole audit of one target; past it the target is a failed record.
    pub target_timeout: Duration,
    /// Audit the headers even when the certificate is not trusted (the TLS findings stay).
    pub insecure: bool,
    /// PEM roots of a private CA; when set they replace the public roots.
    pub ca_pem: Option<Vec<u8>>,
    /// Unix seconds for certificate dates; None for the system clock.
    pub now: Option<i64>,
    pub max_redirects: usize,
    /// Sent with every request (e.g. Authorization); credentials here make the audit check
    /// `Cache-Control: no-store`.
    pub request_headers: Vec<(String, String)>,
    /// Probe TLS 1.0, 1.1 and 1.2 separately.
    pub probe_tls_versions: bool,
}

impl Default for AuditOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            target_timeout: Duration::from_secs(30),
            insecure: false,
            ca_pem: None,
            now: None,
            max_redirects: 5,
            request_headers: Vec::new(),
            probe_tls_versions: true,
        }
    }
}

/// Everything the audit of one target found. A failed target carries `error` and whatever was
/// learnt before the failure (often the TLS report).
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub target: String,
    /// The Observatory's header score and grade.
    pub score: Option<u32>,
    pub grade: Option<String>,
    /// The TLS grade of an https target (SSL Labs' model).
    pub tls_grade: Option<grades::TlsGrade>,
    /// The worse of the header and TLS grades: what the target deserves as a whole.
    pub overall_grade: Option<String>,
    pub findings: Vec<Finding>,
    pub tls: Option<TlsReport>,
    /// The final response's headers, lower-case names.
    pub headers: BTreeMap<String, String>,
    /// The chain from the target, last hop the response that was judged.
    pub redirects: Vec<Hop>,
    /// For an https target on port 443: where http:// on the same host leads.
    pub http_redirects: Vec<Hop>,
    pub cors: Vec<CorsProbe>,
    /// The Observatory tests behind the score.
    pub tests: Vec<ScoredTest>,
    pub final_url: Option<String>,
    pub status: Option<u16>,
    /// Extra probes that ran out of their time, in words ("TRACE timed out after 0.5 s").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probe_timeouts: Vec<String>,
    /// The final body was longer than this many bytes, and only they were read and judged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_cut_at: Option<usize>,
    pub error: Option<String>,
    pub elapsed_ms: u64,
}

impl AuditReport {
    fn empty(target: &str) -> Self {
        Self {
            target: target.to_string(),
            score: None,
            grade: None,
            tls_grade: None,
            overall_grade: None,
            findings: Vec::new(),
            tls: None,
            headers: BTreeMap::new(),
            redirects: Vec::new(),
            http_redirects: Vec::new(),
            cors: Vec::new(),
            tests: Vec::new(),
            final_url: None,
            status: None,
            probe_timeouts: Vec::new(),
            body_cut_at: None,
            error: None,
            elapsed_ms: 0,
        }
    }

    fn failed(mut self, error: String, started: Instant) -> Self {
        self.error = Some(error);
        self.elapsed_ms = started.elapsed().as_millis() as u64;
        self
    }

    /// The ids of the findings, for quick checks.
    pub fn finding_ids(&self) -> Vec<&str> {
        self.findings.iter().map(|f| f.id.as_str()).collect()
    }

    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.id == id)
    }
}

/// Audits one target: headers and score, cookies, CORS, redirects, TRACE and TLS. Never
/// fails: problems become the report's `error`. Bounded by `opts.target_timeout`.
pub async fn audit(url: &str, opts: &AuditOptions) -> AuditReport {
    let started = Instant::now();
    match tokio::time::timeout(opts.target_timeout, run::run(url, opts)).await {
        Ok(report) => report,
        Err(_) => AuditReport::empty(url).failed(
            format!(
                "the audit did not finish within {} s",
                opts.target_timeout.as_secs_f32()
            ),
            started,
        ),
    }
}
