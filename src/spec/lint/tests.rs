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
