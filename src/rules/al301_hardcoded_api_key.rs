//! AL301 hardcoded-api-key.
//!
//! [`literal_credentials`] is also what `lint.rs` masks in snippets and what AL302
//! skips, so the three always agree on which values are literal credentials.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, is_credential_env, no_params};
use crate::config::env_reference;
use crate::document::{Node, Seg, Span};
use crate::kinds::{Kind, Syntax};
use crate::report::{Finding, Severity};
use crate::secrets;

pub static META: RuleMeta = RuleMeta {
    id: "AL301",
    name: "hardcoded-api-key",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings, Kind::Mcp, Kind::Subagent],
    summary: "`api_key` or a credential environment variable holds a literal value",
    docs: r#"## What it checks
That `api_key`, and every credential-carrying environment variable, is an environment reference (`${NAME}`, `$NAME` or `{env: NAME}`) rather than a literal value. The variables are `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`, `CLAUDE_CODE_OAUTH_TOKEN`, `CLAUDE_CODE_OAUTH_REFRESH_TOKEN`, `ANTHROPIC_FOUNDRY_API_KEY`, `ANTHROPIC_FOUNDRY_AUTH_TOKEN`, `ANTHROPIC_AWS_API_KEY`, `AWS_BEARER_TOKEN_BEDROCK`, `CLAUDE_CODE_CLIENT_KEY`, `CLAUDE_CODE_CLIENT_KEY_PASSPHRASE`, `MCP_CLIENT_SECRET`, `OTEL_EXPORTER_OTLP_HEADERS` and `ANTHROPIC_CUSTOM_HEADERS`, wherever an environment is set: `env`, `env` inside an inline `settings` mapping, and the `env` of each MCP server. Any literal is reported, whatever its format; recognised credential formats elsewhere in the file are AL302's.

The same holds for a Claude Code settings file's `env`, and for the `env` of MCP servers in `.mcp.json` and in subagents. A settings file's `env` sets values literally (no `${VAR}` expansion), so the fix there is to set the variable where Claude Code starts.

## Why it matters
Deployment configs are committed, reviewed, copied into tickets and baked into images. A key written into one is readable by everyone who can read any of those, and it stays in version control history after it is removed. Keys belong in the environment of the process that launches the agent, filled from a secret manager, or behind a proxy that injects them (`ANTHROPIC_BASE_URL`).

## Failing example
```yaml
api_key: sk-ant-api03-…
env:
  ANTHROPIC_AUTH_TOKEN: my-proxy-token
```

## Passing example
```yaml
api_key: ${ANTHROPIC_API_KEY}
env:
  ANTHROPIC_AUTH_TOKEN: {env: PROXY_TOKEN}
```

## How to fix
Replace the literal with a reference, e.g. `api_key: ${ANTHROPIC_API_KEY}`, and set the variable where the agent is launched. Then revoke the key: it has already been exposed. agentlint never prints the value in full, in any output format.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(HardcodedApiKey))
    },
};

/// A literal credential in an agent's merged options.
pub(crate) struct LiteralCredential<'a> {
    /// Where it is, as keys from the agent's options (`["env", "ANTHROPIC_API_KEY"]`).
    pub path: Vec<&'a str>,
    /// The literal value.
    pub value: &'a str,
    /// The value's span, quotes included: where the finding points.
    pub span: Span,
    /// The value's text without quotes, when it is written verbatim: what snippets mask.
    pub text_span: Span,
}

impl LiteralCredential<'_> {
    /// The environment variable it is set as, or `None` for `api_key`.
    fn env_name(&self) -> Option<&str> {
        (self.path.len() > 1).then(|| self.path[self.path.len() - 1])
    }
}

/// Every literal `api_key` and credential environment value in one agent's merged options
/// (`text` is the file's source, to find the unquoted text of each value).
pub(crate) fn literal_credentials<'a>(tree: &'a Node, text: &str) -> Vec<LiteralCredential<'a>> {
    let mut out = Vec::new();
    if let Some(node) = tree.get("api_key") {
        push_literal(&mut out, vec!["api_key"], node);
    }
    if let Some(env) = tree.get("env") {
        push_env(&mut out, vec!["env"], env);
    }
    if let Some(env) = tree.get("settings").and_then(|s| s.get("env")) {
        push_env(&mut out, vec!["settings", "env"], env);
    }
    for server in tree.get("mcp_servers").and_then(Node::as_map).unwrap_or_default() {
        if let Some(env) = server.value.get("env") {
            push_env(&mut out, vec!["mcp_servers", &server.key.text, "env"], env);
        }
    }
    for cred in &mut out {
        cred.text_span = unquoted(text, cred.span, cred.value);
    }
    out
}

