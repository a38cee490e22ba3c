//! One API description as JSON values (the root file and every file or URL its `$ref`s name),
//! its version, and `$ref` resolution on demand: nothing is expanded up front, so a 13 MB
//! description costs its parsed tree and no more. Every [`Node`] carries its file and JSON
//! pointer, which findings name.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

/// Which kind of description it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Swagger2,
    OpenApi30,
    /// 3.1, and any later 3.x, which reads as 3.1 does.
    OpenApi31,
}

impl Version {
    pub fn label(self) -> &'static str {
        match self {
            Version::Swagger2 => "Swagger 2.0",
            Version::OpenApi30 => "OpenAPI 3.0",
            Version::OpenApi31 => "OpenAPI 3.1",
        }
    }

    /// From the root's `openapi` or `swagger` field; None when neither says a known version.
    pub fn detect(root: &Value) -> Option<Version> {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            // `openapi: 3.0` unquoted in YAML reads as a number.
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        if let Some(v) = root.get("openapi").and_then(text) {
            return match v.as_str() {
                v if v.starts_with("3.0") => Some(Version::OpenApi30),
                v if v.starts_with("3.") => Some(Version::OpenApi31),
                _ => None,
            };
        }
        match root.get("swagger").and_then(text).as_deref() {
            Some("2.0" | "2") => Some(Version::Swagger2),
            _ => None,
        }
    }
}

/// Where a description (or a file it refers to) is read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    File(PathBuf),
    Url(reqwest::Url),
}

impl Location {
    /// An `http://` or `https://` argument is a URL; anything else a path.
    pub fn parse(arg: &str) -> Location {
        let lower = arg.to_ascii_lowercase();
        if (lower.starts_with("http://") || lower.starts_with("https://"))
            && let Ok(url) = reqwest::Url::parse(arg)
        {
            return Location::Url(url);
        }
        Location::File(PathBuf::from(arg))
    }

    /// `reference` (the part of a `$ref` before `#`) read relative to this location.
    pub fn join(&self, reference: &str) -> Result<Location, SpecError> {
        let bad = |why: String| SpecError::BadRef {
            reference: reference.to_string(),
            why,
        };
        let lower = reference.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return reqwest::Url::parse(reference)
                .map(Location::Url)
                .map_err(|e| bad(e.to_string()));
        }
        match self {
            Location::Url(base) => base
                .join(reference)
                .map(Location::Url)
                .map_err(|e| bad(e.to_string())),
            Location::File(path) => {
                let reference = reference.strip_prefix("file://").unwrap_or(reference);
                // A reference is a URI: `my%20file.yaml` names `my file.yaml`.
                let decoded = percent_encoding::percent_decode_str(reference).decode_utf8_lossy();
                let dir = path.parent().unwrap_or(std::path::Path::new(""));
                Ok(Location::File(normalise(&dir.join(decoded.as_ref()))))
            }
        }
    }
}

/// `a/./b/../c` as `a/c`, without touching the disk, so two spellings of one file are one.
fn normalise(path: &std::path::Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Url(url) => write!(f, "{url}"),
        }
    }
}

/// What loading may do beyond reading local files.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Fetch the description from a host other than this machine.
    pub allow_remote: bool,
    /// Follow `$ref`s to URLs (other than the description's own host, when it was fetched).
    pub allow_remote_refs: bool,
    /// The most one file may hold.
    pub max_bytes: usize,
    /// The most files a description may pull in through its `$ref`s.
    pub max_files: usize,
    /// For each fetch, connect to last byte.
    pub timeout: Duration,
}

