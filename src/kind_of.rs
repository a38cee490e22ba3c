//! Which kind an error is, read from its chain: the first core error in it that says
//! ([`crate::error_kind::Kind`]), looking through a task's [`TaskFailure`] too. One lookup for
//! both front ends: the CLI's exit code comes from it, and the TUI may ask it of a failed job.
//! It sits above every tool (it names their error types) and nothing in the core uses it.

use std::error::Error;

use crate::error_kind::{ExitKind, Kind};
use crate::tasks::{TaskError, TaskFailure};

/// The kind of the first error in the chain that has one; bad input when none does.
pub fn exit_kind(error: &anyhow::Error) -> ExitKind {
    error.chain().find_map(kind).unwrap_or(ExitKind::BadInput)
}

/// Every core error type, asked for its kind. A new core error type is added here once.
macro_rules! kinds {
    ($e:expr; $($ty:ty),* $(,)?) => {{
        $(if let Some(e) = $e.downcast_ref::<$ty>() {
            return Some(e.exit_kind());
        })*
    }};
}

fn kind(e: &(dyn Error + 'static)) -> Option<ExitKind> {
    if let Some(failure) = e.downcast_ref::<TaskFailure>() {
        return Some(exit_kind(failure.error()));
    }
    kinds!(e;
        TaskError<TaskFailure>,
        TaskError,
        crate::net::HttpError,
        crate::net::UrlError,
        crate::net::JwksFetchError,
        crate::spec::SpecError,
        crate::http::SendError,
        crate::http::PrepareError,
        crate::http::VarError,
        crate::http::curl::CurlError,
        crate::http::WorkspaceError,
        crate::http::jq::JqError,
        crate::http::dotfile::ParseError,
        crate::http::dotfile::chain::ChainError,
        crate::jwt::JwtError,
        crate::jwt::probe_run::ProbeError,
        crate::jwt::recover::RecoverError,
        crate::keys::KeysError,
        crate::keys::apikey::Rejection,
        crate::audit::targets::TargetsError,
        crate::audit::setup::SetupError,
        crate::authz::AuthzError,
        crate::authz::IdentityError,
        crate::lab::LabError,
        crate::learn::LearnError,
        crate::config::ConfigError,
        crate::import::source::ImportError,
    );
    // Errors of the libraries under the core, met where no core error wraps them.
    if e.is::<reqwest::Error>() {
        return Some(ExitKind::Failure);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_the_network_did_not_bring_is_a_failure() {
        let fetch = crate::spec::SpecError::Read {
            location: "http://127.0.0.1:9/openapi.json".into(),
            why: "connection refused".into(),
        };
        assert_eq!(exit_kind(&anyhow::Error::new(fetch)), ExitKind::Failure);
        let file = crate::spec::SpecError::NotASpec {
            location: "spec.json".into(),
        };
        assert_eq!(exit_kind(&anyhow::Error::new(file)), ExitKind::BadInput);
    }

    #[test]
    fn a_failed_jobs_kind_is_its_own_errors() {
        let timeout = crate::http::SendError::Timeout(std::time::Duration::from_secs(2));
        let failure = TaskFailure::from(anyhow::Error::new(timeout).context("sending"));
        assert_eq!(exit_kind(failure.error()), ExitKind::Failure);
        assert_eq!(
            exit_kind(&anyhow::Error::new(failure)),
            ExitKind::Failure,
            "through the failure as the CLI wraps it"
        );
        let bad = anyhow::Error::new(crate::net::UrlError::NoHost("http://".into()));
        assert_eq!(exit_kind(&bad), ExitKind::BadInput);
    }
}
