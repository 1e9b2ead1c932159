//! AL104 broad-tool-grant.

use serde::Deserialize;

use super::tool_lists::{ToolList, entries, shown};
use super::{AgentContext, ParamError, Rule, RuleEntry, RuleMeta, parse_params};
use crate::kinds::Kind;
use crate::permission::{PermissionRule, RuleList, RuleTool, canonical, parse_rule};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL104",
    name: "broad-tool-grant",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings, Kind::Command, Kind::Skill],
    summary: "An `allowed_tools` entry grants every shell command, every URL, every tool or every MCP server",
    docs: r#"## What it checks
Each `allowed_tools` entry that grants everything of a dangerous kind:
- every command: bare `Bash`, `Bash(*)`, `Bash(:*)`, `Bash(**)` (any pattern of only `*`, `:` and spaces), and the same for `PowerShell` and `Monitor`;
- every URL: bare `WebFetch` or `WebFetch(domain:*)`;
- every tool: `*` and other tool-name globs such as `B*`;
- every MCP server: `mcp__*`, `mcp__git*`, `mcp__*__delete_repo`;
- any entry listed in the `extra_patterns` parameter.

Entries are compared in their canonical form, so `Bash(*)` and `Bash` are the same grant. Narrower grants such as bare `Edit` for a supervised `accept_edits` agent are not reported here. Entries that AL105 rejects are not checked.

In a Claude Code settings file the grants are `permissions.allow`; in a command or skill, `allowed-tools` (a YAML list, or one string of entries separated by commas or spaces). A subagent's `tools` makes tools available rather than approving them, so it is not checked here.

## Why it matters
An allow rule runs without a prompt. `Bash` alone lets the agent run any command, including `curl` to send data out or `rm -rf`; `WebFetch` alone lets it read any URL, which is a prompt-injection and exfiltration path; `*` and MCP globs also grant whatever tools or servers are added later. Current CLIs skip tool-name globs in allow lists with a warning, so such an entry either grants far too much or silently nothing.

## Failing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, "Bash(*)", WebFetch]
```

## Passing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, "Bash(cargo test:*)", "WebFetch(domain:docs.rs)"]
```

## How to fix
Allow only the commands, hosts, tools and MCP servers the agent needs: `Bash(cargo test:*)`, `WebFetch(domain:docs.rs)`, `Read`, `mcp__github__get_issue` (or one whole server, `mcp__github__*`).

## Parameters
- `extra_patterns` (list of permission rules, default `[]`): further entries that count as broad, e.g. `["Edit", "Bash(python:*)"]`. They are compared in canonical form (`Bash(python *)` equals `Bash(python:*)`).
"#,
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build: |p| Ok(Box::new(BroadToolGrant::new(parse_params(p)?)?)) };

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Params {
    extra_patterns: Vec<String>,
}

struct BroadToolGrant {
    /// Canonical forms of `extra_patterns`.
    extra: Vec<String>,
}

