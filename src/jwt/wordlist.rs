//! Wordlists for the cracker: a built-in list of well-known weak JWT secrets, the line
//! splitting that lets every worker cut its own words out of a shared buffer, and a block
//! reader that streams, with flat memory, the lists that cannot be read at offsets.

use std::io::{self, Read};

/// Secrets seen in tutorials, framework defaults, sample code and leaked configs. Small on
/// purpose: `lint` runs it over every HMAC token.
pub const BUILTIN: &[&str] = &[
    "secret",
    "password",
    "your-256-bit-secret",
    "your-384-bit-secret",
    "your-512-bit-secret",
    "changeme",
    "changeit",
    "change_me",
    "change-me",
    "changethis",
    "jwt_secret",
    "jwt-secret",
    "jwtsecret",
    "JWT_SECRET",
    "jwtSecret",
    "jwt",
    "JWT",
    "secretkey",
    "secret_key",
    "secret-key",
    "SecretKey",
    "SECRET_KEY",
    "secretKey",
    "mysecret",
    "my_secret",
    "my-secret",
    "mysecretkey",
    "my_secret_key",
    "mySecretKey",
    "my-secret-key",
    "my-super-secret",
    "supersecret",
    "super_secret",
    "super-secret",
    "supersecretkey",
    "super-secret-key",
    "topsecret",
    "top_secret",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "12345",
    "1234",
    "111111",
    "000000",
    "qwerty",
    "abc123",
    "letmein",
    "iloveyou",
    "monkey",
    "dragon",
    "key",
    "Key",
    "KEY",
    "test",
    "test123",
    "testing",
    "testkey",
    "test-secret",
    "admin",
    "admin123",
    "administrator",
    "root",
    "toor",
    "pass",
    "pass123",
    "passw0rd",
    "Password",
    "Password1",
    "password1",
    "password123",
    "P@ssw0rd",
    "shhhhh",
    "shhhhhhared-secret",
    "shared-secret",
    "sharedsecret",
    "s3cr3t",
    "s3cret",
    "secr3t",
    "Secret",
    "SECRET",
    "secret123",
    "secret1",
    "secrets",
    "default",
    "defaultsecret",
    "default-secret",
    "demo",
    "example",
    "sample",
    "hello",
    "helloworld",
    "hello-world",
    "welcome",
    "qwertyuiop",
    "asdfghjkl",
    "private",
    "privatekey",
    "private-key",
    "public",
    "token",
    "tokensecret",
    "token_secret",
    "auth",
    "authsecret",
    "auth_secret",
    "auth-secret",
    "access",
    "access_secret",
    "accesstoken",
    "access_token_secret",
    "refresh",
    "refresh_secret",
    "api",
    "apikey",
    "api_key",
    "api-key",
    "apisecret",
    "api_secret",
    "app",
    "appsecret",
    "app_secret",
    "app-secret",
    "application",
    "server",
    "server_secret",
    "session",
    "session_secret",
    "sessionsecret",
    "keyboard cat",
    "keyboardcat",
    "node",
    "nodejs",
    "express",
    "django-insecure",
    "flask",
    "rails",
    "spring",
    "laravel",
    "symfony",
    "ThisIsMySecretKey",
    "thisismysecret",
    "this-is-a-secret",
    "notasecret",
    "not-a-secret",
    "nosecret",
    "none",
    "null",
    "undefined",
    "gottacatchemall",
    "HS256",
    "hs256",
    "hmac",
    "hmacsecret",
    "signing-key",
    "signingkey",
    "signing_key",
    "encryption_key",
    "encryptionkey",
    "master",
    "masterkey",
    "master_key",
    "dev",
    "development",
    "devsecret",
    "dev-secret",
    "local",
    "localhost",
    "prod",
    "production",
    "staging",
    "qa",
    "user",
    "guest",
    "login",
    "welcome1",
    "foobar",
    "foo",
    "bar",
    "baz",
    "a",
    "x",
    "1",
    "Sup3rS3cr3t",
    "zaq12wsx",
    "trustno1",
    "a-string-secret-at-least-256-bits-long",
];

/// Where the first line at or after byte `at` of `buf` starts (`buf.len()` when none does).
/// Each worker cuts its own share of a list with this, so no thread splits lines for the others.
pub fn line_start(buf: &[u8], at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let at = at.min(buf.len());
    match buf[at - 1..].iter().position(|&b| b == b'\n') {
        Some(i) => at + i,
        None => buf.len(),
    }
}

