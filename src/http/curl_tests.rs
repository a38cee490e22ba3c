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

    let i = import("curl https://h/login -d user=bob -d 'pass=a+b'");
    assert_eq!(i.request.method, "POST");
    assert_eq!(
        i.request.body,
        Body::Form(vec![Row::new("user", "bob"), Row::new("pass", "a b")])
    );
    // A form the table would write back differently stays as curl sends it.
    let i = import("curl https://h/login -d 'pass=a%20b' -d 'name=Ada Lovelace'");
    assert_eq!(
        i.request.body,
        Body::Raw("pass=a%20b&name=Ada Lovelace".into())
    );
    assert_eq!(
        i.request.header_value("content-type"),
        Some("application/x-www-form-urlencoded")
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

#[test]
fn chrome_bash_quoting_is_decoded() {
    let i = import(
        "curl 'http://h/api' -H $'x-note: it\\'s' --data-raw $'{\"a\":\"b\\\\nc\"}\\r\\n' -X POST",
    );
    assert_eq!(i.request.header_value("x-note"), Some("it's"));
    assert_eq!(i.request.body, Body::Raw("{\"a\":\"b\\nc\"}\r\n".into()));
    // Inside ordinary quotes a `$'` is text.
    let i = import("curl http://h/ -H 'x-a: $'\"'\"'b'\"'\"''");
    assert_eq!(i.request.header_value("x-a"), Some("$'b'"));
    assert_eq!(
        ansi_c_quotes("$'\\x41\\u00e9\\101'").unwrap(),
        "'Aé A'".replace(' ', "")
    );
}

#[test]
fn what_would_send_something_else_is_refused() {
    for (cmd, says) in [
        ("curl --digest -u a:b http://h/", "Digest"),
        ("curl --ntlm http://h/", "NTLM"),
        ("curl -T up.bin http://h/", "uploads a file"),
        (
            "curl --resolve h:80:10.0.0.1 http://h/",
            "address of its choosing",
        ),
        ("curl http://h/ < body.json", "shell syntax"),
        ("curl http://h/ | jq .", "shell syntax"),
        ("curl --frobnicate value http://h/", "--frobnicate"),
        ("curl http://a/ http://b/", "two URLs"),
    ] {
        match import_curl(cmd) {
            Err(CurlError::Refused(why)) => assert!(why.contains(says), "{cmd}: {why}"),
            other => panic!("{cmd}: {other:?}"),
        }
    }
    // Options that only shape curl's own output take their value with them.
    let i = import("curl -c jar.txt -o out.json --retry 3 http://h/x");
    assert_eq!(i.request.url, "http://h/x");
    assert_eq!(i.warnings.len(), 3, "{:?}", i.warnings);
}

#[test]
fn curl_method_and_version_rules() {
    // -X GET keeps GET with a body, as curl does.
    let i = import("curl -X GET http://h/ -d a=1");
    assert_eq!(i.request.method, "GET");
    let i = import("curl http://h/ -d a=1");
    assert_eq!(i.request.method, "POST");
    // --http2 falls back to HTTP/1.1 where h2 is not offered; prior knowledge insists.
    assert_eq!(
        import("curl --http2 http://h/")
            .request
            .options
            .http_version,
        HttpVersion::Auto
    );
    assert_eq!(
        import("curl --http2-prior-knowledge http://h/")
            .request
            .options
            .http_version,
        HttpVersion::Http2
    );
    // A hand-written multipart type without a boundary gives way to the body's own.
    let i = import("curl -H 'Content-Type: multipart/form-data' -F a=b http://h/");
    assert_eq!(i.request.header_value("content-type"), None);
}

#[test]
fn body_files_are_found_where_the_command_was_pasted() {
    assert!(matches!(
        import_curl("curl -d a=1 -F b=2 http://h/"),
        Err(CurlError::Refused(_))
    ));
    let mut i = import("curl --data-binary @body.json http://h/");
    i.resolve_files(std::path::Path::new("/work/dir"));
    assert_eq!(i.request.body, Body::File("/work/dir/body.json".into()));
    let mut i = import("curl -F up=@/abs/f.txt -F rel=@part.bin http://h/");
    i.resolve_files(std::path::Path::new("/work/dir"));
    let Body::Multipart(parts) = &i.request.body else {
        panic!("{:?}", i.request.body)
    };
    assert_eq!(parts[0].value, PartValue::File("/abs/f.txt".into()));
    assert_eq!(parts[1].value, PartValue::File("/work/dir/part.bin".into()));
}

#[test]
fn a_socks_proxy_is_kept_and_one_apiward_cannot_speak_is_refused() {
    let vars = crate::http::Vars::new();
    let i = import("curl -x socks5h://127.0.0.1:9050 http://h/");
    let p = crate::http::prepare(&i.request, &vars, None).unwrap();
    assert_eq!(p.options.proxy.as_deref(), Some("socks5h://127.0.0.1:9050"));
    let i = import("curl -x ftp://127.0.0.1:21 http://h/");
    let err = crate::http::prepare(&i.request, &vars, None).unwrap_err();
    assert!(
        matches!(err, crate::http::PrepareError::BadProxy(..)),
        "{err}"
    );
}
