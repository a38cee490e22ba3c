//! What an import reads: a file (or, for a description, a loopback URL) told apart by its
//! contents when the kind is not given, and read into an [`Imported`]. The one path from a
//! source to a plan, which the CLI and the TUI both take.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::collection::{BadInput, Imported};
use super::openapi::{self, GroupBy};
use super::{har, insomnia, postman};
use crate::spec::{Document, LoadOptions, Location, SpecError, Version};

/// The formats apiward imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Openapi,
    Postman,
    Har,
    Insomnia,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Openapi, Kind::Postman, Kind::Har, Kind::Insomnia];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Openapi => "OpenAPI",
            Kind::Postman => "Postman",
            Kind::Har => "HAR",
            Kind::Insomnia => "Insomnia",
        }
    }

    /// What the file is called in a sentence.
    fn what(self) -> &'static str {
        match self {
            Kind::Openapi => "the description",
            Kind::Postman => "the collection",
            Kind::Har => "the HAR file",
            Kind::Insomnia => "the Insomnia export",
        }
    }

    /// The kind `text` looks like, by the fields each format must have at its top. The
    /// importer then says precisely what is wrong with a file that only looks right.
    pub fn detect(text: &str) -> Option<Kind> {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Self::detect_json(&v),
            // Only a description is written in YAML.
            Err(_) => match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
                Ok(serde_yaml_ng::Value::Mapping(top))
                    if top.contains_key("openapi") || top.contains_key("swagger") =>
                {
                    Some(Kind::Openapi)
                }
                _ => None,
            },
        }
    }

    fn detect_json(v: &Value) -> Option<Kind> {
        let has = |key: &str| v.get(key).is_some();
        if Version::detect(v).is_some() || has("openapi") || has("swagger") {
            Some(Kind::Openapi)
        } else if v.get("log").is_some_and(Value::is_object) {
            Some(Kind::Har)
        } else if has("__export_format") {
            Some(Kind::Insomnia)
        } else if v.pointer("/info/schema").is_some()
            || v.pointer("/info/_postman_id").is_some()
            || has("_postman_variable_scope")
        {
            Some(Kind::Postman)
        } else {
            None
        }
    }
}

/// How to read a source; the defaults are the CLI's.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub group_by: GroupBy,
    /// Fetch a description from a host other than this machine.
    pub allow_remote: bool,
    /// Follow a description's `$ref`s to other hosts.
    pub allow_remote_refs: bool,
    /// A HAR's requests to this host only.
    pub har_host: Option<String>,
    /// Postman environment files, each imported as an environment.
    pub postman_envs: Vec<PathBuf>,
}

/// Why a source could not be read into an import: one sentence, whole in its `Display` (no
/// error below it is chained, so a front end printing the chain says nothing twice).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {what} {}: {error}", path.display())]
    Read {
        what: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{} is not an OpenAPI or Swagger description, a Postman collection, a HAR file or an Insomnia export",
        path.display()
    )]
    Unknown { path: PathBuf },
    #[error(
        "{} is neither JSON ({why}) nor an OpenAPI description in YAML",
        path.display()
    )]
    NotJson { path: PathBuf, why: String },
    /// The importer refused what `from` holds.
    #[error("{from}: {error}")]
    Bad { from: String, error: BadInput },
    #[error(transparent)]
    Spec(#[from] SpecError),
}

impl crate::error_kind::Kind for ImportError {
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            ImportError::Spec(e) => e.exit_kind(),
            _ => crate::error_kind::ExitKind::BadInput,
        }
    }
}

/// A source read: what it was and what importing it would write.
#[derive(Debug)]
pub struct Read {
    pub kind: Kind,
    /// A description's OpenAPI or Swagger version.
    pub version: Option<Version>,
    pub imported: Imported,
}

/// Reads `source` as `kind`, or as the kind its contents show. A URL is a description's.
pub async fn read(
    source: &str,
    kind: Option<Kind>,
    options: &Options,
) -> Result<Read, ImportError> {
    let path = Path::new(source);
    let kind = match kind {
        Some(kind) => kind,
        None if matches!(Location::parse(source), Location::Url(_)) => Kind::Openapi,
        None => {
            let text = read_text(path, "the file")?;
            match Kind::detect(&text) {
                Some(kind) => kind,
                None => return Err(unknown(path, &text)),
            }
        }
    };
    if kind == Kind::Openapi {
        let load = LoadOptions {
            allow_remote: options.allow_remote,
            allow_remote_refs: options.allow_remote_refs,
            ..LoadOptions::default()
        };
        let doc = Document::load(&Location::parse(source), &load).await?;
        let plan = openapi::plan(
            &doc,
            &openapi::Options {
                group_by: options.group_by,
            },
        );
        let imported = Imported {
            plan,
            secrets: Vec::new(),
        };
        return Ok(Read {
            kind,
            version: Some(doc.version),
            imported,
        });
    }
    let text = read_text(path, kind.what())?;
    let bad = |error: BadInput| ImportError::Bad {
        from: source.to_string(),
        error,
    };
    let mut imported = match kind {
        Kind::Postman => {
            let mut envs = Vec::new();
            for env_path in &options.postman_envs {
                let env = postman::environment(&read_text(env_path, "the environment")?).map_err(
                    |error| ImportError::Bad {
                        from: env_path.display().to_string(),
                        error,
                    },
                )?;
                envs.push(env);
            }
            postman::import(source, &text, &envs).map_err(bad)?
        }
        Kind::Har => har::import(source, &text, options.har_host.as_deref()).map_err(bad)?,
        Kind::Insomnia => insomnia::import(source, &text).map_err(bad)?,
        Kind::Openapi => unreachable!("read above"),
    };
    // Requests are sent later from the workspace: their body files must be found from there.
    imported.resolve_files(&folder_of(path));
    Ok(Read {
        kind,
        version: None,
        imported,
    })
}

