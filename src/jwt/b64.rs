//! Base64url for tokens: strict encoding, and a lenient decoder that says what was odd.
//!
//! Real-world tokens are sometimes padded, use the standard alphabet, or carry non-zero
//! trailing bits. A security tool must still read them, and report the oddity, because two
//! spellings of one segment can defeat signature caches, deny-lists and replay checks.

use base64::Engine;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, general_purpose};

/// Decodes lenient base64url but still rejects anything that is not base64 at all.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Canonical base64url without padding, as JWS requires (RFC 7515 §2).
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The result of a lenient decode: the bytes and whether the text was the canonical spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lenient {
    pub bytes: Vec<u8>,
    pub canonical: bool,
}

/// Decodes base64url leniently: `=` padding, the standard alphabet (`+/`) and non-zero
/// trailing bits are accepted and reported as non-canonical. The error says why it failed.
pub fn decode_lenient(text: &str) -> Result<Lenient, String> {
    let unpadded = text.trim_end_matches('=');
    let mapped: String = unpadded
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    if let Some(bad) = mapped
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!("it contains the character {bad:?}"));
    }
    if mapped.len() % 4 == 1 {
        return Err(format!(
            "its length ({}) cannot be base64 (one character too many)",
            unpadded.len()
        ));
    }
    let bytes = LENIENT.decode(&mapped).map_err(|e| e.to_string())?;
    let canonical = encode(&bytes) == text;
    Ok(Lenient { bytes, canonical })
}

/// Decodes a secret written in base64 of either alphabet, padded or not.
pub fn decode_any(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    [
        general_purpose::STANDARD,
        general_purpose::STANDARD_NO_PAD,
        general_purpose::URL_SAFE,
        general_purpose::URL_SAFE_NO_PAD,
    ]
    .iter()
    .find_map(|engine| engine.decode(t).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_round_trip() {
        let l = decode_lenient("aGVsbG8").unwrap();
        assert_eq!(l.bytes, b"hello");
        assert!(l.canonical);
    }

    #[test]
    fn padding_alphabet_and_trailing_bits_are_flagged() {
        for odd in ["aGVsbG8=", "aGVsbG9", "-_9", "+/8"] {
            let l = decode_lenient(odd).unwrap_or_else(|e| panic!("{odd}: {e}"));
            assert!(!l.canonical, "{odd}");
        }
    }

    #[test]
    fn garbage_is_rejected_with_a_reason() {
        assert!(decode_lenient("ab$c").unwrap_err().contains("'$'"));
        assert!(decode_lenient("abcde").unwrap_err().contains("length"));
    }

    #[test]
    fn decode_any_accepts_both_alphabets() {
        assert_eq!(decode_any("+/8=").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode_any("-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(decode_any("not base64!").is_none());
    }
}
