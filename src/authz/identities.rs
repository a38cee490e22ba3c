//! Identities: who a request is replayed as. Each is a named set of credentials and variable
//! overrides kept in the workspace's private env file (0600) as a `$identity:NAME` section,
//! so secrets stay where the workspace keeps every other secret.
//!
//! In a section, keys starting with `@` say how to authenticate and what the identity is:
//! `@bearer`, `@basic` (`user:password`), `@cookie`, `@header` (`Name: value`, one per line),
//! `@role` (`user`, `admin` or `anonymous`) and `@order`. Every other key is a variable that
//! overrides the environment's when the requests are sent as this identity. Values may use
//! `{{variables}}`, request variables included: `@bearer = {{login.response.body.token}}`
//! sends `login` first (as this identity) and takes the token from its answer.

use std::collections::BTreeMap;

use base64::Engine;

use crate::http::sensitive::{is_credential_header, is_secret_param};
use crate::http::vars::{Redactor, VarError, Vars};
use crate::http::workspace::{Workspace, WorkspaceError};
use crate::http::{Prepared, vars};

/// How much an identity may do, for telling a leak from a privilege.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// No credentials: every credential of the request is stripped.
    Anonymous,
    User,
    /// May read and do anything: its successes are never flagged.
    Admin,
}

impl Role {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "anonymous" | "none" => Some(Self::Anonymous),
            "user" => Some(Self::User),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::User => "user",
            Self::Admin => "admin",
        }
    }
}

/// The credential an identity sends in place of the request's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Bearer(String),
    Basic(String),
    Cookie(String),
    /// `Name: value`.
    Header(String),
}

/// One identity, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub role: Role,
    pub order: i64,
    pub credentials: Vec<Credential>,
    /// Variables that override the environment's for this identity.
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    #[error("identity \"{name}\": {message}")]
    Bad { name: String, message: String },
    #[error("no identity \"{name}\" in the workspace (have: {})", if have.is_empty() { "none".to_string() } else { have.join(", ") })]
    Unknown { name: String, have: Vec<String> },
    #[error("\"{0}\" cannot be an identity name: use letters, digits, '-', '_' or '.'")]
    BadName(String),
}

crate::error_kind::bad_input!(IdentityError);

impl Identity {
    /// An identity with no credentials: the anonymous caller.
    pub fn anonymous(name: &str) -> Self {
        Self {
            name: name.to_string(),
            role: Role::Anonymous,
            order: 0,
            credentials: Vec::new(),
            vars: Vec::new(),
        }
    }

    /// Reads a stored section.
    pub fn from_section(
        name: &str,
        section: &BTreeMap<String, String>,
    ) -> Result<Self, IdentityError> {
        let bad = |message: String| IdentityError::Bad {
            name: name.to_string(),
            message,
        };
        let mut identity = Self::anonymous(name);
        let mut role = None;
        for (key, value) in section {
            match key.as_str() {
                "@bearer" => identity.credentials.push(Credential::Bearer(value.clone())),
                "@basic" => identity.credentials.push(Credential::Basic(value.clone())),
                "@cookie" => identity.credentials.push(Credential::Cookie(value.clone())),
                "@header" => {
                    for line in value.lines().filter(|l| !l.trim().is_empty()) {
                        if !line.contains(':') {
                            return Err(bad(format!("@header \"{line}\" is not 'Name: value'")));
                        }
                        identity
                            .credentials
                            .push(Credential::Header(line.to_string()));
                    }
                }
                "@role" => {
                    role = Some(Role::parse(value).ok_or_else(|| {
                        bad(format!("@role \"{value}\" is not user, admin or anonymous"))
                    })?)
                }
                "@order" => {
                    identity.order = value
                        .trim()
                        .parse()
                        .map_err(|_| bad(format!("@order \"{value}\" is not a whole number")))?
                }
                other if other.starts_with('@') => {
                    return Err(bad(format!(
                        "unknown key {other}: use @bearer, @basic, @cookie, @header, @role or @order"
                    )));
                }
                _ => identity.vars.push((key.clone(), value.clone())),
            }
        }
        // Without a role, an identity that sends nothing is the anonymous caller.
        identity.role = role.unwrap_or(
            match identity.credentials.is_empty() && identity.vars.is_empty() {
                true => Role::Anonymous,
                false => Role::User,
            },
        );
        Ok(identity)
    }

