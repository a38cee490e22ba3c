//! Themes: semantic roles (text, muted, accent, severity…) mapped to colours.
//!
//! Built-in themes are embedded from `themes/*.toml`; a file of the same name in the user's
//! theme directory wins. A theme may `inherits = "other"` and override a few roles. With
//! NO_COLOR set, every theme becomes monochrome, with bold, dim, underline and reverse video
//! carrying the emphasis instead.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::config::ConfigError;
use crate::findings::Severity;

/// The built-in themes: name and file text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

/// What a colour means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Background,
    Text,
    Muted,
    Accent,
    Border,
    Selection,
    Success,
    Warning,
    Error,
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Role {
    pub const ALL: [Role; 14] = [
        Role::Background,
        Role::Text,
        Role::Muted,
        Role::Accent,
        Role::Border,
        Role::Selection,
        Role::Success,
        Role::Warning,
        Role::Error,
        Role::Critical,
        Role::High,
        Role::Medium,
        Role::Low,
        Role::Info,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Background => "background",
            Role::Text => "text",
            Role::Muted => "muted",
            Role::Accent => "accent",
            Role::Border => "border",
            Role::Selection => "selection",
            Role::Success => "success",
            Role::Warning => "warning",
            Role::Error => "error",
            Role::Critical => "critical",
            Role::High => "high",
            Role::Medium => "medium",
            Role::Low => "low",
            Role::Info => "info",
        }
    }

    pub fn for_severity(severity: Severity) -> Role {
        match severity {
            Severity::Critical => Role::Critical,
            Severity::High => Role::High,
            Severity::Medium => Role::Medium,
            Severity::Low => Role::Low,
            Severity::Info => Role::Info,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    inherits: Option<String>,
    #[serde(default)]
    colors: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

/// A resolved theme: a colour for every role, or monochrome.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    colors: [Color; Role::ALL.len()],
    monochrome: bool,
}

impl Theme {
    /// The built-in default theme. It is embedded and tested, so it always parses.
    pub fn builtin_default() -> Theme {
        Theme::load("default", None).expect("the embedded default theme parses")
    }

    /// Loads a theme by name: from `user_dir` first, then the built-ins.
    pub fn load(name: &str, user_dir: Option<&Path>) -> Result<Theme, ConfigError> {
        Self::load_chain(name, user_dir, &mut Vec::new())
    }

    fn load_chain(
        name: &str,
        user_dir: Option<&Path>,
        seen: &mut Vec<String>,
    ) -> Result<Theme, ConfigError> {
        if seen.iter().any(|s| s == name) {
            return Err(ConfigError::Other(format!(
                "theme '{name}' inherits from itself"
            )));
        }
        seen.push(name.to_string());
        let (path, source) = find_theme(name, user_dir)?;
        let file: ThemeFile =
            toml::from_str(&source).map_err(|e| ConfigError::from_toml(&path, &source, &e))?;
        let parent = match file.inherits.as_deref() {
            Some(parent) => Some(Self::load_chain(parent, user_dir, seen)?),
            None if name != "default" => Some(Self::load_chain("default", user_dir, seen)?),
            None => None,
        };
        let mut colors: [Option<Color>; Role::ALL.len()] =
            parent.map_or([None; Role::ALL.len()], |p| p.colors.map(Some));
        for (role, value) in &file.colors {
            let line = crate::paths::line_of(&source, role.span().start);
            let Some(index) = Role::ALL.iter().position(|r| r.name() == role.get_ref()) else {
                return Err(ConfigError::Invalid {
                    path,
                    line,
                    message: format!("unknown colour role '{}'", role.get_ref()),
                });
            };
            let color = Color::from_str(value.get_ref()).map_err(|_| ConfigError::Invalid {
                path: path.clone(),
                line: crate::paths::line_of(&source, value.span().start),
                message: format!(
                    "'{}' is not a colour: use a name like red, #rrggbb, or 0-255",
                    value.get_ref()
                ),
            })?;
            colors[index] = Some(color);
        }
        let mut resolved = [Color::Reset; Role::ALL.len()];
        for (slot, (role, color)) in resolved.iter_mut().zip(Role::ALL.iter().zip(colors)) {
            *slot = color.ok_or_else(|| ConfigError::Invalid {
                path: path.clone(),
                line: 1,
                message: format!("the theme has no colour for '{}'", role.name()),
            })?;
        }
        Ok(Theme {
            name: file.name.unwrap_or_else(|| name.to_string()),
            colors: resolved,
            monochrome: false,
        })
    }

    /// The same theme with colour off: emphasis by bold, dim, underline and reverse.
    /// The theme as a terminal of `depth` can show it: 24-bit colours brought down to the
    /// 256- or 16-colour palette.
    pub fn for_depth(mut self, depth: super::colour_depth::Depth) -> Theme {
        for colour in &mut self.colors {
            *colour = super::colour_depth::fit(*colour, depth);
        }
        self
    }

    pub fn monochrome(mut self) -> Theme {
        self.monochrome = true;
        self
    }

    pub fn is_monochrome(&self) -> bool {
        self.monochrome
    }

    pub fn color(&self, role: Role) -> Color {
        if self.monochrome {
            Color::Reset
        } else {
            self.colors[role as usize]
        }
    }

    /// The style for text in a role, on the theme's background.
    pub fn style(&self, role: Role) -> Style {
        if self.monochrome {
            let modifier = match role {
                Role::Muted | Role::Border | Role::Info => Modifier::DIM,
                Role::Accent | Role::Warning | Role::Medium | Role::High => Modifier::BOLD,
                Role::Error | Role::Critical => Modifier::BOLD | Modifier::UNDERLINED,
                Role::Selection => Modifier::REVERSED,
                _ => Modifier::empty(),
            };
            return Style::default().add_modifier(modifier);
        }
        let style = Style::default().bg(self.color(Role::Background));
        match role {
            Role::Selection => style
                .bg(self.color(Role::Selection))
                .fg(self.color(Role::Text))
                .add_modifier(Modifier::BOLD),
            Role::Critical => style.fg(self.color(role)).add_modifier(Modifier::BOLD),
            role => style.fg(self.color(role)),
        }
    }

    /// The base style of every screen: text on background.
    pub fn base(&self) -> Style {
        self.style(Role::Text)
    }

    pub fn severity(&self, severity: Severity) -> Style {
        self.style(Role::for_severity(severity))
    }
}

fn find_theme(name: &str, user_dir: Option<&Path>) -> Result<(PathBuf, String), ConfigError> {
    if let Some(dir) = user_dir {
        let path = dir.join(format!("{name}.toml"));
        if path.is_file() {
            let source = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            return Ok((path, source));
        }
    }
    BUILTIN
        .iter()
        .find(|(builtin, _)| *builtin == name)
        .map(|(builtin, text)| {
            (
                PathBuf::from(format!("themes/{builtin}.toml")),
                text.to_string(),
            )
        })
        .ok_or_else(|| {
            let names: Vec<_> = BUILTIN.iter().map(|(n, _)| *n).collect();
            ConfigError::Other(format!(
                "no theme named '{name}': the built-in themes are {}",
                names.join(", ")
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_defines_every_role_itself() {
        for (name, text) in BUILTIN {
            let file: ThemeFile = toml::from_str(text).unwrap();
            for role in Role::ALL {
                assert!(
                    file.colors.keys().any(|k| k.get_ref() == role.name()),
                    "{name} lacks {}",
                    role.name()
                );
            }
            let theme = Theme::load(name, None).unwrap();
            assert_eq!(theme.name, *name);
        }
    }

    #[test]
    fn user_themes_win_and_inherit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mine.toml"),
            "inherits = \"light\"\n[colors]\naccent = \"#ff0000\"\n",
        )
        .unwrap();
        let mine = Theme::load("mine", Some(dir.path())).unwrap();
        let light = Theme::load("light", None).unwrap();
        assert_eq!(mine.color(Role::Accent), Color::Rgb(255, 0, 0));
        assert_eq!(mine.color(Role::Text), light.color(Role::Text));
    }

    #[test]
    fn bad_colours_and_roles_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("bad.toml"),
            "[colors]\ntext = \"white\"\nmuted = \"greyish\"\n",
        )
        .unwrap();
        let err = Theme::load("bad", Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("bad.toml, line 3") && err.contains("greyish"),
            "{err}"
        );

        std::fs::write(dir.path().join("odd.toml"), "[colors]\nsparkle = \"red\"\n").unwrap();
        let err = Theme::load("odd", Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("sparkle"), "{err}");
    }

    #[test]
    fn unknown_names_and_cycles_are_errors() {
        let err = Theme::load("neon", None).unwrap_err().to_string();
        assert!(
            err.contains("neon") && err.contains("high-contrast"),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "inherits = \"b\"\n").unwrap();
        std::fs::write(dir.path().join("b.toml"), "inherits = \"a\"\n").unwrap();
        assert!(Theme::load("a", Some(dir.path())).is_err());
    }

    #[test]
    fn monochrome_uses_no_colour_but_keeps_emphasis() {
        let theme = Theme::builtin_default().monochrome();
        for role in Role::ALL {
            let style = theme.style(role);
            assert!(style.fg.is_none() && style.bg.is_none(), "{role:?}");
        }
        assert!(
            theme
                .style(Role::Selection)
                .add_modifier
                .contains(Modifier::REVERSED)
        );
        assert!(
            theme
                .severity(Severity::Critical)
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }
}
