//! A workbench driven as a person drives it, for the scripted TUI tests: built as `apiward`
//! with no arguments builds it on a first run (fresh data folder, welcome screen, the practice
//! lab started beside it after the first frame), keys in through `App::update(Msg::Key)`,
//! every effect carried out as the event loop carries it out (jobs on a real task runner,
//! their messages, task events, the lab's messages), the screen read back from `App::render`.
//! Every key pressed is counted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use apiward::learn::Course;
use apiward::tasks::{DEFAULT_CONCURRENCY, TaskRunner};
use apiward::tui::app::{App, Msg};
use apiward::tui::lab::LabPlan;
use apiward::tui::panes::Effect;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

pub const WIDTH: u16 = 120;
pub const HEIGHT: u16 = 40;

/// How long a wait for the lab or a job may take before the test says what it saw.
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Workbench {
    pub app: App,
    /// The data folder: `lab/` (the lab root) and `sample/` (the sample workspace).
    _data: tempfile::TempDir,
    /// Keys pressed so far.
    pub keys: usize,
    rt: tokio::runtime::Runtime,
    runner: TaskRunner,
    tasks: mpsc::UnboundedReceiver<apiward::tasks::TaskEvent>,
    /// Messages from the lab and from jobs as they go (a batch's reports).
    tx: mpsc::UnboundedSender<Msg>,
    rx: mpsc::UnboundedReceiver<Msg>,
    /// Each job's final message.
    job_tx: mpsc::UnboundedSender<Msg>,
    jobs: mpsc::UnboundedReceiver<Msg>,
    /// Jobs started and not yet answered.
    running: usize,
    /// Every status line shown, in order (one may replace another before a frame is drawn).
    pub statuses: Vec<String>,
}

impl Workbench {
    /// The first run: a fresh data folder, the welcome screen up, the lab starting.
    pub fn first_run() -> Self {
        Self::start_in(tempfile::tempdir().unwrap())
    }

    /// A start in `data`, which may hold an earlier session's lab record and progress; the
    /// welcome screen opens only if it was never closed, as `apiward` decides.
    pub fn start_in(data: tempfile::TempDir) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (lab, sample) = (data.path().join("lab"), data.path().join("sample"));
        let course = Course::new(&sample, &lab);
        let seen = course.progress().is_ok_and(|p| p.tour_seen);
        let config = apiward::config::Config::default();
        let mut app = apiward::tui::build_app(&config, None).unwrap();
        app.set_learning(course, true, true);
        if !seen {
            app.show_welcome();
        }
        let (runner, tasks) = {
            let _guard = rt.enter();
            TaskRunner::new(DEFAULT_CONCURRENCY)
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let (job_tx, jobs) = mpsc::unbounded_channel();
        let bench = Self {
            app,
            _data: data,
            keys: 0,
            rt,
            runner,
            tasks,
            tx,
            rx,
            job_tx,
            jobs,
            running: 0,
            statuses: Vec::new(),
        };
        bench.screen();
        // After the first frame, as the event loop does.
        let send = bench.tx.clone();
        bench.rt.spawn(apiward::tui::lab::run(
            LabPlan { dir: lab, sample },
            move |msg| {
                let _ = send.send(msg);
            },
        ));
        bench
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal.draw(|f| self.app.render(f)).unwrap();
        let buffer = terminal.backend().buffer();
        (buffer.content.chunks(WIDTH as usize))
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect()
    }

    /// The rows drawn in a style no other row in columns `x0..x1` has: the highlighted line
    /// of a list, as the eye finds it. Each as (row, its text in those columns).
    pub fn highlighted(&self, x0: u16, x1: u16) -> Vec<(u16, String)> {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal.draw(|f| self.app.render(f)).unwrap();
        let buffer = terminal.backend().buffer();
        let style_of = |y: u16| {
            let c = &buffer[(x0 + 1, y)];
            (c.bg, c.modifier)
        };
        let styles: Vec<_> = (0..HEIGHT).map(style_of).collect();
        (0..HEIGHT)
            .filter(|&y| styles.iter().filter(|s| **s == styles[y as usize]).count() == 1)
            .map(|y| {
                let text = (x0..x1)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>();
                (y, text)
            })
            .collect()
    }

