//! The boundaries docs/architecture.md draws, enforced by reading the sources: only `src/tui`
//! touches ratatui and crossterm; the core (everything but `cli`, `tui` and `main.rs`) never
//! reaches into a front end and never prints; and the module graph has no cycle between
//! top-level modules and no new one between files (`scripts/cycles.py` finds them).

use std::path::{Path, PathBuf};
use std::process::Command;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments and without its tests (all after `#[cfg(test)]`).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is wrong with one file, by the rules above; `rel` is its path under `src/`.
fn violations(rel: &str, text: &str) -> Vec<String> {
    let test_file = rel.ends_with("_tests.rs") || rel.ends_with("/tests.rs");
    let front_end = rel.starts_with("cli/") || rel.starts_with("tui/") || rel == "main.rs";
    let code = code(text);
    let mut out = Vec::new();
    if !rel.starts_with("tui/") {
        for name in ["ratatui", "crossterm"] {
            if code.contains(name) {
                out.push(format!("{rel} uses {name}, which only src/tui may"));
            }
        }
    }
    if !front_end && rel != "lib.rs" {
        for path in ["crate::cli", "crate::tui"] {
            if code.contains(path) {
                out.push(format!("{rel} (core) uses {path}"));
            }
        }
        if !test_file {
            for mac in ["println!", "eprintln!", "print!(", "eprint!(", "dbg!("] {
                if code.contains(mac) {
                    out.push(format!("{rel} (core) prints with {mac}"));
                }
            }
        }
    }
    out
}

#[test]
fn front_ends_stay_apart_from_the_core() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 50, "read {} files", files.len());
    let mut problems = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        problems.extend(violations(&rel, &std::fs::read_to_string(file).unwrap()));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rules_catch_what_they_are_for() {
    assert_eq!(
        violations("jwt/lint.rs", "use ratatui::text::Line;\n"),
        ["jwt/lint.rs uses ratatui, which only src/tui may"]
    );
    assert_eq!(
        violations(
            "http/x.rs",
            "fn f() { crate::cli::send::parse_size(\"1\"); }"
        ),
        ["http/x.rs (core) uses crate::cli"]
    );
    assert_eq!(
        violations("audit/x.rs", "fn f() { println!(\"hi\"); }"),
        ["audit/x.rs (core) prints with println!"]
    );
    // Comments, tests and the front ends are free to.
    assert!(
        violations(
            "jwt/a.rs",
            "//! like ratatui\n#[cfg(test)]\nfn t() { println!() }"
        )
        .is_empty()
    );
    assert!(violations("tui/app.rs", "use ratatui::Frame; use crate::cli::x;").is_empty());
    assert!(violations("cli/send.rs", "fn f() { println!(\"out\"); }").is_empty());
}

/// The file-level cycles that remain, being broken one by one (issue: panes as
/// components). A file that is not in one of them must not join a cycle.
const KNOWN_FILE_CYCLES: &[&str] = &[];

fn cycles(args: &[&str]) -> Option<Vec<String>> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/cycles.py");
    let out = match Command::new("python3").arg(&script).args(args).output() {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipped: python3 is needed to run scripts/cycles.py ({e})");
            return None;
        }
    };
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn no_cycle_between_top_level_modules_and_no_new_one_between_files() {
    let Some(top) = cycles(&["--top"]) else {
        return;
    };
    assert!(top.is_empty(), "top-level cycles:\n{}", top.join("\n"));
    let Some(files) = cycles(&[]) else {
        return;
    };
    // Every file still in a cycle was in one before: none joins, none new starts.
    let known: Vec<&str> = KNOWN_FILE_CYCLES
        .iter()
        .flat_map(|c| c.split_once(": ").map_or("", |(_, l)| l).split(", "))
        .collect();
    for cycle in &files {
        let members = cycle.split_once(": ").map_or("", |(_, l)| l).split(", ");
        for m in members {
            assert!(known.contains(&m), "{m} is in a new import cycle:\n{cycle}");
        }
    }
}
