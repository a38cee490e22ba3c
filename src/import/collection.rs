//! What the Postman, HAR and Insomnia imports share: the plan they build with the secret
//! values beside it (the plan writes secrets empty), the literal secrets taken out of the
//! requests (kept once each, by value, so a token every request carries is one variable),
//! and unique names.

use std::fmt;
use std::path::Path;

use super::plan::{Changes, Plan};
use crate::http::model::{Body, PartValue, Request};
use crate::http::redact::{self, Extracted};
use crate::http::vars::Redactor;
use crate::http::workspace::{PRIVATE_ENV_FILE, SHARED_ENV};
use crate::http::{Workspace, WorkspaceError};

/// Input that cannot be imported, said in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

pub fn bad(message: impl Into<String>) -> BadInput {
    BadInput(message.into())
}

/// A secret value for the private env file: the plan writes secrets empty, to be filled;
/// an import that read the value (a pasted token, a Postman secret) keeps it. Its `Debug`
/// leaves the value out, so no log or test failure shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue {
    /// The environment section (`$shared` for every environment).
    pub env: String,
    pub name: String,
    pub value: String,
}

/// An environment section's name and the `(name, value)` pairs to set in it.
type Section<'a> = (&'a str, Vec<(&'a str, &'a str)>);

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretValue")
            .field("env", &self.env)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// What a Postman, HAR or Insomnia import read: the plan, and the secret values that go to
/// the private env file beside it.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub plan: Plan,
    pub secrets: Vec<SecretValue>,
}

impl Imported {
    pub fn new(source: &str) -> Self {
        Self {
            plan: Plan::new(source),
            secrets: Vec::new(),
        }
    }

    /// Every request, in order.
    pub fn requests(&self) -> impl Iterator<Item = &Request> {
        self.plan
            .files
            .iter()
            .flat_map(|f| f.requests.iter().map(|r| &r.request))
    }

