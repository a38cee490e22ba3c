//! `apiward jwt recover-key` against keys and signatures made by OpenSSL: the modulus it
//! recovers from two RS256 tokens is the one `openssl rsa -modulus` prints, and the EC key it
//! recovers from ES256/384/512 tokens is the one `openssl pkey -pubout` writes. When openssl is
//! missing the tests say so and skip.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::{Value, json};

use apiward::jwt::b64;

fn apiward() -> Command {
    Command::cargo_bin("apiward").unwrap()
}

fn have_openssl() -> bool {
    let ok = Process::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "skipped: openssl is not installed, and it is the peer these tests compare against"
        );
    }
    ok
}

fn openssl(args: &[&str], stdin: Option<&[u8]>) -> Vec<u8> {
    use std::io::Write;
    let mut child = Process::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or_default())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A key made by `openssl genpkey` with these options, written to `dir/name`.
fn genpkey(dir: &Path, name: &str, opts: &[&str]) -> String {
    let path = dir.join(name);
    let path = path.to_str().unwrap();
    let mut args = vec!["genpkey", "-out", path];
    args.extend_from_slice(opts);
    openssl(&args, None);
    path.to_string()
}

/// A compact JWS signed by `openssl dgst`; ECDSA's DER signature becomes JOSE's r || s.
fn sign(alg: &str, key: &str, sub: &str) -> String {
    let header = b64::encode(json!({"alg": alg, "typ": "JWT"}).to_string());
    let payload = b64::encode(json!({"sub": sub}).to_string());
    let input = format!("{header}.{payload}");
    let digest = format!("-sha{}", &alg[2..]);
    let der = openssl(&["dgst", &digest, "-sign", key], Some(input.as_bytes()));
    let signature = match alg.as_bytes()[0] {
        b'E' => ecdsa_raw(
            &der,
            match alg {
                "ES384" => 48,
                "ES512" => 66,
                _ => 32,
            },
        ),
        _ => der,
    };
    format!("{input}.{}", b64::encode(signature))
}

/// r || s, each `size` bytes, from an ECDSA-Sig-Value (SEQUENCE of two INTEGERs).
fn ecdsa_raw(der: &[u8], size: usize) -> Vec<u8> {
    // The sequence's length is one byte (< 128) or 0x81 and one byte.
    let mut at = if der[1] == 0x81 { 3 } else { 2 };
    let mut out = Vec::new();
    for _ in 0..2 {
        assert_eq!(der[at], 0x02);
        let len = der[at + 1] as usize;
        let int = &der[at + 2..at + 2 + len];
        let int = &int[int.len().saturating_sub(size)..];
        out.extend(std::iter::repeat_n(0u8, size - int.len()));
        out.extend_from_slice(int);
        at += 2 + len;
    }
    out
}

fn modulus(args: &[&str]) -> String {
    String::from_utf8(openssl(args, None))
        .unwrap()
        .trim()
        .to_ascii_lowercase()
}

