//! Hand-written because rustls, the one TLS library linked, refuses TLS 1.0/1.1 and weak suites.
//!
//! Hand-built TLS 1.0–1.2 handshakes: rustls speaks neither TLS 1.0/1.1 nor the CBC, RC4,
//! 3DES and anonymous suites a scan must find, and apiward links no OpenSSL. A ClientHello
//! offers a version and a list of suites; the server's first flight (ServerHello, Certificate,
//! ServerKeyExchange, CertificateStatus, up to ServerHelloDone) is in clear text below TLS 1.3,
//! so the chosen suite, the chain, the DH group and a stapled OCSP answer can all be read
//! without finishing the handshake.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::ProtocolSupport;

pub const TLS10: u16 = 0x0301;
pub const TLS11: u16 = 0x0302;
pub const TLS12: u16 = 0x0303;

/// Legacy suites that TLS 1.0/1.1 servers commonly accept: the short offer of [`probe`].
const SUITES: &[u16] = &[
    0xc00a, 0xc009, 0xc014, 0xc013, // ECDHE-ECDSA/RSA with AES-CBC-SHA
    0x0039, 0x0033, // DHE-RSA with AES-CBC-SHA
    0x0035, 0x002f, // RSA with AES-CBC-SHA
    0x000a, 0x0005, // RSA with 3DES and RC4
];

/// TLS_EMPTY_RENEGOTIATION_INFO_SCSV, appended to every offer as old clients do.
const RENEGOTIATION_SCSV: u16 = 0x00ff;

/// The most a server's first flight may take before the reader gives up on it.
const FLIGHT_LIMIT: usize = 256 * 1024;

/// What one ClientHello offers.
#[derive(Debug, Clone)]
pub struct Offer<'a> {
    pub version: u16,
    pub suites: &'a [u16],
    /// Sent when the host is a name (never for an IP address).
    pub sni: Option<&'a str>,
    /// Ask for a stapled OCSP response (status_request).
    pub status_request: bool,
}

fn u16be(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u16).to_be_bytes());
}

/// An extension: type, length, body.
fn extension(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    u16be(out, body.len());
    out.extend_from_slice(body);
}

/// A complete ClientHello record for `offer`.
pub fn hello(offer: &Offer<'_>, random: [u8; 32]) -> Vec<u8> {
    let mut ext = Vec::new();
    if let Some(name) = offer.sni {
        let n = name.as_bytes();
        let mut body = Vec::new();
        u16be(&mut body, n.len() + 3);
        body.push(0); // host_name
        u16be(&mut body, n.len());
        body.extend_from_slice(n);
        extension(&mut ext, 0x0000, &body);
    }
    // supported_groups: x25519, secp256r1, secp384r1, secp521r1 (needed for the ECDHE suites).
    extension(
        &mut ext,
        0x000a,
        &[0x00, 0x08, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19],
    );
    // ec_point_formats: uncompressed.
    extension(&mut ext, 0x000b, &[0x01, 0x00]);
    if offer.version >= TLS12 {
        // signature_algorithms: without it a TLS 1.2 server must assume SHA-1, which
        // OpenSSL 3 refuses at its default security level.
        const SCHEMES: &[u16] = &[
            0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
            0x0303, 0x0203, 0x0201, 0x0402, 0x0202,
        ];
        let mut body = Vec::new();
        u16be(&mut body, SCHEMES.len() * 2);
        for s in SCHEMES {
            body.extend_from_slice(&s.to_be_bytes());
        }
        extension(&mut ext, 0x000d, &body);
    }
    if offer.status_request {
        // status_request: OCSP, no responder ids, no extensions.
        extension(&mut ext, 0x0005, &[0x01, 0x00, 0x00, 0x00, 0x00]);
    }

    let mut body = Vec::new();
    body.extend_from_slice(&offer.version.to_be_bytes());
    body.extend_from_slice(&random);
    body.push(0); // no session id
    u16be(&mut body, (offer.suites.len() + 1) * 2);
    for s in offer.suites.iter().chain([&RENEGOTIATION_SCSV]) {
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

/// A ClientHello offering `version` with the short legacy list (kept for [`probe`]).
pub fn client_hello(version: u16, sni: Option<&str>, random: [u8; 32]) -> Vec<u8> {
    hello(
        &Offer {
            version,
            suites: SUITES,
            sni,
            status_request: false,
        },
        random,
    )
}

/// The server's first flight, as far as it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flight {
    /// The version the ServerHello chose.
    pub version: u16,
    /// The suite the ServerHello chose.
    pub suite: u16,
    /// DER certificates as sent, leaf first.
    pub chain: Vec<Vec<u8>>,
    /// The ServerKeyExchange body, when one came.
    pub key_exchange: Option<Vec<u8>>,
    /// A stapled OCSP response (CertificateStatus).
    pub ocsp: Option<Vec<u8>>,
    /// ServerHelloDone was read: nothing of the flight is missing.
    pub complete: bool,
}

/// What the server answered a ClientHello with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    ServerHello(Flight),
    Alert { level: u8, description: u8 },
    Other(String),
}

