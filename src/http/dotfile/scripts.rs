//! What a `.http` file holds for the editors only: JetBrains pre-request scripts and response
//! handlers, `>>` output files, `<>` response references and `# @prompt` lines. apiward keeps
//! them so a save writes them back, and never sends or runs them.

use super::parse_error::{ParseError, err};

/// A script as written: `< {% … %}`, `> {% … %}` (one line or several), or `< ./file.js`,
/// `> ./file.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// Its lines exactly as in the file, joined by `\n`, marker included.
    pub text: String,
}

impl Script {
    /// The JavaScript between `{%` and `%}`, or None for a script read from a file.
    pub fn code(&self) -> Option<&str> {
        let start = self.text.find("{%")? + 2;
        let end = self.text.rfind("%}")?;
        self.text.get(start..end).map(str::trim)
    }

    /// The file a `< ./pre.js` or `> ./handler.js` line names.
    pub fn file(&self) -> Option<&str> {
        if self.code().is_some() {
            return None;
        }
        let t = self.text.trim();
        t.strip_prefix('<')
            .or_else(|| t.strip_prefix('>'))
            .map(str::trim)
    }
}

/// One request's editor-only lines, in the order of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// Pre-request scripts, before the request line.
    pub pre: Vec<Script>,
    /// Response handlers, after the body.
    pub handlers: Vec<Script>,
    /// `>> file` and `>>! file`: where the editor writes the response, the line as written.
    pub outputs: Vec<String>,
    /// `<> ./file`: a response the editor saved earlier, to compare with.
    pub references: Vec<String>,
    /// `# @prompt name [description]`: values the editors ask for before sending.
    pub prompts: Vec<Prompt>,
}

impl Extras {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A `# @prompt` variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub name: String,
    pub description: String,
}

/// How a trimmed line starts a script, or None.
pub(super) fn opens_script(trimmed: &str, marker: char) -> bool {
    trimmed
        .strip_prefix(marker)
        .is_some_and(|rest| rest.trim_start().starts_with("{%"))
}

/// Reads the script that starts at `lines[i]` (`< {%` or `> {%`), one line or until the line
/// that closes it; returns it and how many lines it took.
pub(super) fn read_inline(
    lines: &[(usize, &str)],
    i: usize,
) -> Result<(Script, usize), ParseError> {
    let (n, first) = lines[i];
    let after_open = first.split_once("{%").map_or("", |(_, rest)| rest);
    if after_open.contains("%}") {
        return Ok((
            Script {
                text: first.trim_end().to_string(),
            },
            1,
        ));
    }
    let close = lines[i + 1..]
        .iter()
        .position(|(_, l)| l.contains("%}"))
        .ok_or_else(|| {
            err(
                n,
                "this script opens with {% and is never closed with %} before the next request",
            )
        })?;
    let taken = &lines[i..=i + 1 + close];
    let text: Vec<&str> = taken
        .iter()
        .map(|(_, l)| l.trim_end_matches('\r'))
        .collect();
    Ok((
        Script {
            text: text.join("\n"),
        },
        taken.len(),
    ))
}

/// Reads what follows a request at `lines[at]` into `extras`: a handler (one line or several),
/// an output file or a response reference; returns how many lines it took.
pub(super) fn read_trailer(
    lines: &[(usize, &str)],
    at: usize,
    extras: &mut Extras,
) -> Result<usize, ParseError> {
    let (n, line) = lines[at];
    let trimmed = line.trim();
    if opens_script(trimmed, '>') {
        let (script, taken) = read_inline(lines, at)?;
        extras.handlers.push(script);
        return Ok(taken);
    }
    if trimmed.starts_with(">>") {
        extras.outputs.push(trimmed.to_string());
    } else if let Some(path) = trimmed.strip_prefix("<>") {
        extras.references.push(path.trim().to_string());
    } else if trimmed.starts_with("> ") {
        extras.handlers.push(Script {
            text: trimmed.to_string(),
        });
    } else {
        return Err(err(
            n,
            format!(
                "\"{trimmed}\" follows the response handler, where only handlers (> …), output \
                 files (>> …) and response references (<> …) may be"
            ),
        ));
    }
    Ok(1)
}

/// Whether a trimmed line starts what follows a request: a handler, an output file or a
/// response reference.
pub(super) fn is_trailer_start(trimmed: &str) -> bool {
    trimmed.starts_with("> ")
        || trimmed.starts_with(">>")
        || trimmed.starts_with("<>")
        || opens_script(trimmed, '>')
}

/// The lines of a request's own text that apiward's writer does not produce and a save must
/// keep: pre-request scripts, `# @prompt` and `@var` lines, and the directives only the
/// editors act on.
/// `request` is the text of the request's lines as read.
pub fn editor_lines(request: &str) -> String {
    let lines: Vec<(usize, &str)> = request.lines().enumerate().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].1.trim();
        if opens_script(trimmed, '<')
            && let Ok((script, taken)) = read_inline(&lines, i)
        {
            out.push_str(&script.text);
            out.push('\n');
            i += taken;
            continue;
        }
        // `@var` lines are the file's, not the request's: the writer leaves them out.
        let keep = is_pre_file(trimmed)
            || trimmed.starts_with('@')
            || is_prompt(trimmed)
            || super::parse::is_inert_directive(trimmed);
        if keep {
            out.push_str(lines[i].1.trim_end());
            out.push('\n');
        }
        // The request line ends what may hold them.
        if !keep && !trimmed.is_empty() && !super::parse::is_comment(trimmed) {
            break;
        }
        i += 1;
    }
    out
}

/// `< ./pre.js` before the request line.
pub(super) fn is_pre_file(trimmed: &str) -> bool {
    trimmed.starts_with('<') && !trimmed.starts_with("<>") && !opens_script(trimmed, '<')
}

fn is_prompt(trimmed: &str) -> bool {
    super::parse::directive(trimmed).is_some_and(|(key, _)| key == "prompt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_know_their_code_or_file() {
        let s = Script {
            text: "< {%\n  request.variables.set(\"a\", 1)\n%}".into(),
        };
        assert_eq!(s.code(), Some("request.variables.set(\"a\", 1)"));
        assert_eq!(s.file(), None);
        let f = Script {
            text: "> ./check.js".into(),
        };
        assert_eq!((f.code(), f.file()), (None, Some("./check.js")));
    }

    #[test]
    fn editor_lines_keep_scripts_prompts_and_inert_directives() {
        let text = "# @name login\n# @no-log\n@v = 1\n# @prompt user Your name\n< {%\n  a();\n%}\n\
                    < ./sign.js\nPOST http://x/\n< {% not a script here %}\n";
        assert_eq!(
            editor_lines(text),
            "# @no-log\n@v = 1\n# @prompt user Your name\n< {%\n  a();\n%}\n< ./sign.js\n"
        );
    }
}
