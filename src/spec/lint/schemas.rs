//! Schemas wherever they are (components, inline in operations, parameters of Swagger 2 which
//! carry `type` themselves): strings, numbers and arrays without limits, and objects open to
//! any additional property. One pass over each file's JSON with a pointer kept as a stack of
//! tokens, so nothing is copied or expanded; examples, defaults and extensions are data, not
//! schemas, and are skipped.

use serde_json::{Map, Value};

use super::super::document::{Version, escape_pointer};
use super::Hits;

pub(super) fn check(version: Version, file: usize, root: &Value, hits: &mut Hits) {
    let mut walk = Walk {
        version,
        file,
        path: Vec::new(),
        hits,
    };
    walk.value(root);
}

struct Walk<'h, 'v> {
    version: Version,
    file: usize,
    path: Vec<Token<'v>>,
    hits: &'h mut Hits,
}

/// One step of the pointer: a member name or an array index.
enum Token<'v> {
    Key(&'v str),
    Index(usize),
}

/// Keys whose values are data, never schemas.
fn skipped(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

impl<'v> Walk<'_, 'v> {
    fn value(&mut self, value: &'v Value) {
        match value {
            Value::Object(map) => {
                self.schema(map);
                for (key, child) in map {
                    if skipped(key) || !(child.is_object() || child.is_array()) {
                        continue;
                    }
                    self.path.push(Token::Key(key));
                    self.value(child);
                    self.path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    if !(child.is_object() || child.is_array()) {
                        continue;
                    }
                    self.path.push(Token::Index(i));
                    self.value(child);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn pointer(&self) -> String {
        let mut out = String::new();
        for token in &self.path {
            out.push('/');
            match token {
                Token::Key(key) => out.push_str(&escape_pointer(key)),
                Token::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    fn hit(&mut self, id: &'static str, evidence: String) {
        let pointer = self.pointer();
        self.hits.push(id, self.file, pointer, evidence);
    }

    /// The checks on one object that declares a `type`.
    fn schema(&mut self, map: &Map<String, Value>) {
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            // 3.1 allows a list of types: ["string", "null"].
            Some(Value::Array(ts)) if self.version == Version::OpenApi31 => {
                ts.iter().filter_map(Value::as_str).collect()
            }
            _ => return,
        };
        let has = |key: &str| map.contains_key(key);
        let numeric = |key: &str| map.get(key).is_some_and(Value::is_number);
        for t in types {
            match t {
                "string" => {
                    let fixed = has("enum") || has("const");
                    if !fixed && !has("maxLength") {
                        self.hit("spec-string-unbounded", "a string without maxLength".into());
                    }
                    if !fixed && !has("format") && !has("pattern") {
                        self.hit(
                            "spec-string-unrestricted",
                            "a string without format or pattern".into(),
                        );
                    }
                }
                "integer" | "number" => {
                    if has("enum") || has("const") {
                        continue;
                    }
                    // 3.1 writes exclusive bounds as numbers; 3.0 and 2.0 as flags on them.
                    let low = has("minimum") || numeric("exclusiveMinimum");
                    let high = has("maximum") || numeric("exclusiveMaximum");
                    if !(low && high) {
                        let missing = match (low, high) {
                            (false, false) => "minimum and maximum",
                            (false, true) => "minimum",
                            _ => "maximum",
                        };
                        self.hit("spec-number-unbounded", format!("an {t} without {missing}"));
                    }
                    if t == "integer" && !has("format") {
                        self.hit("spec-integer-format", "an integer without format".into());
                    }
                }
                "array" if !has("maxItems") => {
                    self.hit("spec-array-unbounded", "an array without maxItems".into());
                }
                "object" => self.object(map),
                _ => {}
            }
        }
    }

    fn object(&mut self, map: &Map<String, Value>) {
        for key in ["additionalProperties", "unevaluatedProperties"] {
            match map.get(key) {
                Some(Value::Bool(true)) => {
                    self.hit("spec-additional-properties", format!("{key}: true"));
                }
                Some(Value::Object(_)) if !map.contains_key("maxProperties") => {
                    self.hit(
                        "spec-additional-properties-unbounded",
                        format!("{key} is a schema, and there is no maxProperties"),
                    );
                }
                _ => {}
            }
        }
    }
}
