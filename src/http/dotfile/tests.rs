use super::*;
use crate::http::model::{Part, Row};

fn sample() -> HttpFile {
    let mut get = Request::new("GET", "{{base}}/users?fixed=1")
        .query("page", "2")
        .header("Accept", "application/json");
    get.name = "list-users".into();
    get.query.push(Row::new("debug", "1").disabled());
    get.headers.push(Row::new("X-Off", "y").disabled());
    get.auth = Auth::Bearer {
        token: "{{token}}".into(),
    };
    get.options.follow_redirects = true;
    get.options.timeout_ms = 1500;
    get.options.verify_tls = false;
    get.options.http_version = HttpVersion::Http2;
    get.options.no_proxy = Some("localhost,.internal".into());
    get.options.connect_timeout_ms = Some(2500);
    get.options.connect_to = Some("127.0.0.1:8443".into());
    get.tags = vec!["users".into(), "read-only".into()];

    let mut post = Request::new("POST", "{{base}}/users");
    post.name = "create".into();
    post.body = Body::Json("{\n  \"name\": \"Ada Lovelace\"\n}".into());
    post.auth = Auth::Jwt {
        alg: "HS256".into(),
        key: JwtKey::Secret("{{jwt_secret}}".into()),
        claims: r#"{"sub": "1", "iat": {{$timestamp}}}"#.into(),
    };

    let mut form = Request::new("PUT", "http://x/form");
    form.name = "form".into();
    form.body = Body::Form(vec![
        Row::new("a b", "c&d"),
        Row::new("e", "f"),
        Row::new("g", "h").disabled(),
    ]);
    form.auth = Auth::ApiKey {
        name: "X-Key".into(),
        value: "it's {{key}}".into(),
        place: KeyPlace::Header,
    };

    let mut upload = Request::new("POST", "http://x/upload");
    upload.name = "upload".into();
    upload.body = Body::Multipart(vec![
        Part {
            name: "title".into(),
            value: PartValue::Text("hello\nworld".into()),
            enabled: true,
        },
        Part {
            name: "file".into(),
            value: PartValue::File("data/a.txt".into()),
            enabled: true,
        },
    ]);
    upload.auth = Auth::Basic {
        username: "u".into(),
        password: "p w".into(),
    };
    upload.options.ca_file = Some("ca.pem".into());
    upload.options.proxy = Some("http://127.0.0.1:3128".into());
    upload.options.max_body = 1024;

    let mut no_parts = Request::new("POST", "http://x/upload");
    no_parts.name = "no-parts".into();
    no_parts.body = Body::Multipart(Vec::new());

    let mut raw = Request::new("PURGE", "http://x/cache");
    raw.name = "raw".into();
    raw.body = Body::Raw("plain text".into());
    raw.headers.push(Row::new("Content-Type", "text/plain"));

    let mut file = Request::new("POST", "http://x/file");
    file.name = "file".into();
    file.body = Body::File("body.bin".into());

    HttpFile {
        vars: vec![("base".into(), "http://127.0.0.1:8080".into())],
        requests: vec![get, post, form, upload, no_parts, raw, file],
        extras: Vec::new(),
    }
}

#[test]
fn what_apiward_writes_parses_back_the_same() {
    let file = sample();
    let text = write(&file);
    let parsed = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.vars, file.vars);
    for (a, b) in parsed.requests.iter().zip(&file.requests) {
        assert_eq!(a, b, "\n{text}");
    }
    assert_eq!(parsed.requests.len(), file.requests.len());
    assert_eq!(write(&parsed), text);
}

#[test]
fn an_empty_multipart_from_an_earlier_version_reads_as_no_parts() {
    // Earlier versions wrote the closing delimiter alone, which read back as one unnamed part.
    let text =
        "# @name no-parts\n# @body multipart\nPOST http://x/upload\n\n--apiward-boundary--\n";
    let parsed = parse(text).unwrap();
    assert_eq!(parsed.requests[0].body, Body::Multipart(Vec::new()));
    // A blank chunk before a real part is skipped, not taken for the end.
    let text = "# @body multipart\nPOST http://x/upload\n\n--b\n\n--b\n\
        Content-Disposition: form-data; name=\"x\"\n\nv\n--b--\n";
    let Body::Multipart(parts) = &parse(text).unwrap().requests[0].body else {
        panic!("not multipart");
    };
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name, "x");
}

