//! The Audit tab: audit a URL as a task and read the grade, findings by area, TLS and
//! redirects; or audit a file of targets and watch the table fill in.

mod jobs;
pub mod msg;
mod view;

pub use jobs::AuditJob;
pub use msg::Msg;

use crossterm::event::KeyEvent;

use super::{Cx, Effect, Pane, View};
use crate::audit::{self, AuditOptions, AuditReport};
use crate::findings::Finding;
use crate::tui::action::Action;
use crate::tui::action::Context;
use crate::tui::widgets::input::{InputOutcome, TextInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Focus {
    None,
    Url,
    Targets,
}

/// One row of a batch: the target, and its report once it is in.
pub struct BatchRow {
    pub target: String,
    pub report: Option<Box<AuditReport>>,
}

pub struct AuditPane {
    url: TextInput,
    targets: TextInput,
    focus: Focus,
    report: Option<Box<AuditReport>>,
    running: bool,
    selected: usize,
    detail: bool,
    insecure: bool,
    batch: Vec<BatchRow>,
    /// In the batch table (rather than one report).
    batch_view: bool,
    batch_selected: usize,
}

impl Default for AuditPane {
    fn default() -> Self {
        Self {
            url: TextInput::default(),
            targets: TextInput::default(),
            focus: Focus::None,
            report: None,
            running: false,
            selected: 0,
            detail: false,
            insecure: false,
            batch: Vec::new(),
            batch_view: false,
            batch_selected: 0,
        }
    }
}

impl AuditPane {
    /// Prefills the URL, e.g. from the Request tab.
    pub fn set_url(&mut self, url: &str) {
        self.url.set_text(url);
    }

    fn options(&self) -> AuditOptions {
        AuditOptions {
            insecure: self.insecure,
            ..AuditOptions::default()
        }
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

    fn on_key(&mut self, key: &KeyEvent) -> Option<Effect> {
        let input = match self.focus {
            Focus::Url => &mut self.url,
            Focus::Targets => &mut self.targets,
            Focus::None => return None,
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
                Focus::None => None,
            },
        }
    }

    fn on_paste(&mut self, text: &str) {
        match self.focus {
            Focus::Targets => self.targets.insert_str(text.trim()),
            _ => {
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
        if self.batch_view {
            return self.batch_action(action);
        }
        let last = self.ordered().len().saturating_sub(1);
        match action {
            Action::Edit => self.focus = Focus::Url,
            Action::AuditRun => return self.run(),
            Action::AuditBatch => self.focus = Focus::Targets,
            Action::AuditToggleTls => {
                self.insecure = !self.insecure;
                let state = if self.insecure {
                    "OFF: headers are audited even with an untrusted certificate"
                } else {
                    "on"
                };
                return Some(Effect::Status(format!("Certificate verification {state}")));
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::Select if self.report.is_some() && !self.ordered().is_empty() => {
                self.detail = true
            }
            Action::Select if self.report.is_none() => self.focus = Focus::Url,
            Action::Back if !self.batch.is_empty() => self.batch_view = true,
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
                    self.batch_view = false;
                }
            }
            Action::Back => self.batch_view = false,
            Action::AuditBatch => self.focus = Focus::Targets,
            Action::Edit => {
                self.batch_view = false;
                self.focus = Focus::Url;
            }
            _ => {}
        }
        None
    }

    fn run(&mut self) -> Option<Effect> {
        let url = self.url.text().trim().to_string();
        match reqwest::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {
                self.running = true;
                self.batch_view = false;
                Some(Effect::start(AuditJob::One {
                    url,
                    options: self.options(),
                }))
            }
            _ => Some(Effect::Status(format!(
                "'{url}' is not an http:// or https:// URL"
            ))),
        }
    }

    fn run_batch(&mut self) -> Option<Effect> {
        let path = self.targets.text().trim().to_string();
        if path.is_empty() {
            return Some(Effect::Status(
                "Type the path of a targets file: one URL a line".to_string(),
            ));
        }
        // The file is read and checked by the job, off the UI thread; its targets arrive
        // in `batch_started`.
        Some(Effect::start(AuditJob::Batch {
            path: path.into(),
            options: self.options(),
        }))
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
        self.batch_view = true;
        self.batch_selected = 0;
    }

    /// A single audit finished: lessons may count its findings when the lab answered.
    fn audited(
        &mut self,
        report: Result<Box<AuditReport>, crate::tui::jobs::JobError>,
    ) -> Option<Effect> {
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

impl AuditPane {
    /// A job of this pane sent a message.
    pub fn update(&mut self, msg: Msg, cx: &mut Cx) {
        match msg {
            Msg::Audited(result) => cx.push(self.audited(result)),
            Msg::BatchTargets(urls) => self.batch_started(urls),
            Msg::BatchItem(report) => self.batch_item(report),
            Msg::BatchEnded(Ok(())) => cx.status("Batch audit finished"),
            Msg::BatchEnded(Err(e)) => cx.status(format!("Batch audit {e}")),
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
        assert!(pane.batch_view && pane.batch.len() == 1);

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
