//! The authorization matrix: replay a workspace's requests as each identity (users, an admin,
//! the anonymous caller), compare every answer with the owner's, and flag broken object- and
//! function-level authorization, missing authentication and inconsistent enforcement. See
//! `docs/authz.md`.

pub mod flags;
pub mod guard;
pub mod identities;
pub mod matrix;
pub mod report;
pub mod row;
pub mod rules;
pub mod select;
pub mod setup;
pub mod similarity;
pub mod vary;
pub mod watch;

pub use identities::{Credential, Identity, IdentityError, Role};
pub use matrix::{AuthzError, Limits, Matrix, Plan};
pub use row::{Cell, Row};
