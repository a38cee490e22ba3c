//! SARIF 2.1.0 output for findings, so code-scanning tools can take apiward's results.
//! Rule ids are the finding ids, which are stable.

use serde_json::{Value, json};

use crate::findings::Finding;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One SARIF log with one run: every distinct finding id becomes a rule, every finding a
/// result located at `target` (a URL or a description of what was checked).
pub fn log(findings: &[Finding], target: &str) -> Value {
    log_many(&[(target, findings)], &[])
}

/// The same for several targets, each finding located at its own target.
/// `failed` lists the targets that could not be checked at all, with why: SARIF reports them
/// as tool execution notifications, so a code-scanning run does not read silence as clean.
pub fn log_many(targets: &[(&str, &[Finding])], failed: &[(&str, &str)]) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<&str> = Vec::new();
    for f in targets.iter().flat_map(|(_, findings)| findings.iter()) {
        if !rule_ids.contains(&f.id.as_str()) {
            rule_ids.push(&f.id);
            rules.push(json!({
                "id": f.id,
                "name": f.id,
                "shortDescription": { "text": f.title },
                "fullDescription": { "text": f.why },
                "help": { "text": f.fix },
                "helpUri": f.refs.first().map(|r| r.url.clone()),
                "defaultConfiguration": { "level": f.severity.sarif_level() },
                "properties": { "severity": f.severity.as_str() },
            }));
        }
    }
    let results: Vec<Value> = targets
        .iter()
        .flat_map(|(target, findings)| findings.iter().map(move |f| (*target, f)))
        .map(|(target, f)| {
            let index = rule_ids.iter().position(|id| *id == f.id).unwrap_or(0);
            let mut message = f.title.clone();
            if !f.evidence.is_empty() {
                message.push_str(": ");
                message.push_str(&f.evidence);
            }
            json!({
                "ruleId": f.id,
                "ruleIndex": index,
                "level": f.severity.sarif_level(),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": { "artifactLocation": { "uri": target } }
                }],
                "properties": { "severity": f.severity.as_str() },
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "apiward",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/apiward/apiward",
                "rules": rules,
            }},
            "results": results,
            "invocations": [{
                "executionSuccessful": failed.is_empty(),
                "toolExecutionNotifications": failed.iter().map(|(target, why)| json!({
                    "level": "error",
                    "message": { "text": format!("{target} could not be checked: {why}") },
                    "locations": [{
                        "physicalLocation": { "artifactLocation": { "uri": target } }
                    }],
                })).collect::<Vec<_>>(),
            }],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;

    #[test]
    fn sarif_has_the_required_structure() {
        let findings = vec![
            Finding::new("alg-none", Severity::Critical, "Unsecured").evidence("alg none"),
            Finding::new("jti-missing", Severity::Low, "No jti"),
            Finding::new("alg-none", Severity::Critical, "Unsecured"),
        ];
        let log = log(&findings, "token");
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "apiward");
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 2);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0]["ruleId"], "alg-none");
        assert_eq!(results[0]["level"], "error");
        assert_eq!(results[1]["level"], "note");
        assert_eq!(results[2]["ruleIndex"], 0);
        assert_eq!(results[0]["message"]["text"], "Unsecured: alg none");
    }
}
