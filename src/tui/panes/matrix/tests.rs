//! The Matrix pane fed its job's messages as a run sends them: the table fills cell by cell,
//! the flags come with the end, a cell opens beside the owner's answer, `y` copies the
//! report, and the unsafe switch and a host's confirmation go into the next run.

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::diff::Change;
use super::*;
use crate::authz::identities::Role;
use crate::tasks::TaskBoard;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

const ALICE: &str = r#"{"id":1,"name":"alice","email":"alice@lab.test"}"#;

/// Sends `msg` to the pane as the app routes it, and returns the effects it queued.
fn update(pane: &mut MatrixPane, msg: Msg) -> Vec<Effect> {
    let (keymap, board) = (Keymap::default(), TaskBoard::default());
    let mut effects = Vec::new();
    pane.update(msg, &mut Cx::new(&mut effects, &keymap, &board));
    effects
}

fn act(pane: &mut MatrixPane, action: Action) -> Vec<Effect> {
    let (keymap, board) = (Keymap::default(), TaskBoard::default());
    let mut effects = Vec::new();
    pane.handle_action(action, &mut Cx::new(&mut effects, &keymap, &board));
    effects
}

fn screen(pane: &MatrixPane) -> String {
    let mut terminal = Terminal::new(TestBackend::new(150, 20)).unwrap();
    let theme = Theme::builtin_default();
    let board = TaskBoard::default();
    let view = View {
        theme: &theme,
        board: &board,
        now: std::time::Instant::now(),
    };
    terminal.draw(|f| pane.render(f, f.area(), &view)).unwrap();
    let buffer = terminal.backend().buffer();
    let width = buffer.area.width as usize;
    (buffer.content.chunks(width))
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect()
}

fn row(name: &str, url: &str) -> Row {
    Row {
        name: name.into(),
        method: "GET".into(),
        url: url.into(),
        owner: "alice".into(),
        owner_known: true,
        variant_of: None,
        privileged: None,
        object: true,
        written_with_credentials: false,
        cells: Vec::new(),
        volatile: Default::default(),
    }
}

fn answer(status: u16, body: &str) -> Box<Cell> {
    Box::new(Cell {
        status: Some(status),
        size: Some(body.len() as u64),
        body: Bytes::from(body.to_string()),
        ..Cell::default()
    })
}

/// The pane after a run of two rows as alice and bob has been planned.
fn planned() -> MatrixPane {
    let mut pane = MatrixPane::default();
    let effects = act(&mut pane, Action::MatrixRun);
    assert!(
        matches!(effects.as_slice(), [Effect::Start(_)]),
        "{effects:?}"
    );
    update(
        &mut pane,
        Msg::Planned {
            identities: vec![("alice".into(), Role::User), ("bob".into(), Role::User)],
            problems: Vec::new(),
        },
    );
    let rows = vec![
        row("user-1", "http://127.0.0.1:9/api/users/1"),
        row("user-1-hardened", "http://127.0.0.1:9/hardened/api/users/1"),
    ];
    update(&mut pane, Msg::Rows { first: 0, rows });
    pane
}

