//! A targets file for a batch audit: one http(s) URL a line, `#` comments and blank lines
//! skipped. The CLI's `--targets` and the Audit tab read it through here, so both refuse the
//! same lines with the same line numbers.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    // `error`, not `source`: the sentence already says it, and a source would be printed
    // again after it.
    #[error("cannot read the targets from {}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{} is not UTF-8 text", .0.display())]
    NotText(PathBuf),
    #[error("{}, line {line}: '{text}' is not an http:// or https:// URL", path.display())]
    BadLine {
        path: PathBuf,
        line: usize,
        text: String,
    },
    #[error("{} lists no targets", .0.display())]
    Empty(PathBuf),
}

crate::error_kind::bad_input!(TargetsError);

/// Whether `text` is an absolute http(s) URL with a host: what an audit can target.
pub fn is_target(text: &str) -> bool {
    crate::net::is_http_url(text)
}

/// Reads and checks a targets file.
pub fn read(path: &Path) -> Result<Vec<String>, TargetsError> {
    let bytes = std::fs::read(path).map_err(|error| TargetsError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| TargetsError::NotText(path.to_path_buf()))?;
    parse(&text, path)
}

/// The targets in `text`; `path` names the file in errors.
pub fn parse(text: &str, path: &Path) -> Result<Vec<String>, TargetsError> {
    let mut urls = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_target(line) {
            return Err(TargetsError::BadLine {
                path: path.to_path_buf(),
                line: n + 1,
                text: line.chars().take(200).collect(),
            });
        }
        urls.push(line.to_string());
    }
    if urls.is_empty() {
        return Err(TargetsError::Empty(path.to_path_buf()));
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_errors() {
        let p = Path::new("t.txt");
        let urls = parse("# a\n\nhttp://127.0.0.1:1/\n  https://localhost/x  \n", p).unwrap();
        assert_eq!(urls, ["http://127.0.0.1:1/", "https://localhost/x"]);
        let err = parse("http://a/\nnot a url\n", p).unwrap_err().to_string();
        assert_eq!(
            err,
            "t.txt, line 2: 'not a url' is not an http:// or https:// URL"
        );
        assert!(parse("ftp://a/\n", p).is_err());
        assert_eq!(
            parse("# only\n", p).unwrap_err().to_string(),
            "t.txt lists no targets"
        );
        // The cause is said once, not again as a source.
        let err = read(Path::new("/no/such/targets")).unwrap_err();
        assert!(std::error::Error::source(&err).is_none(), "{err}");
    }
}
