//! Editing the editor's fields: what an edit of each field starts (a line input, the body
//! editor, a toggle or the next kind), and rows added, deleted and toggled in the query, the
//! headers and form and multipart bodies.

use super::body_edit::BodyEditor;
use super::editor::EditorPane;
use super::fields::{self, Field};
use super::kinds::{self, AuthPart};
use crate::http::{Body, Part, PartValue, Row};
use crate::tui::panes::Effect;
use crate::tui::widgets::text_area::EditorOutcome;
use crossterm::event::KeyEvent;

impl EditorPane {
    pub(super) fn start_edit(&mut self) -> Option<Effect> {
        let field = self.current_field();
        let auth = &self.request.auth;
        let text = match field {
            Field::Method => self.request.method.clone(),
            Field::Url => self.request.url.clone(),
            Field::Query(Some(i)) => self.request.query.get(i).map(fields::row_text)?,
            Field::Header(Some(i)) => self.request.headers.get(i).map(fields::row_text)?,
            Field::Query(None) | Field::Header(None) => return None,
            // A kind is edited by choosing the next one.
            Field::Auth => return self.next_auth_kind(),
            Field::Body => return self.next_body_kind(),
            Field::AuthPart(AuthPart::KeyPlace) => return self.toggle(field),
            Field::AuthPart(part) => {
                self.input.set_masked(kinds::is_secret(auth, part));
                kinds::part_text(auth, part)
            }
            Field::BodyText => return self.open_body_editor(),
            Field::BodyRow(i) => match &self.request.body {
                Body::Form(rows) => rows.get(i).map(fields::row_text)?,
                Body::Multipart(parts) => parts.get(i).map(kinds::multipart_text)?,
                _ => return None,
            },
            Field::BodyFile => match &self.request.body {
                Body::File(path) => path.display().to_string(),
                _ => return None,
            },
        };
        if !matches!(field, Field::AuthPart(_)) {
            self.input.set_masked(false);
        }
        self.input.set_text(text);
        self.editing = Some(field);
        None
    }

    /// Adds a row after the focused one and edits it: to a form or multipart body when the
    /// body is focused, to the query when a query line is, else to the headers.
    pub(super) fn add_row(&mut self, field: Field) -> Option<Effect> {
        let body = matches!(field, Field::Body | Field::BodyRow(_))
            && matches!(self.request.body, Body::Form(_) | Body::Multipart(_));
        let query = matches!(field, Field::Query(_));
        let target = if body {
            let after = match field {
                Field::BodyRow(i) => i + 1,
                _ => usize::MAX,
            };
            let at = match &mut self.request.body {
                Body::Form(rows) => insert(rows, after, Row::new("", "")),
                Body::Multipart(parts) => insert(
                    parts,
                    after,
                    Part {
                        name: String::new(),
                        value: PartValue::Text(String::new()),
                        enabled: true,
                    },
                ),
                _ => return None,
            };
            Field::BodyRow(at)
        } else if query {
            let after = match field {
                Field::Query(Some(i)) => i + 1,
                _ => 0,
            };
            Field::Query(Some(insert(
                &mut self.request.query,
                after,
                Row::new("", ""),
            )))
        } else {
            let after = match field {
                Field::Header(Some(i)) => i + 1,
                _ => usize::MAX,
            };
            Field::Header(Some(insert(
                &mut self.request.headers,
                after,
                Row::new("", ""),
            )))
        };
        self.field = self.fields().iter().position(|f| *f == target)?;
        self.input.set_masked(false);
        self.input.clear();
        self.editing = Some(target);
        None
    }

    /// Removes the row at `field`; false when `field` is not a row.
    fn remove_row(&mut self, field: Field) -> bool {
        fn remove<T>(items: &mut Vec<T>, i: usize) -> bool {
            (i < items.len()).then(|| items.remove(i)).is_some()
        }
        match (field, &mut self.request.body) {
            (Field::Query(Some(i)), _) => remove(&mut self.request.query, i),
            (Field::Header(Some(i)), _) => remove(&mut self.request.headers, i),
            (Field::BodyRow(i), Body::Form(rows)) => remove(rows, i),
            (Field::BodyRow(i), Body::Multipart(parts)) => remove(parts, i),
            _ => false,
        }
    }

