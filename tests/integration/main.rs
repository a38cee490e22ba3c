//! apiward's integration tests, gathered in one test binary so they link once.

mod harness;

mod cli_basics;
mod harness_selftest;
mod themes;
mod tui_shell;
