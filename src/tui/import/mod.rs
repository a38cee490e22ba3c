//! The import dialog, an overlay the app owns like the palette: a file prompt (the kind told
//! from the contents, or chosen with tab), the source read and compared with the workspace
//! off the UI thread, a scrollable preview of what would be written, and enter to write it
//! through the CLI's own `Imported::apply`. Esc closes it and nothing is written.

pub mod jobs;
pub mod msg;
mod view;

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use self::jobs::ImportJob;
pub use self::msg::Msg;
use self::msg::{Planned, Written};
use super::panes::Effect;
use super::widgets::input::{InputOutcome, TextInput};
use crate::import::source::{ImportError, Kind};
use crate::spec::SpecError;
use crate::tasks::{TaskError, TaskFailure};

/// Where the dialog is.
#[derive(Debug)]
enum Stage {
    /// Asking for the file; the last read's error, if any, under it.
    Prompt {
        error: Option<String>,
    },
    Reading,
    Preview {
        planned: Box<Planned>,
        scroll: usize,
    },
    Writing,
}

#[derive(Debug)]
pub struct ImportDialog {
    input: TextInput,
    /// The kind chosen with tab; none: told from the contents.
    kind: Option<Kind>,
    /// The workspace written into.
    dir: PathBuf,
    stage: Stage,
    /// Numbers each job, so an answer to one the user moved on from is dropped.
    seq: u64,
    /// The preview's height at the last draw, for paging and the end of the scroll.
    rows: std::cell::Cell<usize>,
    /// Its width at the last draw, which long notes are wrapped to.
    width: std::cell::Cell<u16>,
}

/// What a key or a job's answer did to the dialog.
#[derive(Debug)]
pub enum Outcome {
    Open,
    Close,
    /// The import was written: the dialog is done.
    Written(Box<Written>),
}

impl ImportDialog {
    /// A dialog that writes into the workspace `dir`.
    pub fn new(dir: PathBuf) -> Self {
        Self {
            input: TextInput::default(),
            kind: None,
            dir,
            stage: Stage::Prompt { error: None },
            seq: 0,
            rows: std::cell::Cell::new(1),
            width: std::cell::Cell::new(80),
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Stage::Prompt { .. } = self.stage {
            self.input.insert_str(text.trim());
        }
    }

    pub fn handle_key(&mut self, key: &KeyEvent, effects: &mut Vec<Effect>) -> Outcome {
        match &mut self.stage {
            Stage::Prompt { error } => match key.code {
                KeyCode::Tab | KeyCode::BackTab => {
                    self.kind = next_kind(self.kind, key.code == KeyCode::BackTab);
                }
                _ => match self.input.handle_key(key) {
                    InputOutcome::Cancel => return Outcome::Close,
                    InputOutcome::Changed => *error = None,
                    InputOutcome::Submit => {
                        let source = self.input.text().trim().to_string();
                        if source.is_empty() {
                            *error = Some("Type the path of the file to import first".into());
                            return Outcome::Open;
                        }
                        self.seq += 1;
                        self.stage = Stage::Reading;
                        effects.push(Effect::start(ImportJob::Plan {
                            seq: self.seq,
                            source,
                            kind: self.kind,
                            dir: self.dir.clone(),
                        }));
                    }
                },
            },
            Stage::Reading => {
                if key.code == KeyCode::Esc {
                    return Outcome::Close;
                }
            }
            Stage::Preview { planned, scroll } => {
                let rows = self.rows.get().max(1);
                let last = view::preview_len(planned, self.width.get()).saturating_sub(rows);
                let page = rows.saturating_sub(1).max(1);
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    KeyCode::Esc => return Outcome::Close,
                    KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => *scroll = (*scroll + 1).min(last),
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(page),
                    KeyCode::Char('u') if ctrl => *scroll = scroll.saturating_sub(page),
                    KeyCode::PageDown => *scroll = (*scroll + page).min(last),
                    KeyCode::Char('d') if ctrl => *scroll = (*scroll + page).min(last),
                    KeyCode::Home | KeyCode::Char('g') => *scroll = 0,
                    KeyCode::End | KeyCode::Char('G') => *scroll = last,
                    KeyCode::Backspace => self.stage = Stage::Prompt { error: None },
                    KeyCode::Enter => {
                        let Stage::Preview { planned, .. } =
                            std::mem::replace(&mut self.stage, Stage::Writing)
                        else {
                            unreachable!("matched above")
                        };
                        self.seq += 1;
                        effects.push(Effect::start(ImportJob::Write {
                            seq: self.seq,
                            source: planned.source,
                            imported: Box::new(planned.imported),
                            dir: planned.dir,
                        }));
                    }
                    _ => {}
                }
            }
            // A write is not stopped half way: its files are written one by one, each whole.
            Stage::Writing => {}
        }
        Outcome::Open
    }