impl Default for LoadOptions {
    fn default() -> Self {
        Self {
            allow_remote: false,
            allow_remote_refs: false,
            max_bytes: 64 * 1024 * 1024,
            max_files: 500,
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why a description could not be read or a reference followed: each one sentence. Places
/// are kept as their text, which is all an error shows.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{location} could not be read: {why}")]
    Read { location: String, why: String },
    #[error("{location} is not valid {format}: {why}")]
    Syntax {
        location: String,
        format: &'static str,
        why: String,
    },
    #[error(
        "{location} is not an OpenAPI or Swagger description: its top level has no `openapi: 3.x` or `swagger: \"2.0\"` field"
    )]
    NotASpec { location: String },
    #[error(
        "{url} is not on this machine, and a description is fetched from another host only when allowed"
    )]
    RemoteHost { url: String },
    #[error(
        "{location} refers to {url}, another host, and referenced documents are fetched from the network only when allowed"
    )]
    RemoteRef { location: String, url: String },
    #[error(
        "{location} refers to the local file {file}, which a description fetched from the network may not read"
    )]
    LocalFromRemote { location: String, file: String },
    #[error("the $ref \"{reference}\" is not usable: {why}")]
    BadRef { reference: String, why: String },
    #[error("the $ref \"{reference}\" at {at} points at nothing in {target}")]
    Dangling {
        reference: String,
        at: String,
        target: String,
    },
    #[error("the $ref \"{reference}\" at {at} goes round in a circle of references")]
    Cycle { reference: String, at: String },
    #[error("the description pulls in more than {max} files through its $refs")]
    TooManyFiles { max: usize },
}

/// A description that could not be fetched is the network's failure (exit 1); everything
/// else is the input's (exit 2).
impl crate::error_kind::Kind for SpecError {
    fn exit_kind(&self) -> crate::error_kind::ExitKind {
        match self {
            SpecError::Read { location, .. }
                if location.starts_with("http://") || location.starts_with("https://") =>
            {
                crate::error_kind::ExitKind::Failure
            }
            _ => crate::error_kind::ExitKind::BadInput,
        }
    }
}

/// One loaded file of a description.
#[derive(Debug)]
pub struct Source {
    pub location: Location,
    pub value: Value,
}

/// A loaded description: the root file first, then every file its `$ref`s reach.
#[derive(Debug)]
pub struct Document {
    pub version: Version,
    pub(super) files: Vec<Source>,
    pub(super) by_location: HashMap<Location, usize>,
}

/// A value in the description with where it is: its file (an index into the document's
/// files) and its JSON pointer in that file (`""` for the root).
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub value: &'a Value,
    pub file: usize,
    pub pointer: String,
}

/// `key` as one token of a JSON pointer (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

impl<'a> Node<'a> {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let value = self.value.as_object()?.get(key)?;
        Some(self.child(value, &escape_pointer(key)))
    }

    /// Item `i` of an array.
    pub fn at(&self, i: usize) -> Option<Node<'a>> {
        let value = self.value.as_array()?.get(i)?;
        Some(self.child(value, &i.to_string()))
    }

    /// An object's members in order (none for anything else).
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Node<'a>)> + '_ {
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), self.child(v, &escape_pointer(k))))
    }

    /// An array's items in order (none for anything else).
    pub fn items(&self) -> impl Iterator<Item = Node<'a>> + '_ {
        self.value
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| self.child(v, &i.to_string()))
    }

    pub fn as_str(&self) -> Option<&'a str> {
        self.value.as_str()
    }

    /// The member `key` as text.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key)?.as_str()
    }

    /// The `$ref` this node is, if it is one.
    pub fn reference(&self) -> Option<&'a str> {
        self.value.as_object()?.get("$ref")?.as_str()
    }

    fn child(&self, value: &'a Value, token: &str) -> Node<'a> {
        let mut pointer = String::with_capacity(self.pointer.len() + token.len() + 1);
        pointer.push_str(&self.pointer);
        pointer.push('/');
        pointer.push_str(token);
        Node {
            value,
            file: self.file,
            pointer,
        }
    }
}

/// `$ref` chains longer than this are treated as a circle (none real is near it).
const MAX_HOPS: usize = 64;

