//! What the editors write that apiward keeps but never sends: scripts, handlers, references,
//! prompts; and the body forms only they use (`<@ file`, GraphQL).

use super::*;

const SCRIPTED: &str = r#"### Login
# @name login
< {%
    request.variables.set("nonce", $random.uuid)
%}
POST http://127.0.0.1/login
Content-Type: application/json

{"user": "ada"}

> {%
    client.global.set("token", response.body.token);
    client.test("ok", () => client.assert(response.status === 200));
%}
>> ./login-response.json
<> ./2024-01-01T000000.200.json

### Me
< {% request.variables.set("t", "1") %}
< ./sign.js
GET http://127.0.0.1/me
Authorization: Bearer {{token}}

> ./check.js
"#;

#[test]
fn scripts_and_handlers_are_kept_and_are_not_the_request() {
    let file = parse(SCRIPTED).unwrap();
    let [login, me] = file.requests.as_slice() else {
        panic!("{:?}", file.requests)
    };
    assert_eq!(
        (login.name.as_str(), login.method.as_str()),
        ("login", "POST")
    );
    assert_eq!(login.body, Body::Json(r#"{"user": "ada"}"#.into()));
    assert_eq!(
        (me.method.as_str(), me.url.as_str()),
        ("GET", "http://127.0.0.1/me")
    );
    assert_eq!(me.body, Body::None);
    let e = &file.extras[0];
    assert_eq!(
        e.pre[0].code(),
        Some(r#"request.variables.set("nonce", $random.uuid)"#)
    );
    assert!(e.handlers[0].code().unwrap().contains("client.test"));
    assert_eq!(e.outputs, [">> ./login-response.json"]);
    assert_eq!(e.references, ["./2024-01-01T000000.200.json"]);
    let e = &file.extras[1];
    assert_eq!(e.pre.len(), 2);
    assert_eq!(e.pre[1].file(), Some("./sign.js"));
    assert_eq!(e.handlers[0].file(), Some("./check.js"));
    // What apiward writes of it reads back the same, scripts and all.
    let written = write(&file);
    assert_eq!(parse(&written).unwrap(), file, "\n{written}");
}

#[test]
fn the_request_lines_of_a_block_leave_out_handlers_and_references() {
    let all = blocks(SCRIPTED);
    let lines: Vec<&str> = SCRIPTED.lines().collect();
    let first = &all[1];
    // From `# @name` (the script is the request's own) to the body; not the handler.
    assert_eq!(lines[first.request.start], "# @name login");
    assert_eq!(lines[first.request.end - 1], r#"{"user": "ada"}"#);
    assert_eq!(
        lines[all[2].request.end - 1],
        "Authorization: Bearer {{token}}"
    );
    assert_eq!(parse_blocks(SCRIPTED).unwrap().1, all[1..]);
}

#[test]
fn a_block_without_a_request_line_is_an_error_not_a_request() {
    let e = parse("###\n// only headers here\nContent-Type: application/json\n\n{}\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("no request line"), "{e}");
    // A bare URL with a port is still a request line.
    let file = parse("localhost:8080/health\n").unwrap();
    assert_eq!(file.requests[0].url, "localhost:8080/health");
    // A block of variables only defines them, as REST Client reads it.
    let file = parse("@a = 1\n@b = {{a}}2\n\n###\n\nGET http://x/{{b}}\n").unwrap();
    assert_eq!(file.vars.len(), 2);
    assert_eq!(file.requests.len(), 1);
}

#[test]
fn an_unclosed_script_names_its_line() {
    let e = parse("GET http://x/\n\n> {%\n client.log(1)\n").unwrap_err();
    assert_eq!(e.line, 3);
    let e = parse("< {%\nGET http://x/\n").unwrap_err();
    assert_eq!(e.line, 1);
}

#[test]
fn text_after_a_handler_is_refused() {
    let e = parse("GET http://x/\n\n> ./h.js\nsurprise\n").unwrap_err();
    assert_eq!(e.line, 4);
}

#[test]
fn prompts_are_read_and_written() {
    let text = "# @prompt user\n# @prompt password Your password, please\nGET http://x/{{user}}\n";
    let file = parse(text).unwrap();
    assert_eq!(
        file.extras[0].prompts,
        [
            Prompt {
                name: "user".into(),
                description: String::new()
            },
            Prompt {
                name: "password".into(),
                description: "Your password, please".into()
            }
        ]
    );
    assert_eq!(parse(&write(&file)).unwrap(), file);
    assert!(parse("# @prompt\nGET http://x/\n").is_err());
}

#[test]
fn max_body_takes_units() {
    let file = parse("# @max-body 1k\nGET http://x/\n").unwrap();
    assert_eq!(file.requests[0].options.max_body, 1024);
    let file = parse("# @max-body 64M\nGET http://x/\n").unwrap();
    assert_eq!(file.requests[0].options.max_body, 64 << 20);
    assert_eq!(
        parse("# @max-body lots\nGET http://x/\n").unwrap_err().line,
        1
    );
}

#[test]
fn name_with_an_equals_sign() {
    let file =
        parse("# @name = login\nGET http://x/\n###\n// @name=other\nGET http://y/\n").unwrap();
    assert_eq!(file.requests[0].name, "login");
    assert_eq!(file.requests[1].name, "other");
}

#[test]
fn a_body_from_a_file_with_variables_is_its_marker() {
    let text = "POST http://x/\nContent-Type: application/json\n\n<@ ./body.json\n";
    let file = parse(text).unwrap();
    assert_eq!(
        file.requests[0].body,
        Body::Json("{{<@ ./body.json}}".into())
    );
    assert!(
        write(&file).contains("\n<@ ./body.json\n"),
        "{}",
        write(&file)
    );
    assert_eq!(parse(&write(&file)).unwrap(), file);
    assert_eq!(
        body::include_path("<@ ./a b.json"),
        Some(("./a b.json", None))
    );
    assert_eq!(
        body::include_path("<@latin1 ./x.xml"),
        Some(("./x.xml", Some("latin1")))
    );
    // Without the @ it is the file's bytes, as before.
    let file = parse("POST http://x/\n\n< ./body.bin\n").unwrap();
    assert_eq!(file.requests[0].body, Body::File("./body.bin".into()));
}

#[test]
fn graphql_as_both_editors_write_it() {
    let jetbrains = "GRAPHQL http://x/graphql\n\nquery Repo($name: String!) {\n  repo(name: $name) {\n    id\n\n    stars\n  }\n}\n\n{\"name\": \"{{repo}}\"}\n";
    let file = parse(jetbrains).unwrap();
    let req = &file.requests[0];
    assert_eq!(req.method, "POST");
    let Body::Json(text) = &req.body else {
        panic!("{:?}", req.body)
    };
    let json: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        json["query"],
        "query Repo($name: String!) {\n  repo(name: $name) {\n    id\n\n    stars\n  }\n}"
    );
    assert_eq!(json["variables"]["name"], "{{repo}}");

    let rest_client = "POST http://x/graphql\nContent-Type: application/json\nX-REQUEST-TYPE: GraphQL\n\n{\n  viewer { login }\n}\n";
    let req = &parse(rest_client).unwrap().requests[0];
    assert_eq!(req.header_value("x-request-type"), None);
    assert_eq!(req.header_value("content-type"), Some("application/json"));
    let Body::Json(text) = &req.body else {
        panic!("{:?}", req.body)
    };
    // Compact, as REST Client's JSON.stringify writes it, with `{}` for no variables.
    assert_eq!(
        text,
        r#"{"query":"{\n  viewer { login }\n}","variables":{}}"#
    );
    // Variables that are JSON only once filled are kept as written.
    let numbers = "GRAPHQL http://x/\n\nquery { a }\n\n{\"n\": {{n}}}\n";
    let req = &parse(numbers).unwrap().requests[0];
    assert_eq!(
        req.body,
        Body::Json(r#"{"query":"query { a }","variables":{"n": {{n}}}}"#.into())
    );
}

#[test]
fn timeouts_with_units_as_jetbrains_writes_them() {
    for (arg, ms) in [
        ("5", 5000),
        ("500ms", 500),
        ("30 s", 30_000),
        ("2 m", 120_000),
    ] {
        let file = parse(&format!("# @timeout {arg}\nGET http://x/\n")).unwrap();
        assert_eq!(file.requests[0].options.timeout_ms, ms, "{arg}");
    }
    assert_eq!(
        parse("# @timeout 2 h\nGET http://x/\n").unwrap_err().line,
        1
    );
    // `@connection-timeout` is the editors' only: kept, not read.
    assert!(is_inert_directive("# @connection-timeout 2 m"));
}

#[test]
fn a_relative_url_takes_its_host_from_the_host_header() {
    let file = parse("GET /users?x=1 HTTP/1.1\nHost: api.example.test:8443\n").unwrap();
    assert_eq!(
        file.requests[0].url,
        "https://api.example.test:8443/users?x=1"
    );
    assert_eq!(
        file.requests[0].header_value("host"),
        Some("api.example.test:8443")
    );
    assert_eq!(parse(&write(&file)).unwrap(), file);
    let file = parse("GET /x\nHost: {{host}}\n").unwrap();
    assert_eq!(file.requests[0].url, "http://{{host}}/x");
    // Without a Host header it stays as written (and is refused when sent).
    assert_eq!(parse("GET /x\n").unwrap().requests[0].url, "/x");
}

#[test]
fn basic_auth_in_every_form_rest_client_documents() {
    for value in ["Basic user passwd", "Basic user:passwd"] {
        let req = &parse(&format!("GET http://x/\nAuthorization: {value}\n"))
            .unwrap()
            .requests[0];
        let basic = Auth::Basic {
            username: "user".into(),
            password: "passwd".into(),
        };
        assert_eq!(req.auth, basic, "{value}");
        assert_eq!(req.header_value("authorization"), None);
    }
    // Already encoded: sent as written.
    let req = &parse("GET http://x/\nAuthorization: Basic dXNlcjpwYXNzd2Q=\n")
        .unwrap()
        .requests[0];
    assert_eq!(req.auth, Auth::None);
    assert_eq!(
        req.header_value("authorization"),
        Some("Basic dXNlcjpwYXNzd2Q=")
    );
}

#[test]
fn file_variables_unescape_as_rest_client_reads_them() {
    let file = parse("@two = line1\\nline2\\t\\\\x\\q\nGET http://x/\n").unwrap();
    assert_eq!(file.vars[0].1, "line1\nline2\t\\xq");
    let written = write(&file);
    assert!(
        written.starts_with("@two = line1\\nline2\\t\\\\xq\n"),
        "{written}"
    );
    assert_eq!(parse(&written).unwrap(), file);
}
