//! The TLS audit against real `openssl s_server`s on 127.0.0.1, one per scenario of issue 14
//! (legacy protocols, CBC-only, TLS 1.2 or 1.3 only, broken certificates, weak keys and
//! signatures, a clean Mozilla-intermediate server), with certificates made by rcgen (and by
//! `openssl x509` for the SHA-1 signature rcgen cannot make). Each test says that it skipped,
//! and why, when openssl is missing.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use apiward::audit::TlsReport;
use apiward::audit::grades::tls_grade;
use apiward::audit::tls::{self, TlsOptions};
use apiward::findings::Severity;
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    PublicKeyData,
};
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};

use crate::harness::TestCa;
use crate::harness::pki::{ServerCert, self_signed};

/// openssl's version line, or None (and a note on stderr) when it cannot be run.
fn openssl(test: &str) -> Option<String> {
    match Command::new("openssl").arg("version").output() {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into()),
        Ok(out) => {
            eprintln!("{test} skipped: `openssl version` failed ({})", out.status);
            None
        }
        Err(e) => {
            eprintln!("{test} skipped: openssl cannot be run ({e}); apt-get install openssl");
            None
        }
    }
}

/// A free port on 127.0.0.1: bind port 0, read it, let it go.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// An `openssl s_server` on 127.0.0.1, killed (by its own pid) when dropped.
struct SServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for SServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes the leaf, its key and any extra chain certificates, starts s_server with `args`
/// and waits until it accepts connections.
fn s_server(leaf_pem: &str, key_pem: &str, chain_pem: Option<&str>, args: &[&str]) -> SServer {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = |name: &str| -> PathBuf { dir.path().join(name) };
    std::fs::write(path("leaf.pem"), leaf_pem).unwrap();
    std::fs::write(path("leaf.key"), key_pem).unwrap();
    let port = free_port();
    let mut cmd = Command::new("openssl");
    cmd.arg("s_server")
        .arg("-accept")
        .arg(format!("127.0.0.1:{port}"))
        .arg("-cert")
        .arg(path("leaf.pem"))
        .arg("-key")
        .arg(path("leaf.key"))
        .args(["-www", "-quiet"]);
    if let Some(chain) = chain_pem {
        std::fs::write(path("chain.pem"), chain).unwrap();
        cmd.arg("-cert_chain").arg(path("chain.pem"));
    }
    let mut child = cmd
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl s_server starts");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("openssl s_server {args:?} exited with {status}: {err}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "openssl s_server never listened on {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    SServer {
        child,
        port,
        _dir: dir,
    }
}

/// A root, an intermediate under it, and leaves with keys of any kind.
struct Pki {
    root: CertifiedIssuer<'static, KeyPair>,
    intermediate: CertifiedIssuer<'static, KeyPair>,
}

fn ca_params(name: &str) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

/// An RSA public key as rcgen wants a subject's key: only the public half is needed, since
/// the issuer signs.
struct RsaPublic(Vec<u8>);

impl PublicKeyData for RsaPublic {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

/// An RSA key of `bits` as (PKCS#8 PEM, public key): rcgen's ring backend cannot make RSA
/// keys, and refuses to load one under 2048 bits.
fn rsa_key(bits: usize) -> (String, RsaPublic) {
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, bits).expect("RSA key");
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let public = key.to_public_key().to_pkcs1_der().unwrap();
    (pem, RsaPublic(public.as_bytes().to_vec()))
}

/// A leaf's parameters for localhost, valid from yesterday for `days`.
fn leaf_params(hosts: &[&str], days: i64) -> CertificateParams {
    let mut params =
        CertificateParams::new(hosts.iter().map(|h| h.to_string()).collect::<Vec<_>>()).unwrap();
    params.distinguished_name.push(DnType::CommonName, hosts[0]);
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(days);
    params
}

impl Pki {
    fn new() -> Self {
        let root =
            CertifiedIssuer::self_signed(ca_params("scenario root"), KeyPair::generate().unwrap())
                .unwrap();
        let intermediate = CertifiedIssuer::signed_by(
            ca_params("scenario intermediate"),
            KeyPair::generate().unwrap(),
            &root,
        )
        .unwrap();
        Self { root, intermediate }
    }

