//! JSON as coloured lines: keys, strings, numbers and literals each in their own role.

use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::tui::theme::{Role, Theme};

/// Pretty-prints `value` and colours each line.
pub fn lines(value: &Value, theme: &Theme) -> Vec<Line<'static>> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.lines().map(|l| colour_line(l, theme)).collect()
}

/// Colours one line of pretty-printed JSON. It only needs to tell keys from values, which a
/// pretty printer's layout makes easy: a key is the first string on a line, before `": "`.
pub fn colour_line(line: &str, theme: &Theme) -> Line<'static> {
    let indent_len = line.len() - line.trim_start().len();
    let (indent, rest) = line.split_at(indent_len);
    let mut spans = vec![Span::raw(indent.to_string())];
    let value = if let Some(key_end) = key_end(rest) {
        spans.push(Span::styled(
            rest[..key_end].to_string(),
            theme.style(Role::Accent),
        ));
        spans.push(Span::styled(": ".to_string(), theme.style(Role::Muted)));
        &rest[key_end + 2..]
    } else {
        rest
    };
    let (body, comma) = match value.strip_suffix(',') {
        Some(body) => (body, ","),
        None => (value, ""),
    };
    let role = match body.chars().next() {
        Some('"') => Role::Success,
        Some('-' | '0'..='9') => Role::Warning,
        Some('t' | 'f' | 'n') => Role::Medium,
        _ => Role::Muted,
    };
    spans.push(Span::styled(body.to_string(), theme.style(role)));
    if !comma.is_empty() {
        spans.push(Span::styled(comma.to_string(), theme.style(Role::Muted)));
    }
    Line::from(spans)
}

/// The end of a leading `"key"` followed by `": "`, if the line starts with one.
fn key_end(rest: &str) -> Option<usize> {
    if !rest.starts_with('"') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                return rest[i + 1..].starts_with(": ").then_some(i + 1);
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_told_apart() {
        let theme = Theme::builtin_default();
        let value = serde_json::json!({"a\"b": "x: y", "n": 1, "t": true, "o": {}});
        let lines = lines(&value, &theme);
        let first = &lines[1];
        assert_eq!(first.spans[1].content, "\"a\\\"b\"");
        assert_eq!(first.spans[1].style, theme.style(Role::Accent));
        assert_eq!(first.spans[3].content, "\"x: y\"");
        assert_eq!(lines[2].spans[3].style, theme.style(Role::Warning));
    }
}
