//! Mozilla's server-side TLS profiles (guidelines 5.7: modern, intermediate, old) as data,
//! and a report judged against them the way sslyze judges: a server meets a profile when it
//! accepts nothing the profile leaves out and its certificate is of a kind the profile names.

use serde::Serialize;

use super::TlsReport;

/// The version of Mozilla's guidelines the tables follow.
pub const GUIDELINES: &str = "5.7";

/// One profile, as ssl-config.mozilla.org/guidelines/5.7.json writes it.
pub struct Profile {
    pub name: &'static str,
    pub versions: &'static [&'static str],
    /// TLS 1.2 and older, by IANA name.
    pub ciphers: &'static [&'static str],
    /// TLS 1.3.
    pub ciphersuites: &'static [&'static str],
    /// "ecdsa", "rsa".
    pub certificate_types: &'static [&'static str],
    /// EC key sizes for prime256v1 and secp384r1.
    pub certificate_curves: &'static [usize],
    pub certificate_signatures: &'static [&'static str],
    pub rsa_key_size: Option<usize>,
    pub dh_param_size: Option<usize>,
    pub maximum_certificate_lifespan: i64,
}

const TLS13_SUITES: &[&str] = &[
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];

const INTERMEDIATE_CIPHERS: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    // Appended in 5.7.
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
];

const OLD_CIPHERS: &[&str] = &[
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256",
    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
];

const ECDSA_SIGNATURES: &[&str] = &[
    "ecdsa-with-SHA256",
    "ecdsa-with-SHA384",
    "ecdsa-with-SHA512",
];

/// Strictest first.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "modern",
        versions: &["TLS 1.3"],
        ciphers: &[],
        ciphersuites: TLS13_SUITES,
        certificate_types: &["ecdsa"],
        certificate_curves: &[256, 384],
        certificate_signatures: ECDSA_SIGNATURES,
        rsa_key_size: None,
        dh_param_size: None,
        maximum_certificate_lifespan: 90,
    },
    Profile {
        name: "intermediate",
        versions: &["TLS 1.2", "TLS 1.3"],
        ciphers: INTERMEDIATE_CIPHERS,
        ciphersuites: TLS13_SUITES,
        certificate_types: &["ecdsa", "rsa"],
        certificate_curves: &[256, 384],
        certificate_signatures: &[
            "sha256WithRSAEncryption",
            "ecdsa-with-SHA256",
            "ecdsa-with-SHA384",
            "ecdsa-with-SHA512",
        ],
        rsa_key_size: Some(2048),
        dh_param_size: Some(2048),
        maximum_certificate_lifespan: 366,
    },
    Profile {
        name: "old",
        versions: &["TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"],
        ciphers: OLD_CIPHERS,
        ciphersuites: TLS13_SUITES,
        certificate_types: &["rsa"],
        certificate_curves: &[256, 384],
        certificate_signatures: &["sha256WithRSAEncryption"],
        rsa_key_size: Some(2048),
        dh_param_size: Some(1024),
        maximum_certificate_lifespan: 366,
    },
];

/// One profile's failures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileCheck {
    pub profile: String,
    /// Empty when the server meets the profile.
    pub failures: Vec<String>,
}

/// The verdict: the strictest profile met, and every profile's failures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileVerdict {
    pub guidelines: String,
    /// "modern", "intermediate", "old", or None when the server meets none.
    pub meets: Option<String>,
    pub checks: Vec<ProfileCheck>,
}

impl ProfileVerdict {
    pub fn failures(&self, profile: &str) -> &[String] {
        self.checks
            .iter()
            .find(|c| c.profile == profile)
            .map_or(&[], |c| &c.failures)
    }
}

/// Judges a report whose scan has run.
pub fn judge(report: &TlsReport) -> ProfileVerdict {
    let checks: Vec<ProfileCheck> = PROFILES
        .iter()
        .map(|p| ProfileCheck {
            profile: p.name.to_string(),
            failures: failures(p, report),
        })
        .collect();
    ProfileVerdict {
        guidelines: GUIDELINES.to_string(),
        meets: checks
            .iter()
            .find(|c| c.failures.is_empty())
            .map(|c| c.profile.clone()),
        checks,
    }
}

/// Names at most three, then how many more.
fn some(list: &[String]) -> String {
    let mut text = list.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if list.len() > 3 {
        text.push_str(&format!(" and {} more", list.len() - 3));
    }
    text
}

fn failures(p: &Profile, report: &TlsReport) -> Vec<String> {
    let mut out = Vec::new();
    let versions: Vec<String> = report
        .protocols
        .iter()
        .filter(|v| v.accepted == Some(true) && !p.versions.contains(&v.version.as_str()))
        .map(|v| v.version.clone())
        .collect();
    if !versions.is_empty() {
        out.push(format!("accepts {}", versions.join(", ")));
    }
    if let Some(scan) = &report.ciphers {
        let mut extra: Vec<String> = Vec::new();
        for (version, suite) in scan.accepted() {
            let allowed = if version == "TLS 1.3" {
                p.ciphersuites
            } else {
                p.ciphers
            };
            // A suite outside the profile counts once, whatever versions accept it; a
            // version the profile leaves out is already named above.
            if p.versions.contains(&version)
                && !allowed.contains(&suite.name.as_str())
                && !extra.contains(&suite.name)
            {
                extra.push(suite.name.clone());
            }
        }
        if !extra.is_empty() {
            out.push(format!("accepts suites outside it: {}", some(&extra)));
        }
        if let (Some(bits), Some(min)) = (scan.dh_bits, p.dh_param_size)
            && bits < min
        {
            out.push(format!("a {bits}-bit DH group (at least {min})"));
        }
    }
    if let Some(leaf) = report.chain.first() {
        let kind = match leaf.key_type.as_str() {
            "EC" => "ecdsa",
            "RSA" => "rsa",
            other => other,
        };
        if !p.certificate_types.contains(&kind) {
            out.push(format!(
                "a {} certificate ({} wanted)",
                leaf.key_type,
                p.certificate_types.join(" or ")
            ));
        }
        if kind == "ecdsa" && !p.certificate_curves.contains(&leaf.key_bits) {
            out.push(format!("a {}-bit EC key (P-256 or P-384)", leaf.key_bits));
        }
        if kind == "rsa"
            && let Some(min) = p.rsa_key_size
            && leaf.key_bits < min
        {
            out.push(format!("a {}-bit RSA key (at least {min})", leaf.key_bits));
        }
        if !p
            .certificate_signatures
            .contains(&leaf.signature_algorithm.as_str())
        {
            out.push(format!("a {} signature", leaf.signature_algorithm));
        }
        let lifespan = leaf.lifetime_days();
        if lifespan > p.maximum_certificate_lifespan {
            out.push(format!(
                "a certificate valid for {lifespan} days (at most {})",
                p.maximum_certificate_lifespan
            ));
        }
    }
    if !report.trusted {
        out.push("a certificate clients do not trust".into());
    }
    out
}