#[test]
fn rsa_modulus_from_two_openssl_tokens_is_openssl_s() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for bits in [1024, 2048] {
        let key = genpkey(
            dir.path(),
            &format!("rsa{bits}.pem"),
            &[
                "-algorithm",
                "RSA",
                "-pkeyopt",
                &format!("rsa_keygen_bits:{bits}"),
            ],
        );
        let tokens = [sign("RS256", &key, "alice"), sign("RS256", &key, "bob")];
        let out_dir = dir.path().join(format!("out{bits}"));
        let out = apiward()
            .args(["jwt", "recover-key", "--json", "--out"])
            .arg(&out_dir)
            .args(&tokens)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &report["candidates"][0];
        assert_eq!(report["candidates"].as_array().unwrap().len(), 1);
        assert_eq!(
            (c["e"].as_u64(), c["bits"].as_u64(), c["verifies"].as_bool()),
            (Some(65537), Some(bits), Some(true))
        );
        let spki = out_dir.join(format!("{}.spki.pem", c["thumbprint"].as_str().unwrap()));
        let pkcs1 = out_dir.join(format!("{}.pkcs1.pem", c["thumbprint"].as_str().unwrap()));
        assert_eq!(
            std::fs::metadata(&spki).unwrap().permissions().mode() & 0o777,
            0o644
        );
        let want = modulus(&["rsa", "-in", &key, "-noout", "-modulus"]);
        assert_eq!(
            modulus(&[
                "rsa",
                "-pubin",
                "-in",
                spki.to_str().unwrap(),
                "-noout",
                "-modulus"
            ]),
            want,
            "{bits}"
        );
        assert_eq!(
            modulus(&[
                "rsa",
                "-RSAPublicKey_in",
                "-in",
                pkcs1.to_str().unwrap(),
                "-noout",
                "-modulus"
            ]),
            want
        );
        // openssl's own public key PEM is byte for byte the SPKI printed.
        let pubout = String::from_utf8(openssl(&["pkey", "-in", &key, "-pubout"], None)).unwrap();
        assert_eq!(c["spki_pem"].as_str().unwrap(), pubout);
    }
}

#[test]
fn ec_keys_from_openssl_tokens_are_openssl_s() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (alg, curve) in [("ES256", "P-256"), ("ES384", "P-384"), ("ES512", "P-521")] {
        let key = genpkey(
            dir.path(),
            &format!("{alg}.pem"),
            &[
                "-algorithm",
                "EC",
                "-pkeyopt",
                &format!("ec_paramgen_curve:{curve}"),
            ],
        );
        let pubout = String::from_utf8(openssl(&["pkey", "-in", &key, "-pubout"], None)).unwrap();
        let tokens = [sign(alg, &key, "alice"), sign(alg, &key, "bob")];
        let one = apiward()
            .args(["jwt", "recover-key", "--json", &tokens[0]])
            .output()
            .unwrap();
        assert!(
            one.status.success(),
            "{}",
            String::from_utf8_lossy(&one.stderr)
        );
        let one: Value = serde_json::from_slice(&one.stdout).unwrap();
        let pems: Vec<&str> = one["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["spki_pem"].as_str().unwrap())
            .collect();
        assert!(
            (1..=4).contains(&pems.len()) && pems.contains(&pubout.as_str()),
            "{alg}: {pems:?}"
        );
        let two = apiward()
            .args(["jwt", "recover-key", "--json"])
            .args(&tokens)
            .output()
            .unwrap();
        let two: Value = serde_json::from_slice(&two.stdout).unwrap();
        let c = &two["candidates"];
        assert_eq!(c.as_array().unwrap().len(), 1, "{alg}");
        assert_eq!(c[0]["spki_pem"].as_str().unwrap(), pubout);
        assert_eq!(
            (c[0]["verifies"].as_bool(), c[0]["e"].is_null()),
            (Some(true), true)
        );
    }
}

#[test]
fn tokens_that_share_no_key_or_hide_it_get_a_sentence() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let rsa = |name: &str| {
        genpkey(
            dir.path(),
            name,
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
        )
    };
    let (a, b) = (rsa("a.pem"), rsa("b.pem"));
    let expect = |tokens: &[String], code: i32, says: &str| {
        let out = apiward()
            .args(["jwt", "recover-key"])
            .args(tokens)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{err}");
        assert!(err.contains(says) && err.lines().count() == 1, "{err}");
        assert!(out.stdout.is_empty());
    };
    // Two keys: no common modulus (exit 1).
    expect(
        &[sign("RS256", &a, "x"), sign("RS256", &b, "y")],
        1,
        "different keys",
    );
    expect(
        &[sign("RS256", &a, "x"), sign("RS384", &a, "y")],
        1,
        "different algorithms",
    );
    // One RSA token, or PSS: unusable input (exit 2).
    expect(&[sign("RS256", &a, "x")], 2, "two tokens");
    let pem = std::fs::read_to_string(&a).unwrap();
    let pss: Vec<String> = ["x", "y"]
        .iter()
        .map(|s| {
            apiward::jwt::sign(
                &Default::default(),
                &json!({"sub": s}),
                "PS256",
                &apiward::jwt::SigningKey::Pem(pem.clone()),
            )
            .unwrap()
        })
        .collect();
    expect(&pss, 2, "randomised");
    expect(&["not-a-token".to_string(), "x.y.z".to_string()], 2, "");
}

