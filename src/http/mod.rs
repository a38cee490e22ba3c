//! HTTP: the shared client every tool sends with. The request builder's model, send,
//! timing, variables and import/export land here with their issue.

pub mod client;

pub use client::{ClientOptions, HttpError, build_client};
