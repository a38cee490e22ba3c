//! The keymap: keys to actions, from the defaults plus the user's `[keys]` overrides.
//!
//! `Keymap::action_for` is a pure function of a key event, so key handling is tested without a
//! terminal. Key names use the syntax of `config.toml`: `q`, `?`, `G`, `ctrl-c`, `alt-x`,
//! `shift-up`, `tab`, `backtab`, `enter`, `esc`, `space`, `f1`…`f12`, arrows and the like.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Context};
use crate::config::{Config, ConfigError};

/// A key with its modifiers, normalised so that `?` typed with shift equals `?`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyChord {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        // A typed character already carries its shift (`G`, `?`), and BackTab is shift-tab.
        let modifiers = match code {
            KeyCode::Char(_) | KeyCode::BackTab => modifiers - KeyModifiers::SHIFT,
            _ => modifiers,
        };
        let modifiers =
            modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
        Self { code, modifiers }
    }
}

impl From<&KeyEvent> for KeyChord {
    fn from(ev: &KeyEvent) -> Self {
        KeyChord::new(ev.code, ev.modifiers)
    }
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "'{0}' is not a key: use names like q, G, ctrl-c, alt-x, shift-tab, enter, esc, f1, pageup"
)]
pub struct BadKey(String);

impl FromStr for KeyChord {
    type Err = BadKey;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadKey(text.to_string());
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        // A lone "-" is a key; otherwise peel "ctrl-", "alt-", "shift-" prefixes.
        while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, t)| !t.is_empty()) {
            modifiers |= match prefix.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "c" => KeyModifiers::CONTROL,
                "alt" | "meta" | "m" => KeyModifiers::ALT,
                "shift" | "s" => KeyModifiers::SHIFT,
                _ => return Err(bad()),
            };
            rest = tail;
        }
        let lower = rest.to_ascii_lowercase();
        let code = if let Some((_, code)) = NAMED.iter().find(|(name, _)| *name == lower) {
            *code
        } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            if !(1..=12).contains(&n) {
                return Err(bad());
            }
            KeyCode::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCode::Char(c),
                _ => return Err(bad()),
            }
        };
        if code == KeyCode::Tab && modifiers.contains(KeyModifiers::SHIFT) {
            return Ok(KeyChord::new(KeyCode::BackTab, modifiers));
        }
        Ok(KeyChord::new(code, modifiers))
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        if let Some((name, _)) = NAMED.iter().find(|(_, code)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::F(n) => write!(f, "f{n}"),
            KeyCode::Char(c) => write!(f, "{c}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Keys to actions per context, and actions to their keys (for help).
#[derive(Debug, Clone)]
pub struct Keymap {
    by_key: HashMap<(Context, KeyChord), Action>,
    by_action: Vec<(Action, Vec<KeyChord>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let by_action: Vec<_> = Action::all()
            .map(|action| {
                let keys = action
                    .default_keys()
                    .iter()
                    .map(|k| k.parse().expect("default keys parse"))
                    .collect();
                (action, keys)
            })
            .collect();
        Self::from_bindings(by_action)
    }
}

impl Keymap {
    /// The defaults with the config's `[keys]` applied. An override replaces an action's keys,
    /// and takes those keys away from any other action.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let mut bindings = Keymap::default().by_action;
        for binding in &config.keys {
            let action = Action::from_name(&binding.action).ok_or_else(|| {
                config.error_at(
                    binding.action_line,
                    format!("unknown action '{}' in [keys]", binding.action),
                )
            })?;
            let mut chords = Vec::new();
            for (key, line) in &binding.keys {
                let chord: KeyChord = key
                    .parse()
                    .map_err(|e: BadKey| config.error_at(*line, e.to_string()))?;
                chords.push(chord);
            }
            for (other, keys) in bindings.iter_mut() {
                if other.context() == action.context() {
                    keys.retain(|k| !chords.contains(k));
                }
            }
            if let Some((_, keys)) = bindings.iter_mut().find(|(a, _)| *a == action) {
                *keys = chords;
            }
        }
        Ok(Self::from_bindings(bindings))
    }

    fn from_bindings(by_action: Vec<(Action, Vec<KeyChord>)>) -> Self {
        let by_key = by_action
            .iter()
            .flat_map(|(action, keys)| keys.iter().map(move |k| ((action.context(), *k), *action)))
            .collect();
        Self { by_key, by_action }
    }

    /// The action a key event means in a context: the context's own keys first, then the
    /// global ones.
    pub fn action_for(&self, context: Context, key: &KeyEvent) -> Option<Action> {
        let chord = KeyChord::from(key);
        self.by_key
            .get(&(context, chord))
            .or_else(|| self.by_key.get(&(Context::Global, chord)))
            .copied()
    }

    /// Each action with its keys, in help order.
    pub fn bindings(&self) -> &[(Action, Vec<KeyChord>)] {
        &self.by_action
    }

    /// The keys of one action as text, e.g. "q, ctrl-c".
    pub fn keys_text(&self, action: Action) -> String {
        self.by_action
            .iter()
            .find(|(a, _)| *a == action)
            .map(|(_, keys)| {
                keys.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn arrows_and_vim_keys_both_move() {
        let km = Keymap::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.action_for(Context::Global, &key(KeyCode::Down, none)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action_for(Context::Global, &key(KeyCode::Char('j'), none)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action_for(Context::Global, &key(KeyCode::Up, none)),
            Some(Action::Up)
        );
        assert_eq!(
            km.action_for(Context::Global, &key(KeyCode::Char('k'), none)),
            Some(Action::Up)
        );
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::Bottom)
        );
    }

    #[test]
    fn digits_and_tab_switch_tabs() {
        let km = Keymap::default();
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('3'), KeyModifiers::NONE)
            ),
            Some(Action::GoTab(2))
        );
        assert_eq!(
            km.action_for(Context::Global, &key(KeyCode::Tab, KeyModifiers::NONE)),
            Some(Action::NextTab)
        );
        assert_eq!(
            km.action_for(Context::Global, &key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
    }

    #[test]
    fn shifted_question_mark_opens_help() {
        let km = Keymap::default();
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('?'), KeyModifiers::SHIFT)
            ),
            Some(Action::Help)
        );
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('c'), KeyModifiers::NONE)
            ),
            None
        );
    }

    #[test]
    fn tab_keys_win_over_global_ones_only_on_their_tab() {
        let km = Keymap::default();
        let c = key(KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(km.action_for(Context::Jwt, &c), Some(Action::JwtCrack));
        assert_eq!(km.action_for(Context::Tasks, &c), None);
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.action_for(Context::Jwt, &q), Some(Action::Quit));
    }

    #[test]
    fn default_keys_do_not_clash_within_a_context() {
        let km = Keymap::default();
        let mut seen = std::collections::HashSet::new();
        for (action, keys) in km.bindings() {
            for k in keys {
                assert!(
                    seen.insert((action.context(), *k)),
                    "{k} bound twice in {:?}",
                    action.context()
                );
            }
        }
    }

    #[test]
    fn key_names_parse_and_print() {
        for name in [
            "q", "ctrl-c", "alt-x", "f5", "pageup", "backtab", "-", "G", "space",
        ] {
            let chord: KeyChord = name.parse().unwrap();
            assert_eq!(chord.to_string(), name);
        }
        assert_eq!(
            "shift-tab".parse::<KeyChord>().unwrap().to_string(),
            "backtab"
        );
        assert!("ctl-x".parse::<KeyChord>().is_err());
        assert!("f13".parse::<KeyChord>().is_err());
        assert!("abc".parse::<KeyChord>().is_err());
    }

    #[test]
    fn overrides_replace_and_steal_keys() {
        let cfg = Config::parse(
            Path::new("c.toml"),
            "[keys]\ncancel_task = [\"q\"]\nquit = [\"ctrl-q\"]\n",
        )
        .unwrap();
        let km = Keymap::from_config(&cfg).unwrap();
        assert_eq!(
            km.action_for(Context::Tasks, &key(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Action::CancelTask)
        );
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            None,
            "cancel_task only applies on the Tasks tab"
        );
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('q'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            km.action_for(
                Context::Global,
                &key(KeyCode::Char('x'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(km.keys_text(Action::Quit), "ctrl-q");
    }

    #[test]
    fn bad_overrides_name_the_line() {
        let cfg = Config::parse(
            Path::new("c.toml"),
            "[keys]\nquit = [\"q\",\n  \"ctl-q\"]\n",
        )
        .unwrap();
        let err = Keymap::from_config(&cfg).unwrap_err().to_string();
        assert!(err.starts_with("c.toml, line 3:"), "{err}");
        let cfg = Config::parse(Path::new("c.toml"), "\n[keys]\nfly = \"f\"\n").unwrap();
        let err = Keymap::from_config(&cfg).unwrap_err().to_string();
        assert!(
            err.contains("line 3") && err.contains("unknown action 'fly'"),
            "{err}"
        );
    }
}
