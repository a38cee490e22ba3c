//! Drawing the response body: the pretty lines (or a jq filter's result), the raw lines or the
//! hex rows, with search matches marked over them and a bar saying what is on. Only the window
//! on screen is made into spans, and of a long line only what fits, whatever the body's size.

use std::borrow::Cow;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::body_state::Mode;
use super::super::response::Shown;
use super::super::search::{self, Match};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{hex, highlight, json};

pub fn render(shown: &Shown, frame: &mut Frame, area: Rect, theme: &Theme) {
    let area = match bar(shown, theme) {
        Some(line) => {
            let [bar, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
            frame.render_widget(Paragraph::new(line), bar);
            rest
        }
        None => area,
    };
    shown.body_view.height.set(area.height as usize);
    match shown.body_view.mode {
        Mode::Pretty => pretty(shown, frame, area, theme),
        Mode::Raw => raw(shown, frame, area, theme),
        Mode::Hex => hex_rows(shown, frame, area, theme),
    }
}

/// One line over the body saying what is on: the mode, the filter, the search and its
/// counter. None when all is plain, so the plain view keeps every line for the body.
fn bar(shown: &Shown, theme: &Theme) -> Option<Line<'static>> {
    let view = &shown.body_view;
    if view.mode == Mode::Pretty && view.search.is_none() && view.filter.is_none() {
        return None;
    }
    let muted = theme.style(Role::Muted);
    let mut spans = vec![Span::styled(
        format!(" {} ", view.mode.label()),
        theme.style(Role::Accent).add_modifier(Modifier::REVERSED),
    )];
    if let Some(filter) = &view.filter {
        spans.push(Span::styled(" jq ", muted));
        spans.push(Span::styled(filter.text.clone(), theme.style(Role::Accent)));
        let (text, role) = match &filter.result {
            None => ("running…".to_string(), Role::Accent),
            Some(Err(_)) => ("error".to_string(), Role::Error),
            Some(Ok(r)) => {
                let cut = if r.cut { ", cut short" } else { "" };
                let plural = if r.values == 1 { "" } else { "s" };
                (format!("{} value{plural}{cut}", r.values), Role::Success)
            }
        };
        spans.push(Span::styled(" · ", muted));
        spans.push(Span::styled(text, theme.style(role)));
        if let Some(Ok(r)) = &filter.result
            && let Some(error) = &r.error
        {
            spans.push(Span::styled(" · ", muted));
            spans.push(Span::styled(error.clone(), theme.style(Role::Error)));
        }
        if view.mode != Mode::Pretty {
            spans.push(Span::styled(" (in the pretty view)", muted));
        }
    }
    if let Some(s) = &view.search {
        spans.push(Span::styled("  /", muted));
        spans.push(Span::styled(s.query.clone(), theme.style(Role::Accent)));
        spans.push(Span::raw(" "));
        spans.push(match &s.found {
            None => Span::styled("searching…", theme.style(Role::Accent)),
            Some(f) if f.matches.is_empty() => Span::styled("no match", theme.style(Role::Warning)),
            Some(f) => Span::styled(
                format!(
                    "{}/{}{}",
                    s.current + 1,
                    f.matches.len(),
                    if f.capped { "+" } else { "" }
                ),
                theme.style(Role::Success),
            ),
        });
        spans.push(Span::styled(" · n N · esc clears", muted));
    }
    Some(Line::from(spans))
}

