//! The description's servers as environments: one per server, named for its description or
//! host, holding `baseUrl` (server variables kept as `{{variables}}` beside their defaults).
//! The first server is also the `$shared` default, so a request sends with no `--env`.

use crate::http::workspace::SHARED_ENV;
use crate::import::plan::Plan;
use crate::spec::{Location, Server};

/// The variable every imported request's URL starts with.
pub const BASE_URL: &str = "baseUrl";

/// `{name}` in a server URL as `{{name}}`.
pub fn template(url: &str) -> String {
    url.replace('{', "{{").replace('}', "}}")
}

/// Adds an environment per server to `plan`. A relative server URL (or none) is read against
/// the description's URL when it was fetched, else against `http://localhost`, and said so.
pub fn add_environments(plan: &mut Plan, servers: &[Server], source: &Location) {
    // None listed means the description's own origin (OpenAPI 3's rule).
    let servers: Vec<Server> = match servers.is_empty() {
        true => vec![Server {
            url: "/".into(),
            description: None,
            variables: Vec::new(),
        }],
        false => servers.to_vec(),
    };
    let mut names: Vec<String> = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let url = absolute(&server.url, source, plan);
        let base = template(url.trim_end_matches('/'));
        let mut name = env_name(server, &url);
        if names.contains(&name) {
            name = format!("{name}-{}", i + 1);
        }
        names.push(name.clone());
        plan.env_value(&name, BASE_URL, &base);
        for var in &server.variables {
            plan.env_value(&name, &var.name, &var.default);
        }
        if i == 0 {
            plan.env_value(SHARED_ENV, BASE_URL, &base);
            for var in &server.variables {
                plan.env_value(SHARED_ENV, &var.name, &var.default);
            }
        }
    }
}

fn absolute(url: &str, source: &Location, plan: &mut Plan) -> String {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with('{') {
        return url.to_string();
    }
    if let Location::Url(base) = source
        && let Ok(joined) = base.join(url)
    {
        return joined.to_string();
    }
    let joined = format!("http://localhost/{}", url.trim_start_matches('/'));
    plan.warnings.push(format!(
        "the description is a file and names no server with a host (\"{url}\"), so baseUrl is {joined}: set it in http-client.env.json or with --var baseUrl=URL"
    ));
    joined
}

/// The description's words for the server if it has some, else its host (and path).
fn env_name(server: &Server, url: &str) -> String {
    if let Some(description) = server.description.as_deref().map(str::trim)
        && !description.is_empty()
        && description.len() <= 40
    {
        return description.to_string();
    }
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.trim_end_matches('/');
    match rest.is_empty() {
        true => "default".into(),
        false => rest.to_string(),
    }
}
