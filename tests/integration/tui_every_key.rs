//! No key in `?` does nothing silently: every tab's own keys, and the global keys that act on
//! a pane's content (copy, edit, paste, enter), are pressed in each tab's common states (empty,
//! and with something loaded), and each press must show on screen, say something in the status
//! bar or the message log, or hand the loop an effect (a job, a copy, a clipboard read).

use std::path::Path;

use apiward::tui::action::{Action, Context};
use apiward::tui::app::{App, Msg};
use apiward::tui::keymap::{KeyChord, Keymap};
use apiward::tui::testing::{app, press, run_jobs, screen};
use crossterm::event::{KeyCode, KeyEvent};

use crate::tui_shell::WEAK_TOKEN;

/// The global actions whose meaning depends on the pane; the rest (tabs, help, quit, moving)
/// always show.
const PANE_GLOBALS: [Action; 4] = [
    Action::Copy,
    Action::Edit,
    Action::PasteClipboard,
    Action::Select,
];

/// A state to press keys in: its name and how to reach it from a fresh app.
struct Start {
    name: &'static str,
    context: Context,
    setup: fn(&mut App, &Path),
}

fn go(app: &mut App, ws: &Path, tab: char) {
    app.set_workspace(Some(ws.to_path_buf()));
    press(app, KeyCode::Char(tab));
    run_jobs(app);
}

const STARTS: &[Start] = &[
    Start {
        name: "request, editor focused",
        context: Context::Request,
        setup: |app, ws| go(app, ws, '1'),
    },
    Start {
        name: "request, list focused",
        context: Context::Request,
        setup: |app, ws| {
            go(app, ws, '1');
            press(app, KeyCode::Left);
        },
    },
    Start {
        name: "request, a saved request open",
        context: Context::Request,
        setup: |app, ws| {
            go(app, ws, '1');
            press(app, KeyCode::Left);
            press(app, KeyCode::Enter);
            run_jobs(app);
        },
    },
    Start {
        name: "jwt, empty",
        context: Context::Jwt,
        setup: |app, ws| go(app, ws, '2'),
    },
    Start {
        name: "jwt, a token pasted",
        context: Context::Jwt,
        setup: |app, ws| {
            go(app, ws, '2');
            app.update(Msg::Paste(WEAK_TOKEN.to_string()));
        },
    },
    Start {
        name: "audit, empty",
        context: Context::Audit,
        setup: |app, ws| go(app, ws, '3'),
    },
    Start {
        name: "keys, no keyring",
        context: Context::Keys,
        setup: |app, ws| go(app, ws, '4'),
    },
    Start {
        name: "tasks, empty",
        context: Context::Tasks,
        setup: |app, ws| go(app, ws, '5'),
    },
    Start {
        name: "learn",
        context: Context::Learn,
        setup: |app, ws| go(app, ws, '6'),
    },
    Start {
        name: "matrix, not run",
        context: Context::Matrix,
        setup: |app, ws| go(app, ws, '7'),
    },
];

/// What a user can tell from outside: the screen, the status bar and the message log.
fn seen(app: &App) -> (String, Option<String>, usize) {
    (
        screen(app, 120, 40),
        app.status().map(str::to_string),
        app.messages().len(),
    )
}

fn key_event(chord: KeyChord) -> KeyEvent {
    KeyEvent::new(chord.code, chord.modifiers)
}

#[test]
fn no_key_in_help_does_nothing_silently() {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("requests.http"),
        "### status\nGET http://127.0.0.1:9/status\n\n### login\nPOST http://127.0.0.1:9/login\nContent-Type: application/json\n\n{\"user\": \"alice\"}\n",
    )
    .unwrap();
    let keymap = Keymap::default();
    let mut silent = Vec::new();
    let mut pressed = 0;
    for start in STARTS {
        for (action, chords) in keymap.bindings() {
            let ours = action.context() == start.context || PANE_GLOBALS.contains(action);
            let Some(chord) = chords.first().filter(|_| ours) else {
                continue;
            };
            let mut app = app();
            (start.setup)(&mut app, ws.path());
            app.take_effects();
            let before = seen(&app);
            app.update(Msg::Key(key_event(*chord)));
            pressed += 1;
            let acted = !app.take_effects().is_empty() || seen(&app) != before;
            if !acted {
                silent.push(format!("{} in {} ({})", chord, start.name, action.name()));
            }
        }
    }
    assert!(pressed > 60, "only {pressed} keys pressed");
    assert!(
        silent.is_empty(),
        "keys that did nothing a user could see:\n{}",
        silent.join("\n")
    );
}

/// A pane with advice gives it: the JWT tab without a token says how to get one.
#[test]
fn the_jwt_tab_without_a_token_says_how_to_get_one() {
    let ws = tempfile::tempdir().unwrap();
    let mut app = app();
    go(&mut app, ws.path(), '2');
    for key in ['c', 'f', 'P'] {
        press(&mut app, KeyCode::Char(key));
        let said = app.status().unwrap_or_default();
        assert!(said.starts_with("No token yet: p pastes"), "{key}: {said}");
    }
}

/// An editing key pressed in the Request list says where it works.
#[test]
fn an_editing_key_in_the_request_list_points_at_the_editor() {
    let ws = tempfile::tempdir().unwrap();
    let mut app = app();
    go(&mut app, ws.path(), '1');
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Char('a'));
    let said = app.status().unwrap_or_default();
    assert!(said.contains("→ moves to the editor"), "{said}");
}
