use super::*;

fn import(cmd: &str) -> Imported {
    import_curl(cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

#[test]
fn common_commands() {
    let i = import(
        "curl -X PUT -H 'X-A: 1' -H 'Content-Type: application/json' -d '{\"a\":1}' https://h/x",
    );
    assert_eq!(i.request.method, "PUT");
    assert_eq!(i.request.header_value("x-a"), Some("1"));
    assert_eq!(i.request.body, Body::Json("{\"a\":1}".into()));
    assert!(i.warnings.is_empty());

    let i = import("curl https://h/login -d user=bob -d 'pass=a%20b'");
    assert_eq!(i.request.method, "POST");
    assert_eq!(
        i.request.body,
        Body::Form(vec![Row::new("user", "bob"), Row::new("pass", "a b")])
    );

    let i = import("curl --json '{\"x\": true}' http://h/j");
    assert_eq!(
        (i.request.method.as_str(), i.request.body.clone()),
        ("POST", Body::Json("{\"x\": true}".into()))
    );
    assert_eq!(i.request.header_value("accept"), Some("application/json"));

    let i = import(
        "curl -sSLk -u alice:pw --compressed -b 'sid=1' \\\n  --max-redirs 3 -m 2.5 http://h/",
    );
    assert!(i.request.options.follow_redirects && !i.request.options.verify_tls);
    assert_eq!(i.request.options.max_redirects, 3);
    assert_eq!(i.request.options.timeout_ms, 2500);
    assert_eq!(
        i.request.auth,
        Auth::Basic {
            username: "alice".into(),
            password: "pw".into()
        }
    );
    assert_eq!(i.request.header_value("cookie"), Some("sid=1"));

    let i = import("curl -F name=ada -F 'file=@/tmp/a.png' http://h/up");
    let Body::Multipart(parts) = &i.request.body else {
        panic!()
    };
    assert_eq!(parts[1].value, PartValue::File("/tmp/a.png".into()));
    assert_eq!(i.request.method, "POST");

    let i = import("curl --data-binary @body.bin -XPATCH http://h/f");
    assert_eq!(
        (i.request.method.as_str(), i.request.body.clone()),
        ("PATCH", Body::File("body.bin".into()))
    );
    let i = import("curl --data-raw '@not-a-file' -H 'Content-Type: text/plain' http://h/r");
    assert_eq!(i.request.body, Body::Raw("@not-a-file".into()));
    let i = import("curl -G -d q=rust http://h/search -I");
    assert_eq!(i.request.query, [Row::new("q", "rust")]);
    assert_eq!(i.request.method, "HEAD");
}

#[test]
fn unknown_flags_are_reported() {
    let i = import("curl --frobnicate -o out.txt http://h/");
    assert_eq!(i.warnings.len(), 2, "{:?}", i.warnings);
    assert!(i.warnings[0].contains("--frobnicate"));
    assert!(i.warnings[1].contains("--output") || i.warnings[1].contains("-o"));
}

#[test]
fn bad_commands() {
    assert_eq!(import_curl("wget http://h/"), Err(CurlError::NotCurl));
    assert_eq!(import_curl("curl 'http://h/"), Err(CurlError::Quotes));
    assert_eq!(
        import_curl("curl -H"),
        Err(CurlError::MissingValue("-H".into()))
    );
    assert_eq!(import_curl("curl -k"), Err(CurlError::NoUrl));
}

#[test]
fn non_ascii_after_a_dash_is_a_warning_not_a_panic() {
    // `-é` once cut the UTF-8 sequence of `é` in half with a byte slice.
    let i = import("curl http://127.0.0.1/ -é");
    assert_eq!(i.request.url, "http://127.0.0.1/");
    assert!(
        i.warnings.iter().any(|w| w.contains("-é")),
        "{:?}",
        i.warnings
    );
    // A value attached to a short flag may itself start with a multi-byte char.
    let i = import("curl '-Hé: 1' http://h/");
    assert_eq!(i.request.header_value("é"), Some("1"));
    let i = import("curl -Xé http://h/");
    assert_eq!(i.request.method, "é");
}

#[test]
fn a_timeout_must_be_a_finite_number_of_seconds() {
    for bad in ["inf", "NaN", "-1"] {
        assert!(
            matches!(
                import_curl(&format!("curl -m {bad} http://h/")),
                Err(CurlError::BadValue { .. })
            ),
            "{bad}"
        );
    }
}
