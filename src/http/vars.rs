//! `{{variables}}`: the values of an environment (some secret), the dynamic variables of
//! both `.http` editors (`dotfile::dynamic`) with `$env.NAME`, `$processEnv NAME` and
//! `$dotenv NAME`, prompt and request variables, and the redactor that hides secret values
//! in history, logs and the screen.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Nested references deeper than this are taken for a cycle.
const MAX_DEPTH: usize = 10;
/// Secret values shorter than this are not hunted for in text: masking every "1" would mangle
/// history without protecting anything.
const MIN_REDACT_LEN: usize = 3;
pub const MASK: &str = "••••••";

/// The prefix of the names under which `Workspace::requests` passes a `.env` file's values
/// (`$dotenv NAME`) and a request's `# @prompt` lines (`$prompt NAME`, with the description)
/// beside the file's `@var` lines. No `@var` name can hold the space.
pub const DOTENV: &str = "$dotenv ";
pub const PROMPT: &str = "$prompt ";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VarError {
    #[error("unknown variable {{{{{0}}}}}: define it in the environment or the file")]
    Unknown(String),
    #[error("the environment variable {0} (used as {{{{$env.{0}}}}}) is not set")]
    UnsetEnv(String),
    #[error("variable {{{{{0}}}}} refers to itself (directly or in a cycle)")]
    Cycle(String),
    #[error("unclosed {{{{ in \"{0}\"")]
    Unclosed(String),
    #[error("the environment variable {0} (used as {{{{$processEnv {0}}}}}) is not set")]
    UnsetProcessEnv(String),
    #[error("{{{{$dotenv {0}}}}}: no {0} in a .env file beside the .http file")]
    NoDotenv(String),
    #[error("{{{{${name}}}}}: {reason}")]
    Dynamic { name: String, reason: String },
    #[error(
        "the request asks for {{{{{name}}}}} (# @prompt {name}{}), and no value was given",
        if description.is_empty() { String::new() } else { format!(": {description}") }
    )]
    Prompt { name: String, description: String },
    #[error(
        "{{{{{reference}}}}} needs the response of the request named \"{request}\", which was not \
         sent first"
    )]
    NotSent { reference: String, request: String },
    #[error("cannot read the body file of `{0}` (a path relative to the .http file)")]
    BodyFile(String),
}

crate::error_kind::bad_input!(VarError);

/// The request a request variable (`login.response.body.$.token`) names, if `name` is one.
pub fn request_of(name: &str) -> Option<&str> {
    let (request, rest) = name.split_once('.')?;
    let valid =
        !request.is_empty() && !request.starts_with('$') && !request.contains(char::is_whitespace);
    (valid && (rest.starts_with("response.") || rest.starts_with("request."))).then_some(request)
}

/// One value; secret ones come from the private env file and are never shown or stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Var {
    pub value: String,
    #[serde(default)]
    pub secret: bool,
}

/// The variables a request resolves against: file `@var` lines, then the environment, then
/// private values, later ones winning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    map: BTreeMap<String, Var>,
}

