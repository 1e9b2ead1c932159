//! AL108 dangerous-commands-not-denied.

use serde::Deserialize;

use super::tool_lists::{ToolList, entries, shown};
use super::{AgentContext, ParamError, Rule, RuleEntry, RuleMeta, parse_params};
use crate::document::{Format, Seg};
use crate::kinds::Kind;
use crate::kinds::Syntax;
use crate::permission::{DenyPattern, RuleList, RuleTool, bash_command_prefix, parse_rule};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL108",
    name: "dangerous-commands-not-denied",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "`Bash` is allowed but `disallowed_tools` does not deny `rm`, `curl`, `wget` and `sudo`",
    docs: r#"## What it checks
That an agent allowed to run any form of `Bash` also denies the dangerous commands in `disallowed_tools`: by default `Bash(rm:*)`, `Bash(curl:*)`, `Bash(wget:*)` and `Bash(sudo:*)`. A deny rule covers a command when it blocks the command with any arguments: `Bash(rm:*)`, `Bash(rm *)`, `Bash(rm*)` and bare `Bash` all cover `rm`; `Bash(rm -rf *)` does not. One finding names every missing deny, at `disallowed_tools` (or at the first `Bash` entry of `allowed_tools` when there is no `disallowed_tools`). The rule is skipped while `disallowed_tools` holds an entry that AL105 rejects.

In a Claude Code settings file the lists are `permissions.allow` and `permissions.deny`; the finding is about the file itself, since deny rules from other layers may add to it (`agentlint check --effective` judges the layers together).

## Why it matters
Allow rules are easy to get wrong: compound commands, wrappers and patterns such as `Bash(git *)` reach further than they look, and modes such as `accept_edits` approve some filesystem commands on their own. Deny rules are checked first and win in every mode, even `bypass_permissions`, so denying the commands that destroy files (`rm`), send data out (`curl`, `wget`) or escalate privileges (`sudo`) is a cheap second line of defence.

## Failing example
```yaml
permission_mode: dont_ask
allowed_tools: ["Bash(cargo test:*)"]
disallowed_tools: ["Bash(rm:*)"]
```

## Passing example
```yaml
permission_mode: dont_ask
allowed_tools: ["Bash(cargo test:*)"]
disallowed_tools: ["Bash(rm:*)", "Bash(curl:*)", "Bash(wget:*)", "Bash(sudo:*)"]
```

## How to fix
Add the missing deny rules to `disallowed_tools`; the help lists them in the file's syntax.

## Parameters
- `required_denies` (list of `Bash` rules, default `["Bash(rm:*)", "Bash(curl:*)", "Bash(wget:*)", "Bash(sudo:*)"]`): the denies every agent that may run `Bash` must have. Each must name a command prefix, e.g. `Bash(git push:*)`.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(DangerousCommandsNotDenied::new(parse_params(p)?)?)) };

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Params {
    required_denies: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            required_denies: ["Bash(rm:*)", "Bash(curl:*)", "Bash(wget:*)", "Bash(sudo:*)"].map(String::from).into(),
        }
    }
}

/// A required deny rule as written in the policy, and the command prefix it must cover.
struct Required {
    rule: String,
    command: String,
}

struct DangerousCommandsNotDenied {
    required: Vec<Required>,
}

