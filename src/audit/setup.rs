//! An audit's options as a person gives them (seconds, `Name: value` headers, a CA file, a
//! time to judge certificates at), checked and turned into [`AuditOptions`] in one place for
//! `apiward audit` and the Audit tab alike.

use std::path::PathBuf;
use std::time::Duration;

use super::AuditOptions;
use crate::net::{HeaderError, HttpError, parse_header};

/// What the user asked for, before it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditSetup {
    /// Seconds for each request; a whole target gets three times as long.
    pub timeout_secs: f64,
    /// Audit the headers even when the certificate is not trusted.
    pub insecure: bool,
    /// A private CA's PEM file, trusted instead of the public roots.
    pub ca_file: Option<PathBuf>,
    /// `Name: value` headers sent with every request.
    pub headers: Vec<String>,
    /// Unix seconds to judge certificate dates at; None for now.
    pub now: Option<i64>,
    /// Targets audited at once in a batch.
    pub concurrency: usize,
}

impl Default for AuditSetup {
    fn default() -> Self {
        Self {
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            insecure: false,
            ca_file: None,
            headers: Vec::new(),
            now: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// Seconds for each request unless the user says otherwise.
pub const DEFAULT_TIMEOUT_SECS: f64 = 10.0;
/// Targets of a batch audited at once unless the user says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Why the options cannot be used: one sentence each.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("the timeout must be a positive number of seconds")]
    Timeout,
    #[error(transparent)]
    Header(#[from] HeaderError),
    #[error("cannot read the CA from {path}: {why}")]
    CaRead { path: String, why: String },
    #[error(transparent)]
    Ca(#[from] HttpError),
}

crate::error_kind::bad_input!(SetupError);

impl AuditSetup {
    /// Targets audited at once: at least one.
    pub fn concurrency(&self) -> usize {
        self.concurrency.max(1)
    }

    /// Checks what needs no file: the timeout and the headers. A front end asks this before
    /// it starts anything, so a typo is told at once.
    pub fn check(&self) -> Result<(), SetupError> {
        self.timeout()?;
        self.request_headers()?;
        Ok(())
    }

    /// The options, with the CA file read and parsed (so this reads a file: a front end with
    /// a screen calls it off its UI thread).
    pub fn options(&self) -> Result<AuditOptions, SetupError> {
        let timeout = self.timeout()?;
        let request_headers = self.request_headers()?;
        let ca_pem = match &self.ca_file {
            Some(path) => {
                let pem = std::fs::read(path).map_err(|e| SetupError::CaRead {
                    path: path.display().to_string(),
                    why: e.to_string(),
                })?;
                crate::net::client::parse_certs(&pem)?;
                Some(pem)
            }
            None => None,
        };
        Ok(AuditOptions {
            timeout,
            target_timeout: timeout * 3,
            insecure: self.insecure,
            ca_pem,
            now: self.now,
            request_headers,
            ..AuditOptions::default()
        })
    }

    fn timeout(&self) -> Result<Duration, SetupError> {
        if self.timeout_secs > 0.0 && self.timeout_secs.is_finite() {
            Duration::try_from_secs_f64(self.timeout_secs).map_err(|_| SetupError::Timeout)
        } else {
            Err(SetupError::Timeout)
        }
    }

    fn request_headers(&self) -> Result<Vec<(String, String)>, SetupError> {
        Ok(self
            .headers
            .iter()
            .map(|h| parse_header(h))
            .collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_reaches_the_audit_options() {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
        std::fs::write(&ca, cert.cert.pem()).unwrap();
        let setup = AuditSetup {
            timeout_secs: 2.5,
            insecure: true,
            ca_file: Some(ca),
            headers: vec!["Authorization: Bearer x".into(), "X-A:1".into()],
            now: Some(1_700_000_000),
            concurrency: 0,
        };
        let o = setup.options().unwrap();
        assert_eq!(o.timeout, Duration::from_millis(2500));
        assert_eq!(o.target_timeout, Duration::from_millis(7500));
        assert!(o.insecure);
        assert!(o.ca_pem.is_some_and(|p| p.starts_with(b"-----BEGIN")));
        assert_eq!(o.now, Some(1_700_000_000));
        assert_eq!(
            o.request_headers,
            [
                ("Authorization".into(), "Bearer x".into()),
                ("X-A".into(), "1".into())
            ]
        );
        assert_eq!(setup.concurrency(), 1);
    }

    #[test]
    fn mistakes_are_one_sentence_each() {
        for secs in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e300] {
            let setup = AuditSetup {
                timeout_secs: secs,
                ..AuditSetup::default()
            };
            assert!(matches!(setup.check(), Err(SetupError::Timeout)), "{secs}");
        }
        let setup = AuditSetup {
            headers: vec!["no colon".into()],
            ..AuditSetup::default()
        };
        assert_eq!(
            setup.check().unwrap_err().to_string(),
            "the header 'no colon' is not 'Name: value'"
        );
        let dir = tempfile::tempdir().unwrap();
        let not_pem = dir.path().join("ca.pem");
        std::fs::write(&not_pem, "hello").unwrap();
        for (file, says) in [
            (dir.path().join("missing.pem"), "cannot read the CA from"),
            (not_pem, "PEM"),
        ] {
            let setup = AuditSetup {
                ca_file: Some(file),
                ..AuditSetup::default()
            };
            assert!(setup.check().is_ok(), "no file is read by check");
            let err = setup.options().unwrap_err().to_string();
            assert!(err.contains(says), "{err}");
        }
    }
}
