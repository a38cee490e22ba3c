//! An import plan: the `.http` files a whole-API import writes (requests grouped into files),
//! the environments it adds to `http-client.env.json`, and the secret variables it leaves
//! empty in the private env file. Every importer (OpenAPI, Postman, HAR) builds one; the CLI
//! previews it or applies it.
//!
//! Applying never destroys the user's work. Beside each file a sidecar
//! (`requests/.STEM.imported.json`) keeps the requests as last imported; on a re-import a
//! request is replaced only when the file still holds exactly that version, one the user
//! edited is kept, one the user deleted stays deleted, and the user's own requests in the
//! file stay. Environment values and secrets already set are never overwritten.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::http::dotfile::{self, Extras, HttpFile};
use crate::http::model::Request;
use crate::http::workspace::{PRIVATE_ENV_FILE, REQUESTS_DIR, SHARED_ENV, write_atomic};
use crate::http::{Workspace, WorkspaceError};

/// Everything one import would write.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// What it was made from (a path or URL), named atop each file.
    pub source: String,
    pub files: Vec<PlannedFile>,
    /// Environments for `http-client.env.json`, in order; `$shared` is the section every
    /// environment (and a send with none) reads.
    pub environments: Vec<PlannedEnv>,
    /// Variables for the private env file's `$shared` section, written empty to be filled.
    pub secrets: Vec<String>,
    /// What the importer could not carry over, one sentence each.
    pub warnings: Vec<String>,
}

/// One `.http` file: `requests/STEM.http`.
#[derive(Debug, Clone, Default)]
pub struct PlannedFile {
    pub stem: String,
    pub requests: Vec<PlannedRequest>,
}

/// A request and the comment lines written above it (what `.http` cannot say: a summary,
/// an OAuth2 flow to follow by hand).
#[derive(Debug, Clone)]
pub struct PlannedRequest {
    pub request: Request,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PlannedEnv {
    pub name: String,
    pub values: Vec<(String, String)>,
}

/// What applying a plan did (or, from [`Plan::changes`], would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// The files written (or to be written), and those left byte for byte.
    pub written: Vec<PathBuf>,
    pub untouched: Vec<PathBuf>,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Requests kept as the user left them, each with why.
    pub kept: Vec<(String, String)>,
    /// `ENV.NAME` values set, and those kept because the user's differ from the import's.
    pub env_set: Vec<String>,
    pub env_kept: Vec<String>,
    /// Secret variables added, empty, to the private env file.
    pub secrets_added: Vec<String>,
}

impl Changes {
    /// One line per kind of change, for the CLI.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        // A large API's names would fill the screen: the first few stand for the rest.
        let list = |names: &[String]| match names.len() {
            n if n > SHOWN => format!("{}, and {} more", names[..SHOWN].join(", "), n - SHOWN),
            _ => names.join(", "),
        };
        for (label, names) in [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ] {
            if !names.is_empty() {
                let _ = writeln!(out, "{label} ({}): {}", names.len(), list(names));
            }
        }
        if !self.unchanged.is_empty() {
            let _ = writeln!(out, "unchanged: {}", self.unchanged.len());
        }
        for (name, why) in &self.kept {
            let _ = writeln!(out, "kept {name}: {why}");
        }
        if !self.env_set.is_empty() {
            let _ = writeln!(out, "environment values set: {}", list(&self.env_set));
        }
        for name in &self.env_kept {
            let _ = writeln!(
                out,
                "kept your value of {name} (the description says otherwise)"
            );
        }
        if !self.secrets_added.is_empty() {
            let _ = writeln!(
                out,
                "secrets to fill in {PRIVATE_ENV_FILE}: {}",
                list(&self.secrets_added)
            );
        }
        out
    }
}

/// How many names a summary line lists before it counts the rest.
const SHOWN: usize = 12;

/// The sidecar's contents: each request as last imported, by name, with what it was imported
/// from. Two imports may share a file (two APIs with a `users` tag): each removes only the
/// requests it imported itself.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Sidecar {
    requests: BTreeMap<String, Record>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    source: String,
    request: Request,
}

