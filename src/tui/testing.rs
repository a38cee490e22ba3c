//! The one harness the TUI's tests drive the app with, in the library so unit and
//! integration tests share it: keys in, the queued jobs run on a real task runner as the
//! event loop runs them, and the screen out as text. [`TestScreen`] lets a test run the real
//! loop (`run::event_loop`) and read every frame it draws.

use std::io;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;

use super::app::{App, Msg};
use super::keymap::Keymap;
use super::panes::Effect;
use super::run::Screen;
use super::theme::Theme;
use crate::tasks::TaskRunner;

/// An app with the default theme and keys.
pub fn app() -> App {
    App::new(Theme::builtin_default(), Keymap::default())
}

pub fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

pub fn ctrl(app: &mut App, c: char) {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

pub fn type_text(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c)));
}

/// Carries out the queued jobs as the event loop does, until none are left; other effects
/// are dropped, and so are the messages a job sends before its end.
pub fn run_jobs(app: &mut App) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test runtime");
    rt.block_on(async {
        let (runner, _events) = TaskRunner::new(2);
        loop {
            let jobs: Vec<_> = app
                .take_effects()
                .into_iter()
                .filter_map(|e| match e {
                    Effect::Start(job) => Some(job),
                    _ => None,
                })
                .collect();
            if jobs.is_empty() {
                break;
            }
            for job in jobs {
                let msg = job.start(&runner, Arc::new(|_| {})).await;
                app.update(msg);
            }
        }
    });
}

/// The app drawn at 120x40.
pub fn draw(app: &App) -> Buffer {
    draw_at(app, 120, 40)
}

pub fn draw_at(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal.draw(|f| app.render(f)).expect("drawn");
    terminal.backend().buffer().clone()
}

/// The app drawn at `width` x `height`, as the test backend prints it (each row quoted),
/// which is what the snapshots hold.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal.draw(|f| app.render(f)).expect("drawn");
    format!("{}", terminal.backend())
}

/// A buffer as lines of text.
pub fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    buffer
        .content
        .chunks(width)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

/// Where `needle` first shows on screen, as (column, row).
pub fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let width = buffer.area.width as usize;
    buffer
        .content
        .chunks(width)
        .enumerate()
        .find_map(|(y, row)| {
            let line: String = row.iter().map(|c| c.symbol()).collect();
            let byte = line.find(needle)?;
            // Columns count cells, not bytes.
            let x = line[..byte].chars().count();
            Some((x as u16, y as u16))
        })
}

/// A screen for the real event loop: each frame's text goes out on a channel, and the bytes
/// written past ratatui (the OSC 52 clipboard sequence) are kept.
pub struct TestScreen {
    terminal: Terminal<TestBackend>,
    pub raw: Vec<u8>,
    frames: mpsc::UnboundedSender<String>,
}

impl TestScreen {
    /// A screen of `width` x `height`, and the receiver of its frames.
    pub fn new(width: u16, height: u16) -> (Self, mpsc::UnboundedReceiver<String>) {
        let (frames, rx) = mpsc::unbounded_channel();
        let terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
        let screen = Self {
            terminal,
            raw: Vec::new(),
            frames,
        };
        (screen, rx)
    }
}

impl Screen for TestScreen {
    type Backend = TestBackend;

    fn terminal(&mut self) -> &mut Terminal<TestBackend> {
        &mut self.terminal
    }

    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.raw.extend_from_slice(bytes);
        Ok(())
    }

    fn drawn(&mut self) {
        let _ = self.frames.send(text(self.terminal.backend().buffer()));
    }
}
