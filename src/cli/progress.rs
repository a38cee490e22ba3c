//! Task progress on stderr for the CLI: an indicatif bar per task when stderr is a terminal,
//! and nothing at all when it is not (pipes, CI logs).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::tasks::{Progress, TaskEnd, TaskEvent};

/// Draws the runner's events until the channel closes. Returns at once when `enabled` is
/// false, after draining nothing: the events are simply dropped with the receiver.
pub fn spawn(mut rx: mpsc::UnboundedReceiver<TaskEvent>, enabled: bool) -> JoinHandle<()> {
    tokio::spawn(async move {
        if !enabled {
            while rx.recv().await.is_some() {}
            return;
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let mut bars: HashMap<_, ProgressBar> = HashMap::new();
        while let Some(event) = rx.recv().await {
            match event {
                TaskEvent::Started { id, kind, title } => {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(spinner_style());
                    bar.set_prefix(kind.label());
                    bar.set_message(title);
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bars.insert(id, bar);
                }
                TaskEvent::Progress { id, progress } => {
                    if let Some(bar) = bars.get(&id) {
                        show(bar, progress);
                    }
                }
                TaskEvent::Log { id, line } => {
                    if let Some(bar) = bars.get(&id) {
                        bar.println(line);
                    }
                }
                TaskEvent::Ended { id, end } => {
                    if let Some(bar) = bars.remove(&id) {
                        match end {
                            TaskEnd::Done => bar.finish_and_clear(),
                            TaskEnd::Failed(_) | TaskEnd::Cancelled => bar.abandon(),
                        }
                    }
                }
            }
        }
    })
}

/// Whether progress should be drawn: stderr is a terminal.
pub fn wanted() -> bool {
    std::io::stderr().is_terminal()
}

fn show(bar: &ProgressBar, progress: Progress) {
    match progress {
        Progress::Indeterminate => {}
        Progress::Fraction(f) => {
            bar.set_style(bar_style("{percent}%"));
            bar.set_length(1000);
            bar.set_position((f.clamp(0.0, 1.0) * 1000.0) as u64);
        }
        Progress::Count {
            done,
            total: Some(total),
        } => {
            bar.set_style(bar_style("{human_pos}/{human_len} {per_sec} eta {eta}"));
            bar.set_length(total);
            bar.set_position(done);
        }
        Progress::Count { done, total: None } => {
            bar.set_style(spinner_style_counting());
            bar.set_position(done);
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix} {msg} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn spinner_style_counting() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {prefix} {msg} {human_pos} {per_sec} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style(tail: &str) -> ProgressStyle {
    ProgressStyle::with_template(&format!("{{prefix}} {{msg}} [{{bar:30}}] {tail}"))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}
