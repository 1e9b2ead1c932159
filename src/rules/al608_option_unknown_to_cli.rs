//! AL608 option-unknown-to-cli.

use serde::Deserialize;

use super::tool_lists::shown;
use super::{AgentContext, ParamError, Rule, RuleEntry, RuleMeta, parse_params};
use crate::document::{Node, Seg};
use crate::kinds::Kind;
use crate::launch::extra::{self, quoted_list};
use crate::launch::flags::{self, BASELINE, CliVersion, OLDEST_SUPPORTED};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL608",
    name: "option-unknown-to-cli",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "An option value or `extra_args` flag that the target CLI release does not have",
    docs: r#"## What it checks
That the target `claude` release (the parameter `cli_version`, default 2.1.332, the baseline agentlint is tested with) accepts everything the config asks for: values that came with later releases (`permission_mode: manual` needs 2.1.200, `effort: xhigh` a release after 2.1.76), and `extra_args` flags that release lacks, because they came later (`restricted`, `bare`, `permission-prompts`) or were removed (`mcp-debug`, gone by 2.1.332). A flag whose exact first release is not known counts as missing before the first release it was verified in.

## Why it matters
The CLI stops at start on a value or flag it does not know ("argument 'xhigh' is invalid", "unknown option"). A fleet pinned to an older release needs to hear that from `agentlint check`, not from a failed run. `agentlint args --cli-version X.Y.Z` refuses the same things when it encodes for that release.

## Failing example
```yaml
# with the policy parameter cli_version: 2.1.76
effort: xhigh
```

## Passing example
```yaml
# with the policy parameter cli_version: 2.1.76
effort: max
```

## How to fix
Use a value or flag the release has (the message lists them), or upgrade the CLI and set `cli_version` to the release you run.

## Parameters
- `cli_version` (`X.Y.Z`, default `2.1.332`, at least `2.1.76`): the release the agents run on.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(OptionUnknownToCli::new(parse_params(p)?)?)) };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    cli_version: String,
}

impl Default for Params {
    fn default() -> Self {
        Self { cli_version: BASELINE.to_string() }
    }
}

struct OptionUnknownToCli {
    version: CliVersion,
}

impl OptionUnknownToCli {
    fn new(params: Params) -> Result<Self, ParamError> {
        let error = |message: String| ParamError { pointer: "/cli_version".into(), message };
        let version: CliVersion = params.cli_version.parse().map_err(error)?;
        if version < OLDEST_SUPPORTED {
            return Err(error(format!("agentlint supports CLI {OLDEST_SUPPORTED} and later")));
        }
        Ok(Self { version })
    }

    /// A typed option whose value is one of a flag's later choices.
    fn choice(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>, option: &'static str, flag: &str, value: &str) {
        let Some(f) = flags::find_long(flag) else { return };
        let Some(choice) = f.choice(value) else { return };
        let accepted = f.choices_in(self.version);
        if accepted.contains(&value) {
            return;
        }
        let key = ctx.key(option);
        out.push(
            ctx.finding(
                &META,
                ctx.at_value(&[Seg::Key(option)]),
                format!(
                    "`{key}: {value}` is not accepted by CLI {} (`--{flag}` takes {}); `{value}` came with {}",
                    self.version,
                    quoted_list(&accepted),
                    choice.since.describe()
                ),
            )
            .label(format!("not in CLI {}", self.version))
            .help(format!(
                "use one of {}, or run a newer CLI and raise the policy's `cli_version`",
                quoted_list(&accepted)
            )),
        );
    }
}

impl Rule for OptionUnknownToCli {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let o = ctx.options();
        if let Some(mode) = o.permission_mode {
            self.choice(ctx, out, "permission_mode", "permission-mode", mode.cli_name());
        }
        if let Some(effort) = o.effort {
            self.choice(ctx, out, "effort", "effort", effort.as_str());
        }
        let Some(extra) = &o.extra_args else { return };
        let Some(entries) = ctx.node(&[Seg::Key("extra_args")]).and_then(Node::as_map) else { return };
        for entry in entries {
            let key = entry.key.text.as_str();
            let Some(value) = extra.get(key) else { continue };
            let Err(issue) = extra::check(key, value.as_ref(), self.version) else { continue };
            if !issue.is_version_issue() {
                continue;
            }
            let location = match issue {
                extra::ExtraArgIssue::ChoiceNotInVersion { .. } => ctx.locate(entry.value.span),
                _ => ctx.locate(entry.key.span),
            };
            out.push(
                ctx.finding(&META, location, issue.message(&shown(key)))
                    .label(format!("not in CLI {}", self.version))
                    .help("delete the entry, or run a release that has it and set the policy's `cli_version` to it"),
            );
        }
    }
}