    fn root_pem(&self) -> String {
        self.root.pem()
    }

    /// A leaf issued by the intermediate: (leaf PEM, key PEM).
    fn ec_leaf(&self, params: CertificateParams) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.intermediate).unwrap();
        (cert.pem(), key.serialize_pem())
    }

    fn rsa_leaf(&self, params: CertificateParams, bits: usize) -> (String, String) {
        let (key_pem, spki) = rsa_key(bits);
        let cert = params.signed_by(&spki, &self.intermediate).unwrap();
        (cert.pem(), key_pem)
    }

    fn intermediate_pem(&self) -> String {
        self.intermediate.pem()
    }
}

async fn inspect(server: &SServer, root_pem: &str) -> TlsReport {
    let opts = TlsOptions {
        roots: Arc::new(tls::roots(Some(root_pem.as_bytes())).unwrap()),
        now: None,
        timeout: Duration::from_secs(5),
        probe_versions: true,
    };
    tls::inspect("localhost", server.port, &opts).await
}

fn ids(report: &TlsReport) -> Vec<String> {
    tls::tls_findings(report)
        .into_iter()
        .map(|f| f.id)
        .collect()
}

fn accepted(report: &TlsReport, version: &str) -> Option<bool> {
    report
        .protocols
        .iter()
        .find(|p| p.version == version)
        .and_then(|p| p.accepted)
}

fn suites(report: &TlsReport, version: &str) -> Vec<String> {
    report
        .ciphers
        .as_ref()
        .and_then(|c| c.version(version))
        .map(|v| v.suites.iter().map(|s| s.name.clone()).collect())
        .unwrap_or_default()
}

fn meets(report: &TlsReport) -> Option<&str> {
    report.mozilla.as_ref().and_then(|m| m.meets.as_deref())
}

