//! A certificate chain as lines: subject, issuer, key, signature and days left (in the
//! warning colour inside 30 days), for every tab that shows TLS details.

use ratatui::text::Line;

use crate::audit::CertInfo;
use crate::tui::theme::{Role, Theme};

/// Three lines per certificate, leaf first; a fourth with the SANs when `with_sans`.
pub fn chain_lines(chain: &[CertInfo], with_sans: bool, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, c) in chain.iter().enumerate() {
        let role = if c.days_left < 30 {
            Role::Warning
        } else {
            Role::Text
        };
        out.push(Line::styled(
            format!("{i} {}", c.subject),
            theme.style(Role::Accent),
        ));
        out.push(Line::styled(
            format!("  issuer {}", c.issuer),
            theme.style(Role::Muted),
        ));
        out.push(Line::styled(
            format!(
                "  {} {}-bit · {} · {} days left",
                c.key_type, c.key_bits, c.signature_algorithm, c.days_left
            ),
            theme.style(role),
        ));
        if with_sans && !c.sans.is_empty() {
            out.push(Line::styled(
                format!("  SAN {}", c.sans.join(", ")),
                theme.style(Role::Muted),
            ));
        }
    }
    out
}
