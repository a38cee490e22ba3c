//! The auth and body kinds the editor cycles through, and the parts each kind is edited as:
//! which parts a kind has, each part's text, and typed text back into the request. Pure, so
//! the key handling built on it is tested without a terminal.

use std::path::PathBuf;

use crate::http::{Auth, Body, JwtKey, KeyPlace, Part, PartValue, Row};
use crate::jwt::lint::SUPPORTED_ALGS;

/// One value of an auth kind, shown on its own line under the auth kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthPart {
    User,
    Password,
    Token,
    KeyName,
    KeyValue,
    /// Header or query: toggled, not typed.
    KeyPlace,
    Alg,
    /// An HMAC secret or a PEM file, as the algorithm needs.
    Key,
    Claims,
}

/// The auth kinds in the order the kind key cycles through them.
pub const AUTH_KINDS: [&str; 6] = ["none", "basic", "bearer", "API key", "JWT", "digest"];

pub fn auth_kind(auth: &Auth) -> usize {
    match auth {
        Auth::None => 0,
        Auth::Basic { .. } => 1,
        Auth::Bearer { .. } => 2,
        Auth::ApiKey { .. } => 3,
        Auth::Jwt { .. } => 4,
        Auth::Digest { .. } => 5,
    }
}

/// The parts of `auth`, top to bottom.
pub fn auth_parts(auth: &Auth) -> &'static [AuthPart] {
    use AuthPart::*;
    match auth {
        Auth::None => &[],
        Auth::Basic { .. } | Auth::Digest { .. } => &[User, Password],
        Auth::Bearer { .. } => &[Token],
        Auth::ApiKey { .. } => &[KeyName, KeyValue, KeyPlace],
        Auth::Jwt { .. } => &[Alg, Key, Claims],
    }
}

pub fn part_label(auth: &Auth, part: AuthPart) -> &'static str {
    match part {
        AuthPart::User => "User",
        AuthPart::Password => "Password",
        AuthPart::Token => "Token",
        AuthPart::KeyName => "Name",
        AuthPart::KeyValue => "Value",
        AuthPart::KeyPlace => "Sent in",
        AuthPart::Alg => "Alg",
        AuthPart::Key
            if matches!(
                auth,
                Auth::Jwt {
                    key: JwtKey::PemFile(_),
                    ..
                }
            ) =>
        {
            "PEM file"
        }
        AuthPart::Key => "Secret",
        AuthPart::Claims => "Claims",
    }
}

/// Whether the part holds a credential, shown and typed masked.
pub fn is_secret(auth: &Auth, part: AuthPart) -> bool {
    match part {
        AuthPart::Password | AuthPart::Token | AuthPart::KeyValue => true,
        AuthPart::Key => matches!(
            auth,
            Auth::Jwt {
                key: JwtKey::Secret(_),
                ..
            }
        ),
        _ => false,
    }
}

/// The part's value as it is edited (never masked: the input masks it).
pub fn part_text(auth: &Auth, part: AuthPart) -> String {
    match (auth, part) {
        (Auth::Basic { username, .. } | Auth::Digest { username, .. }, AuthPart::User) => {
            username.clone()
        }
        (Auth::Basic { password, .. } | Auth::Digest { password, .. }, AuthPart::Password) => {
            password.clone()
        }
        (Auth::Bearer { token }, AuthPart::Token) => token.clone(),
        (Auth::ApiKey { name, .. }, AuthPart::KeyName) => name.clone(),
        (Auth::ApiKey { value, .. }, AuthPart::KeyValue) => value.clone(),
        (Auth::ApiKey { place, .. }, AuthPart::KeyPlace) => match place {
            KeyPlace::Header => "header".into(),
            KeyPlace::Query => "query".into(),
        },
        (Auth::Jwt { alg, .. }, AuthPart::Alg) => alg.clone(),
        (Auth::Jwt { key, .. }, AuthPart::Key) => match key {
            JwtKey::Secret(secret) => secret.clone(),
            JwtKey::PemFile(path) => path.display().to_string(),
        },
        (Auth::Jwt { claims, .. }, AuthPart::Claims) => claims.clone(),
        _ => String::new(),
    }
}

