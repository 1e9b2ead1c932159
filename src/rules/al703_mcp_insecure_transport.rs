//! AL703 mcp-insecure-transport.

use super::mcp_servers::{host, is_local_host, servers};
use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Node;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL703",
    name: "mcp-insecure-transport",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Mcp, Kind::Subagent],
    summary: "A remote MCP server is reached over plain `http://` or `ws://` on a host other than this machine",
    docs: r#"## What it checks
The `url` of every remote MCP server (`http`, `sse`, `ws` transports): a `http://` or `ws://` URL is reported unless its host is this machine (`localhost`, `*.localhost`, `127.0.0.0/8`, `::1`, `host.docker.internal`).

## Why it matters
Everything the agent sends to the server (tool arguments, file contents, the headers that authenticate it) and everything the server answers (tool results that the model reads and acts on) crosses the network in cleartext. Anyone on the path can read the credentials and inject instructions into the tool results.

## Failing example
```json
{"mcpServers": {"tickets": {"type": "http", "url": "http://tickets.internal.example.com/mcp"}}}
```

## Passing example
```json
{"mcpServers": {"tickets": {"type": "http", "url": "https://tickets.internal.example.com/mcp"}}}
```

## How to fix
Use `https://` (or `wss://`). For a server on the same machine, `http://localhost:PORT` is fine.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(McpInsecureTransport))
    },
};

struct McpInsecureTransport;

impl Rule for McpInsecureTransport {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let key = ctx.key("mcp_servers");
        for server in servers(&ctx.agent.tree) {
            let Some(url) = server.str("url") else { continue };
            let text = url.as_str().unwrap_or_default().trim();
            let lower = text.to_ascii_lowercase();
            let secure = if lower.starts_with("http://") {
                "https://"
            } else if lower.starts_with("ws://") {
                "wss://"
            } else {
                continue;
            };
            let Some(host) = host(text).filter(|h| !h.is_empty() && !h.contains('$')) else { continue };
            if is_local_host(&host) {
                continue;
            }
            out.push(
                ctx.finding(
                    &META,
                    locate_scheme(ctx, url),
                    format!(
                        "`{key}.{}.url` reaches `{}` unencrypted: credentials and tool results cross the network in cleartext",
                        server.name,
                        shown(&host)
                    ),
                )
                .label("cleartext")
                .help(format!("use `{secure}`")),
            );
        }
    }
}

/// The scheme's characters when the URL is written verbatim; the whole value otherwise.
fn locate_scheme(ctx: &AgentContext<'_>, url: &Node) -> crate::report::Location {
    let text = url.as_str().unwrap_or_default();
    let start = text.len() - text.trim_start().len();
    let end = text.find("://").unwrap_or(start);
    let span = super::tool_lists::span_within(&ctx.config.source.text, url.span, text, start, end);
    ctx.locate(span)
}
