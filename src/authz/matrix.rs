//! The run: every chosen request sent once as each identity, and the answers laid out as a
//! matrix (requests down, identities across) with each cell's status, size and how alike its
//! body is to the owner's. Nothing is sent before every URL has passed the host guard and
//! the whole run fits the request cap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use futures_util::future::join_all;
use serde::Serialize;

use super::guard::{Pacer, check_host};
use super::identities::{Identity, Role, uses_request_variables};
use super::row::{Cell, Row, SAFE_METHODS};
use super::watch::Watch;
use super::{flags, similarity, vary};
use crate::findings::Finding;
use crate::http::dotfile::chain::{self, Context};
use crate::http::model::{Request, Row as HeaderRow};
use crate::http::workspace::{Stored, Workspace};
use crate::http::{Prepared, prepare};

/// Bodies kept per answer: enough to compare objects, little enough for thousands of cells.
const MAX_BODY: u64 = 1024 * 1024;

/// How much a run may send, and how fast.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests in all (logins, repeats and id variants included); a bigger run is refused.
    pub max_requests: usize,
    pub per_second: f64,
    pub concurrency: usize,
    pub timeout_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_requests: 2000,
            per_second: 400.0,
            concurrency: 8,
            timeout_ms: 10_000,
        }
    }
}

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub requests: Vec<Stored>,
    pub identities: Vec<Identity>,
    pub env: Option<String>,
    /// The owner of every request not in `owners` (default: the first identity).
    pub owner: Option<String>,
    /// The owner identity by request name.
    pub owners: BTreeMap<String, String>,
    /// Requests only an admin should succeed on.
    pub admin_only: BTreeSet<String>,
    pub unsafe_methods: bool,
    pub vary_ids: bool,
    pub allow_hosts: Vec<String>,
    pub limits: Limits,
}

/// For tests: a finished matrix of `rows` answered by two plain users, alice and bob, with
/// the flags the core raises on them.
#[cfg(test)]
impl Matrix {
    pub(crate) fn of_alice_and_bob(rows: Vec<Row>, elapsed_ms: u64) -> Self {
        let names = ["alice", "bob"];
        let users: Vec<Identity> = names
            .iter()
            .map(|n| Identity {
                role: Role::User,
                ..Identity::anonymous(n)
            })
            .collect();
        let findings = flags::analyse(&rows, &users);
        Matrix {
            identities: names
                .iter()
                .map(|n| IdentityReport {
                    name: n.to_string(),
                    role: Role::User,
                    error: None,
                    own_ids: Vec::new(),
                })
                .collect(),
            rows,
            skipped: Vec::new(),
            findings,
            sent: 6,
            elapsed_ms,
        }
    }
}

impl Matrix {
    /// The findings about `row`.
    pub fn findings_of(&self, row: &Row) -> Vec<&Finding> {
        let label = row.label();
        // The label ends at its name's closing parenthesis, so `r` never claims `r [1→2]`'s.
        (self.findings.iter())
            .filter(|f| f.evidence.starts_with(&format!("{label}:")))
            .collect()
    }
}

/// An identity as the run saw it.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityReport {
    pub name: String,
    pub role: Role,
    /// Its login (the requests its credentials needed first) failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The ids its answers say are its own.
    pub own_ids: Vec<String>,
}

/// A request that was not run, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub identities: Vec<IdentityReport>,
    pub rows: Vec<Row>,
    pub skipped: Vec<Skipped>,
    pub findings: Vec<Finding>,
    /// Requests sent, logins and repeats included.
    pub sent: u64,
    pub elapsed_ms: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthzError {
    #[error("no identities in the workspace: add some with `apiward authz identity set NAME …`")]
    NoIdentities,
    #[error("no identity \"{0}\" to own requests (have: {1})")]
    UnknownOwner(String, String),
    #[error("no request to run")]
    NoRequests,
    /// A URL goes to `host`, which is not loopback and was not allowed.
    #[error("{message}")]
    Host { host: String, message: String },
    #[error(
        "the run would send {planned} requests, more than the cap of {max}: choose fewer requests or identities, or raise the cap"
    )]
    TooMany { planned: usize, max: usize },
}