    /// The section this identity is stored as.
    pub fn to_section(&self) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self.vars.iter().cloned().collect();
        let mut headers = Vec::new();
        for c in &self.credentials {
            match c {
                Credential::Bearer(t) => {
                    out.insert("@bearer".into(), t.clone());
                }
                Credential::Basic(t) => {
                    out.insert("@basic".into(), t.clone());
                }
                Credential::Cookie(t) => {
                    out.insert("@cookie".into(), t.clone());
                }
                Credential::Header(h) => headers.push(h.as_str()),
            }
        }
        if !headers.is_empty() {
            out.insert("@header".into(), headers.join("\n"));
        }
        out.insert("@role".into(), self.role.as_str().into());
        out.insert("@order".into(), self.order.to_string());
        out
    }

    /// Every text that may hold `{{variables}}`, for finding the requests it needs first.
    pub fn texts(&self) -> Vec<&str> {
        let creds = self.credentials.iter().map(|c| match c {
            Credential::Bearer(t)
            | Credential::Basic(t)
            | Credential::Cookie(t)
            | Credential::Header(t) => t.as_str(),
        });
        creds
            .chain(self.vars.iter().map(|(_, v)| v.as_str()))
            .collect()
    }

    /// Sets this identity's variables into `vars`, as secrets (they come from the private
    /// file).
    pub fn apply_vars(&self, vars: &mut Vars) {
        for (name, value) in &self.vars {
            vars.set(name, value, true);
        }
    }

    /// Takes every credential out of a prepared request (credential headers, Digest, secret
    /// query parameters) and puts this identity's in, resolved against `vars`. The anonymous
    /// caller sends none.
    pub fn apply(&self, prepared: &mut Prepared, vars: &Vars) -> Result<(), VarError> {
        strip_credentials(prepared);
        let mut r: Redactor = std::mem::take(&mut prepared.redactor);
        let mut add = |name: &str, value: String, r: &mut Redactor| {
            r.add(&value);
            prepared.headers.push((name.to_string(), value));
        };
        for c in &self.credentials {
            match c {
                Credential::Bearer(t) => {
                    let v = vars.resolve(t, &mut r)?;
                    add("Authorization", format!("Bearer {}", v.trim()), &mut r);
                }
                Credential::Basic(t) => {
                    let v = vars.resolve(t, &mut r)?;
                    let encoded = base64::engine::general_purpose::STANDARD.encode(v.trim());
                    add("Authorization", format!("Basic {encoded}"), &mut r);
                }
                Credential::Cookie(t) => {
                    let v = vars.resolve(t, &mut r)?;
                    add("Cookie", v.trim().to_string(), &mut r);
                }
                Credential::Header(h) => {
                    let v = vars.resolve(h, &mut r)?;
                    let (name, value) = v.split_once(':').unwrap_or((&v, ""));
                    add(name.trim(), value.trim().to_string(), &mut r);
                }
            }
        }
        prepared.redactor = r;
        Ok(())
    }
}

