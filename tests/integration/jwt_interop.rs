//! Interop with libraries apiward did not write: for all 13 JWS algorithms, tokens signed by
//! apiward are verified by pyjwt and jwcrypto, and tokens they sign are verified by apiward.
//! Needs python3 with `pyjwt`, `cryptography` and `jwcrypto` (`.ci/run` installs them); when
//! they are missing the test says so and skips instead of passing in silence.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Map, Value, json};

use apiward::jwt::{self, KeyMaterial, SigningKey, VerifyOptions};
use apiward::keys::material::Private;

const ALGS: [&str; 13] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA",
];

const NOW: i64 = 1_700_000_000;

/// Verifies apiward's tokens and signs its own with each library, one alg per entry of the
/// JSON read from stdin; prints one JSON object. A missing module is reported, not raised.
const PYTHON: &str = r#"
import base64, json, sys
try:
    import jwt as pyjwt
    from jwcrypto import jwk, jws
    from jwcrypto.common import json_encode
except ImportError as e:
    print(json.dumps({"skip": f"python module missing: {e.name}"}))
    sys.exit(0)

def jwcrypto_key(entry, private):
    if "secret" in entry:
        return jwk.JWK(kty="oct", k=entry["secret"])
    pem = entry["private_pem" if private else "public_pem"].encode()
    return jwk.JWK.from_pem(pem)

def pyjwt_key(entry, private):
    if "secret" in entry:
        s = entry["secret"]
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    return entry["private_pem" if private else "public_pem"]

out = {"verified": {}, "signed": {}}
for entry in json.load(sys.stdin):
    alg, token = entry["alg"], entry["token"]
    results = {}
    try:
        claims = pyjwt.decode(token, pyjwt_key(entry, False), algorithms=[alg])
        results["pyjwt"] = claims.get("sub") == "apiward"
    except Exception as e:
        results["pyjwt"] = f"{type(e).__name__}: {e}"
    try:
        s = jws.JWS()
        s.deserialize(token)
        s.verify(jwcrypto_key(entry, False), alg=alg)
        results["jwcrypto"] = json.loads(s.payload)["sub"] == "apiward"
    except Exception as e:
        results["jwcrypto"] = f"{type(e).__name__}: {e}"
    out["verified"][alg] = results
    signed = {}
    try:
        signed["pyjwt"] = pyjwt.encode({"sub": "pyjwt"}, pyjwt_key(entry, True), algorithm=alg)
    except Exception as e:
        signed["pyjwt_error"] = f"{type(e).__name__}: {e}"
    try:
        s = jws.JWS(json_encode({"sub": "jwcrypto"}))
        s.add_signature(jwcrypto_key(entry, True), None, json_encode({"alg": alg}))
        signed["jwcrypto"] = s.serialize(compact=True)
    except Exception as e:
        signed["jwcrypto_error"] = f"{type(e).__name__}: {e}"
    out["signed"][alg] = signed
print(json.dumps(out))
"#;

/// A key for `alg`, as apiward signs with it and as the libraries read it.
struct Case {
    alg: &'static str,
    signer: SigningKey,
    verifier: KeyMaterial,
    /// What python is given: the secret (base64url) or both PEMs.
    for_python: Value,
}

fn cases() -> Vec<Case> {
    // One RSA key serves the six RSA algorithms; keygen is the slow part.
    let rsa = Private::generate("RS256", 2048).unwrap();
    ALGS.iter()
        .map(|&alg| {
            let fresh;
            let private = if alg.starts_with("RS") || alg.starts_with("PS") {
                &rsa
            } else {
                fresh = Private::generate(alg, 2048).unwrap();
                &fresh
            };
            match private {
                Private::Hmac(secret) => Case {
                    alg,
                    signer: SigningKey::Secret(secret.to_vec()),
                    verifier: KeyMaterial::Secret(secret.to_vec()),
                    for_python: json!({"secret": jwt::b64::encode(secret.as_slice())}),
                },
                _ => {
                    let private_pem = private.pkcs8_pem().unwrap().unwrap().to_string();
                    let public_pem = private.public_pem().unwrap().unwrap();
                    Case {
                        alg,
                        signer: SigningKey::Pem(private_pem.clone()),
                        verifier: KeyMaterial::from_pem(&public_pem).unwrap(),
                        for_python: json!({"private_pem": private_pem, "public_pem": public_pem}),
                    }
                }
            }
        })
        .collect()
}

/// Runs the python side; `None` (after saying why) when python or a module is missing.
fn run_python(input: &Value) -> Option<Value> {
    let child = Command::new("python3")
        .args(["-c", PYTHON])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("jwt_interop skipped: python3 cannot be run ({e})");
            return None;
        }
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the python side failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    if let Some(why) = result.get("skip") {
        eprintln!("jwt_interop skipped: {why} (pip install pyjwt cryptography jwcrypto)");
        return None;
    }
    Some(result)
}

#[test]
fn all_13_algorithms_interoperate_with_pyjwt_and_jwcrypto_both_ways() {
    let cases = cases();
    let mut input = Vec::new();
    for case in &cases {
        let token = jwt::sign(
            &Map::new(),
            &json!({"sub": "apiward", "iat": NOW}),
            case.alg,
            &case.signer,
        )
        .unwrap_or_else(|e| panic!("apiward cannot sign {}: {e}", case.alg));
        let mut entry = case.for_python.clone();
        entry["alg"] = case.alg.into();
        entry["token"] = token.into();
        input.push(entry);
    }
    let Some(result) = run_python(&Value::Array(input)) else {
        return;
    };
    let mut failures = Vec::new();
    for case in &cases {
        let alg = case.alg;
        for lib in ["pyjwt", "jwcrypto"] {
            let verdict = &result["verified"][alg][lib];
            if verdict != &Value::Bool(true) {
                failures.push(format!("{lib} rejects apiward's {alg}: {verdict}"));
            }
            let Some(token) = result["signed"][alg][lib].as_str() else {
                let why = &result["signed"][alg][format!("{lib}_error")];
                failures.push(format!(
                    "{lib} cannot read apiward's {alg} private key: {why}"
                ));
                continue;
            };
            let decoded = jwt::decode(token).unwrap();
            assert_eq!(decoded.alg.as_deref(), Some(alg), "{lib}");
            let verified = jwt::verify(&decoded, &case.verifier, &VerifyOptions::new(NOW));
            match verified {
                Ok(v) if v.is_valid() && decoded.claims().unwrap()["sub"] == lib => {}
                other => failures.push(format!("apiward rejects {lib}'s {alg}: {other:?}")),
            }
            // And a token of theirs with the last signature byte changed is refused.
            let mut sig = decoded.signature.clone();
            *sig.last_mut().unwrap() ^= 1;
            let bad = format!("{}.{}", decoded.signing_input, jwt::b64::encode(&sig));
            let v = jwt::verify(
                &jwt::decode(&bad).unwrap(),
                &case.verifier,
                &VerifyOptions::new(NOW),
            );
            assert!(
                !v.unwrap().signature_valid,
                "{lib} {alg} with a changed byte"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
