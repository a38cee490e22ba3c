//! The practice lab beside the workbench: started after the first frame so start-up pays
//! nothing for its key generation, with a sample workspace pointed at it. The lab lives as
//! long as the event loop's runtime; each new exploit wakes the Learn tab.
//!
//! Another workbench or `apiward lab` may run from the same data directory: this lab keeps its
//! own folder, and the sample this workbench uses points at this lab only (see
//! [`crate::learn::sample::claim`]).

use std::path::PathBuf;

use crate::lab::{self, LabConfig};
use crate::learn::sample::{self, SampleClaim};
use crate::tui::msg::{LabStarted, Msg};

/// How the workbench starts its lab.
#[derive(Debug, Clone)]
pub struct LabPlan {
    /// The lab root: the shared exploit record and log, and the labs' own folders.
    pub dir: PathBuf,
    /// The shared sample workspace, pointed at this lab unless another workbench's has it.
    pub sample: PathBuf,
}

/// Starts the lab and reports through `send` until the runtime shuts down.
pub async fn run(plan: LabPlan, send: impl Fn(Msg) + Send + 'static) {
    let handle = match lab::start(LabConfig::new(&plan.dir)).await {
        Ok(h) => h,
        Err(e) => return send(Msg::LabStarted(Err(e.to_string()))),
    };
    let urls = handle.urls.clone();
    let (shared, private) = (plan.sample.clone(), handle.dir.join("sample"));
    let prepared = {
        let urls = urls.clone();
        // The authorization matrix's identities come with the sample, as `apiward lab` writes
        // them, so `apiward authz` works against the workbench's lab too.
        let admin = sample::admin_session(&handle.state);
        tokio::task::spawn_blocking(move || -> Result<SampleClaim, String> {
            let claim = sample::claim(&shared, &private).map_err(|e| e.to_string())?;
            sample::prepare(&claim.dir, &urls).map_err(|e| e.to_string())?;
            sample::prepare_authz(&claim.dir, &urls, admin.as_deref())
                .map_err(|e| e.to_string())?;
            Ok(claim)
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r)
    };
    let (claim, sample_error) = match prepared {
        Ok(claim) => (Some(claim), None),
        Err(e) => (None, Some(e)),
    };
    let mut recorded = handle.state.watch_successes();
    send(Msg::LabStarted(Ok(Box::new(LabStarted {
        urls,
        dir: plan.dir,
        sample: claim.as_ref().map_or(plan.sample, |c| c.dir.clone()),
        successes: handle.state.successes(),
        sample_error,
    }))));
    // Holding the handle (and the claim on the sample) here keeps the lab serving, and the
    // sample ours, until the runtime drops this task.
    let _claim = claim;
    while recorded.changed().await.is_ok() {
        send(Msg::LabProgress(handle.state.successes()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::workspace::Workspace;

    /// Starts a workbench's lab on `plan` and waits for what it reports.
    async fn started(plan: LabPlan) -> Box<LabStarted> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(run(plan, move |msg| {
            let _ = tx.send(msg);
        }));
        match rx.recv().await {
            Some(Msg::LabStarted(Ok(started))) => started,
            Some(Msg::LabStarted(Err(e))) => panic!("the lab did not start: {e}"),
            _ => panic!("no LabStarted"),
        }
    }

    fn base_url(sample: &std::path::Path) -> String {
        let vars = Workspace::open(sample)
            .vars(Some(sample::ENV_NAME), &[])
            .unwrap();
        vars.get("base_url").unwrap().value.clone()
    }

    #[test]
    fn two_workbenches_each_get_a_sample_that_points_at_their_own_lab() {
        let data = tempfile::tempdir().unwrap();
        let plan = LabPlan {
            dir: data.path().join("lab"),
            sample: data.path().join("sample"),
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let first = started(plan.clone()).await;
            let env_file = first.sample.join(crate::http::workspace::ENV_FILE);
            let env_before = std::fs::read(&env_file).unwrap();
            let second = started(plan.clone()).await;
            assert_ne!(first.urls, second.urls);
            assert_eq!(first.sample, plan.sample);
            assert_ne!(second.sample, plan.sample);
            assert_eq!(base_url(&first.sample), first.urls.http);
            assert_eq!(base_url(&second.sample), second.urls.http);
            assert_eq!(std::fs::read(&env_file).unwrap(), env_before);
            // The second sample still has the requests to send.
            assert!(second.sample.join(sample::REQUESTS_FILE).is_file());
            // And each the identities the authorization matrix replays requests as.
            for dir in [&first.sample, &second.sample] {
                let ids = crate::authz::identities::load(&Workspace::open(dir)).unwrap();
                let names: Vec<&str> = ids.iter().map(|i| i.name.as_str()).collect();
                assert_eq!(names, ["alice", "bob", "admin", "anonymous"]);
            }
        });
    }
}