crate::error_kind::bad_input!(AuthzError);

/// One planned send: a row, an identity (index), and the request as it goes.
struct Job {
    row: usize,
    identity: usize,
    prepared: Result<Prepared, String>,
}

/// A row before it is sent: the stored request and each identity's prepared form.
struct Pending {
    row: Row,
    request: Request,
    prepared: Vec<Result<Prepared, String>>,
}

/// Runs the plan. `watch` is told (done, total) after each send, and sees the rows and cells
/// as they come.
pub async fn run(ws: &Workspace, plan: &Plan, watch: &dyn Watch) -> Result<Matrix, AuthzError> {
    let started = Instant::now();
    if plan.identities.is_empty() {
        return Err(AuthzError::NoIdentities);
    }
    let names: Vec<String> = plan.identities.iter().map(|i| i.name.clone()).collect();
    let default_owner = plan.owner.clone().unwrap_or_else(|| names[0].clone());
    for owner in std::iter::once(&default_owner).chain(plan.owners.values()) {
        if !names.contains(owner) {
            return Err(AuthzError::UnknownOwner(owner.clone(), names.join(", ")));
        }
    }
    let sent = Arc::new(AtomicU64::new(0));
    let pacer = Arc::new(Pacer::new(plan.limits.per_second));

    // The requests identities need first (their logins) are not rows of the matrix.
    let logins: BTreeSet<String> = plan
        .identities
        .iter()
        .flat_map(|i| {
            i.texts()
                .into_iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|t| uses_request_variables(t))
        .flat_map(|t| {
            let probe = Request::new("GET", &t);
            chain::references(&probe, &[])
        })
        .filter_map(|r| crate::http::vars::request_of(&r).map(str::to_string))
        .collect();
    let mut skipped = Vec::new();
    let mut chosen = Vec::new();
    for stored in &plan.requests {
        let method = stored.request.method.trim().to_ascii_uppercase();
        if logins.contains(&stored.request.name) {
            skipped.push(Skipped {
                name: stored.request.name.clone(),
                reason: "an identity's login".into(),
            });
        } else if !plan.unsafe_methods && !SAFE_METHODS.contains(&method.as_str()) {
            skipped.push(Skipped {
                name: stored.request.name.clone(),
                reason: format!("{method} may change data: pass --unsafe to send it"),
            });
        } else {
            chosen.push(stored);
        }
    }
    if chosen.is_empty() {
        return Err(AuthzError::NoRequests);
    }

    // Each identity's login: the request variables its credentials use, sent once.
    let mut reports: Vec<IdentityReport> = Vec::new();
    let mut chained: Vec<Result<Vec<(String, String)>, String>> = Vec::new();
    for identity in &plan.identities {
        let result = login(ws, plan, identity, &sent).await;
        reports.push(IdentityReport {
            name: identity.name.clone(),
            role: identity.role,
            error: result.as_ref().err().cloned(),
            own_ids: Vec::new(),
        });
        chained.push(result);
    }

    // Every request prepared as every identity, and checked, before anything is sent.
    let mut pending = Vec::new();
    for stored in chosen {
        let owner = plan
            .owners
            .get(&stored.request.name)
            .cloned()
            .unwrap_or_else(|| default_owner.clone());
        let mut prepared = Vec::new();
        for (identity, values) in plan.identities.iter().zip(&chained) {
            prepared.push(match values {
                Ok(values) => prepare_as(ws, plan, identity, stored, values, &sent).await,
                Err(e) => Err(format!("not logged in: {e}")),
            });
        }
        for p in prepared.iter().flatten() {
            check_host(&p.url, &plan.allow_hosts).map_err(|message| AuthzError::Host {
                host: p.url.host_str().unwrap_or_default().to_string(),
                message,
            })?;
        }
        let owner_index = names.iter().position(|n| *n == owner).unwrap_or(0);
        let shown = prepared
            .get(owner_index)
            .and_then(|p| p.as_ref().ok())
            .or_else(|| prepared.iter().flatten().next());
        let (method, url, object) = match shown {
            Some(p) => (
                p.method.to_string(),
                crate::http::sensitive::redact_url(&p.url, &p.redactor),
                !vary::object_ids(&p.url).is_empty(),
            ),
            None => (
                stored.request.method.clone(),
                stored.request.url.clone(),
                false,
            ),
        };
        let privileged = privileged(&stored.request.name, &url, plan);
        pending.push(Pending {
            row: Row {
                name: stored.request.name.clone(),
                method,
                url,
                owner,
                owner_known: true,
                variant_of: None,
                privileged,
                object,
                written_with_credentials: written_with_credentials(&stored.request),
                cells: Vec::new(),
                volatile: BTreeSet::new(),
            },
            request: stored.request.clone(),
            prepared,
        });
    }
    // Each row once per identity and once more as its owner; variants are counted when known.
    let planned = sent.load(Ordering::Relaxed) as usize + pending.len() * (names.len() + 1);
    if planned > plan.limits.max_requests {
        return Err(AuthzError::TooMany {
            planned,
            max: plan.limits.max_requests,
        });
    }
    let total = Arc::new(AtomicU64::new(planned as u64));
    let mut rows = send_rows(plan, &mut pending, 0, &sent, &total, &pacer, watch).await;

    // What each identity owns, from the answers that are about the caller (no id in the URL).
    for (i, report) in reports.iter_mut().enumerate() {
        for row in rows.iter().filter(|r| !r.object) {
            let cell = &row.cells[i];
            if cell.success() && plan.identities[i].role != Role::Anonymous {
                for id in vary::own_ids(&cell.body) {
                    if !report.own_ids.contains(&id) {
                        report.own_ids.push(id);
                    }
                }
            }
        }
    }

    if plan.vary_ids {
        let mut variants = variant_rows(&pending, &reports, plan);
        let planned = sent.load(Ordering::Relaxed) as usize + variants.len() * (names.len() + 1);
        if planned > plan.limits.max_requests {
            let room = plan
                .limits
                .max_requests
                .saturating_sub(sent.load(Ordering::Relaxed) as usize)
                / (names.len() + 1);
            for dropped in variants.drain(room.min(variants.len())..) {
                skipped.push(Skipped {
                    name: dropped.row.name,
                    reason: format!("over --max-requests {}", plan.limits.max_requests),
                });
            }
        }
        total.store(
            sent.load(Ordering::Relaxed) + (variants.len() * (names.len() + 1)) as u64,
            Ordering::Relaxed,
        );
        let first = rows.len();
        rows.extend(send_rows(plan, &mut variants, first, &sent, &total, &pacer, watch).await);
    }

    let findings = flags::analyse(&rows, &plan.identities);
    Ok(Matrix {
        identities: reports,
        rows,
        skipped,
        findings,
        sent: sent.load(Ordering::Relaxed),
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// The values an identity's credentials take from other requests' answers (its login),
/// sending those requests as this identity.
async fn login(
    ws: &Workspace,
    plan: &Plan,
    identity: &Identity,
    sent: &AtomicU64,
) -> Result<Vec<(String, String)>, String> {
    let texts: Vec<&str> = identity
        .texts()
        .into_iter()
        .filter(|t| uses_request_variables(t))
        .collect();
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    // A request that holds the texts, in the file of the first request they name, so the
    // chain finds it there as it finds a request's own references.
    let mut holder = Request::new("GET", "http://127.0.0.1/");
    for t in &texts {
        holder.headers.push(HeaderRow::new("X-Identity", t));
    }
    let refs = chain::references(&holder, &[]);
    let first = refs
        .first()
        .and_then(|r| crate::http::vars::request_of(r))
        .unwrap_or_default()
        .to_string();
    let login = ws.request(&first).map_err(|e| e.to_string())?;
    let stored = Stored {
        request: holder,
        path: login.path.clone(),
        index: usize::MAX,
        file_vars: login.file_vars.clone(),
    };
    // The login goes where the run may go; a POST is what logins are, so it may be one.
    check_chained(ws, plan, identity, &stored, false)?;
    let cx = Context {
        ws,
        env: plan.env.as_deref(),
        given: &identity.vars,
        history: None,
    };
    let mut note = |_: &str| {
        sent.fetch_add(1, Ordering::Relaxed);
    };
    let all = chain::resolve(&cx, &stored, &mut note)
        .await
        .map_err(|e| e.to_string())?;
    Ok(all
        .into_iter()
        .filter(|(n, _)| crate::http::vars::request_of(n).is_some())
        .collect())
}

/// Checks the requests the chain would send before `stored` (its request variables' requests,
/// and theirs): each must go to an allowed host and, when `safe_only`, use a safe method.
fn check_chained(
    ws: &Workspace,
    plan: &Plan,
    identity: &Identity,
    stored: &Stored,
    safe_only: bool,
) -> Result<(), String> {
    let mut todo: Vec<String> = chain::references(&stored.request, &stored.file_vars);
    if todo.is_empty() {
        return Ok(());
    }
    let (all, _) = ws.requests_and_problems().map_err(|e| e.to_string())?;
    let mut seen = BTreeSet::new();
    while let Some(reference) = todo.pop() {
        let name = crate::http::vars::request_of(&reference).unwrap_or_default();
        if !seen.insert(name.to_string()) {
            continue;
        }
        let Some(earlier) = all
            .iter()
            .find(|s| s.path == stored.path && s.request.name == name)
        else {
            continue; // The chain names what is missing when it gets there.
        };
        let method = earlier.request.method.trim().to_ascii_uppercase();
        if safe_only && !SAFE_METHODS.contains(&method.as_str()) {
            return Err(format!(
                "needs \"{name}\" ({method}) sent first for {{{{{reference}}}}}: pass --unsafe to send it"
            ));
        }
        let mut vars = ws
            .vars(plan.env.as_deref(), &earlier.file_vars)
            .map_err(|e| e.to_string())?;
        identity.apply_vars(&mut vars);
        // A URL that needs yet another answer cannot be known before it; its own URL is
        // checked when that one is.
        if let Ok(p) = prepare(&earlier.request, &vars, earlier.path.parent()) {
            check_host(&p.url, &plan.allow_hosts)?;
        }
        todo.extend(chain::references(&earlier.request, &earlier.file_vars));
    }
    Ok(())
}

/// `stored` as `identity` sends it: the environment, the identity's variables and login
/// values, the request's own request variables, and the identity's credentials in place of
/// the request's.
async fn prepare_as(
    ws: &Workspace,
    plan: &Plan,
    identity: &Identity,
    stored: &Stored,
    login: &[(String, String)],
    sent: &AtomicU64,
) -> Result<Prepared, String> {
    check_chained(ws, plan, identity, stored, !plan.unsafe_methods)?;
    let cx = Context {
        ws,
        env: plan.env.as_deref(),
        given: &identity.vars,
        history: None,
    };
    let mut note = |_: &str| {
        sent.fetch_add(1, Ordering::Relaxed);
    };
    let file_vars = chain::resolve(&cx, stored, &mut note)
        .await
        .map_err(|e| e.to_string())?;
    let mut vars = ws
        .vars(plan.env.as_deref(), &file_vars)
        .map_err(|e| e.to_string())?;
    for (n, v) in login {
        vars.set(n, v, true);
    }
    identity.apply_vars(&mut vars);
    let base = stored
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf);
    let mut prepared =
        prepare(&stored.request, &vars, base.as_deref()).map_err(|e| e.to_string())?;
    identity
        .apply(&mut prepared, &vars)
        .map_err(|e| e.to_string())?;
    prepared.options.max_body = prepared.options.max_body.min(MAX_BODY);
    prepared.options.timeout_ms = prepared.options.timeout_ms.min(plan.limits.timeout_ms);
    prepared.options.follow_redirects = false;
    Ok(prepared)
}

/// Why a request looks like it needs a privileged role, if it does: a mark, or a path
/// segment that names an administrative function or a role.
fn privileged(name: &str, url: &str, plan: &Plan) -> Option<String> {
    if plan.admin_only.contains(name) {
        return Some("marked admin-only".into());
    }
    const WORDS: &[&str] = &[
        "admin",
        "administrator",
        "administration",
        "internal",
        "manage",
        "management",
        "staff",
        "superuser",
        "sudo",
        "root",
        "moderator",
        "moderation",
        "ops",
        "roles",
        "permissions",
        "privileged",
    ];
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    path.split('/')
        .skip(1)
        .map(str::to_ascii_lowercase)
        .find(|seg| WORDS.contains(&seg.as_str()) || seg.starts_with("admin"))
        .map(|seg| format!("the path has /{seg}"))
}

fn written_with_credentials(req: &Request) -> bool {
    !matches!(req.auth, crate::http::model::Auth::None)
        || req
            .headers
            .iter()
            .any(|h| h.enabled && crate::http::sensitive::is_credential_header(&h.name))
}

/// The rows `--vary-ids` adds: for each id in a row's URL, its neighbours and the other
/// identities' own ids, owned by whoever's own id it is.
fn variant_rows(pending: &[Pending], reports: &[IdentityReport], plan: &Plan) -> Vec<Pending> {
    let mut out = Vec::new();
    let all_ids: Vec<String> = reports.iter().flat_map(|r| r.own_ids.clone()).collect();
    for p in pending {
        let Some(template) = p.prepared.iter().flatten().next() else {
            continue;
        };
        for (spot, id) in vary::object_ids(&template.url) {
            for value in vary::variants(&id, &all_ids) {
                let owner = reports.iter().find(|r| r.own_ids.contains(&value));
                let prepared: Vec<Result<Prepared, String>> = p
                    .prepared
                    .iter()
                    .map(|r| {
                        r.clone().map(|mut prepared| {
                            prepared.url = vary::with_id(&prepared.url, &spot, &value);
                            prepared
                        })
                    })
                    .collect();
                let shown = prepared
                    .iter()
                    .flatten()
                    .next()
                    .map_or_else(String::new, |x| {
                        crate::http::sensitive::redact_url(&x.url, &x.redactor)
                    });
                out.push(Pending {
                    row: Row {
                        name: format!("{} [{id}→{value}]", p.row.name),
                        url: shown.clone(),
                        owner: owner.map_or_else(|| p.row.owner.clone(), |o| o.name.clone()),
                        owner_known: owner.is_some(),
                        variant_of: Some(p.row.name.clone()),
                        privileged: privileged(&p.row.name, &shown, plan),
                        cells: Vec::new(),
                        volatile: BTreeSet::new(),
                        ..p.row.clone()
                    },
                    request: p.request.clone(),
                    prepared,
                });
            }
        }
    }
    out
}

/// Sends every cell of `pending` (bounded and paced), then the owner's request once more to
/// learn what changes per call, and fills in the similarities. The rows are the matrix's from
/// index `first` on, as `watch` is told.
// The run's shared counters and its watcher travel together through both sending steps.
#[allow(clippy::too_many_arguments)]
async fn send_rows(
    plan: &Plan,
    pending: &mut [Pending],
    first: usize,
    sent: &Arc<AtomicU64>,
    total: &Arc<AtomicU64>,
    pacer: &Arc<Pacer>,
    watch: &dyn Watch,
) -> Vec<Row> {
    let names: Vec<&str> = plan.identities.iter().map(|i| i.name.as_str()).collect();
    let planned: Vec<Row> = pending.iter().map(|p| p.row.clone()).collect();
    watch.rows(first, &planned);
    let mut jobs = Vec::new();
    for (r, p) in pending.iter_mut().enumerate() {
        for (i, prepared) in p.prepared.iter().enumerate() {
            jobs.push(Job {
                row: r,
                identity: i,
                prepared: prepared.clone(),
            });
        }
    }
    let requests: Vec<Request> = pending.iter().map(|p| p.request.clone()).collect();
    let counters = (sent, total, pacer);
    let cells = send_all(plan, jobs, &requests, counters, watch, Some(first)).await;
    for ((r, i), cell) in cells {
        let p = &mut pending[r];
        if p.row.cells.is_empty() {
            p.row.cells = names
                .iter()
                .map(|n| Cell {
                    identity: n.to_string(),
                    ..Cell::default()
                })
                .collect();
        }
        p.row.cells[i] = Cell {
            identity: names[i].to_string(),
            ..cell
        };
    }
    // The owner once more: what differs between its two answers is per call, not per object.
    let owner_of = |p: &Pending| names.iter().position(|n| *n == p.row.owner).unwrap_or(0);
    let again: Vec<Job> = pending
        .iter()
        .enumerate()
        .filter(|(_, p)| p.row.cells[owner_of(p)].success())
        .map(|(r, p)| Job {
            row: r,
            identity: owner_of(p),
            prepared: p.prepared[owner_of(p)].clone(),
        })
        .collect();
    let repeats = send_all(plan, again, &requests, counters, watch, None).await;
    for ((r, _), cell) in repeats {
        let p = &mut pending[r];
        let first = &p.row.cells[owner_of(p)].body;
        if cell.success() {
            p.row.volatile = similarity::volatile(first, &cell.body);
        }
    }
    for p in pending.iter_mut() {
        let o = owner_of(p);
        let owner_body = p.row.cells[o].body.clone();
        let owner_has = p.row.cells[o].status.is_some();
        let volatile = p.row.volatile.clone();
        for cell in p.row.cells.iter_mut() {
            if owner_has && cell.status.is_some() {
                cell.similarity = Some(similarity::similarity(&owner_body, &cell.body, &volatile));
            }
        }
    }
    let rows: Vec<Row> = pending.iter().map(|p| p.row.clone()).collect();
    watch.rows(first, &rows);
    rows
}

/// Sends the jobs, `concurrency` at a time and paced; a job without a request (its identity
/// could not log in, or it did not prepare) becomes a cell with the error. With `cells_from`,
/// each cell is shown to `watch` as the row `cells_from + row` (the repeats are not cells).
async fn send_all(
    plan: &Plan,
    jobs: Vec<Job>,
    requests: &[Request],
    (sent, total, pacer): (&Arc<AtomicU64>, &Arc<AtomicU64>, &Arc<Pacer>),
    watch: &dyn Watch,
    cells_from: Option<usize>,
) -> Vec<((usize, usize), Cell)> {
    let limit = Arc::new(tokio::sync::Semaphore::new(plan.limits.concurrency.max(1)));
    let futures = jobs.into_iter().map(|job| {
        let (limit, pacer, sent, total) =
            (limit.clone(), pacer.clone(), sent.clone(), total.clone());
        let request = &requests[job.row];
        async move {
            let key = (job.row, job.identity);
            let seen = |cell: Cell| {
                if let Some(first) = cells_from {
                    watch.cell(first + job.row, job.identity, &cell);
                }
                (key, cell)
            };
            let prepared = match job.prepared {
                Ok(p) => p,
                Err(e) => {
                    return seen(Cell {
                        error: Some(e),
                        ..Cell::default()
                    });
                }
            };
            let _permit = limit.acquire().await;
            pacer.wait().await;
            let (result, _) = crate::http::task::run(request, &prepared, None, None).await;
            let done = sent.fetch_add(1, Ordering::Relaxed) + 1;
            watch.progress(done, total.load(Ordering::Relaxed).max(done));
            let cell = match result {
                Ok(x) => Cell {
                    status: Some(x.response.status),
                    size: Some(x.response.body.len() as u64),
                    body: x.response.body,
                    ..Cell::default()
                },
                Err(e) => Cell {
                    error: Some(prepared.redactor.redact(&e.to_string())),
                    ..Cell::default()
                },
            };
            seen(cell)
        }
    });
    join_all(futures).await
}
