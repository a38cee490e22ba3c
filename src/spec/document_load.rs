//! Reading a description: the root from a file or a URL (loopback only unless allowed, body
//! capped), JSON or YAML into one `serde_json::Value`, the version checked, then every other
//! document its `$ref`s name, once each, breadth first.

use std::collections::HashMap;

use serde_json::Value;

use super::document::{Document, LoadOptions, Location, Source, SpecError, Version};

pub(super) async fn load(
    location: &Location,
    options: &LoadOptions,
) -> Result<Document, SpecError> {
    if let Location::Url(url) = location
        && !options.allow_remote
        && !crate::jwt::probe_run::is_loopback(url)
    {
        return Err(SpecError::RemoteHost {
            url: url.to_string(),
        });
    }
    let bytes = read(location, options).await?;
    let value = parse(&bytes, location)?;
    let mut doc = start(value, location.clone())?;
    // Breadth first over the files, each walked once for the other documents it names.
    let mut next = 0;
    while next < doc.files.len() {
        for target in external_refs(&doc, next)? {
            if doc.by_location.contains_key(&target) {
                continue;
            }
            check_reachable(&doc.files[next].location, &target, location, options)?;
            if doc.files.len() >= options.max_files {
                return Err(SpecError::TooManyFiles {
                    max: options.max_files,
                });
            }
            let bytes = read(&target, options)
                .await
                .map_err(|e| referred_by(e, &doc.files[next].location))?;
            let value = parse(&bytes, &target)?;
            push(&mut doc, target, value);
        }
        next += 1;
    }
    Ok(doc)
}

pub(super) fn from_text(text: &[u8], location: Location) -> Result<Document, SpecError> {
    let value = parse(text, &location)?;
    let mut doc = start(value, location.clone())?;
    let options = LoadOptions::default();
    let mut next = 0;
    while next < doc.files.len() {
        for target in external_refs(&doc, next)? {
            if doc.by_location.contains_key(&target) {
                continue;
            }
            let Location::File(path) = &target else {
                return Err(SpecError::Read {
                    location: target.to_string(),
                    why: "a description read from text fetches nothing from the network".into(),
                });
            };
            if doc.files.len() >= options.max_files {
                return Err(SpecError::TooManyFiles {
                    max: options.max_files,
                });
            }
            let bytes = read_file(path, &target, options.max_bytes)
                .map_err(|e| referred_by(e, &doc.files[next].location))?;
            let value = parse(&bytes, &target)?;
            push(&mut doc, target, value);
        }
        next += 1;
    }
    Ok(doc)
}

/// A referenced file that cannot be read, said with the file whose `$ref` names it.
fn referred_by(error: SpecError, from: &Location) -> SpecError {
    match error {
        SpecError::Read { location, why } => SpecError::Read {
            location,
            why: format!("{why} (a $ref in {from} names it)"),
        },
        other => other,
    }
}

fn start(value: Value, location: Location) -> Result<Document, SpecError> {
    let version = Version::detect(&value).ok_or_else(|| SpecError::NotASpec {
        location: location.to_string(),
    })?;
    let mut doc = Document {
        version,
        files: Vec::new(),
        by_location: HashMap::new(),
    };
    push(&mut doc, location, value);
    Ok(doc)
}

fn push(doc: &mut Document, location: Location, value: Value) {
    doc.by_location.insert(location.clone(), doc.files.len());
    doc.files.push(Source { location, value });
}

/// Whether a document read from `from` may pull in `target`: a file only from a file; a URL
/// on the root's own host (it was chosen by the user), on loopback, or anywhere with
/// `--allow-remote-refs`.
fn check_reachable(
    from: &Location,
    target: &Location,
    root: &Location,
    options: &LoadOptions,
) -> Result<(), SpecError> {
    match (from, target) {
        (Location::Url(_), Location::File(path)) => Err(SpecError::LocalFromRemote {
            location: from.to_string(),
            file: path.display().to_string(),
        }),
        (_, Location::Url(url)) => {
            let same_host = matches!(root, Location::Url(r)
                if r.host_str() == url.host_str() && r.port_or_known_default() == url.port_or_known_default());
            match options.allow_remote_refs || same_host {
                true => Ok(()),
                false => Err(SpecError::RemoteRef {
                    location: from.to_string(),
                    url: url.to_string(),
                }),
            }
        }
        _ => Ok(()),
    }
}

