//! `apiward lab`: serve the practice API on loopback until Ctrl-C or SIGTERM, printing its
//! URLs and the route table first.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::CliResult;
use super::output::{self, bold, dim, paint};
use crate::lab::{self, LabConfig};

#[derive(Debug, Args)]
pub struct LabArgs {
    /// The HTTP port; HTTPS listens on the next one. 0 picks free ports.
    #[arg(long, value_name = "P", default_value_t = 0)]
    pub port: u16,
    /// The address to listen on. Only loopback, unless you pass the flag below.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Listen on a non-loopback address anyway. The lab is vulnerable on purpose: anyone who
    /// can reach it can exploit it.
    #[arg(long = "i-understand-this-is-vulnerable")]
    pub allow_exposed: bool,
    /// The lab root: the access log and progress, shared with other labs run from it, and
    /// this lab's own folder for its certificate and keys (default: lab/ in the data directory).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: LabArgs) -> CliResult {
    ignore_broken_pipes();
    // Refuse before making keys or a runtime: this is the one mistake that matters.
    if !args.bind.is_loopback() && !args.allow_exposed {
        return Err(lab::LabError::NotLoopback(args.bind).into());
    }
    // With --dir, the sample goes beside the lab's own files; else where the workbench keeps it.
    let sample_dir = match &args.dir {
        Some(d) => Some(d.join("sample")),
        None => crate::paths::sample_workspace(),
    };
    let dir = match args.dir.or_else(crate::paths::lab_dir) {
        Some(d) => d,
        None => return Err(anyhow::anyhow!("no data directory here: pass --dir DIR").into()),
    };
    let mut config = LabConfig::new(&dir);
    config.bind = args.bind;
    config.port = args.port;
    config.allow_exposed = args.allow_exposed;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let handle = lab::start(config).await?;
        let ca = PathBuf::from(&handle.urls.ca);
        // The sample workspace points at this lab, identities included, as the workbench's
        // does; a lab that cannot write it still serves.
        let sample = sample_dir.map(|shared| refresh_sample(&handle, &shared));
        if let Some(Err(e)) = &sample {
            eprintln!("apiward: the sample workspace was not refreshed: {e}");
        }
        let sample_dir = sample
            .as_ref()
            .and_then(|s| s.as_ref().ok())
            .map(|c| c.dir.clone());
        print_banner(&handle, &ca, sample_dir.as_deref());
        tokio::select! {
            _ = wait_for_signal() => {}
            _ = keep_admin_fresh(&handle, sample_dir.as_deref()) => {}
        }
        eprintln!("apiward: stopping the lab");
        handle.stop().await;
        Ok(ExitCode::SUCCESS)
    })
}

/// A server must outlive clients that hang up. `cli::main` gives subcommands the default
/// SIGPIPE action so `| head` ends them quietly, but hyper writes responses with `writev`,
/// which raises SIGPIPE when the client has closed: one client that hung up mid-answer (an
/// `apiward authz` run did it within three) ended the whole lab with status 141.
fn ignore_broken_pipes() {
    #[cfg(unix)]
    // SAFETY: called before the runtime starts, so before any other thread exists, with a
    // valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}

/// Claims the sample workspace for this lab (another running lab's keeps its own copy) and
/// writes its environment, requests and identities.
fn refresh_sample(
    handle: &lab::LabHandle,
    shared: &std::path::Path,
) -> Result<crate::learn::sample::SampleClaim, String> {
    use crate::learn::sample;
    let claim = sample::claim(shared, &handle.dir.join("sample")).map_err(|e| e.to_string())?;
    sample::prepare(&claim.dir, &handle.urls).map_err(|e| e.to_string())?;
    let admin = sample::admin_session(&handle.state);
    sample::prepare_authz(&claim.dir, &handle.urls, admin.as_deref()).map_err(|e| e.to_string())?;
    Ok(claim)
}

/// The admin identity's session lasts an hour: a fresh one goes into the sample every half
/// hour while the lab runs, so the matrix keeps an admin column.
async fn keep_admin_fresh(handle: &lab::LabHandle, sample: Option<&std::path::Path>) {
    let Some(dir) = sample else {
        return std::future::pending().await;
    };
    let mut every = tokio::time::interval(std::time::Duration::from_secs(30 * 60));
    every.tick().await;
    loop {
        every.tick().await;
        let admin = crate::learn::sample::admin_session(&handle.state);
        if let Err(e) = crate::learn::sample::prepare_authz(dir, &handle.urls, admin.as_deref()) {
            eprintln!("apiward: the sample's admin identity was not refreshed: {e}");
        }
    }
}

fn print_banner(handle: &lab::LabHandle, ca: &std::path::Path, sample: Option<&std::path::Path>) {
    let color = output::color();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}",
        paint(
            "apiward practice lab: deliberately vulnerable",
            bold(),
            color
        )
    );
    let _ = writeln!(out, "  http   {}", handle.http_url());
    let _ = writeln!(
        out,
        "  https  {}   (trust with --ca {})",
        handle.https_url(),
        ca.display()
    );
    let _ = writeln!(
        out,
        "  log in: POST /login {{\"username\":\"alice\",\"password\":\"alice-password\"}}"
    );
    let _ = writeln!(out, "  progress: GET /lab/progress");
    let _ = writeln!(
        out,
        "  partner API (consumed by /api/companies): {}",
        handle.urls.partner
    );
    let _ = writeln!(out, "  files  {}\n", handle.dir.display());
    let _ = writeln!(
        out,
        "{}",
        paint(
            "Vulnerable routes (twin: /hardened + path, over https):",
            bold(),
            color
        )
    );
    for r in lab::ROUTES {
        let _ = writeln!(
            out,
            "  {:<6} {:<20} {:<48} {}",
            r.method,
            r.path,
            r.vulnerability,
            paint(r.owasp.split(' ').next().unwrap_or(""), dim(), color)
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            "Lessons (apiward learn show N; apiward learn check N):",
            bold(),
            color
        )
    );
    let mut track = None;
    for (i, lesson) in crate::learn::LESSONS.iter().enumerate() {
        if track != Some(lesson.track) {
            track = Some(lesson.track);
            let _ = writeln!(out, "  {}", paint(lesson.track.title(), dim(), color));
        }
        let _ = writeln!(
            out,
            "  {:>2}  {:<52} {}",
            i + 1,
            lesson.title,
            paint(super::learn::owasp_id(lesson.owasp), dim(), color)
        );
    }
    if let Some(dir) = sample {
        let _ = writeln!(
            out,
            "\nSample workspace: {}\n  authorization matrix: apiward authz --workspace {} --all",
            dir.display(),
            dir.display()
        );
    }
    let _ = writeln!(out, "\nPress Ctrl-C to stop.");
    let _ = out.flush();
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