/// Reads records until ServerHelloDone, an alert, the end of the stream or
/// [`FLIGHT_LIMIT`]; handshake messages may span records.
pub async fn read_flight<R: tokio::io::AsyncRead + Unpin>(stream: &mut R) -> Reply {
    let mut hs: Vec<u8> = Vec::new();
    let mut flight: Option<Flight> = None;
    let mut total = 0usize;
    let mut first: Option<[u8; 5]> = None;
    loop {
        let mut head = [0u8; 5];
        if stream.read_exact(&mut head).await.is_err() {
            break;
        }
        first.get_or_insert(head);
        let len = u16::from_be_bytes([head[3], head[4]]) as usize;
        total += len + 5;
        // 2^14 plus the expansion TLS allows; more is not TLS.
        if len > 18_432 || total > FLIGHT_LIMIT {
            break;
        }
        let mut body = vec![0u8; len];
        if stream.read_exact(&mut body).await.is_err() {
            break;
        }
        match head[0] {
            21 if flight.is_none() && body.len() >= 2 => {
                return Reply::Alert {
                    level: body[0],
                    description: body[1],
                };
            }
            22 => {
                hs.extend_from_slice(&body);
                let mut at = 0;
                while hs.len() - at >= 4 {
                    let len = u32::from_be_bytes([0, hs[at + 1], hs[at + 2], hs[at + 3]]) as usize;
                    if hs.len() - at - 4 < len {
                        break;
                    }
                    let msg = &hs[at + 4..at + 4 + len];
                    if handshake_message(hs[at], msg, &mut flight) {
                        return flight.map_or_else(
                            || Reply::Other("ServerHelloDone without ServerHello".into()),
                            Reply::ServerHello,
                        );
                    }
                    at += 4 + len;
                }
                hs.drain(..at);
            }
            _ => break,
        }
    }
    match (flight, first) {
        (Some(f), _) => Reply::ServerHello(f),
        (None, None) => Reply::Other("the server closed the connection".into()),
        (None, Some(head)) => Reply::Other(format!("unexpected reply starting {head:02x?}")),
    }
}

/// Takes one handshake message into the flight; true at ServerHelloDone.
fn handshake_message(kind: u8, msg: &[u8], flight: &mut Option<Flight>) -> bool {
    match kind {
        2 => *flight = server_hello(msg),
        11 => {
            if let (Some(f), Ok((_, tls_parser::TlsMessageHandshake::Certificate(c)))) = (
                flight.as_mut(),
                tls_parser::parse_tls_handshake_msg_certificate(msg),
            ) {
                f.chain = c.cert_chain.iter().map(|c| c.data.to_vec()).collect();
            }
        }
        12 => {
            if let Some(f) = flight.as_mut() {
                f.key_exchange = Some(msg.to_vec());
            }
        }
        22 => {
            if let (Some(f), Ok((_, tls_parser::TlsMessageHandshake::CertificateStatus(s)))) = (
                flight.as_mut(),
                tls_parser::parse_tls_handshake_msg_certificatestatus(msg),
            ) && s.status_type == 1
            {
                f.ocsp = Some(s.blob.to_vec());
            }
        }
        14 => {
            if let Some(f) = flight.as_mut() {
                f.complete = true;
            }
            return true;
        }
        _ => {}
    }
    false
}

/// Version and suite from a ServerHello body.
fn server_hello(msg: &[u8]) -> Option<Flight> {
    let sid = *msg.get(34)? as usize;
    let suite = msg.get(35 + sid..37 + sid)?;
    Some(Flight {
        version: u16::from_be_bytes([msg[0], msg[1]]),
        suite: u16::from_be_bytes([suite[0], suite[1]]),
        ..Flight::default()
    })
}

/// The size in bits of the DH prime of a DHE ServerKeyExchange.
pub fn dh_bits(key_exchange: &[u8]) -> Option<usize> {
    let (_, params) = tls_parser::parse_dh_params(key_exchange).ok()?;
    let p = params.dh_p;
    let start = p.iter().position(|b| *b != 0)?;
    Some((p.len() - start) * 8 - p[start].leading_zeros() as usize)
}