fn message(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>) {
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

fn pretty(shown: &Shown, frame: &mut Frame, area: Rect, theme: &Theme) {
    if let Some(filter) = &shown.body_view.filter {
        match &filter.result {
            None => message(
                frame,
                area,
                vec![Line::styled(
                    "Running the jq filter…",
                    theme.style(Role::Accent),
                )],
            ),
            Some(Err(e)) => message(
                frame,
                area,
                vec![
                    Line::styled(format!("jq: {e}"), theme.style(Role::Error)),
                    Line::styled(
                        "f edits the filter · esc clears it",
                        theme.style(Role::Muted),
                    ),
                ],
            ),
            Some(Ok(r)) if r.body.lines.is_empty() => {
                let line = match &r.error {
                    Some(e) => Line::styled(format!("jq: {e}"), theme.style(Role::Error)),
                    None => Line::styled("The filter yielded nothing.", theme.style(Role::Muted)),
                };
                message(frame, area, vec![line])
            }
            Some(Ok(r)) => {
                let lines = &r.body.lines;
                text_lines(shown, frame, area, theme, lines.len(), true, |i, from| {
                    borrowed(&lines[i], from)
                })
            }
        }
        return;
    }
    let Some(body) = &shown.body else {
        return formatting(frame, area, theme);
    };
    if let Some(note) = &body.note {
        return message(
            frame,
            area,
            vec![
                Line::styled(note.clone(), theme.style(Role::Muted)),
                Line::styled("b shows it raw or as hex.", theme.style(Role::Muted)),
            ],
        );
    }
    if body.lines.is_empty() {
        return empty_body(frame, area, theme);
    }
    text_lines(
        shown,
        frame,
        area,
        theme,
        body.lines.len(),
        body.json,
        |i, from| borrowed(&body.lines[i], from),
    );
}

/// What shows while a large body is still being formatted by its job.
fn formatting(frame: &mut Frame, area: Rect, theme: &Theme) {
    message(
        frame,
        area,
        vec![Line::styled(
            "Formatting the body…",
            theme.style(Role::Accent),
        )],
    )
}

/// `line` from byte `from` on (moved back to a character boundary), and where that is.
fn borrowed(line: &str, from: usize) -> (usize, Cow<'_, str>) {
    let at = highlight::window(line, from, 0).start;
    (at, Cow::Borrowed(&line[at..]))
}

fn raw(shown: &Shown, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(body) = &shown.body else {
        return formatting(frame, area, theme);
    };
    let bytes = &shown.exchange.response.body;
    if bytes.is_empty() {
        return empty_body(frame, area, theme);
    }
    let starts = &body.line_starts;
    // No more of a line than can show is decoded: a minified body is one enormous line.
    let limit = area.width as usize * area.height.max(1) as usize * 4 + 4;
    text_lines(shown, frame, area, theme, starts.len(), false, |i, from| {
        let line = search::raw_line(bytes, starts, i);
        let from = from.min(line.len());
        let end = line.len().min(from + limit);
        (from, Cow::Owned(raw_text(&line[from..end])))
    });
}

/// Raw bytes as text with one byte of output per byte of input outside valid UTF-8, so
/// match offsets into the bytes stay right: a tab is a space, other control bytes and
/// invalid ones are `.`.
fn raw_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\t' => out.push(' '),
                c if c.is_control() => (0..c.len_utf8()).for_each(|_| out.push('.')),
                c => out.push(c),
            }
        }
        (0..chunk.invalid().len()).for_each(|_| out.push('.'));
    }
    out
}

/// Draws `count` numbered lines from the scroll position on. `line_at(i, from)` gives line
/// `i` from about byte `from` on, and where it really starts; from is past 0 only on the
/// line of the current match, when the match lies beyond what fits, so that it shows.
fn text_lines<'a>(
    shown: &Shown,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    count: usize,
    json: bool,
    line_at: impl Fn(usize, usize) -> (usize, Cow<'a, str>),
) {
    let height = area.height as usize;
    let first = shown.scroll.min(count.saturating_sub(1));
    let gutter = count.to_string().len();
    let text_width = (area.width as usize).saturating_sub(gutter + 3).max(1);
    // A wrapped line can fill the whole view; an unwrapped one only its width.
    let keep = if shown.wrap {
        text_width * height
    } else {
        text_width
    };
    let marks = Marks::new(shown, theme);
    let lines: Vec<Line> = (first..count.min(first + height))
        .map(|i| {
            let on_line = marks.on_line(i);
            let from = on_line
                .iter()
                .find(|(_, current)| *current)
                .filter(|(m, _)| m.end > keep)
                .map_or(0, |(m, _)| m.start.saturating_sub(text_width / 3));
            let (base, text) = line_at(i, from);
            let keep = if base > 0 { keep - 1 } else { keep };
            let shown_text = &text[highlight::window(&text, 0, keep)];
            let spans = if json && base == 0 {
                json::colour_line(shown_text, theme).spans
            } else {
                vec![Span::styled(
                    shown_text.to_string(),
                    theme.style(Role::Text),
                )]
            };
            let ranges: Vec<(Range<usize>, Style)> = on_line
                .iter()
                .filter(|(m, _)| m.end > base)
                .map(|(m, current)| {
                    let range = m.start.saturating_sub(base)..m.end - base;
                    (range, marks.style(*current))
                })
                .collect();
            let mut out = vec![Span::styled(
                format!("{:>gutter$} │ ", i + 1),
                theme.style(Role::Muted),
            )];
            if base > 0 {
                out.push(Span::styled("…", theme.style(Role::Muted)));
            }
            out.extend(highlight::overlay(spans, &ranges));
            Line::from(out)
        })
        .collect();
    let paragraph = Paragraph::new(lines);
    let paragraph = if shown.wrap {
        paragraph.wrap(Wrap { trim: false })
    } else {
        paragraph
    };
    frame.render_widget(paragraph, area);
}

