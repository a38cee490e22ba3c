//! A header, query or form row as the one line of text the editor shows, and back.

use crate::http::Row;

/// A row as one line of text: `Name: value`.
pub fn row_text(row: &Row) -> String {
    if row.name.is_empty() && row.value.is_empty() {
        String::new()
    } else {
        format!("{}: {}", row.name, row.value)
    }
}

/// `Name: value` (or `name=value`, as query strings are written) back into a row. The first
/// separator wins, so `next=http://x` keeps its URL whole.
pub fn parse_row(text: &str, enabled: bool) -> Row {
    let split = text.find([':', '=']);
    let (name, value) = match split {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let mut row = Row::new(name.trim(), value.trim());
    row.enabled = enabled;
    row
}
