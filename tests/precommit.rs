//! The pre-commit hook (`.pre-commit-hooks.yaml`).
//!
//! - The manifest's `files` regex (less `exclude`) selects exactly the files a directory scan
//!   checks, plus the source files a scan reads and skips because they do not name the SDK.
//! - With the real `pre-commit` (path in `AGENTLINT_PRE_COMMIT`; `.ci/run` installs it into a
//!   virtualenv; ignored outside CI, failing when it is missing under CI), the manifest validates, and in a scratch git repository a commit of a
//!   failing config is blocked with agentlint's findings shown, then passes once fixed.
//!   That repository uses a `repo: local` hook running the binary built for these tests
//!   with the manifest's `files`, so no second (release) build of agentlint is needed.
//! - `try_repo_builds_and_runs_the_published_hook` (ignored: `cargo install` of this crate
//!   takes minutes) goes through `language: rust` as users do. Run it with
//!   `cargo test --test precommit -- --ignored`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn manifest() -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(common::root()).join(".pre-commit-hooks.yaml")).unwrap();
    yaml_serde::from_str(&text).expect(".pre-commit-hooks.yaml is YAML")
}

/// A hook of the manifest by id.
fn hook_by_id(id: &str) -> serde_json::Value {
    let hooks = manifest();
    let hooks = hooks.as_array().expect("the manifest is a list of hooks");
    assert_eq!(hooks.len(), 2, "the manifest declares `agentlint` and `agentlint-claude-code`");
    hooks.iter().find(|h| h["id"] == id).unwrap_or_else(|| panic!("no hook `{id}`")).clone()
}

/// The main hook: every kind of file.
fn hook() -> serde_json::Value {
    hook_by_id("agentlint")
}

/// The `pre-commit` executable; fails the test when the environment does not provide one.
fn pre_commit() -> PathBuf {
    common::external_tool("AGENTLINT_PRE_COMMIT", "the pre-commit executable")
}

#[test]
fn manifest_declares_the_agentlint_hook() {
    let hook = hook();
    assert_eq!(hook["id"], "agentlint");
    assert_eq!(hook["entry"], "agentlint check");
    assert_eq!(hook["language"], "rust");
    assert!(hook.get("pass_filenames").is_none(), "agentlint needs the file names");
}

/// Paths that exercise each default pattern and the near misses around them.
const PATHS: &[&str] = &[
    "agentlint.yaml",
    "agentlint.yml",
    "agentlint.json",
    "agentlint.toml",
    ".agentlint.yaml",
    "my-agentlint.yaml",
    "sub/dir/agentlint.json",
    "review.agent.yaml",
    "deploy/ci.agent.yml",
    "deploy/ci.agent.json",
    ".agent.yaml",
    "ci.agents.yaml",
    "ci.agent.yaml.bak",
    "agents/ci.yaml",
    "agents/nightly/triage.yml",
    "agents/x/y/z.json",
    "agents/.hidden.yaml",
    "agents/README.md",
    "services/agents/a.yaml",
    "myagents/a.yaml",
    "agents-old/a.yaml",
    ".github/workflows/ci.yml",
    ".github/agents/a.yaml",
    "docker-compose.yml",
    "config.yaml",
    ".claude/settings.json",
    ".claude/settings.local.json",
    "backend/.claude/settings.json",
    "dot_claude/settings.json",
    "settings.json",
    ".claude/settings.json.bak",
    "claude/settings.json",
    "managed-settings.json",
    "etc/claude-code/managed-settings.d/10-base.json",
    ".mcp.json",
    "backend/.mcp.json",
    "mcp.json",
    "managed-mcp.json",
    ".claude/agents/reviewer.md",
    ".claude/agents/team/fixer.md",
    ".claude/commands/deploy.md",
    ".claude/notes.md",
    ".claude/skills/pdf/SKILL.md",
    "plugins/x/skills/pdf/SKILL.md",
    "skills/README.md",
    "app/agent.py",
    "lib/my_app/agent.ex",
    "config/runtime.exs",
    "web/src/review.ts",
    "web/src/types/sdk.d.ts",
    "scripts/ci.sh",
    "Makefile",
    "docker/Dockerfile",
    "package.json",
    "README.md",
];

/// The Claude Code files among `PATHS`.
const CLAUDE_CODE: usize = 14;

