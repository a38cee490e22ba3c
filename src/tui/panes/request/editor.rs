//! The Request tab's editor as a component: the request being edited and where it came from
//! (the baseline it is compared with for the unsaved marker), its fields and the one being
//! edited, the line input, the multi-line body editor and the name prompt of a save. Field
//! edits are in `edit.rs`, the save prompt in `save.rs`; the coordinator hands it the
//! environment's values and the workspace where it needs them.

use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use super::body_edit::BodyEditor;
use super::fields::{self, Field, Target};
use super::kinds;
use super::load::Loaded;
use super::origin::{Origin, SaveAs};
use crate::http::{Auth, Body, Entry, Request, Stored, Vars};
use crate::tui::action::Action;
use crate::tui::panes::Effect;
use crate::tui::widgets::input::{InputOutcome, TextInput};

pub struct EditorPane {
    pub(super) request: Request,
    /// The folder of the `.http` file the request came from: relative paths resolve there.
    pub(super) base_dir: Option<PathBuf>,
    pub(super) file_vars: Vec<(String, String)>,
    /// The environment's values, which resolve after the file's.
    env_values: Vars,
    pub(super) field: usize,
    pub(super) editing: Option<Field>,
    pub(super) input: TextInput,
    /// The multi-line editor, open on a JSON or raw body.
    pub(super) body_editor: Option<BodyEditor>,
    /// The name prompt of a save.
    pub(super) save_as: Option<SaveAs>,
    /// The stored request being edited, if it came from (or was saved to) the workspace.
    pub(super) origin: Option<Origin>,
    /// The request as it was opened, saved or made: edits are unsaved while it differs.
    pub(super) baseline: Request,
    /// The auth and body last set up in each kind, so cycling through kinds loses nothing.
    pub(super) auth_stash: Vec<Auth>,
    pub(super) body_stash: Vec<Body>,
    pub(super) problem: Option<(Target, String)>,
}

impl Default for EditorPane {
    fn default() -> Self {
        Self {
            request: Request::default(),
            base_dir: None,
            file_vars: Vec::new(),
            env_values: Vars::new(),
            field: 1,
            editing: None,
            input: TextInput::default(),
            body_editor: None,
            save_as: None,
            origin: None,
            baseline: Request::default(),
            auth_stash: Vec::new(),
            body_stash: Vec::new(),
            problem: None,
        }
    }
}

impl EditorPane {
    /// The variables the request resolves against: the file's, then the environment's.
    pub fn vars(&self) -> Vars {
        let mut vars = Vars::new();
        for (name, value) in &self.file_vars {
            vars.set(name, value, false);
        }
        for (name, var) in self.env_values.iter() {
            vars.set(name, &var.value, var.secret);
        }
        vars
    }

    /// The environment chosen changed (or the workspace was read): check again against it.
    pub fn set_env_values(&mut self, values: Vars) {
        self.env_values = values;
        self.revalidate();
    }

    pub(super) fn revalidate(&mut self) {
        self.problem = fields::validate(&self.request, &self.vars(), self.base_dir.as_deref());
    }

    pub(super) fn fields(&self) -> Vec<Field> {
        fields::fields(&self.request)
    }

    pub(super) fn current_field(&self) -> Field {
        let fields = self.fields();
        fields[self.field.min(fields.len() - 1)]
    }

    /// Whether the editor holds edits that are in no file.
    pub fn unsaved(&self) -> bool {
        self.request != self.baseline
    }

    /// The stored request with unsaved edits here, for the list's marker.
    pub fn edited_origin(&self) -> Option<&Origin> {
        self.origin.as_ref().filter(|_| self.unsaved())
    }

    /// The request's name for questions and titles.
    pub(super) fn display_name(&self) -> String {
        match self.request.name.as_str() {
            "" => "the new request".to_string(),
            name => name.to_string(),
        }
    }

    /// Whether a line input, the body editor or the name prompt has the keys.
    pub fn is_editing(&self) -> bool {
        self.editing.is_some() || self.body_editor.is_some() || self.save_as.is_some()
    }

    /// Makes `token` the request's bearer token, replacing any auth, and turns off
    /// Authorization header rows so the two cannot disagree.
    pub fn use_bearer_token(&mut self, token: &str) {
        self.request.auth = Auth::Bearer {
            token: token.to_string(),
        };
        for row in &mut self.request.headers {
            if row.name.eq_ignore_ascii_case("authorization") {
                row.enabled = false;
            }
        }
        self.revalidate();
    }

    /// Opens a stored request.
    pub fn open_stored(&mut self, stored: &Stored) {
        self.base_dir = stored.path.parent().map(PathBuf::from);
        self.file_vars = stored.file_vars.clone();
        self.origin = Some(Origin::of(stored));
        self.open(stored.request.clone());
    }

    /// Opens a history entry, whose relative paths resolve in the workspace folder.
    pub fn open_history(&mut self, entry: &Entry, dir: &Path) {
        self.base_dir = Some(dir.to_path_buf());
        self.file_vars.clear();
        self.origin = None;
        self.open(entry.request.clone());
    }

    fn open(&mut self, request: Request) {
        self.request = request;
        self.baseline = self.request.clone();
        self.auth_stash.clear();
        self.body_stash.clear();
        self.field = 1;
        self.revalidate();
    }

    /// A blank request, its URL ready to type; where it is saved is asked on `S`.
    pub fn new_request(&mut self, dir: Option<&Path>) -> Option<Effect> {
        self.request = Request::default();
        self.baseline = Request::default();
        self.origin = None;
        self.base_dir = dir.map(Path::to_path_buf);
        self.file_vars.clear();
        self.auth_stash.clear();
        self.body_stash.clear();
        self.field = self
            .fields()
            .iter()
            .position(|f| *f == Field::Url)
            .unwrap_or(0);
        self.revalidate();
        self.start_edit();
        self.input.clear();
        Some(Effect::Status(
            "New request: type its URL, enter keeps it; ctrl-s sends, S saves".into(),
        ))
    }

