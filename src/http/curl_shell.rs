//! The words of a pasted command, split as the shell it was copied for would split them: bash
//! (quotes, `$'…'`, `\` continuations), Windows cmd (`^` escapes and continuations, as the
//! browsers' "Copy as cURL (cmd)" writes them, then the C runtime's argv rules) or PowerShell
//! (`curl.exe` with backtick continuations). What only a shell can do (a redirection, a
//! heredoc, a pipe, a variable, a second command) is refused by name rather than read as text.

use super::CurlError;

/// The words, and what the reader should know about how they were read.
pub struct Split {
    pub words: Vec<String>,
    pub warnings: Vec<String>,
}

pub fn split(text: &str) -> Result<Split, CurlError> {
    let text = text.trim();
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if ["invoke-webrequest", "iwr", "invoke-restmethod", "irm"].contains(&first.as_str())
        || first.starts_with("$session")
        || text.contains("Invoke-WebRequest")
    {
        return Err(CurlError::Refused(
            "that is a PowerShell Invoke-WebRequest command, not curl; copy the request as \
             cURL (bash or cmd) instead"
                .into(),
        ));
    }
    let cmd_continuation = text.lines().any(|l| l.trim_end().ends_with('^'));
    if cmd_continuation || text.contains("^\"") {
        return cmd(text).map(|words| Split {
            words,
            warnings: Vec::new(),
        });
    }
    let ps_continuation = text.lines().any(|l| l.trim_end().ends_with('`'));
    if first == "curl.exe" || ps_continuation {
        return powershell(text);
    }
    posix(text).map(|words| Split {
        words,
        warnings: Vec::new(),
    })
}

fn syntax(what: &str) -> CurlError {
    CurlError::Refused(format!(
        "the command holds shell syntax ({what}), which is not part of curl: paste the curl \
         command alone, with a body file as -d @file"
    ))
}

fn variable(name: &str) -> CurlError {
    CurlError::Refused(format!(
        "the command uses the shell variable {name}, whose value apiward cannot know: put \
         the value in its place, or import it as {{{{name}}}} and set that variable"
    ))
}

/// The name of a shell variable starting at `rest` (after its `$`), if `$` starts one.
fn variable_name(rest: &str) -> Option<String> {
    let mut chars = rest.chars();
    let c = chars.next()?;
    if c == '{' {
        return Some(format!(
            "${}",
            rest.split_inclusive('}').next().unwrap_or(rest)
        ));
    }
    if c == '(' {
        return Some("$(…)".into());
    }
    if c.is_ascii_digit() || "?$!#@*-".contains(c) {
        return Some(format!("${c}"));
    }
    if c.is_ascii_alphabetic() || c == '_' {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        return Some(format!("${name}"));
    }
    None
}

/// A word being built: `started` tells an empty quoted word (`''`) from no word.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    word: String,
    started: bool,
}

impl Words {
    fn push(&mut self, c: char) {
        self.word.push(c);
        self.started = true;
    }
    fn push_str(&mut self, s: &str) {
        self.word.push_str(s);
        self.started = true;
    }
    fn end(&mut self) {
        if self.started {
            self.words.push(std::mem::take(&mut self.word));
            self.started = false;
        }
    }
    /// A line break outside quotes ends the command; anything after it would be a second one.
    fn line_end(&mut self, rest: &str) -> Result<(), CurlError> {
        self.end();
        if rest.trim().is_empty() {
            Ok(())
        } else {
            Err(CurlError::Refused(
                "the command goes on after a line break that does not continue it, so the \
                 shell would run the rest as a second command: end each line but the last with \
                 the continuation character"
                    .into(),
            ))
        }
    }
}

/// The next characters, enough to name a variable.
fn ahead(chars: &std::iter::Peekable<std::str::Chars<'_>>) -> String {
    chars.clone().take(64).collect()
}

