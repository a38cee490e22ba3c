//! Header names on the HTTP/1.1 wire in the case the user wrote them. hyper stores names
//! lower-cased and its own case map is private, so this wrapper around the connection
//! rewrites the names in the request head as hyper writes it: a name is case-insensitive
//! (RFC 9110 §5.1), so the rewrite never changes a length, and everything after the head
//! passes through untouched. Names nobody typed (Host, Content-Length) go out as curl writes
//! them, in Title-Case.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Where the writer is in the request head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Inside the request line.
    RequestLine,
    /// At the start of a header line (or of the blank line that ends the head).
    LineStart,
    /// Inside a name, at byte `at` of it.
    Name { at: usize },
    /// After the name, up to the end of the line.
    Value,
    /// Saw the `\r` of the blank line.
    BlankLine,
    /// The head is written; the rest is the body.
    Body,
}

/// Wraps a connection so the first request head written on it carries the given names'
/// spellings. One request per connection is all the transport sends.
pub struct CaseIo<S> {
    inner: S,
    /// Lower-cased name to the spellings written, in order (one per repeated header).
    spellings: HashMap<Vec<u8>, VecDeque<Vec<u8>>>,
    state: State,
    /// The spelling of the name being written.
    current: Vec<u8>,
}

impl<S> CaseIo<S> {
    pub fn new(inner: S, headers: &[(String, String)]) -> Self {
        let mut spellings: HashMap<Vec<u8>, VecDeque<Vec<u8>>> = HashMap::new();
        for (name, _) in headers {
            spellings
                .entry(name.to_ascii_lowercase().into_bytes())
                .or_default()
                .push_back(name.as_bytes().to_vec());
        }
        Self {
            inner,
            spellings,
            state: State::RequestLine,
            current: Vec::new(),
        }
    }

    /// The spelling the next header of this lower-cased name gets: the next one the user
    /// wrote (the last is kept for any further values), else Title-Case.
    fn peek_spelling(&self, lower: &[u8]) -> Vec<u8> {
        match self.spellings.get(lower).and_then(|q| q.front()) {
            Some(spelling) => spelling.clone(),
            None => title_case(lower),
        }
    }

    /// A header of this name was written: the next one gets the next spelling.
    fn used(&mut self, lower: &[u8]) {
        if let Some(queue) = self.spellings.get_mut(lower)
            && queue.len() > 1
        {
            queue.pop_front();
        }
    }

    /// The bytes to write for `buf`, rewritten from the current state, without moving it
    /// (the connection may take fewer bytes than offered).
    fn rewrite(&self, buf: &[u8]) -> Vec<u8> {
        let mut out = buf.to_vec();
        let mut trial = CaseIo {
            inner: (),
            spellings: self.spellings.clone(),
            state: self.state,
            current: self.current.clone(),
        };
        trial.walk(buf, Some(&mut out));
        out
    }
}

impl<S> CaseIo<S> {
    /// Moves the state over `bytes`, writing their rewritten form into `out` when given.
    fn walk(&mut self, bytes: &[u8], mut out: Option<&mut Vec<u8>>) {
        let (mut state, mut current) = (self.state, std::mem::take(&mut self.current));
        for i in 0..bytes.len() {
            if state == State::Body {
                break;
            }
            let mut byte = bytes[i];
            let started;
            (state, current, started) = self.step(state, current, &bytes[i..], &mut byte);
            if let Some(out) = out.as_deref_mut() {
                out[i] = byte;
            }
            if let Some(lower) = started {
                self.used(&lower);
            }
        }
        self.state = state;
        self.current = current;
    }

