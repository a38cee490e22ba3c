//! Entering and leaving the terminal's TUI mode, so that it is restored on every way out:
//! a normal quit, an error, a panic on the UI thread, or a signal.

use std::io::{self, Stdout, Write};
use std::sync::OnceLock;
use std::thread::ThreadId;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Owns TUI mode: restores the terminal when dropped, including while unwinding.
pub struct TerminalGuard {
    pub terminal: Term,
}

impl TerminalGuard {
    /// Switches to raw mode and the alternate screen, with mouse and bracketed paste.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(err) = execute!(
            stdout,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(err);
        }
        match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => Ok(Self { terminal }),
            Err(err) => {
                restore();
                Err(err)
            }
        }
    }

    /// Writes raw bytes to the terminal (an OSC 52 copy) between frames.
    pub fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let backend = self.terminal.backend_mut();
        backend.write_all(bytes)?;
        backend.flush()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves TUI mode. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// On the UI thread a panic restores the terminal before the message is printed, so the
/// message is readable and the shell usable. On other threads (tasks, whose panics the runner
/// turns into failed tasks) the message goes to the log instead of over the TUI's screen.
fn install_panic_hook() {
    if UI_THREAD.set(std::thread::current().id()).is_err() {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if Some(&std::thread::current().id()) == UI_THREAD.get() {
            restore();
            previous(info);
        } else {
            tracing::error!("panic on a worker thread: {info}");
        }
    }));
}
