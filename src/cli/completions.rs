//! `apiward completions SHELL`: shell completion scripts, from the clap definitions.

use std::io::Write;

use clap_complete::Shell;

use super::Cli;

pub fn run(shell: Shell, out: &mut impl Write) {
    clap_complete::generate(shell, &mut super::lazy::eager::<Cli>(), "apiward", out);
}
