//! The CLI's error: one sentence for stderr and the exit code that goes with it.
//!
//! Exit codes follow DESIGN.md: 0 success, 1 the work failed (the network, a server, a check's
//! verdict), 2 bad usage or bad input. The code comes from the error itself: every core error
//! type says its kind ([`crate::error_kind::Kind`]), and [`exit_kind`] finds the first one in
//! an error's chain, through a task's failure too. So `?` on any core error does the right
//! thing, and an error with no kind (a bare sentence of the CLI's own) is bad input.
//!
//! Core errors say what happened; the advice that names a flag (`--force`) is added here, by
//! the command that knows its flags, with [`CliError::hint`].

use std::error::Error;
use std::fmt;
use std::process::ExitCode;

use crate::error_kind::ExitKind;
use crate::kind_of::exit_kind;
use crate::tasks::TaskFailure;

pub struct CliError {
    pub code: u8,
    pub error: anyhow::Error,
    /// Said after the error: what the user can do about it with this command's flags.
    hint: Option<String>,
}

impl CliError {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }

    /// Adds advice after the error's sentence, such as ", or use --force".
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same error and exit code in other words, for an error whose own text must not be
    /// shown (it may hold a secret).
    pub fn reworded(self, text: String) -> Self {
        Self {
            error: anyhow::anyhow!(text),
            ..self
        }
    }
}

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(error: E) -> Self {
        let error = error.into();
        let code = match exit_kind(&error) {
            ExitKind::Failure => 1,
            ExitKind::BadInput => 2,
        };
        let hint = error.chain().find_map(advice);
        Self { code, error, hint }
    }
}

/// What to do about a core error, in the commands and flags of the CLI.
fn advice(e: &(dyn Error + 'static)) -> Option<String> {
    use crate::authz::AuthzError;
    use crate::http::VarError;
    use crate::keys::KeysError;
    use crate::lab::LabError;
    if let Some(failure) = e.downcast_ref::<TaskFailure>() {
        return failure.error().chain().find_map(advice);
    }
    match e.downcast_ref() {
        Some(KeysError::Unsafe(_)) => return Some(" (use --force to do it anyway)".into()),
        Some(KeysError::NoKeyring(_)) => {
            return Some("; create one with `apiward keys init`".into());
        }
        Some(KeysError::NoActiveKey) => {
            return Some("; promote one with `apiward keys promote KID`".into());
        }
        _ => {}
    }
    match e.downcast_ref() {
        Some(LabError::NotLoopback(_)) => {
            return Some(" (pass --i-understand-this-is-vulnerable to override)".into());
        }
        Some(LabError::PortRange(_)) => return Some("; pick a lower --port".into()),
        _ => {}
    }
    // The importer is transparent over the description's error.
    let spec = match e.downcast_ref() {
        Some(crate::import::source::ImportError::Spec(spec)) => Some(spec),
        _ => e.downcast_ref::<crate::spec::SpecError>(),
    };
    match spec {
        Some(crate::spec::SpecError::RemoteHost { .. }) => {
            return Some(": pass --allow-remote to fetch it".into());
        }
        Some(crate::spec::SpecError::RemoteRef { .. }) => {
            return Some(": pass --allow-remote-refs to follow it".into());
        }
        _ => {}
    }
    match e.downcast_ref() {
        Some(crate::spec::check::CheckError::Host { host }) => {
            return Some(format!(
                ": name it with --allow-host {host} if you are allowed to test it"
            ));
        }
        Some(crate::spec::check::CheckError::TooMany { .. }) => {
            return Some(": raise --max, or check fewer operations".into());
        }
        _ => {}
    }
    if let Some(AuthzError::Host { host, .. }) = e.downcast_ref() {
        return Some(format!(
            ": name it with --allow-host {host} if you are allowed to test it"
        ));
    }
    if let Some(AuthzError::TooMany { .. }) = e.downcast_ref() {
        return Some(" with --max-requests".into());
    }
    // A prepare error is transparent over its variable error, so it is looked into here.
    let var = match e.downcast_ref() {
        Some(crate::http::PrepareError::Var(var)) => Some(var),
        _ => e.downcast_ref::<VarError>(),
    };
    if let Some(VarError::Prompt { name, .. }) = var {
        return Some(format!(": give it with --var {name}=VALUE"));
    }
    None
}

impl fmt::Display for CliError {
    /// The error and its causes on one line: "cannot read x.toml: No such file or directory".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:#}", self.error);
        f.write_str(text.trim_end())?;
        if let Some(hint) = &self.hint {
            f.write_str(hint)?;
        }
        Ok(())
    }
}

pub type CliResult<T = ExitCode> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_comes_from_the_first_kind_in_the_chain() {
        let refused = crate::http::SendError::Timeout(std::time::Duration::from_secs(1));
        assert_eq!(CliError::from(refused).code, 1);
        let bad = crate::jwt::JwtError::Empty;
        assert_eq!(
            CliError::from(anyhow::Error::new(bad).context("reading")).code,
            2
        );
        // A sentence of the CLI's own is bad input.
        assert_eq!(CliError::from(anyhow::anyhow!("no such file")).code, 2);
    }

    #[test]
    fn a_task_failure_is_classed_by_the_tasks_own_error() {
        let inner = anyhow::Error::new(crate::net::JwksFetchError::Failed {
            url: "http://127.0.0.1:1/".into(),
            why: "the request could not connect".into(),
        });
        let failure = TaskFailure::from(inner);
        let err = CliError::from(failure);
        assert_eq!(err.code, 1);
        assert_eq!(
            err.to_string(),
            "cannot fetch the JWKS from http://127.0.0.1:1/: the request could not connect"
        );
        let bad = TaskFailure::from(anyhow::Error::new(crate::jwt::JwtError::Empty));
        assert_eq!(CliError::from(bad).code, 2);
    }

    #[test]
    fn a_hint_follows_the_sentence() {
        let err = CliError::from(anyhow::anyhow!("it is not safe")).hint(" (use --force)");
        assert_eq!(err.to_string(), "it is not safe (use --force)");
    }
}
