//! Whole responses scored side by side: the real MDN HTTP Observatory (its own retriever and
//! analysers, run by node through `tests/observatory/score.mjs`) and `apiward audit --json`,
//! on local servers that send typical real-world header sets. Score, grade and every test's
//! result and modifier must agree, except the deliberate differences listed in
//! `docs/audit.md`, which are listed again here and must be the only ones.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use apiward::audit::scoring::{self, ScoredTest};
use bytes::Bytes;
use http_body_util::Full;
use hyper::Response;
use serde_json::Value;

use crate::audit_support::FnServer;
use crate::cli_basics::apiward_process;
use crate::harness::{Route, TestCa, TestServer};

/// How a header set is served.
#[derive(Clone, Copy, PartialEq)]
enum Serve {
    Http,
    Https,
    /// Plain http answering 301 to the https server, which sends the headers.
    HttpToHttps,
    /// Plain http reflecting any Origin with credentials (the headers are ignored).
    ReflectingCors,
}

struct Case {
    name: &'static str,
    serve: Serve,
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
}

const HSTS_YEAR: (&str, &str) = ("strict-transport-security", "max-age=31536000");

const NGINX_PAGE: &str = "<!DOCTYPE html><html><head><title>Welcome to nginx!</title>\
<style>html { color-scheme: light dark; }</style></head><body><h1>Welcome to nginx!</h1>\
<p>If you see this page, the nginx web server is successfully installed.</p></body></html>";

const NONCE_PAGE: &str = "<!DOCTYPE html><html><head><title>shop</title>\
<script nonce=\"r4nd0m\">window.boot = 1;</script>\
<script nonce=\"r4nd0m\" src=\"/static/app.js\"></script></head><body></body></html>";

const SRI_PAGE: &str = "<!DOCTYPE html><html><head>\
<script src=\"https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js\" \
integrity=\"sha384-YvpcrYf0tY3lHB60NNkmXc5s9fDVZLESaAA55NDzOxhy9GkcIdslK1eN7N6jIeHz\" \
crossorigin=\"anonymous\"></script></head><body></body></html>";

const NO_SRI_PAGE: &str = "<!DOCTYPE html><html><head>\
<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>\
<script src=\"/js/site.js\"></script></head><body></body></html>";

