//! jq filters on response bodies, run in-process by jaq: compile a filter, run it on a JSON
//! body and pretty-print each value it yields, as jq does. No UI here: the TUI runs it as a
//! task, so a slow filter or a large body never holds up a frame.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
use jaq_json::Val;

/// Output stops growing past this many lines, so `repeat(1)` or `.[]` over millions of items
/// cannot eat the memory; what was produced so far is kept and marked cut.
pub const MAX_LINES: usize = 2_000_000;
/// Output stops growing past this many bytes of text, for the same reason.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// What a filter yielded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Every value yielded, pretty-printed with two-space indents, one after another.
    pub lines: Vec<String>,
    /// How many values the filter yielded.
    pub values: usize,
    /// The output reached [`MAX_LINES`] or [`MAX_BYTES`] and the rest was not produced.
    pub cut: bool,
    /// The error that ended the run after `values` values (jq stops at the first), or how
    /// `halt` ended it.
    pub error: Option<String>,
}

/// Why a filter could not run at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JqError {
    /// The filter does not parse or names something undefined.
    #[error("{0}")]
    Filter(String),
    /// The body is not JSON, so there is nothing to filter.
    #[error("the body is not JSON ({0})")]
    NotJson(String),
    /// The caller asked to stop.
    #[error("the filter was stopped")]
    Stopped,
}

crate::error_kind::bad_input!(JqError);

/// Checks that `filter` compiles, without running it.
pub fn check(filter: &str) -> Result<(), JqError> {
    compile(filter, |_| Ok(()))
}

/// Runs `filter` on `body`. `stop` is asked between values, so a filter that yields without
/// end can be stopped; one stuck inside a single value (`last(range(1e12))`) cannot be.
pub fn run(body: &[u8], filter: &str, stop: &dyn Fn() -> bool) -> Result<Output, JqError> {
    run_within(body, filter, stop, (MAX_LINES, MAX_BYTES))
}

/// [`run`] with the output limits given as (lines, bytes).
fn run_within(
    body: &[u8],
    filter: &str,
    stop: &dyn Fn() -> bool,
    (max_lines, max_bytes): (usize, usize),
) -> Result<Output, JqError> {
    compile(filter, |compiled| {
        let input =
            jaq_json::read::parse_single(body).map_err(|e| JqError::NotJson(e.to_string()))?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&compiled.lut, Vars::new([]));
        let mut out = Output::default();
        let mut bytes = 0;
        let pp = jaq_json::write::Pp {
            indent: Some("  ".to_string()),
            sep_space: true,
            ..Default::default()
        };
        for result in compiled.id.run((ctx, input)) {
            if stop() {
                return Err(JqError::Stopped);
            }
            if out.lines.len() >= max_lines || bytes >= max_bytes {
                out.cut = true;
                break;
            }
            match result {
                Ok(value) => {
                    let mut text = Vec::new();
                    // Writing to a Vec cannot fail.
                    let _ = jaq_json::write::write(&mut text, &pp, 0, &value);
                    bytes += text.len();
                    out.lines.extend(
                        String::from_utf8_lossy(&text)
                            .lines()
                            .map(|l| l.replace('\t', "    ")),
                    );
                    out.values += 1;
                }
                // Not `unwrap_valr`: on `halt` that exits the whole process.
                Err(exn) => {
                    out.error = Some(match exn.get_err() {
                        Ok(err) => err.to_string(),
                        Err(exn) => match exn.get_halt() {
                            Ok(code) => format!("halted with exit code {code}"),
                            Err(_) => "the filter failed".to_string(),
                        },
                    });
                    break;
                }
            }
        }
        Ok(out)
    })
}

type Filter = jaq_core::Filter<data::JustLut<Val>>;

/// Parses and compiles `code` with jq's standard library, and hands the filter to `then`.
/// The loader's arena borrows `code`, hence the continuation rather than a return value.
fn compile<T>(code: &str, then: impl FnOnce(&Filter) -> Result<T, JqError>) -> Result<T, JqError> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errs| JqError::Filter(load_message(code, errs)))?;
    let filter = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errs| JqError::Filter(compile_message(code, errs)))?;
    then(&filter)
}

/// Where `part` (a slice of `code`) starts, as "at column N", when it is inside `code`.
fn column(code: &str, part: &str) -> String {
    let start = code.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if (start..=start + code.len()).contains(&at) {
        let offset = at - start;
        format!(" at column {}", code[..offset].chars().count() + 1)
    } else {
        String::new()
    }
}

fn load_message(code: &str, errs: jaq_core::load::Errors<&str, ()>) -> String {
    use jaq_core::load::Error;
    let mut messages = Vec::new();
    for (_, err) in errs {
        match err {
            Error::Io(items) => {
                messages.extend(items.into_iter().map(|(path, e)| format!("{path}: {e}")))
            }
            Error::Lex(items) => messages.extend(items.into_iter().map(|(expected, at)| {
                format!("expected {}{}", lex_expected(&expected), column(code, at))
            })),
            // `found` is a slice of `code`; an empty one is the end of it.
            Error::Parse(items) => messages.extend(items.into_iter().map(|(expected, found)| {
                let expected = expected.as_str();
                if found.is_empty() {
                    format!("expected {expected}, found the end of the filter")
                } else {
                    format!(
                        "expected {expected}, found '{found}'{}",
                        column(code, found)
                    )
                }
            })),
        }
    }
    join(messages)
}

