//! `apiward spec check`: the description against the live API. Each safe operation (GET, HEAD,
//! OPTIONS; the others with `unsafe_methods`) is sent with credentials; a secured one once more
//! without any; one with a numeric path parameter once more with a value that is not a number.
//! Each answer is held to the documented responses ([`compare`]): undocumented statuses, media
//! types and fields, a success without credentials, a trace in an error; and its headers go
//! through the same checks every exchange gets (`crate::http::findings`). Sends are counted,
//! paced and kept to loopback unless a host is allowed (`crate::authz::guard`).

pub mod compare;
pub mod rules;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::document::Document;
use super::document_view::Operation;
use crate::authz::guard::{Pacer, check_host};
use crate::authz::identities::strip_credentials;
use crate::findings::{self, Finding, Severity};
use crate::http::model::Request;
use crate::http::vars::Vars;
use crate::http::{Prepared, Response, prepare};

/// Methods sent without `unsafe_methods`.
pub const SAFE: &[&str] = &["GET", "HEAD", "OPTIONS"];
/// What a numeric path parameter is set to for the error probe.
pub const NOT_A_NUMBER: &str = "not-a-number";
/// Body bytes kept from each answer.
const MAX_BODY: u64 = 1 << 20;

#[derive(Debug, Clone)]
pub struct Options {
    pub unsafe_methods: bool,
    pub max_requests: usize,
    pub per_second: f64,
    pub allow_hosts: Vec<String>,
    pub timeout_ms: u64,
    pub ca_file: Option<PathBuf>,
    pub insecure: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            unsafe_methods: false,
            max_requests: 200,
            per_second: 10.0,
            allow_hosts: Vec::new(),
            timeout_ms: 10_000,
            ca_file: None,
            insecure: false,
        }
    }
}

/// An operation and the request that calls it with credentials, `{{variables}}` unresolved.
pub struct Target<'a> {
    pub op: Operation<'a>,
    pub request: Request,
}

/// How a request was varied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    WithCredentials,
    WithoutCredentials,
    NotANumber,
}

impl Variant {
    pub fn label(self) -> &'static str {
        match self {
            Variant::WithCredentials => "with credentials",
            Variant::WithoutCredentials => "without credentials",
            Variant::NotANumber => "a path parameter not a number",
        }
    }
}

/// One request sent and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Probe {
    pub operation: String,
    pub variant: Variant,
    /// Credentials redacted.
    pub url: String,
    pub status: Option<u16>,
    pub error: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub probes: Vec<Probe>,
    /// Worst first.
    pub findings: Vec<Finding>,
    /// Operations not sent, with why.
    pub skipped: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{host} is not a loopback address, and spec check sends real requests")]
    Host { host: String },
    #[error("the check would send {n} requests, more than the limit of {max}")]
    TooMany { n: usize, max: usize },
    #[error("no operation could be sent: {0}")]
    Nothing(String),
}

impl crate::error_kind::Kind for CheckError {
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        use crate::error_kind::ExitKind;
        match self {
            // Nothing answered: the run failed, the request was fine.
            CheckError::Nothing(_) => ExitKind::Failure,
            _ => ExitKind::BadInput,
        }
    }
}

struct Pending<'a> {
    op: &'a Operation<'a>,
    label: String,
    variant: Variant,
    prepared: Prepared,
}

