//! What the API5–API10 routes (`owasp_routes`) remember while the lab runs. Kept apart from
//! the routes so the lab's state can hold it without the state and the routes importing each
//! other.

use std::collections::HashMap;
use std::sync::Mutex;

pub struct OwaspState {
    /// Coupon redemptions per (twin?, user id).
    pub(super) redeemed: Mutex<HashMap<(bool, u64), u32>>,
    /// The value of the internal header the lab's fetches send, random per start.
    pub(super) internal_secret: String,
}

impl OwaspState {
    /// `internal_secret` is what marks a request as coming from inside the lab's network.
    pub(super) fn new(internal_secret: String) -> Self {
        Self {
            redeemed: Mutex::new(HashMap::new()),
            internal_secret,
        }
    }
}