    /// A mouse wheel notch over the preview.
    pub fn scroll(&mut self, down: bool, effects: &mut Vec<Effect>) {
        let code = if down { KeyCode::Down } else { KeyCode::Up };
        if let Stage::Preview { .. } = self.stage {
            self.handle_key(&KeyEvent::new(code, KeyModifiers::NONE), effects);
        }
    }

    /// A job's answer.
    pub fn update(&mut self, msg: Msg) -> Outcome {
        match msg {
            Msg::Planned { seq, result } if seq == self.seq => {
                if let Stage::Reading = self.stage {
                    self.stage = match result {
                        Ok(planned) => Stage::Preview { planned, scroll: 0 },
                        Err(e) => Stage::Prompt {
                            error: Some(read_error(&e)),
                        },
                    };
                }
                Outcome::Open
            }
            Msg::Written { seq, result } if seq == self.seq => match result {
                Ok(written) => Outcome::Written(written),
                Err(e) => {
                    self.stage = Stage::Prompt {
                        // Each file is written whole or not at all, so what stands is usable.
                        error: Some(format!("Writing stopped: {e}")),
                    };
                    Outcome::Open
                }
            },
            _ => Outcome::Open,
        }
    }
}

/// Why a read failed, in one sentence. The loopback guard's and the remote-reference rule's
/// own words name the CLI's flags: here they say the workbench keeps to the CLI's defaults
/// and which command goes further.
fn read_error(e: &TaskError<TaskFailure>) -> String {
    let spec = match e {
        TaskError::Failed(failure) => match failure.downcast_ref::<ImportError>() {
            Some(ImportError::Spec(spec)) => Some(spec),
            _ => None,
        },
        TaskError::Cancelled => None,
    };
    match spec {
        Some(SpecError::RemoteHost { url }) => format!(
            "{url} is not on this machine, and the workbench fetches descriptions only from \
             here: apiward import openapi --allow-remote fetches it"
        ),
        Some(SpecError::RemoteRef { location, url }) => format!(
            "{location} refers to {url}, another host, which the workbench does not fetch: \
             apiward import openapi --allow-remote-refs follows it"
        ),
        _ => e.to_string(),
    }
}

/// Tab's next choice: told from the contents, then each kind in turn.
fn next_kind(kind: Option<Kind>, back: bool) -> Option<Kind> {
    let mut choices: Vec<Option<Kind>> = vec![None];
    choices.extend(Kind::ALL.map(Some));
    let at = choices.iter().position(|k| *k == kind).unwrap_or(0);
    let n = choices.len();
    choices[if back { (at + n - 1) % n } else { (at + 1) % n }]
}

/// The status line after a write.
pub fn written_message(written: &Written) -> String {
    let c = &written.changes;
    let mut parts = vec![format!("{} added", c.added.len())];
    for (n, label) in [
        (c.changed.len(), "updated"),
        (c.removed.len(), "removed"),
        (c.kept.len(), "kept as you edited them"),
        (c.unchanged.len(), "unchanged"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    let secrets = c.secrets_added.len() + written.secrets.len();
    if secrets > 0 {
        parts.push(format!(
            "{secrets} secret(s) in {}",
            crate::http::workspace::PRIVATE_ENV_FILE
        ));
    }
    format!(
        "Imported {} from {} into {}: {}",
        plural(written.requests, "request"),
        written.source,
        written.dir.display(),
        parts.join(", ")
    )
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_cycles_through_the_kinds_and_back_to_telling_by_contents() {
        let mut kind = None;
        let mut seen = Vec::new();
        for _ in 0..5 {
            kind = next_kind(kind, false);
            seen.push(kind);
        }
        assert_eq!(seen[..4], Kind::ALL.map(Some));
        assert_eq!(seen[4], None);
        assert_eq!(next_kind(None, true), Some(Kind::Insomnia));
    }

    #[test]
    fn notes_wrap_between_words() {
        assert_eq!(
            view::wrap("one two three four", 9),
            ["one two", "three", "four"]
        );
        assert_eq!(
            view::wrap("unbreakable-word x", 4),
            ["unbreakable-word", "x"]
        );
    }

    #[test]
    fn an_empty_prompt_asks_for_a_file_and_starts_nothing() {
        let mut dialog = ImportDialog::new("ws".into());
        let mut effects = Vec::new();
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert!(matches!(
            dialog.handle_key(&enter, &mut effects),
            Outcome::Open
        ));
        assert!(effects.is_empty());
        assert!(matches!(&dialog.stage, Stage::Prompt { error: Some(e) } if e.contains("path")));
    }
}
