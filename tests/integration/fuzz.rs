//! Hostile input, end to end and as property tests: the regressions each found panic left
//! behind, then one proptest target per parser, fed arbitrary bytes and mutated valid input.
//! Each target runs a few hundred cases in a normal `cargo test`; `APIWARD_FUZZ_SECS=N` runs
//! each for N seconds with fresh seeds (docs/reliability.md, "Fuzzing").

use std::path::Path;
use std::process::Output;

use serde_json::json;

use crate::cli_basics::apiward;

fn run(home: &Path, args: &[&str]) -> Output {
    apiward(home).args(args).output().unwrap()
}

/// Bad input is exit 2 with one sentence on stderr, never a panic (exit 101).
fn assert_refused(out: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
}

#[test]
fn regression_curl_import_of_a_dash_and_a_non_ascii_char() {
    let home = tempfile::tempdir().unwrap();
    let out = run(
        home.path(),
        &["import", "curl", "curl http://127.0.0.1/ -é"],
    );
    // curl knows no -é, so the command is refused in a sentence, as curl refuses it.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("-é is not an option curl knows"),
        "{stderr}"
    );
}

#[test]
fn regression_jwt_verify_with_a_short_ed25519_jwk() {
    let home = tempfile::tempdir().unwrap();
    let jwk = home.path().join("ed.jwk");
    let jwks = home.path().join("ed.jwks");
    let key = json!({"kty": "OKP", "crv": "Ed25519", "x": "AQID"});
    std::fs::write(&jwk, key.to_string()).unwrap();
    std::fs::write(&jwks, json!({ "keys": [key] }).to_string()).unwrap();
    let token = format!("eyJhbGciOiJFZERTQSJ9.e30.{}", "A".repeat(86));
    for flag in ["--jwk", "--jwks"] {
        let path = if flag == "--jwk" { &jwk } else { &jwks };
        let out = run(
            home.path(),
            &["jwt", "verify", flag, path.to_str().unwrap(), &token],
        );
        assert_refused(&out, "must be 32 bytes for Ed25519, not 3");
    }
}

#[test]
fn regression_a_method_too_long_is_refused_and_old_history_still_lists() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let ws_arg = ws.to_str().unwrap();
    let long = "A".repeat(70_000);
    // Refused before anything is sent; nothing answers on port 9 anyway.
    let out = run(
        home.path(),
        &["--workspace", ws_arg, "send", &long, "http://127.0.0.1:9/"],
    );
    assert_refused(&out, "70000 characters long");

    // A history written before the limit still lists: its width once overflowed `format!`.
    std::fs::create_dir_all(&ws).unwrap();
    let entry = json!({
        "at": 1_700_000_000,
        "request": {"name": "", "method": long, "url": "http://127.0.0.1:9/", "query": [],
            "headers": [], "auth": {"type": "none"}, "body": {"type": "none"},
            "options": {"timeout_ms": 30000, "follow_redirects": false, "max_redirects": 10,
                "verify_tls": true, "ca_file": null, "client_cert": null, "client_key": null,
                "http_version": "auto", "proxy": null, "max_body": 67_108_864}},
        "method": long, "url": "http://127.0.0.1:9/", "status": 200, "error": null,
        "total_ms": 1.0, "size": 0, "truncated": false
    });
    std::fs::write(ws.join("history.jsonl"), format!("{entry}\n")).unwrap();
    for args in [vec!["history", "list"], vec!["history", "search", "AAA"]] {
        let out = run(home.path(), &[&["--workspace", ws_arg][..], &args].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("AAAA"));
    }
}

// ---- The fuzz targets -------------------------------------------------------------------

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Cases per target in a normal `cargo test`: a few seconds for all of them in a debug build.
const QUICK_CASES: u32 = 256;

