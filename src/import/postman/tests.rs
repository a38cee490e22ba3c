//! The Postman reader on small collections: folders, inheritance, variables, scripts.

use serde_json::json;

use super::*;
use crate::http::model::{Body, KeyPlace};

fn collection(items: Value, extra: Value) -> String {
    let mut c = json!({
        "info": {"name": "Shop API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "item": items,
    });
    if let (Value::Object(c), Value::Object(extra)) = (&mut c, extra) {
        c.extend(extra);
    }
    c.to_string()
}

fn only(imported: &Imported, name: &str) -> Request {
    imported
        .requests()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no request {name}"))
        .clone()
}

#[test]
fn auth_is_inherited_from_collection_to_folder_to_request() {
    let text = collection(
        json!([
            {"name": "Top", "request": {"method": "GET", "url": "{{base}}/top"}},
            {"name": "Admin", "auth": {"type": "apikey", "apikey": [
                {"key": "key", "value": "X-Admin"}, {"key": "value", "value": "{{admin_key}}"}]},
             "item": [
                {"name": "List users", "request": {"method": "GET", "url": "{{base}}/users"}},
                {"name": "Open", "request": {"method": "GET", "url": "{{base}}/open",
                    "auth": {"type": "noauth"}}},
                {"name": "Deep", "item": [
                    {"name": "Who", "request": {"method": "GET", "url": "{{base}}/who",
                        "auth": {"type": "basic", "basic": [
                            {"key": "username", "value": "ann"},
                            {"key": "password", "value": "{{pw}}"}]}}}]}
             ]}
        ]),
        json!({"auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]}}),
    );
    let imported = import("c.json", &text, &[]).unwrap();
    assert_eq!(
        only(&imported, "top").auth,
        Auth::Bearer {
            token: "{{token}}".into()
        }
    );
    assert_eq!(
        only(&imported, "list-users").auth,
        Auth::ApiKey {
            name: "X-Admin".into(),
            value: "{{admin_key}}".into(),
            place: KeyPlace::Header
        }
    );
    assert_eq!(only(&imported, "open").auth, Auth::None);
    assert!(matches!(
        only(&imported, "deep.who").auth,
        Auth::Basic { .. }
    ));
    let stems: Vec<&str> = imported
        .plan
        .files
        .iter()
        .map(|f| f.stem.as_str())
        .collect();
    assert_eq!(stems, ["shop-api", "admin"]);
}

#[test]
fn literal_credentials_become_one_secret_each() {
    let text = collection(
        json!([
            {"name": "A", "request": {"method": "GET", "url": "https://x.example/a"}},
            {"name": "B", "request": {"method": "POST", "url": "https://x.example/b?api_key=k3y-value",
                "header": [{"key": "X-Off", "value": "1", "disabled": true},
                           {"key": "X-On", "value": "2"}],
                "body": {"mode": "urlencoded", "urlencoded": [
                    {"key": "user", "value": "ann"}, {"key": "password", "value": "hunter22"}]}}}
        ]),
        json!({"auth": {"type": "bearer", "bearer": [{"key": "token", "value": "literal-token-1"}]}}),
    );
    let imported = import("c.json", &text, &[]).unwrap();
    let a = only(&imported, "a");
    let b = only(&imported, "b");
    assert_eq!(a.auth, b.auth);
    assert_eq!(
        a.auth,
        Auth::Bearer {
            token: "{{shop_api_token}}".into()
        }
    );
    assert_eq!(b.url, "https://x.example/b?api_key={{b_api_key}}");
    assert_eq!(b.headers, vec![Row::new("X-On", "2")]);
    assert_eq!(
        b.body,
        Body::Form(vec![
            Row::new("user", "ann"),
            Row::new("password", "{{b_password}}")
        ])
    );
    let values: Vec<&str> = imported.secrets.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(values, ["literal-token-1", "k3y-value", "hunter22"]);
    let written = format!("{:?}", imported.plan.files);
    for secret in values {
        assert!(!written.contains(secret), "{secret} is in the files");
    }
}

#[test]
fn variables_and_environments_split_public_from_secret() {
    let text = collection(
        json!([{"name": "A", "request": "{{base}}/a"}]),
        json!({"variable": [
            {"key": "base", "value": "https://x.example"},
            {"key": "client_secret", "value": "cs"},
            {"key": "hidden", "value": "h", "type": "secret"},
            {"key": "off", "value": "o", "disabled": true}]}),
    );
    let env = json!({"name": "Staging", "_postman_variable_scope": "environment", "values": [
        {"key": "base", "value": "https://staging.example", "enabled": true},
        {"key": "apiKey", "value": "k", "type": "secret", "enabled": true},
        {"key": "gone", "value": "g", "enabled": false}]});
    let env = environment(&env.to_string()).unwrap();
    let imported = import("c.json", &text, &[env]).unwrap();
    let envs: Vec<(String, Vec<(String, String)>)> = imported
        .plan
        .environments
        .iter()
        .map(|e| (e.name.clone(), e.values.clone()))
        .collect();
    // Named environments first: see the comment in `import`.
    assert_eq!(
        envs,
        [
            (
                "Staging".to_string(),
                vec![("base".to_string(), "https://staging.example".to_string())]
            ),
            (
                "$shared".to_string(),
                vec![("base".to_string(), "https://x.example".to_string())]
            ),
        ]
    );
    assert_eq!(
        imported.secret_names(),
        ["client_secret", "hidden", "Staging.apiKey"]
    );
}

#[test]
fn scripts_are_comments_and_get_bodies_are_pruned() {
    let text = collection(
        json!([{"name": "A", "event": [{"listen": "test", "script": {"exec": [
            "pm.test('ok', () => pm.response.to.have.status(200));"]}}],
            "request": {"method": "GET", "url": "https://x.example/a",
                "body": {"mode": "raw", "raw": "ignored"}}}]),
        json!({}),
    );
    let imported = import("c.json", &text, &[]).unwrap();
    let planned = &imported.plan.files[0].requests[0];
    assert_eq!(planned.request.body, Body::None);
    assert!(planned.notes[0].starts_with("Postman test script of the request a"));
    assert!(planned.notes[1].contains("pm.test('ok'"));
    assert!(imported.plan.warnings.iter().any(|w| w.contains("not run")));
}

#[test]
fn urls_keep_enabled_query_rows_and_fill_path_variables() {
    let u = json!({"raw": "{{base}}/users/:id?a=1&b=2", "host": ["{{base}}"],
        "path": ["users", ":id"],
        "query": [{"key": "a", "value": "1"}, {"key": "b", "value": "2", "disabled": true},
                  {"key": "flag", "value": null}],
        "variable": [{"key": "id", "value": "42"}]});
    assert_eq!(url(Some(&u)), "{{base}}/users/42?a=1&flag");
    let parts = json!({"protocol": "https", "host": ["api", "example", "com"], "port": "8443",
        "path": ["v1", "x"]});
    assert_eq!(url(Some(&parts)), "https://api.example.com:8443/v1/x");
}

#[test]
fn bad_input_is_one_sentence() {
    for (text, says) in [
        ("not json", "not JSON"),
        (
            "{\"info\": {\"schema\": \"https://schema.getpostman.com/json/collection/v1.0.0/\"}}",
            "v2.0 and v2.1",
        ),
        (
            "{\"values\": [], \"_postman_variable_scope\": \"environment\"}",
            "--env",
        ),
        ("{\"requests\": [], \"order\": []}", "v1"),
        ("{}", "no info.schema"),
    ] {
        let err = import("c.json", text, &[]).unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
        assert!(!err.contains('\n'), "{err}");
    }
    let empty = collection(json!([]), json!({}));
    assert!(import("c.json", &empty, &[]).is_err());
}
