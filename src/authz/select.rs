//! Which stored requests a run takes: by name, by `.http` file, by `# @tag`, or every one of
//! the workspace; each once, in workspace order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::http::workspace::{Stored, Workspace};
use crate::http::workspace_error::WorkspaceError;

/// What the user asked for; the union of all of it is run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub names: Vec<String>,
    pub files: Vec<PathBuf>,
    pub tags: Vec<String>,
    pub all: bool,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        !self.all && self.names.is_empty() && self.files.is_empty() && self.tags.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("cannot read {0}: {1}")]
    File(PathBuf, std::io::Error),
    #[error("{0} holds no request of the workspace")]
    NotInWorkspace(PathBuf),
    #[error("no request is tagged \"{0}\" ({1})")]
    NoTag(String, String),
}

/// The chosen requests, and the files of the workspace that could not be read (the others
/// still count).
pub fn choose(
    ws: &Workspace,
    selection: &Selection,
) -> Result<(Vec<Stored>, Vec<WorkspaceError>), SelectError> {
    let (all, problems) = ws.requests_and_problems()?;
    let mut keep = vec![selection.all; all.len()];
    for file in &selection.files {
        let wanted = canonical(&ws.dir, file)?;
        let mut found = false;
        for (i, s) in all.iter().enumerate() {
            if std::fs::canonicalize(&s.path).is_ok_and(|p| p == wanted) {
                keep[i] = true;
                found = true;
            }
        }
        if !found {
            return Err(SelectError::NotInWorkspace(file.clone()));
        }
    }
    for tag in &selection.tags {
        let mut found = false;
        for (i, s) in all.iter().enumerate() {
            if s.request.tags.iter().any(|t| t == tag) {
                keep[i] = true;
                found = true;
            }
        }
        if !found {
            return Err(SelectError::NoTag(tag.clone(), known_tags(&all)));
        }
    }
    for name in &selection.names {
        let stored = ws.request(name)?;
        if let Some(i) = all
            .iter()
            .position(|s| s.path == stored.path && s.index == stored.index)
        {
            keep[i] = true;
        }
    }
    let chosen = all
        .into_iter()
        .zip(keep)
        .filter_map(|(s, k)| k.then_some(s))
        .collect();
    Ok((chosen, problems))
}

/// `file` as given, or relative to the workspace.
fn canonical(dir: &Path, file: &Path) -> Result<PathBuf, SelectError> {
    std::fs::canonicalize(file)
        .or_else(|_| std::fs::canonicalize(dir.join(file)))
        .map_err(|e| SelectError::File(file.to_path_buf(), e))
}

/// The tags the workspace has, for the sentence that says a tag is not among them.
fn known_tags(all: &[Stored]) -> String {
    let tags: BTreeSet<&str> = all
        .iter()
        .flat_map(|s| s.request.tags.iter().map(String::as_str))
        .collect();
    match tags.is_empty() {
        true => "the workspace has no `# @tag` lines".into(),
        false => format!("tags: {}", tags.into_iter().collect::<Vec<_>>().join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("requests")).unwrap();
        std::fs::write(
            dir.path().join("requests/users.http"),
            "# @name me\n# @tag users\nGET http://127.0.0.1:1/api/me\n\n###\n\
             # @name user-1\n# @tag users, objects\nGET http://127.0.0.1:1/api/users/1\n\n###\n\
             # @name export\n# @tag admin\nGET http://127.0.0.1:1/api/admin/export\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("requests/status.http"),
            "# @name status\nGET http://127.0.0.1:1/api/status\n",
        )
        .unwrap();
        let ws = Workspace::open(dir.path());
        (dir, ws)
    }

    fn names(ws: &Workspace, s: Selection) -> Vec<String> {
        let (chosen, _) = choose(ws, &s).unwrap();
        chosen.into_iter().map(|s| s.request.name).collect()
    }

    #[test]
    fn a_tag_picks_its_requests_and_the_union_keeps_workspace_order_once() {
        let (_d, ws) = workspace();
        let tags = |t: &[&str]| Selection {
            tags: t.iter().map(|t| t.to_string()).collect(),
            ..Selection::default()
        };
        assert_eq!(names(&ws, tags(&["users"])), ["me", "user-1"]);
        assert_eq!(names(&ws, tags(&["objects"])), ["user-1"]);
        let mixed = Selection {
            names: vec!["status".into(), "user-1".into()],
            tags: vec!["admin".into(), "objects".into()],
            ..Selection::default()
        };
        let got = names(&ws, mixed);
        assert_eq!(got.len(), 3, "{got:?}");
        for n in ["user-1", "export", "status"] {
            assert!(got.contains(&n.to_string()), "{got:?}");
        }
    }

    #[test]
    fn an_unknown_tag_is_named_with_the_tags_there_are() {
        let (_d, ws) = workspace();
        let e = choose(
            &ws,
            &Selection {
                tags: vec!["nope".into()],
                ..Selection::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no request is tagged \"nope\" (tags: admin, objects, users)"
        );
    }
}