/// Runs `check` on values of `strategy`: [`QUICK_CASES`] of them, or, with
/// `APIWARD_FUZZ_SECS=N`, rounds of fresh random seeds until N seconds have passed. A panic
/// in `check` fails the target with the smallest input proptest shrinks it to.
fn fuzz<S: Strategy>(name: &str, strategy: S, check: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let secs = std::env::var("APIWARD_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok());
    let deadline = secs.map(|s| Instant::now() + Duration::from_secs(s));
    let (started, mut cases) = (Instant::now(), 0u64);
    loop {
        let per_round = if deadline.is_some() {
            2_000
        } else {
            QUICK_CASES
        };
        let mut runner = TestRunner::new(Config {
            cases: per_round,
            failure_persistence: None,
            ..Config::default()
        });
        let outcome = runner.run(&strategy, |value| {
            check(value);
            Ok::<(), TestCaseError>(())
        });
        if let Err(e) = outcome {
            panic!("fuzz target {name} failed: {e}");
        }
        cases += u64::from(per_round);
        if deadline.is_none_or(|d| Instant::now() >= d) {
            break;
        }
    }
    if secs.is_some() {
        eprintln!(
            "fuzz {name}: {cases} cases in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    }
}

/// `text` with a few random edits: characters inserted, removed or replaced at random places.
fn mutated(text: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<char>()), 0..6).prop_map(
        move |edits| {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, op, c) in edits {
                let i = at.index(chars.len() + 1);
                match op {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ if i < chars.len() => chars[i] = c,
                    _ => chars.push(c),
                }
            }
            chars.into_iter().collect()
        },
    )
}

/// Arbitrary text, text from a hostile alphabet, or `valid` with a few edits.
fn near(valid: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-.=:;,/@ \"'{}\\[\\]a-zA-Z0-9_é\u{0}\n\r\t]{0,80}",
        mutated(valid),
    ]
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

const TOKEN: &str = crate::tui_shell::WEAK_TOKEN;

#[test]
fn fuzz_jwt_decode_and_lint() {
    // Tokens whose segments are base64 of arbitrary bytes reach the JSON and claims code.
    let segments = (
        prop_oneof![
            any::<Vec<u8>>(),
            "\\{\"alg\":\"[A-Za-z0-9]{0,6}\"[^}]{0,40}\\}".prop_map(String::into_bytes)
        ],
        prop_oneof![
            any::<Vec<u8>>(),
            "\\{\"(exp|nbf|iat|sub|aud|jti)\":[-0-9e.\"\\[\\]a-z,]{0,30}\\}"
                .prop_map(String::into_bytes)
        ],
        any::<Vec<u8>>(),
    )
        .prop_map(|(h, p, s)| format!("{}.{}.{}", b64(&h), b64(&p), b64(&s)));
    let strategy = prop_oneof![near(TOKEN), segments];
    fuzz("jwt", strategy, |text| {
        let Ok(decoded) = apiward::jwt::decode(&text) else {
            return;
        };
        let opts = apiward::jwt::LintOptions {
            now: 1_700_000_000,
            max_lifetime: 86_400,
            known_secret: Some(b"k".to_vec()),
        };
        apiward::jwt::lint(&decoded, &opts);
        if let Some(claims) = decoded.claims() {
            apiward::jwt::describe_claims(claims, i64::MAX);
            apiward::jwt::describe_claims(claims, i64::MIN);
        }
        let key = apiward::jwt::KeyMaterial::Secret(b"k".to_vec());
        let _ = apiward::jwt::verify(&decoded, &key, &apiward::jwt::VerifyOptions::new(0));
        let _ = apiward::jwt::crack::CrackTarget::from_decoded(&decoded);
    });
}

const JWK: &str =
    r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
const PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";

#[test]
fn fuzz_keys_jwk_jwks_pem_der() {
    use apiward::jwt::KeyMaterial;
    // JWKs of every type with members of arbitrary length, and PEM blocks around arbitrary DER.
    let jwk = (
        prop::sample::select(vec![
            ("oct", ""),
            ("RSA", ""),
            ("EC", "P-256"),
            ("EC", "P-384"),
            ("EC", "P-521"),
            ("OKP", "Ed25519"),
            ("OKP", "X25519"),
        ]),
        prop::collection::vec(any::<u8>(), 0..140),
        prop::collection::vec(any::<u8>(), 0..140),
    )
        .prop_map(|((kty, crv), a, b)| {
            serde_json::json!({"kty": kty, "crv": crv, "k": b64(&a), "n": b64(&a), "e": b64(&b),
                "x": b64(&a), "y": b64(&b)})
            .to_string()
        });
    let der = (
        prop::sample::select(vec!["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"]),
        prop_oneof![
            any::<Vec<u8>>(),
            // A SubjectPublicKeyInfo shape with arbitrary insides.
            any::<Vec<u8>>().prop_map(|k| [&[0x30, 0x82, 0x01, 0x00, 0x30][..], &k].concat()),
        ],
    )
        .prop_map(|(label, der)| {
            use base64::Engine;
            let body = base64::engine::general_purpose::STANDARD.encode(der);
            format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
        });
    let strategy = prop_oneof![near(JWK), near(PEM), jwk, der];
    let token = apiward::jwt::decode(TOKEN).unwrap();
    fuzz("keys", strategy, |text| {
        let jwks = format!("{{\"keys\":[{text}]}}");
        let _ = apiward::jwt::select_from_jwks(&jwks, None, Some("EdDSA"));
        let Ok(key) = KeyMaterial::parse(&text) else {
            return;
        };
        key.describe();
        for alg in [
            "HS256", "RS256", "PS256", "ES256", "ES384", "ES512", "EdDSA",
        ] {
            if key.check_alg(alg).is_ok() {
                let mut token = token.clone();
                token.alg = Some(alg.into());
                let _ = apiward::jwt::verify(&token, &key, &apiward::jwt::VerifyOptions::new(0));
            }
        }
    });
}