impl Vars {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, name: &str, value: &str, secret: bool) {
        // A public value never un-secrets a name a private file made secret. `.env` values
        // and what a response gave (often a token) are secret wherever they come from.
        let secret = secret
            || self.map.get(name).is_some_and(|v| v.secret)
            || name.starts_with(DOTENV)
            || request_of(name).is_some();
        self.map.insert(
            name.to_string(),
            Var {
                value: value.to_string(),
                secret,
            },
        );
    }

    pub fn get(&self, name: &str) -> Option<&Var> {
        self.map.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Var)> {
        self.map.iter()
    }

    /// The value for display: secrets masked.
    pub fn display_value(&self, name: &str) -> Option<&str> {
        self.map
            .get(name)
            .map(|v| if v.secret { MASK } else { v.value.as_str() })
    }

    /// A redactor that knows every secret value here.
    pub fn redactor(&self) -> Redactor {
        let mut r = Redactor::default();
        // A `.env` file holds much besides secrets (a port, `development`): its values are
        // hidden once used (`{{$dotenv NAME}}`), not wherever they happen to appear.
        let secrets = (self.map.iter()).filter(|(name, v)| v.secret && !name.starts_with(DOTENV));
        for (name, var) in secrets {
            r.add(&var.value);
            r.add_name(name);
        }
        r
    }

    /// Resolves every `{{…}}` in `text`. Values of secrets and `$env` used are added to
    /// `redactor`, so whatever the text ends up in can be cleaned.
    pub fn resolve(&self, text: &str, redactor: &mut Redactor) -> Result<String, VarError> {
        self.resolve_depth(text, redactor, 0)
    }

    fn resolve_depth(
        &self,
        text: &str,
        redactor: &mut Redactor,
        depth: usize,
    ) -> Result<String, VarError> {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or_else(|| VarError::Unclosed(text.to_string()))?;
            let name = after[..end].trim();
            out.push_str(&self.value_of(name, redactor, depth)?);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn value_of(
        &self,
        name: &str,
        redactor: &mut Redactor,
        depth: usize,
    ) -> Result<String, VarError> {
        if let Some(builtin) = name.strip_prefix('$') {
            return self.builtin_value(builtin, redactor);
        }
        let Some(var) = self.map.get(name) else {
            return Err(self.missing(name));
        };
        // What a response gave is used as it came: a token is not a template.
        if request_of(name).is_some() {
            redactor.add(&var.value);
            return Ok(var.value.clone());
        }
        if depth >= MAX_DEPTH {
            return Err(VarError::Cycle(name.to_string()));
        }
        let value = self.resolve_depth(&var.value, redactor, depth + 1)?;
        if var.secret {
            redactor.add(&value);
        }
        Ok(value)
    }

    /// Why `name` has no value, as precisely as is known.
    fn missing(&self, name: &str) -> VarError {
        if let Some(prompt) = self.map.get(&format!("{PROMPT}{name}")) {
            return VarError::Prompt {
                name: name.to_string(),
                description: prompt.value.clone(),
            };
        }
        if let Some(request) = request_of(name) {
            return VarError::NotSent {
                reference: name.to_string(),
                request: request.to_string(),
            };
        }
        if name.starts_with(super::dotfile::body::INCLUDE) {
            return VarError::BodyFile(name.to_string());
        }
        VarError::Unknown(name.to_string())
    }

    /// A `$name`: an environment variable, a `.env` value, or a dynamic variable. Values
    /// from the environment and `.env` count as secret, since tokens live there.
    fn builtin_value(&self, name: &str, redactor: &mut Redactor) -> Result<String, VarError> {
        if let Some(env) = name.strip_prefix("env.") {
            let value = std::env::var(env).map_err(|_| VarError::UnsetEnv(env.to_string()))?;
            redactor.add(&value);
            return Ok(value);
        }
        let (head, arg) = name.split_once(' ').unwrap_or((name, ""));
        // `%name` takes the variable's value as the name to look up, as REST Client does.
        let key = |arg: &str| match arg.trim().strip_prefix('%') {
            Some(var) => self
                .map
                .get(var)
                .map_or(var.to_string(), |v| v.value.clone()),
            None => arg.trim().to_string(),
        };
        let value = match head {
            "processEnv" => {
                let key = key(arg);
                std::env::var(&key).map_err(|_| VarError::UnsetProcessEnv(key))?
            }
            "dotenv" => {
                let key = key(arg);
                let found = self.map.get(&format!("{DOTENV}{key}"));
                found.ok_or(VarError::NoDotenv(key))?.value.clone()
            }
            _ => {
                return match super::dotfile::dynamic::value(name) {
                    Some(made) => made.map_err(|reason| VarError::Dynamic {
                        name: name.to_string(),
                        reason,
                    }),
                    None => Err(VarError::Unknown(format!("${name}"))),
                };
            }
        };
        redactor.add(&value);
        Ok(value)
    }
}

pub(crate) fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A random (version 4) UUID.
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The secret values to hide, and the hiding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactor {
    secrets: Vec<String>,
    /// Names of the secret variables, so a body field of the same name is taken for a secret.
    names: Vec<String>,
}

impl Redactor {
    pub fn add(&mut self, secret: &str) {
        if secret.len() >= MIN_REDACT_LEN && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            // Longest first, so a secret containing another is hidden whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// Marks `name` (a secret variable's) as a field name whose values are secret.
    pub fn add_name(&mut self, name: &str) {
        if !self.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            self.names.push(name.to_string());
        }
    }

    pub fn is_secret_name(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// `text` with every known secret replaced by the mask.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars {
        let mut v = Vars::new();
        v.set("host", "example.test", false);
        v.set("base", "https://{{host}}/api", false);
        v.set("token", "s3cr3t-token", true);
        v
    }

    #[test]
    fn resolves_nested_and_records_secrets() {
        let mut r = Redactor::default();
        let out = vars().resolve("{{ base }}/x?t={{token}}", &mut r).unwrap();
        assert_eq!(out, "https://example.test/api/x?t=s3cr3t-token");
        assert_eq!(
            r.redact(&out),
            format!("https://example.test/api/x?t={MASK}")
        );
    }

    #[test]
    fn errors_name_the_variable() {
        let mut r = Redactor::default();
        let err = vars().resolve("{{nope}}", &mut r).unwrap_err();
        assert_eq!(err, VarError::Unknown("nope".into()));
        assert!(err.to_string().contains("{{nope}}"), "{err}");
        let mut v = Vars::new();
        v.set("a", "{{b}}", false);
        v.set("b", "{{a}}", false);
        assert!(matches!(
            v.resolve("{{a}}", &mut r),
            Err(VarError::Cycle(_))
        ));
        assert!(matches!(
            v.resolve("{{a", &mut r),
            Err(VarError::Unclosed(_))
        ));
    }

