//! The Audit tab: audit a URL as a task and read the grade, findings by area, TLS and
//! redirects; or audit a file of targets and watch the table fill in; set the audit's options
//! as `apiward audit` takes them; or lint an API description and read its findings.

mod jobs;
mod lint_report;
mod lint_view;
pub mod msg;
mod options_form;
mod view;

pub use jobs::AuditJob;
pub use lint_report::LintReport;
pub use msg::Msg;

use crossterm::event::KeyEvent;

use super::{Cx, Effect, Pane, View};
use crate::audit::{self, AuditReport};
use crate::findings::Finding;
use crate::spec::{Location, SpecError};
use crate::tasks::TaskError;
use crate::tui::action::Action;
use crate::tui::action::Context;
use crate::tui::jobs::JobError;
use crate::tui::widgets::input::{InputOutcome, TextInput};
use options_form::{FormOutcome, OptionsForm};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    None,
    Url,
    Targets,
    /// The path or URL of a description to lint.
    Spec,
    Options,
}

/// What the body of the tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// The last single report, or the welcome.
    Report,
    Batch,
    Lint,
}

/// One row of a batch: the target, and its report once it is in.
pub struct BatchRow {
    pub target: String,
    pub report: Option<Box<AuditReport>>,
}

pub struct AuditPane {
    url: TextInput,
    targets: TextInput,
    spec: TextInput,
    focus: Focus,
    form: OptionsForm,
    /// The options as they were when the form opened: esc puts them back.
    form_before: Option<OptionsForm>,
    report: Option<Box<AuditReport>>,
    running: bool,
    selected: usize,
    detail: bool,
    batch: Vec<BatchRow>,
    shown: Shown,
    batch_selected: usize,
    lint: Option<Box<LintReport>>,
    linting: bool,
    lint_selected: usize,
}

impl Default for AuditPane {
    fn default() -> Self {
        Self {
            url: TextInput::default(),
            targets: TextInput::default(),
            spec: TextInput::default(),
            focus: Focus::None,
            form: OptionsForm::default(),
            form_before: None,
            report: None,
            running: false,
            selected: 0,
            detail: false,
            batch: Vec::new(),
            shown: Shown::Report,
            batch_selected: 0,
            lint: None,
            linting: false,
            lint_selected: 0,
        }
    }
}

impl AuditPane {
    /// Prefills the URL, e.g. from the Request tab.
    pub fn set_url(&mut self, url: &str) {
        self.url.set_text(url);
    }

    /// The last spec lint, once one has finished.
    pub fn lint(&self) -> Option<&LintReport> {
        self.lint.as_deref()
    }

    /// The findings in display order: grouped by area, worst first within an area.
    fn ordered(&self) -> Vec<&Finding> {
        let Some(report) = &self.report else {
            return Vec::new();
        };
        let order = ["TLS", "Headers", "Cookies", "CORS", "Redirects", "API"];
        let mut list: Vec<&Finding> = report.findings.iter().collect();
        list.sort_by_key(|f| {
            let area = audit::rules::area(&f.id);
            (
                order.iter().position(|a| *a == area),
                std::cmp::Reverse(f.severity),
            )
        });
        list
    }

    /// The finding the detail popup shows: the selected one of the view on screen.
    fn detail_finding(&self) -> Option<&Finding> {
        match self.shown {
            Shown::Lint => self.lint.as_ref()?.findings.get(self.lint_selected),
            _ => self.ordered().get(self.selected).copied(),
        }
    }

