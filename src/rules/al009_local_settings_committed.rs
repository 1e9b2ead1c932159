//! AL009 local-settings-committed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

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
        Ok(Box::<LocalSettingsCommitted>::default())
    },
};

/// Asks git once per repository, not once per file: a scan of many repositories (or of a tree
/// that is no repository at all) would otherwise start a process for every local settings file.
#[derive(Default)]
struct LocalSettingsCommitted {
    /// Repository top (the folder holding `.git`) -> the tracked `settings.local.json` paths
    /// under it, relative to that top; `None` when git could not answer.
    repositories: Mutex<HashMap<PathBuf, Option<Arc<HashSet<PathBuf>>>>>,
    /// Folder -> its repository top ([`repository_top`]), for every folder looked at on the
    /// way up, so a tree of many local settings files probes each folder once.
    tops: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

/// The nearest folder at or above `dir` that holds a `.git` (a folder, or the file a worktree
/// or submodule has): the repository git itself would use for a file in `dir`. Answers found
/// earlier are taken from `tops`, and every folder passed is added to it.
fn repository_top(tops: &Mutex<HashMap<PathBuf, Option<PathBuf>>>, dir: &Path) -> Option<PathBuf> {
    let mut tops = tops.lock().unwrap_or_else(|e| e.into_inner());
    let mut passed = Vec::new();
    let top = 'search: {
        for here in dir.ancestors() {
            if let Some(known) = tops.get(here) {
                break 'search known.clone();
            }
            passed.push(here);
            if here.join(".git").symlink_metadata().is_ok() {
                break 'search Some(here.to_path_buf());
            }
        }
        None
    };
    for here in passed {
        tops.insert(here.to_path_buf(), top.clone());
    }
    top
}

/// The `settings.local.json` files git tracks in the repository at `top`, by one
/// `git ls-files`. Repository configuration is not trusted: the filesystem monitor, which runs
/// a configured command, is switched off.
fn tracked_local_settings(top: &Path) -> Option<HashSet<PathBuf>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["-c", "core.fsmonitor=false", "ls-files", "-z", "--", ":(glob)**/settings.local.json"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let listed = output.stdout.split(|b| *b == 0).filter(|p| !p.is_empty());
    Some(listed.filter_map(|p| std::str::from_utf8(p).ok()).map(PathBuf::from).collect())
}

impl LocalSettingsCommitted {
    /// True when git says the file is tracked; false outside a repository or without git.
    fn tracked_by_git(&self, path: &Path) -> bool {
        let Ok(path) = std::path::absolute(path) else { return false };
        let Some(top) = path.parent().and_then(|dir| repository_top(&self.tops, dir)) else { return false };
        let Ok(relative) = path.strip_prefix(&top) else { return false };
        let tracked = {
            let mut repositories = self.repositories.lock().unwrap_or_else(|e| e.into_inner());
            repositories.entry(top.clone()).or_insert_with(|| tracked_local_settings(&top).map(Arc::new)).clone()
        };
        tracked.is_some_and(|set| set.contains(relative))
    }
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
        if !self.tracked_by_git(Path::new(&config.source.path)) {
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
