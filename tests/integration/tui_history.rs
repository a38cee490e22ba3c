//! The Request tab's history list at 80 and 120 columns: each row tells entries apart by
//! status, method, path and age (and size where the list has room), long names are cut in
//! the middle, and the selected entry is shown in full (method, URL, outcome, size) on the
//! line under the list.

use apiward::http::{Entry, Request};
use apiward::tui::app::Msg;
use apiward::tui::panes::request::Msg as RequestMsg;
use apiward::tui::testing::{app, press, screen};
use crossterm::event::KeyCode;

use crate::tui_shell::loaded_workspace;

const NOW: i64 = 1_700_000_000;

fn entry(ago: u64, method: &str, url: &str, status: Option<u16>, size: Option<u64>) -> Entry {
    Entry {
        at: NOW as u64 - ago,
        request: Request::new(method, url),
        method: method.into(),
        url: url.into(),
        status,
        error: status
            .is_none()
            .then(|| "connection refused by 127.0.0.1:9".to_string()),
        total_ms: Some(3.0),
        size,
        truncated: false,
    }
}

#[test]
fn history_list_at_80_and_120_columns() {
    let mut loaded = loaded_workspace();
    loaded.history = vec![
        entry(
            12,
            "POST",
            "http://127.0.0.1:43117/api/v1/organisations/acme/projects/apiward/members?role=admin",
            Some(201),
            Some(512),
        ),
        entry(
            300,
            "GET",
            "http://127.0.0.1:43117/api/v1/organisations/acme/projects/apiward/members?role=viewer",
            Some(403),
            Some(2048),
        ),
        entry(7200, "DELETE", "http://127.0.0.1:9/users/42", None, None),
        entry(
            3 * 86_400,
            "GET",
            "http://127.0.0.1:43117/",
            Some(200),
            Some(10),
        ),
    ];
    let mut app = app();
    app.set_unix_now(NOW);
    app.update(Msg::from(RequestMsg::Loaded(Ok(Box::new(loaded)))));
    // Into the list, past the one saved request, onto the first history entry.
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Down);
    let wide = screen(&app, 120, 40);
    let narrow = screen(&app, 80, 24);
    // The two member entries differ only past the middle of their paths: their statuses and
    // ages must tell them apart, and the full URL of the selected one is shown.
    assert!(wide.contains("201"), "{wide}");
    assert!(wide.contains("403"), "{wide}");
    let url =
        "http://127.0.0.1:43117/api/v1/organisations/acme/projects/apiward/members?role=admin";
    assert!(list_column(&wide).contains(url), "{wide}");
    assert!(
        list_column(&narrow).contains("members?role=admin"),
        "{narrow}"
    );
    // A wider list has room for an entry's size beside its age where the path is short.
    let widest = screen(&app, 200, 60);
    assert!(widest.contains("10 B 3d"), "{widest}");
    assert!(!wide.contains("10 B 3d"), "no room at 120 columns: {wide}");
    insta::assert_snapshot!("history_120x40", wide);
    insta::assert_snapshot!("history_80x24", narrow);
}

/// The list's column of a screen (inside its borders), its rows joined: the full entry under
/// the list wraps across rows.
fn list_column(screen: &str) -> String {
    screen
        .lines()
        .filter_map(|row| {
            let row = row.trim_matches('"');
            let cells: Vec<char> = row.chars().collect();
            let end = cells.iter().skip(1).position(|c| "┃│".contains(*c))?;
            Some(cells[1..=end].iter().collect::<String>())
        })
        .collect()
}