    pub(super) fn delete_row(&mut self, field: Field) {
        if self.remove_row(field) {
            self.field = self.field.min(self.fields().len() - 1);
            self.revalidate();
        }
    }

    /// A row left empty (added, then abandoned) is removed rather than kept blank.
    pub(super) fn drop_empty_row(&mut self, field: Field) {
        let empty = match (field, &self.request.body) {
            (Field::Query(Some(i)), _) => self.request.query.get(i).map(|r| r.name.is_empty()),
            (Field::Header(Some(i)), _) => self.request.headers.get(i).map(|r| r.name.is_empty()),
            (Field::BodyRow(i), Body::Form(rows)) => rows.get(i).map(|r| r.name.is_empty()),
            (Field::BodyRow(i), Body::Multipart(parts)) => parts.get(i).map(|p| p.name.is_empty()),
            _ => None,
        };
        if empty == Some(true) && self.remove_row(field) {
            self.field = self.field.saturating_sub(1);
        }
    }

    /// Turns the focused row on or off, or moves an API key between header and query.
    pub(super) fn toggle(&mut self, field: Field) -> Option<Effect> {
        let row = match (field, &mut self.request.body) {
            (Field::Query(Some(i)), _) => self.request.query.get_mut(i),
            (Field::Header(Some(i)), _) => self.request.headers.get_mut(i),
            (Field::BodyRow(i), Body::Form(rows)) => rows.get_mut(i),
            (Field::BodyRow(_), Body::Multipart(_)) => {
                // A `.http` file has no way to keep a part that is off.
                return Some(Effect::Status(
                    "Multipart parts are sent or deleted (d), not turned off".into(),
                ));
            }
            (Field::AuthPart(AuthPart::KeyPlace), _) => {
                kinds::toggle_place(&mut self.request.auth);
                self.revalidate();
                return None;
            }
            _ => None,
        };
        if let Some(row) = row {
            row.enabled = !row.enabled;
            self.revalidate();
        }
        None
    }

    /// The next auth kind, with the cursor on it.
    pub(super) fn next_auth_kind(&mut self) -> Option<Effect> {
        self.request.auth = kinds::next_auth(&self.request.auth, &mut self.auth_stash);
        self.focus_field(Field::Auth);
        None
    }

    /// The next body kind, with the cursor on it.
    pub(super) fn next_body_kind(&mut self) -> Option<Effect> {
        self.request.body = kinds::next_body(&self.request.body, &mut self.body_stash);
        self.focus_field(Field::Body);
        None
    }

    fn focus_field(&mut self, field: Field) {
        if let Some(i) = self.fields().iter().position(|f| *f == field) {
            self.field = i;
        }
        self.revalidate();
    }
}

/// Inserts `item` at `at`, or at the end when `at` is past it; returns where it went.
fn insert<T>(items: &mut Vec<T>, at: usize, item: T) -> usize {
    let at = at.min(items.len());
    items.insert(at, item);
    at
}

impl EditorPane {
    /// Opens the editor on the body's text; other kinds say how they are edited.
    pub(super) fn open_body_editor(&mut self) -> Option<Effect> {
        match BodyEditor::open(&self.request.body, &self.vars()) {
            Some(editor) => {
                self.body_editor = Some(editor);
                None
            }
            None => Some(Effect::Status(
                "Only JSON and raw bodies are typed here: B picks the body kind".into(),
            )),
        }
    }

    /// Keys while the body editor is open.
    pub(super) fn body_editor_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        let vars = self.vars();
        let editor = self.body_editor.as_mut()?;
        match editor.editor.handle_key(key) {
            EditorOutcome::Leave => self.body_editor = None,
            EditorOutcome::Moved => {}
            EditorOutcome::Edited => {
                editor.check(&vars);
                self.request.body = editor.body();
                self.revalidate();
            }
        }
        None
    }

    /// Pasted text goes in at the cursor, line breaks kept.
    pub(super) fn paste_into_body(&mut self, text: &str) {
        let vars = self.vars();
        let Some(editor) = self.body_editor.as_mut() else {
            return;
        };
        if editor.editor.insert_str(text) {
            editor.check(&vars);
            self.request.body = editor.body();
            self.revalidate();
        }
    }
}
