//! The deployment config: typed options, key aliases, schema, and the loader that
//! turns a span tree into per-agent typed options with structural findings.

pub mod aliases;
mod load;
pub mod schema;
mod types;
mod validate;

pub use load::{Agent, LoadedConfig, empty_source, load, load_bytes};
pub use types::*;
