//! An example value for a schema, as a request would carry it: the description's own
//! examples first, then defaults, then the smallest instance that validates (required
//! properties only, one array item, the lowest allowed number, a string of the format).
//! `allOf` merges, `oneOf`/`anyOf` take the first branch, and a schema that contains itself
//! stops at the second visit, so recursion and size stay bounded.

use serde_json::{Map, Value, json};

use crate::spec::{Document, Node};

/// Deeper than this, a schema gives null: no real body nests so far, and a hostile one
/// must not make the import slow.
const MAX_DEPTH: usize = 16;
/// The most values one example may hold.
const MAX_NODES: usize = 2_000;

/// The value a media type (or a 3.x parameter) shows: its `example`, the first of its
/// `examples`, else one built from `schema`.
pub fn for_media(doc: &Document, holder: &Node<'_>, schema: Option<&Node<'_>>) -> Option<Value> {
    if let Some(example) = holder.value.get("example") {
        return Some(example.clone());
    }
    if let Some(examples) = holder.get("examples") {
        // 3.x: a map of Example objects (each maybe a $ref) with a `value`; 2.0 responses
        // have a map of media type to value, which requests never do.
        for (_, example) in examples.entries() {
            let example = doc.deref(example);
            if let Some(value) = example.value.get("value") {
                return Some(value.clone());
            }
        }
    }
    schema.map(|s| for_schema(doc, s, false))
}

/// An example for `schema`. `response` keeps `readOnly` properties and drops `writeOnly`
/// ones; a request does the opposite.
pub fn for_schema(doc: &Document, schema: &Node<'_>, response: bool) -> Value {
    let mut walk = Walk {
        doc,
        response,
        stack: Vec::new(),
        nodes: 0,
    };
    walk.value(schema.clone(), 0)
}

struct Walk<'d> {
    doc: &'d Document,
    response: bool,
    /// The `$ref` targets being expanded, to stop at a schema that contains itself.
    stack: Vec<(usize, String)>,
    nodes: usize,
}

impl<'d> Walk<'d> {
    fn value(&mut self, schema: Node<'d>, depth: usize) -> Value {
        self.nodes += 1;
        if depth > MAX_DEPTH || self.nodes > MAX_NODES {
            return Value::Null;
        }
        // Through `$ref`s, remembering each target while it is expanded.
        let mut pushed = 0;
        let mut schema = schema;
        while schema.reference().is_some() {
            let Ok(target) = self.doc.resolve(schema.clone()) else {
                self.stack.truncate(self.stack.len() - pushed);
                return Value::Null;
            };
            let key = (target.file, target.pointer.clone());
            if self.stack.contains(&key) {
                self.stack.truncate(self.stack.len() - pushed);
                return recursion_stub(target.value);
            }
            self.stack.push(key);
            pushed += 1;
            schema = target;
        }
        let out = self.direct(&schema, depth);
        self.stack.truncate(self.stack.len() - pushed);
        out
    }

    fn direct(&mut self, schema: &Node<'d>, depth: usize) -> Value {
        let s = schema.value;
        if !s.is_object() {
            // `true` (anything goes) or a broken schema.
            return Value::Null;
        }
        if let Some(example) = s.get("example") {
            return example.clone();
        }
        // 3.1's JSON Schema `examples` is a list.
        if let Some(first) = s.get("examples").and_then(|e| e.as_array()?.first()) {
            return first.clone();
        }
        for key in ["default", "const"] {
            if let Some(value) = s.get(key) {
                return value.clone();
            }
        }
        if let Some(first) = s.get("enum").and_then(|e| e.as_array()?.first()) {
            return first.clone();
        }
        if let Some(all) = schema.get("allOf") {
            let parts: Vec<Value> = all.items().map(|p| self.value(p, depth + 1)).collect();
            let mut merged = Value::Null;
            for part in parts {
                merged = merge(merged, part);
            }
            // allOf beside its own properties: both apply.
            if s.get("properties").is_some() {
                merged = merge(merged, self.by_type(schema, depth));
            }
            return merged;
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key) {
                let chosen = branches.items().find(|b| {
                    let b = self.doc.deref(b.clone());
                    b.str("type") != Some("null")
                });
                if let Some(branch) = chosen {
                    let value = self.value(branch, depth + 1);
                    return match s.get("properties") {
                        Some(_) => merge(self.by_type(schema, depth), value),
                        None => value,
                    };
                }
            }
        }
        self.by_type(schema, depth)
    }

    /// Whether `schema` is a `$ref` to a schema being expanded.
    fn recurses(&self, schema: &Node<'d>) -> bool {
        schema.reference().is_some()
            && self
                .doc
                .resolve(schema.clone())
                .is_ok_and(|t| self.stack.contains(&(t.file, t.pointer)))
    }

    fn by_type(&mut self, schema: &Node<'d>, depth: usize) -> Value {
        let s = schema.value;
        match type_of(s) {
            "object" => {
                let required: Vec<&str> = s
                    .get("required")
                    .and_then(|r| r.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|r| r.as_str())
                    .collect();
                let mut out = Map::new();
                if let Some(props) = schema.get("properties") {
                    for (name, prop) in props.entries() {
                        let target = self.doc.deref(prop.clone());
                        let flag = |k: &str| target.value.get(k).and_then(|v| v.as_bool());
                        let hidden = match self.response {
                            true => flag("writeOnly"),
                            false => flag("readOnly"),
                        };
                        if hidden == Some(true) {
                            continue;
                        }
                        // The smallest valid object holds only what is required; an
                        // optional property the description gives a value for is shown too.
                        let shown = required.contains(&name)
                            || ["example", "default"]
                                .iter()
                                .any(|k| target.value.get(*k).is_some());
                        if shown {
                            out.insert(name.to_string(), self.value(prop, depth + 1));
                        }
                    }
                }
                Value::Object(out)
            }
            "array" => {
                let Some(items) = schema.get("items") else {
                    return json!([]);
                };
                // A list of the schema being built (a tree's children) ends empty here.
                if self.recurses(&items) {
                    return json!([]);
                }
                let count = s
                    .get("minItems")
                    .and_then(|m| m.as_u64())
                    .unwrap_or(1)
                    .clamp(1, 10);
                let item = self.value(items, depth + 1);
                Value::Array(vec![item; count as usize])
            }
            "integer" => json!(number(s, 1.0) as i64),
            "number" => json!(number(s, 1.0)),
            "boolean" => json!(true),
            "null" => Value::Null,
            _ => Value::String(string(s)),
        }
    }
}