fn hex_rows(shown: &Shown, frame: &mut Frame, area: Rect, theme: &Theme) {
    let bytes = &shown.exchange.response.body;
    if bytes.is_empty() {
        return empty_body(frame, area, theme);
    }
    let rows = hex::row_count(bytes.len());
    let first = shown.scroll.min(rows - 1);
    let marks = Marks::new(shown, theme);
    let lines: Vec<Line> = (first..rows.min(first + area.height as usize))
        .map(|row| {
            let ranges: Vec<(Range<usize>, Style)> = marks
                .spilling_into(row)
                .map(|(m, current)| {
                    // From the row's start; a match from an earlier row starts before it.
                    let start = (m.line * hex::ROW + m.start).saturating_sub(row * hex::ROW);
                    let end = (m.line * hex::ROW + m.end).saturating_sub(row * hex::ROW);
                    (start..end, marks.style(current))
                })
                .collect();
            hex::row_line(bytes, row, &ranges, theme)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The search's matches, looked up by line for drawing.
struct Marks<'a> {
    matches: &'a [Match],
    current: Option<usize>,
    /// The most rows a hex match spans, to find ones that start above a row.
    span_rows: usize,
    other: Style,
    selected: Style,
}

impl<'a> Marks<'a> {
    fn new(shown: &'a Shown, theme: &Theme) -> Self {
        let search = shown.body_view.search.as_ref();
        let matches = search
            .and_then(|s| s.found.as_ref())
            .map_or(&[][..], |f| f.matches.as_slice());
        Self {
            matches,
            current: search.map(|s| s.current),
            span_rows: search.map_or(0, |s| s.query.len().div_ceil(hex::ROW)),
            // Reversing keeps each match's own colour readable; the current one stands out.
            other: Style::new().add_modifier(Modifier::REVERSED),
            selected: theme
                .style(Role::Warning)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    fn style(&self, current: bool) -> Style {
        if current { self.selected } else { self.other }
    }

    /// The matches on `line`, each with whether it is the current one.
    fn on_line(&self, line: usize) -> Vec<(Match, bool)> {
        let lo = self.matches.partition_point(|m| m.line < line);
        let hi = self.matches.partition_point(|m| m.line <= line);
        (lo..hi)
            .map(|i| (self.matches[i], Some(i) == self.current))
            .collect()
    }

    /// The matches that cover part of hex row `row`, including ones from rows above.
    fn spilling_into(&self, row: usize) -> impl Iterator<Item = (Match, bool)> + '_ {
        let lo = self
            .matches
            .partition_point(|m| m.line + self.span_rows < row);
        let hi = self.matches.partition_point(|m| m.line <= row);
        (lo..hi)
            .map(move |i| (self.matches[i], Some(i) == self.current))
            .filter(move |(m, _)| m.line * hex::ROW + m.end > row * hex::ROW)
    }
}

fn empty_body(frame: &mut Frame, area: Rect, theme: &Theme) {
    let line = Line::styled("(empty body)", theme.style(Role::Muted));
    message(frame, area, vec![line]);
}

#[cfg(test)]
mod tests {
    use super::raw_text;

    #[test]
    fn raw_text_keeps_one_byte_per_byte() {
        let bytes = b"a\tb\x00\xffc\xc3\xa9";
        let text = raw_text(bytes);
        assert_eq!(text, "a b..cé");
        assert_eq!(text.len(), bytes.len());
    }
}