const CURL: &str = "curl -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' -u a:b -m 2.5 --max-redirs 3 -F f=@x.png -sSLk http://h/x";

#[test]
fn fuzz_curl_import() {
    let words = prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                "-X",
                "-H",
                "-d",
                "-u",
                "-b",
                "-F",
                "-m",
                "-G",
                "-I",
                "--json",
                "--url",
                "--data-urlencode",
                "--max-redirs",
                "-sSLk",
                "-XPOST",
                "-é",
                "--x=y",
                "\\\n",
            ])
            .prop_map(String::from),
            "[-a-zé@=:;./ ]{0,12}",
        ],
        0..10,
    )
    .prop_map(|w| format!("curl {}", w.join(" ")));
    fuzz("curl", prop_oneof![near(CURL), words], |text| {
        let _ = apiward::http::import_curl(&text);
    });
}

const DOTFILE: &str = "@base = http://127.0.0.1:9\n\n### get user\n# @name get-user\nGET {{base}}/users/{{id}}?q=1\nAuthorization: Bearer {{token}}\nContent-Type: application/json\n\n{\"a\": \"{{$uuid}}\"}\n\n###\nPOST {{base}}/form\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name=\"f\"\n\nv\n--b--\n";

#[test]
fn fuzz_dotfile_and_variables() {
    use apiward::http::{Redactor, Vars};
    let mut vars = Vars::new();
    vars.set("base", "http://127.0.0.1:9", false);
    vars.set("token", "{{base}}/{{token}}", true);
    vars.set("id", "{{$randomInt}}", false);
    fuzz("dotfile", near(DOTFILE), |text| {
        if let Ok(file) = apiward::http::dotfile::parse(&text) {
            // What parses writes back out and parses again.
            let _ = apiward::http::dotfile::parse(&apiward::http::dotfile::write(&file));
        }
        apiward::http::dotfile::blocks(&text);
        let _ = vars.resolve(&text, &mut Redactor::default());
    });
}

#[test]
fn fuzz_httpie_items() {
    use apiward::cli::send::items;
    let item = prop_oneof![
        near("name=Ada"),
        near("count:=[1, {\"a\": null}]"),
        near("X-Token:abc"),
        near("q==rust"),
        near("@body.json"),
    ];
    fuzz("items", prop::collection::vec(item, 0..5), |texts| {
        let parsed: Vec<_> = texts.iter().filter_map(|t| items::parse(t).ok()).collect();
        let mut req = apiward::http::Request::new("GET", "http://h/");
        let _ = items::apply(&mut req, &parsed);
    });
}

