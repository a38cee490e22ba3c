//! Turning a response body into display lines once, when it arrives: pretty JSON when it
//! parses, text lines otherwise. Render then only slices the lines it shows, so a 20 MB
//! body costs one pass here (on the CPU pool when it is large) and nothing per frame.

/// Bodies up to this size are formatted right away; bigger ones as a CPU task.
pub const INLINE_LIMIT: usize = 256 * 1024;

/// A body ready to show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Formatted {
    pub lines: Vec<String>,
    /// The lines are pretty-printed JSON, so they can be coloured line by line.
    pub json: bool,
    /// Why the body is not shown as text, when it is not.
    pub note: Option<String>,
}

/// Formats `body`; `claims_json` is whether the Content-Type says JSON.
pub fn format(body: &[u8], claims_json: bool) -> Formatted {
    if body.is_empty() {
        return Formatted::default();
    }
    let starts_like_json = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[');
    if (claims_json || starts_like_json)
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(body)
        && let Ok(pretty) = serde_json::to_string_pretty(&value)
    {
        return Formatted {
            lines: pretty.lines().map(String::from).collect(),
            json: true,
            note: None,
        };
    }
    let head = &body[..body.len().min(8192)];
    if head.contains(&0) {
        return Formatted {
            lines: Vec::new(),
            json: false,
            note: Some(format!(
                "Binary body, {} bytes: not shown as text",
                body.len()
            )),
        };
    }
    Formatted {
        lines: String::from_utf8_lossy(body)
            .lines()
            .map(|l| l.replace('\t', "    "))
            .collect(),
        json: false,
        note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_pretty_printed_and_text_is_split() {
        let f = format(br#"{"a":[1,2]}"#, false);
        assert!(f.json);
        assert_eq!(f.lines.len(), 6);
        let t = format(b"one\ntwo", true);
        assert!(!t.json);
        assert_eq!(t.lines, ["one", "two"]);
        assert!(format(b"\x00\x01", false).note.is_some());
        assert_eq!(format(b"", true), Formatted::default());
    }
}