impl DangerousCommandsNotDenied {
    fn new(params: Params) -> Result<Self, ParamError> {
        let required = params
            .required_denies
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let error = |message: String| ParamError { pointer: format!("/required_denies/{i}"), message };
                let rule = parse_rule(&text, RuleList::Deny)
                    .map_err(|e| error(format!("`{text}` is not a permission rule: {e}")))?;
                let command = bash_command_prefix(&rule)
                    // Input-parameter rules (`Bash(run_in_background:true)`) come back whole; they name no command.
                    .filter(|c| !(c.contains(':') && rule.specifier.is_some_and(|s| s.trim() == *c)))
                    .ok_or_else(|| {
                        error(format!("`{text}` must be a `Bash` rule that names a command, e.g. `Bash(rm:*)`"))
                    })?
                    .to_owned();
                Ok(Required { rule: text.trim().to_owned(), command })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { required })
    }

    /// The YAML or JSON to add, in the file's syntax; `key` is the deny list's key as the file
    /// spells it (or would, following its `allowed_tools` spelling).
    fn snippet(missing: &[&Required], format: Format, key: &str, list_exists: bool) -> String {
        match format {
            Format::Json => {
                let items = missing.iter().map(|r| json_string(&r.rule)).collect::<Vec<_>>().join(", ");
                if list_exists {
                    format!("add {items} to the `{key}` array")
                } else {
                    format!("add `{}: [{items}]`", json_string(key))
                }
            }
            Format::Yaml => {
                let items: String = missing.iter().map(|r| format!("\n  - {}", yaml_scalar(&r.rule))).collect();
                if list_exists {
                    format!("add these entries to `{key}`:{items}")
                } else {
                    format!("add:\n{key}:{items}")
                }
            }
        }
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `s` as a YAML block-sequence item: plain when that reads back as the same string, else
/// double-quoted (JSON string syntax is valid YAML).
fn yaml_scalar(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !s.ends_with(|c: char| c == ':' || c.is_whitespace())
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(char::is_control);
    if plain { s.to_owned() } else { json_string(s) }
}

impl Rule for DangerousCommandsNotDenied {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let allowed = entries(ctx, ToolList::Allowed);
        let Some(bash) = allowed
            .iter()
            .find(|e| e.rule().is_some_and(|r| matches!(&r.kind, RuleTool::Builtin(info) if info.name == "Bash")))
        else {
            return;
        };
        let denies = entries(ctx, ToolList::Disallowed);
        if denies.iter().any(|e| e.checked.is_err()) {
            return; // AL105 reports the broken deny list first.
        }
        let path = [Seg::Key("disallowed_tools")];
        // A deny list that is not valid (AL004) denies nothing.
        let list_exists = ctx.node(&path).is_some();
        let patterns: Vec<DenyPattern<'_>> = denies.iter().filter_map(|e| e.rule()).map(DenyPattern::of).collect();
        let missing: Vec<&Required> =
            self.required.iter().filter(|req| !patterns.iter().any(|p| p.denies(&req.command))).collect();
        if missing.is_empty() {
            return;
        }
        let names = missing.iter().map(|r| format!("`{}`", r.rule)).collect::<Vec<_>>().join(", ");
        let bash_text = shown(bash.text);
        let (allow_key, key) = (ctx.key("allowed_tools"), ctx.key("disallowed_tools"));
        let (location, message) = if list_exists {
            (ctx.at_value(&path), format!("`{allow_key}` allows `{bash_text}`, but `{key}` does not deny {names}"))
        } else {
            (
                ctx.at_value(&bash.path()),
                format!("`{allow_key}` allows `{bash_text}`, but there is no `{key}` to deny {names}"),
            )
        };
        let help = match (ctx.dialect().syntax, list_exists) {
            (Syntax::Json, false) => {
                let rules: Vec<&str> = missing.iter().map(|r| r.rule.as_str()).collect();
                format!("add `{}`", ctx.set(&path, serde_json::json!(rules)))
            }
            (Syntax::Json, true) => Self::snippet(&missing, Format::Json, &key.to_string(), true),
            (Syntax::Yaml, _) => Self::snippet(&missing, Format::Yaml, &key.to_string(), list_exists),
        };
        out.push(ctx.finding(&META, location, message).label(format!("missing {names}")).help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(v: serde_json::Value) -> Result<DangerousCommandsNotDenied, ParamError> {
        parse_params::<Params>(&v).and_then(DangerousCommandsNotDenied::new)
    }

    #[test]
    fn required_denies_are_validated() {
        let rule = build(serde_json::Value::Null).unwrap();
        let commands: Vec<_> = rule.required.iter().map(|r| r.command.as_str()).collect();
        assert_eq!(commands, ["rm", "curl", "wget", "sudo"]);
        let rule = build(serde_json::json!({"required_denies": ["Bash(git push *)", " Bash(dd) "]})).unwrap();
        let got: Vec<_> = rule.required.iter().map(|r| (r.rule.as_str(), r.command.as_str())).collect();
        assert_eq!(got, [("Bash(git push *)", "git push"), ("Bash(dd)", "dd")]);
        for (bad, message) in [
            ("Bash", "`Bash` must be a `Bash` rule that names a command, e.g. `Bash(rm:*)`"),
            ("Read(./x)", "`Read(./x)` must be a `Bash` rule that names a command, e.g. `Bash(rm:*)`"),
            (
                "Bash(run_in_background:true)",
                "`Bash(run_in_background:true)` must be a `Bash` rule that names a command, e.g. `Bash(rm:*)`",
            ),
            (
                "Bash(run_in_background:*)",
                "`Bash(run_in_background:*)` must be a `Bash` rule that names a command, e.g. `Bash(rm:*)`",
            ),
            ("Bash(rm", "`Bash(rm` is not a permission rule: unclosed `(`"),
        ] {
            let err = build(serde_json::json!({"required_denies": ["Bash(rm:*)", bad]})).err().unwrap();
            assert_eq!((err.pointer.as_str(), err.message.as_str()), ("/required_denies/1", message), "{bad:?}");
        }
    }

    #[test]
    fn snippets_follow_the_file_syntax() {
        let rule = build(serde_json::Value::Null).unwrap();
        let missing: Vec<&Required> = rule.required.iter().skip(2).collect();
        assert_eq!(
            DangerousCommandsNotDenied::snippet(&missing, Format::Yaml, "disallowed_tools", true),
            "add these entries to `disallowed_tools`:\n  - Bash(wget:*)\n  - Bash(sudo:*)"
        );
        assert_eq!(
            DangerousCommandsNotDenied::snippet(&missing, Format::Yaml, "disallowed_tools", false),
            "add:\ndisallowed_tools:\n  - Bash(wget:*)\n  - Bash(sudo:*)"
        );
        assert_eq!(
            DangerousCommandsNotDenied::snippet(&missing, Format::Json, "disallowedTools", false),
            "add `\"disallowedTools\": [\"Bash(wget:*)\", \"Bash(sudo:*)\"]`"
        );
        assert_eq!(
            DangerousCommandsNotDenied::snippet(&missing, Format::Json, "disallowedTools", true),
            "add \"Bash(wget:*)\", \"Bash(sudo:*)\" to the `disallowedTools` array"
        );
    }

    #[test]
    fn yaml_items_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("Bash(rm:*)"), "Bash(rm:*)");
        assert_eq!(yaml_scalar("Bash(git push --force *)"), "Bash(git push --force *)");
        assert_eq!(yaml_scalar("Bash(echo a #b)"), "\"Bash(echo a #b)\"");
        assert_eq!(yaml_scalar("Bash(x: y)"), "\"Bash(x: y)\"");
        assert_eq!(yaml_scalar("*"), "\"*\"");
        assert_eq!(yaml_scalar("Bash(say \"hi\")"), "Bash(say \"hi\")");
    }

    #[test]
    fn custom_required_denies_and_coverage() {
        let rule = build(serde_json::json!({"required_denies": ["Bash(git push:*)", "Bash(rm:*)"]})).unwrap();
        let linter = crate::lint::Linter::new(vec![Box::new(rule)], std::collections::HashMap::new());
        let check = |yaml: &str| {
            let report = linter.check_bytes("a.yaml", yaml.as_bytes().to_vec());
            report.findings.iter().map(|f| f.message.clone()).collect::<Vec<_>>()
        };
        // `Bash(rm*)` covers `rm`; nothing covers `git push`.
        assert_eq!(
            check("allowed_tools: [\"Bash(git status)\"]\ndisallowed_tools: [\"Bash(rm*)\"]\n"),
            ["`allowed_tools` allows `Bash(git status)`, but `disallowed_tools` does not deny `Bash(git push:*)`"]
        );
        // A bare `Bash` deny covers everything.
        assert!(check("allowed_tools: [\"Bash(git status)\"]\ndisallowed_tools: [Bash]\n").is_empty());
        // No Bash allowed: nothing to check. A rejected Bash entry does not count either.
        assert!(check("allowed_tools: [Read, \"Bash(git status\"]\n").is_empty());
        // A broken deny list is left to AL105.
        assert!(check("allowed_tools: [Bash]\ndisallowed_tools: [\"Bash(rm:*\"]\n").is_empty());
    }
}
