//! Every file in themes/ parses, defines every role, and is embedded as a built-in.

use apiward::tui::theme::{BUILTIN, Theme};

#[test]
fn every_theme_file_parses_and_is_built_in() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            // Loading through the user-directory path reads the file on disk itself.
            let theme = Theme::load(&name, Some(&dir))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(theme.name, name);
            names.push(name);
        }
    }
    names.sort();
    let mut builtin: Vec<_> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    builtin.sort();
    assert_eq!(names, builtin, "themes/ and the embedded list disagree");
    for required in ["default", "light", "high-contrast"] {
        assert!(names.iter().any(|n| n == required), "missing {required}");
    }
}
