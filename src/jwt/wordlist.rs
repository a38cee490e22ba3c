//! Wordlists for the cracker: a built-in list of well-known weak JWT secrets, and a chunked
//! reader that streams any file with flat memory.

use std::io::{self, BufRead};

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

/// A batch of words packed into one buffer, so reading a huge list allocates nothing per word.
#[derive(Debug, Default, Clone)]
pub struct WordChunk {
    buf: Vec<u8>,
    ends: Vec<usize>,
}

impl WordChunk {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`th word.
    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }

    pub fn push(&mut self, word: &[u8]) {
        self.buf.extend_from_slice(word);
        self.ends.push(self.buf.len());
    }

    /// Bytes held, to bound memory.
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
    }
}

/// Streams a wordlist as chunks of at most `max_words` words (and about 8 MiB), one line per
/// word with `\n` or `\r\n` endings. Memory stays flat whatever the file size.
pub struct ChunkReader<R> {
    reader: R,
    max_words: usize,
    line: Vec<u8>,
    done: bool,
}

/// Caps a chunk's bytes so a file of enormous lines still uses bounded memory.
const MAX_CHUNK_BYTES: usize = 8 << 20;

impl<R: BufRead> ChunkReader<R> {
    pub fn new(reader: R, max_words: usize) -> Self {
        Self {
            reader,
            max_words: max_words.max(1),
            line: Vec::new(),
            done: false,
        }
    }

    /// Fills `chunk` with the next words. Returns false at the end of the input.
    pub fn next_into(&mut self, chunk: &mut WordChunk) -> io::Result<bool> {
        chunk.clear();
        while !self.done && chunk.len() < self.max_words && chunk.bytes() < MAX_CHUNK_BYTES {
            self.line.clear();
            if self.reader.read_until(b'\n', &mut self.line)? == 0 {
                self.done = true;
                break;
            }
            let mut w = self.line.as_slice();
            if let Some(rest) = w.strip_suffix(b"\n") {
                w = rest;
            }
            if let Some(rest) = w.strip_suffix(b"\r") {
                w = rest;
            }
            chunk.push(w);
        }
        Ok(!chunk.is_empty())
    }
}

impl<R: BufRead> Iterator for ChunkReader<R> {
    type Item = io::Result<WordChunk>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut chunk = WordChunk::default();
        match self.next_into(&mut chunk) {
            Ok(true) => Some(Ok(chunk)),
            Ok(false) => None,
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// The built-in list as one chunk.
pub fn builtin_chunk() -> WordChunk {
    let mut c = WordChunk::default();
    BUILTIN.iter().for_each(|w| c.push(w.as_bytes()));
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_in_chunks_with_any_line_ending() {
        let text = b"one\r\ntwo\n\nthree";
        let chunks: Vec<WordChunk> = ChunkReader::new(&text[..], 2)
            .collect::<io::Result<_>>()
            .unwrap();
        let words: Vec<&[u8]> = chunks
            .iter()
            .flat_map(|c| (0..c.len()).map(move |i| c.get(i)))
            .collect();
        assert_eq!(words, [&b"one"[..], b"two", b"", b"three"]);
        assert_eq!(chunks.len(), 2);
    }

    #[test]
    fn builtin_list_is_sizeable_and_has_the_classics() {
        assert!(BUILTIN.len() >= 100, "{}", BUILTIN.len());
        for w in ["secret", "your-256-bit-secret", "shhhhh", "changeme"] {
            assert!(BUILTIN.contains(&w));
        }
    }
}