/// Removes what authenticates a prepared request: credential headers, a Digest answer and
/// query parameters that carry a key or token.
pub fn strip_credentials(prepared: &mut Prepared) {
    prepared.headers.retain(|(n, _)| !is_credential_header(n));
    prepared.digest = None;
    prepared.key_in_query = None;
    let kept: Vec<(String, String)> = prepared
        .url
        .query_pairs()
        .filter(|(n, _)| !is_secret_param(n))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    if prepared.url.query().is_some() {
        if kept.is_empty() {
            prepared.url.set_query(None);
        } else {
            prepared.url.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
}

/// The workspace's identities, in their order (then by name).
pub fn load(ws: &Workspace) -> Result<Vec<Identity>, IdentityError> {
    let mut out = ws
        .identity_sections()?
        .iter()
        .map(|(name, section)| Identity::from_section(name, section))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// `names` picked out of `all`, in the order given; all of them when `names` is empty.
pub fn choose(all: Vec<Identity>, names: &[String]) -> Result<Vec<Identity>, IdentityError> {
    if names.is_empty() {
        return Ok(all);
    }
    names
        .iter()
        .map(|n| {
            all.iter()
                .find(|i| i.name == *n)
                .cloned()
                .ok_or_else(|| IdentityError::Unknown {
                    name: n.clone(),
                    have: all.iter().map(|i| i.name.clone()).collect(),
                })
        })
        .collect()
}

/// Stores `identity`, replacing one of the same name; a new one goes after the others unless
/// its order was set.
pub fn save(ws: &Workspace, identity: &Identity) -> Result<(), IdentityError> {
    check_name(&identity.name)?;
    ws.set_identity_section(&identity.name, Some(identity.to_section()))?;
    Ok(())
}

/// Removes identity `name`; whether there was one.
pub fn remove(ws: &Workspace, name: &str) -> Result<bool, IdentityError> {
    Ok(ws.set_identity_section(name, None)?)
}

fn check_name(name: &str) -> Result<(), IdentityError> {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    match ok {
        true => Ok(()),
        false => Err(IdentityError::BadName(name.to_string())),
    }
}

/// Whether a text refers to another request's answer (so that request is sent first).
pub fn uses_request_variables(text: &str) -> bool {
    text.split("{{").skip(1).any(|rest| {
        rest.split_once("}}")
            .is_some_and(|(name, _)| vars::request_of(name.trim()).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(url: &str, headers: &[(&str, &str)]) -> Prepared {
        let mut req = crate::http::model::Request::new("GET", url);
        for (n, v) in headers {
            req.headers.push(crate::http::model::Row::new(n, v));
        }
        crate::http::prepare(&req, &Vars::new(), None).unwrap()
    }

    #[test]
    fn sections_round_trip_and_name_their_mistakes() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::create(dir.path()).unwrap();
        ws.set_env_value("dev", "token", "t", true).unwrap();
        let alice = Identity {
            name: "alice".into(),
            role: Role::User,
            order: 1,
            credentials: vec![
                Credential::Bearer("{{login.response.body.token}}".into()),
                Credential::Header("X-API-Key: k1".into()),
            ],
            vars: vec![("user".into(), "alice".into())],
        };
        save(&ws, &alice).unwrap();
        save(
            &ws,
            &Identity {
                order: 0,
                ..Identity::anonymous("anon")
            },
        )
        .unwrap();
        let all = load(&ws).unwrap();
        assert_eq!(all[1], alice);
        assert_eq!(all[0].role, Role::Anonymous);
        // The environments are untouched and identities are not listed among them.
        assert_eq!(ws.environments().unwrap(), ["dev"]);
        assert_eq!(
            ws.vars(Some("dev"), &[])
                .unwrap()
                .get("token")
                .unwrap()
                .value,
            "t"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join(crate::http::workspace::PRIVATE_ENV_FILE);
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(remove(&ws, "anon").unwrap());
        assert!(!remove(&ws, "anon").unwrap());
        let err = choose(load(&ws).unwrap(), &["bob".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"bob\"") && err.contains("alice"), "{err}");

        let mut bad = BTreeMap::new();
        bad.insert("@rol".to_string(), "admin".to_string());
        let err = Identity::from_section("x", &bad).unwrap_err().to_string();
        assert!(err.contains("@rol"), "{err}");
        assert!(matches!(
            save(&ws, &Identity::anonymous("a b")),
            Err(IdentityError::BadName(_))
        ));
    }

    #[test]
    fn apply_replaces_the_request_s_credentials() {
        let mut p = prepared(
            "http://127.0.0.1/x?api_key=old&page=2",
            &[
                ("Authorization", "Bearer old"),
                ("Cookie", "s=1"),
                ("Accept", "a/b"),
            ],
        );
        let mut vars = Vars::new();
        vars.set("tok", "new-token", true);
        let id = Identity {
            credentials: vec![
                Credential::Bearer("{{tok}}".into()),
                Credential::Basic("ada:pw".into()),
            ],
            ..Identity::anonymous("x")
        };
        id.apply(&mut p, &vars).unwrap();
        assert_eq!(p.url.as_str(), "http://127.0.0.1/x?page=2");
        let auth: Vec<&str> = p
            .headers
            .iter()
            .filter(|(n, _)| n == "Authorization")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(auth, ["Bearer new-token", "Basic YWRhOnB3"]);
        assert!(p.header("cookie").is_none() && p.header("accept") == Some("a/b"));
        assert_eq!(p.redactor.redact("new-token"), crate::http::vars::MASK);

        let mut p = prepared(
            "http://127.0.0.1/x?token=t",
            &[("Authorization", "Bearer old")],
        );
        Identity::anonymous("anonymous")
            .apply(&mut p, &vars)
            .unwrap();
        assert_eq!(p.url.as_str(), "http://127.0.0.1/x");
        assert!(p.header("authorization").is_none());
    }
}
