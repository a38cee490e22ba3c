//! Two answers side by side: the owner's body and another identity's, each re-indented when
//! it is JSON, lined up by a line diff (the `similar` crate) so the lines that differ sit
//! across from each other. Built once when a cell is opened; drawing only reads it.

use std::time::Duration;

use similar::{DiffTag, TextDiff};

/// Lines kept of each body: enough to read an object, bounded for a 1 MiB answer.
const MAX_LINES: usize = 4000;

/// How long the diff may look for the smallest edit before settling for a larger one.
const DIFF_TIME: Duration = Duration::from_millis(200);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    /// Only the owner's answer has this line.
    Removed,
    /// Only the other answer has this line.
    Added,
    /// The line differs between the two.
    Changed,
}

/// One row of the view: the owner's line on the left, the other's on the right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub left: Option<String>,
    pub right: Option<String>,
    pub change: Change,
}

/// A body as it reads: JSON re-indented, anything else as text, cut at [`MAX_LINES`].
pub fn readable(body: &[u8]) -> Vec<String> {
    let mut pretty = Vec::new();
    let text = match serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
        && crate::http::pretty::reformat(&mut pretty, body, false).is_ok()
    {
        true => String::from_utf8_lossy(&pretty).into_owned(),
        false => String::from_utf8_lossy(body).into_owned(),
    };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.len() > MAX_LINES {
        let more = lines.len() - MAX_LINES;
        lines.truncate(MAX_LINES);
        lines.push(format!("… {more} more lines"));
    }
    lines
}

/// The two bodies lined up.
pub fn side_by_side(owner: &[u8], other: &[u8]) -> Vec<DiffLine> {
    let (left, right) = (readable(owner), readable(other));
    let left: Vec<&str> = left.iter().map(String::as_str).collect();
    let right: Vec<&str> = right.iter().map(String::as_str).collect();
    let diff = TextDiff::configure()
        .timeout(DIFF_TIME)
        .diff_slices(&left, &right);
    let mut out = Vec::new();
    for op in diff.ops() {
        let (tag, old, new) = op.as_tag_tuple();
        let change = match tag {
            DiffTag::Equal => Change::Same,
            DiffTag::Delete => Change::Removed,
            DiffTag::Insert => Change::Added,
            DiffTag::Replace => Change::Changed,
        };
        for i in 0..old.len().max(new.len()) {
            let l = (i < old.len()).then(|| left[old.start + i].to_string());
            let r = (i < new.len()).then(|| right[new.start + i].to_string());
            // A replacement longer on one side than the other is removed or added there.
            let change = match (&l, &r, change) {
                (Some(_), None, Change::Changed) => Change::Removed,
                (None, Some(_), Change::Changed) => Change::Added,
                _ => change,
            };
            out.push(DiffLine {
                left: l,
                right: r,
                change,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_reindented_and_the_differing_lines_face_each_other() {
        let owner = br#"{"id":1,"name":"alice","email":"alice@lab.test"}"#;
        let other = br#"{"id":2,"name":"bob","email":"alice@lab.test","extra":true}"#;
        let lines = side_by_side(owner, other);
        let changed: Vec<(&str, &str)> = lines
            .iter()
            .filter(|l| l.change == Change::Changed)
            .map(|l| {
                (
                    l.left.as_deref().unwrap().trim(),
                    l.right.as_deref().unwrap().trim(),
                )
            })
            .collect();
        assert!(
            changed.contains(&(r#""id": 1,"#, r#""id": 2,"#)),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.change == Change::Same && l.left.as_deref() == Some("{"))
        );
        assert!(
            lines.iter().any(|l| l.change == Change::Added
                && l.left.is_none()
                && l.right.as_deref().is_some_and(|r| r.contains("extra"))),
            "{lines:#?}"
        );
        // The same answer twice has no change at all.
        assert!(
            side_by_side(owner, owner)
                .iter()
                .all(|l| l.change == Change::Same && l.left == l.right)
        );
    }

    #[test]
    fn text_stays_text_and_a_long_body_is_cut() {
        assert_eq!(readable(b"not json\nsecond"), ["not json", "second"]);
        let long = "x\n".repeat(MAX_LINES + 10);
        let lines = readable(long.as_bytes());
        assert_eq!(lines.len(), MAX_LINES + 1);
        assert_eq!(lines.last().unwrap(), "… 10 more lines");
        assert!(side_by_side(b"", b"").is_empty());
    }
}
