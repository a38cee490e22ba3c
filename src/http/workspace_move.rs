//! Moving one stored request to another `.http` file of the workspace: its block (comments,
//! directives, scripts and response handlers with it) goes to the end of the target, which
//! is made when it does not exist, and leaves its old file as a delete leaves it. Both files
//! are locked, checked to still hold what was read, and written atomically.

use std::path::{Path, PathBuf};

use super::dotfile;
use super::workspace::{REQUESTS_DIR, Stored, Workspace, WorkspaceError, read_unchanged};
use super::workspace_delete::{without_block, write_or_remove};

/// Where a request went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub path: PathBuf,
    /// Its position among the requests of `path`.
    pub index: usize,
    /// Whether `path` was made for it.
    pub created: bool,
    /// The `@var`s of its old file that it uses and the new one does not set: it will not
    /// resolve them there.
    pub unset_vars: Vec<String>,
}

impl Workspace {
    /// The file a move to `name` writes: `NAME` or `NAME.http` (`.rest` too) in the
    /// workspace folder when it is there, else in `requests/` (where it is made when it is
    /// nowhere); `requests/NAME` names that folder's file only.
    pub fn move_target(&self, name: &str) -> Result<PathBuf, WorkspaceError> {
        let name = name.trim();
        let bad = || WorkspaceError::BadFileName(name.to_string());
        let (folders, file) = match name.strip_prefix(&format!("{REQUESTS_DIR}/")) {
            Some(rest) => (vec![self.dir.join(REQUESTS_DIR)], rest),
            None => (vec![self.dir.clone(), self.dir.join(REQUESTS_DIR)], name),
        };
        let stem = file
            .strip_suffix(".http")
            .or_else(|| file.strip_suffix(".rest"))
            .unwrap_or(file);
        if !Self::valid_name(stem) {
            return Err(bad());
        }
        let file = match file.len() == stem.len() {
            true => format!("{stem}.http"),
            false => file.to_string(),
        };
        let candidates: Vec<PathBuf> = folders.iter().map(|d| d.join(&file)).collect();
        let found = candidates.iter().find(|p| p.is_file());
        Ok(found.unwrap_or(&candidates[candidates.len() - 1]).clone())
    }

    /// Moves the stored request `at` to the end of the file `target` names (see
    /// [`Self::move_target`]). Refused, with both files left as they were, when either
    /// changed since it was read, the target does not parse or already holds a request of
    /// that name, or taking the block out would change the rest of its old file.
    pub fn move_to(&self, at: &Stored, target: &str) -> Result<Moved, WorkspaceError> {
        let to = self.move_target(target)?;
        let from = at.path.as_path();
        let not_moved = |path: &Path, message: String| WorkspaceError::NotSaved {
            path: path.to_path_buf(),
            message,
        };
        // Without a `# @name` a request is named after its file, so it would not be the same
        // request in another one.
        if at.request.name.is_empty() {
            return Err(not_moved(
                from,
                "the request has no # @name line, so it is known by its file's name: \
                 rename it first"
                    .into(),
            ));
        }
        if same_file(from, &to) {
            return Err(not_moved(
                from,
                "the request is in that file already".into(),
            ));
        }
        // Both locks, always in the same order, so two moves between the same two files
        // wait for each other instead of each holding one.
        let (first, second) = if from < to.as_path() {
            (from, to.as_path())
        } else {
            (to.as_path(), from)
        };
        let _first = crate::fs::lock(first).map_err(|e| WorkspaceError::io(first, e))?;
        let _second = crate::fs::lock(second).map_err(|e| WorkspaceError::io(second, e))?;

        let (text, before, blocks) = read_unchanged(at, "move")?;
        let kept = without_block(at, &text, &before, &blocks)?;

        let old = match std::fs::read_to_string(&to) {
            Ok(old) => Some(old),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(WorkspaceError::io(&to, e)),
        };
        let old_text = old.as_deref().unwrap_or("");
        let there = dotfile::parse(old_text)
            .map_err(|e| WorkspaceError::corrupt(&to, Some(e.line), e.message))?;
        let name = &at.request.name;
        if !name.is_empty() && there.requests.iter().any(|r| r.name == *name) {
            return Err(not_moved(
                &to,
                format!("it holds a request named {name} already: rename one first"),
            ));
        }

        let new = appended(old_text, &text, &blocks[at.index]);
        let after = dotfile::parse(&new).map_err(|e| {
            not_moved(
                &to,
                format!(
                    "the request would not read back there (line {}: {})",
                    e.line, e.message
                ),
            )
        })?;
        let mut expected = there.requests.clone();
        expected.push(at.request.clone());
        if after.requests != expected || after.vars != there.vars {
            return Err(not_moved(
                &to,
                "adding the request would change how its other requests read".into(),
            ));
        }

        let target = std::fs::canonicalize(&to).unwrap_or_else(|_| to.clone());
        super::workspace::write_atomic(&target, new.as_bytes())?;
        // The copy is in place; should the old file not take its removal, the target is put
        // back, so the request is never in both files nor in neither.
        if let Err(e) = write_or_remove(from, &kept) {
            let _ = match &old {
                Some(old) => super::workspace::write_atomic(&target, old.as_bytes()),
                None => std::fs::remove_file(&target).map_err(|e| WorkspaceError::io(&to, e)),
            };
            return Err(e);
        }
        let written = dotfile::to_http(&at.request);
        let unset_vars = (before.vars.iter())
            .map(|(name, _)| name)
            .filter(|name| !there.vars.iter().any(|(n, _)| n == *name))
            .filter(|name| written.contains(&format!("{{{{{name}}}}}")))
            .cloned()
            .collect();
        Ok(Moved {
            path: to,
            index: expected.len() - 1,
            created: old.is_none(),
            unset_vars,
        })
    }
}

