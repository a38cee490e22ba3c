//! The save job's work: the request written into the workspace, its literal credentials
//! moved to the private env file, and the workspace read again.

use std::path::{Path, PathBuf};

use super::load::Loaded;
use crate::http::workspace::SHARED_ENV;
use crate::http::{Redactor, Request, Stored, Workspace, WorkspaceError, redact};

/// What the save job wrote, and the workspace read again after it.
#[derive(Debug, Clone)]
pub struct Saved {
    pub name: String,
    /// The request as written: literal credentials replaced by `{{variables}}`.
    pub request: Request,
    /// Where each moved credential was, and the variable it became.
    pub moved: Vec<(String, String)>,
    pub path: PathBuf,
    pub index: usize,
    pub loaded: Result<Loaded, String>,
}

/// The save job's work: into the stored request at `at` (a file and the request's position
/// in it), else into `requests/NAME.http`. A missing workspace is created first, so it gets
/// the `.gitignore` that keeps secrets and history out of git. The reload is done here
/// rather than as a job of its own, whose end would take the status line from the save's
/// message.
pub fn save(dir: &Path, request: &Request, at: Option<&Stored>) -> Result<Saved, WorkspaceError> {
    // A typed token or password goes to the private env file (0600, git-ignored) as a
    // variable, never into the request file, as `import curl --save` does.
    let mut request = request.clone();
    let name = request.name.clone();
    let taken = redact::extract_secrets(&mut request, &name, &Redactor::default());
    // `create` also makes sure the `.gitignore` names the private env file before it gets
    // its first secret.
    let ws = if dir.is_dir() && taken.is_empty() {
        Workspace::open(dir)
    } else {
        Workspace::create(dir)?
    };
    if !taken.is_empty() {
        let values: Vec<(&str, &str)> = taken
            .iter()
            .map(|t| (t.name.as_str(), t.value.as_str()))
            .collect();
        ws.set_env_values(SHARED_ENV, &values, true)?;
    }
    let request = &request;
    let (path, index) = match at {
        Some(at) => (ws.save_at(at, request)?, at.index),
        None => {
            let path = ws.save(request)?;
            // `save` puts the request last in its file.
            let index = Workspace::load_file(&path)?
                .requests
                .len()
                .saturating_sub(1);
            (path, index)
        }
    };
    Ok(Saved {
        name: request.name.clone(),
        request: request.clone(),
        moved: taken.into_iter().map(|t| (t.place, t.name)).collect(),
        path,
        index,
        loaded: super::load::load(Some(dir.to_path_buf())),
    })
}