const HTTP_SCRIPT_PAGE: &str = "<!DOCTYPE html><html><head>\
<script src=\"http://cdn.example.net/widget.js\"></script></head><body></body></html>";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "bare API (http)",
            serve: Serve::Http,
            status: 200,
            headers: &[("content-type", "application/json")],
            body: "{\"ok\":true}",
        },
        Case {
            name: "bare API (https)",
            serve: Serve::Https,
            status: 200,
            headers: &[("content-type", "application/json")],
            body: "{\"ok\":true}",
        },
        Case {
            name: "API behind a gateway, 401",
            serve: Serve::Https,
            status: 401,
            headers: &[
                ("content-type", "application/json"),
                ("www-authenticate", "Bearer realm=\"api\""),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
                ("cache-control", "no-store"),
            ],
            body: "{\"error\":\"unauthorized\"}",
        },
        Case {
            name: "nginx default page",
            serve: Serve::Https,
            status: 200,
            headers: &[("server", "nginx/1.24.0"), ("content-type", "text/html")],
            body: NGINX_PAGE,
        },
        Case {
            name: "hardened (nonce CSP, HSTS preload)",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=utf-8"),
                (
                    "strict-transport-security",
                    "max-age=63072000; includeSubDomains; preload",
                ),
                (
                    "content-security-policy",
                    "default-src 'none'; script-src 'nonce-r4nd0m' 'strict-dynamic'; \
                     style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; \
                     form-action 'self'; frame-ancestors 'none'",
                ),
                ("x-frame-options", "DENY"),
                ("x-content-type-options", "nosniff"),
                ("referrer-policy", "no-referrer"),
                ("cross-origin-resource-policy", "same-origin"),
                ("cross-origin-opener-policy", "same-origin"),
                ("cross-origin-embedder-policy", "require-corp"),
            ],
            body: NONCE_PAGE,
        },
        Case {
            name: "Express + helmet defaults",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=utf-8"),
                (
                    "content-security-policy",
                    "default-src 'self';base-uri 'self';font-src 'self' https: data:;\
                     form-action 'self';frame-ancestors 'self';img-src 'self' data:;\
                     object-src 'none';script-src 'self';script-src-attr 'none';\
                     style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
                ),
                ("cross-origin-opener-policy", "same-origin"),
                ("cross-origin-resource-policy", "same-origin"),
                ("origin-agent-cluster", "?1"),
                ("referrer-policy", "no-referrer"),
                (
                    "strict-transport-security",
                    "max-age=31536000; includeSubDomains",
                ),
                ("x-content-type-options", "nosniff"),
                ("x-dns-prefetch-control", "off"),
                ("x-download-options", "noopen"),
                ("x-frame-options", "SAMEORIGIN"),
                ("x-permitted-cross-domain-policies", "none"),
                ("x-xss-protection", "0"),
            ],
            body: "<!DOCTYPE html><html><body>hello</body></html>",
        },
        Case {
            name: "Django SecurityMiddleware defaults",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=utf-8"),
                ("x-frame-options", "DENY"),
                ("x-content-type-options", "nosniff"),
                ("referrer-policy", "same-origin"),
                ("cross-origin-opener-policy", "same-origin"),
                ("vary", "Cookie"),
                (
                    "set-cookie",
                    "csrftoken=Xo3pFQ2mZ1; expires=Sat, 04 Dec 2027 00:00:00 GMT; \
                     Max-Age=31449600; Path=/; SameSite=Lax",
                ),
            ],
            body: "<!DOCTYPE html><html><body><form method=\"post\"></form></body></html>",
        },
        Case {
            name: "Rails 7 defaults (force_ssl)",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=utf-8"),
                ("x-frame-options", "SAMEORIGIN"),
                ("x-xss-protection", "0"),
                ("x-content-type-options", "nosniff"),
                ("x-permitted-cross-domain-policies", "none"),
                ("referrer-policy", "strict-origin-when-cross-origin"),
                (
                    "strict-transport-security",
                    "max-age=63072000; includeSubDomains",
                ),
                (
                    "set-cookie",
                    "_shop_session=a1b2c3; path=/; secure; httponly; samesite=lax",
                ),
            ],
            body: "<!DOCTYPE html><html><body>rails</body></html>",
        },
        Case {
            name: "PHP session cookie over http",
            serve: Serve::Http,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=UTF-8"),
                ("x-powered-by", "PHP/8.2.12"),
                ("set-cookie", "PHPSESSID=9c4e1f0b2a; path=/"),
            ],
            body: "<html><body>php</body></html>",
        },
        Case {
            name: "session cookie without Secure or HttpOnly, HSTS",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "application/json"),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
                ("set-cookie", "sessionid=abc123; Path=/; SameSite=Strict"),
                ("set-cookie", "theme=dark; Path=/; Secure"),
            ],
            body: "{}",
        },
        Case {
            name: "CSP with 'unsafe-inline' and 'unsafe-eval'",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                (
                    "content-security-policy",
                    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' \
                     https://www.google-analytics.com; style-src 'self' 'unsafe-inline'",
                ),
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "SAMEORIGIN"),
            ],
            body: "<html><body><script>ga()</script></body></html>",
        },
        Case {
            name: "report-only CSP",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                (
                    "content-security-policy-report-only",
                    "default-src 'self'; report-uri /csp-report",
                ),
                ("x-content-type-options", "nosniff"),
            ],
            body: "<html><body>trial</body></html>",
        },
        Case {
            name: "CSP with script-src https://*",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                (
                    "content-security-policy",
                    "default-src 'none'; script-src https://*; form-action 'self'",
                ),
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "DENY"),
            ],
            body: "<html><body></body></html>",
        },
        Case {
            name: "HTML with SRI",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=utf-8"),
                HSTS_YEAR,
                (
                    "content-security-policy",
                    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; \
                     object-src 'none'",
                ),
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "DENY"),
                ("referrer-policy", "strict-origin-when-cross-origin"),
            ],
            body: SRI_PAGE,
        },
        Case {
            name: "HTML without SRI",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html; charset=utf-8"),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
            ],
            body: NO_SRI_PAGE,
        },
        Case {
            name: "http page loading an http script",
            serve: Serve::Http,
            status: 200,
            headers: &[("content-type", "text/html")],
            body: HTTP_SCRIPT_PAGE,
        },
        Case {
            name: "http redirecting to https",
            serve: Serve::HttpToHttps,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                (
                    "strict-transport-security",
                    "max-age=63072000; includeSubDomains",
                ),
                (
                    "content-security-policy",
                    "default-src 'self'; frame-ancestors 'self'",
                ),
                ("x-content-type-options", "nosniff"),
                ("referrer-policy", "strict-origin"),
                (
                    "set-cookie",
                    "sid=f00; Path=/; Secure; HttpOnly; SameSite=Lax",
                ),
            ],
            body: "<html><body>moved</body></html>",
        },
        Case {
            name: "CORS wildcard API",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "application/json"),
                ("access-control-allow-origin", "*"),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
            ],
            body: "[]",
        },
        Case {
            name: "static host without Content-Type",
            serve: Serve::Https,
            status: 200,
            headers: &[HSTS_YEAR, ("x-content-type-options", "nosniff")],
            body: "<html><head><script src=\"https://cdn.example.net/analytics.js\">\
                   </script></head><body></body></html>",
        },
        Case {
            name: "old jQuery snippet, protocol-relative",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
                (
                    "content-security-policy",
                    "default-src 'self'; frame-ancestors 'none'; script-src 'self' ajax.googleapis.com",
                ),
            ],
            body: "<html><head><script src=\"//ajax.googleapis.com/ajax/libs/jquery/\
                   1.12.4/jquery.min.js\"></script></head><body></body></html>",
        },
        Case {
            name: "HSTS sent twice (CDN and app)",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "application/json"),
                HSTS_YEAR,
                (
                    "strict-transport-security",
                    "max-age=31536000; includeSubDomains",
                ),
                ("x-content-type-options", "nosniff"),
            ],
            body: "{}",
        },
        Case {
            name: "CSP sent twice (CDN and app)",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                (
                    "content-security-policy",
                    "upgrade-insecure-requests; frame-ancestors 'self'",
                ),
                (
                    "content-security-policy",
                    "default-src 'self'; script-src 'self' 'unsafe-inline'",
                ),
                ("x-content-type-options", "nosniff"),
            ],
            body: "<html><body></body></html>",
        },
        Case {
            name: "CSP sent twice, the first with default-src",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                ("content-security-policy", "default-src 'self'"),
                (
                    "content-security-policy",
                    "script-src 'self' 'unsafe-inline'",
                ),
                ("x-content-type-options", "nosniff"),
            ],
            body: "<html><body></body></html>",
        },
        Case {
            name: "CSP header and a meta CSP",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                ("content-security-policy", "default-src 'self'"),
                ("x-content-type-options", "nosniff"),
            ],
            body: "<html><head><meta http-equiv=\"Content-Security-Policy\" \
                   content=\"script-src 'self' 'unsafe-inline'\"></head></html>",
        },
        Case {
            name: "SPA with a meta CSP only",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
            ],
            body: "<html><head><meta http-equiv=\"Content-Security-Policy\" \
                   content=\"default-src 'self'; object-src 'none'\"><meta name=\"referrer\" content=\"strict-origin-when-cross-origin\"></head>\
                   <body><script src=\"/app.js\"></script></body></html>",
        },
        Case {
            name: "Heroku app with an embed cookie",
            serve: Serve::Https,
            status: 200,
            headers: &[
                ("content-type", "text/html"),
                HSTS_YEAR,
                ("x-content-type-options", "nosniff"),
                (
                    "set-cookie",
                    "heroku-session-affinity=ACyDaANoA2; Path=/; HttpOnly",
                ),
                ("set-cookie", "embed_pref=wide; Path=/; SameSite=None"),
            ],
            body: "<html><body></body></html>",
        },
        Case {
            name: "CORS reflecting Origin with credentials",
            serve: Serve::ReflectingCors,
            status: 200,
            headers: &[],
            body: "",
        },
    ]
}

