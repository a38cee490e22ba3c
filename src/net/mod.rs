//! Networking below the tools: the one reqwest client builder (rustls with ring, platform
//! roots, private CAs, no retries), capped body reads, the one http(s) URL check and the
//! JWKS fetch. `audit`, `http` and `jwt` all send
//! through it, so none of them needs another.

pub mod client;
pub mod jwks;
pub mod url;

pub use client::{ClientOptions, HttpError, build_client, read_capped};
pub use jwks::{JwksFetchError, fetch_jwks};
pub use url::{UrlError, http_url, is_http_url};