/// Typed text back into the part; an algorithm apiward cannot sign with is refused.
pub fn set_part(auth: &mut Auth, part: AuthPart, text: &str) -> Result<(), String> {
    let trimmed = text.trim().to_string();
    match (auth, part) {
        (Auth::Basic { username, .. } | Auth::Digest { username, .. }, AuthPart::User) => {
            *username = trimmed
        }
        // Credentials are kept as typed: a space can be part of a password.
        (Auth::Basic { password, .. } | Auth::Digest { password, .. }, AuthPart::Password) => {
            *password = text.to_string()
        }
        (Auth::Bearer { token }, AuthPart::Token) => *token = trimmed,
        (Auth::ApiKey { name, .. }, AuthPart::KeyName) => *name = trimmed,
        (Auth::ApiKey { value, .. }, AuthPart::KeyValue) => *value = text.to_string(),
        (Auth::ApiKey { place, .. }, AuthPart::KeyPlace) => {
            *place = match trimmed.to_ascii_lowercase().as_str() {
                "header" => KeyPlace::Header,
                "query" => KeyPlace::Query,
                _ => return Err("an API key goes in the header or the query".into()),
            }
        }
        (Auth::Jwt { alg, key, .. }, AuthPart::Alg) => {
            let Some(known) = SUPPORTED_ALGS
                .iter()
                .find(|a| a.eq_ignore_ascii_case(&trimmed))
            else {
                return Err(format!(
                    "the JWT alg is one of {}",
                    SUPPORTED_ALGS.join(", ")
                ));
            };
            // HMAC signs with a secret, the others with a private key: a secret must not be
            // shown as a path, so switching families starts the key afresh.
            if is_hmac(known) != matches!(key, JwtKey::Secret(_)) {
                *key = key_for(known);
            }
            *alg = known.to_string();
        }
        (Auth::Jwt { key, .. }, AuthPart::Key) => {
            *key = match key {
                JwtKey::Secret(_) => JwtKey::Secret(text.to_string()),
                JwtKey::PemFile(_) => JwtKey::PemFile(PathBuf::from(trimmed)),
            }
        }
        (Auth::Jwt { claims, .. }, AuthPart::Claims) => *claims = trimmed,
        _ => {}
    }
    Ok(())
}

/// Header becomes query and query header.
pub fn toggle_place(auth: &mut Auth) {
    if let Auth::ApiKey { place, .. } = auth {
        *place = match place {
            KeyPlace::Header => KeyPlace::Query,
            KeyPlace::Query => KeyPlace::Header,
        };
    }
}

fn is_hmac(alg: &str) -> bool {
    alg.starts_with("HS")
}

fn key_for(alg: &str) -> JwtKey {
    if is_hmac(alg) {
        JwtKey::Secret(String::new())
    } else {
        JwtKey::PemFile(PathBuf::new())
    }
}

/// The auth after `current` in [`AUTH_KINDS`]: what was left in that kind earlier, else an
/// empty one. `current` is kept in `stash`, so cycling round loses nothing typed.
pub fn next_auth(current: &Auth, stash: &mut Vec<Auth>) -> Auth {
    cycle(
        current,
        stash,
        auth_kind,
        AUTH_KINDS.len(),
        |kind, _| match kind {
            1 => Auth::Basic {
                username: String::new(),
                password: String::new(),
            },
            2 => Auth::Bearer {
                token: String::new(),
            },
            3 => Auth::ApiKey {
                name: "X-API-Key".into(),
                value: String::new(),
                place: KeyPlace::Header,
            },
            4 => Auth::Jwt {
                alg: "HS256".into(),
                key: key_for("HS256"),
                claims: r#"{"sub":"apiward","iat":{{$timestamp}}}"#.into(),
            },
            5 => Auth::Digest {
                username: String::new(),
                password: String::new(),
            },
            _ => Auth::None,
        },
    )
}

/// The body kinds in the order the kind key cycles through them.
pub const BODY_KINDS: [&str; 6] = ["none", "JSON", "raw text", "form", "multipart", "file"];

pub fn body_kind(body: &Body) -> usize {
    match body {
        Body::None => 0,
        Body::Json(_) => 1,
        Body::Raw(_) => 2,
        Body::Form(_) => 3,
        Body::Multipart(_) => 4,
        Body::File(_) => 5,
    }
}