/// Why a file of no kind apiward knows is not one: a YAML file is taken for a broken
/// description (only descriptions are YAML), so the description's loader says where.
fn unknown(path: &Path, text: &str) -> ImportError {
    let yaml = (path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    match serde_json::from_str::<Value>(text) {
        Ok(_) => ImportError::Unknown { path: path.into() },
        Err(_) if yaml => match Document::from_text(text.as_bytes(), Location::File(path.into())) {
            Err(e) => ImportError::Spec(e),
            Ok(_) => ImportError::Unknown { path: path.into() },
        },
        Err(e) => ImportError::NotJson {
            path: path.into(),
            why: e.to_string(),
        },
    }
}

fn read_text(path: &Path, what: &'static str) -> Result<String, ImportError> {
    std::fs::read_to_string(path).map_err(|error| ImportError::Read {
        what,
        path: path.into(),
        error,
    })
}

/// The file's folder, absolute, which relative file paths in it are read from.
fn folder_of(path: &Path) -> PathBuf {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::path::absolute(&folder).unwrap_or(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(path: &str) -> String {
        format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn each_format_is_told_by_its_contents() {
        for (file, kind) in [
            ("openapi/petstore.yaml", Kind::Openapi),
            ("openapi/petstore.json", Kind::Openapi),
            ("openapi/petstore-swagger2.yaml", Kind::Openapi),
            ("postman/shop.postman_collection.json", Kind::Postman),
            ("postman/local.postman_environment.json", Kind::Postman),
            ("har/chrome-shop.har", Kind::Har),
            ("insomnia/notes.insomnia.json", Kind::Insomnia),
        ] {
            let text = std::fs::read_to_string(data(file)).unwrap();
            assert_eq!(Kind::detect(&text), Some(kind), "{file}");
        }
        assert_eq!(Kind::detect("{\"a\": 1}"), None);
        assert_eq!(Kind::detect("a: [1, 2]"), None);
        assert_eq!(Kind::detect("{ not json"), None);
    }

    #[test]
    fn a_file_of_no_known_kind_is_told_why() {
        let yaml = Path::new("api.yaml");
        let err = unknown(yaml, "openapi: 3.0.0\ninfo: {title: x\n").to_string();
        assert!(err.contains("api.yaml is not valid YAML"), "{err}");
        let err = unknown(Path::new("x.json"), "{\"a\": ").to_string();
        assert!(
            err.starts_with("x.json is neither JSON (EOF while parsing"),
            "{err}"
        );
        let err = unknown(Path::new("x.json"), "[1]").to_string();
        assert!(err.starts_with("x.json is not an OpenAPI"), "{err}");
    }

    #[tokio::test]
    async fn a_file_is_read_as_its_kind_and_bad_ones_are_one_sentence() {
        let read = read(&data("har/chrome-shop.har"), None, &Options::default())
            .await
            .unwrap();
        assert_eq!(read.kind, Kind::Har);
        assert!(read.imported.plan.request_count() > 0);
        let spec = super::read(&data("openapi/petstore.yaml"), None, &Options::default())
            .await
            .unwrap();
        assert_eq!(spec.version, Some(Version::OpenApi30));
        assert_eq!(spec.imported.plan.request_count(), 3);

        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join("odd.json");
        std::fs::write(&odd, "{\"hello\": 1}").unwrap();
        let err = super::read(odd.to_str().unwrap(), None, &Options::default())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("a HAR file or an Insomnia export"), "{err}");
        // Told the kind, the importer says what is wrong.
        let err = super::read(odd.to_str().unwrap(), Some(Kind::Har), &Options::default())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("no log object"), "{err}");
        let missing = dir.path().join("missing.json");
        let err = super::read(missing.to_str().unwrap(), None, &Options::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, ImportError::Read { .. }),
            "{err}: a missing file is said so"
        );
        assert!(!err.to_string().contains('\n'));
    }
}