/// A documented difference: on this test, the Observatory says `observatory` and apiward
/// says `apiward` (result and modifier). docs/audit.md ("Deliberate differences") says why.
struct Difference {
    test: &'static str,
    observatory: (&'static str, i32),
    apiward: (&'static str, i32),
}

const DIFFERENCES: &[Difference] = &[
    // Observatory 1.5.0 re-scored X-Frame-Options to +5; npm has only 1.4.8, which gives 0.
    Difference {
        test: "x-frame-options",
        observatory: ("x-frame-options-sameorigin-or-deny", 0),
        apiward: ("x-frame-options-sameorigin-or-deny", 5),
    },
    // A page without Content-Type: 1.4.8 calls it not HTML; the Observatory's main branch
    // after it (`if (mime && !HTML_TYPES.has(mime))`) reads it as HTML, as browsers sniff
    // it, and so does apiward.
    Difference {
        test: "subresource-integrity",
        observatory: ("sri-not-implemented-response-not-html", 0),
        apiward: (
            "sri-not-implemented-but-external-scripts-loaded-securely",
            -5,
        ),
    },
    // Two CSP headers reach the Observatory joined with ", " as one string, which its parser
    // does not split: the second policy's directives become sources of the first's last
    // directive (here default-src gains 'unsafe-inline'). Browsers enforce both policies, so
    // the first one's default-src still bounds the second's script-src: no 'unsafe-inline'.
    Difference {
        test: "content-security-policy",
        observatory: ("csp-implemented-with-unsafe-inline", -20),
        apiward: ("csp-implemented-with-no-unsafe", 5),
    },
    // The live Observatory reads the preflight's Origin from `response.request.headers`,
    // which a Node ClientRequest does not have, so a scan never finds universal access (only
    // its unit tests, which set that field by hand, do). apiward scores what the test means.
    Difference {
        test: "cross-origin-resource-sharing",
        observatory: (
            "cross-origin-resource-sharing-implemented-with-restricted-access",
            0,
        ),
        apiward: (
            "cross-origin-resource-sharing-implemented-with-universal-access",
            -50,
        ),
    },
];

/// The package's folder, or why the oracle cannot run.
fn oracle() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/observatory");
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => {
            return Err(
                "node is not installed (apt-get install nodejs npm; then npm ci --prefix \
                 tests/observatory)"
                    .into(),
            );
        }
    }
    let pkg = dir.join("node_modules/@mdn/mdn-http-observatory/package.json");
    if !pkg.exists() {
        return Err(format!(
            "the MDN HTTP Observatory is not installed (npm ci --prefix {})",
            dir.display()
        ));
    }
    Ok(dir)
}