    #[test]
    fn builtins() {
        let mut r = Redactor::default();
        let v = Vars::new();
        let id = v.resolve("{{$uuid}}", &mut r).unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        let ts: u64 = v
            .resolve("{{$timestamp}}", &mut r)
            .unwrap()
            .parse()
            .unwrap();
        assert!(ts > 1_600_000_000);
        let n: u32 = v
            .resolve("{{$randomInt}}", &mut r)
            .unwrap()
            .parse()
            .unwrap();
        assert!(n < 1000);
        let path = std::env::var("PATH").unwrap();
        assert_eq!(v.resolve("{{$env.PATH}}", &mut r).unwrap(), path);
        assert!(matches!(
            v.resolve("{{$env.APIWARD_SURELY_UNSET}}", &mut r),
            Err(VarError::UnsetEnv(_))
        ));
    }

    #[test]
    fn secrets_stay_secret_and_are_masked_for_display() {
        let mut v = vars();
        v.set("token", "other", false);
        assert!(v.get("token").unwrap().secret);
        assert_eq!(v.display_value("token"), Some(MASK));
        assert_eq!(v.display_value("host"), Some("example.test"));
    }

    #[test]
    fn editor_variables() {
        let mut r = Redactor::default();
        let mut v = Vars::new();
        v.set("$dotenv API_KEY", "dotenv-secret", false);
        v.set("which", "API_KEY", false);
        v.set("home", "PATH", false);
        v.set("$prompt password", "Your password", false);
        v.set("login.response.body.$.token", "tok-{{x}}", false);
        v.set("<@ ./b.json", "{\"at\": \"{{which}}\"}", false);
        v.set("$dotenv PORT", "3000", false);
        // Unused, a `.env` value is not hunted for: a port would be masked in every URL.
        let seen = "localhost:3000 dotenv-secret";
        assert_eq!(v.redactor().redact(seen), seen);
        assert_eq!(
            v.resolve("{{$dotenv API_KEY}}", &mut r).unwrap(),
            "dotenv-secret"
        );
        assert_eq!(
            v.resolve("{{$dotenv %which}}", &mut r).unwrap(),
            "dotenv-secret"
        );
        assert_eq!(r.redact("x dotenv-secret"), format!("x {MASK}"));
        assert!(v.get("$dotenv API_KEY").unwrap().secret);
        let path = std::env::var("PATH").unwrap();
        assert_eq!(v.resolve("{{$processEnv PATH}}", &mut r).unwrap(), path);
        assert_eq!(v.resolve("{{$processEnv %home}}", &mut r).unwrap(), path);
        // A token from a response is taken as it came, never as a template, and is secret.
        let token = v
            .resolve("{{login.response.body.$.token}}", &mut r)
            .unwrap();
        assert_eq!(token, "tok-{{x}}");
        assert_eq!(r.redact(&token), MASK);
        // A body file's text has its variables filled.
        assert_eq!(
            v.resolve("{{<@ ./b.json}}", &mut r).unwrap(),
            "{\"at\": \"API_KEY\"}"
        );
        assert!(v.resolve("{{$guid}}", &mut r).unwrap().len() == 36);

        let err = |text: &str| v.resolve(text, &mut Redactor::default()).unwrap_err();
        let e = err("{{password}}");
        assert!(matches!(e, VarError::Prompt { .. }), "{e}");
        assert!(
            e.to_string().contains("{{password}}")
                && e.to_string().contains("Your password")
                && !e.to_string().contains("--var"),
            "{e}"
        );
        let e = err("{{me.response.headers.Location}}");
        assert_eq!(
            e,
            VarError::NotSent {
                reference: "me.response.headers.Location".into(),
                request: "me".into()
            }
        );
        assert!(matches!(err("{{$dotenv NOPE}}"), VarError::NoDotenv(_)));
        assert!(matches!(
            err("{{$processEnv APIWARD_SURELY_UNSET}}"),
            VarError::UnsetProcessEnv(_)
        ));
        assert!(matches!(
            err("{{<@ ./missing.json}}"),
            VarError::BodyFile(_)
        ));
        let e = err("{{$randomInt 5 1}}");
        assert!(e.to_string().starts_with("{{$randomInt 5 1}}: "), "{e}");
        assert_eq!(err("{{$nope}}"), VarError::Unknown("$nope".into()));
        assert_eq!(request_of("a.b"), None);
        assert_eq!(request_of("login.request.headers.X"), Some("login"));
    }
}
