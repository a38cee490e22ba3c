//! `apiward spec check FILE --env NAME`: placeholder until the live check lands.

use std::path::Path;

use clap::Args;

use crate::cli::CliResult;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The description: a file, or an http(s) URL.
    pub source: String,
}

pub fn run(_args: CheckArgs, _workspace: Option<&Path>) -> CliResult {
    Err(anyhow::anyhow!("spec check is not written yet").into())
}
