//! Probing an endpoint with forged tokens: the original, no token, then every variant, one
//! request each, and which variants the server accepted.
//!
//! A variant counts as accepted when the server answers it with success (2xx) while it refuses
//! a request with no token at all: the endpoint is protected, and the forgery got through. An
//! endpoint that answers 2xx without a token cannot tell us anything, and the report says so.

use std::time::Duration;

use serde::Serialize;

/// Where the token goes in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// A header of this name with the bare token.
    Header(String),
    /// A cookie of this name.
    Cookie(String),
    /// A query parameter of this name.
    Query(String),
}

impl Placement {
    /// Parses `bearer`, `header:NAME`, `cookie:NAME` or `query:NAME`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, name) = text.split_once(':').unwrap_or((text, ""));
        let name = name.trim().to_string();
        let need = |p: fn(String) -> Placement| {
            if name.is_empty() {
                Err(format!("'{text}' needs a name, such as {kind}:token"))
            } else {
                Ok(p(name.clone()))
            }
        };
        match kind.trim().to_ascii_lowercase().as_str() {
            "bearer" => Ok(Placement::Bearer),
            "header" => need(Placement::Header),
            "cookie" => need(Placement::Cookie),
            "query" => need(Placement::Query),
            _ => Err(format!(
                "unknown token placement '{text}': use bearer, header:NAME, cookie:NAME or query:NAME"
            )),
        }
    }
}

/// What to send.
#[derive(Debug, Clone)]
pub struct ProbeTarget {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub placement: Placement,
    pub timeout: Duration,
}

/// One answer from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub status: Option<u16>,
    pub length: Option<usize>,
    pub error: Option<String>,
}

impl Answer {
    fn success(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// One variant's answer and verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ProbeResult {
    pub attack: String,
    pub explanation: String,
    pub answer: Answer,
    pub accepted: bool,
    /// Same status and body length as the original token got.
    pub like_original: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProbeReport {
    pub url: String,
    pub original: Answer,
    pub no_token: Answer,
    /// False when the endpoint answers 2xx without any token, so acceptance means nothing.
    pub protected: bool,
    pub variants: Vec<ProbeResult>,
}

impl ProbeReport {
    pub fn accepted(&self) -> impl Iterator<Item = &ProbeResult> {
        self.variants.iter().filter(|v| v.accepted)
    }
}

/// A variant to send: its attack name, explanation and token.
#[derive(Debug, Clone)]
pub struct ProbeVariant {
    pub attack: String,
    pub explanation: String,
    pub token: String,
}

/// Sends the original token, no token, and each variant, one request each, in that order.
/// `on_sent` is called after each request with the number sent so far.
pub async fn probe(
    client: &reqwest::Client,
    target: &ProbeTarget,
    original: &str,
    variants: &[ProbeVariant],
    on_sent: impl Fn(usize),
) -> ProbeReport {
    let original_answer = send(client, target, Some(original)).await;
    on_sent(1);
    let no_token = send(client, target, None).await;
    on_sent(2);
    let protected = !no_token.success() && no_token.status.is_some();
    let mut results = Vec::with_capacity(variants.len());
    for (i, variant) in variants.iter().enumerate() {
        let answer = send(client, target, Some(&variant.token)).await;
        on_sent(i + 3);
        results.push(ProbeResult {
            attack: variant.attack.clone(),
            explanation: variant.explanation.clone(),
            accepted: protected && answer.success(),
            like_original: answer.status.is_some()
                && answer.status == original_answer.status
                && answer.length == original_answer.length,
            answer,
        });
    }
    ProbeReport {
        url: target.url.clone(),
        original: original_answer,
        no_token,
        protected,
        variants: results,
    }
}

async fn send(client: &reqwest::Client, target: &ProbeTarget, token: Option<&str>) -> Answer {
    let method =
        reqwest::Method::from_bytes(target.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut request = client.request(method, &target.url).timeout(target.timeout);
    for (name, value) in &target.headers {
        request = request.header(name, value);
    }
    if let Some(token) = token {
        request = match &target.placement {
            Placement::Bearer => request.header("authorization", format!("Bearer {token}")),
            Placement::Header(name) => request.header(name, token),
            Placement::Cookie(name) => request.header("cookie", format!("{name}={token}")),
            Placement::Query(name) => request.query(&[(name, token)]),
        };
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            match response.bytes().await {
                Ok(body) => Answer {
                    status: Some(status),
                    length: Some(body.len()),
                    error: None,
                },
                Err(e) => Answer {
                    status: Some(status),
                    length: None,
                    error: Some(e.to_string()),
                },
            }
        }
        Err(e) => Answer {
            status: None,
            length: None,
            error: Some(describe_error(&e)),
        },
    }
}

/// A reqwest error in one sentence, with its underlying cause.
pub fn describe_error(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        format!("the request {kind}")
    } else {
        format!("the request {kind}: {cause}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placements_parse() {
        assert_eq!(Placement::parse("bearer"), Ok(Placement::Bearer));
        assert_eq!(
            Placement::parse("cookie:session"),
            Ok(Placement::Cookie("session".into()))
        );
        assert_eq!(
            Placement::parse("query:access_token"),
            Ok(Placement::Query("access_token".into()))
        );
        assert!(Placement::parse("header").is_err());
        assert!(Placement::parse("carrier-pigeon").is_err());
    }
}
