//! The JWT tab verifies with a JWKS URL as `apiward jwt verify --jwks URL` and pyjwt's
//! `PyJWKClient` do: the same served key set, the same tokens (one signed with the served
//! key, one with another key under the same kid), one verdict from all three; a URL that
//! answers an error is said, not taken for a key.

use std::io::Write;
use std::process::{Command, Stdio};

use apiward::jwt::{self, SigningKey};
use apiward::tui::app::Msg;
use apiward::tui::testing::{app, press, run_jobs, screen, type_text};
use crossterm::event::KeyCode;
use serde_json::{Map, Value, json};

use crate::lab_support::apiward;

/// pyjwt fetches the set from `url` and verifies each token: its verdicts, or `None` (said
/// why) when python or pyjwt is missing.
const PYTHON: &str = r#"
import json, sys
try:
    import jwt
    from jwt import PyJWKClient
except ImportError as e:
    print(json.dumps({"skip": str(e)})); sys.exit()
given = json.load(sys.stdin)
verdicts = []
for token in given["tokens"]:
    try:
        key = PyJWKClient(given["url"]).get_signing_key_from_jwt(token)
        jwt.decode(token, key.key, algorithms=["ES256"])
        verdicts.append(True)
    except Exception:
        verdicts.append(False)
print(json.dumps(verdicts))
"#;

fn pyjwt_verdicts(url: &str, tokens: &[&str]) -> Option<Vec<bool>> {
    let child = Command::new("python3")
        .args(["-c", PYTHON])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tui_jwks_url: the pyjwt comparison skipped: python3 cannot be run ({e})");
            return None;
        }
    };
    let input = json!({ "url": url, "tokens": tokens }).to_string();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    if let Some(why) = result.get("skip") {
        eprintln!(
            "tui_jwks_url: the pyjwt comparison skipped: {why} (pip install pyjwt cryptography)"
        );
        return None;
    }
    Some(serde_json::from_value(result).unwrap())
}

#[test]
fn the_jwt_tab_verifies_with_a_jwks_url_as_the_cli_and_pyjwt_do() {
    let (server, token) = crate::jwt_cli::served_jwks_and_token();
    let url = server.url("/.well-known/jwks.json");
    // Another key pair signs under the served kid: every verifier must refuse it.
    let other = jwt::keygen::generate("ES256").unwrap();
    let mut header = Map::new();
    header.insert("kid".into(), "k1".into());
    let forged = jwt::sign(
        &header,
        &json!({ "sub": "x" }),
        "ES256",
        &SigningKey::Pem(other.private_pem.clone()),
    )
    .unwrap();

    let verify_in_tab = |token: &str, url: &str| {
        let mut app = app();
        press(&mut app, KeyCode::Char('2'));
        app.update(Msg::Paste(token.to_string()));
        press(&mut app, KeyCode::Char('v'));
        type_text(&mut app, url);
        press(&mut app, KeyCode::Enter);
        run_jobs(&mut app);
        screen(&app, 120, 40)
    };
    let mut verdicts = Vec::new();
    for t in [&token, &forged] {
        let cli = apiward()
            .args(["jwt", "verify", t, "--jwks", &url])
            .output()
            .unwrap();
        let shown = verify_in_tab(t, &url);
        let tab = shown.contains("✓ valid");
        assert_eq!(
            cli.status.code() == Some(0),
            tab,
            "CLI and tab differ: {shown}"
        );
        verdicts.push(tab);
    }
    assert_eq!(verdicts, [true, false], "the served key's token only");
    if let Some(python) = pyjwt_verdicts(&url, &[&token, &forged]) {
        assert_eq!(python, verdicts, "pyjwt's PyJWKClient judges the same");
    }
    let missing = verify_in_tab(&token, &server.url("/missing"));
    assert!(missing.contains("404"), "{missing}");
    assert!(!missing.contains("✓ valid"), "{missing}");
}