/// Plans, sends and compares. `progress(done, total)` is told after each send.
pub async fn run(
    doc: &Document,
    targets: &[Target<'_>],
    vars: &Vars,
    options: &Options,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Report, CheckError> {
    let mut report = Report::default();
    let mut pending = Vec::new();
    for t in targets {
        let label = format!("{} {}", t.op.method, t.op.path);
        if !options.unsafe_methods && !SAFE.contains(&t.op.method.as_str()) {
            report
                .skipped
                .push(format!("{label}: not a safe method (--unsafe sends it)"));
            continue;
        }
        let prepared = match prepare_one(&t.request, vars, options) {
            Ok(p) => p,
            Err(why) => {
                report.skipped.push(format!("{label}: {why}"));
                continue;
            }
        };
        if requires_credentials(doc, &t.op) {
            let mut anonymous = prepared.clone();
            strip_credentials(&mut anonymous);
            pending.push(Pending {
                op: &t.op,
                label: label.clone(),
                variant: Variant::WithoutCredentials,
                prepared: anonymous,
            });
        }
        if let Some(name) = numeric_path_parameter(doc, &t.op) {
            let mut odd = vars.clone();
            odd.set(name, NOT_A_NUMBER, false);
            if let Ok(p) = prepare_one(&t.request, &odd, options) {
                pending.push(Pending {
                    op: &t.op,
                    label: label.clone(),
                    variant: Variant::NotANumber,
                    prepared: p,
                });
            }
        }
        pending.push(Pending {
            op: &t.op,
            label,
            variant: Variant::WithCredentials,
            prepared,
        });
    }
    if pending.is_empty() {
        return Err(CheckError::Nothing(
            report
                .skipped
                .first()
                .cloned()
                .unwrap_or_else(|| "the description has no operations".into()),
        ));
    }
    for p in &pending {
        if check_host(&p.prepared.url, &options.allow_hosts).is_err() {
            return Err(CheckError::Host {
                host: p.prepared.url.host_str().unwrap_or_default().to_string(),
            });
        }
    }
    if pending.len() > options.max_requests {
        return Err(CheckError::TooMany {
            n: pending.len(),
            max: options.max_requests,
        });
    }
    // The credentialed request of an operation first, then its variants.
    pending.sort_by_key(|p| (p.label.clone(), p.variant != Variant::WithCredentials));
    let pacer = Pacer::new(options.per_second);
    let total = pending.len() as u64;
    let mut headers: BTreeMap<String, (Finding, Vec<String>)> = BTreeMap::new();
    for (i, p) in pending.iter().enumerate() {
        pacer.wait().await;
        let request = Request::new(p.prepared.method.as_str(), p.prepared.url.as_str());
        let (result, _) = crate::http::task::run(&request, &p.prepared, None, None).await;
        progress(i as u64 + 1, total);
        let mut probe = Probe {
            operation: p.label.clone(),
            variant: p.variant,
            url: p.prepared.redactor.redact(p.prepared.url.as_str()),
            status: None,
            error: None,
        };
        match result {
            Ok(exchange) => {
                probe.status = Some(exchange.response.status);
                report.findings.extend(judge(doc, p, &exchange.response));
                if p.variant == Variant::WithCredentials {
                    for f in exchange.findings {
                        headers
                            .entry(f.id.clone())
                            .or_insert_with(|| (f, Vec::new()))
                            .1
                            .push(p.label.clone());
                    }
                }
            }
            Err(e) => probe.error = Some(p.prepared.redactor.redact(&e.to_string())),
        }
        report.probes.push(probe);
    }
    if report.probes.iter().all(|p| p.error.is_some()) {
        let why = report.probes[0].error.clone().unwrap_or_default();
        return Err(CheckError::Nothing(format!(
            "every request failed, the first with: {why}"
        )));
    }
    // A header finding once, with the operations it was seen on.
    for (_, (mut f, ops)) in headers {
        let shown: Vec<&str> = ops.iter().take(5).map(String::as_str).collect();
        let more = ops.len().saturating_sub(shown.len());
        f.evidence = format!(
            "{}{}on {}{}",
            f.evidence,
            if f.evidence.is_empty() { "" } else { "; " },
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        report.findings.push(f);
    }
    findings::sort(&mut report.findings);
    Ok(report)
}

fn prepare_one(request: &Request, vars: &Vars, options: &Options) -> Result<Prepared, String> {
    let mut p = prepare(request, vars, None).map_err(|e| e.to_string())?;
    p.options.max_body = p.options.max_body.min(MAX_BODY);
    p.options.timeout_ms = options.timeout_ms;
    p.options.follow_redirects = false;
    if let Some(ca) = &options.ca_file {
        p.options.ca_file = Some(ca.clone());
    }
    if options.insecure {
        p.options.verify_tls = false;
    }
    Ok(p)
}

/// Every way to satisfy the operation's security names a scheme (none is `{}`).
fn requires_credentials(doc: &Document, op: &Operation<'_>) -> bool {
    let requirements = doc.security(op);
    !requirements.is_empty() && requirements.iter().all(|r| !r.is_empty())
}

/// The first path parameter documented as an integer or number.
fn numeric_path_parameter<'a>(doc: &'a Document, op: &Operation<'a>) -> Option<&'a str> {
    doc.parameters(op).into_iter().find_map(|p| {
        let schema = p.schema.map(|s| doc.deref(s))?;
        let numeric = matches!(
            schema.value.get("type").and_then(|t| t.as_str()),
            Some("integer" | "number")
        );
        (p.location == "path" && numeric).then_some(p.name)
    })
}

/// The findings on one answer.
fn judge(doc: &Document, p: &Pending<'_>, response: &Response) -> Vec<Finding> {
    let mut out = Vec::new();
    let status = response.status;
    let said = format!("{} ({}) answered {status}", p.label, p.variant.label());
    if p.variant == Variant::WithoutCredentials && (200..300).contains(&status) {
        out.push(rules::finding(
            "spec-check-missing-auth",
            format!("{said} with every credential removed"),
        ));
    }
    let body = String::from_utf8_lossy(&response.body);
    if status >= 400
        && let Some(what) = compare::leak(&body)
    {
        out.push(rules::finding(
            "spec-check-error-leak",
            format!("{said}, and the body shows {what}"),
        ));
    }
    let Some(responses) = doc.get(&p.op.node, "responses") else {
        return out;
    };
    let Some(documented) = compare::documented(doc, &responses, status) else {
        let listed: Vec<&str> = responses.entries().map(|(k, _)| k).collect();
        out.push(rules::finding(
            "spec-check-undocumented-status",
            format!("{said}; the description lists {}", listed.join(", ")),
        ));
        return out;
    };
    if response.body.is_empty() || p.prepared.method == http::Method::HEAD {
        return out;
    }
    let content_type = response
        .headers
        .iter()
        .find(|(n, _)| n == "content-type")
        .map(|(_, v)| compare::essence(v))
        .unwrap_or_default();
    let media = match compare::media(&documented, &content_type) {
        Ok(media) => media,
        Err(listed) => {
            out.push(rules::finding(
                "spec-check-undocumented-media-type",
                format!(
                    "{said} as {}; the description lists {} for it",
                    if content_type.is_empty() {
                        "no content type"
                    } else {
                        &content_type
                    },
                    listed.join(", ")
                ),
            ));
            return out;
        }
    };
    let schema = media.and_then(|m| doc.get(&m, "schema"));
    if let (Some(schema), Ok(value)) = (
        schema,
        serde_json::from_slice::<serde_json::Value>(&response.body),
    ) {
        let extra = compare::undocumented_fields(doc, &schema, &value);
        if !extra.is_empty() {
            let mut f = rules::finding(
                "spec-check-undocumented-field",
                format!(
                    "{said} with fields the schema does not list: {}{}",
                    extra
                        .iter()
                        .take(12)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if extra.len() > 12 {
                        format!(" and {} more", extra.len() - 12)
                    } else {
                        String::new()
                    }
                ),
            );
            if extra.iter().any(|e| compare::sensitive(e)) {
                f.severity = Severity::High;
            }
            out.push(f);
        }
    }
    out
}
