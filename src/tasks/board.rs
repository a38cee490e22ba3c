//! The task board: a front-end-neutral picture of every task, built by applying events.
//!
//! The TUI's Tasks tab and status bar and the CLI's progress bars all read from it, so the
//! rate and ETA arithmetic lives in one place.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{Progress, TaskEnd, TaskEvent, TaskId, TaskKind};

/// Log lines kept per task; older ones are dropped.
const LOG_LINES: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskState {
    Running,
    Done,
    Failed(String),
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct TaskView {
    pub id: TaskId,
    pub kind: TaskKind,
    pub title: String,
    pub progress: Progress,
    pub state: TaskState,
    pub logs: VecDeque<String>,
    pub started: Instant,
    pub ended: Option<Instant>,
}

impl TaskView {
    pub fn elapsed(&self, now: Instant) -> Duration {
        self.ended
            .unwrap_or(now)
            .saturating_duration_since(self.started)
    }

    /// Units per second over the task's life, for counted progress.
    pub fn rate(&self, now: Instant) -> Option<f64> {
        let Progress::Count { done, .. } = self.progress else {
            return None;
        };
        let secs = self.elapsed(now).as_secs_f64();
        (secs > 0.0).then(|| done as f64 / secs)
    }

    /// Time left at the current rate, when a total is known.
    pub fn eta(&self, now: Instant) -> Option<Duration> {
        let Progress::Count {
            done,
            total: Some(total),
        } = self.progress
        else {
            return None;
        };
        let rate = self.rate(now).filter(|r| *r > 0.0)?;
        Some(Duration::from_secs_f64(
            total.saturating_sub(done) as f64 / rate,
        ))
    }

    pub fn is_running(&self) -> bool {
        self.state == TaskState::Running
    }
}

/// Every task seen, oldest first.
#[derive(Debug, Default, Clone)]
pub struct TaskBoard {
    tasks: Vec<TaskView>,
}

impl TaskBoard {
    pub fn apply(&mut self, event: &TaskEvent, now: Instant) {
        match event {
            TaskEvent::Started { id, kind, title } => self.tasks.push(TaskView {
                id: *id,
                kind: *kind,
                title: title.clone(),
                progress: Progress::Indeterminate,
                state: TaskState::Running,
                logs: VecDeque::new(),
                started: now,
                ended: None,
            }),
            TaskEvent::Progress { id, progress } => {
                if let Some(task) = self.get_mut(*id) {
                    task.progress = *progress;
                }
            }
            TaskEvent::Log { id, line } => {
                if let Some(task) = self.get_mut(*id) {
                    if task.logs.len() == LOG_LINES {
                        task.logs.pop_front();
                    }
                    task.logs.push_back(line.clone());
                }
            }
            TaskEvent::Ended { id, end } => {
                if let Some(task) = self.get_mut(*id) {
                    task.ended = Some(now);
                    task.state = match end {
                        TaskEnd::Done => TaskState::Done,
                        TaskEnd::Failed(msg) => TaskState::Failed(msg.clone()),
                        TaskEnd::Cancelled => TaskState::Cancelled,
                    };
                }
            }
        }
    }

    /// Forgets the tasks that have ended; running ones stay. Returns how many went.
    pub fn clear_finished(&mut self) -> usize {
        let before = self.tasks.len();
        self.tasks.retain(TaskView::is_running);
        before - self.tasks.len()
    }

    pub fn tasks(&self) -> &[TaskView] {
        &self.tasks
    }

    pub fn get(&self, id: TaskId) -> Option<&TaskView> {
        self.tasks.iter().find(|t| t.id == id)
    }

    fn get_mut(&mut self, id: TaskId) -> Option<&mut TaskView> {
        self.tasks.iter_mut().find(|t| t.id == id)
    }

    pub fn running(&self) -> impl Iterator<Item = &TaskView> {
        self.tasks.iter().filter(|t| t.is_running())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn board_follows_a_task_and_derives_rate_and_eta() {
        let t0 = Instant::now();
        let id = TaskId(7);
        let mut board = TaskBoard::default();
        board.apply(
            &TaskEvent::Started {
                id,
                kind: TaskKind::Crack,
                title: "crack".into(),
            },
            t0,
        );
        board.apply(
            &TaskEvent::Progress {
                id,
                progress: Progress::Count {
                    done: 500,
                    total: Some(1500),
                },
            },
            t0,
        );
        let later = t0 + Duration::from_secs(2);
        let task = board.get(id).unwrap();
        assert_eq!(task.rate(later), Some(250.0));
        assert_eq!(task.eta(later), Some(Duration::from_secs(4)));
        assert_eq!(board.running().count(), 1);

        board.apply(
            &TaskEvent::Ended {
                id,
                end: TaskEnd::Failed("wordlist missing".into()),
            },
            later,
        );
        let task = board.get(id).unwrap();
        assert_eq!(task.state, TaskState::Failed("wordlist missing".into()));
        assert_eq!(
            task.elapsed(later + Duration::from_secs(9)),
            Duration::from_secs(2)
        );
        assert_eq!(board.running().count(), 0);
    }

    #[test]
    fn logs_are_capped() {
        let now = Instant::now();
        let id = TaskId(1);
        let mut board = TaskBoard::default();
        board.apply(
            &TaskEvent::Started {
                id,
                kind: TaskKind::Other,
                title: "t".into(),
            },
            now,
        );
        for i in 0..(LOG_LINES + 5) {
            board.apply(
                &TaskEvent::Log {
                    id,
                    line: i.to_string(),
                },
                now,
            );
        }
        let logs = &board.get(id).unwrap().logs;
        assert_eq!(logs.len(), LOG_LINES);
        assert_eq!(logs.front().map(String::as_str), Some("5"));
    }
}
