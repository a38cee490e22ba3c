//! The Matrix tab's job against the practice lab the workbench starts in-process, over the
//! sample workspace it writes: the table fills in cell by cell before the run ends, and the
//! flags are the ones `apiward authz --workspace <sample> --all` gives against the same lab
//! (and its core, called directly): every BOLA and BFLA route flagged, no hardened twin.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use apiward::authz::select::Selection;
use apiward::authz::{Matrix, matrix, setup};
use apiward::http::workspace::Workspace;
use apiward::tasks::{TaskBoard, TaskRunner};
use apiward::tui::jobs::{Emit, Job};
use apiward::tui::keymap::Keymap;
use apiward::tui::lab::LabPlan;
use apiward::tui::msg::{LabStarted, Msg, PaneMsg};
use apiward::tui::panes::Cx;
use apiward::tui::panes::matrix::{MatrixJob, MatrixPane, Msg as MatrixMsg};
use serde_json::Value;

use crate::lab_support::{apiward, json_run};

/// Starts the workbench's lab as the TUI does, and waits for it to say where its sample is.
async fn workbench_lab(data: &std::path::Path) -> Box<LabStarted> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let plan = LabPlan {
        dir: data.join("lab"),
        sample: data.join("sample"),
    };
    tokio::spawn(apiward::tui::lab::run(plan, move |msg| {
        let _ = tx.send(msg);
    }));
    match rx.recv().await {
        Some(Msg::LabStarted(Ok(started))) => {
            assert!(started.sample_error.is_none(), "{:?}", started.sample_error);
            started
        }
        Some(Msg::LabStarted(Err(e))) => panic!("the lab did not start: {e}"),
        _ => panic!("no LabStarted"),
    }
}

/// Each flagged finding as (id, "METHOD URL (name)"): what the row and the flag are.
fn flags_of(findings: impl Iterator<Item = (String, String)>) -> BTreeSet<(String, String)> {
    findings
        .map(|(id, evidence)| {
            let label = evidence
                .split_once("): ")
                .map_or(evidence.clone(), |(l, _)| format!("{l})"));
            (id, label)
        })
        .collect()
}

fn matrix_flags(m: &Matrix) -> BTreeSet<(String, String)> {
    flags_of(
        m.findings
            .iter()
            .map(|f| (f.id.clone(), f.evidence.clone())),
    )
}

/// Whether `url`'s path is the route pattern `pattern` (`{id}` a number).
fn matches_route(url: &str, pattern: &str) -> bool {
    let path = url
        .splitn(4, '/')
        .nth(3)
        .map(|p| format!("/{p}"))
        .unwrap_or_default();
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), pattern.split('/').collect());
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            x == y || (y.starts_with('{') && !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit()))
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_matrix_tab_flags_what_apiward_authz_flags_against_the_same_lab() {
    let data = tempfile::tempdir().unwrap();
    let started = workbench_lab(data.path()).await;
    let sample = started.sample.clone();

    // The tab's job, as the event loop starts it, with its messages fed to a pane.
    let (runner, _events) = TaskRunner::new(4);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let emit: Emit = Arc::new(move |m| sink.lock().unwrap().push(m));
    let job = Job::new(MatrixJob::Run {
        dir: Some(sample.clone()),
        unsafe_methods: false,
        allow_hosts: Vec::new(),
    });
    let last = job.start(&runner, emit).await;
    let mut msgs = std::mem::take(&mut *seen.lock().unwrap());
    msgs.push(last);
    let mut pane = MatrixPane::default();
    let (keymap, board) = (Keymap::default(), TaskBoard::default());
    let mut effects = Vec::new();
    let mut cells_before_end = 0;
    for msg in msgs {
        let Msg::Pane(PaneMsg::Matrix(msg)) = msg else {
            panic!("not the matrix's message: {msg:?}");
        };
        if matches!(msg, MatrixMsg::Cell { .. }) && pane.matrix().is_none() {
            cells_before_end += 1;
        }
        pane.update(msg, &mut Cx::new(&mut effects, &keymap, &board));
    }
    let tui = pane.matrix().expect("the run finished").clone();
    let cells: usize = tui.rows.iter().map(|r| r.cells.len()).sum();
    assert_eq!(
        cells_before_end, cells,
        "every cell came live, before the end"
    );
    assert_eq!(pane.rows().len(), tui.rows.len());
    let names: Vec<&str> = tui.identities.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["alice", "bob", "admin", "anonymous"]);
    let tui_flags = matrix_flags(&tui);

    // The CLI's core over the same workspace, set up as the CLI sets it up.
    let ws = Workspace::open(&sample);
    let all = Selection {
        all: true,
        ..Selection::default()
    };
    let (plan, problems) = setup::plan(&ws, &all, &[], None).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let core = matrix::run(&ws, &plan, &|_: u64, _: u64| {}).await.unwrap();
    assert_eq!(tui_flags, matrix_flags(&core));

    // And the CLI itself, as a user runs it.
    let cli_sample = sample.clone();
    let (code, json) = tokio::task::spawn_blocking(move || {
        let mut cmd = apiward();
        cmd.arg("authz").arg("--workspace").arg(&cli_sample);
        json_run(cmd.args(["--all", "--json"]))
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{json}");
    let cli_flags = flags_of(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f: &Value| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["evidence"].as_str().unwrap().to_string(),
                )
            }),
    );
    assert_eq!(tui_flags, cli_flags);

    // Every BOLA and BFLA route the run sends (GETs, without unsafe methods) is flagged, and
    // no hardened twin is.
    for (owasp, id) in [("API1:", "authz-bola"), ("API5:", "authz-bfla")] {
        let urls: Vec<&str> = (tui_flags.iter())
            .filter(|(i, _)| i == id)
            .filter_map(|(_, label)| label.split(' ').nth(1))
            .collect();
        let routes = apiward::lab::ROUTES.iter();
        for route in routes.filter(|r| r.owasp.starts_with(owasp) && r.method == "GET") {
            assert!(
                urls.iter().any(|u| matches_route(u, route.path)),
                "{} {} not flagged {id}: {urls:?}",
                route.method,
                route.path
            );
        }
    }
    assert!(
        tui_flags.iter().any(|(id, _)| id == "authz-bola")
            && tui_flags.iter().any(|(id, _)| id == "authz-bfla"),
        "{tui_flags:?}"
    );
    for (id, label) in &tui_flags {
        assert!(!label.contains("/hardened/"), "{id} {label}");
    }

    // The report the tab copies is the CLI's Markdown of the same run.
    let md = apiward::authz::report::markdown(&tui);
    assert!(md.contains("`authz-bola`"), "{md}");
    drop(started);
}
