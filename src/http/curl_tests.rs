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
    assert_eq!(i.request.url, "http://h/search?q=rust");
    assert_eq!(i.request.method, "HEAD");
}

#[test]
fn ignored_options_are_named_in_one_warning_per_reason() {
    let i = import("curl -sS -o out.txt --retry 2 http://h/");
    assert_eq!(
        i.warnings,
        [
            "ignored -s, -S, -o: it changes only what curl prints or saves",
            "ignored --retry: it changes how curl connects, waits or retries, not what it sends"
        ]
    );
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
    assert_eq!(
        import_curl("curl -sH"),
        Err(CurlError::MissingValue("-H".into()))
    );
}

#[test]
fn non_ascii_after_a_dash_is_a_warning_not_a_panic() {
    // `-é` once cut the UTF-8 sequence of `é` in half with a byte slice.
    match import_curl("curl http://127.0.0.1/ -é") {
        Err(CurlError::Refused(why)) => assert!(why.contains("-é"), "{why}"),
        other => panic!("{other:?}"),
    }
    // A value attached to a short option may itself start with a multi-byte char.
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
    let i = import("curl http://h/ -H $'x-b: \\x41\\u00e9\\101'");
    assert_eq!(i.request.header_value("x-b"), Some("AéA"));
}

#[test]
fn what_would_send_something_else_is_refused() {
    for (cmd, says) in [
        ("curl --anyauth -u a:b http://h/", "authentication scheme"),
        ("curl --ntlm http://h/", "NTLM"),
        ("curl -T up.bin http://h/", "uploads a file"),
        ("curl --socks5-gssapi -x socks5://p http://h/", "SOCKS"),
        ("curl -u alice http://h/", "ask for one"),
        ("curl --header=X:1 http://h/", "not an option curl knows"),
        ("curl ftp://h/f", "only speaks HTTP"),
        ("curl 'http://h/{a,b}'", "globbing"),
        ("curl http://h/ < body.json", "shell syntax"),
        ("curl http://h/ | jq .", "shell syntax"),
        ("curl --frobnicate value http://h/", "--frobnicate"),
        ("curl --anyauth -u a:b http://h/", "authentication scheme"),
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
    // --http2 falls back to HTTP/1.1 where h2 is not offered by ALPN; prior knowledge
    // insists; on http:// curl asks for an h2c upgrade, which apiward does not do.
    assert!(import_curl("curl --http2 http://h/").is_err());
    assert_eq!(
        import("curl --http2 https://h/")
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

#[test]
fn options_are_read_as_curl_reads_them() {
    // A bundle runs until an option that takes a value; that takes the rest of the word.
    let i = import("curl -sLXPOST -kd a=1 http://h/");
    assert_eq!(i.request.method, "POST");
    assert!(i.request.options.follow_redirects && !i.request.options.verify_tls);
    assert_eq!(i.request.body, Body::Form(vec![Row::new("a", "1")]));
    // Abbreviations curl accepts, --no- forms, and `--` before a URL that starts with -.
    let i = import("curl --verb -L --no-location -k --no-insec --location -- http://h/");
    assert!(i.request.options.follow_redirects && i.request.options.verify_tls);
    match import_curl("curl --locat http://h/") {
        Err(CurlError::Refused(why)) => assert!(why.contains("--location-trusted"), "{why}"),
        other => panic!("{other:?}"),
    }
    // The value of any option that takes one is never the URL, however it looks.
    let i = import("curl --limit-rate http://not-the-url/ http://h/");
    assert_eq!(i.request.url, "http://h/");
    // Every option in the table has a rule: none falls through to "no rule".
    for option in options::OPTIONS {
        let value = if option.arg == options::Arg::Value {
            " 1"
        } else {
            ""
        };
        let cmd = format!("curl --{}{value} http://h/", option.long);
        if let Err(CurlError::Refused(why)) = import_curl(&cmd) {
            assert!(!why.contains("no rule"), "{cmd}: {why}");
        }
    }
}

#[test]
fn url_encoding_options_follow_curl() {
    let i = import("curl --data-urlencode '=a*~ b' --data-urlencode 'n=é&' http://h/");
    assert_eq!(i.request.body, Body::Raw("a%2A~+b&n=%C3%A9%26".into()));
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("v.txt");
    std::fs::write(&f, "x y\n").unwrap();
    let i = import(&format!(
        "curl --data-urlencode 'k@{}' http://h/",
        f.display()
    ));
    assert_eq!(i.request.body, Body::Form(vec![Row::new("k", "x y\n")]));
    // --url-query appends to the query, its escapes in lower case as curl's URL API writes.
    let i =
        import("curl --url-query 'a=b c' --url-query '+raw=%2A' --url-query '=é' 'http://h/p?q=1'");
    assert_eq!(i.request.url, "http://h/p?q=1&a=b+c&raw=%2a&%c3%a9");
}

#[test]
fn the_url_as_curl_settles_it() {
    assert_eq!(import("curl h.example/x").request.url, "http://h.example/x");
    assert_eq!(
        import("curl --proto-default https h.example").request.url,
        "https://h.example"
    );
    let i = import("curl 'http://al%40ice:p%3Aw@h/x#frag'");
    assert_eq!(i.request.url, "http://h/x");
    assert_eq!(
        i.request.auth,
        Auth::Basic {
            username: "al@ice".into(),
            password: "p:w".into()
        }
    );
    // -u wins over the URL's credentials.
    let i = import("curl -u bob:pw http://x:y@h/");
    assert_eq!(
        i.request.auth,
        Auth::Basic {
            username: "bob".into(),
            password: "pw".into()
        }
    );
    assert!(import_curl("curl --disallow-username-in-url http://x:y@h/").is_err());
    // -g takes brackets as they are; IPv6 hosts are no pattern.
    assert_eq!(
        import("curl -g 'http://h/?a[]=1'").request.url,
        "http://h/?a[]=1"
    );
    assert_eq!(
        import("curl 'http://[::1]:8080/'").request.url,
        "http://[::1]:8080/"
    );
    assert_eq!(
        import("curl '{{base}}/users?x=1'").request.url,
        "{{base}}/users?x=1"
    );
    assert!(import_curl("curl --path-as-is http://h/a/../b").is_err());
    assert_eq!(
        import("curl --path-as-is http://h/a/b").request.url,
        "http://h/a/b"
    );
    let i = import("curl -r 0-99 http://h/");
    assert_eq!(i.request.header_value("range"), Some("bytes=0-99"));
    let i = import("curl -C 100 http://h/");
    assert_eq!(i.request.header_value("range"), Some("bytes=100-"));
}

#[test]
fn resolve_and_connect_to_over_http() {
    let i = import("curl --resolve api.example:8080:127.0.0.1 http://api.example:8080/v1");
    assert_eq!(i.request.url, "http://127.0.0.1:8080/v1");
    assert_eq!(i.request.header_value("host"), Some("api.example:8080"));
    let i = import("curl --resolve api.example:80:::1 http://api.example/v1");
    assert_eq!(i.request.url, "http://[::1]:80/v1");
    assert_eq!(i.request.header_value("host"), Some("api.example"));
    let i = import("curl --connect-to ::127.0.0.1:9000 http://api.example/");
    assert_eq!(i.request.url, "http://127.0.0.1:9000/");
    assert_eq!(i.request.header_value("host"), Some("api.example"));
    // An entry for another host changes nothing, and says so.
    let i = import("curl --resolve other:80:10.0.0.1 http://api.example/");
    assert_eq!(i.request.url, "http://api.example/");
    assert!(
        i.warnings[0].contains("changes nothing"),
        "{:?}",
        i.warnings
    );
}

#[test]
fn proxies_and_digest_as_curl_picks_them() {
    let i = import("curl -x proxy:3128 -U 'u:p w' http://h/");
    assert_eq!(
        i.request.options.proxy.as_deref(),
        Some("u:p%20w@proxy:3128")
    );
    let i = import("curl -x http://proxy:3128 --noproxy example.com http://api.example.com/");
    assert_eq!(i.request.options.no_proxy.as_deref(), Some("example.com"));
    assert_eq!(i.request.options.proxy, None);
    let i = import("curl -x http://proxy:3128 --noproxy example.com http://example.org/");
    assert_eq!(
        i.request.options.proxy.as_deref(),
        Some("http://proxy:3128")
    );
    // An empty proxy turns the environment's off too.
    let i = import("curl -x '' http://h/");
    assert_eq!(
        (
            i.request.options.proxy,
            i.request.options.no_proxy.as_deref()
        ),
        (None, Some("*"))
    );
    let i = import("curl --socks5-hostname 127.0.0.1:9050 http://h/");
    assert_eq!(
        i.request.options.proxy.as_deref(),
        Some("socks5h://127.0.0.1:9050")
    );
    for cmd in [
        "curl --digest -u alice:pw http://h/",
        "curl -u alice:pw --digest http://h/",
        "curl --digest http://alice:pw@h/",
    ] {
        assert_eq!(
            import(cmd).request.auth,
            Auth::Digest {
                username: "alice".into(),
                password: "pw".into()
            },
            "{cmd}"
        );
    }
}

#[test]
fn headers_cookies_and_forms_as_curl_sends_them() {
    let dir = tempfile::tempdir().unwrap();
    let headers = dir.path().join("h.txt");
    std::fs::write(&headers, "X-One: 1\nX-Two: 2\n").unwrap();
    let i = import(&format!(
        "curl -H @{} -H 'X-Empty;' -H 'Expect:' http://h/",
        headers.display()
    ));
    let names: Vec<(&str, &str)> = i
        .request
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(names, [("X-One", "1"), ("X-Two", "2"), ("X-Empty", "")]);
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    assert!(import("curl -H 'Accept:' http://h/").warnings[0].contains("Accept"));

    let jar = dir.path().join("jar.txt");
    std::fs::write(
        &jar,
        "# Netscape HTTP Cookie File\n\
         .h.example\tTRUE\t/\tFALSE\t0\tsession\ts\n\
         h.example\tFALSE\t/api\tFALSE\t4102444800\tdeep\td\n\
         #HttpOnly_h.example\tFALSE\t/\tTRUE\t4102444800\tsecure\tx\n\
         h.example\tFALSE\t/\tFALSE\t1\told\to\n\
         other.example\tFALSE\t/\tFALSE\t0\tother\tz\n",
    )
    .unwrap();
    let i = import(&format!(
        "curl -b {} -b 'a=1' -b 'b=2' http://www.h.example/api/x",
        jar.display()
    ));
    assert_eq!(i.request.header_value("cookie"), Some("session=s; a=1;b=2"));
    let i = import(&format!(
        "curl -b {} https://h.example/api/x",
        jar.display()
    ));
    assert_eq!(
        i.request.header_value("cookie"),
        Some("deep=d; session=s; secure=x")
    );
    let i = import(&format!("curl -j -b {} http://h.example/", jar.display()));
    assert_eq!(i.request.header_value("cookie"), None);

    let text = dir.path().join("t.txt");
    std::fs::write(&text, "from a file").unwrap();
    let i = import(&format!("curl -F 'note=<{}' http://h/", text.display()));
    let Body::Multipart(parts) = &i.request.body else {
        panic!()
    };
    assert_eq!(parts[0].value, PartValue::Text("from a file".into()));
    for cmd in [
        "curl -F 'f=@a.png;type=image/png' http://h/",
        "curl -F 'f=@a.png;filename=b.png' http://h/",
        "curl -F novalue http://h/",
        "curl -d @- http://h/",
        "curl --data-binary @- http://h/",
    ] {
        assert!(
            matches!(import_curl(cmd), Err(CurlError::Refused(_))),
            "{cmd}"
        );
    }
    let i = import("curl --form-string 'f=@literal;type=x' http://h/");
    let Body::Multipart(parts) = &i.request.body else {
        panic!()
    };
    assert_eq!(parts[0].value, PartValue::Text("@literal;type=x".into()));
}

#[test]
fn resolve_and_connect_to_over_https_keep_the_url_and_name_the_address() {
    for (command, url, to) in [
        (
            "curl --resolve h:443:127.0.0.1 https://h/x",
            "https://h/x",
            "127.0.0.1:443",
        ),
        (
            "curl --connect-to h:443:127.0.0.1:8443 https://h/x",
            "https://h/x",
            "127.0.0.1:8443",
        ),
        (
            "curl --connect-to ::127.0.0.1: https://h:9443/x",
            "https://h:9443/x",
            "127.0.0.1:9443",
        ),
    ] {
        let i = import(command);
        assert_eq!(i.request.url, url, "{command}");
        assert_eq!(
            i.request.options.connect_to.as_deref(),
            Some(to),
            "{command}"
        );
    }
    let i = import("curl --connect-timeout 2.5 http://127.0.0.1/");
    assert_eq!(i.request.options.connect_timeout_ms, Some(2500));
}
