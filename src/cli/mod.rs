//! The command line: clap definitions, dispatch to one file per subcommand, and the
//! error-to-exit-code convention. With no subcommand, it opens the TUI.

pub mod apikey;
pub mod audit;
pub mod authz;
pub mod completions;
pub mod error;
pub mod export;
pub mod history;
pub mod import;
pub mod import_collection;
pub mod import_openapi;
pub mod input;
pub mod jwt;
pub mod keys;
pub mod lab;
pub mod lazy;
pub mod learn;
pub mod output;
pub mod progress;
pub mod sarif;
pub mod send;
pub mod spec;
pub mod task;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clap_complete::Shell;

use crate::config::Config;
pub use error::{CliError, CliResult};
use lazy::Lazy;

#[derive(Debug, Parser)]
#[command(
    name = "apiward",
    version,
    about = "A terminal workbench for API security: requests, JWTs, header and TLS audits, key rotation.",
    after_help = "Run with no subcommand to open the interactive workbench."
)]
pub struct Cli {
    /// Colour theme: default, light, high-contrast, or a file in the user theme directory.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "NAME"
    )]
    pub theme: Option<String>,
    /// Config file to use instead of config.toml in the config directory.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Where the TUI writes its log (default: apiward.log in the data directory).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub log_file: Option<PathBuf>,
    /// Workspace folder (default: ./.apiward when present, else in the config directory).
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "DIR"
    )]
    pub workspace: Option<PathBuf>,
    /// Open the workbench without starting the practice lab beside it.
    #[arg(long)]
    pub no_lab: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Parsed once per run, so the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode, verify, lint, sign, forge, probe and crack JSON Web Tokens.
    #[command(subcommand)]
    Jwt(Lazy<jwt::JwtCommand>),
    /// Grade an endpoint's security headers, CORS, cookies, redirects and TLS.
    Audit(Lazy<audit::AuditArgs>),
    /// Signing keys: an encrypted keyring, safe rotation, the JWKS and its checks.
    Keys(Lazy<keys::KeysArgs>),
    /// API keys: issue, verify, check offline, rotate with overlap, revoke.
    Apikey(Lazy<apikey::ApikeyArgs>),
    /// Send an HTTP request: `apiward send [METHOD] URL [ITEM]...`, or a stored one by --name.
    Send(Lazy<send::SendArgs>),
    /// Replay requests as every identity: an authorization matrix with BOLA and BFLA flags.
    Authz(Lazy<authz::AuthzArgs>),
    /// Serve the deliberately vulnerable practice API on loopback, over HTTP and HTTPS.
    Lab(Lazy<lab::LabArgs>),
    /// Lessons on API security against the lab: list, show N, hint N, check N.
    Learn(Lazy<learn::LearnArgs>),
    /// Import requests: a curl command, OpenAPI, Postman, Insomnia or a HAR.
    #[command(subcommand)]
    Import(Lazy<import::ImportCommand>),
    /// Lint an API description for security problems, or check the live API against it.
    #[command(subcommand)]
    Spec(Lazy<spec::SpecCommand>),
    /// Print a stored request as a curl, HTTPie or xh command, or `.http` text.
    Export(Lazy<export::ExportArgs>),
    /// The workspace's send history: list, search, show, resend.
    History(Lazy<history::HistoryArgs>),
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
}

/// Parses the arguments, runs, and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(err.exit_code().clamp(0, 255) as u8);
        }
    };
    if cli.command.is_some() {
        quiet_broken_pipe();
    }
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("apiward: {err}");
            err.exit_code()
        }
    }
}