    /// One byte: `rest` starts at it, `out` is where its rewritten form goes. Returns the
    /// next state, the spelling of the name being written, and the lower-cased name when a
    /// header line starts here.
    fn step(
        &self,
        state: State,
        current: Vec<u8>,
        rest: &[u8],
        out: &mut u8,
    ) -> (State, Vec<u8>, Option<Vec<u8>>) {
        let b = rest[0];
        match state {
            State::RequestLine if b == b'\n' => (State::LineStart, current, None),
            State::RequestLine | State::Body => (state, current, None),
            State::LineStart if b == b'\r' => (State::BlankLine, current, None),
            State::LineStart => {
                // The whole name must be in view to choose its spelling; hyper writes its
                // head from one buffer, so it is, unless a short write split it there.
                let Some(end) = rest.iter().position(|&c| c == b':') else {
                    return (State::Value, current, None);
                };
                let lower = rest[..end].to_ascii_lowercase();
                let mut spelling = self.peek_spelling(&lower);
                if spelling.len() != end {
                    spelling.clear(); // not a plain token: leave it as hyper wrote it
                }
                if let Some(&c) = spelling.first() {
                    *out = c;
                }
                (State::Name { at: 1 }, spelling, Some(lower))
            }
            State::Name { .. } if b == b':' => (State::Value, current, None),
            State::Name { at } => {
                if let Some(&c) = current.get(at) {
                    *out = c;
                }
                (State::Name { at: at + 1 }, current, None)
            }
            State::Value if b == b'\n' => (State::LineStart, current, None),
            State::Value => (state, current, None),
            State::BlankLine => (State::Body, current, None),
        }
    }
}

/// `content-length` → `Content-Length`.
fn title_case(lower: &[u8]) -> Vec<u8> {
    let mut up = true;
    lower
        .iter()
        .map(|&c| {
            let out = if up { c.to_ascii_uppercase() } else { c };
            up = c == b'-';
            out
        })
        .collect()
}

impl<S: AsyncRead + Unpin> AsyncRead for CaseIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for CaseIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.state == State::Body {
            return Pin::new(&mut self.inner).poll_write(cx, buf);
        }
        let rewritten = self.rewrite(buf);
        let poll = Pin::new(&mut self.inner).poll_write(cx, &rewritten);
        if let Poll::Ready(Ok(n)) = poll {
            self.walk(&buf[..n], None);
        }
        poll
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    fn headers(names: &[&str]) -> Vec<(String, String)> {
        names.iter().map(|n| (n.to_string(), "v".into())).collect()
    }

    async fn written(names: &[&str], chunks: &[&[u8]]) -> String {
        let mut io = CaseIo::new(Vec::<u8>::new(), &headers(names));
        for chunk in chunks {
            io.write_all(chunk).await.unwrap();
        }
        String::from_utf8(io.inner).unwrap()
    }

    const HEAD: &[u8] = b"GET /x-probe HTTP/1.1\r\nhost: a\r\nx-probe: 42\r\nx-probe: 43\r\ncontent-length: 4\r\n\r\nx-probe: body";

    #[tokio::test]
    async fn names_go_out_as_typed_and_the_rest_in_title_case() {
        let out = written(&["X-PROBE", "x-Probe"], &[HEAD]).await;
        assert_eq!(
            out,
            "GET /x-probe HTTP/1.1\r\nHost: a\r\nX-PROBE: 42\r\nx-Probe: 43\r\nContent-Length: 4\r\n\r\nx-probe: body"
        );
    }

    #[tokio::test]
    async fn a_head_split_anywhere_is_rewritten_the_same() {
        let whole = written(&["X-Probe"], &[HEAD]).await;
        for cut in 1..HEAD.len() {
            let split = written(&["X-Probe"], &[&HEAD[..cut], &HEAD[cut..]]).await;
            // A cut inside a name leaves that one name's tail as hyper wrote it at worst,
            // never changes a length, and never touches the body.
            assert_eq!(split.len(), whole.len(), "cut at {cut}");
            assert!(split.ends_with("\r\n\r\nx-probe: body"), "cut at {cut}");
            let first_name = 33..40; // cuts that hide the first name's colon
            if !first_name.contains(&cut) {
                assert!(split.contains("X-Probe: 42"), "cut at {cut}: {split}");
            }
        }
    }

    #[test]
    fn title_case_follows_dashes() {
        assert_eq!(title_case(b"x-forwarded-for"), b"X-Forwarded-For");
        assert_eq!(title_case(b"etag"), b"Etag");
    }
}