/// bash's rules for the characters a pasted curl command uses.
fn posix(text: &str) -> Result<Vec<String>, CurlError> {
    let mut w = Words::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => w.end(),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                let rest: String = chars.by_ref().collect();
                w.line_end(&rest)?;
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(n) => w.push(n),
                None => w.push('\\'),
            },
            '\'' => {
                w.started = true;
                loop {
                    match chars.next().ok_or(CurlError::Quotes)? {
                        '\'' => break,
                        d => w.push(d),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                let decoded = ansi_c_body(&mut chars)?;
                w.push_str(&decoded);
            }
            '"' => {
                w.started = true;
                loop {
                    match chars.next().ok_or(CurlError::Quotes)? {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&e @ ('$' | '`' | '"' | '\\')) => {
                                chars.next();
                                w.push(e);
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => w.push('\\'),
                        },
                        '$' => match variable_name(&ahead(&chars)) {
                            Some(name) if name == "$(…)" => {
                                return Err(syntax("$( command substitution"));
                            }
                            Some(name) => return Err(variable(&name)),
                            None => w.push('$'),
                        },
                        '`' => return Err(syntax("` command substitution")),
                        d => w.push(d),
                    }
                }
            }
            '$' => match variable_name(&ahead(&chars)) {
                Some(name) if name == "$(…)" => return Err(syntax("$( command substitution")),
                Some(name) => return Err(variable(&name)),
                None => w.push('$'),
            },
            '`' => return Err(syntax("` command substitution")),
            '<' if chars.peek() == Some(&'<') => {
                return Err(CurlError::Refused(
                    "the command feeds curl a heredoc (<<), which is the shell's, not curl's: \
                     save the body in a file and pass it as -d @file"
                        .into(),
                ));
            }
            '<' | '>' | '|' | ';' | '&' => {
                let op: String = std::iter::once(c)
                    .chain(ahead(&chars).chars().take_while(|n| "<>|&".contains(*n)))
                    .collect();
                let what = match c {
                    '<' => format!("{op}, an input redirection"),
                    '>' => format!("{op}, an output redirection"),
                    '|' => format!("{op}, a pipe"),
                    _ => format!("{op}, a second command"),
                };
                return Err(syntax(&what));
            }
            '#' if !w.started => {
                while chars.peek().is_some_and(|d| *d != '\n') {
                    chars.next();
                }
            }
            '~' if !w.started && matches!(chars.peek(), None | Some('/' | ' ')) => {
                match std::env::var("HOME") {
                    Ok(home) => w.push_str(&home),
                    Err(_) => w.push('~'),
                }
            }
            _ => w.push(c),
        }
    }
    w.end();
    Ok(w.words)
}

/// The decoded text of a `$'…'` word, its opening quote already read, up to its closing one.
fn ansi_c_body(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, CurlError> {
    let mut out = String::new();
    let radix = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>, base: u32, max: usize| {
        let mut n = 0u32;
        let mut digits = 0;
        while digits < max {
            match chars.peek().and_then(|c| c.to_digit(base)) {
                Some(d) => {
                    n = n * base + d;
                    digits += 1;
                    chars.next();
                }
                None => break,
            }
        }
        (digits > 0).then(|| char::from_u32(n)).flatten()
    };
    loop {
        match chars.next().ok_or(CurlError::Quotes)? {
            '\'' => return Ok(out),
            '\\' => match chars.next().ok_or(CurlError::Quotes)? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'a' => out.push('\u{7}'),
                'b' => out.push('\u{8}'),
                'e' | 'E' => out.push('\u{1b}'),
                'f' => out.push('\u{c}'),
                'v' => out.push('\u{b}'),
                'x' => out.extend(radix(chars, 16, 2)),
                'u' => out.extend(radix(chars, 16, 4)),
                'U' => out.extend(radix(chars, 16, 8)),
                d @ '0'..='7' => {
                    let mut n = d.to_digit(8).unwrap_or(0);
                    for _ in 0..2 {
                        match chars.peek().and_then(|c| c.to_digit(8)) {
                            Some(v) => {
                                n = n * 8 + v;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.extend(char::from_u32(n));
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
}

/// Windows cmd: first cmd.exe's own pass (`^` escapes the next character, `^` at a line end
/// continues the line, and a `"` turns escaping off until the next one), then the C
/// runtime's split of the command line into argv, which curl.exe reads.
fn cmd(text: &str) -> Result<Vec<String>, CurlError> {
    let mut line = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                line.push(c);
            }
            '^' if !quoted => match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    // The first character of the next line is escaped: Chrome writes a real
                    // line break in a value as `^` and two line breaks.
                    line.extend(chars.next());
                }
                Some('\n') => line.extend(chars.next()),
                Some(n) => line.push(n),
                None => {}
            },
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' if !quoted => {
                let rest: String = chars.by_ref().collect();
                if !rest.trim().is_empty() {
                    return Words::default().line_end(&rest).map(|_| Vec::new());
                }
            }
            '&' | '|' | '<' | '>' if !quoted => {
                return Err(syntax(&format!("{c}, which cmd reads as its own")));
            }
            _ => line.push(c),
        }
    }
    Ok(crt_argv(&line))
}

/// How the Microsoft C runtime splits a command line: whitespace between words, `"` quotes,
/// `\` literal except before a `"` (2n of them and a `"` give n and a quote; 2n+1 give n and
/// a literal `"`), and `""` inside quotes a literal `"`.
fn crt_argv(line: &str) -> Vec<String> {
    let mut w = Words::default();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut n = 1;
                while chars.peek() == Some(&'\\') {
                    chars.next();
                    n += 1;
                }
                if chars.peek() == Some(&'"') {
                    w.push_str(&"\\".repeat(n / 2));
                    if n % 2 == 1 {
                        chars.next();
                        w.push('"');
                    }
                } else {
                    w.push_str(&"\\".repeat(n));
                }
            }
            '"' => {
                w.started = true;
                if quoted && chars.peek() == Some(&'"') {
                    chars.next();
                    w.push('"');
                } else {
                    quoted = !quoted;
                }
            }
            ' ' | '\t' | '\r' | '\n' if !quoted => w.end(),
            _ => w.push(c),
        }
    }
    w.end();
    w.words
}

