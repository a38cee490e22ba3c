//! `apiward import curl '…'`: a pasted curl command as `.http` text (or curl, HTTPie, xh),
//! optionally saved in the workspace. Flags that could not be imported are warned about.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use super::CliResult;
use crate::http::{self, Format, Workspace};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a curl command (`-` reads it from stdin, `@file` from a file).
    Curl(CurlArgs),
    /// Import a Postman Collection v2.0/v2.1, with its environments, into the workspace.
    Postman(super::import_collection::PostmanArgs),
    /// Import a browser's HAR recording into the workspace, secrets to the private env file.
    Har(super::import_collection::HarArgs),
    /// Import an Insomnia v4 export, with its environments, into the workspace.
    Insomnia(super::import_collection::InsomniaArgs),
    /// Import an OpenAPI 3.0/3.1 or Swagger 2.0 description (file or URL) into the workspace.
    Openapi(super::import_openapi::OpenapiArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum To {
    Http,
    Curl,
    Httpie,
    Xh,
}

/// The formats are spelled alike by `import --to` and `export --format`.
impl From<To> for Format {
    fn from(to: To) -> Self {
        match to {
            To::Http => Format::Http,
            To::Curl => Format::Curl,
            To::Httpie => Format::Httpie,
            To::Xh => Format::Xh,
        }
    }
}

#[derive(Debug, Args)]
pub struct CurlArgs {
    /// The command, starting with `curl`.
    pub command: String,
    /// Store it in the workspace under this name.
    #[arg(long, value_name = "NAME")]
    pub save: Option<String>,
    /// What to print.
    #[arg(long, value_enum, default_value = "http")]
    pub to: To,
}

/// The password of `--proxy-user`, which import writes into the proxy URL, moved out to a
/// variable like every other credential.
fn proxy_password(req: &mut http::Request, prefix: &str) -> Option<http::redact::Extracted> {
    let proxy = req.options.proxy.as_mut()?;
    let (scheme, rest) = proxy.split_once("://").unwrap_or(("", proxy.as_str()));
    let (userinfo, host) = rest.split_once('@')?;
    let (user, password) = userinfo.split_once(':')?;
    if password.is_empty() || password.starts_with("{{") {
        return None;
    }
    let name = crate::http::redact::variable_name(prefix, "proxy_password");
    let value = password.to_string();
    let scheme = if scheme.is_empty() {
        String::new()
    } else {
        format!("{scheme}://")
    };
    *proxy = format!("{scheme}{user}:{{{{{name}}}}}@{host}");
    Some(http::redact::Extracted {
        name,
        value,
        place: "the proxy password".into(),
    })
}

pub fn run(command: ImportCommand, workspace: Option<&Path>) -> CliResult {
    let args = match command {
        ImportCommand::Curl(args) => args,
        ImportCommand::Openapi(args) => return super::import_openapi::run(args, workspace),
        ImportCommand::Postman(args) => {
            return super::import_collection::run_postman(args, workspace);
        }
        ImportCommand::Har(args) => return super::import_collection::run_har(args, workspace),
        ImportCommand::Insomnia(args) => {
            return super::import_collection::run_insomnia(args, workspace);
        }
    };
    let text = super::input::read_value(&args.command, "the curl command")?;
    let mut imported = http::import_curl(text.trim())?;
    if let Ok(here) = std::env::current_dir() {
        imported.resolve_files(&here);
    }
    for warning in &imported.warnings {
        eprintln!("apiward: warning: {warning}");
    }
    let mut req = imported.request;
    if let Some(name) = &args.save {
        req.name = name.clone();
        let dir = crate::paths::workspace(workspace)
            .ok_or_else(|| anyhow::anyhow!("no workspace folder: pass --workspace DIR"))?;
        let ws = Workspace::create(dir)?;
        // A pasted token or password goes to the private env file (0600, git-ignored) as a
        // variable, never into the request file.
        let mut taken = http::redact::extract_secrets(&mut req, name, &http::Redactor::default());
        taken.extend(proxy_password(&mut req, name));
        if !taken.is_empty() {
            let values: Vec<(&str, &str)> = taken
                .iter()
                .map(|t| (t.name.as_str(), t.value.as_str()))
                .collect();
            ws.set_env_values(http::workspace::SHARED_ENV, &values, true)?;
        }
        let path = ws.save(&req)?;
        eprintln!("apiward: saved {}", path.display());
        for t in &taken {
            eprintln!(
                "apiward: moved {} into {} as {{{{{}}}}}",
                t.place,
                http::workspace::PRIVATE_ENV_FILE,
                t.name
            );
        }
    }
    let out = http::export(&req, args.to.into());
    print!("{out}");
    if !out.ends_with('\n') {
        println!();
    }
    Ok(ExitCode::SUCCESS)
}