/// Rust ignores SIGPIPE, so every `println!` into a pipe that closed early (`| head`) would
/// panic. The subcommands print with it everywhere; restoring the default makes such a pipe
/// end the process quietly, as it ends `cat`. Sockets are unaffected: the standard library and
/// tokio send with MSG_NOSIGNAL. The TUI never writes to a pipe, and keeps Rust's default.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any thread exists, with a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(cli: Cli) -> CliResult {
    let workspace = cli.workspace.as_deref();
    match cli.command {
        None => launch_tui(&cli),
        Some(Command::Jwt(Lazy(jwt::JwtCommand::Sign(Lazy(mut args))))) if args.keyring => {
            args.workspace = cli.workspace.clone();
            jwt::run(jwt::JwtCommand::Sign(Lazy(args)))
        }
        Some(Command::Jwt(Lazy(jwt::JwtCommand::Verify(Lazy(mut args))))) if args.keyring => {
            args.workspace = cli.workspace.clone();
            jwt::run(jwt::JwtCommand::Verify(Lazy(args)))
        }
        Some(Command::Jwt(Lazy(command))) => jwt::run(command),
        Some(Command::Keys(Lazy(args))) => keys::run(args, workspace),
        Some(Command::Apikey(Lazy(args))) => apikey::run(args, workspace),
        Some(Command::Audit(Lazy(args))) => audit::run(args, workspace),
        Some(Command::Send(Lazy(args))) => send::run(args, workspace),
        Some(Command::Authz(Lazy(args))) => authz::run(args, workspace),
        Some(Command::Lab(Lazy(args))) => lab::run(args),
        Some(Command::Learn(Lazy(args))) => learn::run(args, workspace),
        Some(Command::Import(Lazy(command))) => import::run(command, workspace),
        Some(Command::Spec(Lazy(command))) => spec::run(command, workspace),
        Some(Command::Export(Lazy(args))) => export::run(args, workspace),
        Some(Command::History(Lazy(args))) => history::run(args, workspace),
        Some(Command::Completions { shell }) => {
            completions::run(shell, &mut std::io::stdout().lock());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the workbench. Bad config or theme files are reported before the screen changes.
fn launch_tui(cli: &Cli) -> CliResult {
    let config = Config::load(cli.config.as_deref())?;
    let mut app = crate::tui::build_app(&config, cli.theme.as_deref())?;
    // Only an explicit --workspace is passed on: the default is resolved lazily by the tab,
    // so start-up scans nothing.
    app.set_workspace(cli.workspace.clone());
    let lab = learning(cli, &mut app);
    if !crate::tui::has_terminal() {
        return Err(anyhow::anyhow!(
            "the workbench needs a terminal; run it in one, or use a subcommand (apiward --help)"
        )
        .into());
    }
    let log_file = cli.log_file.clone().or_else(crate::paths::default_log_file);
    if let Some(path) = &log_file
        && let Err(err) = crate::logging::to_file(path)
        && std::io::stderr().is_terminal()
    {
        // Not fatal: say it once before the screen is taken over.
        eprintln!("apiward: {err}; running without a log");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(crate::tui::run::run(app, lab))?;
    Ok(ExitCode::SUCCESS)
}

/// Sets up the lessons and, unless --no-lab, plans the lab beside the workbench. The sample
/// workspace feeds the Request tab only when the user has no workspace of their own here.
/// The welcome screen opens until it has been closed once.
fn learning(cli: &Cli, app: &mut crate::tui::app::App) -> Option<crate::tui::lab::LabPlan> {
    let lab_dir = crate::paths::lab_dir()?;
    let sample = crate::paths::sample_workspace()?;
    let learn_ws = cli.workspace.clone().unwrap_or_else(|| sample.clone());
    let course = crate::learn::Course::new(&learn_ws, &lab_dir);
    // One small file, read before the first frame so the welcome can be in it.
    let seen = course.progress().is_ok_and(|p| p.tour_seen);
    let own_workspace = cli.workspace.is_some() || std::path::Path::new(".apiward").is_dir();
    app.set_learning(course, !cli.no_lab, !own_workspace);
    if !seen {
        app.show_welcome();
    }
    (!cli.no_lab).then_some(crate::tui::lab::LabPlan {
        dir: lab_dir,
        sample,
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_clap_definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn lazy_subcommands_build_their_arguments_and_keep_their_descriptions() {
        let mut cmd = super::Cli::command();
        cmd.build();
        let forge = cmd
            .find_subcommand("jwt")
            .and_then(|jwt| jwt.find_subcommand("forge"))
            .unwrap();
        assert!(forge.get_arguments().any(|a| a.get_id() == "attack"));
        // Not the doc comment of the flattened `ForgeFlags`, which the deferred builder sets.
        assert_eq!(
            forge.get_about().unwrap().to_string(),
            "Make attack variants of a token, for authorised testing"
        );
    }

    #[test]
    fn kids_may_start_with_a_hyphen() {
        // RFC 7638 thumbprints are base64url, so one in 64 starts with '-'.
        use clap::Parser;
        for args in [
            &["apiward", "keys", "promote", "-SyY1phiY"][..],
            &["apiward", "keys", "export", "-abc"],
            &[
                "apiward",
                "jwt",
                "sign",
                "--keyring",
                "--kid",
                "-abc",
                "--claims",
                "{}",
            ],
        ] {
            assert!(super::Cli::try_parse_from(args).is_ok(), "{args:?}");
        }
    }
}
