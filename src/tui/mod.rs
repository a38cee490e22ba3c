//! The interactive workbench: ratatui + crossterm. The only module that draws or reads keys.
//!
//! `launch` loads config, theme and keymap (reporting bad files before the screen changes),
//! then hands an [`app::App`] to the event loop in [`run`].

pub mod action;
pub mod app;
pub mod clipboard;
pub mod colour_depth;
pub mod import;
pub mod jobs;
pub mod keymap;
pub mod lab;
pub mod msg;
pub mod palette;
pub mod panes;
mod quiet_key;
pub mod run;
pub mod tabs;
pub mod terminal;
pub mod testing;
pub mod theme;
pub mod widgets;

use std::io::IsTerminal;

use crate::config::{Config, ConfigError};
use app::App;
use keymap::Keymap;
use theme::Theme;

/// Builds the app from the config and the `--theme` flag. NO_COLOR makes it monochrome.
pub fn build_app(config: &Config, theme_flag: Option<&str>) -> Result<App, ConfigError> {
    let name = theme_flag.or(config.theme.as_deref()).unwrap_or("default");
    let user_dir = crate::paths::user_themes_dir();
    let mut theme = Theme::load(name, user_dir.as_deref())?;
    if crate::config::no_color() {
        theme = theme.monochrome();
    } else {
        theme = theme.for_depth(colour_depth::from_env());
    }
    let keymap = Keymap::from_config(config)?;
    Ok(App::new(theme, keymap))
}

/// Whether both ends of the terminal are there, which the TUI needs.
pub fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}