    fn on_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        if self.focus == Focus::Options {
            return self.on_form_key(key);
        }
        let input = match self.focus {
            Focus::Url => &mut self.url,
            Focus::Targets => &mut self.targets,
            Focus::Spec => &mut self.spec,
            Focus::None | Focus::Options => return None,
        };
        match input.handle_key(key) {
            InputOutcome::Changed => None,
            InputOutcome::Cancel => {
                self.focus = Focus::None;
                None
            }
            InputOutcome::Submit => match std::mem::replace(&mut self.focus, Focus::None) {
                Focus::Url => self.run(),
                Focus::Targets => self.run_batch(),
                Focus::Spec => self.run_lint(),
                Focus::None | Focus::Options => None,
            },
        }
    }

    /// A key in the options form: enter applies what the core accepts (a mistake keeps the
    /// form open with its reason), esc puts the options back as they were.
    fn on_form_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        match self.form.handle_key(key) {
            FormOutcome::Changed => None,
            FormOutcome::Cancel => {
                if let Some(before) = self.form_before.take() {
                    self.form = before;
                }
                self.focus = Focus::None;
                Some(Effect::Status("Audit options unchanged".into()))
            }
            FormOutcome::Submit => match self.form.setup() {
                Ok(_) => {
                    self.form_before = None;
                    self.focus = Focus::None;
                    let summary = match self.form.summary() {
                        s if s.is_empty() => "the defaults".to_string(),
                        s => s,
                    };
                    Some(Effect::Status(format!(
                        "Audit options set ({summary}): r audits with them"
                    )))
                }
                Err(e) => Some(Effect::Status(format!("Audit options: {e}"))),
            },
        }
    }

    fn on_paste(&mut self, text: &str) {
        match self.focus {
            Focus::Targets => self.targets.insert_str(text.trim()),
            Focus::Spec => self.spec.insert_str(text.trim()),
            Focus::Options => self.form.paste(text),
            Focus::Url | Focus::None => {
                self.focus = Focus::Url;
                self.url.insert_str(text.trim());
            }
        }
    }

    fn on_action(&mut self, action: Action) -> Option<Effect> {
        if self.detail {
            if matches!(action, Action::Back | Action::Select) {
                self.detail = false;
            }
            return None;
        }
        // What every view of the tab answers alike.
        match action {
            Action::AuditOptions => {
                self.form_before = Some(self.form.clone());
                self.form.open();
                self.focus = Focus::Options;
                return None;
            }
            Action::AuditSpecLint => {
                // A prompt opens empty; the last description is one ctrl-r away.
                self.spec.open();
                self.focus = Focus::Spec;
                return None;
            }
            Action::AuditToggleTls => {
                self.form.toggle_insecure();
                let state = if self.form.insecure() {
                    "OFF: headers are audited even with an untrusted certificate"
                } else {
                    "on"
                };
                return Some(Effect::Status(format!("Certificate verification {state}")));
            }
            _ => {}
        }
        match self.shown {
            Shown::Batch => return self.batch_action(action),
            Shown::Lint => return self.lint_action(action),
            Shown::Report => {}
        }
        let last = self.ordered().len().saturating_sub(1);
        match action {
            Action::Edit => self.focus = Focus::Url,
            Action::AuditRun => return self.run(),
            Action::AuditBatch => self.ask_targets(),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Select if self.report.is_some() && !self.ordered().is_empty() => {
                self.detail = true
            }
            Action::Select if self.report.is_none() => self.focus = Focus::Url,
            Action::Back if !self.batch.is_empty() => self.shown = Shown::Batch,
            Action::Back if self.lint.is_some() => self.shown = Shown::Lint,
            Action::Copy => {
                return Some(match &self.report {
                    Some(report) => Effect::Copy(audit::markdown::report(report)),
                    None => Effect::Status("No report to copy yet".into()),
                });
            }
            _ => {}
        }
        None
    }

    fn batch_action(&mut self, action: Action) -> Option<Effect> {
        let last = self.batch.len().saturating_sub(1);
        match action {
            Action::Up => self.batch_selected = self.batch_selected.saturating_sub(1),
            Action::Down => self.batch_selected = (self.batch_selected + 1).min(last),
            Action::Select => {
                if let Some(report) = self
                    .batch
                    .get(self.batch_selected)
                    .and_then(|r| r.report.clone())
                {
                    self.report = Some(report);
                    self.selected = 0;
                    self.shown = Shown::Report;
                }
            }
            Action::Back => self.shown = Shown::Report,
            Action::AuditBatch => self.ask_targets(),
            Action::Edit => {
                self.shown = Shown::Report;
                self.focus = Focus::Url;
            }
            _ => {}
        }
        None
    }

    /// Keys on the lint's findings: move, open the details, copy the report as the CLI
    /// prints it, or go back to the audit.
    fn lint_action(&mut self, action: Action) -> Option<Effect> {
        let count = self.lint.as_ref().map_or(0, |l| l.findings.len());
        let last = count.saturating_sub(1);
        match action {
            Action::Up => self.lint_selected = self.lint_selected.saturating_sub(1),
            Action::Down => self.lint_selected = (self.lint_selected + 1).min(last),
            Action::PageUp => self.lint_selected = self.lint_selected.saturating_sub(10),
            Action::PageDown => self.lint_selected = (self.lint_selected + 10).min(last),
            Action::Top => self.lint_selected = 0,
            Action::Bottom => self.lint_selected = last,
            Action::Select if count > 0 => self.detail = true,
            Action::Copy => {
                return Some(match &self.lint {
                    Some(lint) => Effect::Copy(lint.text.clone()),
                    None => Effect::Status("No lint report to copy yet".into()),
                });
            }
            Action::Back => self.shown = Shown::Report,
            Action::AuditRun => return self.run(),
            Action::AuditBatch => self.ask_targets(),
            Action::Edit => {
                self.shown = Shown::Report;
                self.focus = Focus::Url;
            }
            _ => {}
        }
        None
    }

    /// The targets file prompt, empty, the last file one ctrl-r away.
    fn ask_targets(&mut self) {
        self.targets.open();
        self.focus = Focus::Targets;
    }

    fn run(&mut self) -> Option<Effect> {
        let url = self.url.text().trim().to_string();
        if url.is_empty() {
            return Some(Effect::Status("Press e and type the URL to audit".into()));
        }
        if let Err(e) = crate::net::http_url(&url) {
            return Some(Effect::Status(e.to_string()));
        }
        let setup = match self.form.setup() {
            Ok(setup) => setup,
            Err(e) => return Some(Effect::Status(format!("Audit options (o): {e}"))),
        };
        self.running = true;
        self.shown = Shown::Report;
        Some(Effect::start(AuditJob::One { url, setup }))
    }

    fn run_batch(&mut self) -> Option<Effect> {
        let path = self.targets.text().trim().to_string();
        if path.is_empty() {
            return Some(Effect::Status(
                "Type the path of a targets file: one URL a line".to_string(),
            ));
        }
        let setup = match self.form.setup() {
            Ok(setup) => setup,
            Err(e) => return Some(Effect::Status(format!("Audit options (o): {e}"))),
        };
        // The file is read and checked by the job, off the UI thread; its targets arrive
        // in `batch_started`.
        Some(Effect::start(AuditJob::Batch {
            path: path.into(),
            setup,
        }))
    }

    fn run_lint(&mut self) -> Option<Effect> {
        let source = self.spec.text().trim().to_string();
        if source.is_empty() {
            return Some(Effect::Status(
                "Type the path or URL of an OpenAPI or Swagger description".to_string(),
            ));
        }
        // The loader's own guard, asked before a task is started, so the refusal is said
        // here in the tab's words (the loader asks again and would refuse all the same).
        if let Location::Url(url) = Location::parse(&source)
            && !crate::jwt::probe_run::is_loopback(&url)
        {
            return Some(Effect::Status(not_here(url.as_str())));
        }
        self.linting = true;
        self.shown = Shown::Lint;
        Some(Effect::start(AuditJob::Lint { source }))
    }

    /// A batch's targets were read: one row each, filled in as reports arrive.
    fn batch_started(&mut self, urls: Vec<String>) {
        self.batch = urls
            .into_iter()
            .map(|target| BatchRow {
                target,
                report: None,
            })
            .collect();
        self.shown = Shown::Batch;
        self.batch_selected = 0;
    }

    /// A single audit finished: lessons may count its findings when the lab answered.
    fn audited(&mut self, report: Result<Box<AuditReport>, JobError>) -> Option<Effect> {
        self.running = false;
        match report {
            Ok(report) => {
                let headers = report.headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                let note = super::lab_findings(headers, &report.findings);
                self.report = Some(report);
                self.selected = 0;
                note
            }
            Err(e) => Some(Effect::Status(format!("Audit {e}"))),
        }
    }

    /// A lint finished: its findings replace the last lint's.
    fn linted(&mut self, result: Result<Box<LintReport>, JobError>) -> Option<Effect> {
        self.linting = false;
        match result {
            Ok(report) => {
                let status = format!(
                    "Spec lint of {}: {} finding{}",
                    report.source,
                    report.findings.len(),
                    if report.findings.len() == 1 { "" } else { "s" }
                );
                self.lint = Some(report);
                self.lint_selected = 0;
                self.shown = Shown::Lint;
                Some(Effect::Status(status))
            }
            Err(TaskError::Cancelled) => Some(Effect::Status("Spec lint cancelled".into())),
            Err(TaskError::Failed(failure)) => {
                if self.lint.is_none() {
                    self.shown = Shown::Report;
                }
                // The loader's guard speaks of the CLI's flag: say what the tab does instead.
                let text = match failure.downcast_ref::<SpecError>() {
                    Some(SpecError::RemoteHost { url }) => not_here(url),
                    _ => format!("Spec lint failed: {failure}"),
                };
                Some(Effect::Status(text))
            }
        }
    }

    /// One target of a batch finished.
    fn batch_item(&mut self, report: Box<AuditReport>) {
        if let Some(row) = self
            .batch
            .iter_mut()
            .find(|r| r.target == report.target && r.report.is_none())
        {
            row.report = Some(report);
        }
    }
}

