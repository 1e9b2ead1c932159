//! AL604 resume-not-uuid.

use super::al603_session_id_not_uuid::is_uuid;
use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL604",
    name: "resume-not-uuid",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`resume` is not a session ID (a UUID), a `.jsonl` transcript or a URL, which print mode refuses",
    docs: r#"## What it checks
That `resume` names the session to resume the way print mode accepts it: a session ID (a UUID such as `0b7e5a8c-3d41-4f6e-9a2b-5c8d7e6f1a20`), the path of a `.jsonl` transcript, or a URL (`scheme:…`).

## Why it matters
`agentlint args` always launches in print mode (`--print`), and there CLI 2.1.76 refuses anything else: "--resume requires a valid session ID when used with --print". CLI 2.1.332 also looks the value up as a session title, which works only if a session of that title happens to be stored on the machine that runs the agent; nothing in the config can promise that, and the deployment should not depend on it.

## Failing example
```yaml
resume: nightly-review
```

## Passing example
```yaml
resume: 0b7e5a8c-3d41-4f6e-9a2b-5c8d7e6f1a20
```

## How to fix
Use the session ID that the earlier run reported (its `session_id`), or set a known `session_id` on the run that creates the session and resume that.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(ResumeNotUuid))
    },
};

struct ResumeNotUuid;

/// A value print mode resumes: a UUID, a `.jsonl` transcript path, or a URL (anything the CLI's
/// URL parser accepts starts with a scheme and a colon).
fn resumable(value: &str) -> bool {
    let url = value.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    });
    is_uuid(value) || value.to_ascii_lowercase().ends_with(".jsonl") || url
}

impl Rule for ResumeNotUuid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some(id) = &ctx.options().resume else { return };
        if resumable(id) {
            return;
        }
        let key = ctx.key("resume");
        out.push(
            ctx.finding(
                &META,
                ctx.at_value(&[Seg::Key("resume")]),
                format!(
                    "`{key}` is `{}`, not a session ID: print mode refuses it (CLI 2.1.76), or looks for a stored session of that title (2.1.332)",
                    shown(id)
                ),
            )
            .label("not a UUID")
            .help("resume by the session ID (a UUID) the earlier run reported, or give that run a known `session_id`"),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn resumable_values() {
        assert!(super::resumable("0b7e5a8c-3d41-4f6e-9a2b-5c8d7e6f1a20"));
        assert!(super::resumable("/srv/sessions/run.JSONL"));
        assert!(super::resumable("https://example.test/session/1"));
        assert!(!super::resumable("nightly-review"));
        assert!(!super::resumable("1:2"));
    }
}
