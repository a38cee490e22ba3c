//! The workspace folder: one `.http` file per request under `requests/`, environments in
//! `http-client.env.json`, secrets in `http-client.private.env.json` (kept out of git), and
//! the history. Every write is atomic; a corrupt file is reported, never overwritten. A
//! request read from a collection file is saved back into its own block of that file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::dotfile::{self, HttpFile};
use super::history::History;
use super::model::{Auth, Body, Request, Row};
use super::vars::{self, Vars};
pub use super::workspace_error::WorkspaceError;

pub const ENV_FILE: &str = "http-client.env.json";
pub const PRIVATE_ENV_FILE: &str = "http-client.private.env.json";
pub const REQUESTS_DIR: &str = "requests";
/// JetBrains' name for values every environment shares.
/// The section of an env file whose values every environment has, and requests sent with
/// no environment too.
pub const SHARED_ENV: &str = "$shared";
/// Sections of the private env file named `$identity:NAME` hold the identities of
/// `apiward authz` (see `crate::authz::identities`): they are not environments.
pub const IDENTITY_PREFIX: &str = "$identity:";

/// [`crate::fs::write_atomic`] keeping the old file's permissions, with the workspace's
/// error: a hand-made collection at 0600 stays 0600.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WorkspaceError> {
    crate::fs::write_atomic(path, bytes, crate::fs::Perm::Keep)
        .map_err(|e| WorkspaceError::io(path, e))
}

/// The file of the stored request `at` (its text, parse and blocks), read under the caller's
/// lock and checked to still hold that request where it was read: if the file changed since,
/// the position may now hold another request, which would be overwritten (or deleted). `verb`
/// names what to do again in the refusal.
pub(super) fn read_unchanged(
    at: &Stored,
    verb: &str,
) -> Result<(String, HttpFile, Vec<dotfile::Block>), WorkspaceError> {
    let path = at.path.as_path();
    let text = std::fs::read_to_string(path).map_err(|e| WorkspaceError::io(path, e))?;
    let (before, blocks) = dotfile::parse_blocks(&text)
        .map_err(|e| WorkspaceError::corrupt(path, Some(e.line), e.message))?;
    if before.requests.get(at.index) != Some(&at.request) {
        return Err(WorkspaceError::NotSaved {
            path: path.to_path_buf(),
            message: format!(
                "request {} in it is not the one that was read (the file changed since): \
                 reload the workspace and {verb} again",
                at.index + 1
            ),
        });
    }
    Ok((text, before, blocks))
}

/// Whether a request's lines hold the editors' `Authorization: Basic user pass` shorthand.
fn has_basic_header(lines: &str) -> bool {
    lines.lines().any(|l| {
        l.split_once(':').is_some_and(|(name, value)| {
            name.trim().eq_ignore_ascii_case("authorization")
                && value.trim_start().starts_with("Basic ")
        })
    })
}

/// A request found in the workspace, with what is needed to send it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub request: Request,
    pub path: PathBuf,
    /// Its position among the requests of `path`, which `save_at` writes back to.
    pub index: usize,
    /// The file's `@var` lines, which resolve before the environment's.
    pub file_vars: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Workspace {
    pub dir: PathBuf,
}

impl Workspace {
    /// The workspace at `dir`; nothing is read or created yet.
    pub fn open(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Creates the folder and a `.gitignore` that keeps the private env file and the history
    /// out of git. An existing `.gitignore` gets the missing lines appended.
    pub fn create(dir: impl Into<PathBuf>) -> Result<Self, WorkspaceError> {
        let ws = Self::open(dir);
        let requests = ws.dir.join(REQUESTS_DIR);
        std::fs::create_dir_all(&requests).map_err(|e| WorkspaceError::io(&requests, e))?;
        let ignore = ws.dir.join(".gitignore");
        let current = match std::fs::read_to_string(&ignore) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(WorkspaceError::io(&ignore, e)),
        };
        // `.*.lock`: the sidecars of `crate::fs::lock`, which are never removed.
        let missing: Vec<&str> = [PRIVATE_ENV_FILE, super::history::FILE_NAME, ".*.lock"]
            .into_iter()
            .filter(|entry| !current.lines().any(|l| l.trim() == *entry))
            .collect();
        if !missing.is_empty() {
            let mut text = current;
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str("# Secrets, history and write locks: never commit these.\n");
            for entry in missing {
                text.push_str(entry);
                text.push('\n');
            }
            write_atomic(&ignore, text.as_bytes())?;
        }
        Ok(ws)
    }