/// PowerShell 7.3 and later, which pass each argument to `curl.exe` as written.
fn powershell(text: &str) -> Result<Split, CurlError> {
    let mut w = Words::default();
    let mut quotes_inside = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => w.end(),
            '`' => match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some('\n') | None => {}
                Some(n) => w.push(n),
            },
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                let rest: String = chars.by_ref().collect();
                w.line_end(&rest)?;
            }
            '\'' => {
                w.started = true;
                loop {
                    match chars.next().ok_or(CurlError::Quotes)? {
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            w.push('\'');
                        }
                        '\'' => break,
                        d => {
                            quotes_inside |= d == '"';
                            w.push(d);
                        }
                    }
                }
            }
            '"' => {
                w.started = true;
                loop {
                    match chars.next().ok_or(CurlError::Quotes)? {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            quotes_inside = true;
                            w.push('"');
                        }
                        '"' => break,
                        '`' => {
                            let e = chars.next().ok_or(CurlError::Quotes)?;
                            quotes_inside |= e == '"';
                            w.push(match e {
                                'n' => '\n',
                                'r' => '\r',
                                't' => '\t',
                                '0' => '\0',
                                'a' => '\u{7}',
                                'b' => '\u{8}',
                                'e' => '\u{1b}',
                                'f' => '\u{c}',
                                'v' => '\u{b}',
                                other => other,
                            });
                        }
                        '$' => match variable_name(&ahead(&chars)) {
                            Some(name) if name == "$(…)" => {
                                return Err(syntax("$( command substitution"));
                            }
                            Some(name) => return Err(variable(&name)),
                            None => w.push('$'),
                        },
                        d => w.push(d),
                    }
                }
            }
            '$' => {
                if let Some(name) = variable_name(&ahead(&chars)) {
                    return Err(variable(&name));
                }
                w.push('$');
            }
            '|' | ';' | '>' | '<' | '&' => {
                return Err(syntax(&format!("{c}, which PowerShell reads as its own")));
            }
            ',' => {
                return Err(syntax(
                    "an unquoted comma, which PowerShell reads as a list; quote the argument",
                ));
            }
            '@' if !w.started && matches!(chars.peek(), Some('(' | '{' | '"' | '\'')) => {
                return Err(syntax(
                    "@, which PowerShell reads as an array, table or here-string",
                ));
            }
            '#' if !w.started => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            _ => w.push(c),
        }
    }
    w.end();
    if w.words.iter().any(|a| a == "--%") {
        return Err(syntax("--%, PowerShell's stop-parsing token"));
    }
    let mut warnings = Vec::new();
    if quotes_inside {
        warnings.push(
            "read as PowerShell 7.3 and later pass it to curl.exe; Windows PowerShell 5.1 \
             drops the double quotes inside arguments, so there curl.exe sends something else"
                .into(),
        );
    }
    Ok(Split {
        words: w.words,
        warnings,
    })
}

#[cfg(test)]
#[path = "curl_shell_tests.rs"]
mod tests;