macro_rules! need_openssl {
    ($name:literal) => {
        if openssl($name).is_none() {
            return;
        }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls10_and_tls11_on_are_found_with_their_suites() {
    need_openssl!("tls10_and_tls11_on_are_found_with_their_suites");
    let pki = Pki::new();
    let (leaf, key) = pki.rsa_leaf(leaf_params(&["localhost"], 60), 2048);
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &["-cipher", "DEFAULT@SECLEVEL=0", "-min_protocol", "TLSv1"],
    );
    let report = inspect(&server, &pki.root_pem()).await;
    for v in ["TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"] {
        assert_eq!(
            accepted(&report, v),
            Some(true),
            "{v}: {:?}",
            report.protocols
        );
    }
    let t10 = suites(&report, "TLS 1.0");
    assert!(
        t10.contains(&"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA".to_string()),
        "{t10:?}"
    );
    assert!(!t10.iter().any(|s| s.contains("GCM")), "{t10:?}");
    let found = ids(&report);
    for id in [
        "tls-legacy-protocol",
        "tls-cipher-cbc",
        "tls-cipher-cbc-rsa",
        "tls-mozilla-profile",
    ] {
        assert!(
            found.contains(&id.to_string()),
            "{id} missing from {found:?}"
        );
    }
    assert_eq!(meets(&report), None);
    assert_eq!(tls_grade(&report).grade, "B");
    assert!(report.trusted, "{:?}", report.verdict);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cbc_only_rsa_server_still_shows_its_certificate() {
    need_openssl!("a_cbc_only_rsa_server_still_shows_its_certificate");
    let pki = Pki::new();
    let (leaf, key) = pki.rsa_leaf(leaf_params(&["localhost"], 60), 2048);
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &["-no_tls1_3", "-cipher", "AES128-SHA:AES256-SHA"],
    );
    let report = inspect(&server, &pki.root_pem()).await;
    // rustls offers no CBC suite, so its handshake fails; the hand-built one reads the chain.
    assert_eq!(
        accepted(&report, "TLS 1.2"),
        Some(true),
        "{:?}",
        report.protocols
    );
    assert_eq!(accepted(&report, "TLS 1.3"), Some(false));
    assert_eq!(report.chain.len(), 2, "{report:#?}");
    assert_eq!(report.chain[0].key_type, "RSA");
    assert!(report.trusted, "{:?}", report.verdict);
    assert_eq!(
        suites(&report, "TLS 1.2"),
        [
            "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA"
        ]
    );
    let findings = tls::tls_findings(&report);
    let fs = findings
        .iter()
        .find(|f| f.id == "tls-no-forward-secrecy")
        .expect("no-FS");
    assert_eq!(
        fs.severity,
        Severity::Medium,
        "no suite has forward secrecy"
    );
    assert!(findings.iter().any(|f| f.id == "tls-cipher-cbc-rsa"));
    assert!(!findings.iter().any(|f| f.id == "tls-cipher-cbc"));
    // Old would allow these suites, but wants an RSA signature on the leaf.
    assert_eq!(meets(&report), None);
    assert_eq!(
        tls_grade(&report).grade,
        "B",
        "{:?}",
        tls_grade(&report).caps
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cbc_beside_gcm_is_named_without_the_rsa_findings() {
    need_openssl!("cbc_beside_gcm_is_named_without_the_rsa_findings");
    let pki = Pki::new();
    let (leaf, key) = pki.ec_leaf(leaf_params(&["localhost"], 60));
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &[
            "-cipher",
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA",
        ],
    );
    let report = inspect(&server, &pki.root_pem()).await;
    assert_eq!(
        suites(&report, "TLS 1.2"),
        [
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
        ]
    );
    assert_eq!(suites(&report, "TLS 1.3").len(), 3);
    let found = ids(&report);
    assert!(found.contains(&"tls-cipher-cbc".to_string()), "{found:?}");
    for absent in [
        "tls-cipher-cbc-rsa",
        "tls-no-forward-secrecy",
        "tls-legacy-protocol",
    ] {
        assert!(
            !found.contains(&absent.to_string()),
            "{absent} in {found:?}"
        );
    }
    // OpenSSL follows the client's order unless told otherwise; with a CBC suite on offer
    // that is worth saying.
    let scan = report.ciphers.as_ref().unwrap();
    assert_eq!(scan.server_preference, Some(false));
    assert!(found.contains(&"tls-no-server-preference".to_string()));
    // The scan is cheap: accepted suites plus a few refusals per version.
    assert!(scan.connections < 40, "{} connections", scan.connections);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_preference_is_seen_when_enforced() {
    need_openssl!("server_preference_is_seen_when_enforced");
    let pki = Pki::new();
    let (leaf, key) = pki.ec_leaf(leaf_params(&["localhost"], 60));
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &[
            "-serverpref",
            "-cipher",
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA",
        ],
    );
    let report = inspect(&server, &pki.root_pem()).await;
    let scan = report.ciphers.as_ref().unwrap();
    assert_eq!(scan.server_preference, Some(true));
    assert!(!ids(&report).contains(&"tls-no-server-preference".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls12_only_and_tls13_only() {
    need_openssl!("tls12_only_and_tls13_only");
    let pki = Pki::new();
    let (leaf, key) = pki.ec_leaf(leaf_params(&["localhost"], 60));
    let chain = pki.intermediate_pem();
    let t12 = s_server(&leaf, &key, Some(&chain), &["-no_tls1_3"]);
    let t13 = s_server(&leaf, &key, Some(&chain), &["-tls1_3"]);
    let root = pki.root_pem();
    let (r12, r13) = tokio::join!(inspect(&t12, &root), inspect(&t13, &root));

    assert_eq!(accepted(&r12, "TLS 1.2"), Some(true));
    assert_eq!(accepted(&r12, "TLS 1.3"), Some(false));
    assert_eq!(accepted(&r12, "TLS 1.1"), Some(false));
    assert!(ids(&r12).contains(&"tls-no-tls13".to_string()));
    assert_eq!(tls_grade(&r12).grade, "A-", "{:?}", tls_grade(&r12).caps);

    for v in ["TLS 1.0", "TLS 1.1", "TLS 1.2"] {
        assert_eq!(accepted(&r13, v), Some(false), "{v}: {:?}", r13.protocols);
    }
    assert_eq!(
        suites(&r13, "TLS 1.3"),
        [
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256"
        ]
    );
    // TLS 1.3 only, an ECDSA P-256 key signed with SHA-256, 61 days: Mozilla's modern.
    assert_eq!(meets(&r13), Some("modern"), "{:?}", r13.mozilla);
    assert_eq!(tls_grade(&r13).grade, "A");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_certificates_are_named() {
    need_openssl!("broken_certificates_are_named");
    let ca = TestCa::new("scenario CA");
    let ca_pem = ca.cert_pem();
    let cases: Vec<(&str, ServerCert, &str)> = vec![
        (
            "expired",
            ca.issue_expired(&["localhost"]),
            "tls-cert-expired",
        ),
        (
            "not yet valid",
            ca.issue_not_yet_valid(&["localhost"]),
            "tls-cert-not-yet-valid",
        ),
        (
            "self-signed",
            self_signed(&["localhost"], false),
            "tls-cert-self-signed",
        ),
        (
            "wrong host",
            ca.issue(&["other.example"]),
            "tls-hostname-mismatch",
        ),
        (
            "expiring in 10 days",
            ca.issue_with(&["localhost"], |p| {
                p.not_after = time::OffsetDateTime::now_utc() + time::Duration::days(10);
            }),
            "tls-cert-expiring",
        ),
    ];
    for (name, cert, id) in cases {
        let server = s_server(&cert.cert_pem, &cert.key_pem, None, &[]);
        let report = inspect(&server, &ca_pem).await;
        let found = ids(&report);
        assert!(
            found.contains(&id.to_string()),
            "{name}: {id} not in {found:?}"
        );
        // The cipher scan still ran.
        assert_eq!(accepted(&report, "TLS 1.2"), Some(true), "{name}");
        let grade = tls_grade(&report).grade;
        if id == "tls-cert-expiring" {
            assert!(report.trusted, "{name}");
            assert_eq!(grade, "A", "{name}");
        } else {
            assert!(!report.trusted, "{name}");
            assert_eq!(grade, "F", "{name}");
            assert_eq!(meets(&report), None, "{name}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_intermediate_and_a_chain_out_of_order() {
    need_openssl!("a_missing_intermediate_and_a_chain_out_of_order");
    let pki = Pki::new();
    let (leaf, key) = pki.ec_leaf(leaf_params(&["localhost"], 60));
    let missing = s_server(&leaf, &key, None, &[]);
    let report = inspect(&missing, &pki.root_pem()).await;
    assert!(!report.trusted);
    assert!(
        ids(&report).contains(&"tls-cert-untrusted".to_string()),
        "{:?}",
        ids(&report)
    );
    assert_eq!(tls_grade(&report).grade, "F");

    // Leaf, root, intermediate: every issuer is there, one out of place.
    let shuffled = format!("{}{}", pki.root_pem(), pki.intermediate_pem());
    let server = s_server(&leaf, &key, Some(&shuffled), &[]);
    let report = inspect(&server, &pki.root_pem()).await;
    assert_eq!(report.chain.len(), 3);
    assert!(
        ids(&report).contains(&"tls-chain-order".to_string()),
        "{:?}",
        ids(&report)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weak_keys_and_signatures() {
    need_openssl!("weak_keys_and_signatures");
    let pki = Pki::new();
    // RSA-1024: OpenSSL 3 refuses to load it above security level 0.
    let (leaf, key) = pki.rsa_leaf(leaf_params(&["localhost"], 60), 1024);
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &["-cipher", "DEFAULT@SECLEVEL=0"],
    );
    let report = inspect(&server, &pki.root_pem()).await;
    assert_eq!(
        report.chain.first().map(|c| c.key_bits),
        Some(1024),
        "{report:#?}"
    );
    assert!(
        ids(&report).contains(&"tls-weak-key".to_string()),
        "{:?}",
        ids(&report)
    );
    assert_eq!(
        tls_grade(&report).grade,
        "B",
        "{:?}",
        tls_grade(&report).caps
    );

    // SHA-1: rcgen cannot sign with it, so openssl signs a CSR with the intermediate's key.
    let sha1 = sha1_leaf(&pki);
    let server = s_server(
        &sha1.0,
        &sha1.1,
        Some(&pki.intermediate_pem()),
        &["-cipher", "DEFAULT@SECLEVEL=0"],
    );
    let report = inspect(&server, &pki.root_pem()).await;
    assert_eq!(
        report.chain.first().map(|c| c.signature_algorithm.as_str()),
        Some("ecdsa-with-SHA1")
    );
    assert!(
        ids(&report).contains(&"tls-sha1-signature".to_string()),
        "{:?}",
        ids(&report)
    );
}

/// A localhost leaf signed with ecdsa-with-SHA1 by the intermediate, made by `openssl x509`.
fn sha1_leaf(pki: &Pki) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("ca.pem"), pki.intermediate_pem()).unwrap();
    std::fs::write(p("ca.key"), pki.intermediate.key().serialize_pem()).unwrap();
    std::fs::write(
        p("ext.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    let key = KeyPair::generate().unwrap();
    std::fs::write(p("leaf.key"), key.serialize_pem()).unwrap();
    run(
        &p("leaf.key"),
        &[
            "req",
            "-new",
            "-key",
            "leaf.key",
            "-subj",
            "/CN=localhost",
            "-out",
            "leaf.csr",
        ],
    );
    run(
        &p("leaf.key"),
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-sha1",
            "-days",
            "60",
            "-extfile",
            "ext.cnf",
            "-out",
            "leaf.pem",
        ],
    );
    (
        std::fs::read_to_string(p("leaf.pem")).unwrap(),
        key.serialize_pem(),
    )
}

/// Runs openssl in the folder of `beside`.
fn run(beside: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(beside.parent().unwrap())
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ecdsa_leaf_on_a_mozilla_intermediate_server_is_clean() {
    need_openssl!("an_ecdsa_leaf_on_a_mozilla_intermediate_server_is_clean");
    let pki = Pki::new();
    let (leaf, key) = pki.ec_leaf(leaf_params(&["localhost"], 89));
    // Mozilla's intermediate OpenSSL string (5.7), TLS 1.2 and 1.3.
    let ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
                   ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:\
                   ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:\
                   DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &["-cipher", ciphers, "-min_protocol", "TLSv1.2"],
    );
    let started = Instant::now();
    let report = inspect(&server, &pki.root_pem()).await;
    let took = started.elapsed();
    assert!(report.trusted, "{:?}", report.verdict);
    assert_eq!(report.chain[0].key_type, "EC");
    assert_eq!(
        suites(&report, "TLS 1.2"),
        [
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
        ]
    );
    assert_eq!(meets(&report), Some("intermediate"), "{:?}", report.mozilla);
    let serious: Vec<_> = tls::tls_findings(&report)
        .into_iter()
        .filter(|f| f.severity >= Severity::Low)
        .map(|f| f.id)
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
    assert_eq!(tls_grade(&report).grade, "A");
    assert_eq!(report.ocsp_stapled, Some(false));
    // The whole TLS inspection of one host, scan included, on loopback. The bound only
    // catches a scan that went sequential or waits out a timeout.
    assert!(took < Duration::from_secs(2), "took {took:?}");
    eprintln!("TLS inspection with the cipher scan took {took:?}");
}

#[test]
fn the_cli_reports_suites_and_profile_in_json() {
    if openssl("the_cli_reports_suites_and_profile_in_json").is_none() {
        return;
    }
    let pki = Pki::new();
    let (leaf, key) = pki.rsa_leaf(leaf_params(&["localhost"], 60), 2048);
    let server = s_server(
        &leaf,
        &key,
        Some(&pki.intermediate_pem()),
        &["-no_tls1_3", "-cipher", "AES128-SHA"],
    );
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("root.pem");
    std::fs::write(&ca, pki.root_pem()).unwrap();
    let out = assert_cmd::Command::cargo_bin("apiward")
        .unwrap()
        .args(["audit", "--json", "--ca"])
        .arg(&ca)
        .arg(format!("https://localhost:{}/", server.port))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    let report = if json.is_array() { &json[0] } else { &json };
    let tls = &report["tls"];
    assert_eq!(tls["chain"][0]["key_type"], "RSA", "{tls:#}");
    assert_eq!(
        tls["ciphers"]["versions"][2]["suites"][0]["name"],
        "TLS_RSA_WITH_AES_128_CBC_SHA"
    );
    assert_eq!(tls["mozilla"]["guidelines"], "5.7");
    assert!(tls["mozilla"]["meets"].is_null());
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(ids.contains(&"tls-cipher-cbc-rsa"), "{ids:?}");
}
