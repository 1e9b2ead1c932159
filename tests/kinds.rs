//! File kinds through the real binary: Claude Code files found and read by their names,
//! `--kind` and `kinds:` overriding the name, scopes, Markdown frontmatter, and the checks
//! that need git (AL009).

mod common;

use std::path::Path;
use std::process::Command;

use common::{agentlint, agentlint_in, agentlint_stdin};

/// The repository of the file-kinds issue: each problem at its file and line, in both formats.
#[test]
fn claude_code_files_are_checked_by_kind() {
    let human = agentlint(&["check", "--color", "never", "fixtures/claude/unsafe"]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("unsafe-human", human.to_string());
    let json = agentlint(&["check", "--format", "json", "fixtures/claude/unsafe"]);
    insta::assert_snapshot!("unsafe-json", json.stdout);
}

/// The hardened example repository: settings, MCP servers, a subagent, a command and a skill.
#[test]
fn hardened_claude_code_files_pass() {
    let run = agentlint(&["check", "--color", "never", "fixtures/claude/hardened"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "no problems in 5 files\n"), "{run}");
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const BYPASS: &str = "{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}\n";

/// `--kind` reads standard input (or a file of another name) as the kind given; the scope can
/// be given too, and is shown in messages and JSON.
#[test]
fn kind_option_overrides_the_name() {
    let stdin =
        agentlint_stdin(&["check", "--format", "json", "--kind", "settings:user", "-"], Some(BYPASS.as_bytes()));
    let report: serde_json::Value = serde_json::from_str(&stdin.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(
        (finding["rule"].as_str(), finding["kind"].as_str(), finding["scope"].as_str()),
        (Some("AL101"), Some("settings"), Some("user"))
    );
    assert_eq!(
        finding["message"],
        "user settings: `permissions.defaultMode` is `bypassPermissions`: every tool call is approved without a check"
    );
    // Without `--kind`, a file named `settings.json` outside `.claude/` is a deployment config.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "settings.json", BYPASS);
    let as_named = agentlint_in(dir.path(), &["check", "--format", "json", "settings.json"]);
    assert!(as_named.stdout.contains("\"kind\": \"deployment\""), "{as_named}");
    let as_settings = agentlint_in(dir.path(), &["check", "--format", "json", "--kind", "settings", "settings.json"]);
    assert!(as_settings.stdout.contains("\"scope\": \"project\""), "{as_settings}");
    let bad = agentlint(&["check", "--kind", "setings", "-"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("unknown kind `setings`") && bad.stderr.contains("did you mean `settings`?"), "{bad}");
}

/// `kinds:` in `.agentlint.yaml` gives files a kind in a directory check and when named.
#[test]
fn project_kinds_override_detection() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".agentlint.yaml", "kinds:\n  \"config/claude/*.json\": settings:managed\n");
    write(dir.path(), "config/claude/base.json", "{\"permissions\": {\"defaultMode\": \"dontAsk\"}}\n");
    for args in [&["check", "--format", "json", "."][..], &["check", "--format", "json", "config/claude/base.json"][..]]
    {
        let run = agentlint_in(dir.path(), args);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let rules: Vec<(&str, &str)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].as_str().unwrap(), f["scope"].as_str().unwrap()))
            .collect();
        // A managed file that leaves bypass mode available.
        assert_eq!(rules, [("AL102", "managed")], "{args:?}: {run}");
    }
    write(dir.path(), ".agentlint.yaml", "kinds:\n  \"config/*.json\": setting\n");
    let bad = agentlint_in(dir.path(), &["check", "."]);
    assert_eq!(bad.code, 2, "{bad}");
    assert!(bad.stdout.contains("unknown kind `setting`"), "{bad}");
}

/// Settings files that Claude Code cannot read at all: comments, and a value of the wrong type.
#[test]
fn unreadable_settings_say_what_claude_code_does() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a/.claude/settings.json",
        "{\n  // allow tests\n  \"permissions\": {\"allow\": [\"Bash(cargo test:*)\"]}\n}\n",
    );
    write(
        dir.path(),
        "b/.claude/settings.json",
        "{\"sandbox\": {\"enabled\": \"true\"}, \"permissions\": {\"deny\": [\"Bash(rm:*)\"]}}\n",
    );
    let run = agentlint_in(dir.path(), &["check", "--color", "never", "."]);
    insta::assert_snapshot!("unreadable-settings", run.to_string());
}

/// Markdown kinds: frontmatter spans are the `.md` file's lines; a frontmatter that does not
/// parse or is never closed is reported where it is.
#[test]
fn frontmatter_problems_are_located_in_the_markdown_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".claude/agents/fixer.md",
        "---\nname: fixer\ndescription: Fixes tests\ntools: Read, Edit\npermissionMode: bypassPermissions\nmaxTurns: many\n---\n# Fixer\n",
    );
    write(dir.path(), ".claude/agents/broken.md", "---\nname: broken\ndescription: [unclosed\n---\nbody\n");
    write(dir.path(), ".claude/commands/open.md", "---\ndescription: never closed\nallowed-tools: Bash\n");
    write(dir.path(), ".claude/agents/nameless.md", "---\ndescription: no name\n---\n");
    let run = agentlint_in(dir.path(), &["check", "--color", "never", "."]);
    insta::assert_snapshot!("frontmatter", run.to_string());
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@agentlint.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@agentlint.invalid")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// AL009 asks git: a tracked `.claude/settings.local.json` is reported, an untracked one and
/// one outside a repository are not.
#[test]
fn local_settings_tracked_by_git_are_reported() {
    let local = "{\"permissions\": {\"allow\": [\"Read\"]}}\n";
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), ".claude/settings.local.json", local);
    let run = agentlint_in(outside.path(), &["check", "--format", "json", "."]);
    assert!(!run.stdout.contains("AL009"), "outside a repository: {run}");

    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q", "."]);
    write(repo.path(), ".claude/settings.local.json", local);
    let untracked = agentlint_in(repo.path(), &["check", "--format", "json", "."]);
    assert!(!untracked.stdout.contains("AL009"), "untracked: {untracked}");
    git(repo.path(), &["add", ".claude/settings.local.json"]);
    git(repo.path(), &["commit", "-q", "-m", "oops"]);
    let tracked = agentlint_in(repo.path(), &["check", "--color", "never", "."]);
    insta::assert_snapshot!("local-settings-tracked", tracked.to_string());

    // git is asked once per repository: in one run, a tracked file deeper in the tree is
    // reported, an untracked one beside it is not, and a nested repository answers for its own
    // files (its tracked file is reported, the outer repository does not know it).
    write(repo.path(), "api/.claude/settings.local.json", local);
    write(repo.path(), "web/.claude/settings.local.json", local);
    git(repo.path(), &["add", "api/.claude/settings.local.json"]);
    let nested = repo.path().join("vendor/tool");
    std::fs::create_dir_all(&nested).unwrap();
    git(&nested, &["init", "-q", "."]);
    write(&nested, ".claude/settings.local.json", local);
    write(&nested, "docs/.claude/settings.local.json", local);
    git(&nested, &["add", ".claude/settings.local.json"]);
    let run = agentlint_in(repo.path(), &["check", "--format", "json", "--select", "AL009", "."]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let mut reported: Vec<&str> =
        json["findings"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    reported.sort_unstable();
    assert_eq!(
        reported,
        [".claude/settings.local.json", "api/.claude/settings.local.json", "vendor/tool/.claude/settings.local.json"],
        "{run}"
    );
}
