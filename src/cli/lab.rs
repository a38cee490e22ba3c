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
    // Refuse before making keys or a runtime: this is the one mistake that matters.
    if !args.bind.is_loopback() && !args.allow_exposed {
        return Err(lab::LabError::NotLoopback(args.bind).into());
    }
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
        print_banner(&handle, &ca);
        wait_for_signal().await;
        eprintln!("apiward: stopping the lab");
        handle.stop().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn print_banner(handle: &lab::LabHandle, ca: &std::path::Path) {
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
    for (i, lesson) in crate::learn::LESSONS.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {:>2}  {:<52} {}",
            i + 1,
            lesson.title,
            paint(super::learn::owasp_id(lesson.owasp), dim(), color)
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
