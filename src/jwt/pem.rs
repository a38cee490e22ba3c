//! PEM armour in and out (RFC 7468), through the pem-rfc7468 crate. Reading takes the first
//! block of a text, so a key pasted with a line of prose around it, or a certificate chain,
//! still reads.

use pem_rfc7468::LineEnding;

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";

/// The first PEM block in `text`: its label and DER contents.
pub fn decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find(BEGIN)?;
    let block = &text[start..];
    // The decoder wants the block alone: up to the end of its own "-----END LABEL-----" line.
    let label_end = block[BEGIN.len()..].find("-----")? + BEGIN.len();
    let end_line = format!("{END}{}-----", &block[BEGIN.len()..label_end]);
    let end = block.find(&end_line)? + end_line.len();
    let (label, der) = pem_rfc7468::decode_vec(&block.as_bytes()[..end]).ok()?;
    Some((label.to_string(), der))
}

/// DER wrapped in a PEM block of 64-character lines, with `\n` line ends.
pub fn encode(label: &str, der: &[u8]) -> String {
    // Only a label with characters RFC 7468 forbids fails, and apiward's labels are constants.
    pem_rfc7468::encode_string(label, LineEnding::LF, der)
        .unwrap_or_else(|e| unreachable!("PEM label {label:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_block_among_other_text() {
        let one = encode("PUBLIC KEY", &[1, 2, 3]);
        let two = encode("CERTIFICATE", &[4; 100]);
        assert!(one.starts_with("-----BEGIN PUBLIC KEY-----\nAQID\n"));
        let text = format!("the key:\n{one}{two}trailing words");
        assert_eq!(decode(&text), Some(("PUBLIC KEY".into(), vec![1, 2, 3])));
        // CRLF line ends, as a Windows editor saves them.
        assert_eq!(decode(&two.replace('\n', "\r\n")).unwrap().1, vec![4; 100]);
        assert_eq!(decode("-----BEGIN X-----\n!!\n-----END X-----\n"), None);
        assert_eq!(decode("-----BEGIN X-----\nAQID\n"), None);
        assert_eq!(decode("no block"), None);
    }
}
