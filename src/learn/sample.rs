//! The sample workspace of the first run: a handful of `.http` requests against the lab and a
//! `lab` environment whose `base_url` points at it. It lives in its own folder, so a user's
//! own workspace is never touched.
//!
//! The lab picks free ports each time it starts, so the environment is rewritten on every
//! start; the requests are written only once, so a learner's edits to them survive.
//! HTTPS requests trust the CA file the lab keeps in its own folder.
//!
//! Only one running workbench may point the shared sample at its lab ([`claim`]): a second
//! one gets a copy in its lab's own folder, so neither sends to the other's ports, or to a
//! dead one when the other quits.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::fs::FileLock;
use crate::http::workspace::{Workspace, WorkspaceError, write_atomic};
use crate::lab::LabUrls;

/// The requests file's name in the sample workspace.
pub const REQUESTS_FILE: &str = "lab.http";

/// The requests `apiward authz` runs against the lab: apiward's own file, rewritten on every
/// start (with the identities), so edit a copy. Named to sort after [`REQUESTS_FILE`], so the
/// Request tab's list opens on `login`, lesson 1's request.
pub const AUTHZ_FILE: &str = "matrix.http";

/// Where an earlier version kept [`AUTHZ_FILE`]; removed when it is still apiward's own, or
/// its requests would be listed twice.
const OLD_AUTHZ_FILE: &str = "authz.http";

/// The first line of [`AUTHZ_FILE`], by which apiward knows its own file.
const AUTHZ_HEADER: &str = "# The authorization matrix against the practice lab";

/// The environment the sample requests use.
pub const ENV_NAME: &str = "lab";

/// The lock that says which workbench's lab the shared sample points at (`.lab-owner.lock`).
const OWNER: &str = "lab-owner";

/// The sample workspace a workbench's lab may write, held until the workbench quits.
#[derive(Debug)]
pub struct SampleClaim {
    pub dir: PathBuf,
    _owner: Option<FileLock>,
}

