//! Reading the matrix: which cells are broken access control. Admins may do anything, so
//! their successes are never flagged; the others are judged against the row's owner.

use std::collections::BTreeMap;

use super::identities::{Identity, Role};
use super::row::{Row, SAFE_METHODS};
use super::rules;
use crate::findings::{self, Finding};

/// From this similarity on, two bodies are the same object.
pub const SAME: f64 = 0.9;

/// The findings of a finished matrix, worst first.
pub fn analyse(rows: &[Row], identities: &[Identity]) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in rows {
        let Some(o) = identities.iter().position(|i| i.name == row.owner) else {
            continue;
        };
        let owner = &row.cells[o];
        let at = row.label();
        let same = |i: usize| row.cells[i].similarity.is_some_and(|s| s >= SAME);
        let shown = |i: usize| {
            let c = &row.cells[i];
            let sim = c
                .similarity
                .map_or(String::new(), |s| format!(", {:.0}% alike", s * 100.0));
            format!(
                "{} ({}{sim})",
                identities[i].name,
                c.status.unwrap_or_default()
            )
        };

        // BOLA: another ordinary identity gets the owner's object.
        if row.object && row.owner_known && owner.success() {
            let who: Vec<String> = (0..identities.len())
                .filter(|&i| i != o && identities[i].role == Role::User)
                .filter(|&i| row.cells[i].success() && same(i))
                .map(shown)
                .collect();
            if !who.is_empty() {
                out.push(rules::finding(
                    "authz-bola",
                    format!("{at}: {} got {}'s object", who.join(", "), row.owner),
                ));
            }
        }

        // BFLA: an ordinary identity succeeds on what only a higher one should do: a
        // privileged-looking path or a mark, or a destructive method whose owner is an admin.
        let destructive =
            ["DELETE", "PUT"].contains(&row.method.as_str()) && identities[o].role == Role::Admin;
        let why = row
            .privileged
            .clone()
            .or_else(|| destructive.then(|| format!("{} as the admin {}", row.method, row.owner)));
        if let Some(why) = why {
            let who: Vec<String> = (0..identities.len())
                .filter(|&i| identities[i].role == Role::User && row.cells[i].success())
                .map(shown)
                .collect();
            if !who.is_empty() {
                out.push(rules::finding(
                    "authz-bfla",
                    format!("{at}: {} succeeded ({why})", who.join(", ")),
                ));
            }
        }

        // Missing authentication: the anonymous caller gets what the owner gets, where the
        // request evidently needs credentials.
        let personal = (0..identities.len())
            .filter(|&i| identities[i].role != Role::Anonymous && row.cells[i].success())
            .any(|i| !same(i));
        let needs_auth = row.object || row.written_with_credentials || personal;
        let who: Vec<String> = (0..identities.len())
            .filter(|&i| identities[i].role == Role::Anonymous && row.cells[i].success())
            .filter(|&i| row.privileged.is_some() || (needs_auth && owner.success() && same(i)))
            .map(shown)
            .collect();
        if !who.is_empty() {
            out.push(rules::finding(
                "authz-missing-auth",
                format!("{at}: {} succeeded with no credentials", who.join(", ")),
            ));
        }
    }
    out.extend(inconsistent(rows, identities));
    findings::sort(&mut out);
    out
}