/// The span of `value` inside a quoted scalar written verbatim at `span`; `span` otherwise.
fn unquoted(text: &str, span: Span, value: &str) -> Span {
    let raw = text.get(span.start..span.end).unwrap_or_default();
    let quoted = raw.len() == value.len() + 2
        && (raw.starts_with('"') && raw.ends_with('"') || raw.starts_with('\'') && raw.ends_with('\''))
        && raw.get(1..raw.len() - 1) == Some(value);
    if quoted { Span::new(span.start + 1, span.end - 1) } else { span }
}

fn push_env<'a>(out: &mut Vec<LiteralCredential<'a>>, path: Vec<&'a str>, env: &'a Node) {
    for entry in env.as_map().unwrap_or_default() {
        if is_credential_env(&entry.key.text) {
            let mut path = path.clone();
            path.push(&entry.key.text);
            push_literal(out, path, &entry.value);
        }
    }
}

/// A non-empty string that is not `${NAME}` / `$NAME` (a `{env: NAME}` mapping is not a string).
fn push_literal<'a>(out: &mut Vec<LiteralCredential<'a>>, path: Vec<&'a str>, node: &'a Node) {
    if let Some(value) = node.as_str()
        && !value.trim().is_empty()
        && env_reference(value).is_none()
    {
        out.push(LiteralCredential { path, value, span: node.span, text_span: node.span });
    }
}

struct HardcodedApiKey;

/// How to take the credential `name` out of the file. Deployment configs and MCP server
/// definitions take a `${NAME}` reference; a settings file's `env` sets values literally, so the
/// variable has to come from the environment Claude Code starts in.
fn reference_help(ctx: &AgentContext<'_>, cred: &LiteralCredential<'_>, name: &str) -> String {
    let in_server = cred.path.first() == Some(&"mcp_servers");
    if ctx.kind().kind == Kind::Settings && !in_server {
        return format!(
            "delete `{}` and set `{name}` in the environment Claude Code is started from (or use `apiKeyHelper` for the API key); then revoke this credential, it has been exposed",
            ctx.path(&cred.path.iter().map(|k| Seg::Key(k)).collect::<Vec<_>>())
        );
    }
    let reference = match (ctx.dialect().env_entry(name, "", name), ctx.dialect().syntax) {
        (Some(entry), _) => entry,
        (None, Syntax::Yaml) => format!("{name}: ${{{name}}}"),
        (None, Syntax::Json) => format!("\"{name}\": \"${{{name}}}\""),
    };
    format!(
        "write `{reference}` and set `{name}` where the agent is launched; then revoke this credential, it has been exposed"
    )
}

impl Rule for HardcodedApiKey {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        for cred in literal_credentials(&ctx.agent.tree, &ctx.config.source.text) {
            let redacted = secrets::redact(cred.value);
            let path: Vec<Seg<'_>> = cred.path.iter().map(|k| Seg::Key(k)).collect();
            let finding = match cred.env_name() {
                None => ctx
                    .finding(
                        &META,
                        ctx.locate(cred.span),
                        format!("`{}` holds the literal key `{redacted}` instead of an environment reference", ctx.path(&path)),
                    )
                    .help(format!(
                        "write `{}` and set `ANTHROPIC_API_KEY` where the agent is launched; then revoke this key, it has been exposed",
                        ctx.set(&path, serde_json::json!("${ANTHROPIC_API_KEY}"))
                    )),
                Some(name) => ctx
                    .finding(
                        &META,
                        ctx.locate(cred.span),
                        format!(
                            "`{}` holds the literal credential `{redacted}` instead of an environment reference",
                            ctx.path(&path)
                        ),
                    )
                    .help(reference_help(ctx, &cred, name)),
            };
            out.push(finding.label("literal credential"));
        }
    }
}
