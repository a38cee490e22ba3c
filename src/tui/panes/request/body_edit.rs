//! The multi-line editor for JSON and raw bodies. What is typed goes into the request at
//! once, so ctrl-s sends what is on screen and the editor can stay open for the next try;
//! a JSON body is checked on every change, with the line and column of its first error.

use ratatui::text::{Line, Span};

use crate::http::prepare::{PrepareError, validate_json};
use crate::http::{Body, Redactor, VarError, Vars};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::text_area::TextEditor;

#[derive(Debug, Clone)]
pub struct BodyEditor {
    pub editor: TextEditor,
    json: bool,
    /// Why the JSON does not parse, where; `None` when it does (or the body is raw text).
    problem: Option<String>,
}

impl BodyEditor {
    /// An editor for a JSON or raw body; `None` for the other kinds.
    pub(super) fn open(body: &Body, vars: &Vars) -> Option<Self> {
        let (text, json) = match body {
            Body::Json(text) => (text, true),
            Body::Raw(text) => (text, false),
            _ => return None,
        };
        let mut editor = Self {
            editor: TextEditor::new(text),
            json,
            problem: None,
        };
        editor.check(vars);
        Some(editor)
    }

    pub(super) fn check(&mut self, vars: &Vars) {
        self.problem = if self.json {
            check_json(&self.editor.text(), vars)
        } else {
            None
        };
    }

    /// The body the text stands for. Trailing blank lines go, as a `.http` file drops them.
    pub(super) fn body(&self) -> Body {
        let text = self.editor.text();
        let mut lines: Vec<&str> = text.split('\n').collect();
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        let text = lines.join("\n");
        if self.json {
            Body::Json(text)
        } else {
            Body::Raw(text)
        }
    }

    pub fn title(&self) -> &'static str {
        if self.json {
            "Body · JSON (esc leaves, ctrl-s sends)"
        } else {
            "Body · raw text (esc leaves, ctrl-s sends)"
        }
    }

    /// The line under the text: the JSON's verdict, the size and the cursor.
    pub fn status(&self, theme: &Theme) -> Line<'static> {
        let (line, column) = self.editor.cursor();
        let place = Span::styled(
            format!(" {} lines · {line}:{column} ", self.editor.line_count()),
            theme.style(Role::Muted),
        );
        match (&self.problem, self.json) {
            (Some(problem), _) => Line::from(vec![
                Span::styled(format!(" ✗ {problem} "), theme.style(Role::Error)),
                place,
            ]),
            (None, true) => Line::from(vec![
                Span::styled(" ✓ valid JSON ", theme.style(Role::Success)),
                place,
            ]),
            (None, false) => Line::from(place),
        }
    }
}

/// Why `text` is not JSON once its variables are resolved (as it will be sent), with the
/// line and column; `None` when it is.
pub fn check_json(text: &str, vars: &Vars) -> Option<String> {
    let resolved = match vars.resolve(text, &mut Redactor::default()) {
        Ok(resolved) => resolved,
        // Its message quotes the whole body: say where instead.
        Err(VarError::Unclosed(_)) => {
            let (line, column) = line_column(text, unclosed_at(text));
            return Some(format!(
                "line {line}, column {column}: this {{{{ is not closed"
            ));
        }
        Err(e) => return Some(e.to_string()),
    };
    match validate_json(&resolved) {
        Ok(()) => None,
        Err(PrepareError::BadJson {
            line,
            column,
            message,
        }) => {
            // serde_json ends its message with the place, which is said first here.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            Some(format!("line {line}, column {column}: {message}"))
        }
        Err(e) => Some(e.to_string()),
    }
}

/// Where the first `{{` without a `}}` after it starts, as variables are resolved.
fn unclosed_at(text: &str) -> usize {
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|s| from + s) {
        match text[start + 2..].find("}}") {
            Some(end) => from = start + 2 + end + 2,
            None => return start,
        }
    }
    text.len()
}

/// The line and column (from 1, in characters) of byte `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_say_where_after_variables_resolve() {
        let mut vars = Vars::new();
        vars.set("n", "3", false);
        assert_eq!(check_json("{\"a\": {{n}}}", &vars), None);
        assert_eq!(
            check_json("{\n  \"a\": 1\n  \"b\": 2\n}", &vars).as_deref(),
            Some("line 3, column 3: expected `,` or `}`")
        );
        let unknown = check_json("{\"a\": {{missing}}}", &vars).unwrap();
        assert!(unknown.contains("missing"), "{unknown}");
        assert_eq!(
            check_json("{\"a\": \"{{n}}\",\n \"ü\": \"{{n\"}", &vars).as_deref(),
            Some("line 2, column 8: this {{ is not closed")
        );
    }
}