    pub fn history(&self) -> History {
        History::in_dir(&self.dir)
    }

    /// A reminder when the private env file exists but no `.gitignore` here mentions it.
    pub fn private_env_warning(&self) -> Option<String> {
        if !self.dir.join(PRIVATE_ENV_FILE).exists() {
            return None;
        }
        let ignored = std::fs::read_to_string(self.dir.join(".gitignore"))
            .is_ok_and(|t| t.lines().any(|l| l.trim() == PRIVATE_ENV_FILE));
        (!ignored).then(|| {
            format!(
                "{PRIVATE_ENV_FILE} holds secrets: add it to .gitignore so it never reaches git"
            )
        })
    }

    /// Every `.http` file: the workspace folder and `requests/`, sorted by path.
    pub fn files(&self) -> Result<Vec<PathBuf>, WorkspaceError> {
        let mut files = Vec::new();
        for dir in [self.dir.clone(), self.dir.join(REQUESTS_DIR)] {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(WorkspaceError::io(&dir, e)),
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|x| x == "http" || x == "rest") {
                    files.push(path);
                }
            }
        }
        files.sort();
        Ok(files)
    }

    /// Parses one file, naming it (and the line) when it is broken.
    pub fn load_file(path: &Path) -> Result<HttpFile, WorkspaceError> {
        let text = std::fs::read_to_string(path).map_err(|e| WorkspaceError::io(path, e))?;
        dotfile::parse(&text).map_err(|e| WorkspaceError::corrupt(path, Some(e.line), e.message))
    }

    /// Every stored request; the first file that cannot be read is the error. See
    /// [`Self::requests_and_problems`] to load the others regardless.
    pub fn requests(&self) -> Result<Vec<Stored>, WorkspaceError> {
        let (requests, mut problems) = self.requests_and_problems()?;
        match problems.is_empty() {
            true => Ok(requests),
            false => Err(problems.remove(0)),
        }
    }

    /// The requests of every file that parses, and for each file that does not, why (its
    /// path and line): one broken file hides none of the others. Err only when the folder
    /// cannot be listed.
    pub fn requests_and_problems(
        &self,
    ) -> Result<(Vec<Stored>, Vec<WorkspaceError>), WorkspaceError> {
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for path in self.files()? {
            let file = match Self::load_file(&path) {
                Ok(file) => file,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let dir = path.parent().unwrap_or(Path::new("."));
            // Read whether or not the file names it: a `<@` body file may.
            let dotenv = read_dotenv(dir);
            for (index, request) in file.requests.iter().enumerate() {
                let mut file_vars = file.vars.clone();
                file_vars.extend(dotenv.iter().cloned());
                file_vars.extend(request_vars(&file, index, dir));
                out.push(Stored {
                    request: request.clone(),
                    path: path.clone(),
                    index,
                    file_vars,
                });
            }
        }
        Ok((out, problems))
    }

    /// The request called `name` (its `@name`, or the stem of a one-request file). A file
    /// that cannot be read does not stop it being found in another; when it is found
    /// nowhere, the files that could not be read are named.
    pub fn request(&self, name: &str) -> Result<Stored, WorkspaceError> {
        let (all, problems) = self.requests_and_problems()?;
        if let Some(found) = all.iter().find(|s| s.request.name == name) {
            return Ok(found.clone());
        }
        // A file's requests are next to each other in `all`, so each file with that stem is
        // one run: counting runs once keeps a file of many requests linear, not quadratic.
        let by_stem: Vec<&Stored> = all
            .iter()
            .filter(|s| s.path.file_stem().is_some_and(|stem| stem == name))
            .collect();
        by_stem
            .chunk_by(|a, b| a.path == b.path)
            .find(|file| file.len() == 1)
            .map(|file| file[0].clone())
            .ok_or_else(|| match problems.is_empty() {
                true => WorkspaceError::NotFound(name.to_string()),
                false => WorkspaceError::NotFoundUnread {
                    name: name.to_string(),
                    problems: problems.iter().map(ToString::to_string).collect(),
                },
            })
    }

    /// Whether `name` can name a request saved in a file of its own (`requests/NAME.http`).
    pub fn valid_name(name: &str) -> bool {
        !name.is_empty()
            && !name.starts_with('.')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    }

    /// Saves `req` as `requests/NAME.http`, replacing that file only if it parses: a file
    /// that does not is someone's work and is left alone.
    pub fn save(&self, req: &Request) -> Result<PathBuf, WorkspaceError> {
        let name = req.name.as_str();
        if !Self::valid_name(name) {
            return Err(WorkspaceError::BadName(name.to_string()));
        }
        let path = self.dir.join(REQUESTS_DIR).join(format!("{name}.http"));
        let _lock = crate::fs::lock(&path).map_err(|e| WorkspaceError::io(&path, e))?;
        let mut file = HttpFile::default();
        if path.exists() {
            file = Self::load_file(&path)?;
            // The editor-only lines go with their request.
            file.extras
                .resize(file.requests.len(), dotfile::Extras::default());
            let keep: Vec<bool> = file.requests.iter().map(|r| r.name != name).collect();
            let mut kept = keep.iter();
            file.requests.retain(|_| *kept.next().unwrap_or(&true));
            let mut kept = keep.iter();
            file.extras.retain(|_| *kept.next().unwrap_or(&true));
        }
        file.requests.push(req.clone());
        file.extras.push(dotfile::Extras::default());
        write_atomic(&path, dotfile::write(&file).as_bytes())?;
        Ok(path)
    }

    /// Saves `req` over the stored request `at` (its file and position there), changing
    /// nothing else in the file: other requests, `@var` lines, comments, `###` lines and
    /// response handlers stay byte for byte. The request's own lines are rewritten whole, in
    /// apiward's form, so a comment or an unknown directive among them is not kept. A file
    /// that no longer parses, or no longer holds that request there as it was read, is
    /// reported and left alone.
    pub fn save_at(&self, at: &Stored, req: &Request) -> Result<PathBuf, WorkspaceError> {
        let (path, index) = (at.path.as_path(), at.index);
        let not_saved = |message: String| WorkspaceError::NotSaved {
            path: path.to_path_buf(),
            message,
        };
        // Locked from the read to the rename, so another process's save in between is
        // either seen here as a change (and refused) or waits for this one.
        let _lock = crate::fs::lock(path).map_err(|e| WorkspaceError::io(path, e))?;
        let (text, before, blocks) = read_unchanged(at, "save")?;
        let block = &blocks[index];
        // Where each line starts, in bytes, and the end of the text.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.split_inclusive('\n').scan(0, |end, line| {
                *end += line.len();
                Some(*end)
            }))
            .collect();
        let range = starts[block.request.start]..starts[block.request.end];
        // A response handler (`>`, `<>`) right after the request is set off by a blank line,
        // which the writer leaves out when there is no body; a comment there is not.
        let handler_follows = block.request.end < block.lines.end
            && text[range.end..].lines().next().is_some_and(|l| {
                let t = l.trim_start();
                t.starts_with('>') || t.starts_with("<>")
            });
        let text_of = |req: &Request| {
            let mut written = dotfile::to_http(req);
            if handler_follows && matches!(req.body, Body::None) {
                written.push('\n');
            }
            written
        };
        let crlf = text[range.clone()].contains("\r\n");
        let splice = |written: &str| {
            let written = match crlf {
                true => written.replace('\n', "\r\n"),
                false => written.to_string(),
            };
            format!("{}{written}{}", &text[..range.start], &text[range.end..])
        };
        let old = &text[range.clone()];
        // Written as close to what was there as reads back as saved. Directives only the
        // editors act on (`@no-log`, `@no-redirect` …) are kept, and a hand-written
        // `Authorization: Basic user pass` stays a header, which the editors send (they
        // ignore apiward's `# @auth`). `@no-redirect` goes once redirects are followed.
        // Pre-request scripts and `# @prompt` lines are kept too, above the request line.
        let inert = dotfile::editor_lines(old);
        let as_header = match &req.auth {
            Auth::Basic { username, password } if has_basic_header(old) => {
                let mut header = req.clone();
                header.auth = Auth::None;
                let value = format!("Basic {username} {password}");
                header.headers.push(Row::new("Authorization", &value));
                Some(text_of(&header))
            }
            _ => None,
        };
        let plain = text_of(req);
        let reads_back =
            |new: &str| dotfile::parse(new).is_ok_and(|f| f.requests.get(index) == Some(req));
        // What was there, unchanged, is the closest of all: a save that changes nothing
        // leaves the file byte for byte.
        let new = std::iter::once(text.clone())
            .chain(
                [as_header.as_ref(), Some(&plain)]
                    .into_iter()
                    .flatten()
                    .flat_map(|written| [format!("{inert}{written}"), written.clone()])
                    .map(|written| splice(&written)),
            )
            .find(|new| reads_back(new))
            .unwrap_or_else(|| splice(&plain));
        // Saving one request must not change what the file says about anything else.
        let after = dotfile::parse(&new).map_err(|e| {
            not_saved(format!(
                "the request would not read back (line {}: {})",
                e.line, e.message
            ))
        })?;
        let others_kept = after.vars == before.vars
            && after.requests.len() == before.requests.len()
            && (after.requests.iter().zip(&before.requests))
                .enumerate()
                .all(|(i, (a, b))| i == index || a == b);
        if !others_kept {
            return Err(not_saved(
                "saving it there would change the file's other requests or its @var lines".into(),
            ));
        }
        // Through a symlink, the file it points at is the one to update, not the link.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        write_atomic(&target, new.as_bytes())?;
        Ok(path.to_path_buf())
    }

    /// The environments' names, from both env files.
    pub fn environments(&self) -> Result<Vec<String>, WorkspaceError> {
        let mut names: Vec<String> = self.env_file(ENV_FILE)?.into_keys().collect();
        for name in self.env_file(PRIVATE_ENV_FILE)?.into_keys() {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names.retain(|n| n != SHARED_ENV && !n.starts_with(IDENTITY_PREFIX));
        names.sort();
        Ok(names)
    }

    /// The variables for `env` (none: only the file's), after the file's `@var` lines.
    /// Values from the private file are secret.
    pub fn vars(
        &self,
        env: Option<&str>,
        file_vars: &[(String, String)],
    ) -> Result<Vars, WorkspaceError> {
        let mut vars = Vars::new();
        for (name, value) in file_vars {
            vars.set(name, value, false);
        }
        let public = self.env_file(ENV_FILE)?;
        let private = self.env_file(PRIVATE_ENV_FILE)?;
        let Some(env) = env else {
            // No environment chosen: the shared values still apply, so a request whose
            // credential `import curl --save` moved there can be sent as it was.
            for (file, secret) in [(&public, false), (&private, true)] {
                for (name, value) in file.get(SHARED_ENV).into_iter().flatten() {
                    vars.set(name, value, secret);
                }
            }
            return Ok(vars);
        };
        if !public.contains_key(env) && !private.contains_key(env) {
            return Err(WorkspaceError::UnknownEnv {
                name: env.to_string(),
                available: self.environments()?,
            });
        }
        for (file, secret) in [(&public, false), (&private, true)] {
            for section in [SHARED_ENV, env] {
                for (name, value) in file.get(section).into_iter().flatten() {
                    vars.set(name, value, secret);
                }
            }
        }
        Ok(vars)
    }

    fn env_file(
        &self,
        name: &str,
    ) -> Result<BTreeMap<String, BTreeMap<String, String>>, WorkspaceError> {
        let path = self.dir.join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(WorkspaceError::io(&path, e)),
        };
        let json: BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(&text).map_err(|e| {
                WorkspaceError::corrupt(
                    &path,
                    Some(e.line()),
                    format!("expected {{\"env\": {{\"name\": \"value\"}}}}: {e}"),
                )
            })?;
        Ok(json
            .into_iter()
            .map(|(env, values)| {
                let values = values
                    .into_iter()
                    .map(|(k, v)| match v {
                        serde_json::Value::String(s) => (k, s),
                        other => (k, other.to_string()),
                    })
                    .collect();
                (env, values)
            })
            .collect())
    }

    /// Writes an environment file (public or private) atomically; an unreadable existing
    /// file is an error, not something to overwrite.
    pub fn set_env_value(
        &self,
        env: &str,
        name: &str,
        value: &str,
        secret: bool,
    ) -> Result<(), WorkspaceError> {
        self.set_env_values(env, &[(name, value)], secret)
    }

    /// [`Self::set_env_value`] for several values in one write, under the file's lock so a
    /// concurrent writer's values survive. The private file is 0600.
    pub fn set_env_values(
        &self,
        env: &str,
        values: &[(&str, &str)],
        secret: bool,
    ) -> Result<(), WorkspaceError> {
        let file = if secret { PRIVATE_ENV_FILE } else { ENV_FILE };
        self.update_env_file(file, |all| {
            let section = all.entry(env.to_string()).or_default();
            for (name, value) in values {
                section.insert(name.to_string(), value.to_string());
            }
        })
    }

    /// The identities' sections of the private env file, by name (without the prefix).
    pub fn identity_sections(
        &self,
    ) -> Result<BTreeMap<String, BTreeMap<String, String>>, WorkspaceError> {
        Ok(self
            .env_file(PRIVATE_ENV_FILE)?
            .into_iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(IDENTITY_PREFIX)?.to_string(), v)))
            .collect())
    }

    /// Replaces identity `name`'s section of the private env file (0600) with `values`, or
    /// removes it when `values` is `None`. Whether it was there before is returned.
    pub fn set_identity_section(
        &self,
        name: &str,
        values: Option<BTreeMap<String, String>>,
    ) -> Result<bool, WorkspaceError> {
        let key = format!("{IDENTITY_PREFIX}{name}");
        let mut existed = false;
        self.update_env_file(PRIVATE_ENV_FILE, |all| {
            existed = match values {
                Some(values) => all.insert(key, values).is_some(),
                None => all.remove(&key).is_some(),
            };
        })?;
        Ok(existed)
    }

    /// Reads, changes and writes back an env file under its lock, so a concurrent writer's
    /// values survive; the private file is 0600. An unreadable file is an error, never
    /// overwritten.
    fn update_env_file(
        &self,
        file: &str,
        change: impl FnOnce(&mut BTreeMap<String, BTreeMap<String, String>>),
    ) -> Result<(), WorkspaceError> {
        let secret = file == PRIVATE_ENV_FILE;
        let path = self.dir.join(file);
        let _lock = crate::fs::lock(&path).map_err(|e| WorkspaceError::io(&path, e))?;
        let mut all = self.env_file(file)?;
        change(&mut all);
        let text = serde_json::to_string_pretty(&all)
            .map_err(|e| WorkspaceError::corrupt(&path, None, e.to_string()))?;
        let perm = if secret {
            crate::fs::Perm::Private
        } else {
            crate::fs::Perm::Keep
        };
        crate::fs::write_atomic(&path, format!("{text}\n").as_bytes(), perm)
            .map_err(|e| WorkspaceError::io(&path, e))
    }
}

