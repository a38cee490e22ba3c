//! The request editor as a list of fields: which fields there are, the text each is edited
//! as, and how edited text goes back into the request. Pure functions, so the key handling
//! built on them is tested without a terminal.

use std::path::Path;

use super::kinds::{AuthPart, auth_parts};
pub use super::rows::{parse_row, row_text};
use crate::http::{Auth, Body, PrepareError, Redactor, Request, Vars, prepare};

/// A line of the editor that the cursor can rest on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Method,
    Url,
    /// The query heading (`None`) or one of its rows.
    Query(Option<usize>),
    /// The headers heading (`None`) or one of its rows.
    Header(Option<usize>),
    /// The auth kind; its parts follow.
    Auth,
    AuthPart(AuthPart),
    /// The body kind; its content follows.
    Body,
    /// JSON or raw text, edited in the multi-line editor.
    BodyText,
    /// A form field or a multipart part.
    BodyRow(usize),
    /// The path of a file body.
    BodyFile,
}

/// The methods `m` cycles through; any other can be typed.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Every field of `req`, top to bottom.
pub fn fields(req: &Request) -> Vec<Field> {
    let mut out = vec![Field::Method, Field::Url, Field::Query(None)];
    out.extend((0..req.query.len()).map(|i| Field::Query(Some(i))));
    out.push(Field::Header(None));
    out.extend((0..req.headers.len()).map(|i| Field::Header(Some(i))));
    out.push(Field::Auth);
    out.extend(auth_parts(&req.auth).iter().map(|p| Field::AuthPart(*p)));
    out.push(Field::Body);
    match &req.body {
        Body::None => {}
        Body::Json(_) | Body::Raw(_) => out.push(Field::BodyText),
        Body::Form(rows) => out.extend((0..rows.len()).map(Field::BodyRow)),
        Body::Multipart(parts) => out.extend((0..parts.len()).map(Field::BodyRow)),
        Body::File(_) => out.push(Field::BodyFile),
    }
    out
}

/// The method after `current` in [`METHODS`]; a custom method goes back to GET.
pub fn next_method(current: &str) -> &'static str {
    METHODS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(current.trim()))
        .map_or(METHODS[0], |i| METHODS[(i + 1) % METHODS.len()])
}

/// Where a problem with the request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Method,
    Url,
    Headers,
    Auth,
    Body,
    Variables,
}

impl Target {
    pub fn label(self) -> &'static str {
        match self {
            Target::Method => "Method",
            Target::Url => "URL",
            Target::Headers => "Headers",
            Target::Auth => "Auth",
            Target::Body => "Body",
            Target::Variables => "Variables",
        }
    }
}

/// Where a prepare error points.
pub fn target_of(err: &PrepareError) -> Target {
    match err {
        PrepareError::Var(_) => Target::Variables,
        PrepareError::BadMethod(_) | PrepareError::LongMethod(_) => Target::Method,
        PrepareError::BadUrl { .. } | PrepareError::BadScheme(_) | PrepareError::BadProxy(..) => {
            Target::Url
        }
        PrepareError::BadHeader(_) => Target::Headers,
        PrepareError::BadJson { .. } | PrepareError::File { .. } => Target::Body,
        PrepareError::BadClaims(_) | PrepareError::Jwt(_) => Target::Auth,
    }
}

/// What `http::prepare` says about the request, without the parts that read files or sign
/// (those are checked when it is sent), so it can run after every edit.
pub fn validate(req: &Request, vars: &Vars, base_dir: Option<&Path>) -> Option<(Target, String)> {
    if req.url.trim().is_empty() {
        return None;
    }
    let mut light = req.clone();
    if matches!(light.body, Body::File(_) | Body::Multipart(_)) {
        light.body = Body::None;
    }
    // Signing reads the key file, so only the claims are checked here.
    if let Auth::Jwt { claims, .. } = &light.auth {
        let claims = vars.resolve(claims, &mut Redactor::default());
        let bad = match claims.map(|c| serde_json::from_str::<serde_json::Value>(&c)) {
            Ok(Ok(value)) if value.is_object() => None,
            Ok(Ok(_)) => Some("it is not an object".to_string()),
            Ok(Err(e)) => Some(e.to_string()),
            Err(e) => Some(e.to_string()),
        };
        if let Some(reason) = bad {
            return Some((Target::Auth, PrepareError::BadClaims(reason).to_string()));
        }
        light.auth = Auth::None;
    }
    prepare(&light, vars, base_dir)
        .err()
        .map(|e| (target_of(&e), e.to_string()))
}