/// The words of `lines`, which holds whole lines: one word per line with `\n` or `\r\n`
/// endings, an empty line being the empty word, and a last line without a newline still a word.
pub fn words(lines: &[u8]) -> impl Iterator<Item = &[u8]> {
    let body = lines.strip_suffix(b"\n").unwrap_or(lines);
    // Splitting "" would yield one empty word; an empty buffer has none.
    let count = if lines.is_empty() { 0 } else { usize::MAX };
    body.split(|&b| b == b'\n')
        .take(count)
        .map(|w| w.strip_suffix(b"\r").unwrap_or(w))
}

/// How much a streamed list is read at a time: large enough that the one thread reading
/// spends about 1% of a batch's time copying, small enough that memory stays flat.
const BLOCK_BYTES: usize = 4 << 20;

/// Reads a stream (stdin, a pipe, anything that is not a regular file) as blocks of whole lines,
/// reusing one buffer, so memory stays flat whatever the list's size. The buffer only grows
/// to hold a single line longer than it.
pub struct LineBlocks<R> {
    reader: R,
    buf: Vec<u8>,
    /// Bytes of `buf` read and not yet handed out or carried over.
    filled: usize,
    /// Bytes at the front of `buf` handed out by the last call.
    handed: usize,
    eof: bool,
}

impl<R: Read> LineBlocks<R> {
    pub fn new(reader: R) -> Self {
        Self::with_block(reader, BLOCK_BYTES)
    }

    fn with_block(reader: R, block: usize) -> Self {
        Self {
            reader,
            buf: vec![0; block.max(1)],
            filled: 0,
            handed: 0,
            eof: false,
        }
    }

    /// The next block of whole lines (the input's last line may lack its newline), or `None`
    /// at the end of the input.
    pub fn next_block(&mut self) -> io::Result<Option<&[u8]>> {
        // Carry the partial line after the last block to the front.
        self.buf.copy_within(self.handed..self.filled, 0);
        self.filled -= self.handed;
        self.handed = 0;
        loop {
            while !self.eof && self.filled < self.buf.len() {
                match self.reader.read(&mut self.buf[self.filled..]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            if self.eof {
                self.handed = self.filled;
                break;
            }
            if let Some(i) = self.buf[..self.filled].iter().rposition(|&b| b == b'\n') {
                self.handed = i + 1;
                break;
            }
            // One line fills the buffer: make room for the rest of it.
            self.buf.resize(self.buf.len() * 2, 0);
        }
        Ok((self.handed > 0).then(|| &self.buf[..self.handed]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_words(lines: &[u8]) -> Vec<&[u8]> {
        words(lines).collect()
    }

    #[test]
    fn words_follow_lines_with_any_line_ending() {
        assert_eq!(
            all_words(b"one\r\ntwo\n\nthree"),
            [&b"one"[..], b"two", b"", b"three"]
        );
        // A final newline ends the last word rather than starting an empty one.
        assert_eq!(all_words(b"a\n\n"), [&b"a"[..], b""]);
        assert_eq!(all_words(b"\n"), [&b""[..]]);
        assert_eq!(all_words(b"\r\r\n"), [&b"\r"[..]]);
        assert_eq!(all_words(b"x\r"), [&b"x"[..]]);
        assert!(all_words(b"").is_empty());
    }

    #[test]
    fn line_start_finds_the_next_line() {
        let buf = b"ab\ncd\n\nef";
        let starts: Vec<usize> = (0..=buf.len() + 2).map(|at| line_start(buf, at)).collect();
        assert_eq!(starts, [0, 3, 3, 3, 6, 6, 6, 7, 9, 9, 9, 9]);
    }

    #[test]
    fn blocks_hold_whole_lines_and_grow_for_a_long_one() {
        // A 4-byte block: lines are carried across reads, and a 9-byte line grows the buffer.
        let text = b"ab\ncd\r\nlong-line\n\nlast";
        let mut blocks = LineBlocks::with_block(&text[..], 4);
        let mut seen = Vec::new();
        while let Some(block) = blocks.next_block().unwrap() {
            assert!(
                block.ends_with(b"\n") || block.ends_with(b"last"),
                "{block:?}"
            );
            seen.extend(words(block).map(<[u8]>::to_vec));
        }
        assert_eq!(seen, [&b"ab"[..], b"cd", b"long-line", b"", b"last"]);
        assert_eq!(blocks.next_block().unwrap(), None);
        assert_eq!(LineBlocks::new(&b""[..]).next_block().unwrap(), None);
    }

    #[test]
    fn builtin_list_is_sizeable_and_has_the_classics() {
        assert!(BUILTIN.len() >= 100, "{}", BUILTIN.len());
        for w in ["secret", "your-256-bit-secret", "shhhhh", "changeme"] {
            assert!(BUILTIN.contains(&w));
        }
    }
}