fn route(case: &Case, path: &str) -> Route {
    let mut r = Route::new(path).status(case.status).body(case.body);
    for (name, value) in case.headers {
        r = r.header(name, value);
    }
    r
}

struct Scored {
    score: i64,
    grade: String,
    /// Observatory test name to (result, modifier).
    tests: Vec<(String, String, i32)>,
}

/// The Observatory's verdict on `url`. Without `https_port`, score.mjs aims the other
/// scheme at port 0, which refuses every connection: no https server, or no http one.
fn observatory(dir: &Path, url: &str, https_port: Option<u16>, ca: &Path) -> Scored {
    let mut cmd = Command::new("node");
    cmd.arg(dir.join("score.mjs")).arg(url);
    if let Some(port) = https_port {
        cmd.args(["--https-port", &port.to_string()]);
    }
    let out = cmd
        .env("NODE_EXTRA_CA_CERTS", ca)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "score.mjs {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("score.mjs prints JSON");
    let tests = v["tests"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, t)| {
            (
                name.clone(),
                t["result"].as_str().unwrap_or("").to_string(),
                t["scoreModifier"].as_i64().unwrap() as i32,
            )
        })
        .collect();
    Scored {
        score: v["score"].as_i64().unwrap(),
        grade: v["grade"].as_str().unwrap().to_string(),
        tests,
    }
}

fn apiward(url: &str, ca: &Path) -> Scored {
    let home = tempfile::tempdir().unwrap();
    let out = apiward_process(home.path())
        .args(["audit", url, "--json", "--ca"])
        .arg(ca)
        .output()
        .expect("apiward runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "apiward audit {url}: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let tests = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["test"].as_str().unwrap().to_string(),
                t["result"].as_str().unwrap().to_string(),
                t["modifier"].as_i64().unwrap() as i32,
            )
        })
        .collect();
    Scored {
        score: v["score"].as_i64().unwrap_or(-1),
        grade: v["grade"].as_str().unwrap_or("").to_string(),
        tests,
    }
}

