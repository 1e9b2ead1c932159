//! The shared session model: typed options, key aliases, the deployment schema, and the
//! loaded file every kind's front end produces ([`crate::kinds`]) and every rule reads.

pub mod aliases;
pub mod load;
pub mod schema;
mod types;

pub use crate::kinds::deployment::{load, load_bytes};
pub use load::{Agent, LoadedConfig, Unknown, UnknownOrigin, empty_source};
pub use types::*;
