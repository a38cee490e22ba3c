//! The Request tab's list as a component: the workspace it loads (stored requests, history,
//! environments), the selection and its keys, the environment chosen, and the requests
//! opened most recently, so the one before can come back in one key.

use std::path::PathBuf;

use super::jobs::RequestJob;
use super::load::Loaded;
use super::origin::{MoveTo, Origin, stored_name};
use crate::http::{Stored, Vars};
use crate::tui::action::Action;
use crate::tui::panes::Effect;

/// How many recently opened requests are remembered.
const RECENT: usize = 8;

/// What the list asks its coordinator to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEvent {
    /// Open the entry at this index (asking first about unsaved edits).
    Open(usize),
}

/// A stored request by its file and name, which survive a reload that moves its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub name: String,
}

impl Place {
    pub fn of(stored: &Stored) -> Self {
        Self {
            path: stored.path.clone(),
            name: stored_name(stored),
        }
    }

    pub fn of_origin(origin: &Origin) -> Self {
        Self {
            path: origin.path.clone(),
            name: origin.name.clone(),
        }
    }

    fn is(&self, origin: &Origin) -> bool {
        self.path == origin.path && self.name == origin.name
    }
}

#[derive(Default)]
pub struct ListPane {
    /// `None` until the first use of the tab loads it.
    pub(super) workspace: Option<Box<Loaded>>,
    pub(super) load_requested: bool,
    dir: Option<PathBuf>,
    pub(super) selected: usize,
    /// The environment chosen, by its index in the workspace's.
    env: Option<usize>,
    /// The wall clock (unix seconds), for the history's ages.
    pub(super) now: i64,
    /// Select this stored request once the workspace reloads (after a save or a move).
    select: Option<Origin>,
    /// Stored requests opened, newest first.
    recent: Vec<Place>,
    /// The file-name prompt of a move (`list_move.rs`).
    pub(super) move_to: Option<MoveTo>,
}

impl ListPane {
    pub fn set_now(&mut self, now: i64) {
        self.now = now;
    }

    /// Uses `dir` as the workspace instead of the default one; it is read on next use.
    pub fn set_dir(&mut self, dir: Option<PathBuf>) {
        self.dir = dir;
        self.load_requested = false;
    }

    /// The job that loads the workspace, the first time the tab is used.
    pub fn load_if_needed(&mut self) -> Option<Effect> {
        if self.load_requested {
            return None;
        }
        self.reload()
    }

    pub fn reload(&mut self) -> Option<Effect> {
        self.load_requested = true;
        Some(Effect::start(RequestJob::LoadWorkspace {
            dir: self.dir.clone(),
        }))
    }