/// Serves one case and scores it both ways.
fn score_case(case: &Case, dir: &Path, ca: &TestCa, ca_file: &Path) -> (Scored, Scored) {
    let cert = ca.issue(&["localhost", "127.0.0.1"]);
    match case.serve {
        Serve::Http => {
            let s = TestServer::http(vec![route(case, "/")]);
            let url = s.localhost_url("/");
            (
                observatory(dir, &url, None, ca_file),
                apiward(&url, ca_file),
            )
        }
        Serve::Https => {
            let s = TestServer::https(vec![route(case, "/")], &cert);
            let url = s.localhost_url("/");
            (
                observatory(dir, &url, None, ca_file),
                apiward(&url, ca_file),
            )
        }
        Serve::HttpToHttps => {
            let secure = TestServer::https(vec![route(case, "/")], &cert);
            let to = secure.localhost_url("/");
            let plain = TestServer::http(vec![Route::new("/").status(301).header("location", &to)]);
            let url = plain.localhost_url("/");
            (
                observatory(dir, &url, Some(secure.addr.port()), ca_file),
                apiward(&url, ca_file),
            )
        }
        Serve::ReflectingCors => {
            let s = FnServer::start(
                None,
                Arc::new(|parts| {
                    let mut resp = Response::builder()
                        .status(200)
                        .header("content-type", "application/json");
                    if let Some(origin) = parts.headers.get("origin") {
                        resp = resp
                            .header("access-control-allow-origin", origin.clone())
                            .header("access-control-allow-credentials", "true");
                    }
                    resp.body(Full::new(Bytes::from_static(b"{}"))).unwrap()
                }),
            );
            let url = s.localhost_url("http", "/");
            (
                observatory(dir, &url, None, ca_file),
                apiward(&url, ca_file),
            )
        }
    }
}

#[test]
fn full_header_sets_score_as_the_observatory_scores_them() {
    let dir = match oracle() {
        Ok(d) => d,
        Err(why) => {
            println!("skipped: {why}");
            return;
        }
    };
    let ca = TestCa::new("observatory oracle CA");
    let ca_file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(ca_file.path(), ca.cert_pem()).unwrap();
    let cases = cases();
    assert!(cases.len() >= 13);
    // Four cases at a time: each starts node and apiward, and the Observatory gives a site
    // 10 s, which a loaded machine must not eat up.
    let mut scored: Vec<(Scored, Scored)> = Vec::new();
    for chunk in cases.chunks(4) {
        std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|c| s.spawn(|| score_case(c, &dir, &ca, ca_file.path())))
                .collect();
            scored.extend(handles.into_iter().map(|h| h.join().unwrap()));
        });
    }

    let mut problems = Vec::new();
    println!("| header set | Observatory | apiward | differences |");
    println!("|---|---|---|---|");
    for (case, (obs, ours)) in cases.iter().zip(&scored) {
        // The score the Observatory's results give once the documented differences take
        // apiward's side: apiward must reach exactly that.
        assert_eq!(
            obs.tests.len(),
            10,
            "{}: the Observatory runs ten tests",
            case.name
        );
        let mut expected = Vec::new();
        let mut explained = Vec::new();
        for (test, result, modifier) in &obs.tests {
            let Some((_, r, m)) = ours.tests.iter().find(|(t, _, _)| t == test) else {
                problems.push(format!("{}: apiward has no {test} test", case.name));
                continue;
            };
            let same = (r, *m) == (result, *modifier);
            let documented = DIFFERENCES.iter().find(|d| {
                d.test == test
                    && d.observatory == (result.as_str(), *modifier)
                    && d.apiward == (r.as_str(), *m)
            });
            match (same, documented) {
                (true, _) => {}
                (false, Some(d)) => explained.push(format!("{} {:+} vs {:+}", d.test, modifier, m)),
                (false, None) => problems.push(format!(
                    "{}: {test}: Observatory {result} ({modifier:+}), apiward {r} ({m:+})",
                    case.name
                )),
            }
            let chosen = if documented.is_some() { *m } else { *modifier };
            expected.push(ScoredTest {
                test: "",
                result: "",
                modifier: chosen,
                description: "",
            });
        }
        let want = scoring::score(&expected) as i64;
        if explained.is_empty()
            && (ours.score, ours.grade.as_str()) != (obs.score.max(0), obs.grade.as_str())
        {
            problems.push(format!(
                "{}: Observatory {} {}, apiward {} {}",
                case.name, obs.score, obs.grade, ours.score, ours.grade
            ));
        }
        if ours.score != want || ours.grade != scoring::grade(want as u32) {
            problems.push(format!(
                "{}: apiward {} {}, but the Observatory's results with the documented \
                 differences give {want} {}",
                case.name,
                ours.score,
                ours.grade,
                scoring::grade(want as u32)
            ));
        }
        println!(
            "| {} | {} {} | {} {} | {} |",
            case.name,
            obs.score,
            obs.grade,
            ours.score,
            ours.grade,
            if explained.is_empty() {
                "none".to_string()
            } else {
                explained.join("; ")
            }
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
