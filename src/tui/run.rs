//! The event loop: a `select!` over terminal input, task events, internal messages and
//! signals (TERM, INT, HUP and QUIT all quit and restore the terminal). It draws only after
//! something changed, and when idle it sleeps in the kernel: no tick wakes it unless a
//! running task's elapsed time is on screen.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream};
use futures_util::stream::{self, BoxStream, PollNext};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use super::app::{App, Msg};
use super::clipboard::{CopyPath, SystemClipboard, osc52_sequence};
use super::lab::LabPlan;
use super::panes::Effect;
use super::terminal::TerminalGuard;
use crate::tasks::{DEFAULT_CONCURRENCY, TaskEvent, TaskRunner};

/// How often elapsed times refresh while a task runs. Nothing ticks when none does.
const RUNNING_TICK: Duration = Duration::from_secs(1);

/// Where the loop draws: the real terminal, or a test's.
pub trait Screen {
    type Backend: Backend;

    fn terminal(&mut self) -> &mut Terminal<Self::Backend>;

    /// Writes bytes past ratatui, for the OSC 52 clipboard sequence.
    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()>;

    /// A frame was drawn (a test reads it here).
    fn drawn(&mut self) {}
}

impl Screen for TerminalGuard {
    type Backend = ratatui::backend::CrosstermBackend<io::Stdout>;

    fn terminal(&mut self) -> &mut Terminal<Self::Backend> {
        &mut self.terminal
    }

    fn write_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        TerminalGuard::write_raw(self, bytes)
    }
}

/// Runs the workbench until the user quits or a signal arrives, with the practice lab beside
/// it when `lab` is given.
pub async fn run(mut app: App, lab: Option<LabPlan>) -> anyhow::Result<()> {
    let (runner, mut task_rx) = TaskRunner::new(DEFAULT_CONCURRENCY);
    let mut guard = TerminalGuard::enter()?;
    let input = terminal_input()?;
    let result = event_loop(&mut guard, &mut app, &runner, &mut task_rx, input, lab).await;
    runner.cancel_all();
    drop(guard);
    result
}

/// The terminal's keys, mouse, pastes and resizes, with TERM, INT, HUP and QUIT as
/// [`Msg::Quit`] taking precedence. SIGQUIT's default action dumps core and leaves the
/// terminal raw on the alternate screen; caught, it quits like SIGTERM and the guard
/// restores the terminal.
pub fn terminal_input() -> io::Result<BoxStream<'static, io::Result<Msg>>> {
    let mut signals = Vec::new();
    for kind in [
        SignalKind::terminate(),
        SignalKind::interrupt(),
        SignalKind::hangup(),
        SignalKind::quit(),
    ] {
        let stream = stream::unfold(signal(kind)?, |mut s| async move {
            s.recv().await.map(|()| (Ok(Msg::Quit), s))
        });
        signals.push(stream.boxed());
    }
    let events = EventStream::new().filter_map(|event| async move {
        match event {
            Ok(event) => to_msg(event).map(Ok),
            Err(e) => Some(Err(e)),
        }
    });
    let prefer_signals = |_: &mut ()| PollNext::Left;
    Ok(stream::select_with_strategy(stream::select_all(signals), events, prefer_signals).boxed())
}

