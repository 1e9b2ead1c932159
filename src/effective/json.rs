//! The JSON contracts of `agentlint effective` and `agentlint can` (README "The effective
//! session", "agentlint can"): versioned, documented, and kept apart from the internal types.

use serde::Serialize;
use serde_json::Value as Json;

use crate::document::{Node, Value};
use crate::rules::shown_text;

use super::matcher::{Basis, Call, Verdict};
use super::merge::{Entry, Merged, Status};
use super::render::role_id;
use super::{Session, Source};

/// Bumped only on incompatible changes to the shapes below.
pub const EFFECTIVE_VERSION: u32 = 1;
/// Bumped only on incompatible changes to the `can` shape.
pub const CAN_VERSION: u32 = 1;

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

const TOOL: Tool = Tool { name: "agentlint", version: env!("CARGO_PKG_VERSION") };

/// Where a value is written.
#[derive(Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The layer: index into `layers`.
    pub layer: usize,
    /// `managed`, `command-line`, `local`, `project` or `user`.
    pub origin: &'static str,
}

fn place(session: &Session, entry: &Entry) -> Option<Place> {
    let Source { file, location, layer } = session.source(entry)?;
    Some(Place {
        file: file.to_owned(),
        line: location.line,
        column: location.column,
        end_line: location.end_line,
        end_column: location.end_column,
        layer: entry.layer,
        origin: layer.origin.id(),
    })
}

#[derive(Serialize)]
struct SessionInfo<'a> {
    title: &'a str,
    agent: Option<&'a str>,
    directory: &'a str,
    trusted: bool,
}

#[derive(Serialize)]
struct LayerInfo<'a> {
    index: usize,
    origin: &'static str,
    role: &'static str,
    file: &'a str,
    reason: &'a str,
    pulled_by: Option<Location>,
}

#[derive(Serialize)]
struct Location {
    file: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct SkippedInfo<'a> {
    origin: &'static str,
    what: &'a str,
    why: &'a str,
}

#[derive(Serialize)]
struct Mode {
    value: &'static str,
    /// Index into `values` of the entry that sets it; `null` when no layer does.
    entry: Option<usize>,
}

#[derive(Serialize)]
struct ValueInfo {
    /// Canonical option path: `allowed_tools`, `sandbox.enabled`, `env.NAME`, `hooks.PreToolUse`.
    option: String,
    /// The value; `null` for `env` values, which are never shown.
    value: Json,
    /// `applies`, `needs-trust`, `overridden` or `ignored`.
    status: &'static str,
    /// Why it is ignored.
    reason: Option<String>,
    /// The layer that overrides it.
    overridden_by: Option<usize>,
    source: Option<Place>,
}

#[derive(Serialize)]
struct LockInfo {
    setting: &'static str,
    file: String,
    line: usize,
    column: usize,
    layer: usize,
}

#[derive(Serialize)]
struct Effective<'a> {
    version: u32,
    tool: Tool,
    session: SessionInfo<'a>,
    layers: Vec<LayerInfo<'a>>,
    skipped: Vec<SkippedInfo<'a>>,
    permission_mode: Mode,
    values: Vec<ValueInfo>,
    locks: Vec<LockInfo>,
    notes: &'a [String],
}

/// A value as output shows it: strings redacted; `env` and `headers` values left out.
fn public(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        // JSON text keeps its type; its `env` and `headers` values are left out all the same.
        Value::String(s) => match super::render::json_text(s) {
            Some(parsed) => Json::String(public(&parsed).to_string()),
            None => Json::String(shown_text(s)),
        },
        Value::Seq(items) => Json::Array(items.iter().map(public).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|e| {
                    let value = match e.key.text.as_str() {
                        "env" | "headers" => match e.value.as_map() {
                            Some(m) => Json::Object(m.iter().map(|x| (x.key.text.clone(), Json::Null)).collect()),
                            None => Json::Null,
                        },
                        _ => public(&e.value),
                    };
                    (e.key.text.clone(), value)
                })
                .collect(),
        ),
    }
}

fn location_of(session: &Session, span: crate::document::Span) -> Option<Location> {
    let (file, l) = session.locate(span)?;
    Some(Location { file: file.to_owned(), line: l.line, column: l.column })
}

