//! The matrix as rows of text, for the CLI's table, and as a Markdown report to paste into a
//! ticket or a pull request.

use super::matrix::Matrix;
use super::row::{Cell, Row};

/// The header and one line per request: name, method, path, owner, a cell per identity
/// (`200 74B 100%`, the owner's `own`) and the ids of the row's findings.
pub fn table(m: &Matrix) -> Vec<Vec<String>> {
    let mut out = vec![
        ["request", "method", "path", "owner"]
            .iter()
            .map(|s| s.to_string())
            .chain((m.identities.iter()).map(|i| format!("{} ({})", i.name, i.role.as_str())))
            .chain(["flags".to_string()])
            .collect(),
    ];
    for r in &m.rows {
        let mut line = vec![
            r.name.clone(),
            r.method.clone(),
            path(&r.url),
            r.owner.clone(),
        ];
        line.extend(r.cells.iter().map(|c| cell(r, c)));
        let flags: Vec<&str> = m.findings_of(r).iter().map(|f| f.id.as_str()).collect();
        line.push(flags.join(" "));
        out.push(line);
    }
    out
}

/// A cell as the table shows it.
pub fn cell(row: &Row, c: &Cell) -> String {
    match (&c.status, &c.error) {
        (Some(s), _) if c.identity == row.owner => format!("{s} {} own", size(c.size)),
        (Some(s), _) => format!(
            "{s} {} {}",
            size(c.size),
            c.similarity
                .map_or("-".into(), |x| format!("{:.0}%", x * 100.0))
        ),
        (None, Some(_)) => "error".into(),
        (None, None) => "-".into(),
    }
}

/// The path and query of a URL.
pub fn path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/')
        .map_or("/".to_string(), |i| rest[i..].to_string())
}

fn size(bytes: Option<u64>) -> String {
    match bytes {
        Some(b) if b >= 10 * 1024 => format!("{}K", b / 1024),
        Some(b) => format!("{b}B"),
        None => "-".into(),
    }
}

/// The whole run in Markdown: the matrix as a table, then each finding with its evidence,
/// why and fix, then what was not run.
pub fn markdown(m: &Matrix) -> String {
    let escape = |t: &str| t.replace('|', "\\|");
    let mut out = format!(
        "# Authorization matrix\n\n{} requests × {} identities, {} requests sent.\n\n",
        m.rows.len(),
        m.identities.len(),
        m.sent
    );
    for (n, line) in table(m).iter().enumerate() {
        let cells: Vec<String> = line.iter().map(|c| escape(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if n == 0 {
            out.push_str(&format!("|{}\n", "---|".repeat(line.len())));
        }
    }
    out.push_str("\n## Findings\n\n");
    if m.findings.is_empty() {
        out.push_str("None.\n");
    }
    for f in &m.findings {
        out.push_str(&format!(
            "- **{}** `{}` {}\n  - evidence: {}\n  - why: {}\n  - fix: {}\n",
            f.severity, f.id, f.title, f.evidence, f.why, f.fix
        ));
    }
    if !m.skipped.is_empty() {
        out.push_str("\n## Not run\n\n");
        for s in &m.skipped {
            out.push_str(&format!("- {}: {}\n", s.name, s.reason));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_report_has_the_table_and_the_findings() {
        let cells = |a: (u16, f64), b: (u16, f64)| {
            [("alice", a), ("bob", b)]
                .into_iter()
                .map(|(n, (status, sim))| Cell {
                    identity: n.into(),
                    status: Some(status),
                    size: Some(74),
                    similarity: Some(sim),
                    ..Cell::default()
                })
                .collect()
        };
        let row = |name: &str, url: &str, c| Row {
            name: name.into(),
            method: "GET".into(),
            url: url.into(),
            owner: "alice".into(),
            owner_known: true,
            variant_of: None,
            privileged: None,
            object: true,
            written_with_credentials: false,
            cells: c,
            volatile: Default::default(),
        };
        let rows = vec![
            row("r", "http://127.0.0.1:9/u/1", cells((200, 1.0), (200, 1.0))),
            row(
                "r [1→2]",
                "http://127.0.0.1:9/u/2",
                cells((200, 1.0), (403, 0.0)),
            ),
        ];
        let m = Matrix::of_alice_and_bob(rows, 1);
        // Each finding is about its own row only.
        assert_eq!(m.findings_of(&m.rows[0]).len(), 1);
        assert!(m.findings_of(&m.rows[1]).is_empty());
        let md = markdown(&m);
        assert!(
            md.contains(
                "| request | method | path | owner | alice (user) | bob (user) | flags |\n|---|"
            ),
            "{md}"
        );
        assert!(
            md.contains("| r | GET | /u/1 | alice | 200 74B own | 200 74B 100% | authz-bola |"),
            "{md}"
        );
        assert!(
            md.contains("| r [1→2] | GET | /u/2 | alice | 200 74B own | 403 74B 0% |  |"),
            "{md}"
        );
        assert!(md.contains("- **high** `authz-bola`"), "{md}");
    }
}