/// A file name part from any text: lower-case letters, digits and `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "api".into() } else { out }
}

/// A name that is not in `taken`: `name`, else `name-2`, `name-3` …
fn unique(name: &str, taken: &dyn Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|n| format!("{name}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_default()
}

impl Plan {
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            ..Self::default()
        }
    }

    /// Adds `request` to file `group` (made a file name by [`slug`]), renaming it `NAME-2` …
    /// if the plan already has a request of that name, so every request can be sent by name.
    /// Returns the name it got.
    pub fn add(&mut self, group: &str, mut request: Request, notes: Vec<String>) -> String {
        let taken = |n: &str| {
            (self.files.iter())
                .flat_map(|f| &f.requests)
                .any(|r| r.request.name == n)
        };
        request.name = unique(&request.name, &taken);
        let stem = slug(group);
        let file = match self.files.iter().position(|f| f.stem == stem) {
            Some(i) => &mut self.files[i],
            None => {
                self.files.push(PlannedFile {
                    stem,
                    requests: Vec::new(),
                });
                self.files.last_mut().expect("just pushed")
            }
        };
        let name = request.name.clone();
        file.requests.push(PlannedRequest { request, notes });
        name
    }

    /// Sets `name` in environment `env` (the first value given wins).
    pub fn env_value(&mut self, env: &str, name: &str, value: &str) {
        let slot = match self.environments.iter().position(|e| e.name == env) {
            Some(i) => &mut self.environments[i],
            None => {
                self.environments.push(PlannedEnv {
                    name: env.to_string(),
                    values: Vec::new(),
                });
                self.environments.last_mut().expect("just pushed")
            }
        };
        if !slot.values.iter().any(|(n, _)| n == name) {
            slot.values.push((name.to_string(), value.to_string()));
        }
    }

    /// Names a secret variable for the private env file.
    pub fn secret(&mut self, name: &str) {
        if !self.secrets.iter().any(|s| s == name) {
            self.secrets.push(name.to_string());
        }
    }

    pub fn request_count(&self) -> usize {
        self.files.iter().map(|f| f.requests.len()).sum()
    }

    /// The file's path in `ws`.
    pub fn path_of(ws: &Workspace, file: &PlannedFile) -> PathBuf {
        ws.dir
            .join(REQUESTS_DIR)
            .join(format!("{}.http", file.stem))
    }

    /// The text of a first import of `file`.
    pub fn file_text(&self, file: &PlannedFile) -> String {
        let blocks: Vec<Block> = file
            .requests
            .iter()
            .map(|p| Block {
                request: p.request.clone(),
                extras: Extras::default(),
                notes: p.notes.clone(),
            })
            .collect();
        render(&self.source, &[], &blocks)
    }

    /// What `--dry-run` prints: every file's text, the environments and the secrets.
    pub fn preview(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            let _ = writeln!(
                out,
                "==> {REQUESTS_DIR}/{}.http ({} request{})",
                file.stem,
                file.requests.len(),
                if file.requests.len() == 1 { "" } else { "s" }
            );
            out.push_str(&self.file_text(file));
            out.push('\n');
        }
        if !self.environments.is_empty() {
            let envs: serde_json::Map<String, serde_json::Value> = self
                .environments
                .iter()
                .map(|e| {
                    let values = e
                        .values
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                        .collect();
                    (e.name.clone(), serde_json::Value::Object(values))
                })
                .collect();
            let _ = writeln!(out, "==> environments (http-client.env.json)");
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&envs).unwrap_or_default()
            );
        }
        if !self.secrets.is_empty() {
            let _ = writeln!(out, "==> secrets, empty to fill ({PRIVATE_ENV_FILE})");
            let _ = writeln!(out, "{}", self.secrets.join(", "));
        }
        out
    }

    /// What [`Self::apply`] would do to `ws`, writing nothing.
    pub fn changes(&self, ws: &Workspace) -> Result<Changes, WorkspaceError> {
        let mut changes = Changes::default();
        for file in &self.files {
            let path = Self::path_of(ws, file);
            self.merge_file(&path, file, &mut changes)?;
        }
        self.env_changes(ws, &mut changes, false)?;
        Ok(changes)
    }

    /// Writes the plan into `ws` (created if need be): each file under its lock, read,
    /// merged and written atomically with its sidecar; then the environments and secrets.
    pub fn apply(&self, ws: &Workspace) -> Result<Changes, WorkspaceError> {
        let ws = Workspace::create(ws.dir.clone())?;
        let mut changes = Changes::default();
        for file in &self.files {
            let path = Self::path_of(&ws, file);
            let _lock = crate::fs::lock(&path).map_err(|e| WorkspaceError::io(&path, e))?;
            if let Some((text, sidecar)) = self.merge_file(&path, file, &mut changes)? {
                write_atomic(&path, text.as_bytes())?;
                let side = sidecar_path(&path);
                let json = serde_json::to_string_pretty(&sidecar)
                    .map_err(|e| WorkspaceError::corrupt(&side, None, e.to_string()))?;
                crate::fs::write_atomic(&side, json.as_bytes(), crate::fs::Perm::Keep)
                    .map_err(|e| WorkspaceError::io(&side, e))?;
            }
        }
        self.env_changes(&ws, &mut changes, true)?;
        Ok(changes)
    }

    /// The merged text and sidecar of one file, or None when it stays as it is.
    fn merge_file(
        &self,
        path: &Path,
        file: &PlannedFile,
        changes: &mut Changes,
    ) -> Result<Option<(String, Sidecar)>, WorkspaceError> {
        let existing = match path.exists() {
            true => Some(std::fs::read_to_string(path).map_err(|e| WorkspaceError::io(path, e))?),
            false => None,
        };
        let current = match &existing {
            // The user's file must parse: what it holds cannot be kept otherwise.
            Some(text) => dotfile::parse(text).map_err(|e| {
                WorkspaceError::corrupt(
                    path,
                    Some(e.line),
                    format!("{}; fix it or move it away, then import again", e.message),
                )
            })?,
            None => HttpFile::default(),
        };
        let old = read_sidecar(path)?;
        // Other imports' records stay as they are; this import's are rewritten below.
        let mut sidecar = Sidecar {
            requests: (old.requests.iter())
                .filter(|(_, r)| r.source != self.source)
                .map(|(n, r)| (n.clone(), r.clone()))
                .collect(),
        };
        let record = |request: &Request| Record {
            source: self.source.clone(),
            request: request.clone(),
        };
        let find = |name: &str| current.requests.iter().position(|r| r.name == name);
        let extras_of = |i: usize| current.extras_of(i).cloned().unwrap_or_default();
        let mut blocks: Vec<Block> = Vec::new();
        let mut used = vec![false; current.requests.len()];
        for planned in &file.requests {
            let name = planned.request.name.clone();
            let fresh = normalised(&planned.request);
            let last = old.requests.get(&name).map(|r| &r.request);
            let Some(i) = find(&name) else {
                match last {
                    Some(last) => {
                        changes
                            .kept
                            .push((name.clone(), "you deleted it, so it stays deleted".into()));
                        sidecar.requests.insert(name, record(last));
                    }
                    None => {
                        changes.added.push(name.clone());
                        sidecar.requests.insert(name, record(&fresh));
                        blocks.push(Block {
                            request: planned.request.clone(),
                            extras: Extras::default(),
                            notes: planned.notes.clone(),
                        });
                    }
                }
                continue;
            };
            used[i] = true;
            let mine = &current.requests[i];
            let edited = last != Some(mine);
            let request = if *mine == fresh {
                changes.unchanged.push(name.clone());
                sidecar.requests.insert(name, record(&fresh));
                mine.clone()
            } else if edited {
                let why = match last {
                    Some(_) => "you edited it since the last import",
                    None => "it was in the file before apiward imported into it",
                };
                changes.kept.push((name.clone(), why.into()));
                if let Some(last) = last {
                    sidecar.requests.insert(name, record(last));
                }
                mine.clone()
            } else {
                changes.changed.push(name.clone());
                sidecar.requests.insert(name, record(&fresh));
                planned.request.clone()
            };
            blocks.push(Block {
                request,
                extras: extras_of(i),
                notes: planned.notes.clone(),
            });
        }
        // What the file holds that the description no longer has, or never had.
        for (i, mine) in current.requests.iter().enumerate() {
            if used[i] {
                continue;
            }
            // Only a request this import made is its to remove.
            match old.requests.get(&mine.name) {
                Some(last) if last.source == self.source && last.request == *mine => {
                    changes.removed.push(mine.name.clone());
                    continue;
                }
                Some(last) if last.source == self.source => {
                    changes.kept.push((
                        mine.name.clone(),
                        "the description no longer has it, but you edited it".into(),
                    ));
                    sidecar.requests.insert(mine.name.clone(), last.clone());
                }
                _ => {}
            }
            blocks.push(Block {
                request: mine.clone(),
                extras: extras_of(i),
                notes: Vec::new(),
            });
        }
        let text = render(&self.source, &current.vars, &blocks);
        if existing.as_deref() == Some(text.as_str()) {
            changes.untouched.push(path.to_path_buf());
            return Ok(None);
        }
        changes.written.push(path.to_path_buf());
        Ok(Some((text, sidecar)))
    }

    /// Sets the environments' values and the secrets that are not set yet (`write` false:
    /// only says which).
    fn env_changes(
        &self,
        ws: &Workspace,
        changes: &mut Changes,
        write: bool,
    ) -> Result<(), WorkspaceError> {
        let known = ws.environments()?;
        for env in &self.environments {
            let have = if env.name == SHARED_ENV {
                Some(ws.vars(None, &[])?)
            } else if known.contains(&env.name) {
                Some(ws.vars(Some(&env.name), &[])?)
            } else {
                None
            };
            let mut set: Vec<(&str, &str)> = Vec::new();
            for (name, value) in &env.values {
                match have.as_ref().and_then(|v| v.get(name)) {
                    Some(var) if var.value != *value => {
                        changes.env_kept.push(format!("{}.{name}", env.name))
                    }
                    Some(_) => {}
                    None => set.push((name, value)),
                }
            }
            changes
                .env_set
                .extend(set.iter().map(|(n, _)| format!("{}.{n}", env.name)));
            if write && !set.is_empty() {
                ws.set_env_values(&env.name, &set, false)?;
            }
        }
        let shared = ws.vars(None, &[])?;
        let missing: Vec<(&str, &str)> = self
            .secrets
            .iter()
            .filter(|s| shared.get(s).is_none())
            .map(|s| (s.as_str(), ""))
            .collect();
        changes
            .secrets_added
            .extend(missing.iter().map(|(n, _)| n.to_string()));
        if write && !missing.is_empty() {
            ws.set_env_values(SHARED_ENV, &missing, true)?;
        }
        Ok(())
    }
}

