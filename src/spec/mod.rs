//! API descriptions: OpenAPI 3.0 and 3.1 and Swagger 2.0, JSON or YAML, loaded from a file or
//! a URL with their `$ref`s resolvable on demand, and a typed view of what the importer and
//! the lint walk (operations, parameters, servers, security schemes).

pub mod check;
pub mod document;
mod document_load;
mod document_view;
pub mod lint;

pub use document::{Document, LoadOptions, Location, Node, SpecError, Version};
pub use document_view::{
    MediaType, OAuthFlow, Operation, Parameter, Requirement, SecurityScheme, Server, ServerVariable,
};
