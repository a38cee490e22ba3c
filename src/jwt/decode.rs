//! Decoding compact tokens without verifying them, and without refusing strange ones.
//!
//! An inspector must show exactly what an attacker could send: `alg: none` in any case,
//! unknown or missing algorithms, duplicate keys, odd base64 and non-JSON payloads are all
//! decoded and flagged, never rejected. Only input that cannot be a token at all is an error,
//! and the error names the segment and the reason.

use serde::Serialize;
use serde_json::{Map, Value};

use super::b64;
use super::json::parse_with_duplicates;
use super::{JwtError, Result};

/// What kind of compact token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// A signed token (three segments).
    Jws,
    /// An encrypted token (five segments); only its protected header is readable.
    Jwe,
    /// A JWS with `alg: none` (in any letter case): no signature protects it.
    Unsecured,
}

/// Which JSON segment a duplicate key was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    Header,
    Payload,
}

/// How the payload was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PayloadFormat {
    /// JSON (usually a claims object).
    Json,
    /// Not JSON but UTF-8 text, kept as a JSON string (JWS may sign any bytes, RFC 7515).
    Text,
    /// Not text either: kept as a JSON string of base64url.
    Binary,
    /// A JWE: the payload is encrypted.
    Encrypted,
}

/// A decoded token. Nothing in it has been verified.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decoded {
    pub kind: TokenKind,
    pub header: Map<String, Value>,
    /// The payload; `None` for a JWE. See `payload_format` for how to read it.
    pub payload: Option<Value>,
    pub payload_format: PayloadFormat,
    /// The signature bytes (serialised as hex).
    #[serde(serialize_with = "as_hex")]
    pub signature: Vec<u8>,
    /// The signature segment as it appeared in the token.
    pub signature_b64: String,
    /// `header_b64.payload_b64`, exactly as in the token: the bytes the signature covers.
    /// Empty for a JWE.
    pub signing_input: String,
    /// The `alg` header when it is a string.
    pub alg: Option<String>,
    pub duplicate_keys: Vec<(Segment, String)>,
    /// 1-based numbers of segments whose base64url was not the canonical spelling.
    pub noncanonical_segments: Vec<usize>,
    /// The token after stripping `Bearer `, quotes and whitespace.
    pub raw: String,
}

impl Decoded {
    /// The payload as a claims object, when it is one.
    pub fn claims(&self) -> Option<&Map<String, Value>> {
        self.payload.as_ref().and_then(Value::as_object)
    }

    /// The header segment as it appeared in the token.
    pub fn header_b64(&self) -> &str {
        self.raw.split('.').next().unwrap_or("")
    }

    /// The payload segment as it appeared in the token.
    pub fn payload_b64(&self) -> &str {
        self.raw.split('.').nth(1).unwrap_or("")
    }

    /// A string header parameter.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }
}

/// Strips what people paste around a token: whitespace, quotes and an `Authorization` prefix.
pub fn clean(input: &str) -> &str {
    let mut t = input.trim();
    loop {
        let before = t;
        t = t.trim_matches(|c: char| c == '"' || c == '\'' || c == '`' || c.is_whitespace());
        for prefix in ["Authorization:", "Bearer ", "bearer ", "BEARER "] {
            if t.get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
            {
                t = &t[prefix.len()..];
            }
        }
        if t == before {
            return t;
        }
    }
}

/// Decodes a compact JWS or JWE without verifying it.
pub fn decode(input: &str) -> Result<Decoded> {
    let raw = clean(input);
    if raw.is_empty() {
        return Err(JwtError::Empty);
    }
    let parts: Vec<&str> = raw.split('.').collect();
    if parts.len() != 3 && parts.len() != 5 {
        return Err(JwtError::SegmentCount(parts.len()));
    }
    let mut noncanonical = Vec::new();
    let mut segments = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let seg = b64::decode_lenient(part).map_err(|why| JwtError::Base64 {
            segment: i + 1,
            why,
        })?;
        if !seg.canonical {
            noncanonical.push(i + 1);
        }
        segments.push(seg.bytes);
    }

    let mut duplicate_keys = Vec::new();
    let (header_value, dups) =
        parse_with_duplicates(&segments[0]).map_err(|e| JwtError::NotJsonObject {
            segment: 1,
            why: e.to_string(),
        })?;
    let Value::Object(header) = header_value else {
        return Err(JwtError::NotJsonObject {
            segment: 1,
            why: format!("it is JSON {}", json_type(&header_value)),
        });
    };
    duplicate_keys.extend(dups.into_iter().map(|k| (Segment::Header, k)));
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .map(str::to_string);

    if parts.len() == 5 {
        return Ok(Decoded {
            kind: TokenKind::Jwe,
            header,
            payload: None,
            payload_format: PayloadFormat::Encrypted,
            signature: Vec::new(),
            signature_b64: String::new(),
            signing_input: String::new(),
            alg,
            duplicate_keys,
            noncanonical_segments: noncanonical,
            raw: raw.to_string(),
        });
    }

    let (payload, payload_format) = match parse_with_duplicates(&segments[1]) {
        Ok((value, dups)) => {
            duplicate_keys.extend(dups.into_iter().map(|k| (Segment::Payload, k)));
            (value, PayloadFormat::Json)
        }
        Err(_) => match String::from_utf8(segments[1].clone()) {
            Ok(text) => (Value::String(text), PayloadFormat::Text),
            Err(_) => (
                Value::String(b64::encode(&segments[1])),
                PayloadFormat::Binary,
            ),
        },
    };
    let kind = match &alg {
        Some(a) if a.eq_ignore_ascii_case("none") => TokenKind::Unsecured,
        _ => TokenKind::Jws,
    };
    Ok(Decoded {
        kind,
        header,
        payload: Some(payload),
        payload_format,
        signature: segments.pop().unwrap_or_default(),
        signature_b64: parts[2].to_string(),
        signing_input: format!("{}.{}", parts[0], parts[1]),
        alg,
        duplicate_keys,
        noncanonical_segments: noncanonical,
        raw: raw.to_string(),
    })
}

fn as_hex<S: serde::Serializer>(bytes: &[u8], s: S) -> std::result::Result<S::Ok, S::Error> {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    s.serialize_str(&out)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
#[path = "decode_tests.rs"]
pub(crate) mod tests;
