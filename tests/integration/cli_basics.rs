//! The CLI skeleton end to end: help, version, completions, and the exit-code convention for
//! bad config and theme files.

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary with a private config directory, so the developer's own config never leaks in.
/// Asserts that a run succeeded, showing its stderr when it did not.
pub fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The binary with its config and data folders in `home`, as a plain process (for tests
/// that run several at once).
pub fn apiward_process(home: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_apiward"));
    cmd.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env_remove("NO_COLOR");
    // A proxy in the caller's environment would take every test request elsewhere.
    for name in [
        "http_proxy",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(name);
    }
    cmd
}

pub fn apiward(home: &std::path::Path) -> Command {
    Command::from_std(apiward_process(home))
}

#[test]
fn help_and_version() {
    let home = tempfile::tempdir().unwrap();
    apiward(home.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("apiward "));
    apiward(home.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("completions"))
        .stdout(predicate::str::contains("--theme"));
}

#[test]
fn completions_for_each_shell() {
    let home = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "_apiward"),
        ("zsh", "#compdef apiward"),
        ("fish", "complete -c apiward"),
    ] {
        apiward(home.path())
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker))
            // Subcommands are built lazily (cli/lazy.rs); completions must still see the
            // flags two levels down.
            .stdout(predicate::str::contains("secret-b64"))
            .stdout(predicate::str::contains("max-lifetime"));
    }
}

#[test]
fn unknown_flags_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    apiward(home.path())
        .arg("--frobnicate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--frobnicate"));
    apiward(home.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

/// One line on stderr, naming the file and the line, exit 2, and no panic.
fn assert_one_clear_line(output: &std::process::Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("apiward: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
    }
}

#[test]
fn an_invalid_config_names_file_and_line() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("config/apiward");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "theme = \"light\"\n\n[keys]\nquit = [\"q\", \"ctrl-qq\"]\n",
    )
    .unwrap();
    let out = apiward(home.path()).output().unwrap();
    assert_one_clear_line(&out, &["config.toml, line 4", "ctrl-qq"]);

    std::fs::write(dir.join("config.toml"), "theme = light\n").unwrap();
    let out = apiward(home.path()).output().unwrap();
    assert_one_clear_line(&out, &["config.toml, line 1"]);
}

#[test]
fn an_explicit_missing_config_is_reported() {
    let home = tempfile::tempdir().unwrap();
    let out = apiward(home.path())
        .args(["--config", "/nonexistent/apiward.toml"])
        .output()
        .unwrap();
    assert_one_clear_line(&out, &["cannot read /nonexistent/apiward.toml"]);
}

#[test]
fn an_invalid_theme_names_file_and_line() {
    let home = tempfile::tempdir().unwrap();
    let themes = home.path().join("config/apiward/themes");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::write(
        themes.join("neon.toml"),
        "inherits = \"default\"\n[colors]\naccent = \"glowing\"\n",
    )
    .unwrap();
    let out = apiward(home.path())
        .args(["--theme", "neon"])
        .output()
        .unwrap();
    assert_one_clear_line(&out, &["neon.toml, line 3", "glowing"]);

    let out = apiward(home.path())
        .args(["--theme", "nosuch"])
        .output()
        .unwrap();
    assert_one_clear_line(&out, &["no theme named 'nosuch'"]);
}

#[test]
fn without_a_terminal_the_tui_says_so() {
    let home = tempfile::tempdir().unwrap();
    let out = apiward(home.path()).output().unwrap();
    assert_one_clear_line(&out, &["needs a terminal"]);
}

/// A port on 127.0.0.1 that nothing listens on: bound, then let go.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Exit codes come from the error's kind, in every subcommand: input apiward cannot use is 2,
/// a network failure or a check's verdict is 1, each with one sentence and no panic.
#[test]
fn exit_codes_follow_the_errors_kind_in_every_subcommand() {
    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    let home = tempfile::tempdir().unwrap();
    let closed = format!("http://127.0.0.1:{}/", closed_port());
    let jwks = format!("{closed}jwks.json");
    let bad_input: &[&[&str]] = &[
        &["jwt", "decode", "not-a-token"],
        &["jwt", "verify", TOKEN, "--jwks", "/no/such/jwks.json"],
        &[
            "jwt",
            "probe",
            "--token",
            TOKEN,
            "--url",
            "ftp://a.example/",
        ],
        &["jwt", "recover-key", TOKEN, TOKEN],
        &["audit", "ftp://a.example/"],
        &["send", "http://"],
        &["keys", "thumbprint", "/no/such/jwk.json"],
        &["lab", "--bind", "0.0.0.0"],
        &["lab", "--port", "65535"],
        &["import", "curl", "curl --no-such-option http://a.example"],
        &["learn", "show", "99"],
    ];
    let failures: &[&[&str]] = &[
        // The network: nothing answers.
        &["send", &closed],
        &["audit", &closed],
        &["jwt", "probe", "--token", TOKEN, "--url", &closed],
        &["jwt", "verify", TOKEN, "--jwks", &jwks],
        &["keys", "jwks", "--check", &jwks],
        // A verdict: the signature does not match this secret.
        &["jwt", "verify", TOKEN, "--secret", "not-the-secret"],
    ];
    for (args, code) in bad_input
        .iter()
        .map(|a| (a, 2))
        .chain(failures.iter().map(|a| (a, 1)))
    {
        let out = apiward_process(home.path())
            .args(*args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.lines().count() <= 1, "{args:?}: {stderr}");
    }
    // The advice that names a flag comes from the CLI, after the core's sentence.
    let out = apiward_process(home.path())
        .args(["lab", "--bind", "0.0.0.0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("only binds to 127.0.0.1 or ::1 (pass --i-understand-this-is-vulnerable"),
        "{stderr}"
    );
}