impl BroadToolGrant {
    fn new(params: Params) -> Result<Self, ParamError> {
        let extra = params
            .extra_patterns
            .iter()
            .enumerate()
            .map(|(i, text)| {
                parse_rule(text, RuleList::Deny).map(|rule| canonical(&rule)).map_err(|e| ParamError {
                    pointer: format!("/extra_patterns/{i}"),
                    message: format!("`{text}` is not a permission rule: {e}"),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { extra })
    }
}

/// Why the entry is one of the broad kinds this rule reports (completing "entry `X` ..."),
/// and what to write instead. Other grants that `broad_grant_reason` knows (bare `Edit`,
/// `Bash(sh -c *)`, ...) are left to `extra_patterns`: supervised agents legitimately use them.
fn broad_kind(rule: &PermissionRule<'_>, canonical: &str) -> Option<(&'static str, &'static str)> {
    match &rule.kind {
        RuleTool::NameGlob if rule.tool.starts_with("mcp__") => Some((MCP_REASON, MCP_HELP)),
        RuleTool::NameGlob if rule.tool.chars().all(|c| c == '*') => Some((
            "is a glob over every tool name, including Bash, Edit and WebFetch",
            "list the tools by name, e.g. `Read`, `Grep`, `Glob` (current CLIs skip tool-name globs in allow lists with a warning)",
        )),
        RuleTool::NameGlob => Some((
            "is a glob over tool names: it covers every tool whose name matches",
            "list the tools by name, e.g. `Bash(cargo test:*)` instead of `B*` (current CLIs skip tool-name globs in allow lists with a warning)",
        )),
        RuleTool::Mcp { server, .. } if server.contains('*') => Some((MCP_REASON, MCP_HELP)),
        RuleTool::Mcp { .. } => None,
        // Only the all-wildcard forms: their canonical form is the bare tool name.
        RuleTool::Builtin(info) if canonical != info.name => None,
        RuleTool::Builtin(info) => match info.name {
            "Bash" => Some((
                "allows every shell command",
                "allow only the commands the agent runs, e.g. `Bash(cargo test:*)` and `Bash(git diff:*)`",
            )),
            "PowerShell" => Some((
                "allows every PowerShell command",
                "allow only the commands the agent runs, e.g. `PowerShell(Get-ChildItem *)`",
            )),
            "Monitor" => Some((
                "allows running any command",
                "allow only the commands the agent watches, e.g. `Monitor(tail -f *)`",
            )),
            "WebFetch" => Some((
                "allows fetching any URL (no domain restriction)",
                "name the hosts the agent needs, e.g. `WebFetch(domain:docs.rs)`",
            )),
            _ => None,
        },
    }
}

const MCP_REASON: &str =
    "is a glob over MCP server names: it covers every matching server, including servers added later";
const MCP_HELP: &str = "name one server, e.g. `mcp__github__*`, or its tools, e.g. `mcp__github__get_issue` (current CLIs skip allow rules without a literal `mcp__<server>__` prefix with a warning)";

impl Rule for BroadToolGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        for entry in entries(ctx, ToolList::Allowed) {
            let (Some(rule), Some(canonical)) = (entry.rule(), entry.canonical()) else { continue };
            let (reason, help) = match broad_kind(rule, canonical) {
                Some(kind) => kind,
                None if self.extra.iter().any(|e| e == canonical) => (
                    "is listed as a broad grant in this policy (`extra_patterns`)",
                    "replace it with a narrower rule that names what the agent needs",
                ),
                None => continue,
            };
            out.push(
                ctx.finding(
                    &META,
                    ctx.at_value(&entry.path()),
                    format!("`{}` entry `{}` {reason}", ctx.key("allowed_tools"), shown(entry.text)),
                )
                .label("broad grant")
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<&'static str> {
        let rule = super::super::tool_lists::check_rule(text, ToolList::Allowed).expect(text);
        broad_kind(&rule, &canonical(&rule)).map(|(reason, _)| reason)
    }

    #[test]
    fn only_the_listed_kinds_are_broad() {
        for text in [
            "Bash",
            "Bash(*)",
            "Bash(:*)",
            "Bash(**)",
            "PowerShell(*)",
            "Monitor",
            "WebFetch",
            "WebFetch(domain:*)",
            "*",
            "B*",
            "mcp__*",
            "mcp__*__delete_repo",
        ] {
            assert!(kind(text).is_some(), "{text:?}");
        }
        for text in [
            "Edit",
            "Write",
            "MultiEdit",
            "Edit(**)",
            "Bash(sh -c *)",
            "Bash(python:*)",
            "WebFetch(domain:*.com)",
            "Read",
            "mcp__github__*",
            "mcp__github",
        ] {
            assert_eq!(kind(text), None, "{text:?}");
        }
    }

    #[test]
    fn extra_patterns_are_validated_and_canonical() {
        let p = |v: serde_json::Value| parse_params::<Params>(&v).and_then(BroadToolGrant::new);
        let rule = p(serde_json::json!({"extra_patterns": ["Bash(python:*)", "Edit"]})).unwrap();
        assert_eq!(rule.extra, ["Bash(python *)", "Edit"]);
        let err = p(serde_json::json!({"extra_patterns": ["Read", "Bash(x"]})).err().unwrap();
        assert_eq!(err.pointer, "/extra_patterns/1");
        assert_eq!(err.message, "`Bash(x` is not a permission rule: unclosed `(`");
        assert_eq!(p(serde_json::json!({"extra": []})).err().unwrap().pointer, "/extra");
    }

    #[test]
    fn extra_patterns_are_reported_in_canonical_form() {
        let rule = p_rule(serde_json::json!({"extra_patterns": ["Bash(python:*)", "Edit"]}));
        let linter = crate::lint::Linter::new(vec![Box::new(rule)], std::collections::HashMap::new());
        let yaml = "allowed_tools: [Read, \"Bash(python *)\", Edit, Write, \"Bash(*)\"]\n";
        let report = linter.check_bytes("a.yaml", yaml.as_bytes().to_vec());
        let got: Vec<_> = report.findings.iter().map(|f| (f.location.column, f.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    23,
                    "`allowed_tools` entry `Bash(python *)` is listed as a broad grant in this policy (`extra_patterns`)"
                ),
                (41, "`allowed_tools` entry `Edit` is listed as a broad grant in this policy (`extra_patterns`)"),
                (54, "`allowed_tools` entry `Bash(*)` allows every shell command"),
            ]
        );
    }

    fn p_rule(v: serde_json::Value) -> BroadToolGrant {
        parse_params::<Params>(&v).and_then(BroadToolGrant::new).unwrap()
    }
}