/// One ClientHello to host:port and the answer, within `timeout`. Err when no answer could
/// be had at all (refused, timed out).
pub async fn exchange(
    host: &str,
    port: u16,
    offer: &Offer<'_>,
    timeout: Duration,
) -> Result<Reply, String> {
    let attempt = async {
        let mut stream = TcpStream::connect((host, port))
            .await
            .map_err(|e| format!("connect: {e}"))?;
        let mut random = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
        stream
            .write_all(&hello(offer, random))
            .await
            .map_err(|e| format!("write: {e}"))?;
        Ok::<_, String>(read_flight(&mut stream).await)
    };
    tokio::time::timeout(timeout, attempt)
        .await
        .unwrap_or_else(|_| Err("timed out".into()))
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

/// The SNI a hello carries for `host`: names only, never an IP address.
pub fn sni(host: &str) -> Option<&str> {
    host.parse::<std::net::IpAddr>().is_err().then_some(host)
}

/// Offers `version` with a short list of common suites and reports whether the server
/// accepted it: one connection, for a quick check (the scan in `scan` is the thorough one).
pub async fn probe(host: &str, port: u16, version: u16, timeout: Duration) -> ProtocolSupport {
    let name = version_name(version);
    let offer = Offer {
        version,
        suites: SUITES,
        sni: sni(host),
        status_request: false,
    };
    match exchange(host, port, &offer, timeout).await {
        Err(e) => ProtocolSupport::unknown(&name, &e),
        Ok(Reply::ServerHello(f)) if f.version == version => {
            ProtocolSupport::new(&name, true, "ServerHello")
        }
        Ok(Reply::ServerHello(f)) => ProtocolSupport::new(
            &name,
            false,
            &format!("the server answered with {}", version_name(f.version)),
        ),
        Ok(Reply::Alert { description, .. }) => {
            ProtocolSupport::new(&name, false, &format!("alert {description}"))
        }
        Ok(Reply::Other(why)) => ProtocolSupport::new(&name, false, &why),
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
    fn a_hello_parses_back_with_what_it_offered() {
        let offer = Offer {
            version: TLS12,
            suites: &[0xc02f, 0x002f],
            sni: Some("api.example"),
            status_request: true,
        };
        let record = hello(&offer, [1; 32]);
        let (_, parsed) = tls_parser::parse_tls_plaintext(&record).expect("parses");
        let tls_parser::TlsMessage::Handshake(tls_parser::TlsMessageHandshake::ClientHello(ch)) =
            &parsed.msg[0]
        else {
            panic!("not a ClientHello: {parsed:?}");
        };
        assert_eq!(ch.version.0, TLS12);
        let ids: Vec<u16> = ch.ciphers.iter().map(|c| c.0).collect();
        assert_eq!(ids, [0xc02f, 0x002f, 0x00ff]);
        let (_, exts) = tls_parser::parse_tls_client_hello_extensions(ch.ext.unwrap()).unwrap();
        assert!(
            exts.iter()
                .any(|e| matches!(e, tls_parser::TlsExtension::StatusRequest(_)))
        );
        assert!(
            exts.iter()
                .any(|e| matches!(e, tls_parser::TlsExtension::SignatureAlgorithms(_)))
        );
    }

    fn record(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![kind, 3, 3];
        r.extend_from_slice(&(body.len() as u16).to_be_bytes());
        r.extend_from_slice(body);
        r
    }

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![kind];
        m.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend_from_slice(body);
        m
    }

    #[tokio::test]
    async fn a_flight_split_across_records_is_read_whole() {
        let mut sh = vec![3, 3];
        sh.extend_from_slice(&[9; 32]);
        sh.extend_from_slice(&[0, 0x00, 0x33, 0]); // no session id, DHE-RSA-AES128-SHA
        let cert = [0x30, 0x03, 0x02, 0x01, 0x05];
        let mut certs = vec![0, 0, 8, 0, 0, 5];
        certs.extend_from_slice(&cert);
        // A 1024-bit prime (top bit set), generator 2, a public value.
        let mut ske = vec![0x00, 0x80, 0x80];
        ske.extend_from_slice(&[0xff; 127]);
        ske.extend_from_slice(&[0, 1, 2, 0, 1, 7]);
        let mut hs = message(2, &sh);
        hs.extend(message(11, &certs));
        hs.extend(message(12, &ske));
        hs.extend(message(22, &[1, 0, 0, 2, 0xaa, 0xbb]));
        hs.extend(message(14, &[]));
        let (a, b) = hs.split_at(50);
        let mut wire = record(22, a);
        wire.extend(record(22, b));
        let Reply::ServerHello(f) = read_flight(&mut wire.as_slice()).await else {
            panic!("no flight");
        };
        assert_eq!((f.version, f.suite, f.complete), (TLS12, 0x0033, true));
        assert_eq!(f.chain, vec![cert.to_vec()]);
        assert_eq!(f.ocsp.as_deref(), Some(&[0xaa, 0xbb][..]));
        assert_eq!(dh_bits(f.key_exchange.as_deref().unwrap()), Some(1024));
    }

    #[tokio::test]
    async fn alerts_and_silence_are_told_apart() {
        let alert = record(21, &[2, 40]);
        assert_eq!(
            read_flight(&mut alert.as_slice()).await,
            Reply::Alert {
                level: 2,
                description: 40
            }
        );
        assert!(matches!(read_flight(&mut &[][..]).await, Reply::Other(_)));
        assert!(matches!(
            read_flight(&mut &b"HTTP/1.1 400 Bad"[..]).await,
            Reply::Other(_)
        ));
    }
}