/// The body after `current` in [`BODY_KINDS`], as [`next_auth`] does it. Text goes on from
/// JSON to raw, and form fields become multipart parts.
pub fn next_body(current: &Body, stash: &mut Vec<Body>) -> Body {
    cycle(
        current,
        stash,
        body_kind,
        BODY_KINDS.len(),
        |kind, from| match (kind, from) {
            (2, Body::Json(text)) => Body::Raw(text.clone()),
            (1, _) => Body::Json(String::new()),
            (2, _) => Body::Raw(String::new()),
            (3, _) => Body::Form(Vec::new()),
            (4, Body::Form(rows)) => Body::Multipart(
                rows.iter()
                    .filter(|r| r.enabled)
                    .map(|r| Part {
                        name: r.name.clone(),
                        value: PartValue::Text(r.value.clone()),
                        enabled: true,
                    })
                    .collect(),
            ),
            (4, _) => Body::Multipart(Vec::new()),
            (5, _) => Body::File(PathBuf::new()),
            _ => Body::None,
        },
    )
}

fn cycle<T: Clone>(
    current: &T,
    stash: &mut Vec<T>,
    kind: fn(&T) -> usize,
    count: usize,
    fresh: impl Fn(usize, &T) -> T,
) -> T {
    let next = (kind(current) + 1) % count;
    stash.retain(|s| kind(s) != kind(current));
    stash.push(current.clone());
    match stash.iter().position(|s| kind(s) == next) {
        Some(i) => stash.remove(i),
        None => fresh(next, current),
    }
}

/// A multipart part as one line: `name: value`, or `name: @path` for a file.
pub fn multipart_text(part: &Part) -> String {
    match &part.value {
        PartValue::Text(value) => format!("{}: {value}", part.name),
        PartValue::File(path) => format!("{}: @{}", part.name, path.display()),
    }
}

/// `name: value` back into a part; a value `@path` is that file.
pub fn parse_multipart(text: &str, enabled: bool) -> Part {
    let Row { name, value, .. } = super::rows::parse_row(text, enabled);
    let value = match value.strip_prefix('@') {
        Some(path) if !path.trim().is_empty() => PartValue::File(PathBuf::from(path.trim())),
        _ => PartValue::Text(value),
    };
    Part {
        name,
        value,
        enabled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycling_round_keeps_what_was_typed() {
        let mut stash = Vec::new();
        let mut auth = Auth::None;
        let mut seen = Vec::new();
        for _ in 0..AUTH_KINDS.len() {
            auth = next_auth(&auth, &mut stash);
            seen.push(auth_kind(&auth));
            if let Auth::Bearer { token } = &mut auth {
                *token = "t0k".into();
            }
        }
        assert_eq!(seen, [1, 2, 3, 4, 5, 0]);
        let bearer = next_auth(&next_auth(&auth, &mut stash), &mut stash);
        assert_eq!(
            bearer,
            Auth::Bearer {
                token: "t0k".into()
            }
        );
        let mut stash = Vec::new();
        let raw = next_body(&Body::Json("{}".into()), &mut stash);
        assert_eq!(raw, Body::Raw("{}".into()));
        let form = Body::Form(vec![Row::new("a", "1"), Row::new("b", "2").disabled()]);
        let Body::Multipart(parts) = next_body(&form, &mut stash) else {
            panic!()
        };
        assert_eq!(parts.len(), 1);
    }

    #[test]
    fn parts_take_typed_text() {
        let mut auth = next_auth(&Auth::Bearer { token: "x".into() }, &mut Vec::new());
        assert_eq!(auth_parts(&auth).len(), 3);
        set_part(&mut auth, AuthPart::KeyValue, "k3y").unwrap();
        toggle_place(&mut auth);
        assert_eq!(part_text(&auth, AuthPart::KeyPlace), "query");
        assert!(is_secret(&auth, AuthPart::KeyValue));
        let mut jwt = next_auth(&auth, &mut Vec::new());
        set_part(&mut jwt, AuthPart::Key, "s3cret").unwrap();
        assert!(is_secret(&jwt, AuthPart::Key));
        set_part(&mut jwt, AuthPart::Alg, "rs256").unwrap();
        assert_eq!(part_text(&jwt, AuthPart::Alg), "RS256");
        assert_eq!(part_label(&jwt, AuthPart::Key), "PEM file");
        assert_eq!(
            part_text(&jwt, AuthPart::Key),
            "",
            "the secret is not kept as a path"
        );
        assert!(set_part(&mut jwt, AuthPart::Alg, "none").is_err());
        let part = parse_multipart("file: @a b.png", true);
        assert_eq!(part.value, PartValue::File("a b.png".into()));
        assert_eq!(multipart_text(&part), "file: @a b.png");
        assert_eq!(
            parse_multipart("note: hi", true).value,
            PartValue::Text("hi".into())
        );
    }
}