/// The lexer's own description panics for a delimiter it does not name; name it here.
fn lex_expected(expected: &jaq_core::load::lex::Expect<&str>) -> &'static str {
    use jaq_core::load::lex::Expect;
    match expected {
        Expect::Delim("(" | "[" | "{" | "\"") => expected.as_str(),
        Expect::Delim(_) => "a closing delimiter",
        _ => expected.as_str(),
    }
}

fn compile_message(code: &str, errs: jaq_core::compile::Errors<&str, ()>) -> String {
    let mut messages = Vec::new();
    for (_, items) in errs {
        for (name, undefined) in items {
            let what = match undefined {
                jaq_core::compile::Undefined::Filter(arity) => format!("filter {name}/{arity}"),
                other => format!("{} {name}", other.as_str()),
            };
            messages.push(format!("undefined {what}{}", column(code, name)));
        }
    }
    join(messages)
}

fn join(messages: Vec<String>) -> String {
    if messages.is_empty() {
        "the filter is not valid".to_string()
    } else {
        messages.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(body: &str, filter: &str) -> Result<Output, JqError> {
        run(body.as_bytes(), filter, &|| false)
    }

    #[test]
    fn values_are_pretty_printed_one_after_another() {
        let out = go(r#"{"users":[{"id":1,"tags":[]},{"id":2}]}"#, ".users[]").unwrap();
        assert_eq!(out.values, 2);
        assert_eq!(
            out.lines,
            [
                "{",
                r#"  "id": 1,"#,
                r#"  "tags": []"#,
                "}",
                "{",
                r#"  "id": 2"#,
                "}"
            ]
        );
        assert_eq!(out.error, None);
        let out = go(r#"[3,1,2]"#, "sort | map(. * 10) | add").unwrap();
        assert_eq!(out.lines, ["60"]);
    }

    #[test]
    fn the_standard_library_and_regexes_are_there() {
        let out = go(
            r#"[{"name":"ada"},{"name":"bob"}]"#,
            r#"map(select(.name | test("^a"))) | length"#,
        )
        .unwrap();
        assert_eq!(out.lines, ["1"]);
        let out = go(r#""a,b""#, r#"split(",") | @base64 "\(.[0])""#).unwrap();
        assert_eq!(out.lines, [r#""YQ==""#]);
    }

    #[test]
    fn bad_filters_say_what_and_where() {
        let err = go("{}", ".a | ").unwrap_err().to_string();
        assert_eq!(err, "expected term, found the end of the filter");
        let err = go("{}", "(.a").unwrap_err().to_string();
        assert_eq!(err, "expected closing parenthesis at column 4");
        let err = go("{}", "{a:}").unwrap_err().to_string();
        assert_eq!(err, "expected term, found '}' at column 4");
        let err = go("{}", ".a | nosuch(1)").unwrap_err().to_string();
        assert_eq!(err, "undefined filter nosuch/1 at column 6");
        let err = go("{}", "$x").unwrap_err().to_string();
        assert!(err.contains("undefined variable"), "{err}");
        assert!(check(".a | ").is_err());
        assert!(check(".a").is_ok());
        for weird in [
            "\"\\(",
            "[{(",
            "\"\\u12\"",
            "@",
            "\"\\q\"",
            "§",
            ")",
            "]]",
            "if",
        ] {
            assert!(go("{}", weird).is_err(), "{weird}");
        }
    }

    #[test]
    fn runtime_errors_keep_what_came_before() {
        let out = go("[1, {}, 2]", ".[] | . + 1").unwrap();
        assert_eq!(out.lines, ["2"]);
        assert!(out.error.as_deref().unwrap().contains("cannot"), "{out:?}");
        let out = go("1", r#"error("boom")"#).unwrap();
        assert!(out.error.as_deref().unwrap().contains("boom"));
    }

    #[test]
    fn halt_ends_the_run_not_the_process() {
        let out = go("1", "., halt").unwrap();
        assert_eq!(out.lines, ["1"]);
        assert_eq!(out.error.as_deref(), Some("halted with exit code 0"));
    }

    #[test]
    fn endless_output_is_cut_and_stop_is_heeded() {
        let out = run_within(b"1", "repeat(.)", &|| false, (1000, MAX_BYTES)).unwrap();
        assert!(out.cut);
        assert_eq!(out.lines.len(), 1000);
        let out = run_within(b"\"abc\"", "repeat(.)", &|| false, (MAX_LINES, 50)).unwrap();
        assert!(out.cut && out.lines.len() == 10, "{out:?}");
        let asked = std::cell::Cell::new(0);
        let stop = || {
            asked.set(asked.get() + 1);
            asked.get() > 3
        };
        assert_eq!(run(b"1", "repeat(.)", &stop), Err(JqError::Stopped));
    }

    #[test]
    fn a_body_that_is_not_json_is_named_as_such() {
        let err = go("<html>", ".").unwrap_err();
        assert!(matches!(err, JqError::NotJson(_)), "{err:?}");
        assert!(err.to_string().starts_with("the body is not JSON"));
    }
}