/// Why a description elsewhere is not linted here, and how it can be.
fn not_here(url: &str) -> String {
    format!(
        "{url} is not on this machine: the Audit tab lints descriptions on this machine only (apiward spec lint --allow-remote fetches others)"
    )
}

impl AuditPane {
    /// A job of this pane sent a message.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        match msg {
            Msg::Audited(result) => cx.push(self.audited(result)),
            Msg::BatchTargets(urls) => self.batch_started(urls),
            Msg::BatchItem(report) => self.batch_item(report),
            Msg::BatchEnded(Ok(())) => cx.status("Batch audit finished"),
            Msg::BatchEnded(Err(e)) => cx.status(format!("Batch audit {e}")),
            Msg::Linted(result) => cx.push(self.linted(result)),
        }
    }
}

impl Pane for AuditPane {
    fn context(&self) -> Context {
        Context::Audit
    }

    fn is_editing(&self) -> bool {
        self.focus != Focus::None
    }

    fn handle_key(&mut self, key: &KeyEvent, cx: &mut Cx) {
        cx.push(self.on_key(key));
    }

    fn handle_action(&mut self, action: Action, cx: &mut Cx) {
        cx.push(self.on_action(action));
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) {
        self.on_paste(text);
    }

    fn render(&self, frame: &mut ratatui::Frame, area: ratatui::layout::Rect, view: &View) {
        self.draw(frame, area, view.theme);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::tui::jobs;
    use crate::tui::msg::{Msg as AppMsg, PaneMsg};

    /// Runs the pane's batch job for a targets file with `text`, as the event loop would,
    /// and returns every message it sent, the last one its end.
    async fn batch(text: &str) -> Vec<AppMsg> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("targets.txt");
        std::fs::write(&path, text).unwrap();
        let mut pane = AuditPane::default();
        pane.targets.set_text(path.display().to_string());
        let Some(Effect::Start(job)) = pane.run_batch() else {
            panic!("no job started");
        };
        let (runner, _events) = crate::tasks::TaskRunner::new(2);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let emit: jobs::Emit = Arc::new(move |m| sink.lock().unwrap().push(m));
        let last = job.start(&runner, emit).await;
        let mut all = std::mem::take(&mut *seen.lock().unwrap());
        all.push(last);
        all
    }

    #[tokio::test]
    async fn a_batch_reads_its_file_in_the_job_and_checks_every_line() {
        let dead = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let url = format!("http://{dead}/");
        let msgs = batch(&format!("# one dead target\n{url}\n")).await;
        assert!(
            matches!(&msgs[0], AppMsg::Pane(PaneMsg::Audit(Msg::BatchTargets(urls))) if urls.as_slice() == std::slice::from_ref(&url)),
            "{msgs:?}"
        );
        assert!(
            matches!(&msgs[1], AppMsg::Pane(PaneMsg::Audit(Msg::BatchItem(r))) if r.error.is_some())
        );
        let mut pane = AuditPane::default();
        pane.batch_started(vec![url]);
        assert!(pane.shown == Shown::Batch && pane.batch.len() == 1);

        let msgs = batch("http://127.0.0.1:1/\nnot a url\n").await;
        assert!(
            matches!(&msgs[..], [AppMsg::Pane(PaneMsg::Audit(Msg::BatchEnded(Err(e))))] if e.to_string().contains("line 2")),
            "{msgs:?}"
        );
        assert!(matches!(
            AuditPane::default().run_batch(),
            Some(Effect::Status(_))
        ));
    }
}
