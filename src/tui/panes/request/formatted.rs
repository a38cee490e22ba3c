//! Turning a response body into display lines once, when it arrives: pretty JSON when it
//! parses, text lines otherwise, and where each raw line starts for the raw view. Render then
//! only slices the lines it shows, so a 20 MB body costs one pass here (on the CPU pool when
//! it is large) and nothing per frame.
//!
//! The lines are one string and a table of where each starts, not a string per line: a
//! 20 MB body has millions of lines, and an allocation apiece cost seconds and many times
//! the body's size in memory.

/// Bodies up to this size are formatted right away; bigger ones as a CPU task.
pub const INLINE_LIMIT: usize = 256 * 1024;

/// Text split into lines, stored as one string and the offset where each line starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lines {
    text: String,
    /// u32 halves the table; bodies are capped far below 4 GB.
    starts: Vec<u32>,
}

impl Lines {
    /// Splits `text` at newlines; a final newline does not start an empty line.
    pub fn from_text(text: String) -> Self {
        let body = text.strip_suffix('\n').unwrap_or(&text);
        let starts = if body.is_empty() {
            Vec::new()
        } else {
            std::iter::once(0)
                .chain(
                    body.bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'\n')
                        .map(|(i, _)| i as u32 + 1),
                )
                .collect()
        };
        Self { text, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Line `i` without its line ending; empty past the end.
    pub fn get(&self, i: usize) -> &str {
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&next| next as usize - 1);
        let line = &self.text[start as usize..end.max(start as usize)];
        let line = line.strip_suffix('\n').unwrap_or(line);
        line.strip_suffix('\r').unwrap_or(line)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// All the lines, as one text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl From<Vec<String>> for Lines {
    fn from(lines: Vec<String>) -> Self {
        Self::from_text(lines.join("\n"))
    }
}

impl std::ops::Index<usize> for Lines {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        self.get(i)
    }
}

/// A body ready to show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Formatted {
    pub lines: Lines,
    /// The lines are pretty-printed JSON, so they can be coloured line by line.
    pub json: bool,
    /// Why the body is not shown as text, when it is not.
    pub note: Option<String>,
    /// Where each line of the body as received starts, for the raw view.
    pub line_starts: Vec<usize>,
}

/// Formats `body`; `claims_json` is whether the Content-Type says JSON.
pub fn format(body: &[u8], claims_json: bool) -> Formatted {
    if body.is_empty() {
        return Formatted::default();
    }
    let line_starts = line_starts(body);
    let starts_like_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[');
    // Validating without building a Value is cheap; the reformatter then streams the bytes.
    if (claims_json || starts_like_json)
        && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok()
    {
        let mut pretty = Vec::with_capacity(body.len() * 2);
        let _ = crate::http::pretty::reformat(&mut pretty, body, false);
        return Formatted {
            lines: Lines::from_text(String::from_utf8_lossy(&pretty).into_owned()),
            json: true,
            note: None,
            line_starts,
        };
    }
    let head = &body[..body.len().min(8192)];
    if head.contains(&0) {
        return Formatted {
            lines: Lines::default(),
            json: false,
            note: Some(format!(
                "Binary body, {} bytes: not shown as text",
                body.len()
            )),
            line_starts,
        };
    }
    Formatted {
        lines: Lines::from_text(String::from_utf8_lossy(body).replace('\t', "    ")),
        json: false,
        note: None,
        line_starts,
    }
}

/// The offset of each line's first byte: 0, then one past every newline but a final one.
fn line_starts(body: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            body.iter()
                .enumerate()
                .filter(|(i, b)| **b == b'\n' && i + 1 < body.len())
                .map(|(i, _)| i + 1),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_pretty_printed_and_text_is_split() {
        let f = format(br#"{"a":[1,2]}"#, false);
        assert!(f.json);
        assert_eq!(f.lines.len(), 6);
        assert_eq!(f.lines.get(2), "    1,");
        let t = format(b"one\r\ntwo", true);
        assert!(!t.json);
        assert_eq!(t.lines.iter().collect::<Vec<_>>(), ["one", "two"]);
        assert!(format(b"\x00\x01", false).note.is_some());
        assert_eq!(format(b"", true), Formatted::default());
        assert_eq!(format(b"a\n\nb\n", false).line_starts, [0, 2, 3]);
        assert_eq!(format(b"\x00\n\x01", false).line_starts, [0, 2]);
    }

    #[test]
    fn lines_split_once_and_slice_without_endings() {
        let l = Lines::from_text("a\n\nb\n".into());
        assert_eq!(l.iter().collect::<Vec<_>>(), ["a", "", "b"]);
        assert_eq!(&l[2], "b");
        assert_eq!(l.get(9), "");
        assert!(Lines::from_text(String::new()).is_empty());
        assert_eq!(Lines::from(vec!["x".to_string(), "y".into()]).len(), 2);
    }
}
