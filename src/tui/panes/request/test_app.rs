//! Driving the whole app on a TestBackend, as the Request tab's tests do: keys in, jobs run
//! on a real task runner as the event loop would run them, the screen out as text.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::tasks::TaskRunner;
use crate::tui::app::{App, Msg};
use crate::tui::panes::Effect;

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
/// are dropped.
pub fn run_jobs(app: &mut App) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
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

pub fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| app.render(f)).unwrap();
    terminal.backend().buffer().clone()
}

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
            let symbols: Vec<&str> = row.iter().map(|c| c.symbol()).collect();
            let line = symbols.concat();
            let byte = line.find(needle)?;
            // Columns count cells, not bytes.
            let x = line[..byte].chars().count();
            Some((x as u16, y as u16))
        })
}
