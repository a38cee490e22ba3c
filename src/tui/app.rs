//! The application state and its update function, the Elm way.
//!
//! Every input becomes a [`Msg`]; `App::update` changes state and queues [`Effect`]s that the
//! event loop carries out (clipboard, cancelling tasks). `App::render` draws the state and
//! does no I/O, so the whole UI is testable on a `TestBackend` without a terminal.

use std::time::Instant;

use crossterm::event::{KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

use super::action::Action;
use super::action::Context;
use super::import::{self, ImportDialog};
use super::keymap::Keymap;
pub use super::msg::{Msg, PaneMsg};
use super::palette::{Palette, PaletteOutcome};
use super::panes::{
    Cx, Effect, Pane, View, audit::AuditPane, jwt::JwtPane, keys::KeysPane, learn::LabState,
    learn::LearnPane, matrix::MatrixPane, request::RequestPane, tasks::TasksPane,
};
use super::quiet_key;
use super::tabs::Tab;
use super::theme::Theme;
use super::widgets::{help, status_bar, tab_bar, welcome};
use crate::tasks::{TaskBoard, TaskEvent};

/// Rows a mouse-wheel notch scrolls.
const WHEEL_STEP: usize = 3;

pub struct App {
    tab: Tab,
    help_scroll: Option<usize>,
    keymap: Keymap,
    theme: Theme,
    board: TaskBoard,
    tasks_pane: TasksPane,
    jwt: JwtPane,
    audit: AuditPane,
    request: RequestPane,
    keys: KeysPane,
    learn: LearnPane,
    matrix: MatrixPane,
    /// The welcome screen is over the panes.
    welcome: bool,
    /// The Request tab switches to the sample workspace when the lab starts (no workspace
    /// of the user's was named or found).
    requests_follow_lab: bool,
    status: Option<String>,
    /// Every message of the session, for the message log.
    log: Vec<String>,
    /// The message log overlay is open, scrolled this far.
    log_scroll: Option<usize>,
    palette: Option<Palette>,
    /// The import dialog, over the panes.
    import: Option<ImportDialog>,
    /// The Request tab's workspace as given (none: the default one), which imports go into.
    workspace_dir: Option<std::path::PathBuf>,
    /// The body's height at the last draw, so the overlays scroll no further than their end.
    body_area: std::cell::Cell<ratatui::layout::Rect>,
    now: Instant,
    quit: bool,
    /// q was pressed with unsaved edits and the next q quits anyway; any other key disarms.
    quit_armed: bool,
    effects: Vec<Effect>,
}

impl App {
    pub fn new(theme: Theme, keymap: Keymap) -> Self {
        Self {
            tab: Tab::Request,
            help_scroll: None,
            keymap,
            theme,
            board: TaskBoard::default(),
            tasks_pane: TasksPane::default(),
            jwt: JwtPane::default(),
            audit: AuditPane::default(),
            request: RequestPane::default(),
            keys: KeysPane::default(),
            learn: LearnPane::default(),
            matrix: MatrixPane::default(),
            welcome: false,
            requests_follow_lab: false,
            status: None,
            log: Vec::new(),
            log_scroll: None,
            palette: None,
            import: None,
            workspace_dir: None,
            body_area: std::cell::Cell::new(ratatui::layout::Rect::new(0, 0, 120, 38)),
            now: Instant::now(),
            quit: false,
            quit_armed: false,
            effects: Vec::new(),
        }
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn help_open(&self) -> bool {
        self.help_scroll.is_some()
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    pub fn board(&self) -> &TaskBoard {
        &self.board
    }

    /// Every message said this session, oldest first.
    pub fn messages(&self) -> &[String] {
        &self.log
    }

    /// Puts `text` in the status bar and the message log.
    fn say(&mut self, text: impl Into<String>) {
        /// Messages kept for the log: a long session's oldest go first.
        const LOG_LIMIT: usize = 1000;
        let text = text.into();
        if self.log.len() == LOG_LIMIT {
            self.log.remove(0);
        }
        self.log.push(text.clone());
        self.status = Some(text);
    }

    /// Whether anything on screen moves with time alone (elapsed times of running tasks).
    pub fn has_running_tasks(&self) -> bool {
        self.board.running().next().is_some()
    }

    /// The effects queued since the last call, for the event loop to carry out.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Sets the clock that elapsed times and rates are computed against.
    pub fn set_now(&mut self, now: Instant) {
        self.now = now;
    }

    /// Sets the wall clock (unix seconds) that token times are compared against.
    pub fn set_unix_now(&mut self, unix: i64) {
        self.jwt.set_now(unix);
        self.keys.set_now(unix);
        self.request.set_now(unix);
    }

    /// The workspace folder of the Request and Keys tabs, instead of the default
    /// (`./.apiward` or the config directory). It is read on first use of a tab, never at
    /// start-up.
    pub fn set_workspace(&mut self, dir: Option<std::path::PathBuf>) {
        self.keys.set_workspace(dir.clone());
        self.jwt.set_workspace(dir.clone());
        self.matrix.set_workspace(dir.clone());
        self.workspace_dir = dir.clone();
        self.request.set_workspace_dir(dir);
    }

    /// Where lessons keep progress and read the lab's record, and whether the lab is being
    /// started beside the workbench (its sample workspace then feeds the Request tab unless
    /// `requests_follow_lab` is false).
    pub fn set_learning(
        &mut self,
        course: crate::learn::Course,
        lab_starting: bool,
        requests_follow_lab: bool,
    ) {
        self.learn.set_course(course);
        self.learn.set_lab(if lab_starting {
            LabState::Starting
        } else {
            LabState::Off
        });
        self.requests_follow_lab = requests_follow_lab;
    }

    /// Opens the welcome screen over the panes.
    pub fn show_welcome(&mut self) {
        self.welcome = true;
    }

    pub fn welcome_open(&self) -> bool {
        self.welcome
    }

    /// The Learn tab, for tests.
    pub fn learn(&self) -> &LearnPane {
        &self.learn
    }

    /// Closes the welcome screen and remembers it was seen.
    fn close_welcome(&mut self, to_lessons: bool) {
        self.welcome = false;
        if to_lessons {
            self.tab = Tab::Learn;
            let effect = self.learn.start_first();
            self.effects.extend(effect);
        }
        let effect = self.learn.tour_seen();
        self.effects.extend(effect);
        self.settle();
    }

    fn lab_started(&mut self, result: Result<Box<super::msg::LabStarted>, String>) {
        match result {
            Ok(started) => {
                self.say(match &started.sample_error {
                    Some(e) => {
                        format!("Lab running, but the sample workspace was not written: {e}")
                    }
                    None => format!("Practice lab running at {}", started.urls.http),
                });
                self.learn.set_lab(LabState::Running(started.urls.clone()));
                let effect = self.learn.lab_progress(started.successes);
                self.effects.extend(effect);
                if self.requests_follow_lab && started.sample_error.is_none() {
                    self.matrix.set_workspace(Some(started.sample.clone()));
                    self.workspace_dir = Some(started.sample.clone());
                    self.request.set_workspace_dir(Some(started.sample));
                    let effect = self.request.load_if_needed();
                    self.effects.extend(effect);
                }
                self.settle();
            }
            Err(e) => {
                self.say(format!("The practice lab did not start: {e}"));
                self.learn.set_lab(LabState::Failed(e));
            }
        }
    }

    /// The Keys tab's open keyring, if any.
    pub fn keyring(&self) -> Option<&crate::keys::Keyring> {
        self.keys.ring()
    }

    /// Shows `token` in the JWT tab.
    pub fn inspect_token(&mut self, token: &str) {
        self.jwt.load(token);
        self.tab = Tab::Jwt;
        self.say("Token loaded into the JWT tab");
    }

    /// The Request tab's request, as edited so far.
    pub fn request_model(&self) -> &crate::http::Request {
        self.request.request()
    }

    /// Prefills the Audit tab with `url` and switches to it; `r` there runs the audit.
    pub fn audit_url(&mut self, url: &str) {
        self.audit.set_url(url);
        self.tab = Tab::Audit;
        self.say("URL copied to the Audit tab: r runs the audit");
    }

    /// The pane of `tab`.
    fn pane(&self, tab: Tab) -> &dyn Pane {
        match tab {
            Tab::Request => &self.request,
            Tab::Jwt => &self.jwt,
            Tab::Audit => &self.audit,
            Tab::Keys => &self.keys,
            Tab::Tasks => &self.tasks_pane,
            Tab::Learn => &self.learn,
            Tab::Matrix => &self.matrix,
        }
    }

    /// Lets the pane of `tab` handle something, then carries out what it asked of the app.
    fn with_pane(&mut self, tab: Tab, f: impl FnOnce(&mut dyn Pane, &mut Cx)) {
        let mut cx = Cx::new(&mut self.effects, &self.keymap, &self.board);
        let pane: &mut dyn Pane = match tab {
            Tab::Request => &mut self.request,
            Tab::Jwt => &mut self.jwt,
            Tab::Audit => &mut self.audit,
            Tab::Keys => &mut self.keys,
            Tab::Tasks => &mut self.tasks_pane,
            Tab::Learn => &mut self.learn,
            Tab::Matrix => &mut self.matrix,
        };
        f(pane, &mut cx);
        self.settle();
    }

    /// Gives a pane its own message.
    fn route(&mut self, msg: PaneMsg) {
        let mut cx = Cx::new(&mut self.effects, &self.keymap, &self.board);
        match msg {
            PaneMsg::Request(msg) => self.request.update(msg, &mut cx),
            PaneMsg::Jwt(msg) => self.jwt.update(msg, &mut cx),
            PaneMsg::Audit(msg) => self.audit.update(msg, &mut cx),
            PaneMsg::Keys(msg) => self.keys.update(msg, &mut cx),
            PaneMsg::Learn(msg) => self.learn.update(msg, &mut cx),
            PaneMsg::Matrix(msg) => self.matrix.update(msg, &mut cx),
            PaneMsg::Import(msg) => {
                let outcome = match self.import.as_mut() {
                    Some(dialog) => dialog.update(msg),
                    // Closed before the job answered: nothing to show it in.
                    None => import::Outcome::Open,
                };
                self.import_outcome(outcome);
            }
        }
        self.settle();
    }

    /// Carries out the effects that are the app's to do (the status bar, moving things
    /// between tabs); the rest stay queued for the event loop.
    fn settle(&mut self) {
        let mut i = 0;
        while i < self.effects.len() {
            let app_work = matches!(
                self.effects[i],
                Effect::Status(_)
                    | Effect::InspectToken(_)
                    | Effect::AuditUrl(_)
                    | Effect::UseBearer(_)
                    | Effect::NoteLabFindings(_)
                    | Effect::ShowTour
                    | Effect::ClearTasks
            );
            if !app_work {
                i += 1;
                continue;
            }
            match self.effects.remove(i) {
                Effect::Status(text) => self.say(text),
                Effect::InspectToken(token) => self.inspect_token(&token),
                Effect::AuditUrl(url) => self.audit_url(&url),
                Effect::UseBearer(token) => {
                    self.request.use_bearer_token(&token);
                    self.tab = Tab::Request;
                    self.say("Token set as the request's bearer token: ctrl-s sends");
                }
                Effect::NoteLabFindings(ids) => {
                    let effect = self.learn.refresh(None, ids);
                    self.effects.extend(effect);
                }
                Effect::ShowTour => self.welcome = true,
                Effect::ClearTasks => {
                    let n = self.board.clear_finished();
                    self.say(format!(
                        "Cleared {n} ended task{}",
                        if n == 1 { "" } else { "s" }
                    ));
                }
                other => self.effects.push(other),
            }
        }
    }

    /// Whether the active pane has a text input focused, which takes keys raw.
    fn editing(&self) -> bool {
        self.help_scroll.is_none() && self.log_scroll.is_none() && self.pane(self.tab).is_editing()
    }

    pub fn update(&mut self, msg: Msg) {
        self.update_inner(msg);
        // The JWT tab verifies tokens with the keys of the keyring open in the Keys tab.
        self.jwt.set_keyring(self.keys.shared_ring());
        // A pane may read what it needs the first time it is shown, however it was reached.
        self.with_pane(self.tab, |pane, cx| pane.shown(cx));
    }

    fn update_inner(&mut self, msg: Msg) {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release && self.welcome => {
                match self.keymap.action_for(Context::Global, &key) {
                    Some(Action::Select) => self.close_welcome(true),
                    Some(Action::Back) => self.close_welcome(false),
                    Some(Action::Quit) => self.quit = true,
                    _ => {}
                }
            }
            Msg::Key(key) if key.kind != KeyEventKind::Release && self.palette.is_some() => {
                self.palette_key(&key);
            }
            Msg::Key(key) if key.kind != KeyEventKind::Release && self.import.is_some() => {
                if let Some(dialog) = self.import.as_mut() {
                    let outcome = dialog.handle_key(&key, &mut self.effects);
                    self.import_outcome(outcome);
                }
            }
            Msg::Key(key) if key.kind != KeyEventKind::Release => {
                let armed = std::mem::take(&mut self.quit_armed);
                if !self.editing()
                    && self.keymap.action_for(self.pane(self.tab).context(), &key)
                        == Some(Action::Quit)
                {
                    return self.ask_quit(armed);
                }
                if self.editing() {
                    self.with_pane(self.tab, |pane, cx| pane.handle_key(&key, cx));
                } else if let Some(action) =
                    self.keymap.action_for(self.pane(self.tab).context(), &key)
                {
                    self.handle_action(action);
                }
            }
            Msg::Key(_) | Msg::Resize => {}
            Msg::Mouse(mouse) => self.handle_mouse(mouse),
            // Pasted text may be a passphrase: the input keeps its own wiped copy, and this
            // one is wiped rather than freed as it is.
            Msg::Paste(mut text) | Msg::ClipboardText(Ok(mut text)) => {
                match (self.palette.as_mut(), self.import.as_mut()) {
                    (Some(palette), _) => palette.paste(&text),
                    (None, Some(dialog)) => dialog.paste(&text),
                    (None, None) => self.with_pane(self.tab, |pane, cx| pane.paste(&text, cx)),
                }
                zeroize::Zeroize::zeroize(&mut text);
            }
            Msg::ClipboardText(Err(err)) => {
                self.say(format!(
                    "Cannot read the clipboard: {err}; paste with your terminal instead"
                ));
            }
            Msg::Pane(msg) => self.route(msg),
            Msg::Status(text) => self.say(text),
            Msg::Task(event) => {
                let started = matches!(event, TaskEvent::Started { .. });
                self.board.apply(&event, self.now);
                if started {
                    self.tasks_pane.follow_newest(&self.board);
                }
                if let TaskEvent::Ended { id, end } = &event
                    && let Some(task) = self.board.get(*id)
                {
                    // A task that did its work says nothing here: its pane tells the result,
                    // and a "finished" line would push that result out of the status bar.
                    match end {
                        crate::tasks::TaskEnd::Done => {}
                        crate::tasks::TaskEnd::Failed(e) => {
                            let text = format!("{} failed: {e}", task.title);
                            self.say(text);
                        }
                        crate::tasks::TaskEnd::Cancelled => {
                            let text = format!("{} cancelled", task.title);
                            self.say(text);
                        }
                    }
                }
            }
            Msg::Copied(Ok((chars, path))) => {
                self.say(format!("Copied {chars} characters via {}", path.describe()));
            }
            Msg::Copied(Err(err)) => self.say(format!("Copy failed: {err}")),
            Msg::LabStarted(result) => self.lab_started(result),
            Msg::LabProgress(successes) => {
                let effect = self.learn.lab_progress(successes);
                self.effects.extend(effect);
            }
            Msg::Quit => self.quit = true,
        }
    }

    fn handle_action(&mut self, action: Action) {
        let rows = (self.body_area.get().height as usize)
            .saturating_sub(4)
            .max(1);
        if let Some(scroll) = self.log_scroll.as_mut() {
            let max = self.log.len().saturating_sub(rows);
            match action {
                Action::MessageLog | Action::Back => self.log_scroll = None,
                Action::Quit => self.quit = true,
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = (*scroll + 1).min(max),
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll = (*scroll + 10).min(max),
                Action::Top => *scroll = 0,
                Action::Bottom => *scroll = max,
                _ => {}
            }
            return;
        }
        if let Some(scroll) = self.help_scroll.as_mut() {
            // Scrolled no further than the last line at the bottom of the overlay.
            let max = help::line_count(&self.keymap).saturating_sub(rows);
            match action {
                Action::Help | Action::Back => self.help_scroll = None,
                Action::Quit => self.quit = true,
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = (*scroll + 1).min(max),
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll = (*scroll + 10).min(max),
                Action::Top => *scroll = 0,
                Action::Bottom => *scroll = max,
                _ => {}
            }
            return;
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.help_scroll = Some(0),
            Action::Palette => self.palette = Some(Palette::default()),
            Action::Import => {
                let dir = crate::paths::workspace(self.workspace_dir.as_deref());
                match dir {
                    Some(dir) => self.import = Some(ImportDialog::new(dir)),
                    None => {
                        self.say("No workspace folder to import into: start with --workspace DIR")
                    }
                }
            }
            Action::MessageLog => {
                let rows = (self.body_area.get().height as usize)
                    .saturating_sub(4)
                    .max(1);
                self.log_scroll = Some(self.log.len().saturating_sub(rows));
            }
            Action::NextTab => self.tab = self.tab.next(),
            Action::PrevTab => self.tab = self.tab.prev(),
            Action::GoTab(i) => {
                if let Some(tab) = Tab::from_index(i) {
                    self.tab = tab;
                }
            }
            other => self.pane_action(other),
        }
    }

    /// Gives the shown pane an action; if nothing came of it that a user could see, says so.
    fn pane_action(&mut self, action: Action) {
        let heard = |app: &App| (app.effects.len(), app.log.len(), app.tab, app.welcome);
        let before = heard(self);
        let picture = quiet_key::worth_a_word(action).then(|| self.pane_picture());
        self.with_pane(self.tab, |pane, cx| pane.handle_action(action, cx));
        if let Some(picture) = picture
            && heard(self) == before
            && self.pane_picture() == picture
        {
            let text = quiet_key::said(self.pane(self.tab), action, &self.keymap);
            self.say(text);
        }
    }

    /// The shown pane drawn off screen at its last size.
    fn pane_picture(&self) -> Option<ratatui::buffer::Buffer> {
        let view = View {
            theme: &self.theme,
            board: &self.board,
            now: self.now,
        };
        quiet_key::picture(self.pane(self.tab), self.body_area.get(), &view)
    }

    /// `q`: quits, unless that would drop unsaved edits and this is not the second `q`.
    fn ask_quit(&mut self, armed: bool) {
        let unsaved = Tab::ALL
            .into_iter()
            .find_map(|tab| self.pane(tab).unsaved().map(|name| (tab, name)));
        match unsaved {
            Some((tab, name)) if !armed => {
                self.quit_armed = true;
                self.say(format!(
                    "Unsaved edits to {name} ({} tab): q again quits and drops them; S there saves",
                    tab.title()
                ));
            }
            _ => self.quit = true,
        }
    }

    /// Closes the import dialog when it is done; after a write the Request tab reads the
    /// workspace again, so the new requests show.
    fn import_outcome(&mut self, outcome: import::Outcome) {
        match outcome {
            import::Outcome::Open => {}
            import::Outcome::Close => self.import = None,
            import::Outcome::Written(written) => {
                self.import = None;
                self.tab = Tab::Request;
                self.request.set_workspace_dir(self.workspace_dir.clone());
                let effect = self.request.load_if_needed();
                self.effects.extend(effect);
                self.say(import::written_message(&written));
            }
        }
    }

    /// Keys while the palette is open: the chosen action runs on its own tab.
    fn palette_key(&mut self, key: &crossterm::event::KeyEvent) {
        let Some(palette) = self.palette.as_mut() else {
            return;
        };
        match palette.handle_key(key, &self.keymap) {
            PaletteOutcome::Open => {}
            PaletteOutcome::Close => self.palette = None,
            PaletteOutcome::Run(action) => {
                self.palette = None;
                let context = action.context();
                if let Some(tab) = Tab::ALL
                    .into_iter()
                    .find(|tab| self.pane(*tab).context() == context)
                {
                    self.tab = tab;
                }
                self.handle_action(action);
            }
        }
    }

    fn handle_mouse(&mut self, mouse: MouseEvent) {
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if mouse.row == 0 && !self.help_open() => {
                if let Some(tab) = tab_bar::tab_at(mouse.column) {
                    self.tab = tab;
                }
            }
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown if self.import.is_some() => {
                let down = mouse.kind == MouseEventKind::ScrollDown;
                if let Some(dialog) = self.import.as_mut() {
                    (0..WHEEL_STEP).for_each(|_| dialog.scroll(down, &mut self.effects));
                }
            }
            MouseEventKind::ScrollUp => {
                (0..WHEEL_STEP).for_each(|_| self.handle_action(Action::Up))
            }
            MouseEventKind::ScrollDown => {
                (0..WHEEL_STEP).for_each(|_| self.handle_action(Action::Down))
            }
            _ => {}
        }
    }

    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        frame.render_widget(
            ratatui::widgets::Block::default().style(self.theme.base()),
            area,
        );
        let [tabs, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        tab_bar::render(frame, tabs, self.tab, &self.theme);
        let view = View {
            theme: &self.theme,
            board: &self.board,
            now: self.now,
        };
        self.pane(self.tab).render(frame, body, &view);
        if self.welcome {
            welcome::render(frame, body, self.learn.lab(), &self.theme);
        }
        let hint = format!(
            "{} help · {} quit ",
            first_key(&self.keymap, Action::Help),
            first_key(&self.keymap, Action::Quit)
        );
        status_bar::render(
            frame,
            status,
            &self.board,
            self.status.as_deref(),
            &hint,
            &self.theme,
            self.now,
        );
        self.body_area.set(body);
        if let Some(scroll) = self.help_scroll {
            help::render(frame, body, &self.keymap, scroll, &self.theme);
        }
        if let Some(scroll) = self.log_scroll {
            super::widgets::messages::render(frame, body, &self.log, scroll, &self.theme);
        }
        if let Some(dialog) = &self.import {
            dialog.render(frame, body, &self.theme);
        }
        if let Some(palette) = &self.palette {
            palette.render(frame, body, &self.keymap, &self.theme);
        }
    }
}

fn first_key(keymap: &Keymap, action: Action) -> String {
    keymap
        .keys_text(action)
        .split(", ")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::{TaskEnd, TaskId, TaskKind};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn app() -> App {
        App::new(Theme::builtin_default(), Keymap::default())
    }

    fn press(app: &mut App, code: KeyCode) {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    #[test]
    fn digits_tab_and_backtab_switch_tabs() {
        let mut app = app();
        press(&mut app, KeyCode::Char('3'));
        assert_eq!(app.tab(), Tab::Audit);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.tab(), Tab::Keys);
        press(&mut app, KeyCode::BackTab);
        press(&mut app, KeyCode::BackTab);
        assert_eq!(app.tab(), Tab::Jwt);
        press(&mut app, KeyCode::Char('7'));
        assert_eq!(app.tab(), Tab::Matrix);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.tab(), Tab::Request, "tab wraps around");
    }

    #[test]
    fn help_opens_scrolls_and_closes_and_swallows_tab_keys() {
        let mut app = app();
        press(&mut app, KeyCode::Char('?'));
        assert!(app.help_open());
        press(&mut app, KeyCode::Char('2'));
        assert_eq!(app.tab(), Tab::Request, "keys go to the overlay");
        press(&mut app, KeyCode::Esc);
        assert!(!app.help_open());
        press(&mut app, KeyCode::Char('q'));
        assert!(app.should_quit());
    }

    #[test]
    fn a_click_on_the_tab_bar_switches_tab() {
        let mut app = app();
        app.update(Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 23,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }));
        assert_eq!(app.tab(), Tab::Jwt);
    }

    #[test]
    fn cancel_key_on_tasks_tab_queues_a_cancel_for_the_running_task() {
        let mut app = app();
        let id = TaskId(4);
        app.update(Msg::Task(TaskEvent::Started {
            id,
            kind: TaskKind::Crack,
            title: "crack HS256".into(),
        }));
        press(&mut app, KeyCode::Char('5'));
        press(&mut app, KeyCode::Char('x'));
        assert!(matches!(app.take_effects().as_slice(), [Effect::CancelTask(got)] if *got == id));
        app.update(Msg::Task(TaskEvent::Ended {
            id,
            end: TaskEnd::Cancelled,
        }));
        assert_eq!(app.status(), Some("crack HS256 cancelled"));
        press(&mut app, KeyCode::Char('x'));
        assert!(
            app.take_effects().is_empty(),
            "an ended task is not cancelled again"
        );
    }

    #[test]
    fn paste_is_acknowledged() {
        let mut app = app();
        press(&mut app, KeyCode::Char('6'));
        app.update(Msg::Paste("eyJhbGciOi".into()));
        assert!(app.status().unwrap().contains("10 characters"));
    }

    #[test]
    fn a_200_kb_paste_on_the_request_tab_becomes_the_url() {
        let mut app = app();
        let url = format!("https://example.com/?q={}", "é0123456789".repeat(20 * 1024));
        assert!(url.len() > 200 * 1024);
        // A terminal's bracketed paste arrives as one event, with the newline a copy brings.
        app.update(Msg::Paste(format!("{url}\n")));
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
            .expect("a test terminal");
        terminal.draw(|f| app.render(f)).expect("drawn");
        let screen = format!("{:?}", terminal.backend().buffer());
        assert!(screen.contains("é0123456789é"), "{screen}");
        assert!(
            !screen.contains("https://"),
            "the input shows the URL's end, where the cursor is: {screen}"
        );
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.request_model().url, url);
    }
}
