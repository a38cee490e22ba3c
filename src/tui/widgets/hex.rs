//! Hex dump rows laid out as xxd does: the offset, 16 bytes in pairs, and the same bytes as
//! ASCII with `.` for the rest. Each row is made when it is drawn, so a large body costs only
//! the rows on screen.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::highlight;
use crate::tui::theme::{Role, Theme};

/// Bytes per row.
pub const ROW: usize = 16;

/// Where the hex digits start in a row: after `00000000: `.
const HEX_AT: usize = 10;
/// The width of the hex digits: 16 bytes in 8 pairs with a space between pairs.
const HEX_WIDTH: usize = ROW * 2 + ROW / 2 - 1;
/// Where the ASCII starts, after two spaces.
const ASCII_AT: usize = HEX_AT + HEX_WIDTH + 2;

/// The number of rows `len` bytes take.
pub fn row_count(len: usize) -> usize {
    len.div_ceil(ROW)
}

/// Row `row` of `bytes` as text, e.g. `00000010: 7b22 6964  {"id`.
pub fn row_text(bytes: &[u8], row: usize) -> String {
    let (offset, hex, ascii) = parts(bytes, row);
    format!("{offset}{hex}  {ascii}")
}

/// Row `row` of `bytes`, coloured, with `marks` (byte ranges from the row's start, which may
/// run past its end) patched over both the hex and the ASCII of the bytes they cover.
pub fn row_line(
    bytes: &[u8],
    row: usize,
    marks: &[(Range<usize>, Style)],
    theme: &Theme,
) -> Line<'static> {
    let (offset, hex, ascii) = parts(bytes, row);
    let spans = vec![
        Span::styled(offset, theme.style(Role::Muted)),
        Span::styled(hex, theme.style(Role::Text)),
        Span::raw("  "),
        Span::styled(ascii, theme.style(Role::Accent)),
    ];
    let mut text_marks = Vec::with_capacity(marks.len() * 2);
    for (range, style) in marks {
        let (from, to) = (range.start.min(ROW), range.end.min(ROW));
        if from < to {
            text_marks.push((hex_column(from)..hex_column(to - 1) + 2, *style));
        }
    }
    for (range, style) in marks {
        let (from, to) = (range.start.min(ROW), range.end.min(ROW));
        if from < to {
            text_marks.push((ASCII_AT + from..ASCII_AT + to, *style));
        }
    }
    Line::from(highlight::overlay(spans, &text_marks))
}

/// Where byte `k` of a row has its hex digits.
fn hex_column(k: usize) -> usize {
    HEX_AT + k * 2 + k / 2
}

fn parts(bytes: &[u8], row: usize) -> (String, String, String) {
    let start = (row * ROW).min(bytes.len());
    let chunk = &bytes[start..(start + ROW).min(bytes.len())];
    let mut hex = String::with_capacity(HEX_WIDTH);
    for (k, b) in chunk.iter().enumerate() {
        if k > 0 && k % 2 == 0 {
            hex.push(' ');
        }
        hex.push_str(&format!("{b:02x}"));
    }
    // A short last row keeps the ASCII column where the others have it.
    let hex = format!("{hex:<HEX_WIDTH$}");
    let ascii = chunk
        .iter()
        .map(|b| {
            if (0x20..0x7f).contains(b) {
                *b as char
            } else {
                '.'
            }
        })
        .collect();
    (format!("{:08x}: ", row * ROW), hex, ascii)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    #[test]
    fn rows_look_like_xxd() {
        let bytes = b"{\"id\": 1,\"name\":\"x\"}\n\x00\xff";
        assert_eq!(row_count(bytes.len()), 2);
        assert_eq!(
            row_text(bytes, 0),
            "00000000: 7b22 6964 223a 2031 2c22 6e61 6d65 223a  {\"id\": 1,\"name\":"
        );
        assert_eq!(
            row_text(bytes, 1),
            format!("00000010: 2278 227d 0a00 ff{}  \"x\"}}...", " ".repeat(22))
        );
        assert_eq!(row_text(bytes, 0).len(), ASCII_AT + ROW);
    }

    #[test]
    fn marks_cover_hex_and_ascii() {
        let theme = Theme::builtin_default();
        let mark = Style::new().add_modifier(Modifier::REVERSED);
        let line = row_line(b"0123456789abcdefXYZ", 0, &[(14..20, mark)], &theme);
        let marked: Vec<_> = line
            .spans
            .iter()
            .filter(|s| s.style.add_modifier.contains(Modifier::REVERSED))
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, ["6566", "ef"]);
    }
}