    /// Makes relative body and part files absolute from `base` (the folder of the file
    /// imported), where the source tool read them.
    pub fn resolve_files(&mut self, base: &Path) {
        let fix = |p: &mut std::path::PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for planned in self
            .plan
            .files
            .iter_mut()
            .flat_map(|f| f.requests.iter_mut())
        {
            match &mut planned.request.body {
                Body::File(p) => fix(p),
                Body::Multipart(parts) => {
                    for part in parts {
                        if let PartValue::File(p) = &mut part.value {
                            fix(p);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A value for the private env file (the first given for a name wins).
    pub fn secret(&mut self, env: &str, name: &str, value: &str) {
        if !self.secrets.iter().any(|s| s.env == env && s.name == name) {
            self.secrets.push(SecretValue {
                env: env.into(),
                name: name.into(),
                value: value.into(),
            });
        }
    }

    /// The secret variables by name, for the preview (never their values).
    pub fn secret_names(&self) -> Vec<String> {
        (self.secrets.iter())
            .map(|s| Self::secret_label(&s.env, &s.name))
            .collect()
    }

    /// The secret values the workspace does not have yet, by environment section: what
    /// [`Self::apply`] writes, and what a preview names. A value the user already set is kept.
    fn missing_secrets(&self, ws: &Workspace) -> Result<Vec<Section<'_>>, WorkspaceError> {
        let known = ws.environments()?;
        let mut envs: Vec<&str> = self.secrets.iter().map(|s| s.env.as_str()).collect();
        envs.dedup();
        let mut out = Vec::new();
        for env in envs {
            let have = match env {
                SHARED_ENV => Some(ws.vars(None, &[])?),
                e if known.iter().any(|k| k == e) => Some(ws.vars(Some(e), &[])?),
                _ => None,
            };
            let missing: Vec<(&str, &str)> = self
                .secrets
                .iter()
                .filter(|s| s.env == env)
                .filter(|s| have.as_ref().is_none_or(|v| v.get(&s.name).is_none()))
                .map(|s| (s.name.as_str(), s.value.as_str()))
                .collect();
            if !missing.is_empty() {
                out.push((env, missing));
            }
        }
        Ok(out)
    }

    /// The names of secrets, `ENV.NAME` outside `$shared`.
    fn secret_label(env: &str, name: &str) -> String {
        match env {
            SHARED_ENV => name.to_string(),
            env => format!("{env}.{name}"),
        }
    }

    /// What [`Self::apply`] would do to `ws`, writing nothing: the plan's changes and the
    /// secrets it would set (names only).
    pub fn changes(&self, ws: &Workspace) -> Result<(Changes, Vec<String>), WorkspaceError> {
        let secrets = (self.missing_secrets(ws)?.iter())
            .flat_map(|(env, values)| values.iter().map(|(n, _)| Self::secret_label(env, n)))
            .collect();
        Ok((self.plan.changes(ws)?, secrets))
    }

    /// Writes the secret values the workspace does not have yet into its private env file
    /// (0600, under its lock), then applies the plan. A value the user already set is kept.
    /// Returns the plan's changes and the secrets written.
    pub fn apply(&self, ws: &Workspace) -> Result<(Changes, Vec<String>), WorkspaceError> {
        let ws = Workspace::create(ws.dir.clone())?;
        let mut written = Vec::new();
        for (env, missing) in self.missing_secrets(&ws)? {
            ws.set_env_values(env, &missing, true)?;
            written.extend(missing.iter().map(|(n, _)| Self::secret_label(env, n)));
        }
        Ok((self.plan.apply(&ws)?, written))
    }
}

/// The secrets taken out of an import's requests, each value under one name.
#[derive(Debug, Default)]
pub struct Secrets {
    taken: Vec<Extracted>,
    redactor: Redactor,
}

impl Secrets {
    /// Moves `req`'s literal credentials into variables named from `prefix`, through
    /// [`redact::extract_secrets`] (as `import curl --save` does). A value already taken
    /// keeps the name it was first given; a name already used for another value gets a
    /// number.
    pub fn extract(&mut self, req: &mut Request, prefix: &str) {
        let found = redact::extract_secrets(req, prefix, &self.redactor);
        self.adopt(req, found);
    }

    /// Takes header values that still hold a token (a JWT or a private key in a header whose
    /// name says nothing of it): the redactor would mask them, so they are secrets.
    pub fn extract_token_headers(&mut self, req: &mut Request, prefix: &str) {
        let mut found = Vec::new();
        for row in &mut req.headers {
            if row.value.contains("{{")
                || redact::redact_text(&row.value, &self.redactor) == row.value
            {
                continue;
            }
            let name = redact::variable_name(prefix, &row.name);
            found.push(Extracted {
                name: name.clone(),
                value: std::mem::replace(&mut row.value, format!("{{{{{name}}}}}")),
                place: format!("the {} header", row.name),
            });
        }
        self.adopt(req, found);
    }

    fn adopt(&mut self, req: &mut Request, found: Vec<Extracted>) {
        for mut e in found {
            let wanted = e.name.clone();
            if let Some(same) = self.taken.iter().find(|t| t.value == e.value) {
                rename(req, &wanted, &same.name);
                continue;
            }
            let mut n = 2;
            while self.taken.iter().any(|t| t.name == e.name) {
                e.name = format!("{wanted}_{n}");
                n += 1;
            }
            if e.name != wanted {
                rename(req, &wanted, &e.name);
            }
            self.redactor.add(&e.value);
            self.taken.push(e);
        }
    }

    /// The last guard: whatever the redactor would still mask in `req` (a secret the
    /// extraction has no variable form for, such as a token in a multipart field or a raw
    /// text body, or a secret taken elsewhere that appears again) is masked here, so it is
    /// never written; the sentence says so.
    pub fn mask_leftovers(&self, req: &mut Request) -> Option<String> {
        let clean = redact::redact_request(req, &self.redactor);
        let url = redact::redact_text(&req.url, &self.redactor);
        let same = clean.headers == req.headers
            && clean.query == req.query
            && clean.auth == req.auth
            && clean.body == req.body
            && url == req.url;
        if same {
            return None;
        }
        req.headers = clean.headers;
        req.query = clean.query;
        req.auth = clean.auth;
        req.body = clean.body;
        req.url = url;
        Some(format!(
            "a secret that could not be moved to a variable is written as {}: put the value \
             back by hand or through a variable",
            crate::http::vars::MASK
        ))
    }

    pub fn taken(&self) -> &[Extracted] {
        &self.taken
    }

    /// Hands every secret taken to `imported`, for the private env file's `$shared` section.
    pub fn into_imported(self, imported: &mut Imported) {
        for t in self.taken {
            imported.plan.warnings.push(format!(
                "moved {} into {PRIVATE_ENV_FILE} as {{{{{}}}}}",
                t.place, t.name
            ));
            imported.secret(SHARED_ENV, &t.name, &t.value);
        }
    }
}

/// Writes `{{to}}` wherever `req` says `{{from}}`. Variable names are letters, digits and
/// `_` here (from [`redact::variable_name`]), so the text of the request as JSON holds the
/// reference only where a field does.
fn rename(req: &mut Request, from: &str, to: &str) {
    if from == to {
        return;
    }
    let (from, to) = (format!("{{{{{from}}}}}"), format!("{{{{{to}}}}}"));
    if let Ok(text) = serde_json::to_string(req)
        && let Ok(renamed) = serde_json::from_str(&text.replace(&from, &to))
    {
        *req = renamed;
    }
}

/// A name for requests and variable prefixes: the plan's slug of `text`, at most 60
/// characters.
pub fn slug(text: &str) -> String {
    let mut out: String = super::plan::slug(text).chars().take(60).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Hands out names unique within one import: a second `get-users` is `get-users-2`.
#[derive(Debug, Default)]
pub struct Names {
    used: Vec<String>,
}

impl Names {
    pub fn unique(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{wanted}-{n}");
            n += 1;
        }
        self.used.push(name.clone());
        name
    }
}

/// Whether `text` is JSON once its `{{variables}}` stand for a value: an unquoted
/// `{{count}}` is a number at send time.
pub fn is_json(text: &str) -> bool {
    let mut filled = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        filled.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => {
                filled.push('0');
                rest = &rest[start + end + 2..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    filled.push_str(rest);
    serde_json::from_str::<serde::de::IgnoredAny>(&filled).is_ok()
}

/// A sentence when `body` ends in a line break, which a `.http` file cannot hold (the
/// editors and apiward end a body at its last non-blank line), so it will be sent without.
pub fn final_newline_note(body: &Body) -> Option<String> {
    match body {
        Body::Raw(text) if text.ends_with('\n') => Some(
            "its body's final line break is not kept: a .http body ends at its last line".into(),
        ),
        _ => None,
    }
}

/// Comment lines saying a script was kept and not run, its code commented out line by line.
pub fn script_comment(what: &str, code: &str) -> Vec<String> {
    let mut out = vec![format!(
        "{what} (kept from the import, not run by apiward):"
    )];
    out.extend(code.lines().map(|l| format!("  {l}")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::model::Auth;

    #[test]
    fn slugs_are_names_the_workspace_accepts() {
        assert_eq!(slug("Get user by ID"), "get-user-by-id");
        assert_eq!(slug(&"ab ".repeat(40)).len(), 59);
    }

    #[test]
    fn one_token_in_many_requests_is_one_variable() {
        let mut secrets = Secrets::default();
        let mut a =
            Request::new("GET", "https://x.example/a").header("Authorization", "Bearer abc.def");
        let mut b =
            Request::new("GET", "https://x.example/b").header("Authorization", "Bearer abc.def");
        let mut c =
            Request::new("GET", "https://x.example/c").header("Authorization", "Bearer other");
        secrets.extract(&mut a, "x");
        secrets.extract(&mut b, "y");
        secrets.extract(&mut c, "x");
        assert_eq!(
            a.header_value("authorization"),
            Some("Bearer {{x_authorization}}")
        );
        assert_eq!(
            b.header_value("authorization"),
            Some("Bearer {{x_authorization}}")
        );
        assert_eq!(
            c.header_value("authorization"),
            Some("Bearer {{x_authorization_2}}")
        );
        let names: Vec<&str> = secrets.taken().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["x_authorization", "x_authorization_2"]);
        let mut d = Request::new("GET", "https://x.example/d");
        d.auth = Auth::Bearer {
            token: "other".into(),
        };
        secrets.extract(&mut d, "d");
        assert_eq!(
            d.auth,
            Auth::Bearer {
                token: "{{x_authorization_2}}".into()
            }
        );
    }

    #[test]
    fn a_jwt_in_any_header_is_taken() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl";
        let mut secrets = Secrets::default();
        let mut req = Request::new("GET", "https://x.example/").header("X-Upstream", jwt);
        secrets.extract_token_headers(&mut req, "x");
        assert_eq!(req.header_value("x-upstream"), Some("{{x_x_upstream}}"));
        assert_eq!(secrets.taken()[0].value, jwt);
    }
}
