//! The first five minutes: a newcomer starts the workbench on a fresh data folder (as
//! `cargo run --release` does, the practice lab starting beside it) and solves lesson 1 with
//! only the keys the welcome screen and lesson 1's own text name, read from the screen and
//! the lesson as a person reads them. The keys are counted; the README's first-run section
//! gives the count, and the ceiling below keeps it true.

use apiward::learn::{LESSONS, Status};
use apiward::tui::panes::learn::LabState;

use crate::tui_driver::{WIDTH, Workbench};

/// The keys from the first frame to lesson 1 solved (the README says this number).
const CEILING: usize = 5;

/// The word just before `marker` in `text` (`"Enter starts lesson 1"` → `Enter`).
fn word_before<'a>(text: &'a str, marker: &str) -> &'a str {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} is not in {text:?}"));
    let head = text[..at].trim_end();
    // Words end at spaces, an opening parenthesis or a box's border.
    head.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '│')
        .next()
        .unwrap()
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text
        .find(open)
        .unwrap_or_else(|| panic!("{open:?} is not in {text:?}"))
        + open.len();
    let len = text[start..].find(close).unwrap();
    &text[start..start + len]
}

#[test]
fn a_newcomer_solves_lesson_1_with_the_keys_the_screens_name() {
    let mut bench = Workbench::first_run();
    let first = bench.screen();
    assert!(first.contains("Welcome to apiward"), "{first}");
    // The newcomer waits until the welcome shows the lab's address.
    bench.wait_for_screen("Practice lab  http://");

    // "Enter starts lesson 1".
    let welcome = bench.screen();
    let start = word_before(&welcome, " starts lesson 1");
    bench.press(start);
    let status = bench.app.status().unwrap_or_default().to_string();
    assert!(status.starts_with("Lesson 1 started: "), "{status}");

    // Lesson 1's first step, as the Learn tab shows it (the lab's address filled in).
    let urls = bench.app.learn().course().and_then(|c| c.lab_urls());
    let step = apiward::learn::fill(LESSONS[0].steps[0], urls.as_ref());
    assert!(
        status.ends_with(&step),
        "the status line says the step: {status}"
    );
    let tab = between(&step, "Request tab (", ")");
    let to_list = word_before(&step, " moves there");
    let wanted = between(&step, "pick '", "'");
    let pick = between(&step, &format!("pick '{wanted}' with "), ";");
    let send = word_before(&step, " sends it");

    bench.press(tab);
    bench.wait_for_screen(&format!(" {wanted} "));
    bench.press(to_list);
    // The list's highlighted line, as the eye finds it; arrows move it if it is elsewhere.
    let list = (1, WIDTH / 5);
    let on_wanted = |bench: &Workbench| {
        let lines = bench.highlighted(list.0, list.1);
        lines.iter().any(|(_, text)| {
            text.split(|c: char| c.is_whitespace() || c == '│')
                .any(|w| w == wanted)
        })
    };
    let mut moves = 0;
    while !on_wanted(&bench) {
        moves += 1;
        assert!(
            moves < 40,
            "{wanted} is not in the list:\n{}",
            bench.screen()
        );
        bench.press("↓");
    }
    bench.press(pick);
    bench.press(send);

    bench.wait_until("lesson 1 to tick off", |app| {
        app.learn().statuses()[0].is_done()
    });
    // The status bar says so (the same send also ticks lesson 8 off, the answer's
    // X-Powered-By, in a check of its own whose announcement may come after).
    assert!(
        bench
            .statuses
            .iter()
            .any(|s| s.starts_with("✓ Lesson 1 done")),
        "{:?}",
        bench.statuses
    );
    assert!(
        bench.keys <= CEILING,
        "the first lesson took {} keys, more than the {CEILING} the README promises",
        bench.keys
    );
    // What `apiward learn check 1` reads says so too.
    let course = bench.app.learn().course().unwrap().clone();
    let statuses = course.check_all(&course.lab_successes().unwrap()).unwrap();
    assert!(matches!(&statuses[0], Status::Done(why) if why.contains("plain HTTP")));
    println!("lesson 1 took {} keys", bench.keys);
}

/// The bug seen in tmux: lesson 1 done in a lab started from the CLI on the same data folder
/// (the root's `progress.json` counts every lab's exploits) was announced as news in the
/// status bar at start-up. It is done, and the Learn tab shows it; the status bar says what
/// this session did.
#[test]
fn a_lesson_done_in_another_lab_shows_done_without_being_announced_at_start_up() {
    let data = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let lab = rt
        .block_on(apiward::lab::start(apiward::lab::LabConfig::new(
            data.path().join("lab"),
        )))
        .unwrap();
    // A login over plain HTTP from a shell: lesson 1's exploit.
    crate::lab_support::apiward()
        .args(["send", "POST", &format!("{}/login", lab.http_url())])
        .args(["username=alice", "password=alice-password"])
        .assert()
        .success();
    lab.shutdown.cancel();
    drop(rt);

    let mut bench = Workbench::start_in(data);
    bench.wait_until("the lab and the first check", |app| {
        matches!(app.learn().lab(), LabState::Running(_)) && app.learn().statuses()[0].is_done()
    });
    let announced = bench.statuses.iter().find(|s| s.contains("Lesson 1 done"));
    assert!(announced.is_none(), "{:?}", bench.statuses);
    bench.press("Esc");
    bench.press("6");
    let screen = bench.screen();
    assert!(screen.contains("Lessons 1/27"), "{screen}");
}
