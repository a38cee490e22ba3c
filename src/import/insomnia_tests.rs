//! The Insomnia reader on the fixture export and small cases.

use super::*;

const NOTES: &str = include_str!("../../tests/data/insomnia/notes.insomnia.json");

fn by_name<'a>(imported: &'a Imported, name: &str) -> &'a Request {
    imported
        .requests()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no request {name}"))
}

#[test]
fn nunjucks_variables_become_apiward_ones() {
    assert_eq!(vars("{{ _.base_url }}/x/{{id}}"), "{{base_url}}/x/{{id}}");
    assert_eq!(vars("{% uuid 'v4' %} {{ oops"), "{% uuid 'v4' %} {{ oops");
}

#[test]
fn the_export_maps_to_files_envs_and_secrets() {
    let imported = import("n.json", NOTES).unwrap();
    let stems: Vec<&str> = imported
        .plan
        .files
        .iter()
        .map(|f| f.stem.as_str())
        .collect();
    assert_eq!(stems, ["notes", "notes-api"]);
    let list = by_name(&imported, "list-notes");
    assert_eq!(
        list.url,
        "{{base_url}}/api/notes?tag=work&limit={{page_size}}"
    );
    assert_eq!(list.headers, vec![Row::new("Accept", "application/json")]);
    assert_eq!(list.auth, Auth::None);
    let create = by_name(&imported, "create-note");
    assert_eq!(
        create.body,
        Body::Json("{\n\t\"title\": \"Groceries\",\n\t\"pinned\": {{pin_default}}\n}".into())
    );
    assert_eq!(
        create.auth,
        Auth::Bearer {
            token: "{{create_note_token}}".into()
        }
    );
    let export = by_name(&imported, "admin-tools.export-all");
    assert_eq!(
        export.body,
        Body::Form(vec![
            Row::new("format", "csv"),
            Row::new("admin_password", "{{admin_password}}")
        ])
    );
    let health = by_name(&imported, "health");
    assert_eq!(
        health.auth,
        Auth::Basic {
            username: "monitor".into(),
            password: "{{health_password}}".into()
        }
    );
    let envs: Vec<&str> = imported
        .plan
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(envs, ["Local", "$shared"]);
    assert_eq!(
        imported.secret_names(),
        [
            "Local.admin_key",
            "Local.admin_password",
            "create_note_token",
            "health_password"
        ]
    );
    let written = format!("{:?}", imported.plan);
    for secret in [
        "ins_tok_c0ffee1234abcd",
        "m0n1tor-pass",
        "ak_local_5566778899",
    ] {
        assert!(!written.contains(secret), "{secret} is in the plan");
    }
}

#[test]
fn bad_exports_are_one_sentence() {
    for (json, says) in [
        ("[", "not JSON"),
        ("{\"__export_format\": 3, \"resources\": []}", "format 3"),
        ("{\"resources\": []}", "no __export_format"),
        (
            "{\"__export_format\": 4, \"resources\": []}",
            "holds no requests",
        ),
    ] {
        let err = import("x", json).unwrap_err().to_string();
        assert!(err.contains(says), "{json}: {err}");
    }
}
