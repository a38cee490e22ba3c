//! The cipher-suite scan: which suites the server accepts under each protocol version, the
//! smallest DH group it uses, whether it enforces its own suite order, and the chain and
//! OCSP staple its clear-text TLS 1.2 (or older) handshake carries.
//!
//! TLS 1.0–1.2 are walked with the hand-built ClientHello as testssl.sh and sslyze do: offer
//! every suite, take the one the server chose out, offer the rest again, until the server
//! refuses. The candidates are split in [`GROUPS`] lists walked side by side, so the scan
//! costs (accepted suites + GROUPS) connections per version and its time is the longest walk,
//! not the sum. TLS 1.3 is probed with rustls, one handshake per suite rustls knows.

use std::time::Duration;

use futures_util::future::join_all;
use serde::Serialize;

use super::ciphers::{self, Suite};
use super::legacy::{self, Flight, Offer, Reply};

/// Lists walked at once per version: three versions of four walks each keep a dozen
/// connections in flight, which even a single-threaded `openssl s_server` clears quickly.
const GROUPS: usize = 4;

/// What one protocol version accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionSuites {
    pub version: String,
    /// None when the scan could not tell (a timeout, a refused connection).
    pub accepted: Option<bool>,
    /// Strongest first.
    pub suites: Vec<Suite>,
    /// Why the version counts as refused or unknown; empty when accepted.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// The whole scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CipherScan {
    /// TLS 1.0, 1.1, 1.2, 1.3 in that order.
    pub versions: Vec<VersionSuites>,
    /// The server keeps its own order when the client offers two suites both ways round;
    /// None when fewer than two suites of one version were accepted.
    pub server_preference: Option<bool>,
    /// The smallest DH prime of the DHE suites, in bits.
    pub dh_bits: Option<usize>,
    /// How many connections the scan made.
    pub connections: usize,
    /// How long the scan took, all versions side by side.
    pub elapsed_ms: u64,
    /// The chain a hand-built handshake received, leaf first (for servers rustls cannot
    /// complete a handshake with).
    #[serde(skip)]
    pub chain: Vec<Vec<u8>>,
    /// A stapled OCSP response seen on a hand-built handshake; None when no flight with a
    /// certificate was read.
    #[serde(skip)]
    pub ocsp_stapled: Option<bool>,
}

impl CipherScan {
    /// Every accepted suite once, with the versions it was accepted under.
    pub fn accepted(&self) -> impl Iterator<Item = (&str, &Suite)> {
        self.versions
            .iter()
            .flat_map(|v| v.suites.iter().map(move |s| (v.version.as_str(), s)))
    }

    pub fn version(&self, name: &str) -> Option<&VersionSuites> {
        self.versions.iter().find(|v| v.version == name)
    }
}

/// How one walk ended.
struct Walk {
    flights: Vec<Flight>,
    /// A refusal in words ("alert 40"), or None when the walk ran out of suites.
    refused: Option<String>,
    /// A failure that leaves the answer unknown (timeout, connection refused).
    failed: Option<String>,
    connections: usize,
}

/// Offers `suites` under `version`, takes the chosen one out, and repeats.
async fn walk(
    host: &str,
    port: u16,
    version: u16,
    mut suites: Vec<u16>,
    timeout: Duration,
) -> Walk {
    let mut out = Walk {
        flights: Vec::new(),
        refused: None,
        failed: None,
        connections: 0,
    };
    while !suites.is_empty() {
        let offer = Offer {
            version,
            suites: &suites,
            sni: legacy::sni(host),
            status_request: true,
        };
        out.connections += 1;
        match legacy::exchange(host, port, &offer, timeout).await {
            Err(e) => {
                out.failed = Some(e);
                break;
            }
            Ok(Reply::ServerHello(f)) if f.version == version && suites.contains(&f.suite) => {
                suites.retain(|s| *s != f.suite);
                out.flights.push(f);
            }
            Ok(Reply::ServerHello(f)) if f.version != version => {
                out.refused = Some(format!(
                    "the server answered with {}",
                    legacy::version_name(f.version)
                ));
                break;
            }
            Ok(Reply::ServerHello(f)) => {
                out.refused = Some(format!("the server chose 0x{:04x}, never offered", f.suite));
                break;
            }
            Ok(Reply::Alert { description, .. }) => {
                out.refused = Some(format!("alert {description}"));
                break;
            }
            Ok(Reply::Other(why)) => {
                out.refused = Some(why);
                break;
            }
        }
    }
    out
}

/// Strongest first: fewest weaknesses, then forward secrecy, AEAD and key size.
fn sort(suites: &mut [Suite]) {
    suites.sort_by_key(|s| {
        (
            s.weaknesses().len(),
            !s.forward_secret,
            !s.aead,
            std::cmp::Reverse(s.bits),
            s.code,
        )
    });
}