/// The first thing in `text` that looks like a JWT: `eyJ…​.eyJ…​.…`.
pub fn find_jwt(text: &str) -> Option<&str> {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
    let mut from = 0;
    while let Some(at) = text[from..].find("eyJ") {
        let start = from + at;
        let end = text[start..]
            .find(|c: char| !is_token_char(c))
            .map_or(text.len(), |e| start + e);
        let candidate = text[start..end].trim_end_matches('.');
        let parts: Vec<&str> = candidate.split('.').collect();
        if parts.len() == 3 && parts[1].starts_with("eyJ") {
            return Some(candidate);
        }
        from = end.max(start + 3);
    }
    None
}

/// The bearer token the request sends: its bearer auth, else an `Authorization: Bearer`
/// header row.
pub fn bearer_token(req: &Request) -> Option<&str> {
    if let Auth::Bearer { token } = &req.auth {
        return Some(token.as_str());
    }
    req.header_value("authorization")
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Row;

    #[test]
    fn rows_parse_from_either_separator() {
        assert_eq!(parse_row("Accept: a/b", true), Row::new("Accept", "a/b"));
        assert_eq!(parse_row("page=2", true), Row::new("page", "2"));
        assert_eq!(parse_row("X-Url: http://x", false).value, "http://x");
        assert_eq!(
            parse_row("next=http://x", true),
            Row::new("next", "http://x")
        );
        assert!(!parse_row("n", false).enabled);
        assert_eq!(row_text(&Row::new("a", "b")), "a: b");
    }

    #[test]
    fn methods_cycle_and_fields_follow_rows() {
        assert_eq!(next_method("get"), "POST");
        assert_eq!(next_method("OPTIONS"), "GET");
        assert_eq!(next_method("PURGE"), "GET");
        let req = Request::new("GET", "http://x")
            .header("A", "1")
            .query("q", "2");
        assert_eq!(fields(&req).len(), 8);
        assert_eq!(fields(&req)[3], Field::Query(Some(0)));
        let mut req = req;
        req.auth = Auth::Bearer { token: "t".into() };
        req.body = Body::Form(vec![Row::new("a", "1")]);
        assert_eq!(
            fields(&req)[7..],
            [
                Field::AuthPart(AuthPart::Token),
                Field::Body,
                Field::BodyRow(0)
            ]
        );
    }

    #[test]
    fn validation_points_at_the_field() {
        let vars = Vars::new();
        let bad_url = Request::new("GET", "not a url");
        assert_eq!(validate(&bad_url, &vars, None).unwrap().0, Target::Url);
        let bad_method = Request::new("GE T", "http://x/");
        assert_eq!(
            validate(&bad_method, &vars, None).unwrap().0,
            Target::Method
        );
        let unknown = Request::new("GET", "{{base}}/x");
        assert_eq!(
            validate(&unknown, &vars, None).unwrap().0,
            Target::Variables
        );
        assert!(validate(&Request::new("GET", "http://x/"), &vars, None).is_none());
        let mut jwt = Request::new("GET", "http://x/");
        jwt.auth = Auth::Jwt {
            alg: "HS256".into(),
            key: crate::http::JwtKey::Secret("s".into()),
            claims: r#"{"iat": {{$timestamp}}}"#.into(),
        };
        assert!(
            validate(&jwt, &vars, None).is_none(),
            "claims resolve first"
        );
        if let Auth::Jwt { claims, .. } = &mut jwt.auth {
            *claims = "[1]".into();
        }
        assert_eq!(validate(&jwt, &vars, None).unwrap().0, Target::Auth);
    }

    #[test]
    fn jwts_are_found_in_text_and_headers() {
        let text =
            r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x","n":"eyJnope"}"#;
        assert_eq!(
            find_jwt(text),
            Some("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x")
        );
        assert_eq!(find_jwt("eyJ only eyJa.b"), None);
        let req = Request::new("GET", "http://x").header("Authorization", "Bearer t0k");
        assert_eq!(bearer_token(&req), Some("t0k"));
    }
}
