//! What the authorization matrix flags: one rule per kind of broken access control, with why
//! it matters and how to fix it. Kept as data, as the JWT rules are, so SARIF can describe
//! each; the ids are a public contract.

use crate::findings::{Finding, Rule, Severity};

const OWASP_API1: (&str, &str) = (
    "OWASP API1:2023 Broken Object Level Authorization",
    "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/",
);
const OWASP_API5: (&str, &str) = (
    "OWASP API5:2023 Broken Function Level Authorization",
    "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/",
);
const OWASP_API2: (&str, &str) = (
    "OWASP API2:2023 Broken Authentication",
    "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
);
const ASVS_ACCESS: (&str, &str) = (
    "OWASP ASVS 4.0 V4 Access Control",
    "https://github.com/OWASP/ASVS/blob/v4.0.3/4.0/en/0x12-V4-Access-Control.md",
);

pub const RULES: &[Rule] = &[
    Rule {
        id: "authz-bola",
        severity: Severity::High,
        title: "Another identity reads this object (BOLA candidate)",
        why: "An identity that does not own the object got a success whose body is the owner's object. The server checks that the caller is logged in but not that the object is theirs, so anyone can walk the ids and read (or change) everyone's data: the most common API flaw.",
        fix: "Check ownership on every object access, in one place (a policy layer or the data query itself: WHERE id = $1 AND owner = $caller), never from ids the client sends; answer 404 or 403 for objects that are not the caller's.",
        refs: &[OWASP_API1, ASVS_ACCESS],
    },
    Rule {
        id: "authz-bfla",
        severity: Severity::High,
        title: "A lower-privileged identity performs a privileged operation (BFLA candidate)",
        why: "An identity without the role this operation needs (an admin path, a role-named path, a destructive method the owner holds, or a request marked admin-only) got a success. The function is hidden from the interface, not protected on the server.",
        fix: "Deny by default and check the caller's role on the server for every function; keep administrative functions behind one check (a router group or middleware), not in each handler.",
        refs: &[OWASP_API5, ASVS_ACCESS],
    },
    Rule {
        id: "authz-missing-auth",
        severity: Severity::High,
        title: "The anonymous caller gets what needs credentials (missing authentication)",
        why: "With every credential stripped (no Authorization, cookie or API key), the request still succeeds with the same answer the owner gets, so anyone on the network can call it.",
        fix: "Require authentication on this route (a middleware that applies to every route unless it is explicitly public), and test that each route refuses an anonymous call.",
        refs: &[OWASP_API2, ASVS_ACCESS],
    },
    Rule {
        id: "authz-inconsistent",
        severity: Severity::Medium,
        title: "Refused on read but allowed to change the same object (inconsistent enforcement)",
        why: "The same identity is refused on GET but allowed PUT, PATCH or DELETE on the same URL: the check exists on one method's handler only, so the object can be changed or deleted by someone who may not even read it.",
        fix: "Enforce access per object in one place that every method of the route goes through, and test each method of each route with each role.",
        refs: &[OWASP_API1, OWASP_API5],
    },
];

/// The rule with `id`.
pub fn rule(id: &str) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| unreachable!("authz rule {id} is in the table"))
}

/// A finding of rule `id` with what was seen.
pub fn finding(id: &str, evidence: impl Into<String>) -> Finding {
    rule(id).finding(evidence, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_every_rule_explains_itself() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(
            ids,
            [
                "authz-bfla",
                "authz-bola",
                "authz-inconsistent",
                "authz-missing-auth"
            ]
        );
        for r in RULES {
            assert!(
                !r.why.is_empty() && !r.fix.is_empty() && !r.refs.is_empty(),
                "{}",
                r.id
            );
        }
        assert_eq!(finding("authz-bola", "e").refs.len(), 2);
    }
}
