//! Finding text in a response body: in the lines the pretty view shows (or a jq filter's
//! result), in the raw lines, or in the bytes behind the hex rows. Pure and `Send`, so a small
//! body is searched as the query is typed and a large one by a task.

use std::sync::Arc;

use bytes::Bytes;

use super::formatted::Formatted;
use crate::tui::widgets::hex;

/// At most this many matches are kept; the counter shows a `+` past it.
pub const MAX_MATCHES: usize = 100_000;

/// What a search looks through, in the coordinates of one body view.
#[derive(Debug, Clone)]
pub enum Haystack {
    /// Display lines: the pretty body or a filter's result.
    Lines(Arc<Formatted>),
    /// The body's own lines, split where its `line_starts` say.
    Raw(Bytes, Arc<Formatted>),
    /// The body's bytes, in rows of [`hex::ROW`].
    Hex(Bytes),
}

impl Haystack {
    /// About how many bytes a search reads, to choose between now and a task.
    pub fn size(&self) -> usize {
        match self {
            Haystack::Lines(f) => f.lines.len() * 32,
            Haystack::Raw(bytes, _) | Haystack::Hex(bytes) => bytes.len(),
        }
    }
}

/// One match: its line (a hex row), and its bytes from that line's start. In the hex view
/// `end` may run past the row into the next ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// The matches, in order, and whether there were more than were kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub matches: Vec<Match>,
    pub capped: bool,
}

/// Finds `query` in `haystack`. Smart case, as in vim and less: a query with no capital
/// letter ignores (ASCII) case. Matches do not overlap.
pub fn find(haystack: &Haystack, query: &str) -> Found {
    let needle = Needle::new(query);
    let mut found = Found::default();
    if query.is_empty() {
        return found;
    }
    let mut in_line = |line: usize, text: &[u8]| {
        needle.each(text, &mut found, |start, end| Match { line, start, end })
    };
    match haystack {
        Haystack::Lines(formatted) => {
            for (i, line) in formatted.lines.iter().enumerate() {
                if !in_line(i, line.as_bytes()) {
                    break;
                }
            }
        }
        Haystack::Raw(bytes, formatted) => {
            for i in 0..formatted.line_starts.len() {
                if !in_line(i, raw_line(bytes, &formatted.line_starts, i)) {
                    break;
                }
            }
        }
        Haystack::Hex(bytes) => {
            needle.each(bytes, &mut found, |start, end| Match {
                line: start / hex::ROW,
                start: start % hex::ROW,
                end: start % hex::ROW + (end - start),
            });
        }
    }
    found
}

/// Raw line `i` of `body`: from its start to the next newline, without a `\r` before it.
pub fn raw_line<'a>(body: &'a [u8], starts: &[usize], i: usize) -> &'a [u8] {
    let start = starts.get(i).copied().unwrap_or(body.len()).min(body.len());
    let end = starts
        .get(i + 1)
        .map_or(body.len(), |next| next.saturating_sub(1))
        .max(start);
    let line = &body[start..end];
    line.strip_suffix(b"\r").unwrap_or(line)
}

struct Needle {
    bytes: Vec<u8>,
    fold: bool,
}

impl Needle {
    fn new(query: &str) -> Self {
        let fold = !query.chars().any(char::is_uppercase);
        let bytes = if fold {
            query.to_ascii_lowercase().into_bytes()
        } else {
            query.as_bytes().to_vec()
        };
        Self { bytes, fold }
    }

    /// Adds each match in `hay` to `found`; false once the cap is reached.
    fn each(&self, hay: &[u8], found: &mut Found, make: impl Fn(usize, usize) -> Match) -> bool {
        let n = self.bytes.len();
        let first = self.bytes[0];
        let mut i = 0;
        while i + n <= hay.len() {
            // Skip to the next byte that can start a match: cheap, and most bytes cannot.
            let Some(step) = hay[i..=hay.len() - n]
                .iter()
                .position(|b| *b == first || self.fold && b.to_ascii_lowercase() == first)
            else {
                break;
            };
            i += step;
            let candidate = &hay[i..i + n];
            let hit = if self.fold {
                candidate.eq_ignore_ascii_case(&self.bytes)
            } else {
                candidate == self.bytes.as_slice()
            };
            if hit {
                if found.matches.len() == MAX_MATCHES {
                    found.capped = true;
                    return false;
                }
                found.matches.push(make(i, i + n));
                i += n;
            } else {
                i += 1;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::panes::request::formatted;

    fn lines(text: &str) -> Haystack {
        Haystack::Lines(Arc::new(formatted::format(text.as_bytes(), false)))
    }

    #[test]
    fn smart_case_in_lines() {
        let hay = lines("Token token\nnone\nTOKEN");
        let found = find(&hay, "token");
        assert_eq!(
            found.matches,
            [
                Match {
                    line: 0,
                    start: 0,
                    end: 5
                },
                Match {
                    line: 0,
                    start: 6,
                    end: 11
                },
                Match {
                    line: 2,
                    start: 0,
                    end: 5
                },
            ]
        );
        assert_eq!(find(&hay, "Token").matches.len(), 1);
        assert!(find(&hay, "").matches.is_empty());
        assert!(find(&hay, "absent").matches.is_empty());
    }

    #[test]
    fn matches_do_not_overlap_and_are_capped() {
        let hay = lines("aaaa");
        assert_eq!(find(&hay, "aa").matches.len(), 2);
        let many = "x".repeat(MAX_MATCHES + 5);
        let found = find(&lines(&many), "x");
        assert_eq!(found.matches.len(), MAX_MATCHES);
        assert!(found.capped);
    }

    #[test]
    fn raw_lines_and_hex_rows() {
        let bytes = Bytes::from_static(b"one\r\ntwo\n\x00\x01two-and-two");
        let formatted = Arc::new(formatted::format(&bytes, false));
        assert_eq!(raw_line(&bytes, &formatted.line_starts, 0), b"one");
        let raw = find(&Haystack::Raw(bytes.clone(), formatted), "two");
        assert_eq!(
            raw.matches,
            [
                Match {
                    line: 1,
                    start: 0,
                    end: 3
                },
                Match {
                    line: 2,
                    start: 2,
                    end: 5
                },
                Match {
                    line: 2,
                    start: 10,
                    end: 13
                },
            ]
        );
        let hex = find(&Haystack::Hex(bytes), "two-and");
        assert_eq!(
            hex.matches,
            [Match {
                line: 0,
                start: 11,
                end: 18
            }]
        );
    }
}
