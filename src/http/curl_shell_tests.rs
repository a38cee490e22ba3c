use super::*;

fn words(text: &str) -> Vec<String> {
    split(text).unwrap_or_else(|e| panic!("{text}: {e}")).words
}

fn refused(text: &str, says: &str) {
    match split(text) {
        Err(CurlError::Refused(why)) => assert!(why.contains(says), "{text}: {why}"),
        Err(e) => panic!("{text}: {e}"),
        Ok(s) => panic!("{text}: read as {:?}", s.words),
    }
}

#[test]
fn bash_quoting_and_continuations() {
    assert_eq!(
        words("curl 'http://h/a b' \\\n  -H \"X-A: \\\"q\\\" \\\\ \\x\" \\\r\n -d ''"),
        ["curl", "http://h/a b", "-H", "X-A: \"q\" \\ \\x", "-d", ""]
    );
    // Inside single quotes a backslash and a line break are text.
    assert_eq!(words("curl -d 'a\\\nb'"), ["curl", "-d", "a\\\nb"]);
    assert_eq!(
        words("curl -d $'a\\r\\n\\'b' x"),
        ["curl", "-d", "a\r\n'b", "x"]
    );
    // A `$` that starts no variable is text, and so is a `#` inside a word.
    assert_eq!(
        words("curl -d 'x'$ http://h/#a"),
        ["curl", "-d", "x$", "http://h/#a"]
    );
    assert_eq!(words("curl http://h/ # a comment"), ["curl", "http://h/"]);
}

#[test]
fn what_only_bash_can_do_is_refused() {
    refused("curl http://h/ > out.json", "output redirection");
    refused("curl http://h/ 2>&1", "output redirection");
    refused("curl -d @- http://h/ <<EOF\n{}\nEOF", "heredoc");
    refused("curl http://h/ | jq .", "pipe");
    refused("curl http://h/ && echo ok", "second command");
    refused(
        "curl -H \"Authorization: Bearer $TOKEN\" http://h/",
        "$TOKEN",
    );
    refused("curl -H Authorization:${TOKEN} http://h/", "${TOKEN}");
    refused("curl http://h/$(id)", "command substitution");
    refused("curl http://h/\ncurl http://h/2", "second command");
}

#[test]
fn chrome_cmd_copy_as_curl() {
    // As Chrome writes it: every argument in ^"…^", specials escaped with ^, a real line
    // break in a value as ^ and two line breaks, and a \" inside for a quote.
    let text = "curl ^\"http://h/api?a=1^&b=2^\" ^\r\n  -H ^\"content-type: application/json^\" ^\r\n  --data-raw ^\"^{^\\^\"a^\\^\":^\\^\"x^%^\\^\"^}^\" ^\r\n  --compressed";
    assert_eq!(
        words(text),
        [
            "curl",
            "http://h/api?a=1&b=2",
            "-H",
            "content-type: application/json",
            "--data-raw",
            "{\"a\":\"x%\"}",
            "--compressed"
        ]
    );
    assert_eq!(
        words("curl ^\"http://h/^\" --data-raw ^\"line1^\n\nline2^\""),
        ["curl", "http://h/", "--data-raw", "line1\nline2"]
    );
    // Hand-written cmd: plain double quotes, inside which ^ is text.
    assert_eq!(
        words("curl \"http://h/?a=1&b=^2\" ^\n -H \"X: \\\"q\\\"\""),
        ["curl", "http://h/?a=1&b=^2", "-H", "X: \"q\""]
    );
    refused("curl ^\"http://h/^\" > out.txt", "cmd");
}

#[test]
fn powershell_curl_exe() {
    let s = split(
        "curl.exe 'http://h/api' `\n  -H 'accept: */*' `\n  --data-raw '{\"it''s\":1}' \"-H\" \"X-N: a`tb`\"c\"\"\"",
    )
    .unwrap();
    assert_eq!(
        s.words,
        [
            "curl.exe",
            "http://h/api",
            "-H",
            "accept: */*",
            "--data-raw",
            "{\"it's\":1}",
            "-H",
            "X-N: a\tb\"c\""
        ]
    );
    assert!(s.warnings[0].contains("PowerShell 5.1"), "{:?}", s.warnings);
    refused(
        "curl.exe -H \"Authorization: Bearer $token\" http://h/",
        "$token",
    );
    refused("curl.exe http://h/ | Out-File x", "PowerShell");
    refused(
        "Invoke-WebRequest -UseBasicParsing -Uri \"http://h/\" -Method POST",
        "Invoke-WebRequest",
    );
    refused(
        "$session = New-Object Microsoft.PowerShell.Commands.WebRequestSession\nInvoke-WebRequest -Uri \"http://h/\" -WebSession $session",
        "Invoke-WebRequest",
    );
}
