//! Postman's auth object (`{"type": "bearer", "bearer": [...]}`) as apiward auth. v2.1 keeps
//! each setting as `{key, value}` rows, v2.0 as an object; both are read.

use serde_json::Value;

use crate::http::model::{Auth, KeyPlace};

/// What a level of the collection says about auth.
#[derive(Debug, Clone, PartialEq)]
pub enum Level {
    /// Nothing here, or `inherit`: the parent's auth applies.
    Inherit,
    /// This auth, and a sentence when something of it could not be carried over.
    Set(Auth, Option<String>),
}

/// The settings of `auth[kind]`, by key, as text.
fn settings(auth: &Value, kind: &str) -> Vec<(String, String)> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match auth.get(kind) {
        Some(Value::Array(rows)) => rows
            .iter()
            .filter_map(|r| Some((r.get("key")?.as_str()?.to_string(), text(r.get("value")?))))
            .collect(),
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
        _ => Vec::new(),
    }
}

/// Reads one level's `auth` (absent or null is inherit).
pub fn level(auth: Option<&Value>, token_var: &str) -> Level {
    let Some(auth) = auth.filter(|a| !a.is_null()) else {
        return Level::Inherit;
    };
    let kind = auth
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("inherit");
    let s = settings(auth, kind);
    let get = |key: &str| {
        s.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match kind {
        "inherit" => Level::Inherit,
        "noauth" => Level::Set(Auth::None, None),
        "basic" => Level::Set(
            Auth::Basic {
                username: get("username"),
                password: get("password"),
            },
            None,
        ),
        "bearer" => Level::Set(
            Auth::Bearer {
                token: get("token"),
            },
            None,
        ),
        "digest" => Level::Set(
            Auth::Digest {
                username: get("username"),
                password: get("password"),
            },
            Some(
                "Digest auth: apiward answers the server's own challenge, so the realm, nonce \
                 and other settings saved in the collection are not used"
                    .into(),
            ),
        ),
        "apikey" => {
            let place = match get("in").as_str() {
                "query" => KeyPlace::Query,
                _ => KeyPlace::Header,
            };
            let name = match get("key") {
                k if k.is_empty() => "X-API-Key".to_string(),
                k => k,
            };
            Level::Set(
                Auth::ApiKey {
                    name,
                    value: get("value"),
                    place,
                },
                None,
            )
        }
        "oauth2" => oauth2(&get, token_var),
        other => Level::Set(
            Auth::None,
            Some(format!(
                "{other} auth is not something apiward sends; the requests go without it"
            )),
        ),
    }
}

/// OAuth 2.0: the token the collection holds (or a variable to fill) is sent as Postman
/// sends it; getting a token (the grant, its URLs and client secret) is not run.
fn oauth2(get: &dyn Fn(&str) -> String, token_var: &str) -> Level {
    let token = match get("accessToken") {
        t if t.is_empty() => format!("{{{{{token_var}}}}}"),
        t => t,
    };
    let grant = match get("grant_type") {
        g if g.is_empty() => "authorization_code".to_string(),
        g => g,
    };
    let note = format!(
        "OAuth 2.0 ({grant}): the access token is sent as Postman sends it; apiward does not \
         run the grant, so put a fresh token in {{{{{token_var}}}}}"
    );
    let note = if get("accessToken").is_empty() {
        note
    } else {
        note.replace(
            &format!(", so put a fresh token in {{{{{token_var}}}}}"),
            "",
        )
    };
    let auth = match get("addTokenTo").as_str() {
        "queryParams" => Auth::ApiKey {
            name: "access_token".into(),
            value: token,
            place: KeyPlace::Query,
        },
        _ => match get("headerPrefix") {
            p if p.is_empty() || p == "Bearer" => Auth::Bearer { token },
            prefix => Auth::ApiKey {
                name: "Authorization".into(),
                value: format!("{prefix} {token}"),
                place: KeyPlace::Header,
            },
        },
    };
    Level::Set(auth, Some(note))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_shapes_of_settings_are_read() {
        let v21 = json!({"type": "basic", "basic": [
            {"key": "password", "value": "p", "type": "string"},
            {"key": "username", "value": "u", "type": "string"}]});
        let v20 = json!({"type": "basic", "basic": {"username": "u", "password": "p"}});
        let want = Level::Set(
            Auth::Basic {
                username: "u".into(),
                password: "p".into(),
            },
            None,
        );
        assert_eq!(level(Some(&v21), "t"), want);
        assert_eq!(level(Some(&v20), "t"), want);
    }

    #[test]
    fn inherit_noauth_and_unknown_kinds() {
        assert_eq!(level(None, "t"), Level::Inherit);
        assert_eq!(level(Some(&Value::Null), "t"), Level::Inherit);
        assert_eq!(
            level(Some(&json!({"type": "inherit"})), "t"),
            Level::Inherit
        );
        assert_eq!(
            level(Some(&json!({"type": "noauth"})), "t"),
            Level::Set(Auth::None, None)
        );
        let Level::Set(Auth::None, Some(note)) = level(Some(&json!({"type": "hawk"})), "t") else {
            panic!("hawk is noted")
        };
        assert!(note.starts_with("hawk auth"), "{note}");
    }

    #[test]
    fn api_keys_and_oauth2_tokens() {
        let key = json!({"type": "apikey", "apikey": [
            {"key": "in", "value": "query"}, {"key": "key", "value": "api_key"},
            {"key": "value", "value": "{{key}}"}]});
        assert_eq!(
            level(Some(&key), "t"),
            Level::Set(
                Auth::ApiKey {
                    name: "api_key".into(),
                    value: "{{key}}".into(),
                    place: KeyPlace::Query
                },
                None
            )
        );
        let oauth = json!({"type": "oauth2", "oauth2": [
            {"key": "addTokenTo", "value": "header"},
            {"key": "grant_type", "value": "client_credentials"}]});
        let Level::Set(auth, Some(note)) = level(Some(&oauth), "api_token") else {
            panic!("oauth2 is noted")
        };
        assert_eq!(
            auth,
            Auth::Bearer {
                token: "{{api_token}}".into()
            }
        );
        assert!(note.contains("client_credentials") && note.contains("{{api_token}}"));
        let prefixed =
            json!({"type": "oauth2", "oauth2": {"accessToken": "abc", "headerPrefix": "Token"}});
        let Level::Set(auth, _) = level(Some(&prefixed), "t") else {
            panic!()
        };
        assert_eq!(
            auth,
            Auth::ApiKey {
                name: "Authorization".into(),
                value: "Token abc".into(),
                place: KeyPlace::Header
            }
        );
    }
}
