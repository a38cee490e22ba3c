//! The practice lab beside the workbench: started after the first frame so start-up pays
//! nothing for its key generation, with the sample workspace refreshed to point at it. The
//! lab lives as long as the event loop's runtime; each new exploit wakes the Learn tab.

use std::path::PathBuf;

use crate::lab::{self, LabConfig};
use crate::learn::LabUrls;
use crate::tui::app::Msg;

/// How the workbench starts its lab.
#[derive(Debug, Clone)]
pub struct LabPlan {
    /// The lab's folder: its log, exploit record and addresses.
    pub dir: PathBuf,
    /// The sample workspace to refresh for the lab's addresses.
    pub sample: PathBuf,
}

/// What the app learns when the lab is up.
#[derive(Debug, Clone)]
pub struct LabStarted {
    pub urls: LabUrls,
    pub dir: PathBuf,
    pub sample: PathBuf,
    pub successes: Vec<lab::Success>,
    /// Set when the sample workspace could not be written: the lab still runs.
    pub sample_error: Option<String>,
}

/// Starts the lab and reports through `send` until the runtime shuts down.
pub async fn run(plan: LabPlan, send: impl Fn(Msg) + Send + 'static) {
    let handle = match lab::start(LabConfig::new(&plan.dir)).await {
        Ok(h) => h,
        Err(e) => return send(Msg::LabStarted(Err(e.to_string()))),
    };
    let urls = handle.urls.clone();
    let sample_error = {
        let (sample, urls) = (plan.sample.clone(), urls.clone());
        match tokio::task::spawn_blocking(move || crate::learn::sample::prepare(&sample, &urls))
            .await
        {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        }
    };
    let mut recorded = handle.state.watch_successes();
    send(Msg::LabStarted(Ok(Box::new(LabStarted {
        urls,
        dir: plan.dir,
        sample: plan.sample,
        successes: handle.state.successes(),
        sample_error,
    }))));
    // Holding the handle here keeps the lab serving until the runtime drops this task.
    while recorded.changed().await.is_ok() {
        send(Msg::LabProgress(handle.state.successes()));
    }
}