/// The values of the `.env` file in `dir`, as `{{$dotenv NAME}}` reads them (none if there is
/// no such file or it does not parse).
fn read_dotenv(dir: &Path) -> Vec<(String, String)> {
    let Ok(iter) = dotenvy::from_path_iter(dir.join(".env")) else {
        return Vec::new();
    };
    iter.flatten()
        .map(|(name, value)| (format!("{}{name}", vars::DOTENV), value))
        .collect()
}

/// What one request adds to its file's variables: its `# @prompt` names (so a missing value
/// is asked for by name) and the text of a `<@ ./file` body, read beside the `.http` file.
fn request_vars(file: &HttpFile, index: usize, dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for prompt in file.extras_of(index).map_or(&[][..], |e| &e.prompts) {
        out.push((
            format!("{}{}", vars::PROMPT, prompt.name),
            prompt.description.clone(),
        ));
    }
    let (Body::Json(text) | Body::Raw(text)) = &file.requests[index].body else {
        return out;
    };
    let Some(line) = dotfile::body::include_line(text) else {
        return out;
    };
    let Some((path, encoding)) = dotfile::body::include_path(line) else {
        return out;
    };
    if let Ok(bytes) = std::fs::read(dir.join(path)) {
        let text = match encoding.map(str::to_ascii_lowercase).as_deref() {
            // Latin-1 maps each byte to the code point of the same number.
            Some("latin1" | "iso-8859-1" | "binary") => bytes.iter().map(|&b| b as char).collect(),
            _ => String::from_utf8_lossy(&bytes).into_owned(),
        };
        out.push((line.to_string(), text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envs_secrets_save_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
        assert!(ignore.contains(PRIVATE_ENV_FILE));
        Workspace::create(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
            ignore
        );

        std::fs::write(
            dir.path().join(ENV_FILE),
            r#"{"dev": {"base": "http://d", "n": 3}, "$shared": {"s": "x"}}"#,
        )
        .unwrap();
        std::fs::write(
            dir.path().join(PRIVATE_ENV_FILE),
            r#"{"dev": {"token": "tok-123"}}"#,
        )
        .unwrap();
        assert_eq!(ws.environments().unwrap(), ["dev"]);
        let vars = ws
            .vars(Some("dev"), &[("base".into(), "file".into())])
            .unwrap();
        assert_eq!(vars.get("base").unwrap().value, "http://d");
        assert_eq!(vars.get("n").unwrap().value, "3");
        assert_eq!(vars.get("s").unwrap().value, "x");
        assert!(vars.get("token").unwrap().secret);
        let err = ws.vars(Some("prod"), &[]).unwrap_err().to_string();
        assert!(err.contains("prod") && err.contains("dev"), "{err}");
        assert!(ws.private_env_warning().is_none());

        let mut req = Request::new("GET", "{{base}}/x");
        req.name = "get-x".into();
        let path = ws.save(&req).unwrap();
        assert_eq!(ws.request("get-x").unwrap().request, req);
        std::fs::write(&path, "GET http://x/\nbroken header line\n").unwrap();
        let err = ws.save(&req).unwrap_err().to_string();
        assert!(err.contains("get-x.http:2"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "GET http://x/\nbroken header line\n"
        );
        assert!(matches!(
            ws.save(&Request::new("GET", "x")),
            Err(WorkspaceError::BadName(_))
        ));

        std::fs::write(dir.path().join(ENV_FILE), "{oops").unwrap();
        let err = ws.vars(Some("dev"), &[]).unwrap_err().to_string();
        assert!(err.contains(ENV_FILE) && err.contains(":1"), "{err}");
    }

    /// A hand-written collection: a variable, comments, three requests, a handler on the
    /// last. `HEAD` and `TAIL` surround the middle request's own lines.
    const HEAD: &str = "@base = http://127.0.0.1:9\n\
        // The users API, by hand.\n\
        \n\
        ### List users\n\
        GET {{base}}/users\n\
        Accept: application/json\n\
        \n\
        ###\n\
        // Makes one.\n";
    const MIDDLE: &str = "# @name create\n\
        POST {{base}}/users\n\
        Content-Type: application/json\n\
        \n\
        {\"name\": \"Ada\"}\n";
    const TAIL: &str = "\n\
        ### \n\
        # @name login\n\
        POST {{base}}/login\n\
        \n\
        {\"user\": \"ada\"}\n\
        \n\
        > {% client.global.set(\"token\", response.body.token); %}\n";

    #[test]
    fn save_at_rewrites_only_that_request_of_a_collection() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("collection.http");
        std::fs::write(&path, format!("{HEAD}{MIDDLE}{TAIL}")).unwrap();
        let before = ws.requests().unwrap();
        let stored = ws.request("create").unwrap();
        assert_eq!((stored.path.as_path(), stored.index), (path.as_path(), 1));

        let mut edited = stored.request.clone();
        edited.url = "{{base}}/people".into();
        edited.body = Body::Json("{\"name\": \"Grace\"}".into());
        assert_eq!(ws.save_at(&stored, &edited).unwrap(), path);

        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(HEAD), "{text}");
        assert!(text.ends_with(TAIL), "{text}");
        assert_eq!(
            &text[HEAD.len()..text.len() - TAIL.len()],
            dotfile::to_http(&edited)
        );
        let after = ws.requests().unwrap();
        assert_eq!(after.len(), 3);
        assert_eq!(after[1].request, edited);
        for i in [0, 2] {
            assert_eq!(after[i].request, before[i].request);
        }
        assert_eq!(after[1].file_vars, before[1].file_vars);
        assert_eq!(ws.request("create").unwrap().request, edited);
        assert!(!dir.path().join(REQUESTS_DIR).join("create.http").exists());

        // The last one, now with no body: its handler still reads as one, after a blank line.
        let mut login = after[2].request.clone();
        login.body = Body::None;
        ws.save_at(&after[2], &login).unwrap();
        assert_eq!(ws.request("login").unwrap().request, login);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.ends_with("\n\n> {% client.global.set(\"token\", response.body.token); %}\n"));
    }

    #[test]
    fn save_at_keeps_the_directives_only_the_editors_act_on() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("collection.http");
        std::fs::write(
            &path,
            "# @name one\n# @no-log\n// @no-redirect\nGET http://x/one\n\n###\nGET http://x/two\n",
        )
        .unwrap();
        let stored = ws.request("one").unwrap();
        let mut edited = stored.request.clone();
        edited.url = "http://x/uno".into();
        ws.save_at(&stored, &edited).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# @no-log\n// @no-redirect\n# @name one\n"),
            "{text}"
        );
        assert_eq!(ws.request("one").unwrap().request, edited);

        // Following redirects now: `@no-redirect` would undo it, so it goes; `@no-log` stays.
        let stored = ws.request("one").unwrap();
        edited.options.follow_redirects = true;
        ws.save_at(&stored, &edited).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("@no-redirect") && text.contains("# @follow"),
            "{text}"
        );
        assert_eq!(ws.request("one").unwrap().request, edited);
    }

    #[test]
    fn save_at_keeps_a_hand_written_basic_header_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("collection.http");
        let hand = "# @name login\nPOST http://x/login\nAuthorization: Basic ada s3cret\n";
        std::fs::write(&path, hand).unwrap();
        let stored = ws.request("login").unwrap();
        assert!(matches!(stored.request.auth, Auth::Basic { .. }));
        let mut edited = stored.request.clone();
        edited.url = "http://x/signin".into();
        ws.save_at(&stored, &edited).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("Authorization: Basic ada s3cret\n"), "{text}");
        assert!(!text.contains("@auth"), "{text}");
        assert_eq!(ws.request("login").unwrap().request, edited);

        // A password with a space has no shorthand form: it is saved as `# @auth`.
        let stored = ws.request("login").unwrap();
        edited.auth = Auth::Basic {
            username: "ada".into(),
            password: "two words".into(),
        };
        ws.save_at(&stored, &edited).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("# @auth basic ada 'two words'"), "{text}");
        assert_eq!(ws.request("login").unwrap().request, edited);
    }

    #[cfg(unix)]
    #[test]
    fn an_atomic_write_keeps_the_file_s_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.http");
        std::fs::write(&path, "GET http://x/\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, b"GET http://x/y\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn save_at_updates_the_file_a_symlink_points_at() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path().join("ws")).unwrap();
        let shared = dir.path().join("api.http");
        std::fs::write(&shared, format!("{HEAD}{MIDDLE}{TAIL}")).unwrap();
        let link = dir.path().join("ws/collection.http");
        std::os::unix::fs::symlink(&shared, &link).unwrap();
        let stored = ws.request("create").unwrap();
        assert_eq!(stored.path, link);
        let mut edited = stored.request.clone();
        edited.url = "{{base}}/people".into();
        ws.save_at(&stored, &edited).unwrap();
        assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
        assert!(
            std::fs::read_to_string(&shared)
                .unwrap()
                .contains("/people")
        );
    }

    #[test]
    fn save_at_leaves_a_broken_or_changed_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("collection.http");
        std::fs::write(&path, format!("{HEAD}{MIDDLE}{TAIL}")).unwrap();
        let stored = ws.request("create").unwrap();
        let create = stored.request.clone();

        // Someone broke the file since it was read.
        let broken = format!("{HEAD}{MIDDLE}{TAIL}").replace("Accept: ", "Accept ");
        std::fs::write(&path, &broken).unwrap();
        let err = ws.save_at(&stored, &create).unwrap_err();
        assert!(
            matches!(err, WorkspaceError::Corrupt { line: Some(6), .. }),
            "{err}"
        );
        assert!(err.to_string().contains("collection.http:6"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);

        // Or moved its requests: what is at that position now is not overwritten.
        std::fs::write(&path, format!("{HEAD}{MIDDLE}{TAIL}")).unwrap();
        for index in [2, 3] {
            let moved = Stored {
                index,
                ..stored.clone()
            };
            let err = ws.save_at(&moved, &create).unwrap_err();
            assert!(matches!(err, WorkspaceError::NotSaved { .. }), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{HEAD}{MIDDLE}{TAIL}")
        );

        // Unnamed requests too: one added above the one read shifts it down.
        std::fs::write(&path, "GET http://x/a\n###\nGET http://x/b\n").unwrap();
        let b = ws.requests().unwrap().remove(1);
        let shifted = "GET http://x/new\n###\nGET http://x/a\n###\nGET http://x/b\n";
        std::fs::write(&path, shifted).unwrap();
        let err = ws.save_at(&b, &b.request).unwrap_err();
        assert!(matches!(err, WorkspaceError::NotSaved { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), shifted);
    }

    #[test]
    fn a_stem_names_only_a_one_request_file_even_beside_a_large_one() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let many: String = (0..2000)
            .map(|i| format!("GET http://127.0.0.1/{i}\n\n###\n"))
            .collect();
        std::fs::write(dir.path().join("big.http"), &many).unwrap();
        std::fs::write(dir.path().join("many.http"), &many).unwrap();
        assert!(matches!(
            ws.request("many"),
            Err(WorkspaceError::NotFound(name)) if name == "many"
        ));
        // Another `big` with one request: the stem names that one, not the 2,000.
        let one = dir.path().join(REQUESTS_DIR).join("big.http");
        std::fs::write(&one, "GET http://127.0.0.1/one\n").unwrap();
        let found = ws.request("big").unwrap();
        assert_eq!((found.path, found.index), (one, 0));
        assert_eq!(found.request.url, "http://127.0.0.1/one");
    }

    #[test]
    fn a_broken_file_is_named_and_the_others_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        std::fs::write(dir.path().join("a.http"), "# @name one\nGET http://x/1\n").unwrap();
        std::fs::write(dir.path().join("b.http"), "GET http://x/2\nnot a header\n").unwrap();
        std::fs::write(
            dir.path().join(REQUESTS_DIR).join("c.http"),
            "# @name three\nGET http://x/3\n",
        )
        .unwrap();
        let (found, problems) = ws.requests_and_problems().unwrap();
        let names: Vec<&str> = found.iter().map(|s| s.request.name.as_str()).collect();
        assert_eq!(names, ["one", "three"]);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].to_string().contains("b.http:2"),
            "{}",
            problems[0]
        );
        // By name, a request in a good file is found; a missing one names the broken file.
        assert_eq!(ws.request("three").unwrap().request.url, "http://x/3");
        let err = ws.request("two").unwrap_err().to_string();
        assert!(err.contains("\"two\"") && err.contains("b.http:2"), "{err}");
        // `requests` still says what is wrong, as it did.
        assert!(ws.requests().unwrap_err().to_string().contains("b.http:2"));
    }

    #[test]
    fn a_request_s_variables_carry_its_prompts_dotenv_and_body_file() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        std::fs::write(dir.path().join(".env"), "API_KEY=from-dotenv\n").unwrap();
        std::fs::write(
            dir.path().join("body.json"),
            "{\"k\": \"{{$dotenv API_KEY}}\"}",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("c.http"),
            "@base = http://x\n\n# @name send\n# @prompt who Your name\nPOST {{base}}/{{who}}\n\
             Content-Type: application/json\n\n<@ ./body.json\n",
        )
        .unwrap();
        let stored = ws.request("send").unwrap();
        let mut vars = ws.vars(None, &stored.file_vars).unwrap();
        let mut r = crate::http::Redactor::default();
        let err = vars.resolve(&stored.request.url, &mut r).unwrap_err();
        assert!(err.to_string().contains("Your name"), "{err}");
        vars.set("who", "ada", false);
        let prepared = crate::http::prepare(&stored.request, &vars, Some(dir.path())).unwrap();
        assert_eq!(prepared.url.as_str(), "http://x/ada");
        assert_eq!(&prepared.body[..], b"{\"k\": \"from-dotenv\"}");
        assert!(vars.get("$dotenv API_KEY").unwrap().secret);
    }

    #[test]
    fn saving_a_request_of_an_editor_s_file_keeps_its_scripts() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        let path = dir.path().join("c.http");
        let text = "### Login\n# @name login\n# @prompt user\n< {%\n  request.variables.set(\"n\", 1)\n%}\n\
                    POST http://x/login\n    ?debug=1\nContent-Type: application/json\n\n{\"u\": \"{{user}}\"}\n\n\
                    > {%\n  client.global.set(\"t\", response.body.t);\n%}\n<> ./old.json\n\n###\nGET http://x/me\n";
        std::fs::write(&path, text).unwrap();
        // Saved as read, the file is what it was, byte for byte.
        for stored in ws.requests().unwrap() {
            ws.save_at(&stored, &stored.request).unwrap();
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
        // Edited, the request is rewritten and its script, prompt and handler stay.
        let stored = ws.request("login").unwrap();
        let mut edited = stored.request.clone();
        edited.url = "http://x/signin".into();
        ws.save_at(&stored, &edited).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        for kept in [
            "# @prompt user\n",
            "< {%\n  request.variables.set(\"n\", 1)\n%}\n",
            "\n> {%\n  client.global.set(\"t\", response.body.t);\n%}\n<> ./old.json\n",
        ] {
            assert!(after.contains(kept), "{kept:?} lost:\n{after}");
        }
        let file = dotfile::parse(&after).unwrap();
        assert_eq!(file.requests[0], edited);
        assert_eq!(file.extras[0], dotfile::parse(text).unwrap().extras[0]);
    }
}
