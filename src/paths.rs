//! Where apiward keeps things: the config directory, the data directory and the workspace.

use std::path::{Path, PathBuf};

/// `$XDG_CONFIG_HOME/apiward` (or the platform's equivalent).
pub fn config_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("apiward"))
}

/// `$XDG_DATA_HOME/apiward` (or the platform's equivalent): logs and other state.
pub fn data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("apiward"))
}

/// The default config file: `config.toml` in the config directory.
pub fn config_file() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

/// User themes, searched before the built-in ones.
pub fn user_themes_dir() -> Option<PathBuf> {
    config_dir().map(|d| d.join("themes"))
}

/// The default log file of the TUI.
pub fn default_log_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join("apiward.log"))
}

/// The workspace: the given folder, else `./.apiward` when present, else the config directory.
pub fn workspace(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    let local = Path::new(".apiward");
    if local.is_dir() {
        return Some(local.to_path_buf());
    }
    config_dir().map(|d| d.join("workspace"))
}

/// The practice lab's folder: its access log, exploit record, keys and addresses.
pub fn lab_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("lab"))
}

/// The sample workspace of the first run, apart from the user's own; lesson progress is kept
/// there unless a workspace is named.
pub fn sample_workspace() -> Option<PathBuf> {
    data_dir().map(|d| d.join("sample"))
}

/// The 1-based line of a byte offset in `source`, for error messages.
pub fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_newlines_before_the_offset() {
        let src = "a = 1\nb = 2\nc = 3\n";
        assert_eq!(line_of(src, 0), 1);
        assert_eq!(line_of(src, 6), 2);
        assert_eq!(line_of(src, 13), 3);
        assert_eq!(line_of(src, 999), 4);
    }

    #[test]
    fn explicit_workspace_wins() {
        assert_eq!(
            workspace(Some(Path::new("/tmp/ws"))),
            Some(PathBuf::from("/tmp/ws"))
        );
    }
}