    /// The workspace's folder, once it is loaded.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.workspace.as_ref().map(|ws| ws.dir.as_path())
    }

    /// The workspace job's answer; what to say about it.
    pub fn loaded(
        &mut self,
        result: Result<Box<Loaded>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
        match result {
            Ok(loaded) => {
                let problem = loaded.problems.first().cloned();
                if self.env.is_some_and(|i| i >= loaded.envs.len()) {
                    self.env = None;
                }
                // With a single environment there is nothing to choose: use it.
                if self.env.is_none() && loaded.envs.len() == 1 {
                    self.env = Some(0);
                }
                self.selected = self
                    .selected
                    .min((loaded.requests.len() + loaded.history.len()).saturating_sub(1));
                if let Some(origin) = self.select.take()
                    && let Some(i) = loaded.requests.iter().position(|s| Origin::of(s) == origin)
                {
                    self.selected = i;
                }
                self.workspace = Some(loaded);
                problem.map(|p| Effect::Status(format!("Workspace: {p}")))
            }
            Err(e) => Some(Effect::Status(format!("Cannot load the workspace: {e}"))),
        }
    }

    /// Selects `origin` once the workspace is read again.
    pub fn select_after_load(&mut self, origin: Option<Origin>) {
        self.select = origin;
    }

    fn len(&self) -> usize {
        self.workspace
            .as_ref()
            .map_or(0, |w| w.requests.len() + w.history.len())
    }

    /// The list's own keys.
    pub fn action(&mut self, action: Action) -> Option<ListEvent> {
        let last = self.len().saturating_sub(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Select => return Some(ListEvent::Open(self.selected)),
            _ => {}
        }
        None
    }

    /// The saved request selected, if a saved one is.
    pub fn selected_stored(&self) -> Option<&Stored> {
        self.workspace.as_ref()?.requests.get(self.selected)
    }

    /// The next environment (after the last, none); what to say when there is none.
    pub fn next_env(&mut self) -> Option<Effect> {
        let count = self.workspace.as_ref().map_or(0, |w| w.envs.len());
        if count == 0 {
            return Some(Effect::Status(
                "The workspace has no environments (http-client.env.json)".into(),
            ));
        }
        self.env = match self.env {
            None => Some(0),
            Some(i) if i + 1 < count => Some(i + 1),
            Some(_) => None,
        };
        None
    }

    /// The environment chosen, with its variables.
    pub fn env(&self) -> Option<&(String, Vars)> {
        let ws = self.workspace.as_ref()?;
        ws.envs.get(self.env?)
    }

    /// How many environments the workspace has.
    pub fn env_count(&self) -> usize {
        self.workspace.as_ref().map_or(0, |w| w.envs.len())
    }

    /// The values a request resolves against after its file's: the environment's (which
    /// include the shared ones), else with none chosen the shared ones alone.
    pub fn env_values(&self) -> Vars {
        match (self.env(), &self.workspace) {
            (Some((_, env)), _) => env.clone(),
            (None, Some(ws)) => ws.shared.clone(),
            (None, None) => Vars::new(),
        }
    }

    /// Remembers that a stored request was opened (or left for another).
    pub fn opened(&mut self, place: Place) {
        self.recent.retain(|p| *p != place);
        self.recent.insert(0, place);
        self.recent.truncate(RECENT);
    }

    /// A request moved (or renamed in a save): its place in the recent list follows it.
    pub fn moved(&mut self, from: &Origin, to: Place) {
        if let Some(place) = self.recent.iter_mut().find(|p| p.is(from)) {
            *place = to;
        }
    }

    /// The recently opened requests still in the workspace, newest first, with their
    /// indices in the list; `current` (the one in the editor) left out.
    pub fn recent(&self, current: Option<&Origin>) -> Vec<(usize, &Stored)> {
        let Some(ws) = &self.workspace else {
            return Vec::new();
        };
        (self.recent.iter())
            .filter(|p| !current.is_some_and(|o| p.is(o)))
            .filter_map(|p| {
                let at = ws
                    .requests
                    .iter()
                    .position(|s| s.path == p.path && stored_name(s) == p.name)?;
                Some((at, &ws.requests[at]))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Request;

    fn stored(path: &str, index: usize, name: &str) -> Stored {
        Stored {
            request: Request {
                name: name.into(),
                ..Request::new("GET", "http://127.0.0.1:9/")
            },
            path: path.into(),
            index,
            file_vars: Vec::new(),
        }
    }

    fn list_of(requests: Vec<Stored>) -> ListPane {
        let mut list = ListPane::default();
        list.loaded(Ok(Box::new(Loaded {
            requests,
            ..Loaded::default()
        })));
        list
    }

    fn names(list: &ListPane, current: Option<&Origin>) -> Vec<String> {
        let recent = list.recent(current);
        recent.iter().map(|(_, s)| s.request.name.clone()).collect()
    }

    #[test]
    fn recent_requests_are_newest_first_without_the_current_one_and_follow_moves() {
        let (a, b, c) = (
            stored("/w/api.http", 0, "a"),
            stored("/w/api.http", 1, "b"),
            stored("/w/c.http", 0, "c"),
        );
        let mut list = list_of(vec![a.clone(), b.clone(), c.clone()]);
        for s in [&a, &b, &c, &b] {
            list.opened(Place::of(s));
        }
        let current = Origin::of(&b);
        assert_eq!(names(&list, Some(&current)), ["c", "a"]);
        assert_eq!(list.recent(Some(&current))[0].0, 2, "c's index in the list");

        // c moves to another file: the recent list follows it there, by file and name.
        let moved = stored("/w/requests/d.http", 0, "c");
        list.moved(&Origin::of(&c), Place::of(&moved));
        let mut list2 = list_of(vec![a.clone(), b.clone(), moved]);
        list2.recent = list.recent.clone();
        assert_eq!(names(&list2, Some(&current)), ["c", "a"]);
        // One that is gone from the workspace is not offered.
        let list3 = {
            let mut l = list_of(vec![b.clone()]);
            l.recent = list.recent.clone();
            l
        };
        assert!(names(&list3, Some(&current)).is_empty());
    }
}
