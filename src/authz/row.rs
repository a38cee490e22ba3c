//! One request of the matrix and what each identity got for it: the data the run fills and
//! the flags read, kept below both so neither imports the other.

use std::collections::BTreeSet;

use bytes::Bytes;
use serde::Serialize;

/// Methods sent without `--unsafe`: they should change nothing.
pub const SAFE_METHODS: &[&str] = &["GET", "HEAD", "OPTIONS"];

/// One cell: what one identity got for one request.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    pub identity: String,
    pub status: Option<u16>,
    /// Body bytes received.
    pub size: Option<u64>,
    /// How alike the body is to the owner's, 0 to 1 (the owner's own cell: 1).
    pub similarity: Option<f64>,
    /// Why there is no answer: the send failed, or the identity could not log in.
    pub error: Option<String>,
    #[serde(skip)]
    pub body: Bytes,
}

impl Cell {
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    pub fn refused(&self) -> bool {
        matches!(self.status, Some(401 | 403))
    }
}

/// One request of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub name: String,
    pub method: String,
    /// As sent by the owner, secrets masked.
    pub url: String,
    pub owner: String,
    /// False for an id variant whose id belongs to no identity: then nobody is known to own
    /// the object, and no BOLA is claimed.
    pub owner_known: bool,
    /// The request this one varies the id of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_of: Option<String>,
    /// Why an operation looks privileged (an admin path, a mark), if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privileged: Option<String>,
    /// The request names an object by id.
    pub object: bool,
    /// The request as written carries credentials (so its author meant it to need them).
    pub written_with_credentials: bool,
    pub cells: Vec<Cell>,
    #[serde(skip)]
    pub volatile: BTreeSet<String>,
}

impl Row {
    /// How findings name the row: `METHOD URL (name)`, at the start of their evidence.
    pub fn label(&self) -> String {
        format!("{} {} ({})", self.method, self.url, self.name)
    }
}
