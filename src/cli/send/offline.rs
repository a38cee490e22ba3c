//! `send --offline`: the request as it would go on the wire, printed instead of sent, as
//! HTTPie's `--offline` prints it (good for seeing what an item or a flag turns into).

use std::io::{IsTerminal, Write};

use crate::http::{HttpVersion, Prepared};

/// The request line, Host, the headers in order, Content-Length, and the body. HTTP/1.1 is
/// shown unless the request insists on HTTP/2; Digest answers and proxies, which only a live
/// exchange decides, are not.
pub fn print(p: &Prepared) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let target = match p.url.query() {
        Some(q) => format!("{}?{q}", p.url.path()),
        None => p.url.path().to_string(),
    };
    let version = match p.options.http_version {
        HttpVersion::Http2 => "HTTP/2",
        _ => "HTTP/1.1",
    };
    write!(out, "{} {target} {version}\r\n", p.method)?;
    if p.header("host").is_none() {
        let host = p.url.host_str().unwrap_or_default();
        match p.url.port() {
            Some(port) => write!(out, "Host: {host}:{port}\r\n")?,
            None => write!(out, "Host: {host}\r\n")?,
        }
    }
    for (name, value) in &p.headers {
        write!(out, "{name}: {value}\r\n")?;
    }
    let sends_length = !p.body.is_empty() || matches!(p.method.as_str(), "POST" | "PUT" | "PATCH");
    if sends_length && p.header("content-length").is_none() {
        write!(out, "Content-Length: {}\r\n", p.body.len())?;
    }
    write!(out, "\r\n")?;
    if std::str::from_utf8(&p.body).is_err() && std::io::stdout().is_terminal() {
        writeln!(out, "[binary body, {} bytes, not shown]", p.body.len())?;
    } else {
        out.write_all(&p.body)?;
        if !p.body.is_empty() && !p.body.ends_with(b"\n") {
            writeln!(out)?;
        }
    }
    out.flush()
}
