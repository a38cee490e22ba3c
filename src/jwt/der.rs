//! Just enough DER to pull a public key out of a SubjectPublicKeyInfo or an X.509 certificate,
//! and to write one back. jsonwebtoken guesses at certificates by taking the first bit string
//! it meets; walking the real structure tells us the key type for the alg-confusion check.

/// One TLV: tag, contents, and the rest of the input after it.
pub fn read(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// Reads a TLV that must have tag `want`.
pub fn expect(input: &[u8], want: u8) -> Option<(&[u8], &[u8])> {
    read(input).and_then(|(tag, body, rest)| (tag == want).then_some((body, rest)))
}

pub const SEQUENCE: u8 = 0x30;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OID: u8 = 0x06;

pub const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
pub const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
pub const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
pub const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
pub const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
pub const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// A parsed SubjectPublicKeyInfo: algorithm OID, its parameter OID (EC curve), key bits.
pub struct Spki<'a> {
    pub alg: &'a [u8],
    pub param: Option<&'a [u8]>,
    pub key: &'a [u8],
}

/// Parses a SubjectPublicKeyInfo.
pub fn spki(der: &[u8]) -> Option<Spki<'_>> {
    let (body, _) = expect(der, SEQUENCE)?;
    let (alg_id, rest) = expect(body, SEQUENCE)?;
    let (alg, params) = expect(alg_id, OID)?;
    let param = expect(params, OID).map(|(p, _)| p);
    let (bits, _) = expect(rest, BIT_STRING)?;
    // The first byte of a BIT STRING counts unused bits; keys are whole bytes.
    let (&0, key) = bits.split_first()? else {
        return None;
    };
    Some(Spki { alg, param, key })
}

/// The SubjectPublicKeyInfo inside an X.509 certificate, as DER.
pub fn cert_spki(der: &[u8]) -> Option<&[u8]> {
    let (cert, _) = expect(der, SEQUENCE)?;
    let (tbs, _) = expect(cert, SEQUENCE)?;
    let mut rest = tbs;
    // [0] version is optional; then serial, signature, issuer, validity, subject.
    if rest.first() == Some(&0xa0) {
        rest = read(rest)?.2;
    }
    for _ in 0..5 {
        rest = read(rest)?.2;
    }
    let (tag, _, after) = read(rest)?;
    (tag == SEQUENCE).then(|| &rest[..rest.len() - after.len()])
}

/// The modulus and exponent of a PKCS#1 RSAPublicKey, without leading zero bytes.
pub fn rsa_public(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (body, _) = expect(der, SEQUENCE)?;
    let (n, rest) = expect(body, INTEGER)?;
    let (e, _) = expect(rest, INTEGER)?;
    let strip = |x: &[u8]| {
        let i = x.iter().position(|&b| b != 0).unwrap_or(x.len());
        x[i..].to_vec()
    };
    Some((strip(n), strip(e)))
}

/// Reads a PEM block: its label and DER contents.
pub fn pem(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let after = &text[start + 11..];
    let label_end = after.find("-----")?;
    let label = after[..label_end].to_string();
    let body_start = &after[label_end + 5..];
    let end = body_start.find("-----END ")?;
    let b64: String = body_start[..end]
        .lines()
        .filter(|l| !l.contains(':'))
        .flat_map(|l| l.trim().chars())
        .collect();
    super::b64::decode_any(&b64).map(|der| (label, der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        assert_eq!(
            read(&[0x02, 0x01, 0x05, 0xff]),
            Some((2, &[5u8][..], &[0xffu8][..]))
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert_eq!(read(&long).unwrap().1.len(), 128);
        assert_eq!(read(&[0x04, 0x05, 1]), None);
        assert_eq!(read(&[0x04, 0x80]), None);
    }
}
