//! Logging: to a file, never to the terminal the TUI draws on.
//!
//! The level comes from `APIWARD_LOG` (error, warn, info, debug, trace; default info). Log
//! lines never carry secrets: callers log what happened, not the token or key involved.

use std::path::Path;

use tracing::level_filters::LevelFilter;

/// Sends tracing output to `path`, appending. Fails softly: no log is better than no TUI.
pub fn to_file(path: &Path) -> Result<(), String> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Private: a log names the hosts and files a user worked with, even with no secret in it.
    let file = crate::fs::open_append(path, crate::fs::Perm::Private)
        .map_err(|e| format!("cannot open the log file {}: {e}", path.display()))?;
    let _ = tracing_subscriber::fmt()
        .with_max_level(level())
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
    Ok(())
}

/// For the CLI: warnings and worse to stderr, unless `APIWARD_LOG` asks for more.
pub fn to_stderr() {
    let level = std::env::var("APIWARD_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(LevelFilter::WARN);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
}

fn level() -> LevelFilter {
    std::env::var("APIWARD_LOG")
        .ok()
        .and_then(|l| l.parse().ok())
        .unwrap_or(LevelFilter::INFO)
}
