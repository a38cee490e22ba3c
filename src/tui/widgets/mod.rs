//! Widgets around the panes: the tab bar, the status bar and the help overlay.

pub mod help;
pub mod input;
pub mod json;
pub mod status_bar;
pub mod tab_bar;