/// The run's end: both rows answered, the first flagged BOLA by the core's own analysis.
fn finished(pane: &mut MatrixPane) {
    let mut rows = pane.rows().to_vec();
    let fill = |r: &mut Row, bob: (u16, &str)| {
        r.cells = vec![
            Cell {
                identity: "alice".into(),
                similarity: Some(1.0),
                ..*answer(200, ALICE)
            },
            Cell {
                identity: "bob".into(),
                similarity: Some(crate::authz::similarity::similarity(
                    ALICE.as_bytes(),
                    bob.1.as_bytes(),
                    &Default::default(),
                )),
                ..*answer(bob.0, bob.1)
            },
        ];
    };
    fill(&mut rows[0], (200, ALICE));
    fill(&mut rows[1], (403, r#"{"error":"forbidden"}"#));
    let matrix = Matrix::of_alice_and_bob(rows, 3);
    let effects = update(pane, Msg::Ended(Ok(Box::new(matrix))));
    assert!(
        matches!(effects.as_slice(), [Effect::Status(s)] if s.contains("findings: 1")),
        "{effects:?}"
    );
}

#[test]
fn cells_fill_in_as_their_answers_come_and_the_flags_with_the_end() {
    let mut pane = planned();
    let shown = screen(&pane);
    assert!(
        shown.contains("alice (user)") && shown.contains("bob (user)"),
        "{shown}"
    );
    assert!(
        shown.contains("/api/users/1") && shown.contains("…"),
        "{shown}"
    );
    assert!(shown.contains("running, 0/4 answered"), "{shown}");

    update(
        &mut pane,
        Msg::Cell {
            row: 0,
            identity: 1,
            cell: answer(200, ALICE),
        },
    );
    let shown = screen(&pane);
    assert!(shown.contains("running, 1/4 answered"), "{shown}");
    assert!(shown.contains(&format!("200 {}B", ALICE.len())), "{shown}");
    // The cell keeps its column's identity, whatever the message carried.
    assert_eq!(pane.rows()[0].cells[1].identity, "bob");
    assert!(
        !shown.contains("authz-bola"),
        "no flag before the run is over"
    );

    finished(&mut pane);
    let shown = screen(&pane);
    assert!(shown.contains("authz-bola"), "{shown}");
    let flagged: Vec<&str> = shown.lines().filter(|l| l.contains("authz-bola")).collect();
    assert!(
        flagged.iter().all(|l| !l.contains("user-1-hardened")),
        "the twin is not flagged: {shown}"
    );
    assert!(
        shown.contains(&format!("200 {}B own", ALICE.len())),
        "{shown}"
    );
    assert!(shown.contains("findings: 1 · 6 sent"), "{shown}");
}

#[test]
fn enter_opens_a_cell_beside_the_owner_s_answer_with_a_diff() {
    let mut pane = planned();
    finished(&mut pane);
    // The hardened twin, bob's cell: a refusal beside alice's record.
    act(&mut pane, Action::Down);
    act(&mut pane, Action::Right);
    assert!(act(&mut pane, Action::Select).is_empty());
    let opened = pane.opened().expect("the cell is open");
    assert_eq!((opened.row, opened.identity), (1, 1));
    assert!(
        opened.lines.iter().any(|l| l.change != Change::Same
            && l.right.as_deref().is_some_and(|r| r.contains("forbidden"))),
        "{:#?}",
        opened.lines
    );
    let shown = screen(&pane);
    let owner = format!("owner alice: 200 {}B own", ALICE.len());
    assert!(shown.contains(&owner), "{shown}");
    assert!(shown.contains("bob: 403"), "{shown}");
    assert!(shown.contains(r#""name": "alice""#), "{shown}");
    // Left shows alice's own cell beside itself: nothing differs.
    act(&mut pane, Action::Left);
    let opened = pane.opened().unwrap();
    assert_eq!(opened.identity, 0);
    assert!(opened.lines.iter().all(|l| l.change == Change::Same));
    act(&mut pane, Action::Back);
    assert!(pane.opened().is_none());

    // A cell without an answer says why instead of opening.
    let mut pane = planned();
    let effects = act(&mut pane, Action::Select);
    assert!(
        matches!(effects.as_slice(), [Effect::Status(s)] if s == "No answer yet"),
        "{effects:?}"
    );
}

#[test]
fn y_copies_the_markdown_report_once_the_run_is_over() {
    let mut pane = planned();
    let effects = act(&mut pane, Action::Copy);
    assert!(
        matches!(effects.as_slice(), [Effect::Status(s)] if s.contains("not over")),
        "{effects:?}"
    );
    finished(&mut pane);
    let effects = act(&mut pane, Action::Copy);
    let [Effect::Copy(text)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(
        *text,
        crate::authz::report::markdown(pane.matrix().unwrap())
    );
    assert!(
        text.contains("| user-1 | GET | /api/users/1 | alice |"),
        "{text}"
    );
    assert!(text.contains("`authz-bola`"), "{text}");
}

/// A run's failure as the runner reports it: the core's own error inside.
fn failed(e: AuthzError) -> JobError {
    TaskError::Failed(crate::tasks::TaskFailure::from(anyhow::Error::from(e)))
}

/// The end of a run refused for a host that is not loopback, as the core refuses it.
fn far_host() -> Msg {
    let url = reqwest::Url::parse("https://api.example.com/users/1").unwrap();
    let message = crate::authz::guard::check_host(&url, &[]).unwrap_err();
    Msg::Ended(Err(failed(AuthzError::Host {
        host: "api.example.com".into(),
        message,
    })))
}

#[test]
fn unsafe_methods_and_a_far_host_go_into_the_next_run_only_when_asked() {
    let job = |effects: Vec<Effect>| match effects.into_iter().next() {
        Some(Effect::Start(job)) => match job.into_inner::<MatrixJob>() {
            Some(MatrixJob::Run {
                unsafe_methods,
                allow_hosts,
                ..
            }) => (unsafe_methods, allow_hosts),
            None => panic!("not the matrix's job"),
        },
        other => panic!("{other:?}"),
    };
    let mut pane = MatrixPane::default();
    assert_eq!(job(act(&mut pane, Action::MatrixRun)), (false, vec![]));
    // A second run waits for the first.
    assert!(matches!(
        act(&mut pane, Action::MatrixRun).as_slice(),
        [Effect::Status(_)]
    ));
    update(&mut pane, far_host());
    assert!(screen(&pane).contains("Send to api.example.com?"));
    // No: nothing runs, and the host is not allowed.
    act(&mut pane, Action::Back);
    act(&mut pane, Action::MatrixUnsafe);
    assert_eq!(job(act(&mut pane, Action::MatrixRun)), (true, vec![]));
    update(&mut pane, far_host());
    // Yes: the run starts again with the host allowed.
    assert_eq!(
        job(act(&mut pane, Action::Select)),
        (true, vec!["api.example.com".to_string()])
    );
    update(&mut pane, Msg::Ended(Err(TaskError::Cancelled)));
    act(&mut pane, Action::MatrixUnsafe);
    assert_eq!(
        job(act(&mut pane, Action::MatrixRun)),
        (false, vec!["api.example.com".to_string()])
    );
}

#[test]
fn a_failed_set_up_is_said_on_the_tab() {
    let mut pane = MatrixPane::default();
    act(&mut pane, Action::MatrixRun);
    let effects = update(
        &mut pane,
        Msg::Ended(Err(failed(crate::authz::AuthzError::NoIdentities))),
    );
    assert!(matches!(effects.as_slice(), [Effect::Status(s)] if s.contains("no identities")));
    assert!(screen(&pane).contains("no identities in the workspace"));
}
