//! From a workspace and a choice of requests to a [`Plan`]: the chosen requests, the
//! identities kept in the workspace's private env file, and the environment. The CLI and the
//! TUI's Matrix tab both start a run here, so they run the same requests as the same people.

use super::identities::{self, IdentityError};
use super::matrix::{AuthzError, Plan};
use super::select::{self, SelectError, Selection};
use crate::http::workspace::Workspace;
use crate::http::workspace_error::WorkspaceError;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("no workspace at {0}")]
    NoWorkspace(std::path::PathBuf),
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error(transparent)]
    Run(#[from] AuthzError),
}

/// Refuses a workspace folder that is not there, before anything is read from it.
pub fn exists(ws: &Workspace) -> Result<(), SetupError> {
    match ws.dir.is_dir() {
        true => Ok(()),
        false => Err(SetupError::NoWorkspace(ws.dir.clone())),
    }
}

/// The plan for `selection` in `ws`: its requests, the identities named in `identities` (in
/// that order; all of them, in their own order, when none is named), and `env` or else the
/// workspace's only environment. The rest of the plan is the default, for the caller to set.
/// Files of the workspace that could not be read come back beside it: the others still count.
pub fn plan(
    ws: &Workspace,
    selection: &Selection,
    identities: &[String],
    env: Option<String>,
) -> Result<(Plan, Vec<WorkspaceError>), SetupError> {
    exists(ws)?;
    let (requests, problems) = select::choose(ws, selection)?;
    let identities = identities::choose(identities::load(ws)?, identities)?;
    if identities.is_empty() {
        return Err(AuthzError::NoIdentities.into());
    }
    let env = match env {
        Some(e) => Some(e),
        None => match ws.environments()?.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        },
    };
    let plan = Plan {
        requests,
        identities,
        env,
        ..Plan::default()
    };
    Ok((plan, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_takes_the_chosen_requests_the_identities_and_the_only_environment() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.http"),
            "# @name one\nGET {{base}}/1\n\n###\n# @name two\nGET {{base}}/2\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("http-client.env.json"),
            r#"{"lab": {"base": "http://127.0.0.1:9"}}"#,
        )
        .unwrap();
        let ws = Workspace::open(dir.path());
        let all = Selection {
            all: true,
            ..Selection::default()
        };
        // No identities yet: the run's own sentence.
        let err = plan(&ws, &all, &[], None).unwrap_err();
        assert_eq!(err.to_string(), AuthzError::NoIdentities.to_string());
        for (name, order) in [("bob", 2), ("alice", 1)] {
            let identity = crate::authz::Identity {
                order,
                ..crate::authz::Identity::anonymous(name)
            };
            identities::save(&ws, &identity).unwrap();
        }
        let (p, problems) = plan(&ws, &all, &[], None).unwrap();
        assert!(problems.is_empty());
        let names: Vec<&str> = p.identities.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["alice", "bob"]);
        assert_eq!(p.requests.len(), 2);
        assert_eq!(p.env.as_deref(), Some("lab"));
        assert!(!p.unsafe_methods && p.allow_hosts.is_empty());
        let (p, _) = plan(&ws, &all, &["bob".into()], Some("other".into())).unwrap();
        assert_eq!(p.identities[0].name, "bob");
        assert_eq!(p.env.as_deref(), Some("other"));
        let gone = Workspace::open(dir.path().join("nowhere"));
        assert!(matches!(
            plan(&gone, &all, &[], None),
            Err(SetupError::NoWorkspace(_))
        ));
    }
}