#[test]
fn fuzz_security_headers() {
    use apiward::audit::{cookies, cors, csp, headers};
    use http::{HeaderMap, HeaderName, HeaderValue};
    let value = prop_oneof![
        near(
            "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic' https:; frame-ancestors 'none'"
        ),
        near(
            "sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600; Domain=.example.com"
        ),
        near("max-age=63072000; includeSubDomains; preload"),
        near("strict-origin-when-cross-origin, no-referrer"),
        near("https://evil.example"),
    ];
    let names = [
        "content-security-policy",
        "set-cookie",
        "strict-transport-security",
        "referrer-policy",
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "x-frame-options",
        "content-type",
    ];
    fuzz("headers", prop::collection::vec(value, 1..4), |values| {
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let _ = csp::parse_all(&refs);
        cookies::check_cookies(&refs);
        cookies::score_cookies(&refs, true);
        for v in &refs {
            csp::parse(v);
            cookies::Cookie::parse(v);
            headers::hsts_max_age(v);
            headers::hsts_result(Some(v));
        }
        let mut map = HeaderMap::new();
        for (name, v) in names
            .iter()
            .cycle()
            .zip(values.iter().cycle())
            .take(names.len() * 2)
        {
            if let Ok(v) = HeaderValue::from_bytes(v.as_bytes()) {
                map.append(HeaderName::from_static(name), v);
            }
        }
        headers::check_headers(&map, true);
        headers::score_headers(&map, true);
        headers::check_api_headers(&map);
        for kind in [
            cors::ProbeKind::Foreign,
            cors::ProbeKind::Null,
            cors::ProbeKind::Prefix,
        ] {
            cors::check_cors_response(kind, "https://evil.example", &map);
            let probe = cors::CorsProbe::from_response(kind, "https://evil.example", 200, &map);
            cors::findings(std::slice::from_ref(&probe), true);
            cors::score(&[probe]);
        }
    });
}

#[test]
fn fuzz_config_and_themes() {
    use apiward::tui::theme::Theme;
    let dir = tempfile::tempdir().unwrap();
    let config = near("theme = \"light\"\n\n[keys]\nquit = [\"q\", \"ctrl-c\"]\nhelp = \"?\"\n");
    let theme = near(
        "inherits = \"default\"\n\n[colors]\naccent = \"#ff8800\"\nerror = \"red\"\nmuted = 244\n",
    );
    fuzz("config", (config, theme), |(config, theme)| {
        let _ = apiward::config::Config::parse(&dir.path().join("config.toml"), &config);
        std::fs::write(dir.path().join("fuzzed.toml"), &theme).unwrap();
        let _ = Theme::load("fuzzed", Some(dir.path()));
    });
}

/// Age ciphertext of `plain` under a passphrase, at scrypt work factor 2^2 so a case costs
/// microseconds; `decrypt` accepts any work factor up to its limit.
fn age_encrypt(plain: &[u8], passphrase: &str) -> Vec<u8> {
    let mut recipient = age::scrypt::Recipient::new(passphrase.to_string().into());
    recipient.set_work_factor(2);
    age::encrypt(&recipient, plain).unwrap()
}

#[test]
fn fuzz_keyring_decrypt() {
    use apiward::keys::{Keyring, Policy};
    let pass: age::secrecy::SecretString = "pw".to_string().into();
    let path = Path::new("keyring.age");
    let plain = serde_json::to_string(&Keyring::new(Policy::default())).unwrap();
    let plain: &'static str = Box::leak(plain.into_boxed_str());
    let valid: &'static str = Box::leak(
        String::from_utf8_lossy(&age_encrypt(plain.as_bytes(), "pw"))
            .into_owned()
            .into_boxed_str(),
    );
    let strategy = prop_oneof![
        any::<Vec<u8>>(),
        // The file's text, edited: the header, the MAC or the payload damaged.
        mutated(valid).prop_map(String::into_bytes),
        // A sound file around arbitrary or damaged plain text: the keyring parser's turn.
        prop_oneof![any::<String>(), mutated(plain)].prop_map(|p| age_encrypt(p.as_bytes(), "pw")),
    ];
    fuzz("keyring", strategy, |bytes| {
        let _ = apiward::keys::store::decrypt(&bytes, &pass, path);
    });
}

#[test]
fn regression_tui_verify_with_a_short_ed25519_jwk() {
    use crossterm::event::KeyCode;
    // `v` with this key once killed the workbench inside jsonwebtoken.
    let mut app = crate::tui_shell::app();
    crate::tui_shell::press(&mut app, KeyCode::Char('2'));
    let token = format!("eyJhbGciOiJFZERTQSJ9.e30.{}", "A".repeat(86));
    app.update(apiward::tui::app::Msg::Paste(token));
    crate::tui_shell::press(&mut app, KeyCode::Char('v'));
    for c in r#"{"kty":"OKP","crv":"Ed25519","x":"AQID"}"#.chars() {
        crate::tui_shell::press(&mut app, KeyCode::Char(c));
    }
    crate::tui_shell::press(&mut app, KeyCode::Enter);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("must be 32 bytes"), "{screen}");
}
