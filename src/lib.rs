//! apiward: a terminal workbench for API security.
//!
//! One binary holds an interactive TUI with four tools (request builder, JWT inspector,
//! header and TLS audit, key-rotation helper), a practice lab, and headless subcommands that
//! run the same code from scripts and CI.
//!
//! The rooms are kept apart: only [`tui`] uses ratatui and crossterm, only [`cli`] and [`tui`]
//! print or draw, and long or network work goes through the shared [`tasks`] runner.

pub mod audit;
pub mod authz;
pub mod cli;
pub mod config;
pub mod error_kind;
pub mod findings;
pub mod fs;
pub mod http;
pub mod import;
pub mod jwt;
pub mod keys;
pub mod kind_of;
pub mod lab;
pub mod learn;
pub mod logging;
pub mod net;
pub mod paths;
pub mod spec;
pub mod tasks;
pub mod tui;
