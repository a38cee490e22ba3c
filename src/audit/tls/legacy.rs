//! TLS 1.0 and 1.1 probes with a hand-built ClientHello: rustls cannot speak them, and
//! apiward links no OpenSSL. One connection per version: send the hello, read one record,
//! and a ServerHello of the offered version means accepted; an alert or a close means refused.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::ProtocolSupport;

pub const TLS10: u16 = 0x0301;
pub const TLS11: u16 = 0x0302;

/// Legacy suites that TLS 1.0/1.1 servers commonly accept, plus the renegotiation SCSV.
const SUITES: &[u16] = &[
    0xc00a, 0xc009, 0xc014, 0xc013, // ECDHE-ECDSA/RSA with AES-CBC-SHA
    0x0039, 0x0033, // DHE-RSA with AES-CBC-SHA
    0x0035, 0x002f, // RSA with AES-CBC-SHA
    0x000a, 0x0005, // RSA with 3DES and RC4
    0x00ff, // TLS_EMPTY_RENEGOTIATION_INFO_SCSV
];

fn u16be(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u16).to_be_bytes());
}

/// A complete ClientHello record offering `version` (0x0301 or 0x0302). `sni` is sent when
/// the host is a name (never for an IP address).
pub fn client_hello(version: u16, sni: Option<&str>, random: [u8; 32]) -> Vec<u8> {
    let mut ext = Vec::new();
    if let Some(name) = sni {
        let n = name.as_bytes();
        ext.extend_from_slice(&[0x00, 0x00]);
        u16be(&mut ext, n.len() + 5);
        u16be(&mut ext, n.len() + 3);
        ext.push(0); // host_name
        u16be(&mut ext, n.len());
        ext.extend_from_slice(n);
    }
    // supported_groups: x25519, secp256r1, secp384r1 (needed for the ECDHE suites).
    ext.extend_from_slice(&[
        0x00, 0x0a, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18,
    ]);
    // ec_point_formats: uncompressed.
    ext.extend_from_slice(&[0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);

    let mut body = Vec::new();
    body.extend_from_slice(&version.to_be_bytes());
    body.extend_from_slice(&random);
    body.push(0); // no session id
    u16be(&mut body, SUITES.len() * 2);
    for s in SUITES {
        body.extend_from_slice(&s.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]); // compression: null only
    u16be(&mut body, ext.len());
    body.extend_from_slice(&ext);

    let mut hs = vec![0x01];
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);

    let mut record = vec![0x16];
    record.extend_from_slice(&TLS10.to_be_bytes()); // record layer version, as old clients send
    u16be(&mut record, hs.len());
    record.extend_from_slice(&hs);
    record
}

/// What the first record back says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    ServerHello { version: u16 },
    Alert { level: u8, description: u8 },
    Other(String),
}

/// Reads the first record of a server's answer (at least the 5-byte header and 6 body bytes).
pub fn parse_reply(bytes: &[u8]) -> Reply {
    match bytes {
        [21, _, _, _, _, level, description, ..] => Reply::Alert {
            level: *level,
            description: *description,
        },
        [22, _, _, _, _, 2, _, _, _, hi, lo, ..] => Reply::ServerHello {
            version: u16::from_be_bytes([*hi, *lo]),
        },
        [] => Reply::Other("the server closed the connection".into()),
        other => Reply::Other(format!(
            "unexpected reply starting {:02x?}",
            &other[..other.len().min(8)]
        )),
    }
}

pub fn version_name(v: u16) -> String {
    match v {
        0x0300 => "SSL 3.0".into(),
        0x0301 => "TLS 1.0".into(),
        0x0302 => "TLS 1.1".into(),
        0x0303 => "TLS 1.2".into(),
        0x0304 => "TLS 1.3".into(),
        other => format!("0x{other:04x}"),
    }
}

/// Offers `version` to host:port and reports whether the server accepted it.
pub async fn probe(host: &str, port: u16, version: u16, timeout: Duration) -> ProtocolSupport {
    let name = version_name(version);
    let sni = host.parse::<std::net::IpAddr>().is_err().then_some(host);
    let attempt = async {
        let mut stream = TcpStream::connect((host, port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let mut random = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
        stream
            .write_all(&client_hello(version, sni, random))
            .await
            .map_err(|e| format!("write: {e}"))?;
        let mut buf = vec![0u8; 11];
        let mut got = 0;
        while got < buf.len() {
            match stream.read(&mut buf[got..]).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
        buf.truncate(got);
        Ok::<_, String>(parse_reply(&buf))
    };
    match tokio::time::timeout(timeout, attempt).await {
        Err(_) => ProtocolSupport::unknown(&name, "timed out"),
        Ok(Err(e)) => ProtocolSupport::unknown(&name, &e),
        Ok(Ok(Reply::ServerHello { version: got })) if got == version => {
            ProtocolSupport::new(&name, true, "ServerHello")
        }
        Ok(Ok(Reply::ServerHello { version: got })) => ProtocolSupport::new(
            &name,
            false,
            &format!("the server answered with {}", version_name(got)),
        ),
        Ok(Ok(Reply::Alert { description, .. })) => {
            ProtocolSupport::new(&name, false, &format!("alert {description}"))
        }
        Ok(Ok(Reply::Other(why))) => ProtocolSupport::new(&name, false, &why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_hello_lengths_add_up() {
        let hello = client_hello(TLS11, Some("api.example"), [7; 32]);
        assert_eq!(hello[0], 0x16);
        let record_len = u16::from_be_bytes([hello[3], hello[4]]) as usize;
        assert_eq!(record_len, hello.len() - 5);
        assert_eq!(hello[5], 0x01);
        let hs_len = u32::from_be_bytes([0, hello[6], hello[7], hello[8]]) as usize;
        assert_eq!(hs_len, hello.len() - 9);
        assert_eq!(&hello[9..11], &[0x03, 0x02]);
        assert!(hello.windows(11).any(|w| w == b"api.example"));
    }

    #[test]
    fn replies_are_read() {
        assert_eq!(
            parse_reply(&[21, 3, 1, 0, 2, 2, 70]),
            Reply::Alert {
                level: 2,
                description: 70
            }
        );
        assert_eq!(
            parse_reply(&[22, 3, 1, 0, 50, 2, 0, 0, 46, 3, 1]),
            Reply::ServerHello { version: TLS10 }
        );
        assert!(matches!(parse_reply(&[]), Reply::Other(_)));
    }
}