/// `old` (the target's text) with the block from `text` after it, behind its own `###` line
/// (or a bare one) when `old` holds anything.
fn appended(old: &str, text: &str, block: &dotfile::Block) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = |i: usize| lines[i].trim_end_matches(['\n', '\r']);
    let body: Vec<&str> = (block.lines.clone()).map(line).collect();
    // Blank lines at the block's ends belong to the file it leaves.
    let start = body.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let end = body
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |e| e + 1);
    let separator = block.separator.map_or("###", line);
    let mut new = old.to_string();
    if !old.trim().is_empty() {
        if !new.ends_with('\n') {
            new.push('\n');
        }
        new.push('\n');
    }
    // A `###` line opens the block behind others, and goes with it anyway when it carries a
    // title, which is the request's too.
    if !old.trim().is_empty() || separator.trim_start_matches('#').trim() != "" {
        new.push_str(separator);
        new.push('\n');
    }
    for l in &body[start..end.max(start)] {
        new.push_str(l);
        new.push('\n');
    }
    new
}

/// Whether two paths name one file (the same path, or links to it).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(ws: &Workspace, name: &str) -> Stored {
        // A broken file of a test is beside the point here: the others still load.
        ws.requests_and_problems()
            .unwrap()
            .0
            .into_iter()
            .find(|s| s.request.name == name)
            .unwrap()
    }

    const API: &str = "@base = http://127.0.0.1:9\n\n# @name one\nGET {{base}}/one\n\n\
                       ### Two, with a title\n# a note on two\n# @name two\n\
                       POST {{base}}/two\nContent-Type: application/json\n\n{\"a\": 1}\n\n\
                       > {% client.global.set(\"t\", response.body.t); %}\n\n\
                       ###\n# @name three\nGET {{base}}/three\n";

    #[test]
    fn the_block_moves_whole_to_a_new_file_and_the_rest_stays() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let api = dir.path().join("api.http");
        std::fs::write(&api, API).unwrap();
        let two = stored(&ws, "two");
        let moved = ws.move_to(&two, "posts").unwrap();
        let posts = dir.path().join("requests/posts.http");
        assert_eq!(
            moved,
            Moved {
                path: posts.clone(),
                index: 0,
                created: true,
                unset_vars: vec!["base".into()],
            }
        );
        assert_eq!(
            std::fs::read_to_string(&posts).unwrap(),
            "### Two, with a title\n# a note on two\n# @name two\nPOST {{base}}/two\n\
             Content-Type: application/json\n\n{\"a\": 1}\n\n\
             > {% client.global.set(\"t\", response.body.t); %}\n"
        );
        assert_eq!(
            std::fs::read_to_string(&api).unwrap(),
            "@base = http://127.0.0.1:9\n\n# @name one\nGET {{base}}/one\n\n\
             ###\n# @name three\nGET {{base}}/three\n"
        );
        // It reads back the same, from its new place.
        let again = stored(&ws, "two");
        assert_eq!(again.request, two.request);
        assert_eq!((again.path, again.index), (posts, 0));
    }

    #[test]
    fn into_an_existing_file_it_goes_last_behind_its_own_separator() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        std::fs::write(dir.path().join("api.http"), API).unwrap();
        let other = dir.path().join("other.http");
        let text = "@base = http://127.0.0.1:8\n\n# @name zero\nGET {{base}}/zero";
        std::fs::write(&other, text).unwrap();
        let moved = ws.move_to(&stored(&ws, "two"), "other.http").unwrap();
        assert_eq!((moved.index, moved.created), (1, false));
        assert!(moved.unset_vars.is_empty(), "other.http sets base too");
        let written = std::fs::read_to_string(&other).unwrap();
        assert!(
            written.starts_with(&format!(
                "{text}\n\n### Two, with a title\n# a note on two\n"
            )),
            "{written}"
        );
        // The last one out takes its file with it; `requests/NAME` names that folder.
        let moved = ws.move_to(&stored(&ws, "two"), "requests/solo").unwrap();
        assert!(
            std::fs::read_to_string(&other)
                .unwrap()
                .contains("# @name zero")
        );
        assert_eq!(moved.path, dir.path().join("requests/solo.http"));
        let solo = stored(&ws, "two");
        ws.move_to(&solo, "third").unwrap();
        assert!(!dir.path().join("requests/solo.http").exists());
        assert_eq!(
            stored(&ws, "two").path,
            dir.path().join("requests/third.http")
        );
    }

    #[test]
    fn refusals_leave_both_files_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let api = dir.path().join("api.http");
        std::fs::write(&api, API).unwrap();
        let clash = dir.path().join("clash.http");
        let clash_text = "# @name two\nGET http://127.0.0.1:9/other-two\n";
        std::fs::write(&clash, clash_text).unwrap();
        let two = stored(&ws, "two");
        let err = |target: &str, at: &Stored| ws.move_to(at, target).unwrap_err().to_string();

        assert!(err("clash", &two).contains("a request named two already"));
        std::fs::write(
            dir.path().join("nameless.http"),
            "GET http://127.0.0.1:9/\n",
        )
        .unwrap();
        let nameless = ws.request("nameless").unwrap();
        assert!(err("elsewhere", &nameless).contains("rename it first"));
        assert!(err("api", &two).contains("in that file already"));
        let bad = err("../out", &two);
        assert!(bad.contains("cannot be a file name"), "{bad}");
        std::fs::write(dir.path().join("broken.http"), "@ broken\n").unwrap();
        assert!(err("broken", &two).contains("broken.http:"));

        // Changed on disk since it was read: nothing is written anywhere.
        let changed = API.replace("/two", "/2");
        std::fs::write(&api, &changed).unwrap();
        assert!(err("fresh", &two).contains("changed since"));
        assert!(!dir.path().join("requests/fresh.http").exists());
        assert_eq!(std::fs::read_to_string(&api).unwrap(), changed);
        assert_eq!(std::fs::read_to_string(&clash).unwrap(), clash_text);

        // A block that holds an @var line cannot leave without taking it from the others.
        let vars = dir.path().join("vars.http");
        std::fs::write(
            &vars,
            "# @name a\nGET http://127.0.0.1:9/a\n\n###\n@v = 1\n# @name b\nGET http://127.0.0.1:9/{{v}}\n",
        )
        .unwrap();
        assert!(err("elsewhere", &stored(&ws, "b")).contains("@var lines"));
        assert!(!dir.path().join("requests/elsewhere.http").exists());
    }
}
