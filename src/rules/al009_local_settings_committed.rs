//! AL009 local-settings-committed.

use std::path::Path;
use std::process::{Command, Stdio};

use super::{FileContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::kinds::{Kind, Scope};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL009",
    name: "local-settings-committed",
    severity: Severity::Warning,
    kinds: &[Kind::Settings],
    summary: "`.claude/settings.local.json` is tracked by git, although it holds one person's settings",
    docs: r#"## What it checks
Whether a `.claude/settings.local.json` is tracked by git, by asking git itself (`git ls-files`). Outside a git repository, or where git is not installed, the rule says nothing.

## Why it matters
Local settings are personal: the permissions one developer granted themselves, their environment, often a token pasted in to get something working. Claude Code keeps the file out of git for that reason. Once it is committed, every clone runs with that person's grants at local precedence, above the project settings the team reviews, and whatever secret it held is in the history.

## Failing example
```sh
git add .claude/settings.local.json
```

## Passing example
```sh
git rm --cached .claude/settings.local.json
echo '.claude/settings.local.json' >> .gitignore
```

## How to fix
Untrack the file (`git rm --cached .claude/settings.local.json`), add it to `.gitignore`, and move any setting the whole team needs into `.claude/settings.json`. Revoke any credential the file held.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(LocalSettingsCommitted))
    },
};

struct LocalSettingsCommitted;

/// True when git says the file is tracked. Repository configuration is not trusted: the
/// filesystem monitor, which runs a configured command, is switched off.
fn tracked_by_git(path: &Path) -> bool {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return false };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.fsmonitor=false", "ls-files", "--error-unmatch", "--"])
        .arg(name)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Rule for LocalSettingsCommitted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, ctx: &FileContext<'_>, out: &mut Vec<Finding>) {
        let config = ctx.config;
        if config.kind.scope != Some(Scope::Local) || !config.source.path.ends_with("settings.local.json") {
            return;
        }
        if !tracked_by_git(Path::new(&config.source.path)) {
            return;
        }
        let anchor = config.root.as_map().and_then(|e| e.first()).map_or(config.root.span, |e| e.key.span);
        out.push(
            Finding::new(&META, ctx.locate(anchor), "this personal settings file is tracked by git, so every clone runs with its grants")
                .label("committed")
                .help("untrack it with `git rm --cached .claude/settings.local.json`, add it to `.gitignore`, and move settings the team shares into `.claude/settings.json`"),
        );
    }
}
