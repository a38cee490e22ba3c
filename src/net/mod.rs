//! Networking below the tools: the one reqwest client builder (rustls with ring, platform
//! roots, private CAs, no retries), capped body reads, the one http(s) URL check, the
//! JWKS fetch and the reading of a `Name: value` header. `audit`, `http` and `jwt` all send
//! through it, so none of them needs another.

pub mod client;
pub mod header;
pub mod jwks;
pub mod url;

pub use client::{ClientOptions, HttpError, build_client, read_capped};
pub use header::{HeaderError, parse_header};
pub use jwks::{JwksFetchError, fetch_jwks};
pub use url::{UrlError, http_url, is_http_url};