/// `agentlint effective --format json`.
pub fn effective(session: &Session, merged: &Merged) -> String {
    let values = merged
        .entries
        .iter()
        .map(|e| ValueInfo {
            option: e.option(),
            value: if e.path.first().is_some_and(|p| p == "env") { Json::Null } else { public(&e.node) },
            status: e.status.id(),
            reason: match &e.status {
                Status::Ignored(why) => Some(why.clone()),
                _ => None,
            },
            overridden_by: match e.status {
                Status::Overridden { by } => Some(by),
                _ => None,
            },
            source: place(session, e),
        })
        .collect();
    let (mode, entry) = merged.mode();
    let report = Effective {
        version: EFFECTIVE_VERSION,
        tool: TOOL,
        session: SessionInfo {
            title: &session.title,
            agent: session.agent.as_deref(),
            directory: &session.dir_shown,
            trusted: merged.trusted,
        },
        layers: session
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| LayerInfo {
                index: i,
                origin: l.origin.id(),
                role: role_id(l.role),
                file: &session.files[l.file].config.source.path,
                reason: &l.reason,
                pulled_by: l.pulled_by.and_then(|s| location_of(session, s)),
            })
            .collect(),
        skipped: session
            .skipped
            .iter()
            .map(|s| SkippedInfo { origin: s.origin.id(), what: &s.what, why: &s.why })
            .collect(),
        permission_mode: Mode { value: mode.cli_name(), entry },
        values,
        locks: merged
            .locks
            .list()
            .into_iter()
            .filter_map(|(setting, layer, span)| {
                let l = location_of(session, span)?;
                Some(LockInfo { setting, file: l.file, line: l.line, column: l.column, layer })
            })
            .collect(),
        notes: &session.notes,
    };
    let mut s = serde_json::to_string_pretty(&report).expect("serializes");
    s.push('\n');
    s
}

#[derive(Serialize)]
struct DecidedBy {
    /// `rule`, `mode` or `builtin`.
    kind: &'static str,
    /// For a rule: `deny`, `ask` or `allow`.
    list: Option<&'static str>,
    /// For a rule: the rule as written.
    rule: Option<String>,
    /// For the mode: the mode.
    mode: Option<&'static str>,
    /// In words.
    reason: String,
    /// Where the rule, or the mode, is set.
    source: Option<Place>,
}

#[derive(Serialize)]
struct PartInfo {
    command: String,
    decision: &'static str,
    decided_by: DecidedBy,
}

#[derive(Serialize)]
struct Can<'a> {
    version: u32,
    tool: Tool,
    call: String,
    /// `allow`, `ask` or `deny`.
    decision: &'static str,
    decided_by: DecidedBy,
    parts: Vec<PartInfo>,
    mode: &'static str,
    session: SessionInfo<'a>,
    notes: &'a [String],
}

fn decided_by(session: &Session, merged: &Merged, basis: &Basis) -> DecidedBy {
    let (reason, _) = super::render::basis(session, merged, basis);
    match basis {
        Basis::Rule { list, entry } => {
            let e = &merged.entries[*entry];
            DecidedBy {
                kind: "rule",
                list: Some(list.id()),
                rule: e.node.as_str().map(shown_text),
                mode: None,
                reason,
                source: place(session, e),
            }
        }
        Basis::Mode { mode, entry, .. } => DecidedBy {
            kind: "mode",
            list: None,
            rule: None,
            mode: Some(mode.cli_name()),
            reason,
            source: entry.and_then(|i| place(session, &merged.entries[i])),
        },
        Basis::Builtin { .. } => {
            DecidedBy { kind: "builtin", list: None, rule: None, mode: None, reason, source: None }
        }
    }
}

/// `agentlint can --format json`.
pub fn verdict(session: &Session, merged: &Merged, call: &Call, verdict: &Verdict) -> String {
    let report = Can {
        version: CAN_VERSION,
        tool: TOOL,
        call: shown_text(&call.text),
        decision: verdict.decision.id(),
        decided_by: decided_by(session, merged, &verdict.basis),
        parts: verdict
            .parts
            .iter()
            .map(|p| PartInfo {
                command: shown_text(&p.command),
                decision: p.decision.id(),
                decided_by: decided_by(session, merged, &p.basis),
            })
            .collect(),
        mode: verdict.mode.cli_name(),
        session: SessionInfo {
            title: &session.title,
            agent: session.agent.as_deref(),
            directory: &session.dir_shown,
            trusted: merged.trusted,
        },
        notes: &verdict.notes,
    };
    let mut s = serde_json::to_string_pretty(&report).expect("serializes");
    s.push('\n');
    s
}
