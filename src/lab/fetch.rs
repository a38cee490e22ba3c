//! The lab's own outbound requests (the jku key set, the webhook test, the partner service):
//! loopback only, whatever a learner asks for. The vulnerable routes fetch what they are told,
//! but a deliberately vulnerable server must never become a way to reach other hosts, so
//! every fetch passes [`loopback_url`] first, goes to 127.0.0.1 or ::1 directly (no proxy,
//! no redirects) and reads a capped body.

use std::time::Duration;

use reqwest::Url;

/// What a fetch got: the status and up to the cap of the body.
pub struct Fetched {
    pub status: u16,
    pub body: String,
    pub truncated: bool,
}

/// `url` parsed and pinned to loopback: `localhost` becomes 127.0.0.1 (so no resolver can
/// send it elsewhere), a loopback IP stays, anything else is refused with a sentence.
pub fn loopback_url(url: &str) -> Result<Url, String> {
    let mut parsed = crate::net::http_url(url).map_err(|e| match e {
        crate::net::UrlError::Scheme { scheme, .. } => {
            format!("the lab only fetches http and https URLs, not {scheme}:")
        }
        other => other.to_string(),
    })?;
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    let loopback_ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if host == "localhost" {
        parsed
            .set_host(Some("127.0.0.1"))
            .map_err(|e| e.to_string())?;
    } else if !loopback_ip {
        return Err(format!(
            "the lab only ever fetches loopback URLs (127.0.0.1, ::1, localhost), not {host}: it is a practice lab, not a proxy"
        ));
    }
    Ok(parsed)
}

/// GETs a loopback URL (see [`loopback_url`]), reading at most `cap` bytes of the answer.
pub async fn get(url: &str, cap: usize, headers: &[(&str, &str)]) -> Result<Fetched, String> {
    let url = loopback_url(url)?;
    let options = crate::http::ClientOptions {
        timeout: Duration::from_secs(3),
        insecure: true,
        ca_pem: None,
        follow_redirects: None,
    };
    let tls = crate::http::client::tls_config(&options).map_err(|e| e.to_string())?;
    // No proxy: a proxy from the environment would carry the request off the machine.
    let client = crate::http::client::client_builder(&options, tls)
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = crate::http::client::read_capped(&mut response, cap)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Fetched {
        status,
        body: String::from_utf8_lossy(&body.bytes).into_owned(),
        truncated: body.truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_fetched() {
        assert_eq!(
            loopback_url("http://localhost:8/x").unwrap().as_str(),
            "http://127.0.0.1:8/x"
        );
        assert!(loopback_url("http://127.0.0.1/").is_ok());
        assert!(loopback_url("http://[::1]:9/").is_ok());
        for bad in [
            "http://example.com/",
            "http://10.0.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1.nip.io/",
            "file:///etc/passwd",
            "gopher://127.0.0.1/",
            "not a url",
        ] {
            assert!(loopback_url(bad).is_err(), "{bad}");
        }
    }
}