/// The shared sample `shared` when no other running workbench points it at its lab, else
/// `private` (in this lab's own folder), seeded with the shared requests so the learner's
/// edits come along.
pub fn claim(shared: &Path, private: &Path) -> Result<SampleClaim, WorkspaceError> {
    match crate::fs::lock_within(&shared.join(OWNER), Duration::ZERO) {
        Ok(owner) => Ok(SampleClaim {
            dir: shared.to_path_buf(),
            _owner: Some(owner),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            let (from, to) = (shared.join(REQUESTS_FILE), private.join(REQUESTS_FILE));
            if !to.exists()
                && let Ok(text) = std::fs::read(&from)
            {
                write_atomic(&to, &text)?;
            }
            Ok(SampleClaim {
                dir: private.to_path_buf(),
                _owner: None,
            })
        }
        Err(e) => Err(WorkspaceError::io(shared, e)),
    }
}

/// Creates or refreshes the sample workspace in `dir` for the lab at `urls`. Other
/// environments a learner added to its file are kept.
pub fn prepare(dir: &Path, urls: &LabUrls) -> Result<(), WorkspaceError> {
    let ws = Workspace::create(dir)?;
    ws.set_env_values(
        ENV_NAME,
        &[("base_url", &urls.http), ("secure_url", &urls.https)],
        false,
    )?;
    let requests = ws.dir.join(REQUESTS_FILE);
    if !requests.exists() {
        write_atomic(&requests, requests_text(&urls.ca).as_bytes())?;
    }
    Ok(())
}

/// Writes the authorization matrix's part of the sample: [`AUTHZ_FILE`] and the identities
/// alice and bob (who log in through it), admin (with `admin_token`, a session the lab issued
/// its admin, whose password nobody knows) and anonymous.
pub fn prepare_authz(
    dir: &Path,
    urls: &LabUrls,
    admin_token: Option<&str>,
) -> Result<(), WorkspaceError> {
    use crate::authz::{Credential, Identity, Role, identities};
    let ws = Workspace::create(dir)?;
    write_atomic(&ws.dir.join(AUTHZ_FILE), authz_text(&urls.ca).as_bytes())?;
    let old = ws.dir.join(OLD_AUTHZ_FILE);
    if std::fs::read_to_string(&old).is_ok_and(|t| t.starts_with(AUTHZ_HEADER)) {
        std::fs::remove_file(&old).map_err(|e| WorkspaceError::io(&old, e))?;
    }
    let login = Credential::Bearer("{{authz-login.response.body.$.token}}".into());
    let user = |name: &str, password: &str, order| Identity {
        name: name.into(),
        role: Role::User,
        order,
        credentials: vec![login.clone()],
        vars: vec![
            ("authz_user".into(), name.into()),
            ("authz_password".into(), password.into()),
        ],
    };
    let mut all = vec![
        user("alice", "alice-password", 1),
        user("bob", "sunshine", 2),
    ];
    if let Some(token) = admin_token {
        all.push(Identity {
            name: "admin".into(),
            role: Role::Admin,
            order: 3,
            credentials: vec![Credential::Bearer(token.into())],
            vars: Vec::new(),
        });
    }
    all.push(Identity {
        order: 4,
        ..Identity::anonymous("anonymous")
    });
    for identity in &all {
        identities::save(&ws, identity).map_err(|e| match e {
            identities::IdentityError::Workspace(w) => w,
            other => WorkspaceError::NotSaved {
                path: ws.dir.join(crate::http::workspace::PRIVATE_ENV_FILE),
                message: other.to_string(),
            },
        })?;
    }
    Ok(())
}

/// A session token for the lab's admin, issued by the lab itself: the admin identity of the
/// sample, valid for an hour and for this lab only.
pub fn admin_session(state: &crate::lab::LabState) -> Option<String> {
    let admin = state.users().iter().find(|u| u.role == "admin").cloned()?;
    crate::lab::jwt_routes::issue_session(state, &admin).ok()
}

fn authz_text(ca: &str) -> String {
    format!(
        r#"{AUTHZ_HEADER}: `apiward authz --all` replays these
# (and the GET requests of lab.http) as alice, bob, admin and anonymous; `--tag bola`, `--tag
# bfla` or `--tag hardened` runs only those. apiward rewrites this file and the identities each
# time the lab starts: edit a copy.

### Log in as the identity being replayed (its authz_user and authz_password)
# @name authz-login
POST {{{{base_url}}}}/login
Content-Type: application/json

{{"username": "{{{{authz_user}}}}", "password": "{{{{authz_password}}}}"}}

### Your own record
# @name me
GET {{{{base_url}}}}/api/me

### alice's record by id: BOLA, anyone logged in can read it
# @name user-1
# @tag bola
GET {{{{base_url}}}}/api/users/1

### The hardened twin of /api/me
# @name me-hardened
# @tag hardened
# @ca-file {ca}
GET {{{{secure_url}}}}/hardened/api/me

### The hardened twin of /api/users/1: only yours, or any to an admin
# @name user-1-hardened
# @tag bola hardened
# @ca-file {ca}
GET {{{{secure_url}}}}/hardened/api/users/1

### An admin-only export: BFLA, any logged-in user gets it
# @name admin-export
# @tag bfla
GET {{{{base_url}}}}/api/admin/export

### Its hardened twin: admins only
# @name admin-export-hardened
# @tag bfla hardened
# @ca-file {ca}
GET {{{{secure_url}}}}/hardened/api/admin/export
"#
    )
}

fn requests_text(ca: &str) -> String {
    format!(
        r#"# Requests against the apiward practice lab, a deliberately vulnerable API on loopback.
# {{{{base_url}}}} and {{{{secure_url}}}} come from the "lab" environment, which apiward rewrites
# with the lab's ports each time it starts. The Learn tab (6) has the lessons.

### Log in as alice over plain HTTP (lesson 1: use HTTPS)
# @name login
POST {{{{base_url}}}}/login
Content-Type: application/json

{{"username": "alice", "password": "alice-password"}}

### The same on the hardened twin, over HTTPS with the lab's own CA
# @name login-hardened
# @ca-file {ca}
POST {{{{secure_url}}}}/hardened/login
Content-Type: application/json

{{"username": "alice", "password": "alice-password"}}

### Missing security headers and permissive CORS: see the Findings view
# @name status
GET {{{{base_url}}}}/api/status
Origin: https://evil.example

### Every user, password hashes included (excessive data exposure)
# @name users
GET {{{{base_url}}}}/api/users

### A malformed id and a verbose error
# @name order-error
GET {{{{base_url}}}}/api/orders/abc

### A token for the alg-none lesson: paste it in the JWT tab and probe /jwt/none/me
# @name jwt-none-login
POST {{{{base_url}}}}/jwt/none/login
Content-Type: application/json

{{"username": "alice", "password": "alice-password"}}

### A token signed with a weak secret: crack it in the JWT tab (c)
# @name jwt-weak-secret-login
POST {{{{base_url}}}}/jwt/weak-secret/login
Content-Type: application/json

{{"username": "alice", "password": "alice-password"}}

### An expired token as well as a fresh one
# @name jwt-exp-login
POST {{{{base_url}}}}/jwt/exp/login
Content-Type: application/json

{{"username": "alice", "password": "alice-password"}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::workspace::ENV_FILE;

    fn urls(port: u16) -> LabUrls {
        LabUrls {
            http: format!("http://127.0.0.1:{port}"),
            https: format!("https://127.0.0.1:{}", port + 1),
            ca: "/lab/ca.pem".into(),
            partner: format!("http://127.0.0.1:{}", port + 2),
        }
    }

    #[test]
    fn the_sample_parses_and_points_at_the_lab() {
        let dir = tempfile::tempdir().unwrap();
        prepare(dir.path(), &urls(1)).unwrap();
        let ws = Workspace::open(dir.path());
        let names: Vec<String> = ws
            .requests()
            .unwrap()
            .into_iter()
            .map(|s| s.request.name)
            .collect();
        assert!(names.contains(&"login".to_string()), "{names:?}");
        assert!(names.len() >= 6);
        assert_eq!(ws.environments().unwrap(), vec![ENV_NAME.to_string()]);
        let vars = ws.vars(Some(ENV_NAME), &[]).unwrap();
        assert_eq!(
            vars.get("base_url").map(|v| v.value.as_str()),
            Some("http://127.0.0.1:1")
        );
    }

    #[test]
    fn a_restart_refreshes_the_env_and_keeps_edited_requests() {
        let dir = tempfile::tempdir().unwrap();
        prepare(dir.path(), &urls(1)).unwrap();
        let file = dir.path().join(REQUESTS_FILE);
        std::fs::write(&file, "GET http://127.0.0.1/edited\n").unwrap();
        prepare(dir.path(), &urls(3)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "GET http://127.0.0.1/edited\n"
        );
        let env = std::fs::read_to_string(dir.path().join(ENV_FILE)).unwrap();
        assert!(env.contains("127.0.0.1:3"), "{env}");
    }

    #[test]
    fn the_matrix_file_lists_after_login_and_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        prepare(dir.path(), &urls(1)).unwrap();
        let old = dir.path().join(OLD_AUTHZ_FILE);
        std::fs::write(&old, authz_text("/lab/ca.pem")).unwrap();
        let mine = dir.path().join("requests/mine.http");
        std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
        std::fs::write(&mine, "GET http://127.0.0.1:1/x\n").unwrap();
        prepare_authz(dir.path(), &urls(1), None).unwrap();
        assert!(!old.exists());
        let names: Vec<String> = (Workspace::open(dir.path()).requests().unwrap().into_iter())
            .map(|s| s.request.name)
            .collect();
        assert_eq!(
            names.first().map(String::as_str),
            Some("login"),
            "{names:?}"
        );
        assert_eq!(names.iter().filter(|n| *n == "authz-login").count(), 1);
        // A file of the learner's own by that name stays.
        std::fs::write(&old, "GET http://127.0.0.1:1/kept\n").unwrap();
        prepare_authz(dir.path(), &urls(1), None).unwrap();
        assert!(old.exists());
    }

    #[test]
    fn a_second_claim_gets_its_own_copy_until_the_owner_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let (shared, own) = (dir.path().join("sample"), dir.path().join("lab-b"));
        let first = claim(&shared, &dir.path().join("lab-a")).unwrap();
        assert_eq!(first.dir, shared);
        prepare(&first.dir, &urls(1)).unwrap();
        std::fs::write(shared.join(REQUESTS_FILE), "GET {{base_url}}/mine\n").unwrap();

        let second = claim(&shared, &own).unwrap();
        assert_eq!(second.dir, own);
        prepare(&second.dir, &urls(3)).unwrap();
        let vars = |dir: &Path| {
            let vars = Workspace::open(dir).vars(Some(ENV_NAME), &[]).unwrap();
            vars.get("base_url").unwrap().value.clone()
        };
        assert_eq!(vars(&shared), "http://127.0.0.1:1");
        assert_eq!(vars(&own), "http://127.0.0.1:3");
        assert_eq!(
            std::fs::read_to_string(own.join(REQUESTS_FILE)).unwrap(),
            "GET {{base_url}}/mine\n"
        );
        drop(first);
        assert_eq!(claim(&shared, &own).unwrap().dir, shared);
    }
}
