//! Marking ranges of a line that is already styled (search matches over coloured JSON), and
//! cutting a window out of a line that may be far too long to draw.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::Span;

/// Splits `spans` at the edges of `marks` and patches each marked piece with the mark's
/// style. Marks are byte ranges into the spans' joined text, in order and not overlapping;
/// edges inside a character move back to its start, so no mark can split one.
pub fn overlay(spans: Vec<Span<'static>>, marks: &[(Range<usize>, Style)]) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return spans;
    }
    let mut out = Vec::with_capacity(spans.len() + marks.len() * 2);
    let mut offset = 0;
    for span in spans {
        let text = span.content.as_ref();
        let len = text.len();
        // Cut points inside this span, with the style of the piece that starts there.
        let mut cuts = vec![(0, span.style)];
        for (range, style) in marks {
            let (start, end) = (range.start.max(offset), range.end.min(offset + len));
            if start >= end {
                continue;
            }
            let start = floor_boundary(text, start - offset);
            let end = floor_boundary(text, end - offset);
            if start < end {
                cuts.push((start, span.style.patch(*style)));
                cuts.push((end, span.style));
            }
        }
        cuts.push((len, span.style));
        for pair in cuts.windows(2) {
            let ((from, style), (to, _)) = (pair[0], pair[1]);
            if from < to {
                out.push(Span::styled(text[from..to].to_string(), style));
            }
        }
        offset += len;
    }
    out
}

/// The byte range of `text` that holds at most `keep` characters from byte `from` on
/// (moved back to a character boundary).
pub fn window(text: &str, from: usize, keep: usize) -> Range<usize> {
    let start = floor_boundary(text, from.min(text.len()));
    let end = text[start..]
        .char_indices()
        .nth(keep)
        .map_or(text.len(), |(i, _)| start + i);
    start..end
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Modifier};

    #[test]
    fn marks_split_spans_and_keep_their_colours() {
        let red = Style::new().fg(Color::Red);
        let spans = vec![Span::styled("\"key\"", red), Span::raw(": 42")];
        let mark = Style::new().add_modifier(Modifier::REVERSED);
        let out = overlay(spans, &[(3..8, mark)]);
        let pieces: Vec<_> = out.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(pieces, ["\"ke", "y\"", ": 4", "2"]);
        assert_eq!(out[1].style, red.add_modifier(Modifier::REVERSED));
        assert_eq!(out[2].style, Style::new().add_modifier(Modifier::REVERSED));
        assert_eq!(out[3].style, Style::new());
    }

    #[test]
    fn edges_inside_a_character_do_not_split_it() {
        let out = overlay(vec![Span::raw("aé b")], &[(2..3, Style::new().bold())]);
        let pieces: Vec<_> = out.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(
            pieces,
            ["a", "é", " b"],
            "a mark from inside é takes all of it"
        );
        assert_eq!(window("aé b", 2, 2), 1..4);
        assert_eq!(window("abc", 1, 10), 1..3);
    }
}