/// One version's walks, side by side.
async fn scan_version(
    host: &str,
    port: u16,
    version: u16,
    timeout: Duration,
) -> (VersionSuites, Vec<Flight>, usize) {
    let candidates = ciphers::candidates(version);
    let size = candidates.len().div_ceil(GROUPS);
    let walks = join_all(
        candidates
            .chunks(size.max(1))
            .map(|c| walk(host, port, version, c.to_vec(), timeout)),
    )
    .await;
    let connections = walks.iter().map(|w| w.connections).sum();
    let flights: Vec<Flight> = walks.iter().flat_map(|w| w.flights.clone()).collect();
    let mut suites: Vec<Suite> = flights.iter().map(|f| Suite::from_id(f.suite)).collect();
    sort(&mut suites);
    let name = legacy::version_name(version);
    let failed = walks.iter().find_map(|w| w.failed.clone());
    let refused = walks.iter().find_map(|w| w.refused.clone());
    let (accepted, detail) = match (suites.is_empty(), failed) {
        (false, _) => (Some(true), String::new()),
        (true, Some(e)) => (None, e),
        (true, None) => (Some(false), refused.unwrap_or_default()),
    };
    let result = VersionSuites {
        version: name,
        accepted,
        suites,
        detail,
    };
    (result, flights, connections)
}

/// Offers `a` then `b`, and `b` then `a`: a server that picks the same suite both times
/// keeps its own order. None when a handshake fails.
async fn preference(
    host: &str,
    port: u16,
    version: u16,
    a: u16,
    b: u16,
    timeout: Duration,
) -> Option<bool> {
    let chosen = |suites: [u16; 2]| async move {
        let offer = Offer {
            version,
            suites: &suites,
            sni: legacy::sni(host),
            status_request: false,
        };
        match legacy::exchange(host, port, &offer, timeout).await {
            Ok(Reply::ServerHello(f)) => Some(f.suite),
            _ => None,
        }
    };
    let (first, second) = tokio::join!(chosen([a, b]), chosen([b, a]));
    Some(first? == second?)
}

/// The TLS 1.3 results, found by the caller with rustls: each suite's name and whether the
/// server accepted it (None: could not tell, with why).
pub type Tls13Results = Vec<(u16, Result<bool, String>)>;

/// Scans host:port under TLS 1.0–1.2 with hand-built handshakes; [`add_tls13`] adds the
/// TLS 1.3 line the caller got with rustls.
pub async fn scan_legacy(host: &str, port: u16, timeout: Duration) -> CipherScan {
    let versions = [legacy::TLS10, legacy::TLS11, legacy::TLS12];
    let results = join_all(versions.map(|v| scan_version(host, port, v, timeout))).await;
    let mut scan = CipherScan::default();
    let mut all_flights: Vec<(u16, Flight)> = Vec::new();
    for ((result, flights, connections), v) in results.into_iter().zip(versions) {
        scan.connections += connections;
        all_flights.extend(flights.into_iter().map(|f| (v, f)));
        scan.versions.push(result);
    }
    scan.dh_bits = all_flights
        .iter()
        .filter(|(_, f)| matches!(Suite::from_id(f.suite).kx.as_str(), "DHE" | "DH"))
        .filter_map(|(_, f)| f.key_exchange.as_deref().and_then(legacy::dh_bits))
        .min();
    // The newest version's chain: what a modern client of this server would see.
    if let Some((_, f)) = all_flights
        .iter()
        .filter(|(_, f)| !f.chain.is_empty())
        .max_by_key(|(v, _)| *v)
    {
        scan.chain = f.chain.clone();
    }
    let with_certs: Vec<&Flight> = all_flights
        .iter()
        .map(|(_, f)| f)
        .filter(|f| !f.chain.is_empty() && f.complete)
        .collect();
    if !with_certs.is_empty() {
        scan.ocsp_stapled = Some(with_certs.iter().any(|f| f.ocsp.is_some()));
    }
    // Server preference on the newest version with two suites to play off.
    if let Some((v, vs)) = versions
        .iter()
        .zip(&scan.versions)
        .rev()
        .find(|(_, vs)| vs.suites.len() >= 2)
    {
        let (a, b) = (vs.suites[0].code, vs.suites[vs.suites.len() - 1].code);
        scan.connections += 2;
        scan.server_preference = preference(host, port, *v, a, b, timeout).await;
    }
    scan
}

/// Adds the TLS 1.3 line to a legacy scan.
pub fn add_tls13(scan: &mut CipherScan, results: &Tls13Results, connections: usize) {
    let mut suites: Vec<Suite> = results
        .iter()
        .filter(|(_, r)| matches!(r, Ok(true)))
        .map(|(id, _)| Suite::from_id(*id))
        .collect();
    sort(&mut suites);
    let failure = results.iter().find_map(|(_, r)| r.as_ref().err().cloned());
    let (accepted, detail) = match (suites.is_empty(), failure) {
        (false, _) => (Some(true), String::new()),
        (true, Some(e)) => (None, e),
        (true, None) => (Some(false), "no TLS 1.3 suite accepted".to_string()),
    };
    scan.connections += connections;
    scan.versions.push(VersionSuites {
        version: "TLS 1.3".into(),
        accepted,
        suites,
        detail,
    });
}
