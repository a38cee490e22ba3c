//! Whole-API imports into the workspace: an importer turns a description or collection into
//! a [`plan::Plan`] of `.http` files, environments and secrets, which is previewed or applied.

pub mod collection;
pub mod har;
pub mod insomnia;
pub mod openapi;
pub mod plan;
pub mod postman;
pub mod source;

pub use plan::{Changes, Plan, PlannedEnv, PlannedFile, PlannedRequest};
