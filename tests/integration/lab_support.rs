//! A practice lab for a test: started in process on port 0 in a temporary directory, with a
//! client that trusts the lab's CA and helpers for JSON calls.

use std::time::Duration;

use apiward::lab::{self, LabConfig, LabHandle};
use assert_cmd::Command;
use serde_json::Value;

pub struct TestLab {
    pub handle: LabHandle,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
    pub rt: tokio::runtime::Runtime,
}

/// An answer: status, headers and the body (as JSON when it is).
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestLab {
    pub fn start() -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let handle = rt.block_on(lab::start(LabConfig::new(dir.path()))).unwrap();
        let client = apiward::http::build_client(&apiward::http::ClientOptions {
            timeout: Duration::from_secs(20),
            insecure: false,
            ca_pem: Some(handle.ca_pem.clone().into_bytes()),
            follow_redirects: None,
        })
        .unwrap();
        std::fs::write(dir.path().join("ca.pem"), &handle.ca_pem).unwrap();
        Self {
            handle,
            dir,
            client,
            rt,
        }
    }

    pub fn http(&self, path: &str) -> String {
        format!("{}{path}", self.handle.http_url())
    }

    pub fn https(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.handle.https_addr.port())
    }

    pub fn ca_file(&self) -> String {
        self.dir.path().join("ca.pem").display().to_string()
    }

    /// Sends a request; `token` goes in as a bearer token, `body` as JSON.
    pub fn call(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut req = self
            .client
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.rt.block_on(async {
            let r = req.send().await.expect("the lab answers");
            let status = r.status().as_u16();
            let headers = r.headers().clone();
            Answer {
                status,
                headers,
                text: r.text().await.unwrap(),
            }
        })
    }

    pub fn get(&self, url: &str, token: Option<&str>) -> Answer {
        self.call("GET", url, token, None, &[])
    }

    /// Logs in as `user` at `url` (a login route) and returns the answer's JSON.
    pub fn login_at(&self, url: &str, user: &str, password: &str) -> Value {
        let a = self.call(
            "POST",
            url,
            None,
            Some(serde_json::json!({ "username": user, "password": password })),
            &[],
        );
        assert_eq!(a.status, 200, "login at {url}: {}", a.text);
        a.json()
    }

    /// A token for a JWT class from `prefix` ("" or "/hardened"), as alice.
    pub fn jwt_token(&self, prefix: &str, class: &str) -> String {
        let url = self.https(&format!("{prefix}/jwt/{class}/login"));
        self.login_at(&url, "alice", "alice-password")["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn has(&self, id: &str) -> bool {
        self.handle.state.has(id)
    }

    pub fn success_ids(&self) -> Vec<String> {
        self.handle
            .state
            .successes()
            .into_iter()
            .map(|s| s.id)
            .collect()
    }
}

pub fn apiward() -> Command {
    let mut cmd = Command::cargo_bin("apiward").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs a command and parses its stdout as JSON, returning it with the exit code.
pub fn json_run(cmd: &mut Command) -> (i32, Value) {
    let out = cmd.output().unwrap();
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), value)
}