impl Document {
    /// Reads the description at `location` and every file its `$ref`s name (fetched through
    /// apiward's one HTTP client, loopback only unless allowed), JSON or YAML.
    pub async fn load(location: &Location, options: &LoadOptions) -> Result<Self, SpecError> {
        super::document_load::load(location, options).await
    }

    /// A description already read as `text` (JSON or YAML); `$ref`s to other files are read
    /// from disk relative to `location` when it is a file, and refused otherwise.
    pub fn from_text(text: &[u8], location: Location) -> Result<Self, SpecError> {
        super::document_load::from_text(text, location)
    }

    /// The root file's top.
    pub fn root(&self) -> Node<'_> {
        Node {
            value: &self.files[0].value,
            file: 0,
            pointer: String::new(),
        }
    }

    /// Every file read, the root first.
    pub fn files(&self) -> &[Source] {
        &self.files
    }

    /// Where `node`'s file was read from.
    pub fn location(&self, node: &Node<'_>) -> &Location {
        &self.files[node.file].location
    }

    /// `node`'s place as `FILE#/json/pointer`, for messages and findings.
    pub fn place(&self, node: &Node<'_>) -> String {
        format!("{}#{}", self.location(node), node.pointer)
    }

    /// The value at `pointer` in file `file`.
    pub fn node_at(&self, file: usize, pointer: &str) -> Option<Node<'_>> {
        let value = self.files.get(file)?.value.pointer(pointer)?;
        Some(Node {
            value,
            file,
            pointer: pointer.to_string(),
        })
    }

    /// `node` with its `$ref` followed (chains too) to the value it names; a node that is no
    /// `$ref` is itself. A reference that names nothing, or a circle of them, is the error.
    pub fn resolve<'a>(&'a self, node: Node<'a>) -> Result<Node<'a>, SpecError> {
        let mut node = node;
        let mut seen: Vec<(usize, String)> = Vec::new();
        while let Some(reference) = node.reference() {
            let at = self.place(&node);
            if seen.len() >= MAX_HOPS || seen.contains(&(node.file, node.pointer.clone())) {
                return Err(SpecError::Cycle {
                    reference: reference.to_string(),
                    at,
                });
            }
            seen.push((node.file, node.pointer.clone()));
            node = self.follow(&node, reference, at)?;
        }
        Ok(node)
    }

    /// [`Self::resolve`] for walkers that carry on past a broken reference: the node itself
    /// when its `$ref` leads nowhere.
    pub fn deref<'a>(&'a self, node: Node<'a>) -> Node<'a> {
        self.resolve(node.clone()).unwrap_or(node)
    }

    /// The target of `node`'s member `key`, references followed.
    pub fn get<'a>(&'a self, node: &Node<'a>, key: &str) -> Option<Node<'a>> {
        node.get(key).map(|n| self.deref(n))
    }

    /// The file index and pointer a `$ref` written in `from`'s file names.
    pub fn target_of(&self, from: usize, reference: &str) -> Result<(usize, String), SpecError> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file_part.is_empty() {
            from
        } else {
            let location = self.files[from].location.join(file_part)?;
            *self
                .by_location
                .get(&location)
                .ok_or_else(|| SpecError::BadRef {
                    reference: reference.to_string(),
                    why: format!("{location} was not loaded"),
                })?
        };
        let pointer = percent_encoding::percent_decode_str(fragment)
            .decode_utf8_lossy()
            .into_owned();
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(SpecError::BadRef {
                reference: reference.to_string(),
                why: "only JSON pointers (#/…) are supported after the #, not anchors".into(),
            });
        }
        Ok((file, pointer))
    }

    fn follow<'a>(
        &'a self,
        node: &Node<'a>,
        reference: &str,
        at: String,
    ) -> Result<Node<'a>, SpecError> {
        let (file, pointer) = self.target_of(node.file, reference)?;
        self.node_at(file, &pointer)
            .ok_or_else(|| SpecError::Dangling {
                reference: reference.to_string(),
                at,
                target: self.files[file].location.to_string(),
            })
    }
}
