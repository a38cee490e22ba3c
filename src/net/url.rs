//! The one test of "is this an http(s) URL": absolute, http or https, with a host. Every
//! tool that sends asks it (the request builder after its shorthand, audit targets, the probe,
//! a JWKS given as a file or a URL), so they agree on what a URL is.

use reqwest::Url;

/// Why text is not an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("'{text}' is not a URL: {reason}")]
    NotUrl { text: String, reason: String },
    #[error("'{text}' is not an http or https URL (scheme {scheme})")]
    Scheme { text: String, scheme: String },
    #[error("'{0}' has no host")]
    NoHost(String),
}

crate::error_kind::bad_input!(UrlError);

/// `text` as an absolute http(s) URL with a host.
pub fn http_url(text: &str) -> Result<Url, UrlError> {
    let url = Url::parse(text).map_err(|e| UrlError::NotUrl {
        text: text.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlError::Scheme {
            text: text.to_string(),
            scheme: url.scheme().to_string(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlError::NoHost(text.to_string()));
    }
    Ok(url)
}

/// Whether `text` is an absolute http(s) URL with a host, as opposed to a file name.
pub fn is_http_url(text: &str) -> bool {
    http_url(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_urls_with_a_host_pass() {
        for good in [
            "http://a.example",
            "HTTPS://a.example:8443/x?y",
            "http://127.0.0.1:1/",
        ] {
            assert!(is_http_url(good), "{good}");
        }
        for bad in [
            "a.example/jwks.json",
            "jwks.json",
            "file:///etc/passwd",
            "ftp://a",
            "http://",
        ] {
            assert!(!is_http_url(bad), "{bad}");
        }
        assert_eq!(
            http_url("ftp://a.example").unwrap_err().to_string(),
            "'ftp://a.example' is not an http or https URL (scheme ftp)"
        );
    }
}
