//! What keeps a run polite and pointed at the right place: only loopback hosts unless the user
//! names another, a cap on the number of requests, and a steady pace.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::Url;
use tokio::time::Instant;

/// Whether `url` may be sent to: loopback (127.0.0.0/8, ::1, localhost), or a host the user
/// named (the CLI's `--allow-host`). The error is the sentence to show; how to allow the
/// host is each front end's to say.
pub fn check_host(url: &Url, allowed: &[String]) -> Result<(), String> {
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        || bare.eq_ignore_ascii_case("localhost")
        || bare.to_ascii_lowercase().ends_with(".localhost");
    let named = allowed.iter().any(|a| a.eq_ignore_ascii_case(bare));
    match loopback || named {
        true => Ok(()),
        false => Err(format!(
            "{host} is not a loopback address, and replaying requests as other identities sends them for real"
        )),
    }
}

/// Hands out send times at most `per_second` apart, shared by every concurrent send.
pub struct Pacer {
    gap: Duration,
    next: tokio::sync::Mutex<Option<Instant>>,
}

impl Pacer {
    pub fn new(per_second: f64) -> Self {
        Self {
            gap: Duration::from_secs_f64(1.0 / per_second.max(0.001)),
            next: tokio::sync::Mutex::new(None),
        }
    }

    /// Waits for this send's turn.
    pub async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let at = next.map_or(now, |n| n.max(now));
            *next = Some(at + self.gap);
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_unless_named() {
        for ok in [
            "http://127.0.0.1:9/x",
            "http://127.3.4.5/",
            "http://[::1]:8/",
            "https://localhost/",
            "http://api.localhost/",
        ] {
            assert!(check_host(&Url::parse(ok).unwrap(), &[]).is_ok(), "{ok}");
        }
        let far = Url::parse("https://api.example.com/users/1").unwrap();
        let err = check_host(&far, &[]).unwrap_err();
        assert!(
            err.starts_with("api.example.com is not a loopback address"),
            "{err}"
        );
        assert!(check_host(&far, &["API.example.com".into()]).is_ok());
        assert!(check_host(&Url::parse("http://10.0.0.1/").unwrap(), &[]).is_err());
    }

    #[tokio::test]
    async fn the_pacer_spaces_sends() {
        // Five sends at 100 a second: the first goes now, the last 40 ms later at the least.
        let pacer = Pacer::new(100.0);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.wait().await;
        }
        assert!(
            start.elapsed() >= Duration::from_millis(40),
            "{:?}",
            start.elapsed()
        );
    }
}
