//! Networking below the tools: the one reqwest client builder (rustls with ring, platform
//! roots, private CAs, no retries) and capped body reads. `audit`, `http` and `jwt` all send
//! through it, so none of them needs another.

pub mod client;

pub use client::{ClientOptions, HttpError, build_client, read_capped};
