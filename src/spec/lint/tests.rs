//! The lint on small descriptions written here: each rule fires where it should and not on
//! the fixed form.

use super::*;
use crate::spec::document::Location;

fn ids(yaml: &str) -> Vec<&'static str> {
    let doc = Document::from_text(yaml.as_bytes(), Location::parse("t.yaml")).unwrap();
    let mut ids: Vec<_> = lint(&doc).iter().map(Hit::id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

#[test]
fn swagger2_schemes_and_basic() {
    let found = ids(r#"
swagger: "2.0"
info: {title: t, version: "1.0.0"}
schemes: [http]
securityDefinitions:
  b: {type: basic}
security: [{b: []}]
paths: {}
"#);
    assert!(found.contains(&"spec-server-http"), "{found:?}");
    assert!(found.contains(&"spec-http-basic"), "{found:?}");
}

#[test]
fn openapi_31_reads_type_lists_and_numeric_exclusive_bounds() {
    let found = ids(r#"
openapi: 3.1.0
info: {title: t, version: "1.0.0"}
paths: {}
components:
  schemas:
    Bounded: {type: [integer, "null"], format: int32, exclusiveMinimum: 0, exclusiveMaximum: 10}
    Open: {type: [string, "null"], format: uuid}
    Loose: {type: object, unevaluatedProperties: true}
"#);
    assert_eq!(
        found,
        ["spec-additional-properties", "spec-string-unbounded"],
        "{found:?}"
    );
}

#[test]
fn swagger2_oauth_flows_and_parameters() {
    let found = ids(r#"
swagger: "2.0"
info: {title: t, version: "2.0.0"}
schemes: [https]
securityDefinitions:
  o:
    type: oauth2
    flow: implicit
    authorizationUrl: http://auth.example/authorize
    description: tokens per RFC 8725
    scopes: {read: r}
security: [{o: [read]}]
paths:
  /things/{thing_id}:
    get:
      parameters:
        - {name: thing_id, in: path, required: true, type: integer, format: int64, minimum: 1, maximum: 9}
        - {name: password, in: query, type: string, maxLength: 9, pattern: "^a$"}
      responses:
        "200": {description: ok}
"#);
    for id in [
        "spec-oauth-implicit",
        "spec-oauth-url-http",
        "spec-numeric-id",
        "spec-credential-in-url",
    ] {
        assert!(found.contains(&id), "{id}: {found:?}");
    }
    // A Swagger 2 flow has no refreshUrl field to ask for.
    assert!(!found.contains(&"spec-oauth-no-refresh"), "{found:?}");
    assert!(!found.contains(&"spec-server-http"), "{found:?}");
}

#[test]
fn deprecated_old_versions_and_explicitly_public_operations_pass() {
    let found = ids(r#"
openapi: 3.0.3
info: {title: t, version: "3.0.0"}
paths:
  /v1/a: {get: {deprecated: true, security: [{}], responses: {"200": {description: ok}}}}
  /v2/a: {get: {security: [{}], responses: {"200": {description: ok}}}}
"#);
    assert!(!found.contains(&"spec-old-api-version"), "{found:?}");
    assert!(!found.contains(&"spec-read-unprotected"), "{found:?}");
    assert!(!found.contains(&"spec-optional-security"), "{found:?}");
}
