//! A header, query or form row as the editor draws it: on or off, credentials masked.

use ratatui::text::{Line, Span};

use crate::http::{Row, sensitive};
use crate::tui::theme::{Role, Theme};

/// A row, enabled or not; credential values are masked unless they are `{{references}}`.
pub fn row_line(row: &Row, header: bool, theme: &Theme) -> Line<'static> {
    let shown = if header && sensitive::is_credential_header(&row.name)
        || !header && sensitive::is_secret_param(&row.name)
    {
        mask_keep_scheme(&row.value)
    } else {
        row.value.clone()
    };
    let (mark, role) = if row.enabled {
        ("  ✓ ", Role::Text)
    } else {
        ("  ✗ ", Role::Muted)
    };
    Line::from(vec![
        Span::styled(
            mark,
            theme.style(if row.enabled {
                Role::Success
            } else {
                Role::Muted
            }),
        ),
        Span::styled(format!("{}: ", row.name), theme.style(Role::Accent)),
        Span::styled(shown, theme.style(role)),
    ])
}

/// `Bearer ••••`: the scheme stays readable, the credential does not.
fn mask_keep_scheme(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, rest)) if !sensitive::is_reference(value) => {
            format!("{scheme} {}", sensitive::mask_literal(rest))
        }
        _ => sensitive::mask_literal(value),
    }
}
