//! Reading arguments the DESIGN.md way: `-` reads stdin, `@path` reads a file, anything else
//! is the value itself.

use std::io::Read;

use super::CliError;

/// The text an argument stands for. `what` names it in errors ("the token").
pub fn read_value(arg: &str, what: &str) -> Result<String, CliError> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("cannot read {what} from stdin: {e}"))?;
        return Ok(text);
    }
    if let Some(path) = arg.strip_prefix('@') {
        return std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read {what} from {path}: {e}").into());
    }
    Ok(arg.to_string())
}

/// A JWKS given as an http(s) URL (fetched by the core's `net::fetch_jwks`, as a task with a
/// spinner), `-` for stdin, or a file.
pub fn read_jwks(source: &str) -> Result<String, CliError> {
    if crate::net::is_http_url(source) {
        let url = source.to_string();
        return super::task::run_async(
            crate::tasks::TaskKind::Other,
            format!("fetching the JWKS from {url}"),
            move |_| async move {
                let options = crate::net::jwks::default_options();
                Ok(crate::net::fetch_jwks(&url, &options).await?)
            },
        );
    }
    read_value(&file_arg(source), "the JWKS")
}

/// A file argument as [`read_value`] takes it: `-` stays stdin, anything else is a path.
pub fn file_arg(arg: &str) -> String {
    if arg == "-" {
        arg.to_string()
    } else {
        format!("@{arg}")
    }
}

/// The bytes a file argument holds, with an error that names it.
pub fn read_file(path: &std::path::Path, what: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("cannot read {what} from {}: {e}", path.display()).into())
}

/// A `-H 'Name: value'` argument as a (name, value) pair.
pub fn parse_header(text: &str) -> Result<(String, String), CliError> {
    Ok(crate::net::parse_header(text)?)
}

/// The current time in unix seconds, or the `--now` override.
pub fn now(flag: Option<i64>) -> i64 {
    flag.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    })
}
