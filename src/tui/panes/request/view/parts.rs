//! The editor's auth and body lines: each kind on its line, then its parts, rows or text,
//! with credentials masked unless they are `{{references}}`.

use ratatui::text::{Line, Span};

use super::super::fields::Field;
use super::super::kinds::{self, AUTH_KINDS, BODY_KINDS};
use super::row::row_line;
use crate::http::{Auth, Body, PartValue, Row, sensitive};
use crate::tui::theme::{Role, Theme};

/// Text lines of a JSON or raw body shown under its kind; the editor shows all of them.
const TEXT_PREVIEW: usize = 6;

type Lines = Vec<(Option<Field>, Line<'static>)>;

fn kind_line(label: &str, kind: &str, key: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<8}"), theme.style(Role::Muted)),
        Span::styled(kind.to_string(), theme.style(Role::Text)),
        Span::styled(format!(" · {key} next kind"), theme.style(Role::Muted)),
    ])
}

fn muted(text: impl Into<String>, theme: &Theme) -> Line<'static> {
    Line::styled(text.into(), theme.style(Role::Muted))
}

/// The auth kind and its parts.
pub fn auth_lines(auth: &Auth, theme: &Theme) -> Lines {
    let kind = AUTH_KINDS[kinds::auth_kind(auth)];
    let mut out = vec![(Some(Field::Auth), kind_line("Auth", kind, "c", theme))];
    for part in kinds::auth_parts(auth) {
        let text = kinds::part_text(auth, *part);
        let value = if text.is_empty() {
            Span::styled("e edits", theme.style(Role::Muted))
        } else if kinds::is_secret(auth, *part) {
            Span::styled(sensitive::mask_literal(&text), theme.style(Role::Text))
        } else {
            Span::styled(text, theme.style(Role::Text))
        };
        let label = format!("  {:<10}", kinds::part_label(auth, *part));
        out.push((
            Some(Field::AuthPart(*part)),
            Line::from(vec![Span::styled(label, theme.style(Role::Muted)), value]),
        ));
    }
    out
}

/// The body kind and its text, rows or file.
pub fn body_lines(body: &Body, theme: &Theme) -> Lines {
    let kind = BODY_KINDS[kinds::body_kind(body)];
    let mut out = vec![(Some(Field::Body), kind_line("Body", kind, "B", theme))];
    let indent = || Span::raw(" ".repeat(8));
    match body {
        Body::None => {}
        Body::Json(text) | Body::Raw(text) => {
            let mut lines = text.lines();
            let first = match lines.next() {
                Some(line) => Span::styled(line.to_string(), theme.style(Role::Text)),
                None => Span::styled("empty · e edits the text", theme.style(Role::Muted)),
            };
            out.push((Some(Field::BodyText), Line::from(vec![indent(), first])));
            for line in lines.by_ref().take(TEXT_PREVIEW - 1) {
                out.push((
                    None,
                    Line::from(vec![
                        indent(),
                        Span::styled(line.to_string(), theme.style(Role::Text)),
                    ]),
                ));
            }
            let more = lines.count();
            if more > 0 {
                out.push((None, muted(format!("        … {more} more line(s)"), theme)));
            }
        }
        Body::Form(rows) => {
            if rows.is_empty() {
                out.push((None, muted("  a adds a field", theme)));
            }
            for (i, row) in rows.iter().enumerate() {
                out.push((Some(Field::BodyRow(i)), row_line(row, false, theme)));
            }
        }
        Body::Multipart(parts) => {
            if parts.is_empty() {
                out.push((
                    None,
                    muted("  a adds a part (a value @path sends a file)", theme),
                ));
            }
            for (i, part) in parts.iter().enumerate() {
                let value = match &part.value {
                    PartValue::Text(text) => text.clone(),
                    PartValue::File(path) => format!("@{}", path.display()),
                };
                let row = Row {
                    name: part.name.clone(),
                    value,
                    enabled: part.enabled,
                };
                out.push((Some(Field::BodyRow(i)), row_line(&row, false, theme)));
            }
        }
        Body::File(path) => {
            let value = if path.as_os_str().is_empty() {
                Span::styled("e enters the path", theme.style(Role::Muted))
            } else {
                Span::styled(path.display().to_string(), theme.style(Role::Text))
            };
            out.push((
                Some(Field::BodyFile),
                Line::from(vec![
                    Span::styled(format!("  {:<10}", "File"), theme.style(Role::Muted)),
                    value,
                ]),
            ));
        }
    }
    out
}