#[test]
fn a_hand_written_jetbrains_file_parses() {
    let text = r#"@host = api.example.test
### List users
GET https://{{host}}/users
    ?page=1
    &size=20
Accept: application/json
// a comment

### Create
# @name create-user
# @no-redirect
POST https://{{host}}/users HTTP/1.1
Content-Type: application/json
Authorization: Basic alice s3cret

{
  "name": "Bob"
}

> {% client.global.set("id", response.body.id); %}

###
POST https://{{host}}/upload
Content-Type: multipart/form-data; boundary=WebAppBoundary

--WebAppBoundary
Content-Disposition: form-data; name="field-name"

field value
--WebAppBoundary
Content-Disposition: form-data; name="data"; filename="data.json"
Content-Type: application/json

< ./request-form-data.json
--WebAppBoundary--

###
POST https://{{host}}/login
Content-Type: application/x-www-form-urlencoded

user=bob&
pass=a%20b

###
https://{{host}}/health
"#;
    let file = parse(text).unwrap();
    assert_eq!(
        file.vars,
        [("host".to_string(), "api.example.test".to_string())]
    );
    let r = &file.requests;
    assert_eq!(r.len(), 5);
    assert_eq!(r[0].name, "List users");
    assert_eq!(r[0].query, [Row::new("page", "1"), Row::new("size", "20")]);
    assert_eq!(r[0].header_value("accept"), Some("application/json"));
    assert_eq!(r[1].name, "create-user");
    assert!(!r[1].options.follow_redirects);
    assert_eq!(r[1].body, Body::Json("{\n  \"name\": \"Bob\"\n}".into()));
    assert_eq!(
        r[1].auth,
        Auth::Basic {
            username: "alice".into(),
            password: "s3cret".into()
        }
    );
    let Body::Multipart(parts) = &r[2].body else {
        panic!("{:?}", r[2].body)
    };
    assert_eq!(parts[0].value, PartValue::Text("field value".into()));
    assert_eq!(parts[1].name, "data");
    assert_eq!(
        parts[1].value,
        PartValue::File("./request-form-data.json".into())
    );
    assert_eq!(r[2].header_value("content-type"), None);
    assert_eq!(
        r[3].body,
        Body::Form(vec![Row::new("user", "bob"), Row::new("pass", "a b")])
    );
    assert_eq!(
        (r[4].method.as_str(), r[4].url.as_str()),
        ("GET", "https://{{host}}/health")
    );
}

#[test]
fn inert_directives_are_the_ones_apiward_ignores() {
    for line in ["# @no-log", "// @no-cookie-jar", "# @no-redirect"] {
        assert!(super::is_inert_directive(line), "{line}");
    }
    for line in [
        "# @name x",
        "# @timeout 5",
        "# @follow",
        "# a comment",
        "GET http://x/",
    ] {
        assert!(!super::is_inert_directive(line), "{line}");
    }
}

#[test]
fn tags_are_read_from_one_or_several_lines_each_once() {
    let file = parse("# @tag admin\n// @tag users, admin  read-only\nGET http://x/\n").unwrap();
    assert_eq!(file.requests[0].tags, ["admin", "users", "read-only"]);
    assert!(!super::is_inert_directive("# @tag admin"));
    assert_eq!(parse("# @tag\nGET http://x/\n").unwrap_err().line, 1);
}

#[test]
fn errors_give_the_line() {
    let e = parse("GET http://x/\nnot a header\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.to_string().starts_with("line 2:"), "{e}");
    let e = parse("# @auth magic x\nGET http://x/\n").unwrap_err();
    assert_eq!(e.line, 1);
    let e = parse("\n\nGET a b c\n").unwrap_err();
    assert_eq!(e.line, 3);
}

#[test]
fn blocks_are_where_parse_finds_the_requests() {
    let text = "@a = 1\n// intro\n\n### First\n// about it\nGET http://x/1\n\n###\n\
                # @name two\nPOST http://x/2\n\nbody\n\n> {% h(); %}\n";
    let all = blocks(text);
    assert_eq!(all.len(), 3);
    assert_eq!((all[0].separator, all[0].lines.clone()), (None, 0..3));
    assert_eq!((all[1].separator, all[1].lines.clone()), (Some(3), 4..7));
    // The comment before the request and the blank line after it are not its lines.
    assert_eq!(all[1].request, 5..6);
    // Nor the handler after the body.
    assert_eq!(all[2].request, 8..12);
    let (file, found) = parse_blocks(text).unwrap();
    assert_eq!(file, parse(text).unwrap());
    assert_eq!(found, all[1..]);
    assert_eq!(file.requests[0].name, "First");
    assert_eq!(file.requests[1].body, Body::Raw("body".into()));
}