#[test]
fn manifest_files_regex_matches_what_a_directory_scan_checks() {
    let files = hook()["files"].as_str().expect("the hook sets `files`").to_owned();
    // pre-commit uses Python's `re.search`; this regex uses only syntax both engines share.
    let regex = regex::Regex::new(&files).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for path in PATHS {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, "permission_mode: plan\n").unwrap();
    }
    let scanned: Vec<String> = agentlint::discover::discover(dir.path(), &[], &[])
        .unwrap()
        .iter()
        .map(|p| p.strip_prefix(dir.path()).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    let exclude = regex::Regex::new(hook()["exclude"].as_str().expect("the hook sets `exclude`")).unwrap();
    let selected = |p: &str| regex.is_match(p) && !exclude.is_match(p);
    let extracted = |p: &str| agentlint::kinds::detect(p).is_some_and(|k| k.kind.is_extracted());
    // The files here name no SDK: a scan reads the source files among them and skips them.
    let mut by_regex: Vec<String> =
        PATHS.iter().filter(|p| selected(p) && !extracted(p)).map(|p| p.to_string()).collect();
    by_regex.sort_by(|a, b| Path::new(a).cmp(Path::new(b)));
    assert_eq!(by_regex, scanned);
    let source: Vec<&str> = PATHS.iter().copied().filter(|p| selected(p) && extracted(p)).collect();
    let all_source: Vec<&str> = PATHS.iter().copied().filter(|p| extracted(p)).collect();
    assert_eq!(source, all_source, "the hook hands over every file of an extracted kind");
    assert_eq!(source.len(), 9, "{source:#?}");
    assert_eq!(scanned.len(), 14 + CLAUDE_CODE, "{scanned:#?}");
    // The Claude Code hook takes exactly Claude Code's own files (not deployments, not source).
    let claude = regex::Regex::new(hook_by_id("agentlint-claude-code")["files"].as_str().unwrap()).unwrap();
    let expected: Vec<&str> = PATHS
        .iter()
        .copied()
        .filter(|p| {
            agentlint::kinds::detect(p)
                .is_some_and(|k| k.kind != agentlint::kinds::Kind::Deployment && !k.kind.is_extracted())
        })
        .collect();
    let matched: Vec<&str> = PATHS.iter().copied().filter(|p| claude.is_match(p)).collect();
    assert_eq!(matched, expected);
    assert_eq!(matched.len(), CLAUDE_CODE);
}

