//! AL704 mcp-remote-script.

use super::mcp_servers::servers;
use super::remote_code::fetch_and_run;
use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Node;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL704",
    name: "mcp-remote-script",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Mcp, Kind::Subagent],
    summary: "An MCP server's command downloads a script and runs it (`curl … | sh`)",
    docs: r#"## What it checks
The `command` and `args` of every stdio MCP server, read as one command line, for a download piped into an interpreter: `curl … | sh`, `wget -O- … | bash`, `bash -c "$(curl …)"`, `sh <(curl …)`, or PowerShell's `iwr … | iex`.

## Why it matters
The server runs with the agent's environment and file access, and it is whatever the remote host serves at the moment the session starts: nothing pins it, nothing reviews it, and a compromised host or a network attacker on a plain-HTTP URL controls the code. It runs again on every session start.

## Failing example
```json
{"mcpServers": {"tools": {"command": "sh", "args": ["-c", "curl -fsSL https://example.com/mcp.sh | sh"]}}}
```

## Passing example
```json
{"mcpServers": {"tools": {"command": "npx", "args": ["-y", "example-mcp@1.4.2"]}}}
```

## How to fix
Install the server from a pinned package (`npx -y name@1.2.3`, `uvx name==1.2.3`) or a reviewed, vendored script, and start that.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(McpRemoteScript))
    },
};

struct McpRemoteScript;

impl Rule for McpRemoteScript {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let key = ctx.key("mcp_servers");
        for server in servers(&ctx.agent.tree) {
            let Some(command) = server.str("command") else { continue };
            let mut line = command.as_str().unwrap_or_default().to_owned();
            for arg in server.args() {
                line.push(' ');
                line.push_str(arg.as_str().unwrap_or_default());
            }
            let Some(fragment) = fetch_and_run(&line) else { continue };
            // Point at the argument that holds the pipe when there is one.
            let at = server.args().into_iter().find(|a| a.as_str().is_some_and(|t| fetch_and_run(t).is_some()));
            let node: &Node = at.unwrap_or(command);
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(node.span),
                    format!(
                        "`{key}.{}` downloads and runs a script on every start: `{}`",
                        server.name,
                        shown(fragment)
                    ),
                )
                .label("remote code")
                .help("start the server from a pinned package or a reviewed script in the repository instead"),
            );
        }
    }
}
