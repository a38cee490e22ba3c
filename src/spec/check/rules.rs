//! What `apiward spec check` finds when the live API and its description disagree: each rule
//! with why and fix, as data; the ids are a public contract. The security-header findings on
//! the answers are the audit's own (`crate::audit::rules`).

use crate::findings::Severity::{High, Medium};
use crate::findings::{Finding, Rule};

const API3: (&str, &str) = (
    "OWASP API3:2023 Broken Object Property Level Authorization",
    "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
);
const API2: (&str, &str) = (
    "OWASP API2:2023 Broken Authentication",
    "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
);
const API8: (&str, &str) = (
    "OWASP API8:2023 Security Misconfiguration",
    "https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/",
);
const API9: (&str, &str) = (
    "OWASP API9:2023 Improper Inventory Management",
    "https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/",
);

#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    Rule { id: "spec-check-undocumented-field", severity: Medium, title: "The answer has fields its schema does not list (excessive data exposure)",
        why: "Fields the description does not promise are data the API was not meant to hand out: password hashes, keys, internal flags, other users' details. Clients that filter on their side still received them.",
        fix: "Return only what the schema lists (serialise a response type, not the stored record), and set additionalProperties: false so contract tests catch the next leak.",
        refs: &[API3] },
    Rule { id: "spec-check-missing-auth", severity: High, title: "The operation answers without credentials though the description requires them",
        why: "Sent with every credential removed, the operation still succeeded: whatever it returns or does is open to anyone who can reach the API.",
        fix: "Enforce authentication on the route (a middleware that covers every route unless it is explicitly public), and test each operation once without credentials.",
        refs: &[API2] },
    Rule { id: "spec-check-undocumented-status", severity: Medium, title: "The API answered with a status the description does not list",
        why: "An undocumented status is behaviour nobody reviewed: an error path the description hides, an old version still answering, a success where a refusal was promised.",
        fix: "Make the route answer as documented, or document the status with its schema if it is intended.",
        refs: &[API8, API9] },
    Rule { id: "spec-check-undocumented-media-type", severity: Medium, title: "The answer's content type is not one the description lists for its status",
        why: "An error documented as a JSON object that arrives as text or HTML is an error path the framework's defaults answer: where stack traces, SQL and internal addresses leak.",
        fix: "Answer every status with the documented media type and schema: map failures to the documented error object in one place.",
        refs: &[API8] },
    Rule { id: "spec-check-error-leak", severity: High, title: "An error answer shows a stack trace, a query or an internal address",
        why: "Stack traces, SQL and connection strings tell an attacker the code, the database and where it lives, and often how to inject into it.",
        fix: "Log the details on the server and answer a generic error with a request id to quote.",
        refs: &[API8, ("OWASP Error Handling Cheat Sheet", "https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html")] },
];

/// A finding of rule `id` with what was seen.
pub fn finding(id: &str, evidence: impl Into<String>) -> Finding {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| unreachable!("spec check rule {id} is in the table"))
        .finding(evidence, &[])
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut ids: Vec<_> = super::RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), super::RULES.len());
        assert!(ids.iter().all(|id| id.starts_with("spec-check-")));
        assert_eq!(super::finding("spec-check-missing-auth", "e").refs.len(), 1);
    }
}
