//! Tests of `decode`: odd but readable tokens are decoded and flagged, garbage gets a reason.

use super::*;
use crate::jwt::b64::encode;

fn token(header: &str, payload: &str, sig: &[u8]) -> String {
    format!("{}.{}.{}", encode(header), encode(payload), encode(sig))
}

/// RFC 7515 Appendix A.1.
pub(crate) const RFC7515_A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

#[test]
fn decodes_the_rfc7515_example() {
    let d = decode(RFC7515_A1).unwrap();
    assert_eq!(d.kind, TokenKind::Jws);
    assert_eq!(d.alg.as_deref(), Some("HS256"));
    assert_eq!(d.header["typ"], "JWT");
    assert_eq!(d.claims().unwrap()["iss"], "joe");
    assert_eq!(d.signature.len(), 32);
    assert!(d.noncanonical_segments.is_empty());
    assert!(d.duplicate_keys.is_empty());
    assert_eq!(d.signing_input, RFC7515_A1.rsplit_once('.').unwrap().0);
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["kind"], "jws");
    assert!(json["signature"].as_str().unwrap().starts_with("7418df"));
}

#[test]
fn strips_bearer_quotes_and_whitespace() {
    let t = token(r#"{"alg":"HS256"}"#, "{}", b"sig");
    for wrapped in [
        format!("Bearer {t}"),
        format!("  \"{t}\"\n"),
        format!("'Bearer {t}'"),
        format!("Authorization: Bearer {t}"),
    ] {
        let d = decode(&wrapped).unwrap();
        assert_eq!(d.raw, t, "{wrapped}");
    }
}

#[test]
fn alg_none_in_any_case_is_unsecured() {
    for alg in ["none", "None", "NONE", "nOnE"] {
        let d = decode(&token(&format!(r#"{{"alg":"{alg}"}}"#), "{}", b"")).unwrap();
        assert_eq!(d.kind, TokenKind::Unsecured, "{alg}");
        assert!(d.signature.is_empty());
    }
}

#[test]
fn unknown_missing_and_non_string_algs_decode() {
    let d = decode(&token(r#"{"alg":"ML-DSA-65"}"#, "{}", b"x")).unwrap();
    assert_eq!(d.alg.as_deref(), Some("ML-DSA-65"));
    let d = decode(&token(r#"{"typ":"JWT"}"#, "{}", b"x")).unwrap();
    assert_eq!(d.alg, None);
    assert_eq!(d.kind, TokenKind::Jws);
    let d = decode(&token(r#"{"alg":256}"#, "{}", b"x")).unwrap();
    assert_eq!(d.alg, None);
    assert_eq!(d.header["alg"], 256);
}

#[test]
fn duplicate_keys_are_reported_per_segment() {
    let d = decode(&token(
        r#"{"alg":"HS256","alg":"none"}"#,
        r#"{"sub":"a","role":"user","role":"admin"}"#,
        b"x",
    ))
    .unwrap();
    assert_eq!(d.alg.as_deref(), Some("none"));
    assert_eq!(
        d.duplicate_keys,
        [
            (Segment::Header, "alg".to_string()),
            (Segment::Payload, "role".to_string())
        ]
    );
}

#[test]
fn noncanonical_base64_is_accepted_and_flagged() {
    let t = token(r#"{"alg":"HS256"}"#, r#"{"a":"b"}"#, &[0xfb, 0xff, 0xfe]);
    let (h, rest) = t.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let padded = format!("{h}.{p}=.{}", s.replace('-', "+").replace('_', "/"));
    let d = decode(&padded).unwrap();
    assert_eq!(d.claims().unwrap()["a"], "b");
    assert_eq!(d.noncanonical_segments, [2, 3]);
    assert_eq!(d.signature, [0xfb, 0xff, 0xfe]);
}

#[test]
fn non_json_payload_is_kept_as_text() {
    let d = decode(&token(
        r#"{"alg":"EdDSA"}"#,
        "Example of Ed25519 signing",
        b"x",
    ))
    .unwrap();
    assert_eq!(d.payload_format, PayloadFormat::Text);
    assert_eq!(
        d.payload,
        Some(Value::String("Example of Ed25519 signing".into()))
    );
    assert!(d.claims().is_none());
    let bin = format!("{}.{}.", encode(r#"{"alg":"HS256"}"#), encode([0xff, 0x00]));
    assert_eq!(decode(&bin).unwrap().payload_format, PayloadFormat::Binary);
}

#[test]
fn five_segments_is_a_jwe_with_its_protected_header() {
    let t = format!(
        "{}..{}.{}.{}",
        encode(r#"{"alg":"dir","enc":"A256GCM"}"#),
        encode("iv"),
        encode("ciphertext"),
        encode("tag")
    );
    let d = decode(&t).unwrap();
    assert_eq!(d.kind, TokenKind::Jwe);
    assert_eq!(d.header["enc"], "A256GCM");
    assert_eq!(d.payload, None);
}

#[test]
fn garbage_names_the_segment_and_the_reason() {
    let msg = |t: &str| decode(t).unwrap_err().to_string();
    assert_eq!(
        msg("abc.def"),
        "a token has 3 segments (JWS) or 5 (JWE), this has 2"
    );
    assert_eq!(msg("   "), "the token is empty");
    let m = msg(&format!("{}.a$b.c", encode("{}")));
    assert!(m.starts_with("segment 2 is not valid base64url"), "{m}");
    let m = msg(&format!("{}.e30.", encode("[1]")));
    assert!(m.starts_with("segment 1 is not a JSON object"), "{m}");
    let m = msg(&format!("{}.e30.", encode("not json")));
    assert!(m.starts_with("segment 1 is not a JSON object"), "{m}");
}

/// A tiny xorshift generator: deterministic, no crate needed.
pub(crate) struct XorShift(pub u64);

impl XorShift {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn decode_and_lint_never_panic_on_arbitrary_input() {
    let seeds = [
        RFC7515_A1.to_string(),
        token(
            r#"{"alg":"none","kid":"../x","jku":"http://a"}"#,
            r#"{"exp":1e400}"#,
            b"",
        ),
        token(
            r#"{"alg":"ES256"}"#,
            r#"{"exp":-9223372036854775808,"iat":"x"}"#,
            &[0; 64],
        ),
        token(
            r#"{"alg":"HS256","crit":["b64"]}"#,
            r#"{"aud":[1,{"a":[]}]}"#,
            b"s",
        ),
        format!(
            "{}..a.b.c",
            encode(r#"{"alg":"RSA-OAEP","enc":"A128GCM","zip":"DEF"}"#)
        ),
    ];
    let alphabet = b"eyJhbGciOiJIUzI1NiJ9.-_=+/ \"{}:,[]0123456789abcdefnoptruxAZ\\\x00\xff";
    let opts = crate::jwt::LintOptions {
        now: 1_700_000_000,
        ..Default::default()
    };
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for i in 0..200_000u32 {
        let text = if i % 2 == 0 {
            // Mutate a real token: flip, insert or delete a few characters.
            let mut bytes = seeds[(rng.next() % seeds.len() as u64) as usize]
                .clone()
                .into_bytes();
            for _ in 0..1 + rng.next() % 4 {
                let pos = (rng.next() as usize) % (bytes.len() + 1);
                let c = alphabet[(rng.next() as usize) % alphabet.len()];
                match rng.next() % 3 {
                    0 if pos < bytes.len() => bytes[pos] = c,
                    1 if pos < bytes.len() => {
                        bytes.remove(pos);
                    }
                    _ => bytes.insert(pos, c),
                }
            }
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            // Build a token from random JSON-ish segments.
            let mut seg = || {
                let len = rng.next() % 24;
                let s: Vec<u8> = (0..len)
                    .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
                    .collect();
                encode(s)
            };
            format!("{}.{}.{}", seg(), seg(), seg())
        };
        if let Ok(d) = decode(&text) {
            // Lint runs the built-in dictionary on HMAC tokens, so sample it to stay quick.
            if i % 16 == 0 {
                let _ = crate::jwt::lint(&d, &opts);
            }
        }
    }
}
