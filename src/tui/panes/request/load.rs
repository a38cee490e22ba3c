//! Reading the workspace for the request list: stored requests, history and the variables
//! of each environment. It reads files, so it runs as a job, never in a key handler or at
//! start-up.

use std::path::PathBuf;

use crate::http::{Entry, Stored, Vars, Workspace};

/// What the Request tab needs from the workspace.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub dir: PathBuf,
    /// Whether the folder exists; history is only written into one that does.
    pub exists: bool,
    pub requests: Vec<Stored>,
    /// Newest first.
    pub history: Vec<Entry>,
    /// Each environment with its variables (secrets marked, so they display masked).
    pub envs: Vec<(String, Vars)>,
    /// The shared values, which a request sent with no environment chosen resolves against.
    pub shared: Vars,
    /// A part that could not be read, said in one sentence; the rest still loads.
    pub problems: Vec<String>,
}

/// Loads the workspace at `dir`, or the default one (`./.apiward`, else the config dir).
pub fn load(dir: Option<PathBuf>) -> Result<Loaded, String> {
    let dir = crate::paths::workspace(dir.as_deref())
        .ok_or_else(|| "no workspace folder: pass --workspace".to_string())?;
    let ws = Workspace::open(&dir);
    let mut loaded = Loaded {
        exists: dir.is_dir(),
        dir,
        ..Loaded::default()
    };
    if !loaded.exists {
        return Ok(loaded);
    }
    // One file that does not parse is a problem named with its line; the others still load.
    match ws.requests_and_problems() {
        Ok((requests, problems)) => {
            loaded.requests = requests;
            loaded
                .problems
                .extend(problems.iter().map(ToString::to_string));
        }
        Err(e) => loaded.problems.push(e.to_string()),
    }
    match ws.history().list() {
        Ok(history) => loaded.history = history,
        Err(e) => loaded.problems.push(e.to_string()),
    }
    match ws.vars(None, &[]) {
        Ok(vars) => loaded.shared = vars,
        Err(e) => loaded.problems.push(e.to_string()),
    }
    match ws.environments() {
        Ok(names) => {
            for name in names {
                match ws.vars(Some(&name), &[]) {
                    Ok(vars) => loaded.envs.push((name, vars)),
                    Err(e) => loaded.problems.push(e.to_string()),
                }
            }
        }
        Err(e) => loaded.problems.push(e.to_string()),
    }
    Ok(loaded)
}
