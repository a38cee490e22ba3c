//! Fetching a published JWKS: one GET with a timeout, a few redirects, no retries and a size
//! cap. Async, so the CLI runs it on its runtime and the TUI can run it as a task.

use std::time::Duration;

use super::client::{ClientOptions, HttpError, build_client, describe_error, read_capped};

/// The most of a JWKS that is read: a key set of a hundred 4096-bit RSA keys is under 100 KiB.
pub const MAX_JWKS: usize = 1 << 20;

/// Why a JWKS could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum JwksFetchError {
    #[error(transparent)]
    Client(#[from] HttpError),
    #[error(transparent)]
    Url(#[from] super::url::UrlError),
    #[error("cannot fetch the JWKS from {url}: {why}")]
    Failed { url: String, why: String },
}

impl crate::error_kind::Kind for JwksFetchError {
    /// A client that cannot be built or a URL that is not one is bad input; a server that
    /// does not answer, answers an error or sends too much fails the check.
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            JwksFetchError::Failed { .. } => crate::error_kind::ExitKind::Failure,
            _ => crate::error_kind::ExitKind::BadInput,
        }
    }
}

/// The JWKS at `url` as text. `options.timeout` bounds the whole fetch; redirects are
/// followed up to 5 unless `options` says otherwise.
pub async fn fetch_jwks(url: &str, options: &ClientOptions) -> Result<String, JwksFetchError> {
    super::url::http_url(url)?;
    let client = build_client(options)?;
    let failed = |why: String| JwksFetchError::Failed {
        url: url.to_string(),
        why,
    };
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|e| failed(describe_error(&e)))?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(format!("the server answered {status}")));
    }
    let body = read_capped(&mut response, MAX_JWKS)
        .await
        .map_err(|e| failed(describe_error(&e)))?;
    if body.truncated {
        return Err(failed(format!(
            "it is larger than {} KiB, the most apiward reads (a real key set is a few KiB)",
            MAX_JWKS >> 10
        )));
    }
    Ok(String::from_utf8_lossy(&body.bytes).into_owned())
}

/// The options a JWKS is fetched with by default: 10 s, up to 5 redirects.
pub fn default_options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(10),
        follow_redirects: Some(5),
        ..Default::default()
    }
}
