//! The HAR reader on small logs: noise, assets, dedupe, hosts, secrets.

use serde_json::json;

use super::*;

fn har(entries: Value) -> String {
    json!({"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
        "entries": entries}})
    .to_string()
}

fn entry(method: &str, url: &str, headers: Value, post: Option<Value>) -> Value {
    let mut request = json!({"method": method, "url": url, "httpVersion": "http/2.0",
        "headers": headers, "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0});
    if let Some(post) = post {
        request["postData"] = post;
    }
    json!({"request": request, "response": {"status": 200,
        "content": {"size": 2, "mimeType": "application/json"}}, "_resourceType": "fetch"})
}

#[test]
fn browser_noise_goes_and_meaningful_headers_stay() {
    let text = har(json!([entry(
        "GET",
        "https://api.example.com/v1/me?x=1",
        json!([
        {"name": ":authority", "value": "api.example.com"},
        {"name": ":method", "value": "GET"},
        {"name": "accept", "value": "application/json"},
        {"name": "accept-encoding", "value": "gzip, deflate, br, zstd"},
        {"name": "sec-ch-ua", "value": "\"Chromium\";v=\"131\""},
        {"name": "sec-fetch-mode", "value": "cors"},
        {"name": "x-request-id", "value": "abc"}]),
        None
    )]));
    let imported = import("h.har", &text, None).unwrap();
    let req = imported.requests().next().unwrap();
    assert_eq!(req.url, "{{base_url}}/v1/me?x=1");
    let names: Vec<&str> = req.headers.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["accept", "x-request-id"]);
    assert_eq!(imported.plan.files[0].stem, "api-example-com");
    assert_eq!(
        imported.plan.environments[0].values,
        [(
            "base_url".to_string(),
            "https://api.example.com".to_string()
        )]
    );
}

#[test]
fn secrets_leave_the_requests_once() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig-nature_value";
    let h = json!([{"name": "authorization", "value": format!("Bearer {jwt}")},
        {"name": "cookie", "value": "sid=s3ss10n"}, {"name": "cookie", "value": "theme=dark"}]);
    let text = har(json!([
        entry("GET", "https://api.example.com/a", h.clone(), None),
        entry("GET", "https://api.example.com/a", h.clone(), None),
        entry(
            "POST",
            "https://api.example.com/login",
            h,
            Some(json!({
            "mimeType": "application/json", "text": "{\"user\":\"ann\",\"password\":\"pa55word\"}"}))
        ),
    ]));
    let imported = import("h.har", &text, None).unwrap();
    let reqs: Vec<&Request> = imported.requests().collect();
    assert_eq!(reqs.len(), 2, "the repeated GET is imported once");
    assert_eq!(
        reqs[0].header_value("authorization"),
        Some("Bearer {{api_example_com_authorization}}")
    );
    assert_eq!(
        reqs[1].header_value("cookie"),
        Some("{{api_example_com_cookie}}")
    );
    assert_eq!(
        reqs[1].body,
        Body::Json("{\"user\":\"ann\",\"password\":\"{{api_example_com_password}}\"}".into())
    );
    let text = format!("{:?}", imported.plan);
    for secret in [jwt, "s3ss10n", "pa55word"] {
        assert!(!text.contains(secret), "{secret} left in the plan");
    }
    assert_eq!(imported.secrets.len(), 3);
    assert!(
        imported
            .secrets
            .iter()
            .any(|s| s.value == "sid=s3ss10n; theme=dark")
    );
}

#[test]
fn host_filter_and_assets() {
    let text = har(json!([
        entry("GET", "https://api.example.com/a", json!([]), None),
        entry("GET", "https://cdn.example.net/app.js", json!([]), None),
        {"request": {"method": "GET", "url": "https://www.example.com/logo.png", "headers": []},
         "response": {"content": {"mimeType": "image/png"}}, "_resourceType": "image"},
        entry("GET", "data:text/plain,hi", json!([]), None),
    ]));
    let imported = import("h.har", &text, Some("api.example.com")).unwrap();
    assert_eq!(imported.requests().count(), 1);
    assert_eq!(
        imported.plan.warnings,
        ["3 request(s) to hosts other than api.example.com are left out"]
    );
    let all = import("h.har", &text, None).unwrap();
    assert_eq!(all.plan.files.len(), 2);
    assert!(
        all.plan
            .warnings
            .iter()
            .any(|w| w.starts_with("1 static asset"))
    );
    let err = import("h.har", &text, Some("nowhere.example"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "no request in the HAR goes to nowhere.example; its requests go to api.example.com, cdn.example.net"
    );
}

#[test]
fn forms_base64_and_bad_input() {
    let form = json!({"mimeType": "application/x-www-form-urlencoded", "text": "a=1&b=x+y"});
    let b64 = json!({"mimeType": "text/plain", "text": "aGVsbG8=", "encoding": "base64"});
    let text = har(json!([
        entry("POST", "https://x.example/f", json!([]), Some(form)),
        entry("PUT", "https://x.example/t", json!([]), Some(b64)),
    ]));
    let imported = import("h.har", &text, None).unwrap();
    let reqs: Vec<&Request> = imported.requests().collect();
    assert_eq!(
        reqs[0].body,
        Body::Form(vec![Row::new("a", "1"), Row::new("b", "x y")])
    );
    assert_eq!(reqs[1].body, Body::Raw("hello".into()));
    assert_eq!(reqs[1].header_value("content-type"), Some("text/plain"));
    for (text, says) in [
        ("nope", "not JSON"),
        ("{}", "no log object"),
        (
            "{\"log\": {\"version\": \"2.0\", \"entries\": []}}",
            "HAR 1.1 and 1.2",
        ),
        (
            "{\"log\": {\"version\": \"1.2\", \"entries\": []}}",
            "holds no requests",
        ),
    ] {
        let err = import("h.har", text, None).unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
}
