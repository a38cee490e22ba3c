//! The user's `config.toml`: theme and key overrides, with errors that name file and line.
//!
//! ```toml
//! theme = "light"
//!
//! [keys]
//! quit = ["q", "ctrl-c"]
//! cancel_task = ["x", "delete"]
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::paths::line_of;

/// NO_COLOR set to anything non-empty turns colour off (no-color.org), in the CLI and the TUI.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// A problem with a file the user wrote: which file, which line, what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

crate::error_kind::bad_input!(ConfigError);

impl ConfigError {
    /// Turns a TOML error into one that names the file and line.
    pub fn from_toml(path: &Path, source: &str, err: &toml::de::Error) -> Self {
        let line = err.span().map_or(1, |span| line_of(source, span.start));
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message: err.message().trim().to_string(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<Spanned<String>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<KeyNames>>,
}

/// `quit = "q"` or `quit = ["q", "ctrl-c"]`. A hand-written visitor, because serde's untagged
/// enums buffer their input and so lose the spans that name the line of a bad key.
#[derive(Debug)]
enum KeyNames {
    One(String),
    Many(Vec<Spanned<String>>),
}

impl<'de> Deserialize<'de> for KeyNames {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = KeyNames;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a key name or a list of key names")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyNames, E> {
                Ok(KeyNames::One(v.to_string()))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeyNames, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<Spanned<String>>()? {
                    names.push(name);
                }
                Ok(KeyNames::Many(names))
            }
        }
        deserializer.deserialize_any(Names)
    }
}

/// One user key binding: an action name and the keys for it, with their lines for errors.
#[derive(Debug, Clone)]
pub struct KeyBinding {
    pub action: String,
    pub action_line: usize,
    pub keys: Vec<(String, usize)>,
}

/// The parsed config. Empty when the file does not exist.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub path: Option<PathBuf>,
    pub theme: Option<String>,
    pub keys: Vec<KeyBinding>,
}

impl Config {
    /// Loads `path`, or the default config file. A missing default file is an empty config;
    /// a missing explicit file is an error.
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match crate::paths::config_file() {
                Some(p) if p.exists() => p,
                _ => return Ok(Config::default()),
            },
        };
        let source = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        Self::parse(&path, &source)
    }

    pub fn parse(path: &Path, source: &str) -> Result<Self, ConfigError> {
        let raw: RawConfig =
            toml::from_str(source).map_err(|e| ConfigError::from_toml(path, source, &e))?;
        let keys = raw
            .keys
            .into_iter()
            .map(|(action, names)| {
                let line = line_of(source, names.span().start);
                let keys = match names.into_inner() {
                    KeyNames::One(name) => vec![(name, line)],
                    KeyNames::Many(names) => names
                        .into_iter()
                        .map(|k| (k.get_ref().clone(), line_of(source, k.span().start)))
                        .collect(),
                };
                KeyBinding {
                    action_line: line_of(source, action.span().start),
                    action: action.into_inner(),
                    keys,
                }
            })
            .collect();
        Ok(Config {
            path: Some(path.to_path_buf()),
            theme: raw.theme.map(Spanned::into_inner),
            keys,
        })
    }

    /// An error about something on `line` of this config file.
    pub fn error_at(&self, line: usize, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from("config.toml")),
            line,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_theme_and_keys_with_lines() {
        let src = "theme = \"light\"\n\n[keys]\nquit = [\"q\", \"ctrl-c\"]\nhelp = \"f1\"\n";
        let cfg = Config::parse(Path::new("c.toml"), src).unwrap();
        assert_eq!(cfg.theme.as_deref(), Some("light"));
        let quit = cfg.keys.iter().find(|k| k.action == "quit").unwrap();
        assert_eq!(quit.action_line, 4);
        assert_eq!(quit.keys, vec![("q".into(), 4), ("ctrl-c".into(), 4)]);
        let help = cfg.keys.iter().find(|k| k.action == "help").unwrap();
        assert_eq!(help.keys, vec![("f1".into(), 5)]);
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let src = "theme = \"light\"\n[keys\nquit = 1\n";
        let err = Config::parse(Path::new("/x/config.toml"), src)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("/x/config.toml, line 2:"), "{err}");
    }

    #[test]
    fn unknown_fields_are_errors_with_a_line() {
        let src = "\n\ncolour = \"red\"\n";
        let err = Config::parse(Path::new("c.toml"), src)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn a_missing_explicit_file_is_an_error() {
        let err = Config::load(Some(Path::new("/nonexistent/apiward.toml"))).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }));
    }
}
