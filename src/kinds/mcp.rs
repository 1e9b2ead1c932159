//! The `mcp` kind: `.mcp.json` (project scope) and `managed-mcp.json` (managed scope), MCP
//! servers by name. Validated against the same server definition as a deployment config's
//! `mcp_servers` option, so both are checked by the same rules.

use super::{Dialect, FileKind, Kind, Scope, Syntax};
use crate::config::schema::DOC;
use crate::config::{Agent, LoadedConfig, load::not_a_mapping};
use crate::document::{self, Entry, Key, Node, Span, Value};
use crate::report::Finding;
use crate::schema::{Describe, Dropped};

const EXAMPLE: &str = "an MCP file is a JSON object with `mcpServers`, e.g. `{\"mcpServers\": {\"github\": {\"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\"}}}`";

pub fn load(path: &str, bytes: Vec<u8>, kind: FileKind) -> (LoadedConfig, Vec<Finding>) {
    let kind = FileKind::new(Kind::Mcp, Some(kind.scope.unwrap_or(Scope::Project)));
    let source = match crate::config::load::read_source(path, bytes, document::Format::Json, kind) {
        Ok(source) => source,
        Err(failed) => return failed,
    };
    let (source, root) = match crate::config::load::parse_source(source, kind) {
        Ok(parsed) => parsed,
        Err(failed) => return failed,
    };
    let mut config = LoadedConfig::failed(source, kind);
    config.root = root;
    config.parsed = true;
    let mut findings = Vec::new();
    if let Some(finding) = not_a_mapping(&config, EXAMPLE) {
        findings.push(finding);
        return (config, findings);
    }
    let outcome = crate::schema::validate(&DOC, "/definitions/McpFile", &config.root);
    config.report(&outcome, &Mcp, &mut findings);
    config.tree = outcome.tree.unwrap_or_else(|| Node::new(Value::Map(Vec::new()), config.root.span));

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
    config.agents = vec![Agent { name: None, label: None, anchor, tree, options, invalid, dialect }];
    (config, findings)
}

struct Mcp;

impl Describe for Mcp {
    fn unknown_key_help(&self) -> &'static str {
        "remove it: Claude Code ignores keys it does not know"
    }
}
