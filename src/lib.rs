//! agentlint: a policy-as-code linter for Claude Code and Claude Agent SDK deployment configs.
//!
//! The pipeline: [`document`] parses YAML/JSON into a span tree, [`config`] turns
//! it into typed per-agent options (reporting syntax, duplicate, unknown-key and
//! invalid-value findings), [`rules`] check the options, and [`report`] renders
//! the findings.

pub mod app;
pub mod cli;
pub mod config;
pub mod discover;
pub mod document;
pub mod launch;
pub mod lint;
pub mod permission;
pub mod policy;
pub mod report;
pub mod rules;
pub mod secrets;

pub use lint::Linter;
pub use report::{FileReport, Finding, Severity, Summary};
