//! The real event loop, driven by a scripted key stream on a test screen with the practice
//! lab running in-process: send the sample login, open its token, crack it, forge variants,
//! probe the lab, audit the lab, create a keyring, then quit with a task still running.
//! Every step waits for the screen to show its result (with a bound that only catches a
//! step that never finishes).

use std::io;
use std::time::Duration;

use apiward::tasks::{TaskEnd, TaskEvent, TaskRunner};
use apiward::tui::app::{App, Msg};
use apiward::tui::keymap::Keymap;
use apiward::tui::lab::LabPlan;
use apiward::tui::run::event_loop;
use apiward::tui::testing::TestScreen;
use apiward::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tokio::sync::mpsc;

/// The keys a user types, and the screens they see (every frame, none missed). Other tests of
/// the real loop drive it through this too.
pub struct User {
    pub keys: mpsc::UnboundedSender<io::Result<Msg>>,
    pub frames: mpsc::UnboundedReceiver<String>,
    pub last: String,
}

impl User {
    pub fn key(&self, code: KeyCode) {
        self.chord(code, KeyModifiers::NONE);
    }

    pub fn chord(&self, code: KeyCode, modifiers: KeyModifiers) {
        let key = KeyEvent::new(code, modifiers);
        self.keys
            .send(Ok(Msg::Key(key)))
            .expect("the loop is running");
    }

