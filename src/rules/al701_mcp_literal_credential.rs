//! AL701 mcp-literal-credential.

use super::mcp_servers::{literal_credentials, url_credential};
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::kinds::{Kind, Syntax};
use crate::report::{Finding, Severity};
use crate::secrets;

pub static META: RuleMeta = RuleMeta {
    id: "AL701",
    name: "mcp-literal-credential",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Mcp, Kind::Subagent],
    summary: "An MCP server definition holds a credential written out: in `env`, `headers`, its `url` or its `args`",
    docs: r#"## What it checks
Every MCP server definition (`.mcp.json`, `managed-mcp.json`, a deployment config's `mcp_servers`, a subagent's inline `mcpServers`) for credentials written into the file:
- `env` and `headers` entries whose name says they carry a credential (`GITHUB_TOKEN`, `DB_PASSWORD`, `Authorization`, `X-Api-Key`, …) with a literal value;
- a `url` with a credential query parameter (`?api_key=…`; a password in the user part of a URL is a known format and AL302's);
- `args` that pass a credential flag a literal value (`--api-key sk-…`, `--token=…`).

Values that take the secret from the environment (`${GITHUB_TOKEN}`, `${TOKEN:-}`, `Bearer ${TOKEN}`) pass, and so do obvious placeholders (`your_token_here`, `<API_KEY>`). A value that holds a credential of a known format (a GitHub token, an Anthropic key, a JWT) is reported by AL302, which names the format, wherever it is; this rule finds the credentials no format gives away, by where they are written. Anthropic's own variables in `env` (`ANTHROPIC_API_KEY`, …) are AL301's.

## Why it matters
`.mcp.json` is committed with the project, so a token in it is in the repository's history for good, readable by everyone with access to the code and by every agent session that reads the file. Claude Code expands `${VAR}` in a server's `command`, `args`, `env`, `url` and `headers`, so there is no reason to write the value itself.

## Failing example
```json
{"mcpServers": {"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",
  "headers": {"Authorization": "Bearer 4f9c2e7a1b8d3f6e0a5c9b2d7e1f4a8c"}}}}
```

## Passing example
```json
{"mcpServers": {"github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/",
  "headers": {"Authorization": "Bearer ${GITHUB_TOKEN}"}}}}
```

## How to fix
Replace the value with a `${VAR}` reference and set the variable where Claude Code or the agent starts; then revoke the credential, since it has been exposed.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(McpLiteralCredential))
    },
};

struct McpLiteralCredential;

impl Rule for McpLiteralCredential {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let servers = ctx.key("mcp_servers");
        for cred in literal_credentials(&ctx.agent.tree) {
            // A URL is shown with its credential masked, a header with its scheme; other values redacted.
            let shown = match url_credential(cred.value) {
                Some(secret) => secrets::redact_all(&cred.value.replace(secret, "****")).into_owned(),
                None => match cred
                    .value
                    .split_once(' ')
                    .filter(|(scheme, _)| matches!(*scheme, "Bearer" | "Basic" | "token"))
                {
                    Some((scheme, token)) => format!("{scheme} {}", secrets::redact(token)),
                    None => secrets::redact(cred.value),
                },
            };
            let name = &cred.variable;
            let in_map = cred.place.starts_with("env.") || cred.place.starts_with("headers.");
            let host_entry = in_map.then(|| {
                let key = cred.place.split_once('.').map_or("", |(_, k)| k);
                let bearer = cred.place.starts_with("headers.") && key.eq_ignore_ascii_case("authorization");
                ctx.dialect().env_entry(key, if bearer { "Bearer " } else { "" }, name)
            });
            let reference = match (ctx.dialect().syntax, in_map) {
                _ if host_entry.as_ref().is_some_and(Option::is_some) => host_entry.flatten().unwrap_or_default(),
                (Syntax::Json, true) => {
                    let key = cred.place.split_once('.').map_or("", |(_, k)| k);
                    let prefix = if cred.place.starts_with("headers.") && key.eq_ignore_ascii_case("authorization") {
                        "Bearer "
                    } else {
                        ""
                    };
                    format!("\"{key}\": \"{prefix}${{{name}}}\"")
                }
                (Syntax::Yaml, true) => {
                    let key = cred.place.split_once('.').map_or("", |(_, k)| k);
                    let prefix = if cred.place.starts_with("headers.") && key.eq_ignore_ascii_case("authorization") {
                        "Bearer "
                    } else {
                        ""
                    };
                    format!("{key}: {prefix}${{{name}}}")
                }
                (_, false) => format!("${{{name}}}"),
            };
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(cred.span),
                    format!(
                        "`{servers}.{}.{}` holds the literal credential `{}`",
                        cred.server,
                        cred.place,
                        shown
                    ),
                )
                .label("literal credential")
                .help(format!(
                    "write `{reference}` in its place (Claude Code and the SDKs expand `${{VAR}}` in MCP server definitions) and set `{name}` where the agent starts; then revoke this credential, it has been exposed"
                )),
            );
        }
    }
}
