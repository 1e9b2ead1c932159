//! The `mcp` kind: `.mcp.json` (project scope) and `managed-mcp.json` (managed scope), MCP
//! servers by name. Validated against the same server definition as a deployment config's
//! `mcp_servers` option, so both are checked by the same rules.

use super::{Dialect, FileKind, Kind, Scope, Syntax};
use crate::config::schema::DOC;
use crate::config::{Agent, LoadedConfig};
use crate::document::{Entry, Key, Node, Span, Value};
use crate::report::Finding;
use crate::schema::{Describe, Dropped, Problem, ProblemKind, Step};

const EXAMPLE: &str = "an MCP file is a JSON object with `mcpServers`, e.g. `{\"mcpServers\": {\"github\": {\"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\"}}}`";

pub fn load(path: &str, bytes: Vec<u8>, kind: FileKind) -> (LoadedConfig, Vec<Finding>) {
    let kind = FileKind::new(Kind::Mcp, Some(kind.scope.unwrap_or(Scope::Project)));
    const PARSE_HELP: &str = "Claude Code starts none of this file's servers until it parses as strict JSON";
    let mut config = match crate::config::load::load_json_object(path, bytes, kind, PARSE_HELP, EXAMPLE) {
        Ok(config) => config,
        Err(failed) => return *failed,
    };
    let mut findings = Vec::new();
    let mut outcome = crate::schema::validate(&DOC, "/definitions/McpFile", &config.root);
    config.tree = outcome.tree.take().unwrap_or_else(|| Node::new(Value::Map(Vec::new()), config.root.span));
    outcome.problems.extend(server_problems(&config.tree));
    config.report(&outcome, &Mcp, &mut findings);

    // The shared model: the servers as the `mcp_servers` option.
    let mut view = Vec::new();
    if let Some(entry) = config.tree.entry("mcpServers") {
        let key = Key { text: "mcp_servers".into(), span: entry.key.span };
        view.push(Entry { key, value: entry.value.clone(), merged: false });
    }
    let mut tree = Node::new(Value::Map(view), config.tree.span);
    let mut invalid: Vec<Dropped> = outcome
        .invalid
        .into_iter()
        .filter(|d| d.path.first().is_some_and(|k| k == "mcpServers"))
        .map(|d| Dropped {
            path: std::iter::once("mcp_servers".to_owned()).chain(d.path[1..].iter().cloned()).collect(),
            span: d.span,
        })
        .collect();
    let anchor = config.root.as_map().and_then(|e| e.first()).map_or(Span::new(0, 0), |e| e.key.span);
    let options = crate::config::load::typed_options(&config, None, anchor, &mut tree, &mut invalid, &mut findings);
    let dialect = Dialect::new(Kind::Mcp, Syntax::Json, true);
    config.agents =
        vec![Agent { name: None, label: None, anchor, tree, options, invalid, dialect, unknown: Vec::new() }];
    (config, findings)
}

/// Servers Claude Code cannot start: no `command` for a stdio server, no `url` for a remote one.
fn server_problems(tree: &Node) -> Vec<Problem> {
    let mut out = Vec::new();
    for server in tree.get("mcpServers").and_then(Node::as_map).unwrap_or_default() {
        let remote = server.value.get("type").and_then(Node::as_str).is_some_and(|t| t != "stdio" && t != "sdk");
        let has = |key: &str| server.value.get(key).is_some();
        let missing = match (remote, has("url"), has("command")) {
            (true, false, _) => Some("url"),
            (false, false, false) if server.value.get("type").and_then(Node::as_str) != Some("sdk") => Some("command"),
            _ => None,
        };
        if let Some(key) = missing {
            let path = vec![Step::key("mcpServers", "mcpServers"), Step::key(&server.key.text, &server.key.text)];
            out.push(Problem { path, span: server.value.span, kind: ProblemKind::Required { key: key.to_owned() } });
        }
        if let Some(command) = server.value.entry("command")
            && command.value.as_str().is_some_and(|c| c.trim().is_empty())
        {
            let path = vec![
                Step::key("mcpServers", "mcpServers"),
                Step::key(&server.key.text, &server.key.text),
                Step::key("command", "command"),
            ];
            out.push(Problem {
                path,
                span: command.value.span,
                kind: ProblemKind::Other { what: "must not be empty" },
            });
        }
    }
    out
}

struct Mcp;

impl Describe for Mcp {
    fn unknown_key_help(&self) -> &'static str {
        "remove it: Claude Code ignores keys it does not know"
    }

    fn consequence(&self, path: &[Step]) -> Option<String> {
        match path {
            [_, _, ..] => Some("Claude Code 2.1.76 starts none of this file's servers while one is invalid; newer releases skip this server".into()),
            _ => Some("Claude Code starts none of this file's servers".into()),
        }
    }
}