/// The same identity refused on a safe method but allowed an unsafe one, on one URL.
fn inconsistent(rows: &[Row], identities: &[Identity]) -> Vec<Finding> {
    let mut by_url: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in rows {
        by_url.entry(row.url.as_str()).or_default().push(row);
    }
    let mut out = Vec::new();
    for group in by_url.into_values() {
        let reads = group
            .iter()
            .filter(|r| SAFE_METHODS.contains(&r.method.as_str()));
        let writes: Vec<&&Row> = group
            .iter()
            .filter(|r| ["PUT", "PATCH", "DELETE", "POST"].contains(&r.method.as_str()))
            .collect();
        for read in reads {
            for write in &writes {
                let who: Vec<&str> = (0..identities.len())
                    .filter(|&i| identities[i].role != Role::Admin)
                    .filter(|&i| read.cells[i].refused() && write.cells[i].success())
                    .map(|i| identities[i].name.as_str())
                    .collect();
                if !who.is_empty() {
                    out.push(rules::finding(
                        "authz-inconsistent",
                        format!(
                            "{}: {} refused on {} ({}) but allowed {}",
                            write.label(),
                            who.join(", "),
                            read.method,
                            read.name,
                            write.method,
                        ),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::row::Cell;

    fn ids() -> Vec<Identity> {
        let mk = |name: &str, role| Identity {
            role,
            ..Identity::anonymous(name)
        };
        vec![
            mk("alice", Role::User),
            mk("bob", Role::User),
            mk("admin", Role::Admin),
            mk("anonymous", Role::Anonymous),
        ]
    }

    fn row(method: &str, url: &str, cells: [(u16, f64); 4]) -> Row {
        Row {
            name: "r".into(),
            method: method.into(),
            url: url.into(),
            owner: "alice".into(),
            owner_known: true,
            variant_of: None,
            privileged: None,
            object: url.ends_with('1'),
            written_with_credentials: false,
            cells: cells
                .iter()
                .zip(["alice", "bob", "admin", "anonymous"])
                .map(|((status, sim), name)| Cell {
                    identity: name.into(),
                    status: Some(*status),
                    size: Some(10),
                    similarity: Some(*sim),
                    ..Cell::default()
                })
                .collect(),
            volatile: Default::default(),
        }
    }

    fn ids_of(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn bola_when_bob_reads_alice_s_object_but_not_when_admin_does() {
        let vulnerable = row(
            "GET",
            "http://x/users/1",
            [(200, 1.0), (200, 1.0), (200, 1.0), (401, 0.1)],
        );
        let found = analyse(&[vulnerable], &ids());
        assert_eq!(ids_of(&found), ["authz-bola"]);
        assert!(
            found[0]
                .evidence
                .contains("bob (200, 100% alike) got alice's object"),
            "{}",
            found[0].evidence
        );
        let hardened = row(
            "GET",
            "http://x/users/1",
            [(200, 1.0), (403, 0.1), (200, 1.0), (401, 0.1)],
        );
        assert!(analyse(&[hardened], &ids()).is_empty());
        // Bob's own record at /me is like alice's in shape only: no object id, no flag.
        let me = row(
            "GET",
            "http://x/me",
            [(200, 1.0), (200, 0.25), (200, 0.25), (401, 0.1)],
        );
        assert!(analyse(&[me], &ids()).is_empty());
    }

    #[test]
    fn bfla_missing_auth_and_inconsistent() {
        let mut admin = row(
            "GET",
            "http://x/admin/stats",
            [(200, 1.0), (200, 1.0), (200, 1.0), (401, 0.1)],
        );
        admin.privileged = Some("the path has /admin".into());
        admin.owner = "admin".into();
        let found = analyse(&[admin], &ids());
        assert_eq!(ids_of(&found), ["authz-bfla"]);
        assert!(
            found[0].evidence.contains("alice (200"),
            "{}",
            found[0].evidence
        );

        let open = row(
            "GET",
            "http://x/orders/1",
            [(200, 1.0), (404, 0.1), (200, 1.0), (200, 1.0)],
        );
        assert_eq!(ids_of(&analyse(&[open], &ids())), ["authz-missing-auth"]);
        let public = row(
            "GET",
            "http://x/status",
            [(200, 1.0), (200, 1.0), (200, 1.0), (200, 1.0)],
        );
        assert!(analyse(&[public], &ids()).is_empty());

        let read = row(
            "GET",
            "http://x/notes/1",
            [(200, 1.0), (403, 0.1), (200, 1.0), (401, 0.1)],
        );
        let delete = row(
            "DELETE",
            "http://x/notes/1",
            [(204, 1.0), (204, 1.0), (204, 1.0), (401, 0.1)],
        );
        // Bob may not read alice's note but may delete it: inconsistent, and (the empty
        // answers being alike) a BOLA on the DELETE too.
        let found = analyse(&[read, delete], &ids());
        assert_eq!(ids_of(&found), ["authz-bola", "authz-inconsistent"]);
        assert!(
            found[1].evidence.contains("bob refused on GET"),
            "{}",
            found[1].evidence
        );
    }
}