    /// Presses one key, as a person names it on screen, then lets what it started finish.
    pub fn press(&mut self, name: &str) {
        let key = key(name).unwrap_or_else(|| panic!("no key is called {name:?}"));
        self.keys += 1;
        self.update(Msg::Key(key));
        self.settle();
    }

    /// Carries out effects and delivers messages until no job is running and nothing is
    /// queued.
    pub fn settle(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.carry_out();
            let delivered = self.deliver(Duration::ZERO);
            if !delivered && self.running == 0 {
                return;
            }
            if !delivered {
                assert!(
                    Instant::now() < deadline,
                    "a job did not finish; screen:\n{}",
                    self.screen()
                );
                self.deliver(Duration::from_millis(50));
            }
        }
    }

    /// Delivers messages (the lab's included) until `done` holds of the app.
    pub fn wait_until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.settle();
            if done(&self.app) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {what}; status {:?}; screen:\n{}",
                self.app.status(),
                self.screen()
            );
            self.deliver(Duration::from_millis(100));
        }
    }

    /// Delivers messages until `text` is on screen (a person waiting for what they read).
    pub fn wait_for_screen(&mut self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.settle();
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?} on screen:\n{screen}"
            );
            self.deliver(Duration::from_millis(100));
        }
    }

    /// Hands the app every message queued, waiting up to `wait` for the first; whether any
    /// came.
    fn deliver(&mut self, wait: Duration) -> bool {
        let mut any = false;
        if !wait.is_zero() {
            let (rx, jobs, tasks) = (&mut self.rx, &mut self.jobs, &mut self.tasks);
            let first = self.rt.block_on(async {
                tokio::time::timeout(wait, async {
                    tokio::select! {
                        Some(m) = rx.recv() => (m, false),
                        Some(m) = jobs.recv() => (m, true),
                        Some(e) = tasks.recv() => (Msg::Task(e), false),
                    }
                })
                .await
                .ok()
            });
            if let Some((msg, job)) = first {
                self.running -= usize::from(job);
                self.update(msg);
                any = true;
            }
        }
        loop {
            let (msg, job) = if let Ok(m) = self.jobs.try_recv() {
                (m, true)
            } else if let Ok(e) = self.tasks.try_recv() {
                (Msg::Task(e), false)
            } else if let Ok(m) = self.rx.try_recv() {
                (m, false)
            } else {
                return any;
            };
            self.running -= usize::from(job);
            self.update(msg);
            any = true;
        }
    }

    /// One message to the app, noting the status line it leaves.
    fn update(&mut self, msg: Msg) {
        self.app.update(msg);
        if let Some(status) = self.app.status()
            && self.statuses.last().map(String::as_str) != Some(status)
        {
            self.statuses.push(status.to_string());
        }
    }

    /// Carries out the app's effects as the event loop does.
    fn carry_out(&mut self) {
        for effect in self.app.take_effects() {
            match effect {
                Effect::Start(job) => {
                    self.running += 1;
                    let emit_tx = self.tx.clone();
                    let emit: apiward::tui::jobs::Emit = Arc::new(move |msg| {
                        let _ = emit_tx.send(msg);
                    });
                    let done = {
                        let _guard = self.rt.enter();
                        job.start(&self.runner, emit)
                    };
                    let tx = self.job_tx.clone();
                    self.rt.spawn(async move {
                        let _ = tx.send(done.await);
                    });
                }
                Effect::CancelTask(id) => {
                    self.runner.cancel(id);
                }
                // The clipboard and the rest are the terminal's or the app's own business.
                _ => {}
            }
        }
    }
}

/// The key a person reads on screen: `Enter`, `Esc`, `Ctrl-S`, an arrow, a letter or digit.
pub fn key(name: &str) -> Option<KeyEvent> {
    let plain = |code| Some(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(c) = name
        .strip_prefix("Ctrl-")
        .filter(|c| c.chars().count() == 1)
    {
        let c = c.chars().next()?.to_ascii_lowercase();
        return Some(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    }
    match name {
        "Enter" => plain(KeyCode::Enter),
        "Esc" => plain(KeyCode::Esc),
        "Tab" => plain(KeyCode::Tab),
        "←" => plain(KeyCode::Left),
        "→" => plain(KeyCode::Right),
        "↑" => plain(KeyCode::Up),
        "↓" => plain(KeyCode::Down),
        one if one.chars().count() == 1 => plain(KeyCode::Char(one.chars().next()?)),
        _ => None,
    }
}