    /// A copy of the request under a new name, not saved until `S`.
    pub fn duplicate(&mut self) -> Option<Effect> {
        let name = match self.request.name.as_str() {
            "" => "copy".to_string(),
            name => format!("{name}-copy"),
        };
        self.request.name = name.clone();
        self.origin = None;
        self.baseline = Request::default();
        Some(Effect::Status(format!("Duplicated as {name}: S saves it")))
    }

    /// The name prompt, to rename the stored request in its own file.
    pub fn rename(&mut self) -> Option<Effect> {
        if self.origin.is_none() {
            return Some(Effect::Status(
                "Only a saved request can be renamed: S saves this one".into(),
            ));
        }
        let mut input = TextInput::default();
        input.offer(self.request.name.clone(), "the name (enter alone keeps it)");
        self.save_as = Some(SaveAs {
            input,
            confirm: None,
            rename: true,
        });
        None
    }

    /// The stored request `name` was deleted: what is open of it is now unsaved.
    pub fn forget(&mut self, name: &str) {
        if self.origin.as_ref().is_some_and(|o| o.name == name) {
            self.origin = None;
            self.baseline = Request::default();
        }
    }

    /// The stored request open here moved to another file, where it now is `now`: it is
    /// saved there from now on, and resolves that file's variables.
    pub fn moved(&mut self, from: &Origin, now: &Stored) {
        if self.origin.as_ref() == Some(from) {
            self.base_dir = now.path.parent().map(PathBuf::from);
            self.file_vars = now.file_vars.clone();
            self.origin = Some(Origin::of(now));
            self.revalidate();
        }
    }

    /// Raw keys while the body editor, the name prompt or a line input has them.
    pub fn key(&mut self, key: &KeyEvent, ws: Option<&Loaded>) -> Option<Effect> {
        if self.body_editor.is_some() {
            return self.body_editor_key(key);
        }
        if self.save_as.is_some() {
            return self.save_request_key(key, ws);
        }
        let field = self.editing?;
        match self.input.handle_key(key) {
            InputOutcome::Changed => None,
            InputOutcome::Cancel => {
                self.editing = None;
                self.drop_empty_row(field);
                None
            }
            // Enter keeps the field; sending is always ctrl-s.
            InputOutcome::Submit => self.commit(),
        }
    }

    /// Ends editing, writing the input into the request. The body editor has written its
    /// text already and stays open; a name prompt is abandoned.
    pub fn commit(&mut self) -> Option<Effect> {
        self.save_as = None;
        let field = self.editing.take()?;
        let text = self.input.text().to_string();
        let mut effect = None;
        match field {
            Field::Method => self.request.method = text.trim().to_ascii_uppercase(),
            Field::Url => self.request.url = text.trim().to_string(),
            Field::Query(Some(i)) => {
                if let Some(row) = self.request.query.get_mut(i) {
                    *row = fields::parse_row(&text, row.enabled);
                }
            }
            Field::Header(Some(i)) => {
                if let Some(row) = self.request.headers.get_mut(i) {
                    *row = fields::parse_row(&text, row.enabled);
                }
            }
            Field::AuthPart(part) => {
                if let Err(e) = kinds::set_part(&mut self.request.auth, part, &text) {
                    effect = Some(Effect::Status(e));
                }
            }
            Field::BodyRow(i) => match &mut self.request.body {
                Body::Form(rows) => {
                    if let Some(row) = rows.get_mut(i) {
                        *row = fields::parse_row(&text, row.enabled);
                    }
                }
                Body::Multipart(parts) => {
                    if let Some(part) = parts.get_mut(i) {
                        *part = kinds::parse_multipart(&text, part.enabled);
                    }
                }
                _ => {}
            },
            Field::BodyFile => self.request.body = Body::File(text.trim().into()),
            Field::Query(None)
            | Field::Header(None)
            | Field::Auth
            | Field::Body
            | Field::BodyText => {}
        }
        self.drop_empty_row(field);
        self.revalidate();
        effect
    }

    /// Pasted text: into the body editor or the name prompt when open, else into the field
    /// being edited, else into the URL.
    pub fn paste(&mut self, text: &str) {
        if self.body_editor.is_some() {
            return self.paste_into_body(text);
        }
        if let Some(prompt) = self.save_as.as_mut() {
            return prompt.input.insert_str(text.trim());
        }
        if self.editing.is_none() {
            self.field = 1;
            self.start_edit();
            self.input.clear();
        }
        self.input.insert_str(text.trim());
    }

    /// The next method of `m`'s list.
    pub fn next_method(&mut self) {
        self.request.method = fields::next_method(&self.request.method).into();
        self.revalidate();
    }

    /// The editor's own keys, while it has the focus.
    pub fn action(&mut self, action: Action) -> Option<Effect> {
        let last = self.fields().len() - 1;
        let field = self.current_field();
        match action {
            Action::Up => self.field = self.field.saturating_sub(1),
            Action::Down => self.field = (self.field + 1).min(last),
            Action::Top => self.field = 0,
            Action::Bottom => self.field = last,
            Action::Select | Action::Edit => match field {
                Field::Query(None) | Field::Header(None) => return self.add_row(field),
                _ => return self.start_edit(),
            },
            Action::RequestAddRow => return self.add_row(field),
            Action::RequestDeleteRow => self.delete_row(field),
            Action::RequestToggleRow => return self.toggle(field),
            _ => {}
        }
        None
    }
}
