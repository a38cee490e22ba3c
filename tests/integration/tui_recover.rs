//! Key recovery in the JWT tab, for real: the tab's recovery job on two ES256 tokens that
//! pyjwt signed finds the public key `cryptography` wrote; and the real event loop, with the
//! practice lab in-process, recovers the hidden-key route's RSA key from two of its tokens
//! and probes the route with it until the lab accepts the HS256 token keyed with it.

use std::io;
use std::process::Command as Process;
use std::sync::Arc;
use std::time::Duration;

use apiward::tasks::TaskRunner;
use apiward::tui::app::{App, Msg};
use apiward::tui::jobs::Job;
use apiward::tui::keymap::Keymap;
use apiward::tui::lab::LabPlan;
use apiward::tui::msg::PaneMsg;
use apiward::tui::panes::jwt::{self, JwtJob};
use apiward::tui::run::{Screen, event_loop};
use apiward::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

/// Two ES256 tokens signed by pyjwt with a key `cryptography` made, and that key's public
/// PEM; None (said on stderr) when python3, pyjwt or cryptography is missing.
fn pyjwt_es256() -> Option<(String, String, String)> {
    let script = r#"
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
print(jwt.encode({"sub": "alice"}, key, algorithm="ES256"))
print(jwt.encode({"sub": "bob"}, key, algorithm="ES256"))
print(key.public_key().public_bytes(serialization.Encoding.PEM,
      serialization.PublicFormat.SubjectPublicKeyInfo).decode(), end="")
"#;
    let out = Process::new("python3").args(["-c", script]).output();
    match out {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8(out.stdout).unwrap();
            let mut lines = text.splitn(3, '\n');
            let (a, b, pem) = (lines.next()?, lines.next()?, lines.next()?);
            Some((a.to_string(), b.to_string(), pem.to_string()))
        }
        Ok(out) => {
            eprintln!(
                "skipped: pyjwt and cryptography are the peer here and python3 could not use them: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            );
            None
        }
        Err(e) => {
            eprintln!("skipped: python3 (with pyjwt and cryptography) is the peer here: {e}");
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tabs_recovery_job_finds_the_key_pyjwt_signed_with() {
    let Some((first, second, public)) = pyjwt_es256() else {
        return;
    };
    let tokens = vec![
        apiward::jwt::decode(&first).unwrap(),
        apiward::jwt::decode(&second).unwrap(),
    ];
    let (runner, _events) = TaskRunner::new(2);
    let msg = Job::new(JwtJob::Recover { tokens })
        .start(&runner, Arc::new(|_| {}))
        .await;
    let Msg::Pane(PaneMsg::Jwt(jwt::msg::Msg::Recovered { tokens, result })) = msg else {
        panic!("not a recovery: {msg:?}")
    };
    assert_eq!(tokens, [first, second]);
    let candidates = result.expect("the recovery worked");
    // Two signatures leave one key, and it is the one cryptography wrote.
    assert_eq!(candidates.len(), 1);
    assert!(candidates[0].verifies);
    assert_eq!(candidates[0].spki_pem, public);
}

/// A test screen: each frame's text goes out on a channel.
struct TestScreen {
    terminal: Terminal<TestBackend>,
    frames: mpsc::UnboundedSender<String>,
}

impl Screen for TestScreen {
    type Backend = TestBackend;

    fn terminal(&mut self) -> &mut Terminal<TestBackend> {
        &mut self.terminal
    }

    fn write_raw(&mut self, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }

    fn drawn(&mut self) {
        let buffer = self.terminal.backend().buffer();
        let text: String = buffer
            .content
            .chunks(buffer.area.width as usize)
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect();
        let _ = self.frames.send(text);
    }
}

/// The keys and pastes a user sends, and the frames they see.
struct User {
    input: mpsc::UnboundedSender<io::Result<Msg>>,
    frames: mpsc::UnboundedReceiver<String>,
    last: String,
}

impl User {
    fn send(&self, msg: Msg) {
        self.input.send(Ok(msg)).expect("the loop is running");
    }

    fn key(&self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn type_text(&self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    /// The first frame (the last seen, or a later one) that shows `needle`. The bound only
    /// catches a step that never ends: an RSA-2048 recovery takes ~40 s on two cores.
    async fn sees(&mut self, needle: &str, bound: Duration) -> String {
        let wait = async {
            while !self.last.contains(needle) {
                match self.frames.recv().await {
                    Some(frame) => self.last = frame,
                    None => return false,
                }
            }
            true
        };
        match tokio::time::timeout(bound, wait).await {
            Ok(true) => self.last.clone(),
            _ => panic!(
                "the screen never showed {needle:?}; it shows:\n{}",
                self.last
            ),
        }
    }
}

async fn login(client: &reqwest::Client, lab: &str) -> String {
    let body = serde_json::json!({"username": "alice", "password": "alice-password"});
    let text = client
        .post(format!("{lab}/jwt/hidden-key/login"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    answer["token"].as_str().expect("a token").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recover_the_hidden_key_from_two_lab_tokens_and_probe_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let lab_dir = dir.path().join("lab");
    let mut app = App::new(Theme::builtin_default(), Keymap::default());
    app.set_workspace(Some(dir.path().join("ws")));
    let plan = LabPlan {
        dir: lab_dir.clone(),
        sample: dir.path().join("sample"),
    };
    let (frames_tx, frames) = mpsc::unbounded_channel();
    let mut screen = TestScreen {
        terminal: Terminal::new(TestBackend::new(160, 48)).unwrap(),
        frames: frames_tx,
    };
    let (input, input_rx) = mpsc::unbounded_channel();
    let input_stream = Box::pin(futures_util::stream::unfold(
        input_rx,
        |mut rx| async move { rx.recv().await.map(|msg| (msg, rx)) },
    ));
    let (runner, mut task_rx) = TaskRunner::new(4);
    let looping = tokio::spawn(async move {
        let result = event_loop(
            &mut screen,
            &mut app,
            &runner,
            &mut task_rx,
            input_stream,
            Some(plan),
        )
        .await;
        runner.cancel_all();
        result
    });
    let mut user = User {
        input,
        frames,
        last: String::new(),
    };
    let short = Duration::from_secs(60);

    let screen = user.sees("Practice lab running at ", short).await;
    let at = screen.find("Practice lab running at ").unwrap() + 24;
    let lab = screen[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('│')
        .to_string();
    let client = apiward::http::build_client(&apiward::http::ClientOptions {
        timeout: Duration::from_secs(20),
        insecure: false,
        ca_pem: None,
        follow_redirects: None,
    })
    .unwrap();
    let (first, second) = (login(&client, &lab).await, login(&client, &lab).await);
    assert_ne!(first, second, "each login's jti makes a new signature");

    // The first token in the JWT tab; r, the second pasted, enter recovers.
    user.key(KeyCode::Char('2'));
    user.send(Msg::Paste(first));
    user.sees("RS256", short).await;
    user.key(KeyCode::Char('r'));
    user.sees("Recover the key: a second token", short).await;
    user.send(Msg::Paste(second));
    user.key(KeyCode::Enter);
    user.sees("recovering the RSA key", short).await;
    let keys = user
        .sees("Recovered public keys", Duration::from_secs(600))
        .await;
    assert!(keys.contains("RSA 2048-bit, e = 65537"), "{keys}");
    assert!(keys.contains("✓ verifies both tokens"), "{keys}");

    // P from the list: the form carries the key; the probe reports the candidate accepted.
    user.key(KeyCode::Char('P'));
    user.sees("key(s) tried as HS256", short).await;
    user.type_text(&format!("{lab}/jwt/hidden-key/me"));
    user.key(KeyCode::Enter);
    let report = user.sees("ACCEPTED", short).await;
    assert!(
        report.contains("keyed with recovered key 1"),
        "the report names the recovered key that got in:\n{report}"
    );

    // The lab saw the exploit, so lesson 17 ticks off.
    let progress = std::fs::read_to_string(apiward::lab::progress_file(&lab_dir)).unwrap();
    assert!(
        progress.contains("jwt-alg-confusion-hidden-key"),
        "{progress}"
    );

    user.key(KeyCode::Esc);
    user.key(KeyCode::Char('q'));
    tokio::time::timeout(short, looping)
        .await
        .expect("q ends the loop")
        .unwrap()
        .expect("the loop ended cleanly");
}
