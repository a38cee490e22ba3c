//! `apiward spec lint` as a user runs it: every rule exactly once on the weak description,
//! nothing on the strong one, SARIF that validates against the SARIF 2.1.0 schema, bad input
//! as exit 2, and Spectral (with its OWASP ruleset) flagging the same places for the rules
//! both have.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use serde_json::Value;

use crate::lab_support::{apiward, json_run};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/spec")
        .join(name)
}

fn lint_json(file: &str) -> Value {
    let (code, v) = json_run(apiward().args(["spec", "lint", "--json"]).arg(data(file)));
    assert_eq!(code, 0, "{v}");
    v
}

/// (rule id, JSON pointer) of every finding.
fn places(v: &Value) -> Vec<(String, String)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["pointer"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_weak_description_breaks_every_rule_exactly_once() {
    let v = lint_json("weak.yaml");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for (id, _) in places(&v) {
        *counts.entry(id).or_default() += 1;
    }
    let all: BTreeSet<String> = apiward::spec::lint::RULES
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(counts.keys().cloned().collect::<BTreeSet<_>>(), all);
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "{twice:?}");
    // Every finding carries the rule's why and fix, and says where it is.
    for f in v["findings"].as_array().unwrap() {
        assert!(!f["why"].as_str().unwrap().is_empty() && !f["fix"].as_str().unwrap().is_empty());
        assert!(f["evidence"].as_str().unwrap().starts_with("#/"), "{f}");
    }
    assert_eq!(v["version"], "OpenAPI 3.0");
    // --fail-on: exit 1 at or above the floor.
    let out = apiward()
        .args(["spec", "lint", "--fail-on", "high"])
        .arg(data("weak.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("HIGH     spec-server-http A server is plain http (1)"),
        "{text}"
    );
    assert!(
        text.contains("at #/servers/0/url: server http://api.example.com"),
        "{text}"
    );
    assert!(
        text.contains("fix: Serve the API over https only"),
        "{text}"
    );
    assert!(text.contains("\n42 findings of 42 rules: "), "{text}");
}

#[test]
fn the_strong_description_has_no_finding() {
    let v = lint_json("strong.yaml");
    assert_eq!(v["findings"], Value::Array(Vec::new()), "{v}");
    let out = apiward()
        .args(["spec", "lint", "--fail-on", "info"])
        .arg(data("strong.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("No findings."));
}

#[test]
fn bad_input_is_one_sentence_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_spec = dir.path().join("x.json");
    std::fs::write(&not_spec, "{\"hello\": 1}").unwrap();
    let broken = dir.path().join("y.yaml");
    std::fs::write(&broken, "openapi: 3.0.0\npaths: [\n").unwrap();
    for file in [dir.path().join("missing.yaml"), not_spec, broken] {
        let out = apiward()
            .args(["spec", "lint"])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with("apiward: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A description the network did not bring is a failure, exit 1, as `send` and `audit` say of
/// a refused connection; the same for `import openapi`, which reads it the same way.
#[test]
fn a_url_that_refuses_is_exit_1() {
    // A port that was free a moment ago: nothing listens on it now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/openapi.json");
    let ws = tempfile::tempdir().unwrap();
    for args in [
        vec!["spec", "lint", url.as_str()],
        vec!["import", "openapi", url.as_str(), "--workspace"],
    ] {
        let mut cmd = apiward();
        cmd.args(&args);
        if args[0] == "import" {
            cmd.arg(ws.path());
        }
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("could not be read"), "{err}");
    }
}

/// The peers' folder, when `npm ci --prefix tests/data/spec/spectral` has been run.
fn peers() -> Result<PathBuf, String> {
    let dir = data("spectral");
    let bin = dir.join("node_modules/.bin/spectral");
    if !bin.exists() {
        return Err(format!(
            "{} is not installed (npm ci --prefix tests/data/spec/spectral)",
            bin.display()
        ));
    }
    Ok(dir)
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let out = apiward()
        .args(["spec", "lint", "--sarif"])
        .arg(data("weak.yaml"))
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 42);
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        42
    );
    // The schema ships in an npm package (MIT); jsonschema (Python) checks the log against it.
    let schema = match peers() {
        Ok(dir) => {
            dir.join("node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json")
        }
        Err(why) => return println!("skipped the schema check: {why}"),
    };
    let check = "import json,sys,jsonschema\n\
                 jsonschema.Draft7Validator(json.load(open(sys.argv[1]))).validate(json.load(sys.stdin))\n\
                 print('valid')";
    let child = Process::new("python3")
        .args(["-c", check])
        .arg(&schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return println!("skipped the schema check: python3 is not installed");
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let done = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr);
    if err.contains("No module named 'jsonschema'") {
        return println!(
            "skipped the schema check: python3 has no jsonschema (pip install jsonschema)"
        );
    }
    assert!(done.status.success(), "SARIF does not validate: {err}");
    assert_eq!(String::from_utf8_lossy(&done.stdout).trim(), "valid");
}

/// Spectral's rules and the apiward rules that cover them: each pair must flag the same
/// places. Spectral points inside the place (a scheme's `scheme`, a parameter's `name`);
/// [`normalise`] brings both to the object.
const PAIRS: &[(&[&str], &[&str])] = &[
    (&["owasp:api1:2023-no-numeric-ids"], &["spec-numeric-id"]),
    (&["owasp:api2:2023-no-http-basic"], &["spec-http-basic"]),
    (
        &["owasp:api2:2023-no-api-keys-in-url"],
        &["spec-apikey-in-url"],
    ),
    (
        &["owasp:api2:2023-no-credentials-in-url"],
        &["spec-credential-in-url"],
    ),
    (
        &["owasp:api2:2023-auth-insecure-schemes"],
        &["spec-insecure-auth-scheme"],
    ),
    (
        &["owasp:api2:2023-jwt-best-practices"],
        &["spec-jwt-no-rfc8725"],
    ),
    (
        &["owasp:api2:2023-short-lived-access-tokens"],
        &["spec-oauth-no-refresh"],
    ),
    (
        &["owasp:api2:2023-write-restricted"],
        &["spec-write-unprotected"],
    ),
    (
        &["owasp:api2:2023-read-restricted"],
        &["spec-read-unprotected"],
    ),
    (
        &[
            "owasp:api3:2023-no-additionalProperties",
            "owasp:api3:2023-no-unevaluatedProperties",
        ],
        &[
            "spec-additional-properties",
            "spec-additional-properties-unbounded",
        ],
    ),
    (
        &[
            "owasp:api3:2023-constrained-additionalProperties",
            "owasp:api3:2023-constrained-unevaluatedProperties",
        ],
        &["spec-additional-properties-unbounded"],
    ),
    (
        &["owasp:api4:2023-rate-limit"],
        &["spec-rate-limit-headers"],
    ),
    (
        &["owasp:api4:2023-rate-limit-retry-after"],
        &["spec-retry-after-missing"],
    ),
    (
        &["owasp:api4:2023-rate-limit-responses-429"],
        &["spec-no-429"],
    ),
    (&["owasp:api4:2023-array-limit"], &["spec-array-unbounded"]),
    (
        &["owasp:api4:2023-string-limit"],
        &["spec-string-unbounded"],
    ),
    (
        &["owasp:api4:2023-string-restricted"],
        &["spec-string-unrestricted"],
    ),
    (
        &[
            "owasp:api4:2023-integer-limit",
            "owasp:api4:2023-integer-limit-legacy",
        ],
        &["spec-number-unbounded"],
    ),
    (
        &["owasp:api4:2023-integer-format"],
        &["spec-integer-format"],
    ),
    (
        &["owasp:api5:2023-admin-security-unique"],
        &["spec-admin-same-security"],
    ),
    (
        &["owasp:api7:2023-concerning-url-parameter"],
        &["spec-url-parameter"],
    ),
    (
        &["owasp:api8:2023-define-cors-origin"],
        &["spec-cors-undefined"],
    ),
    (
        &[
            "owasp:api8:2023-no-scheme-http",
            "owasp:api8:2023-no-server-http",
        ],
        &["spec-server-http"],
    ),
    (
        &["owasp:api8:2023-define-error-validation"],
        &["spec-no-400"],
    ),
    (
        &["owasp:api8:2023-define-error-responses-401"],
        &["spec-no-401"],
    ),
    (
        &["owasp:api8:2023-define-error-responses-500"],
        &["spec-no-500"],
    ),
    (
        &["owasp:api9:2023-inventory-access"],
        &["spec-server-audience"],
    ),
    (
        &["owasp:api9:2023-inventory-environment"],
        &["spec-server-environment"],
    ),
    // spectral:oas's one security rule: undefined schemes, and scopes a flow does not list.
    (
        &[
            "oas3-operation-security-defined",
            "oas2-operation-security-defined",
        ],
        &["spec-undefined-scheme", "spec-undefined-scope"],
    ),
];

/// A Spectral path as the JSON pointer of the object it is about.
fn normalise(code: &str, path: &[Value]) -> String {
    let mut tokens: Vec<String> = path
        .iter()
        .map(|t| match t {
            Value::String(s) => s.replace('~', "~0").replace('/', "~1"),
            other => other.to_string(),
        })
        .collect();
    // Operation-level rules point into `security` (write/read-restricted even past it).
    if code.ends_with("-restricted")
        && let Some(i) = tokens.iter().position(|t| t == "security")
    {
        tokens.truncate(i);
    }
    if code.ends_with("admin-security-unique") {
        tokens.pop();
    }
    let inner = [
        "scheme",
        "in",
        "name",
        "description",
        "additionalProperties",
        "unevaluatedProperties",
    ];
    if tokens.last().is_some_and(|t| inner.contains(&t.as_str()))
        || (code.ends_with("retry-after") && tokens.last().is_some_and(|t| t == "headers"))
    {
        tokens.pop();
    }
    tokens.iter().map(|t| format!("/{t}")).collect()
}

/// Spectral's findings on `file` under `ruleset`, or why it could not run.
fn spectral(dir: &Path, ruleset: &str, file: &Path) -> Result<Vec<(String, String)>, String> {
    let out_file = tempfile::NamedTempFile::new().unwrap();
    let run = Process::new(dir.join("node_modules/.bin/spectral"))
        .args(["lint", "-r"])
        .arg(dir.join(ruleset))
        .args(["-f", "json", "-o"])
        .arg(out_file.path())
        .arg(file)
        .output()
        .map_err(|e| format!("spectral does not start: {e}"))?;
    let text = std::fs::read_to_string(out_file.path()).unwrap_or_default();
    let found: Vec<Value> = serde_json::from_str(&text).map_err(|_| {
        format!(
            "spectral failed with {ruleset}: {}",
            String::from_utf8_lossy(&run.stderr).trim()
        )
    })?;
    Ok(found
        .iter()
        .map(|f| {
            let code = f["code"].as_str().unwrap_or_default().to_string();
            let place = normalise(&code, f["path"].as_array().map_or(&[][..], |a| a));
            (code, place)
        })
        .collect())
}

#[test]
fn spectral_flags_the_same_places_for_the_rules_both_have() {
    let dir = match peers() {
        Ok(dir) => dir,
        Err(why) => return println!("skipped the Spectral comparison: {why}"),
    };
    for file in ["weak.yaml", "strong.yaml"] {
        let ours = places(&lint_json(file));
        let mut theirs = Vec::new();
        let mut ran = 0;
        for ruleset in ["oas.yaml", "owasp.yaml"] {
            match spectral(&dir, ruleset, &data(file)) {
                Ok(found) => {
                    ran += 1;
                    theirs.extend(found);
                }
                Err(why) => {
                    println!("skipped Spectral's {ruleset} on {file}: {why}");
                }
            }
        }
        if ran == 2 {
            // spectral:oas always has its say (no contact), so silence would mean no run.
            assert!(
                theirs.iter().any(|(c, _)| c == "info-contact"),
                "{file}: {theirs:?}"
            );
        }
        // Every OWASP rule Spectral has is paired with ours.
        for (code, _) in &theirs {
            if code.starts_with("owasp:") {
                assert!(
                    PAIRS
                        .iter()
                        .any(|(codes, _)| codes.contains(&code.as_str())),
                    "{code} has no apiward rule"
                );
            }
        }
        for (codes, ids) in PAIRS {
            let s: BTreeSet<&str> = theirs
                .iter()
                .filter(|(c, _)| codes.contains(&c.as_str()))
                .map(|(_, p)| p.as_str())
                .collect();
            let a: BTreeSet<&str> = ours
                .iter()
                .filter(|(id, _)| ids.contains(&id.as_str()))
                .map(|(_, p)| p.as_str())
                .collect();
            assert_eq!(s, a, "{file}: Spectral {codes:?} against apiward {ids:?}");
        }
        if file == "weak.yaml" {
            assert!(theirs.len() > 30, "Spectral ran: {theirs:?}");
        }
    }
}
