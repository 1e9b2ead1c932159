//! agentlint: a policy-as-code linter for Claude Code and Claude Agent SDK deployment configs.
//!
//! The pipeline: [`document`] parses YAML/JSON into a span tree, [`config`] turns
//! it into typed per-agent options (reporting syntax, duplicate, unknown-key and
//! invalid-value findings), [`rules`] check the options, and [`report`] renders
//! the findings.
//!
//! Checking a config from Rust:
//!
//! ```
//! use agentlint::{Linter, Severity};
//!
//! let config = b"permission_mode: bypass_permissions\nallowed_tools: [Read]\n";
//! let report = Linter::default().check_bytes("agent.yaml", config.to_vec());
//! let mode = report.findings.iter().find(|f| f.rule.id == "AL101").unwrap();
//! assert_eq!(mode.severity, Severity::Error);
//! assert_eq!((mode.location.line, mode.location.column), (1, 18));
//! assert_eq!(mode.location.pointer.as_deref(), Some("/permission_mode"));
//! // Missing options are reported too, at the first key of a single-agent file.
//! assert!(report.findings.iter().any(|f| f.rule.id == "AL201"));
//! ```
//!
//! For a config that passes, [`launch::launch_spec`] gives the exact `claude` argv, working
//! directory and environment to launch the agent with.

pub mod app;
pub mod cli;
pub mod config;
pub mod discover;
pub mod document;
pub mod kinds;
pub mod launch;
pub mod lint;
pub mod output;
pub mod permission;
pub mod policy;
pub mod report;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod suggest;

pub use lint::Linter;
pub use report::{FileReport, Finding, Severity, Summary};
