//! Copying text: the system clipboard through arboard, else the OSC 52 escape sequence.
//!
//! arboard needs a reachable X11 or Wayland clipboard; over SSH, in a headless session or on a
//! compositor without the protocol it fails, and OSC 52 asks the terminal itself to set the
//! clipboard instead. The system clipboard lives on its own thread, created on first use:
//! on X11 the copied text only stays available while its owner is alive, and a slow display
//! server must never stall the UI.

use std::sync::{Arc, OnceLock, mpsc};
use std::time::Duration;

use base64::Engine;
use tokio::sync::oneshot;

/// Which way a copy went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyPath {
    System,
    Osc52,
}

impl CopyPath {
    pub fn describe(self) -> &'static str {
        match self {
            CopyPath::System => "the system clipboard",
            CopyPath::Osc52 => "OSC 52 (terminal clipboard; no system clipboard reachable)",
        }
    }
}

enum Request {
    Set(String, oneshot::Sender<Result<(), String>>),
    Get(oneshot::Sender<Result<String, String>>),
}

/// A handle to the system clipboard thread. Cheap to clone; clones share the thread.
#[derive(Clone, Default)]
pub struct SystemClipboard {
    worker: Arc<OnceLock<mpsc::Sender<Request>>>,
}

impl SystemClipboard {
    /// Sets the system clipboard. Errors (no display, no clipboard manager, a hung display
    /// server) come back as text; the caller then falls back to OSC 52.
    pub async fn copy(&self, text: String) -> Result<(), String> {
        let (reply, answer) = oneshot::channel();
        self.ask(Request::Set(text, reply), answer).await
    }

    /// Reads text from the system clipboard.
    pub async fn paste(&self) -> Result<String, String> {
        let (reply, answer) = oneshot::channel();
        self.ask(Request::Get(reply), answer).await
    }

    async fn ask<T>(
        &self,
        request: Request,
        answer: oneshot::Receiver<Result<T, String>>,
    ) -> Result<T, String> {
        let worker = self.worker.get_or_init(spawn_worker);
        worker
            .send(request)
            .map_err(|_| "the clipboard thread has stopped".to_string())?;
        match tokio::time::timeout(Duration::from_secs(2), answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err("the clipboard thread has stopped".into()),
            Err(_) => Err("the system clipboard did not answer".into()),
        }
    }
}

fn spawn_worker() -> mpsc::Sender<Request> {
    let (tx, rx) = mpsc::channel::<Request>();
    let _ = std::thread::Builder::new()
        .name("apiward-clipboard".into())
        .spawn(move || {
            let mut board: Option<arboard::Clipboard> = None;
            for request in rx {
                if board.is_none() {
                    board = arboard::Clipboard::new().ok();
                }
                let missing = || "no system clipboard is reachable".to_string();
                match request {
                    Request::Set(text, reply) => {
                        let result = board
                            .as_mut()
                            .ok_or_else(missing)
                            .and_then(|b| b.set_text(text).map_err(|e| e.to_string()));
                        let _ = reply.send(result);
                    }
                    Request::Get(reply) => {
                        let result = board
                            .as_mut()
                            .ok_or_else(missing)
                            .and_then(|b| b.get_text().map_err(|e| e.to_string()));
                        let _ = reply.send(result);
                    }
                }
            }
        });
    tx
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard.
pub fn osc52_sequence(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_wraps_base64_of_the_text() {
        assert_eq!(osc52_sequence("hi"), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn osc52_carries_any_text_in_one_sequence_that_decodes_back() {
        // UTF-8, and the very bytes that would end or start a sequence if sent raw.
        for text in [
            "",
            "a",
            "ab",
            "héllo ✓",
            "bell \x07 esc \x1b]52;c;x \x1b\\ end",
        ] {
            let sequence = osc52_sequence(text);
            let payload = sequence
                .strip_prefix("\x1b]52;c;")
                .and_then(|rest| rest.strip_suffix('\x07'))
                .unwrap_or_else(|| panic!("not one OSC 52 sequence: {sequence:?}"));
            assert!(
                !payload.contains(['\x07', '\x1b']),
                "the text leaked raw into the sequence: {sequence:?}"
            );
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(payload)
                .unwrap();
            assert_eq!(String::from_utf8(decoded).unwrap(), text);
        }
    }
}
