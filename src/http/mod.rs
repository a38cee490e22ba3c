//! HTTP: the shared client every tool sends with, and the request builder's core: the
//! request model, variables, preparing and sending with phase timings, history, `.http`
//! workspaces, curl import and export, and the findings on every response.

pub mod curl;
pub mod digest;
pub mod dotfile;
pub mod export;
pub mod findings;
mod header_case;
pub mod history;
pub mod jq;
pub mod model;
pub mod prepare;
pub mod pretty;
pub mod proxy;
pub mod redact;
pub mod response;
pub mod send;
pub mod send_error;
pub mod sensitive;
pub mod task;
mod transport;
pub mod vars;
pub mod workspace;
mod workspace_delete;
pub mod workspace_error;
pub mod workspace_move;

// The client moved below http (crate::net) so audit can use it without a cycle; the old
// paths stay for the request builder's callers.
pub use crate::net::client;
pub use crate::net::client::{ClientOptions, HttpError, build_client};
pub use curl::{Imported, import_curl};
pub use export::{Format, export};
pub use history::{Entry, History};
pub use model::{
    Auth, Body, HttpVersion, JwtKey, KeyPlace, Options, Part, PartValue, Request, Row,
};
pub use prepare::{PrepareError, Prepared, prepare};
pub use response::{Cookie, Response, Timings, TlsInfo};
pub use send::{SendError, send};
pub use task::{Exchange, spawn_send};
pub use transport::OnProgress;
pub use vars::{Redactor, VarError, Vars};
pub use workspace::{Stored, Workspace, WorkspaceError};