    pub fn type_text(&self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    /// Waits until a frame shows `needle` (the last one seen, or a later one), and returns
    /// that frame.
    pub async fn sees(&mut self, needle: &str) -> String {
        if self.last.contains(needle) {
            return self.last.clone();
        }
        let wait = async {
            while let Some(frame) = self.frames.recv().await {
                self.last = frame;
                if self.last.contains(needle) {
                    return true;
                }
            }
            false
        };
        match tokio::time::timeout(Duration::from_secs(60), wait).await {
            Ok(true) => self.last.clone(),
            _ => panic!(
                "the screen never showed {needle:?}; it shows:\n{}",
                self.last
            ),
        }
    }
}

/// The lab's address, from the status line that says it is running.
fn lab_url(screen: &str) -> String {
    let at = screen.find("Practice lab running at ").expect("lab line") + 24;
    screen[at..]
        .split_whitespace()
        .next()
        .expect("an address")
        .trim_end_matches('│')
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scripted_session_drives_the_real_loop_through_every_tab() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample");
    let lab_dir = dir.path().join("lab");
    let keys_ws = dir.path().join("keys");
    std::fs::create_dir_all(&keys_ws).unwrap();

    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    app.set_workspace(Some(keys_ws.clone()));
    let course = apiward::learn::Course::new(&sample, &lab_dir);
    app.set_learning(course, true, true);
    let plan = LabPlan {
        dir: lab_dir,
        sample,
    };

    let (mut screen, frames) = TestScreen::new(160, 48);
    let (keys, keys_rx) = mpsc::unbounded_channel();
    let input = futures_util::stream::unfold(keys_rx, |mut rx| async move {
        rx.recv().await.map(|msg| (msg, rx))
    });
    let input = Box::pin(input);
    let (runner, mut task_rx) = TaskRunner::new(4);
    let runner_for_loop = runner.clone();
    let looping = tokio::spawn(async move {
        let result = event_loop(
            &mut screen,
            &mut app,
            &runner_for_loop,
            &mut task_rx,
            input,
            Some(plan),
        )
        .await;
        (result, app, task_rx, screen)
    });
    let mut user = User {
        keys,
        frames,
        last: String::new(),
    };

    // The lab starts and the sample workspace fills the Request tab.
    let screen = user.sees("Practice lab running at").await;
    let lab = lab_url(&screen);

    // Send the sample login: the list, its first request, ctrl-s.
    user.key(KeyCode::Left);
    let list = user.sees("jwt-weak-secret-login").await;
    let names: Vec<&str> = list
        .lines()
        .skip_while(|l| !l.contains("Saved"))
        .skip(1)
        .take_while(|l| !l.contains("History"))
        // The focused list has a thick border.
        .map(|l| l.split(['│', '┃']).nth(1).unwrap_or_default().trim())
        .collect();
    let login = names
        .iter()
        .position(|n| n.split_whitespace().last() == Some("jwt-weak-secret-login"))
        .expect("the sample has a login request");
    user.key(KeyCode::Char('g'));
    (0..login).for_each(|_| user.key(KeyCode::Down));
    user.key(KeyCode::Enter);
    user.chord(KeyCode::Char('s'), KeyModifiers::CONTROL);
    user.sees("200 OK").await;

    // Its token in the JWT tab; crack the weak secret with the built-in list.
    user.key(KeyCode::Char('J'));
    user.sees("CRITICAL weak-secret").await;
    user.key(KeyCode::Char('c'));
    user.key(KeyCode::Enter);
    user.sees("secret found").await;

    // Forge the variants; the menu opens when the job returns.
    user.key(KeyCode::Char('f'));
    user.sees("Forge · for authorised testing only").await;
    user.key(KeyCode::Esc);

    // Probe the lab's weak-secret route with the cracked secret: the form opens empty, and
    // ctrl-r brings the cracked secret in.
    user.key(KeyCode::Char('P'));
    user.chord(KeyCode::Char('r'), KeyModifiers::CONTROL);
    user.type_text(&format!("{lab}/jwt/weak-secret/me"));
    user.key(KeyCode::Enter);
    user.sees("ACCEPTED").await;
    user.key(KeyCode::Esc);

    // Copy the token: the system clipboard, or the OSC 52 sequence when there is none.
    user.key(KeyCode::Char('y'));
    let copied = user.sees("Copied ").await;
    let by_osc52 = copied.contains("via OSC 52");

    // Audit the lab.
    user.key(KeyCode::Char('3'));
    user.key(KeyCode::Char('e'));
    user.type_text(&lab);
    user.key(KeyCode::Enter);
    user.sees("┌ Grade").await;

    // Create a keyring.
    user.key(KeyCode::Char('4'));
    user.key(KeyCode::Char('n'));
    user.type_text("a long test passphrase");
    user.key(KeyCode::Enter);
    user.type_text("a long test passphrase");
    user.key(KeyCode::Enter);
    user.sees("No keys yet: g generates one").await;
    let ring = apiward::keys::keyring_path(&keys_ws);
    assert!(
        ring.exists(),
        "the keyring was written at {}",
        ring.display()
    );

    // Quit while an audit of a server that never answers is running.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_url = format!("http://{}/", silent.local_addr().unwrap());
    user.key(KeyCode::Char('3'));
    user.key(KeyCode::Char('e'));
    user.chord(KeyCode::Char('u'), KeyModifiers::CONTROL);
    user.type_text(&silent_url);
    user.key(KeyCode::Enter);
    user.sees(&format!("audit {silent_url}")).await;
    user.key(KeyCode::Char('q'));
    let (result, app, mut task_rx, screen) = tokio::time::timeout(Duration::from_secs(30), looping)
        .await
        .expect("q ends the loop while a task runs")
        .unwrap();
    result.expect("the loop ended cleanly");
    let raw = String::from_utf8_lossy(&screen.raw);
    assert_eq!(
        raw.starts_with("\x1b]52;c;"),
        by_osc52,
        "the OSC 52 sequence is written when, and only when, the status says so: {raw:?}"
    );
    assert!(app.should_quit());
    assert!(app.has_running_tasks(), "the audit was still running at q");
    // As `run` does after the loop: running work is cancelled, and it ends as cancelled.
    runner.cancel_all();
    let cancelled = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(event) = task_rx.recv().await {
            if let TaskEvent::Ended {
                end: TaskEnd::Cancelled,
                ..
            } = event
            {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(cancelled, "the running audit was cancelled");
    drop(silent);
}