/// The type a schema says, or the one its keywords imply; 3.1's list of types gives its
/// first that is not `null`.
pub fn type_of(s: &Value) -> &str {
    match s.get("type") {
        Some(Value::String(t)) => t,
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|t| t.as_str())
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if s.get("properties").is_some() || s.get("additionalProperties").is_some() => "object",
        _ if s.get("items").is_some() => "array",
        _ => "string",
    }
}

/// A schema met again inside itself: an empty object or list stands for it.
fn recursion_stub(s: &Value) -> Value {
    match type_of(s) {
        "array" => json!([]),
        "object" => json!({}),
        _ => Value::Null,
    }
}

/// `preferred` if the bounds allow it, else the nearest allowed value.
fn number(s: &Value, preferred: f64) -> f64 {
    let get = |k: &str| s.get(k).and_then(|v| v.as_f64());
    // 3.0 says exclusiveness with a boolean beside the bound, 3.1 with a number of its own.
    let excl = |k: &str, bound: &str| match s.get(k) {
        Some(Value::Bool(true)) => get(bound),
        Some(v) => v.as_f64(),
        None => None,
    };
    let step = if type_of(s) == "integer" { 1.0 } else { 0.5 };
    let mut value = preferred;
    if let Some(min) = get("minimum") {
        value = value.max(min);
    }
    if let Some(min) = excl("exclusiveMinimum", "minimum") {
        value = value.max(min + step);
    }
    if let Some(max) = get("maximum") {
        value = value.min(max);
    }
    if let Some(max) = excl("exclusiveMaximum", "maximum") {
        value = value.min(max - step);
    }
    value
}

/// A string in the schema's format, stretched or cut to its length bounds.
fn string(s: &Value) -> String {
    let format = s.get("format").and_then(|f| f.as_str()).unwrap_or("");
    let text = match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "email" => "user@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "c3RyaW5n",
        "binary" | "password" => "",
        _ => "string",
    };
    let mut text = text.to_string();
    let min = s.get("minLength").and_then(|m| m.as_u64()).unwrap_or(0) as usize;
    let max = s
        .get("maxLength")
        .and_then(|m| m.as_u64())
        .map(|m| m as usize);
    while text.chars().count() < min.min(1024) {
        text.push('x');
    }
    if let Some(max) = max {
        text = text.chars().take(max).collect();
    }
    text
}

/// `allOf`'s parts as one value: objects' members together, otherwise the last that says
/// something.
fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            for (k, v) in b {
                let merged = match a.remove(&k) {
                    Some(old) => merge(old, v),
                    None => v,
                };
                a.insert(k, merged);
            }
            Value::Object(a)
        }
        (a, Value::Null) => a,
        (_, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Location;

    fn doc(yaml: &str) -> Document {
        let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n{yaml}");
        Document::from_text(text.as_bytes(), Location::parse("t.yaml")).unwrap()
    }

    fn example(d: &Document, name: &str) -> Value {
        let node = d
            .node_at(0, &format!("/components/schemas/{name}"))
            .unwrap();
        for_schema(d, &node, false)
    }

    #[test]
    fn examples_then_defaults_then_the_smallest_valid_value() {
        let d = doc(
            "components:\n  schemas:\n    Pet:\n      type: object\n      required: [name, age]\n      properties:\n        id: {type: integer, format: int64, readOnly: true}\n        name: {type: string, example: Rex}\n        age: {type: integer, minimum: 3, maximum: 9}\n        tag: {type: string, default: dog}\n        note: {type: string}\n        email: {type: string, format: email}\n",
        );
        assert_eq!(
            example(&d, "Pet"),
            json!({"name": "Rex", "age": 3, "tag": "dog"})
        );
    }

    #[test]
    fn all_of_merges_one_of_takes_the_first_and_recursion_stops() {
        let d = doc(
            "components:\n  schemas:\n    Base:\n      type: object\n      required: [id]\n      properties: {id: {type: integer, exclusiveMinimum: true, minimum: 10}}\n    Dog:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [bark]\n          properties: {bark: {type: boolean}}\n    Either:\n      oneOf: [{type: 'null'}, {type: string, minLength: 8, maxLength: 9}]\n    Node:\n      type: object\n      required: [children, name]\n      properties:\n        name: {type: string, enum: [a, b]}\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n",
        );
        assert_eq!(example(&d, "Dog"), json!({"id": 11, "bark": true}));
        assert_eq!(example(&d, "Either"), json!("stringxx"));
        assert_eq!(
            example(&d, "Node"),
            json!({"name": "a", "children": [{"name": "a", "children": []}]})
        );
    }
}