/// The other documents file `index` names in its `$ref`s, in the order first met.
fn external_refs(doc: &Document, index: usize) -> Result<Vec<Location>, SpecError> {
    let base = &doc.files[index].location;
    let mut out: Vec<Location> = Vec::new();
    let mut stack: Vec<&Value> = vec![&doc.files[index].value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && let Some((file, _)) =
                        Some(reference.split_once('#').unwrap_or((reference, "")))
                    && !file.is_empty()
                {
                    let target = base.join(file)?;
                    if !out.contains(&target) {
                        out.push(target);
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    Ok(out)
}

async fn read(location: &Location, options: &LoadOptions) -> Result<Vec<u8>, SpecError> {
    match location {
        Location::File(path) => read_file(path, location, options.max_bytes),
        Location::Url(url) => fetch(url, location, options).await,
    }
}

fn read_file(
    path: &std::path::Path,
    location: &Location,
    max_bytes: usize,
) -> Result<Vec<u8>, SpecError> {
    let failed = |why: String| SpecError::Read {
        location: location.to_string(),
        why,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| failed(e.to_string()))?
        .len();
    if size > max_bytes as u64 {
        return Err(failed(format!(
            "it is larger than {} MiB",
            max_bytes / (1024 * 1024)
        )));
    }
    std::fs::read(path).map_err(|e| failed(e.to_string()))
}

async fn fetch(
    url: &reqwest::Url,
    location: &Location,
    options: &LoadOptions,
) -> Result<Vec<u8>, SpecError> {
    let failed = |why: String| SpecError::Read {
        location: location.to_string(),
        why,
    };
    let client = crate::net::build_client(&crate::net::ClientOptions {
        timeout: options.timeout,
        ..Default::default()
    })
    .map_err(|e| failed(e.to_string()))?;
    let mut response = client
        .get(url.clone())
        .header(
            "Accept",
            "application/json, application/yaml, text/yaml, */*",
        )
        .send()
        .await
        .map_err(|e| failed(crate::net::client::describe_error(&e)))?;
    let status = response.status();
    if !status.is_success() {
        // Redirects are not followed: one could lead off this machine.
        return Err(failed(format!("the server answered {status}")));
    }
    let body = crate::net::read_capped(&mut response, options.max_bytes)
        .await
        .map_err(|e| failed(crate::net::client::describe_error(&e)))?;
    if body.truncated {
        return Err(failed(format!(
            "it is larger than {} MiB",
            options.max_bytes / (1024 * 1024)
        )));
    }
    Ok(body.bytes)
}

/// JSON when it starts as JSON does, YAML otherwise (YAML also reads most JSON, but far more
/// slowly, and its errors would be worse for a broken JSON file).
pub(super) fn parse(bytes: &[u8], location: &Location) -> Result<Value, SpecError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[')) {
        return serde_json::from_slice(bytes).map_err(|e| SpecError::Syntax {
            location: location.to_string(),
            format: "JSON",
            why: e.to_string(),
        });
    }
    let syntax = |why: String| SpecError::Syntax {
        location: location.to_string(),
        format: "YAML",
        why,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| syntax("it is not UTF-8 text".into()))?;
    let mut yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| syntax(e.to_string()))?;
    yaml.apply_merge().map_err(|e| syntax(e.to_string()))?;
    Ok(yaml_to_json(yaml))
}

/// YAML's values as JSON's: keys that are numbers or booleans (`200:` under `responses`)
/// become their text, tags are dropped, and a float JSON cannot hold becomes null.
fn yaml_to_json(yaml: serde_yaml_ng::Value) -> Value {
    use serde_yaml_ng::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (key_text(k), yaml_to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn key_text(key: serde_yaml_ng::Value) -> String {
    match yaml_to_json(key) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_status_codes_become_text_keys_and_merges_apply() {
        let text = b"openapi: 3.0.3\nbase: &b {a: 1}\nmerged:\n  <<: *b\n  c: 2\nresponses:\n  200: {description: ok}\n  default: {description: x}\n";
        let value = parse(text, &Location::parse("x.yaml")).unwrap();
        assert_eq!(value["responses"]["200"]["description"], "ok");
        assert_eq!(value["merged"]["a"], 1);
        assert_eq!(value["merged"]["c"], 2);
        assert_eq!(Version::detect(&value), Some(Version::OpenApi30));
    }

    #[test]
    fn broken_input_is_named_as_json_or_yaml() {
        let at = Location::parse("x");
        let err = parse(b"{\"openapi\": ", &at).unwrap_err().to_string();
        assert!(err.starts_with("x is not valid JSON"), "{err}");
        let err = parse(b"a: [1, 2\nb: }", &at).unwrap_err().to_string();
        assert!(err.starts_with("x is not valid YAML"), "{err}");
    }

    #[test]
    fn a_url_description_may_not_read_local_files_nor_other_hosts() {
        let root = Location::parse("http://127.0.0.1:8080/api.yaml");
        let options = LoadOptions::default();
        let file = Location::parse("/etc/passwd");
        assert!(matches!(
            check_reachable(&root, &file, &root, &options),
            Err(SpecError::LocalFromRemote { .. })
        ));
        let same = root.join("common.yaml").unwrap();
        assert!(check_reachable(&root, &same, &root, &options).is_ok());
        let other = Location::parse("https://example.com/x.yaml");
        assert!(matches!(
            check_reachable(&root, &other, &root, &options),
            Err(SpecError::RemoteRef { .. })
        ));
        let allowed = LoadOptions {
            allow_remote_refs: true,
            ..LoadOptions::default()
        };
        assert!(check_reachable(&root, &other, &root, &allowed).is_ok());
    }
}
