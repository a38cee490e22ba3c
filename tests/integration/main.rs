//! apiward's integration tests, gathered in one test binary so they link once.

mod harness;

mod audit;
mod audit_support;
mod cli_basics;
mod harness_selftest;
mod jwt_cli;
mod themes;
mod tui_shell;