#[test]
#[cfg_attr(not(ci), ignore = "needs pre-commit in AGENTLINT_PRE_COMMIT; runs under CI=true (.ci/run)")]
fn manifest_is_valid_for_pre_commit() {
    let pre_commit = pre_commit();
    let out = Command::new(&pre_commit)
        .args(["validate-manifest", ".pre-commit-hooks.yaml"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
}

/// A scratch git repository isolated from the user's git configuration and pre-commit cache.
struct Repo {
    dir: tempfile::TempDir,
    /// Holds the empty global git config and the pre-commit cache, outside the work tree.
    home: tempfile::TempDir,
}

impl Repo {
    fn new() -> Self {
        let repo = Repo { dir: tempfile::tempdir().unwrap(), home: tempfile::tempdir().unwrap() };
        std::fs::write(repo.home.path().join(".gitconfig"), "").unwrap();
        repo.git(&["init", "-q", "-b", "main", "."]);
        repo.git(&["config", "user.name", "agentlint tests"]);
        repo.git(&["config", "user.email", "tests@agentlint.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn command(&self, program: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", self.home.path().join(".gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("PRE_COMMIT_HOME", self.home.path().join("pre-commit"))
            .env("NO_COLOR", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE");
        cmd
    }

    fn git(&self, args: &[&str]) -> Output {
        let out = self.command(Path::new("git")).args(args).output().expect("git runs");
        // A commit may be refused by the hook; callers check it.
        if args[0] != "commit" {
            assert!(out.status.success(), "git {args:?}: {}", text(&out));
        }
        out
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn failing_config() -> String {
    std::fs::read_to_string(Path::new(common::root()).join("fixtures/tree/agents/ci.yaml")).unwrap()
}

#[test]
#[cfg_attr(not(ci), ignore = "needs pre-commit in AGENTLINT_PRE_COMMIT; runs under CI=true (.ci/run)")]
fn commit_of_a_failing_config_is_blocked_until_it_is_fixed() {
    let pre_commit = pre_commit();
    let repo = Repo::new();
    let hook = hook();
    // The manifest's hook, run from the binary under test instead of a `cargo install`ed one.
    let config = serde_json::json!({
        "repos": [{
            "repo": "local",
            "hooks": [{
                "id": hook["id"],
                "name": hook["name"],
                "entry": format!("'{}' check", env!("CARGO_BIN_EXE_agentlint").replace('\'', "'\\''")),
                "language": "system",
                "files": hook["files"],
            }]
        }]
    });
    // JSON is YAML, and needs no quoting rules for the regex.
    repo.write(".pre-commit-config.yaml", &serde_json::to_string_pretty(&config).unwrap());
    let install = repo.command(&pre_commit).arg("install").output().unwrap();
    assert!(install.status.success(), "{}", text(&install));

    // Unrelated YAML alone: the hook has no files to check.
    repo.write("docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n");
    repo.git(&["add", "-A"]);
    let out = repo.git(&["commit", "-q", "-m", "compose"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("(no files to check)"), "{}", text(&out));

    repo.write("agents/ci.yaml", &failing_config());
    repo.git(&["add", "-A"]);
    let blocked = repo.git(&["commit", "-q", "-m", "add the CI agent"]);
    let shown = text(&blocked);
    assert!(!blocked.status.success(), "the commit must be blocked:\n{shown}");
    for expected in [
        "agentlint",
        "Failed",
        "AL101(permission-mode-not-restrictive)",
        "`permission_mode` is `bypass_permissions`",
        "agents/ci.yaml:2:18",
        "1 error in 1 file",
    ] {
        assert!(shown.contains(expected), "missing {expected:?} in:\n{shown}");
    }
    let head = repo.git(&["log", "--format=%s"]);
    assert_eq!(String::from_utf8_lossy(&head.stdout), "compose\n", "nothing was committed");

    repo.write("agents/ci.yaml", &failing_config().replace("bypass_permissions", "dont_ask"));
    repo.git(&["add", "-A"]);
    let passed = repo.git(&["commit", "-q", "-m", "add the CI agent"]);
    assert!(passed.status.success(), "the fixed config must commit:\n{}", text(&passed));
    assert!(text(&passed).contains("Passed"), "{}", text(&passed));
    let head = repo.git(&["log", "--format=%s"]);
    assert_eq!(String::from_utf8_lossy(&head.stdout), "add the CI agent\ncompose\n");
}

/// The repository the file-kinds issue describes: a project settings file with bypass mode and
/// broad grants, a sub-project's settings with a literal key, and an `.mcp.json` with a token.
/// The hook blocks the commit and names each problem at its file and line.
#[test]
#[cfg_attr(not(ci), ignore = "needs pre-commit in AGENTLINT_PRE_COMMIT; runs under CI=true (.ci/run)")]
fn commit_of_claude_code_files_is_blocked() {
    let pre_commit = pre_commit();
    let repo = Repo::new();
    let hook = hook();
    let config = serde_json::json!({
        "repos": [{
            "repo": "local",
            "hooks": [{
                "id": hook["id"],
                "name": hook["name"],
                "entry": format!("'{}' check", env!("CARGO_BIN_EXE_agentlint").replace('\'', "'\\''")),
                "language": "system",
                "files": hook["files"],
            }]
        }]
    });
    repo.write(".pre-commit-config.yaml", &serde_json::to_string_pretty(&config).unwrap());
    let install = repo.command(&pre_commit).arg("install").output().unwrap();
    assert!(install.status.success(), "{}", text(&install));
    let fixture = Path::new(common::root()).join("fixtures/claude/unsafe");
    for file in [".claude/settings.json", "backend/.claude/settings.json", ".mcp.json"] {
        repo.write(file, &std::fs::read_to_string(fixture.join(file)).unwrap());
    }
    repo.git(&["add", "-A"]);
    let blocked = repo.git(&["commit", "-q", "-m", "claude code settings"]);
    let shown = text(&blocked);
    assert!(!blocked.status.success(), "the commit must be blocked:\n{shown}");
    for expected in [
        "`permissions.defaultMode` is `bypassPermissions`",
        ".claude/settings.json:3:20",
        "`permissions.allow` entry `Bash` allows every shell command",
        "backend/.claude/settings.json:3:26",
        ".mcp.json:",
        "JSON Web Token",
    ] {
        assert!(shown.contains(expected), "missing {expected:?} in:\n{shown}");
    }
    let commits = repo.git(&["rev-list", "--all", "--count"]);
    assert_eq!(String::from_utf8_lossy(&commits.stdout), "0\n", "nothing was committed");
}

/// Copies this crate's working tree (tracked and untracked files, not ignored ones), so
/// uncommitted work is what gets installed.
fn copy_working_tree(into: &Path) {
    let root = Path::new(common::root());
    let listed = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(listed.status.success(), "this test needs a git checkout: {}", text(&listed));
    for file in listed.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let rel = String::from_utf8_lossy(file).into_owned();
        let from = root.join(&rel);
        if from.is_file() {
            let to = into.join(&rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        }
    }
}

#[test]
#[ignore = "builds agentlint with `cargo install` through pre-commit's rust language (minutes)"]
fn try_repo_builds_and_runs_the_published_hook() {
    let pre_commit = pre_commit();
    let hooks = Repo::new();
    copy_working_tree(hooks.path());
    hooks.git(&["add", "-A"]);
    let out = hooks.git(&["commit", "-q", "-m", "snapshot"]);
    assert!(out.status.success(), "{}", text(&out));

    let user = Repo::new();
    user.write("agents/ci.yaml", &failing_config());
    user.write("docker-compose.yml", "services:\n  web:\n    image: nginx:1.27\n");
    user.git(&["add", "-A"]);
    let out = user
        .command(&pre_commit)
        .arg("try-repo")
        .arg(hooks.path())
        .args(["agentlint", "--all-files"])
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(!out.status.success(), "the hook must fail:\n{shown}");
    for expected in ["AL101(permission-mode-not-restrictive)", "agents/ci.yaml:2:18", "1 error in 1 file"] {
        assert!(shown.contains(expected), "missing {expected:?} in:\n{shown}");
    }
}
