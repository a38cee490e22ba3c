//! Deleting one stored request from its `.http` file: only that request's block goes (from
//! its `###` line to the next), everything else in the file stays byte for byte, and a file
//! left with no request and nothing else in it is removed.

use std::path::Path;

use super::dotfile::{self, HttpFile};
use super::workspace::{Stored, Workspace, WorkspaceError, read_unchanged, write_atomic};

impl Workspace {
    /// Deletes the stored request `at`. A file that no longer parses, or no longer holds that
    /// request there as it was read, is reported and left alone.
    pub fn delete_at(&self, at: &Stored) -> Result<(), WorkspaceError> {
        let path = at.path.as_path();
        let _lock = crate::fs::lock(path).map_err(|e| WorkspaceError::io(path, e))?;
        let (text, before, blocks) = read_unchanged(at, "delete")?;
        let kept = without_block(at, &text, &before, &blocks)?;
        write_or_remove(path, &kept)
    }
}

/// The text of `at`'s file without its block, checked to read back as the same file less
/// that request: a block that also holds `@var` lines, or whose removal would change how
/// another request reads, is refused. `text`, `before` and `blocks` come from
/// [`read_unchanged`], under the caller's lock.
pub(super) fn without_block(
    at: &Stored,
    text: &str,
    before: &HttpFile,
    blocks: &[dotfile::Block],
) -> Result<String, WorkspaceError> {
    let not_removed = |message: String| WorkspaceError::NotSaved {
        path: at.path.clone(),
        message,
    };
    let block = &blocks[at.index];
    let first = block.separator.unwrap_or(block.lines.start);
    let kept: String = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| *i < first || *i >= block.lines.end)
        .map(|(_, line)| line)
        .collect();
    let after = dotfile::parse(&kept).map_err(|e| {
        not_removed(format!(
            "the rest would not read back (line {}: {})",
            e.line, e.message
        ))
    })?;
    let mut others = before.requests.clone();
    others.remove(at.index);
    if after.requests != others || after.vars != before.vars {
        return Err(not_removed(
            "taking it out would change the file's other requests or its @var lines".into(),
        ));
    }
    Ok(kept)
}

/// Writes `kept` over `path` (through a symlink, to the file it points at), or removes the
/// file when nothing is left in it.
pub(super) fn write_or_remove(path: &Path, kept: &str) -> Result<(), WorkspaceError> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if kept.trim().is_empty() {
        std::fs::remove_file(&target).map_err(|e| WorkspaceError::io(path, e))
    } else {
        write_atomic(&target, kept.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(ws: &Workspace, name: &str) -> Stored {
        ws.requests()
            .unwrap()
            .into_iter()
            .find(|s| s.request.name == name)
            .unwrap()
    }

    #[test]
    fn only_that_request_goes_and_the_rest_stays_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("api.http");
        let text = "@base = http://127.0.0.1:9\n\n# a note\n# @name one\nGET {{base}}/one\n\n\
                    ###\n# @name two\nPOST {{base}}/two\nContent-Type: application/json\n\n{\"a\": 1}\n\n\
                    ###\n# @name three\nGET {{base}}/three\n";
        std::fs::write(&path, text).unwrap();
        ws.delete_at(&stored(&ws, "two")).unwrap();
        let left = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            left,
            "@base = http://127.0.0.1:9\n\n# a note\n# @name one\nGET {{base}}/one\n\n\
             ###\n# @name three\nGET {{base}}/three\n"
        );
        // The last one in a file of its own takes the file with it.
        let single = dir.path().join("requests").join("solo.http");
        std::fs::create_dir_all(single.parent().unwrap()).unwrap();
        std::fs::write(&single, "# @name solo\nGET http://127.0.0.1:9/\n").unwrap();
        ws.delete_at(&stored(&ws, "solo")).unwrap();
        assert!(!single.exists());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("api.http");
        std::fs::write(&path, "# @name one\nGET http://127.0.0.1:9/one\n").unwrap();
        let one = stored(&ws, "one");
        let changed = "# @name other\nGET http://127.0.0.1:9/other\n";
        std::fs::write(&path, changed).unwrap();
        let err = ws.delete_at(&one).unwrap_err().to_string();
        assert!(err.contains("changed since"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), changed);
    }
}