/// The loop: a `select!` over input, the loop's own messages and task events. It drains
/// queued task events, then draws once; while idle it sleeps in the kernel. It ends when the
/// app quits or the input ends.
pub async fn event_loop<S: Screen>(
    screen: &mut S,
    app: &mut App,
    runner: &TaskRunner,
    task_rx: &mut mpsc::UnboundedReceiver<TaskEvent>,
    mut input: impl Stream<Item = io::Result<Msg>> + Unpin,
    lab: Option<LabPlan>,
) -> anyhow::Result<()> {
    let (msg_tx, mut msg_rx) = mpsc::unbounded_channel::<Internal>();
    let clipboard = SystemClipboard::default();
    let mut tick = tokio::time::interval(RUNNING_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    app.set_now(Instant::now());
    app.set_unix_now(unix_now());
    draw(screen, app)?;
    if let Some(plan) = lab {
        // After the first frame: the lab's keys take a moment to make.
        let tx = msg_tx.clone();
        tokio::spawn(super::lab::run(plan, move |msg| {
            let _ = tx.send(Internal::App(msg));
        }));
    }
    loop {
        let ticking = app.has_running_tasks();
        let msg = tokio::select! {
            biased;
            event = input.next() => match event {
                Some(Ok(msg)) => msg,
                Some(Err(err)) => return Err(err.into()),
                None => return Ok(()),
            },
            Some(internal) = msg_rx.recv() => match internal {
                Internal::App(msg) => msg,
                Internal::Osc52 { sequence, chars } => {
                    let copied = screen.write_raw(sequence.as_bytes()).map_err(|e| e.to_string());
                    Msg::Copied(copied.map(|()| (chars, CopyPath::Osc52)))
                }
            },
            Some(event) = task_rx.recv() => Msg::Task(event),
            _ = tick.tick(), if ticking => Msg::Resize,
        };
        app.set_now(Instant::now());
        app.set_unix_now(unix_now());
        app.update(msg);
        // Take everything already queued before drawing once.
        while let Ok(event) = task_rx.try_recv() {
            app.update(Msg::Task(event));
        }
        for effect in app.take_effects() {
            carry_out(effect, runner, &clipboard, &msg_tx);
        }
        if app.should_quit() {
            return Ok(());
        }
        draw(screen, app)?;
    }
}

fn draw<S: Screen>(screen: &mut S, app: &App) -> anyhow::Result<()> {
    screen
        .terminal()
        .draw(|f| app.render(f))
        .map_err(|e| anyhow::anyhow!("cannot draw: {e}"))?;
    screen.drawn();
    Ok(())
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(..) => Some(Msg::Resize),
        Event::FocusGained | Event::FocusLost => None,
    }
}

/// What background helpers of the loop send back to it.
enum Internal {
    App(Msg),
    /// The system clipboard failed: write this OSC 52 sequence to the terminal instead.
    Osc52 {
        sequence: String,
        chars: usize,
    },
}

fn carry_out(
    effect: Effect,
    runner: &TaskRunner,
    clipboard: &SystemClipboard,
    msg_tx: &mpsc::UnboundedSender<Internal>,
) {
    match effect {
        Effect::CancelTask(id) => {
            runner.cancel(id);
        }
        // The app carries these out itself before the loop sees its effects.
        Effect::Status(_)
        | Effect::InspectToken(_)
        | Effect::AuditUrl(_)
        | Effect::UseBearer(_)
        | Effect::NoteLabFindings(_)
        | Effect::ShowTour
        | Effect::ClearTasks => {}
        Effect::Start(job) => {
            let emit_tx = msg_tx.clone();
            let emit: super::jobs::Emit = std::sync::Arc::new(move |msg| {
                let _ = emit_tx.send(Internal::App(msg));
            });
            let result = job.start(runner, emit);
            let tx = msg_tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(Internal::App(result.await));
            });
        }
        Effect::ReadClipboard => {
            let clipboard = clipboard.clone();
            let tx = msg_tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(Internal::App(Msg::ClipboardText(clipboard.paste().await)));
            });
        }
        Effect::Copy(text) => {
            let chars = text.chars().count();
            let clipboard = clipboard.clone();
            let tx = msg_tx.clone();
            tokio::spawn(async move {
                let sequence = osc52_sequence(&text);
                let reply = match clipboard.copy(text).await {
                    Ok(()) => Internal::App(Msg::Copied(Ok((chars, CopyPath::System)))),
                    Err(err) => {
                        tracing::info!("system clipboard unavailable ({err}); using OSC 52");
                        Internal::Osc52 { sequence, chars }
                    }
                };
                let _ = tx.send(reply);
            });
        }
    }
}