/// An API on 127.0.0.1 whose `/me` checks tokens with the `jsonwebtoken` crate and publishes
/// its key nowhere. Lenient: an HS* token is checked with the public key's PKCS#1 PEM, final
/// newline trimmed, as the HMAC secret (RS/HS confusion); else RS256 only.
fn key_hiding_api(spki_pem: String, pkcs1_pem: String, lenient: bool) -> String {
    use axum::http::{HeaderMap, StatusCode, header};
    use jsonwebtoken::{Algorithm, DecodingKey, Validation};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/me", listener.local_addr().unwrap());
    let check = move |token: &str| {
        let Ok(head) = jsonwebtoken::decode_header(token) else {
            return false;
        };
        let hmac = matches!(
            head.alg,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
        );
        let (key, alg) = if lenient && hmac {
            (
                DecodingKey::from_secret(pkcs1_pem.trim_end().as_bytes()),
                head.alg,
            )
        } else {
            (
                DecodingKey::from_rsa_pem(spki_pem.as_bytes()).unwrap(),
                Algorithm::RS256,
            )
        };
        let mut v = Validation::new(alg);
        v.validate_exp = false;
        v.set_required_spec_claims::<&str>(&[]);
        jsonwebtoken::decode::<Value>(token, &key, &v).is_ok()
    };
    let me = move |headers: HeaderMap| {
        let ok = headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .is_some_and(&check);
        async move {
            match ok {
                true => (StatusCode::OK, r#"{"user":"alice"}"#),
                false => (StatusCode::UNAUTHORIZED, "invalid token"),
            }
        }
    };
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = axum::Router::new().route("/me", axum::routing::get(me));
            axum::serve(listener, app).await.unwrap();
        });
    });
    url
}

#[test]
fn probe_recover_from_finds_the_encoding_a_key_hiding_server_accepts() {
    if !have_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = genpkey(
        dir.path(),
        "server.pem",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
    );
    let spki = String::from_utf8(openssl(&["pkey", "-in", &key, "-pubout"], None)).unwrap();
    let pkcs1 =
        String::from_utf8(openssl(&["rsa", "-in", &key, "-RSAPublicKey_out"], None)).unwrap();
    let (first, second) = (sign("RS256", &key, "alice"), sign("RS256", &key, "bob"));
    for lenient in [true, false] {
        let url = key_hiding_api(spki.clone(), pkcs1.clone(), lenient);
        let out = apiward()
            .args([
                "jwt",
                "probe",
                "--json",
                "--url",
                &url,
                "--token",
                &first,
                "--recover-from",
                &second,
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let report: Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
        let accepted: Vec<&str> = report["variants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["verdict"] == "accepted")
            .map(|v| v["explanation"].as_str().unwrap())
            .collect();
        // 3 HMAC sizes x 5 encodings of the one recovered key were sent.
        let tried = report["variants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["attack"] == "key-confusion")
            .count();
        assert_eq!(tried, 15, "{err}");
        assert!(err.contains("recovered RSA key"), "{err}");
        if lenient {
            assert_eq!(out.status.code(), Some(1), "{err}");
            // The server takes any HS size, with exactly one encoding of the key.
            assert_eq!(accepted.len(), 3, "{accepted:?}");
            assert!(
                accepted
                    .iter()
                    .all(|a| a.ends_with("as pkcs1-pem-no-newline")),
                "{accepted:?}"
            );
            assert!(
                report["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["id"] == "probe-key-confusion")
            );
        } else {
            assert_eq!(out.status.code(), Some(0), "{err}");
            assert!(accepted.is_empty(), "{accepted:?}");
        }
    }
}
