//! The TUI's import dialog (`I` on the Request tab, or "import" in the palette): the
//! petstore's preview as a snapshot, the files it writes byte for byte those of
//! `apiward import openapi|postman|har|insomnia FILE --workspace DIR`, the Request tab
//! listing the new requests, a HAR's secrets named and never shown, and bad files said in one
//! sentence with nothing written.

use std::collections::BTreeMap;
use std::path::Path;

use apiward::tui::app::App;
use apiward::tui::tabs::Tab;
use apiward::tui::testing::{app, press, run_jobs, screen, type_text};
use crossterm::event::KeyCode;

use crate::cli_basics::{apiward, assert_ok};

const PETSTORE: &str = "tests/data/openapi/petstore.yaml";

/// Every file under `dir`, by its path inside it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(at) = todo.pop() {
        for entry in std::fs::read_dir(&at).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().display().to_string();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// `apiward import KIND FILE` into a workspace of its own writes what the dialog wrote in `ws`,
/// byte for byte: the same files, sidecars, environments and secrets.
fn assert_same_as_cli(home: &Path, ws: &Path, kind: &str, file: &str) {
    let cli = home.join(format!("cli-{kind}"));
    let out = apiward(home)
        .arg("--workspace")
        .arg(&cli)
        .args(["import", kind, file])
        .output()
        .unwrap();
    assert_ok(&out);
    let (tui_files, cli_files) = (tree(ws), tree(&cli));
    assert_eq!(
        tui_files.keys().collect::<Vec<_>>(),
        cli_files.keys().collect::<Vec<_>>(),
        "{kind}"
    );
    for (name, bytes) in &tui_files {
        assert!(
            bytes == &cli_files[name],
            "{kind}: {name} differs from the CLI's"
        );
    }
}

#[test]
fn every_kind_writes_what_the_cli_writes() {
    for (kind, file) in [
        ("postman", "tests/data/postman/shop.postman_collection.json"),
        ("har", "tests/data/har/firefox-notes.har"),
        ("insomnia", "tests/data/insomnia/notes.insomnia.json"),
    ] {
        let home = tempfile::tempdir().unwrap();
        let ws = home.path().join("tui");
        let mut app = app_in(&ws);
        read(&mut app, file);
        press(&mut app, KeyCode::Enter);
        run_jobs(&mut app);
        let status = app.status().unwrap_or_default().to_string();
        assert!(status.starts_with("Imported "), "{kind}: {status}");
        assert_same_as_cli(home.path(), &ws, kind, file);
    }
}

fn app_in(ws: &Path) -> App {
    let mut app = app();
    app.set_workspace(Some(ws.to_path_buf()));
    app
}

/// Opens the dialog with `I`, types `file` and reads it.
fn read(app: &mut App, file: &str) {
    press(app, KeyCode::Char('I'));
    type_text(app, file);
    press(app, KeyCode::Enter);
    run_jobs(app);
}

#[test]
fn the_petstore_previews_then_writes_what_the_cli_writes() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("tui");
    let mut app = app_in(&ws);
    run_jobs(&mut app);
    read(&mut app, PETSTORE);
    let shown = screen(&app, 120, 40);
    insta::assert_snapshot!("import_preview_120x40", shown);
    insta::assert_snapshot!("import_preview_80x24", screen(&app, 80, 24));
    assert!(!ws.join("requests").exists(), "a preview writes nothing");

    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert_eq!(app.tab(), Tab::Request);
    let status = app.status().unwrap_or_default().to_string();
    assert!(
        status.starts_with("Imported 3 requests from tests/data/openapi/petstore.yaml"),
        "{status}"
    );
    let after = screen(&app, 120, 40);
    for name in ["listPets", "createPets", "showPetById"] {
        assert!(
            after.contains(name),
            "{name} in the Request tab's list:\n{after}"
        );
    }

    // The CLI, from the same folder with the same path, writes the same bytes.
    assert_same_as_cli(home.path(), &ws, "openapi", PETSTORE);
    assert!(ws.join("requests/pets.http").exists());

    // Again: nothing changes, and the preview says so; it draws at any size.
    read(&mut app, PETSTORE);
    for (w, h) in [(1, 1), (10, 3), (40, 8), (80, 24), (300, 100)] {
        apiward::tui::testing::draw_at(&app, w, h);
    }
    press(&mut app, KeyCode::Esc);
    read(&mut app, PETSTORE);
    let again = screen(&app, 120, 40);
    assert!(again.contains("3 unchanged"), "{again}");
    assert!(again.contains("Nothing to write"), "{again}");
}

#[test]
fn a_har_s_secrets_are_named_and_never_shown() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let file = "tests/data/har/chrome-shop.har";
    let mut app = app_in(&ws);
    read(&mut app, file);
    let text = std::fs::read_to_string(file).unwrap();
    let imported = apiward::import::har::import(file, &text, None).unwrap();
    assert!(!imported.secrets.is_empty(), "the HAR carries credentials");
    // Every line of the preview, a page at a time.
    let mut seen = String::new();
    for _ in 0..10 {
        seen.push_str(&screen(&app, 120, 40));
        press(&mut app, KeyCode::PageDown);
    }
    assert!(
        seen.contains("Import HAR: tests/data/har/chrome-shop.har"),
        "{seen}"
    );
    for secret in &imported.secrets {
        assert!(seen.contains(&secret.name), "{} is named", secret.name);
        assert!(
            !seen.contains(&secret.value),
            "the value of {} is on screen",
            secret.name
        );
    }
    // Written, the values are where the CLI puts them: the private env file.
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    let private =
        std::fs::read_to_string(ws.join(apiward::http::workspace::PRIVATE_ENV_FILE)).unwrap();
    for secret in &imported.secrets {
        assert!(private.contains(&secret.value), "{}", secret.name);
    }
}

#[test]
fn bad_files_are_one_sentence_and_esc_writes_nothing() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("ws");
    let odd = home.path().join("odd.json");
    std::fs::write(&odd, "{\"hello\": 1}").unwrap();
    let mut app = app_in(&ws);
    for (file, said) in [
        (
            odd.to_str().unwrap(),
            "is not an OpenAPI or Swagger description, a Postman",
        ),
        ("tests/data/openapi/bad/broken.yaml", "is not valid YAML"),
        (
            "tests/data/openapi/bad/remote-ref.yaml",
            "which the workbench does not fetch",
        ),
        (
            "https://example.com/openapi.yaml",
            "is not on this machine, and the workbench",
        ),
        (
            "no/such/file.json",
            "cannot read the file no/such/file.json",
        ),
    ] {
        read(&mut app, file);
        let shown = screen(&app, 120, 40);
        assert!(shown.contains(said), "{file}: {shown}");
        // The prompt stays, with the path, to be corrected.
        assert!(shown.contains("Import into the workspace"), "{shown}");
        for (w, h) in [(1, 1), (12, 4), (60, 12)] {
            apiward::tui::testing::draw_at(&app, w, h);
        }
        press(&mut app, KeyCode::Esc);
        assert!(!screen(&app, 120, 40).contains("Import into the workspace"));
    }
    // The palette finds it too; esc on a preview closes it and writes nothing.
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "import");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.tab(), Tab::Request);
    type_text(&mut app, PETSTORE);
    press(&mut app, KeyCode::Enter);
    run_jobs(&mut app);
    assert!(screen(&app, 120, 40).contains("+ added"));
    press(&mut app, KeyCode::Esc);
    run_jobs(&mut app);
    assert!(!ws.join("requests").exists());
}