/// One request as it will be written.
struct Block {
    request: Request,
    extras: Extras,
    notes: Vec<String>,
}

/// A file's text: a line naming the source, the file's `@var` lines, then each request
/// (written by the `.http` writer) under its notes, `###` between them.
fn render(source: &str, vars: &[(String, String)], blocks: &[Block]) -> String {
    let mut out = format!(
        "// Imported by apiward from {source}. Re-importing replaces only the requests you have not edited.\n\n"
    );
    let head = HttpFile {
        vars: vars.to_vec(),
        ..HttpFile::default()
    };
    out.push_str(&dotfile::write(&head));
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str("\n###\n\n");
        }
        for note in &block.notes {
            for line in note.lines() {
                let _ = writeln!(out, "// {line}");
            }
        }
        out.push_str(&dotfile::to_http_with(&block.request, &block.extras));
    }
    out
}

/// The request as it reads back from its own `.http` text: what the file will hold, and so
/// what an unedited request compares equal to.
fn normalised(request: &Request) -> Request {
    dotfile::parse(&dotfile::to_http(request))
        .ok()
        .and_then(|mut f| f.requests.pop())
        .unwrap_or_else(|| request.clone())
}

fn sidecar_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{stem}.imported.json"))
}

/// The sidecar beside `path`; none yet is empty. A broken one is an error: without it, no
/// edit could be told from an import.
fn read_sidecar(path: &Path) -> Result<Sidecar, WorkspaceError> {
    let side = sidecar_path(path);
    let text = match std::fs::read_to_string(&side) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Sidecar::default()),
        Err(e) => return Err(WorkspaceError::io(&side, e)),
    };
    serde_json::from_str(&text).map_err(|e| {
        WorkspaceError::corrupt(
            &side,
            Some(e.line()),
            format!("the record of the last import does not parse: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(url: &str) -> Plan {
        let mut plan = Plan::new("api.yaml");
        plan.add(
            "Pets",
            Request::new("GET", &format!("{{{{baseUrl}}}}{url}")).header("Accept", "*/*"),
            vec!["List the pets.".into()],
        );
        let mut create = Request::new("POST", "{{baseUrl}}/pets");
        create.name = "createPet".into();
        plan.add("Pets", create, vec![]);
        plan.files[0].requests[0].request.name = "listPets".into();
        plan.env_value("prod", "baseUrl", "https://api.example/v1");
        plan.env_value("$shared", "petId", "1");
        plan.secret("token");
        plan
    }

    #[test]
    fn names_and_file_stems_are_made_unique_and_safe() {
        let mut plan = Plan::new("x");
        let mut req = Request::new("GET", "/a");
        req.name = "GET /a".into();
        let a = plan.add("Store / Orders", req.clone(), vec![]);
        let b = plan.add("store orders", req, vec![]);
        assert_eq!((a.as_str(), b.as_str()), ("GET /a", "GET /a-2"));
        assert_eq!(plan.files.len(), 1);
        assert_eq!(plan.files[0].stem, "store-orders");
        assert_eq!(slug("  "), "api");
    }

    #[test]
    fn a_long_summary_counts_what_it_does_not_list() {
        let changes = Changes {
            added: (0..20).map(|i| format!("r{i}")).collect(),
            ..Changes::default()
        };
        let text = changes.summary();
        assert!(text.starts_with("added (20): r0, r1, "), "{text}");
        assert!(text.contains("r11, and 8 more\n"), "{text}");
        assert!(!text.contains("r12"), "{text}");
    }

    #[test]
    fn a_first_import_writes_files_envs_and_empty_secrets() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(dir.path());
        let plan = plan("/pets");
        let preview = plan.preview();
        assert!(
            preview.contains("==> requests/pets.http (2 requests)"),
            "{preview}"
        );
        assert!(preview.contains("// List the pets.\n# @name listPets\nGET {{baseUrl}}/pets"));
        let changes = plan.apply(&ws).unwrap();
        assert_eq!(changes.added, ["listPets", "createPet"]);
        assert_eq!(changes.secrets_added, ["token"]);
        let stored = ws.request("createPet").unwrap();
        assert_eq!(stored.request.method, "POST");
        let vars = ws.vars(Some("prod"), &[]).unwrap();
        assert_eq!(vars.get("baseUrl").unwrap().value, "https://api.example/v1");
        assert_eq!(vars.get("petId").unwrap().value, "1");
        assert!(vars.get("token").unwrap().secret);
        // The same plan again changes nothing, not even a byte.
        let again = plan.apply(&ws).unwrap();
        assert!(
            again.written.is_empty() && again.added.is_empty(),
            "{again:?}"
        );
        assert_eq!(again.unchanged.len(), 2);
    }

    #[test]
    fn a_re_import_keeps_edits_deletions_and_the_user_s_values() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(dir.path());
        plan("/pets").apply(&ws).unwrap();
        // The user edits createPet, adds a request of their own, fills the secret, and
        // points prod elsewhere.
        let stored = ws.request("createPet").unwrap();
        let mut edited = stored.request.clone();
        edited.url = "{{baseUrl}}/pets?mine=1".into();
        ws.save_at(&stored, &edited).unwrap();
        let path = dir.path().join("requests/pets.http");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\n###\n\n# @name mine\nGET http://127.0.0.1/mine\n");
        std::fs::write(&path, text).unwrap();
        ws.set_env_values(SHARED_ENV, &[("token", "s3cret")], true)
            .unwrap();
        ws.set_env_values("prod", &[("baseUrl", "http://127.0.0.1:1")], false)
            .unwrap();

        // The description changes both requests.
        let mut newer = plan("/animals");
        newer.files[0].requests[1].request.body =
            crate::http::model::Body::Json("{\"name\": \"x\"}".into());
        let changes = newer.apply(&ws).unwrap();
        assert_eq!(changes.changed, ["listPets"]);
        assert_eq!(
            changes.kept,
            [(
                "createPet".to_string(),
                "you edited it since the last import".to_string()
            )]
        );
        assert_eq!(changes.env_kept, ["prod.baseUrl"]);
        assert!(changes.secrets_added.is_empty());
        assert_eq!(ws.request("createPet").unwrap().request, edited);
        assert_eq!(
            ws.request("listPets").unwrap().request.url,
            "{{baseUrl}}/animals"
        );
        assert_eq!(
            ws.request("mine").unwrap().request.url,
            "http://127.0.0.1/mine"
        );
        let vars = ws.vars(Some("prod"), &[]).unwrap();
        assert_eq!(vars.get("token").unwrap().value, "s3cret");
        assert_eq!(vars.get("baseUrl").unwrap().value, "http://127.0.0.1:1");

        // listPets deleted by the user stays deleted; an unedited request the description
        // drops is removed.
        let text = std::fs::read_to_string(&path).unwrap();
        let start = text.find("// List the pets.").unwrap();
        let end = text[start..].find("###").unwrap() + start + 4;
        std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
        let changes = newer.apply(&ws).unwrap();
        assert_eq!(changes.kept[0].0, "listPets");
        assert!(ws.request("listPets").is_err());
        let mut only_mine = Plan::new("api.yaml");
        only_mine.files.push(PlannedFile {
            stem: "pets".into(),
            requests: vec![],
        });
        let changes = only_mine.apply(&ws).unwrap();
        assert!(changes.removed.is_empty(), "{changes:?}");
        assert_eq!(changes.kept.len(), 1, "{changes:?}"); // createPet, edited
        assert!(ws.request("mine").is_ok());
    }

    #[test]
    fn two_imports_sharing_a_file_remove_only_their_own_requests() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::open(dir.path());
        let a = plan("/pets");
        a.apply(&ws).unwrap();
        let mut b = Plan::new("owners.yaml");
        let mut owners = Request::new("GET", "{{baseUrl}}/owners");
        owners.name = "listOwners".into();
        b.add("pets", owners, vec![]);
        let changes = b.apply(&ws).unwrap();
        assert_eq!(changes.added, ["listOwners"]);
        assert!(changes.removed.is_empty(), "{changes:?}");
        // A drops createPet: that goes, B's request stays.
        let mut fewer = plan("/pets");
        fewer.files[0].requests.truncate(1);
        let changes = fewer.apply(&ws).unwrap();
        assert_eq!(changes.removed, ["createPet"]);
        assert!(ws.request("listOwners").is_ok());
        assert!(ws.request("createPet").is_err());
        // B's next import still knows its request as its own, unedited.
        let changes = b.apply(&ws).unwrap();
        assert_eq!(changes.unchanged, ["listOwners"]);
        assert!(changes.kept.is_empty(), "{changes:?}");
    }

    #[test]
    fn a_broken_file_or_sidecar_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("requests/pets.http");
        std::fs::write(&path, "GET http://x/\nnot a header\n").unwrap();
        let err = plan("/pets").apply(&ws).unwrap_err().to_string();
        assert!(err.contains("pets.http:2"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "GET http://x/\nnot a header\n"
        );
        std::fs::remove_file(&path).unwrap();
        std::fs::write(dir.path().join("requests/.pets.imported.json"), "{").unwrap();
        let err = plan("/pets").apply(&ws).unwrap_err().to_string();
        assert!(err.contains(".pets.imported.json"), "{err}");
    }
}
