//! The effective session through the real binary: `agentlint effective`, `agentlint check
//! --effective`, `agentlint can`, and policy packs' `tests:`.
//!
//! `fixtures/effective/` holds a repository with user, project, local and managed settings and a
//! deployment config of two agents (`repo/`, `home/`, `managed/`), and a deployment config with
//! rules in every matching form for `can` (`can/`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::Run;

/// Runs `agentlint ARGS` in the repository root with a fixed home directory, so `~/` rules and
/// calls expand the same way on every machine.
fn run(args: &[&str]) -> Run {
    run_in(Path::new(common::root()), args, "/home/tester")
}

fn run_in(dir: &Path, args: &[&str], home: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_agentlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLAUDE_CONFIG_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const REPO: &str = "fixtures/effective/repo/agentlint.yaml";
const USER: &str = "fixtures/effective/home/.claude/settings.json";
const MANAGED: &str = "fixtures/effective/managed/managed-settings.json";

fn layers(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec!["--user-settings", USER, "--managed-settings", MANAGED];
    args.extend_from_slice(extra);
    args
}

#[test]
fn effective_human() {
    for agent in ["ci", "reviewer"] {
        let mut args = vec!["effective", REPO, "--agent", agent];
        args.extend(layers(&[]));
        let out = run(&args);
        assert_eq!(out.code, 0, "{out}");
        insta::assert_snapshot!(format!("effective-{agent}-human"), out.to_string());
    }
}

#[test]
fn effective_json() {
    let mut args = vec!["effective", REPO, "--agent", "ci", "--format", "json"];
    args.extend(layers(&[]));
    let out = run(&args);
    assert_eq!(out.code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    // Env values never leave the file.
    for value in v["values"].as_array().unwrap() {
        if value["option"].as_str().unwrap().starts_with("env.") {
            assert!(value["value"].is_null(), "{value}");
        }
    }
    assert!(!out.stdout.contains("registry.example.com"), "an env value was shown");
    insta::assert_snapshot!("effective-ci-json", out.stdout);
}

#[test]
fn effective_trusted_applies_project_allow_rules() {
    let mut args = vec!["effective", REPO, "--agent", "ci", "--trusted", "--format", "json"];
    args.extend(layers(&[]));
    let v: serde_json::Value = serde_json::from_str(&run(&args).stdout).unwrap();
    assert_eq!(v["session"]["trusted"], true);
    let bash = v["values"].as_array().unwrap().iter().find(|x| x["value"] == "Bash(*)").unwrap();
    assert_eq!(bash["status"], "needs-trust");
    assert_eq!(bash["source"]["origin"], "project");
    assert_eq!((bash["source"]["line"].as_u64(), bash["source"]["column"].as_u64()), (Some(3), Some(15)));
}

#[test]
fn effective_of_a_directory_is_plain_claude() {
    let out = run(&["effective", "fixtures/effective/repo", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let origins: Vec<&str> = v["layers"].as_array().unwrap().iter().map(|l| l["origin"].as_str().unwrap()).collect();
    assert_eq!(origins, ["local", "project", "project"]);
    // No user or managed settings unless given.
    let skipped: Vec<&str> = v["skipped"].as_array().unwrap().iter().map(|s| s["origin"].as_str().unwrap()).collect();
    assert_eq!(skipped, ["managed", "user"]);
    assert_eq!(v["permission_mode"]["value"], "acceptEdits");
}

#[test]
fn the_machine_settings_are_never_read_unless_given() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".claude")).unwrap();
    std::fs::write(
        home.path().join(".claude/settings.json"),
        r#"{"permissions": {"deny": ["Bash(cargo test:*)"], "defaultMode": "plan"}}"#,
    )
    .unwrap();
    let out = run_in(
        Path::new(common::root()),
        &["can", "Bash(cargo test)", REPO, "--agent", "ci", "--format", "json"],
        &home.path().to_string_lossy(),
    );
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["decision"], "allow", "{out}");
    assert_eq!(out.code, 0);
}

#[test]
fn several_agents_need_one_chosen() {
    let out = run(&["effective", REPO]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "agentlint: error: `fixtures/effective/repo/agentlint.yaml` has several agents; choose one with --agent (ci, reviewer)\n"
    );
    let out = run(&["effective", REPO, "--agent", "revewer"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `reviewer`?"), "{out}");
}

#[test]
fn check_effective_human() {
    let mut args = vec!["check", "--color", "never", "--effective", REPO];
    args.extend(layers(&[]));
    let out = run(&args);
    assert_eq!(out.code, 1, "{out}");
    insta::assert_snapshot!("check-effective-human", out.to_string());
}

/// `(rule, file, line, column)` of every finding, and the related locations in other files.
fn places(json: &str) -> Vec<(String, String, u64, u64, Vec<String>)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON output parses");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let related = f["related"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["file"] != f["file"])
                .map(|r| format!("{}:{}:{}", r["file"].as_str().unwrap(), r["line"], r["column"]))
                .collect();
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                related,
            )
        })
        .collect()
}

#[test]
fn check_effective_json_reports_merged_problems_at_their_source() {
    let mut args = vec!["check", "--format", "json", "--effective", REPO];
    args.extend(layers(&[]));
    let with = run(&args);
    insta::assert_snapshot!("check-effective-json", with.stdout);
    let without = run(&["check", "--format", "json", REPO]);
    let before = places(&without.stdout);
    let after = places(&with.stdout);
    let only_merged: Vec<_> =
        after.iter().filter(|p| !before.iter().any(|b| b.0 == p.0 && b.1 == p.1 && b.2 == p.2)).collect();
    let project = "fixtures/effective/repo/.claude/settings.json";
    let setting_sources_ci = "fixtures/effective/repo/agentlint.yaml:15:23".to_owned();
    // The project's `Bash(*)`, pulled in by `setting_sources`, at its own line, once.
    let al104: Vec<_> = only_merged.iter().filter(|p| p.0 == "AL104").collect();
    assert_eq!(al104.len(), 1, "{only_merged:?}");
    assert_eq!((al104[0].1.as_str(), al104[0].2, al104[0].3), (project, 3, 15));
    assert!(al104[0].4.contains(&setting_sources_ci), "{:?}", al104[0].4);
    // The reviewer's mode comes from user settings.
    assert!(only_merged.iter().any(|p| p.0 == "AL101" && p.1 == USER && p.2 == 3 && p.3 == 20), "{only_merged:?}");
    // No layer of the reviewer's session denies `rm`: at the agent, where the fix goes.
    assert!(only_merged.iter().any(|p| p.0 == "AL108" && p.1 == REPO && p.2 == 17), "{only_merged:?}");
    // The repository's hooks that run, and the one that fetches code.
    let hooks: Vec<_> = only_merged.iter().filter(|p| p.0 == "AL504").map(|p| (p.2, p.3)).collect();
    assert_eq!(hooks, [(10, 68), (13, 49), (17, 19)]);
    assert!(only_merged.iter().any(|p| p.0 == "AL503" && p.1 == project && p.2 == 13));
    // Each problem once.
    let mut keys: Vec<_> = after.iter().map(|p| (&p.0, &p.1, p.2, p.3)).collect();
    let total = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), total, "a finding is reported twice");
    // A grant that needs trust says so.
    let v: serde_json::Value = serde_json::from_str(&with.stdout).unwrap();
    let bash = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "AL104").unwrap();
    assert!(bash["message"].as_str().unwrap().contains("applies only in a trusted folder"), "{bash}");
}

#[test]
fn check_effective_does_not_repeat_per_file_findings() {
    // The project's settings are checked as a file and through the session: one finding each.
    let mut args =
        vec!["check", "--format", "json", "--effective", REPO, "fixtures/effective/repo/.claude/settings.json"];
    args.extend(layers(&[]));
    let out = run(&args);
    let found = places(&out.stdout);
    let al104: Vec<_> = found.iter().filter(|p| p.0 == "AL104").collect();
    assert_eq!(al104.len(), 1, "{found:?}");
    assert_eq!(al104[0].4.len(), 2, "both agents pull the file in: {:?}", al104[0].4);
}

#[test]
fn effective_true_in_the_project_configuration() {
    let out = run(&["check", "--format", "json", "fixtures/effective/configured"]);
    let found = places(&out.stdout);
    assert!(found.iter().any(|p| p.0 == "AL504"), "{out}");
    // `user_settings` names a file inside the repository: read.
    assert!(found.iter().any(|p| p.0 == "AL101" && p.1.ends_with("configured/user-settings.json")), "{found:?}");
    let plain = run(&[
        "check",
        "--format",
        "json",
        "--config",
        "fixtures/effective/configured/plain.yaml",
        "fixtures/effective/configured",
    ]);
    assert!(!places(&plain.stdout).iter().any(|p| p.0 == "AL504"), "{plain}");
}

#[test]
fn files_the_repository_names_stay_inside_it() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("settings.json"), r#"{"permissions": {"allow": ["Bash"]}}"#).unwrap();
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::create_dir(repo.path().join(".claude")).unwrap();
    std::fs::write(repo.path().join("agentlint.yaml"), "permission_mode: dont_ask\nsettings: ../elsewhere.json\n")
        .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("settings.json"), repo.path().join(".claude/settings.json"))
        .unwrap();
    std::fs::create_dir(repo.path().join("big")).unwrap();
    let out = run_in(repo.path(), &["effective", "agentlint.yaml", "--format", "json"], "/home/tester");
    assert_eq!(out.code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let skipped: Vec<String> =
        v["skipped"].as_array().unwrap().iter().map(|s| format!("{}: {}", s["what"], s["why"])).collect();
    #[cfg(unix)]
    assert!(
        skipped.iter().any(|s| s.contains(".claude/settings.json") && s.contains("outside the repository root")),
        "{skipped:?}"
    );
    assert_eq!(v["layers"].as_array().unwrap().len(), 1, "{}", out.stdout);
    assert!(!out.stdout.contains("\"Bash\""), "{}", out.stdout);
}

/// `(call, extra arguments, decision, what decided: the rule, `mode`, or `builtin`)`.
type Case = (&'static str, &'static [&'static str], &'static str, &'static str);

const CAN: &[Case] = &[
    // Bash: legacy `:*`, word boundary, wildcards anywhere, exact commands.
    ("Bash(npm run test)", &[], "allow", "Bash(npm run test:*)"),
    ("Bash(npm run test --watch)", &[], "allow", "Bash(npm run test:*)"),
    ("Bash(npm run testing)", &[], "ask", "mode"),
    ("Bash(ls -la)", &[], "allow", "Bash(ls *)"),
    ("Bash(ls)", &[], "allow", "Bash(ls *)"),
    ("Bash(lsof -i)", &[], "ask", "mode"),
    ("Bash(git checkout main)", &[], "allow", "Bash(git * main)"),
    ("Bash(git log --oneline main)", &[], "allow", "Bash(git * main)"),
    ("Bash(node --version)", &[], "allow", "Bash(* --version)"),
    ("Bash(make build)", &[], "allow", "Bash(make build)"),
    ("Bash(make build --jobs 4)", &[], "ask", "mode"),
    // Wrappers and assignments.
    ("Bash(timeout 30 npm test)", &[], "allow", "Bash(npm test *)"),
    ("Bash(nohup nice -n 5 npm test --ci)", &[], "allow", "Bash(npm test *)"),
    ("Bash(NODE_ENV=test npm test)", &[], "allow", "Bash(npm test *)"),
    ("Bash(FOO=bar npm test)", &[], "ask", "mode"),
    ("Bash(FOO=bar rm -rf tmp)", &[], "deny", "Bash(rm:*)"),
    ("Bash(timeout 5 rm -rf tmp)", &[], "deny", "Bash(rm:*)"),
    ("Bash(xargs grep TODO)", &[], "allow", "Bash(grep *)"),
    ("Bash(xargs -n1 rm)", &[], "ask", "mode"),
    ("Bash(watch make build)", &[], "ask", "mode"),
    // Compound commands: every part must be allowed; one denied part denies.
    ("Bash(npm run test && rm -rf /)", &[], "deny", "Bash(rm:*)"),
    ("Bash(npm run test && make deploy)", &[], "ask", "mode"),
    ("Bash(npm run test; ls)", &[], "allow", "Bash(npm run test:*)"),
    ("Bash(npm run test | grep ok)", &[], "allow", "Bash(npm run test:*)"),
    ("Bash(cat README.md || make deploy)", &[], "ask", "mode"),
    // Deny, then ask, then allow.
    ("Bash(git push origin main)", &[], "ask", "Bash(git push:*)"),
    ("Bash(git push --force origin main)", &[], "deny", "Bash(git push --force *)"),
    ("Bash(docker ps)", &[], "ask", "Bash(docker *)"),
    // Trust: the project's allow rules apply only in a trusted folder; local ones do.
    ("Bash(cargo build)", &[], "ask", "mode"),
    ("Bash(cargo build --release)", &["--trusted"], "allow", "Bash(cargo build:*)"),
    ("Bash(make test)", &[], "allow", "Bash(make test)"),
    // Built-in read-only commands.
    ("Bash(cat README.md)", &[], "allow", "builtin"),
    ("Bash(git status)", &[], "allow", "builtin"),
    ("Bash(echo hi > out.txt)", &[], "ask", "mode"),
    // Permission modes decide what no rule decides.
    ("Bash(rm -rf /)", &["--mode", "bypassPermissions"], "deny", "Bash(rm:*)"),
    ("Bash(rmdir /home)", &["--mode", "bypassPermissions"], "ask", "mode"),
    ("Bash(make deploy)", &["--mode", "bypassPermissions"], "allow", "mode"),
    ("Bash(make deploy)", &["--mode", "dontAsk"], "deny", "mode"),
    ("Bash(git push origin dev)", &["--mode", "dontAsk"], "deny", "Bash(git push:*)"),
    ("Bash(make deploy)", &["--mode", "acceptEdits"], "ask", "mode"),
    ("Bash(mkdir build)", &["--mode", "accept_edits"], "allow", "mode"),
    ("Bash(make deploy)", &["--mode", "plan"], "ask", "mode"),
    ("Bash(make deploy)", &["--mode", "auto"], "ask", "mode"),
    // PowerShell matches case-insensitively.
    ("PowerShell(get-childitem -Recurse)", &[], "allow", "PowerShell(Get-ChildItem *)"),
    ("PowerShell(Remove-Item x)", &[], "ask", "mode"),
    // Read and Edit paths: `./`, bare names at any depth, single-segment directories, `/`, `~/`, `//`.
    ("Read(docs/guide.md)", &[], "allow", "Read(./docs/**)"),
    ("Grep(docs/api)", &[], "allow", "Read(./docs/**)"),
    ("Read(src/main.rs)", &[], "allow", "Edit(src/**)"),
    ("Read(secrets/key.pem)", &[], "deny", "Read(secrets/**)"),
    ("Read(vendor/secrets/key.pem)", &[], "deny", "Read(secrets/**)"),
    ("Read(.env)", &[], "deny", "Read(.env)"),
    ("Read(app/config/.env)", &[], "deny", "Read(.env)"),
    ("Edit(.env)", &[], "deny", "Read(.env)"),
    ("Edit(src/lib.rs)", &[], "allow", "Edit(src/**)"),
    ("Write(src/new.rs)", &[], "allow", "Edit(src/**)"),
    ("Edit(vendor/src/lib.rs)", &[], "ask", "mode"),
    ("Edit(config/app.toml)", &[], "deny", "Edit(/config/**)"),
    ("Read(private/notes.txt)", &[], "deny", "Read(/private/**)"),
    ("Read(~/notes/todo.md)", &[], "allow", "Read(~/notes/**)"),
    ("Read(/tmp/shared/a.txt)", &[], "allow", "Read(//tmp/shared/**)"),
    ("Read(~/.claude/cache/x.json)", &[], "allow", "Read(/cache/**)"),
    ("Read(README.md)", &[], "allow", "builtin"),
    ("Read(/etc/passwd)", &[], "ask", "mode"),
    ("Read(/etc/passwd)", &["--mode", "dontAsk"], "deny", "mode"),
    ("Edit(src/.husky/pre-commit)", &[], "ask", "mode"),
    ("Edit(src/.husky/pre-commit)", &["--mode", "bypassPermissions"], "allow", "mode"),
    ("Edit(notes.md)", &["--mode", "acceptEdits"], "allow", "mode"),
    ("Edit(generated/api.rs)", &["--trusted"], "allow", "Edit(/generated/**)"),
    // WebFetch domains.
    ("WebFetch(https://example.com/page)", &[], "allow", "WebFetch(domain:example.com)"),
    ("WebFetch(https://EXAMPLE.com./x)", &[], "allow", "WebFetch(domain:example.com)"),
    ("WebFetch(https://api.example.com/)", &[], "ask", "mode"),
    ("WebFetch(https://api.github.com/repos)", &[], "allow", "WebFetch(domain:*.github.com)"),
    ("WebFetch(https://a.b.github.com/)", &[], "allow", "WebFetch(domain:*.github.com)"),
    ("WebFetch(https://github.com/)", &[], "ask", "mode"),
    ("WebFetch(https://api-v2.example.org/)", &[], "allow", "WebFetch(domain:api-*.example.org)"),
    ("WebFetch(https://api-v2.evil.example.org/)", &[], "ask", "mode"),
    ("WebFetch(https://evil.com/steal)", &[], "deny", "WebFetch(domain:evil.com)"),
    ("WebFetch(https://db.internal/)", &[], "ask", "WebFetch(domain:*.internal)"),
    // MCP tools: by tool, tool glob, whole server, tool-name glob.
    ("mcp__github__get_issue", &[], "allow", "mcp__github__get_*"),
    ("mcp__github__create_issue", &[], "ask", "mode"),
    ("mcp__github__delete_repo", &[], "deny", "mcp__github__delete_repo"),
    ("mcp__jira__search", &[], "allow", "mcp__jira"),
    ("mcp__slack__post_message", &[], "ask", "mcp__slack__*"),
    ("mcp__untrusted_files__read", &[], "deny", "mcp__untrusted*"),
    // Subagents (and the legacy `Task` name), skills, bare tools.
    ("Agent(Explore)", &[], "allow", "Agent(Explore)"),
    ("Task(Explore)", &[], "allow", "Agent(Explore)"),
    ("Agent(general-purpose)", &[], "deny", "Agent(general-purpose)"),
    ("Skill(deploy staging)", &[], "allow", "Skill(deploy *)"),
    ("Skill(release)", &[], "ask", "mode"),
    ("WebSearch", &[], "allow", "WebSearch"),
    ("TodoWrite", &[], "allow", "builtin"),
];

#[test]
fn can_decides_every_matching_form() {
    assert!(CAN.len() >= 60);
    let mut failures = Vec::new();
    for (call, extra, decision, by) in CAN {
        let mut args = vec!["can", call, "fixtures/effective/can/agentlint.yaml", "--format", "json"];
        args.extend(["--user-settings", "fixtures/effective/can/home/.claude/settings.json"]);
        args.extend_from_slice(extra);
        let out = run(&args);
        let v: serde_json::Value = match serde_json::from_str(&out.stdout) {
            Ok(v) => v,
            Err(_) => {
                failures.push(format!("{call} {extra:?}: {out}"));
                continue;
            }
        };
        let decided = &v["decided_by"];
        let got_by = match decided["kind"].as_str().unwrap() {
            "rule" => decided["rule"].as_str().unwrap().to_owned(),
            other => other.to_owned(),
        };
        let expected_code = match *decision {
            "allow" => 0,
            "deny" => 1,
            _ => 3,
        };
        if v["decision"] != *decision || got_by != *by || out.code != expected_code {
            failures.push(format!(
                "{call} {extra:?}: expected {decision} by {by}, got {} by {got_by} (exit {})\n{}",
                v["decision"], out.code, out.stdout
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), CAN.len(), failures.join("\n"));
}

#[test]
fn can_human_and_json() {
    let base = ["fixtures/effective/repo/agentlint.yaml", "--agent", "ci"];
    for (name, call) in [("deny-compound", "Bash(git status && rm -rf build)"), ("mode", "WebFetch(https://docs.rs/x)")]
    {
        let mut args = vec!["can", call];
        args.extend(base);
        args.extend(layers(&[]));
        insta::assert_snapshot!(format!("can-{name}-human"), run(&args).to_string());
        args.extend(["--format", "json"]);
        insta::assert_snapshot!(format!("can-{name}-json"), run(&args).to_string());
    }
}

#[test]
fn can_exit_codes() {
    let can = |call: &str| run(&["can", call, "fixtures/effective/can/agentlint.yaml"]).code;
    assert_eq!(can("Bash(make build)"), 0);
    assert_eq!(can("Bash(rm -rf /)"), 1);
    assert_eq!(can("Bash(make deploy)"), 3);
    let bad = run(&["can", "Bsh(ls)", "fixtures/effective/can/agentlint.yaml"]);
    assert_eq!(bad.code, 2);
    assert_eq!(bad.stderr, "agentlint: error: unknown tool `Bsh`; did you mean `Bash`?\n");
    assert_eq!(run(&["can", "Bash(ls)", "fixtures/effective/missing.yaml"]).code, 2);
}

#[test]
fn can_states_what_is_uncertain() {
    // A tool-name glob in a deny list: the CLI versions disagree.
    let out = run(&["can", "mcp__untrusted_x__y", "fixtures/effective/can/agentlint.yaml"]);
    assert!(out.stdout.contains("note: `mcp__untrusted*` is a tool-name glob"), "{out}");
    // Project allow rules in an untrusted folder: 2.1.76 and 2.1.332 disagree.
    let out = run(&["can", "Bash(cargo build)", "fixtures/effective/can/agentlint.yaml"]);
    assert!(out.stdout.contains("applies only in a trusted folder"), "{out}");
    assert!(out.stdout.contains("2.1.76 applies it anyway"), "{out}");
    // A `/` rule in user settings: where it starts changed after 2.1.76.
    let out = run(&[
        "can",
        "Read(~/.claude/cache/x.json)",
        "fixtures/effective/can/agentlint.yaml",
        "--user-settings",
        "fixtures/effective/can/home/.claude/settings.json",
    ]);
    assert!(out.stdout.contains("from the project root on 2.1.76"), "{out}");
}

#[test]
fn policy_tests_run_as_part_of_check() {
    let pass = run(&["check", "--format", "json", "--policy", "fixtures/effective/policy/pass.yaml", REPO]);
    assert!(!places(&pass.stdout).iter().any(|p| p.0 == "AL010"), "{pass}");
    let fail = run(&["check", "--color", "never", "--policy", "fixtures/effective/policy/fail.yaml", REPO]);
    assert_eq!(fail.code, 1);
    insta::assert_snapshot!("policy-tests-fail", fail.to_string());
    let json = run(&["check", "--format", "json", "--policy", "fixtures/effective/policy/fail.yaml", REPO]);
    let failed: Vec<_> = places(&json.stdout).into_iter().filter(|p| p.0 == "AL010").collect();
    // Each failing test once per session that fails it: both agents push to `main` and read
    // `.env`; only the reviewer's session lets `rm -rf /` through to a prompt.
    assert_eq!(
        failed.iter().map(|p| (p.1.as_str(), p.2)).collect::<Vec<_>>(),
        [
            ("fixtures/effective/policy/fail.yaml", 5),
            ("fixtures/effective/policy/fail.yaml", 5),
            ("fixtures/effective/policy/fail.yaml", 7),
            ("fixtures/effective/policy/fail.yaml", 9),
            ("fixtures/effective/policy/fail.yaml", 9)
        ]
    );
}

#[test]
fn policy_tests_are_checked_when_the_pack_loads() {
    let out = run(&["check", "--policy", "fixtures/effective/policy/bad.yaml", REPO]);
    assert_eq!(out.code, 2, "{out}");
    insta::assert_snapshot!("policy-tests-bad", out.to_string());
}

/// A repository in a temporary directory: `.git`, and the given files.
fn repository(files: &[(&str, &str)]) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    for (name, text) in files {
        let path = repo.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    repo
}

#[test]
fn the_project_configuration_cannot_name_settings_outside_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("settings.json");
    std::fs::write(&secret, r#"{"permissions": {"allow": ["Bash"]}}"#).unwrap();
    let config = format!("effective: true\nuser_settings: {}\nmanaged_settings: ../elsewhere.json\n", secret.display());
    let repo = repository(&[(".agentlint.yaml", &config), ("agentlint.yaml", "permission_mode: dont_ask\n")]);
    for command in
        [&["effective", "agentlint.yaml"][..], &["check", "agentlint.yaml"], &["can", "Bash(ls)", "agentlint.yaml"]]
    {
        let out = run_in(repo.path(), command, "/home/tester");
        assert_eq!(out.code, 2, "{command:?}: {out}");
        // `check` reports policy problems as findings; `effective` and `can` keep their
        // standard output for the answer and report them on standard error.
        let text = format!("{}{}", out.stdout, out.stderr);
        assert!(
            text.contains("`user_settings` names a file outside the repository")
                && text.contains("`managed_settings` names a file outside the repository")
                && text.contains("pass it with `--user-settings` on the command line"),
            "{command:?}: {out}"
        );
        assert!(!text.contains("\"Bash\""), "{out}");
    }
    // The same file named on the command line is read: flags are the user's own.
    let out = run_in(
        repo.path(),
        &["effective", "agentlint.yaml", "--no-config", "--user-settings", &secret.to_string_lossy()],
        "/home/tester",
    );
    assert_eq!(out.code, 0, "{out}");
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_repository_to_settings_outside_it_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("user.json"), r#"{"permissions": {"allow": ["Bash"]}}"#).unwrap();
    let repo = repository(&[
        (".agentlint.yaml", "user_settings: config/user.json\n"),
        ("agentlint.yaml", "permission_mode: dont_ask\nsetting_sources: [user]\n"),
    ]);
    std::fs::create_dir(repo.path().join("config")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("user.json"), repo.path().join("config/user.json")).unwrap();
    let out = run_in(repo.path(), &["effective", "agentlint.yaml"], "/home/tester");
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("`user_settings` names a file outside the repository"), "{out}");
}

#[test]
fn env_values_and_secrets_never_reach_the_output() {
    let token = format!("ghp_{}", "Jd3Kf8Lm1Np6Qr0St5Uv".repeat(2).chars().take(36).collect::<String>());
    let settings = format!(
        r#"{{"env": {{"DEPLOY_TOKEN": "{token}", "REGION": "eu-west-1"}},
"hooks": {{"SessionStart": [{{"hooks": [{{"type": "command", "command": "curl -H 'Authorization: token {token}' https://example.com"}}]}}]}}}}"#
    );
    let repo = repository(&[(".claude/settings.json", &settings), ("agentlint.yaml", "setting_sources: [project]\n")]);
    for format in ["human", "json"] {
        let out = run_in(repo.path(), &["effective", "agentlint.yaml", "--format", format], "/home/tester");
        assert_eq!(out.code, 0, "{out}");
        assert!(out.stdout.contains("DEPLOY_TOKEN") && out.stdout.contains("REGION"), "{out}");
        assert!(!out.stdout.contains("eu-west-1"), "{format}: an env value is printed\n{out}");
        assert!(!out.stdout.contains(&token), "{format}: the token is printed\n{out}");
    }
}

#[test]
fn invalid_tool_calls_are_usage_errors() {
    let cases = [
        ("", "agentlint: error: the call names no tool: write e.g. `Bash(git status)`\n"),
        ("Bash(ls", "agentlint: error: `Bash(ls` is not a tool call: write `Tool` or `Tool(input)`\n"),
        ("Read()", "agentlint: error: give `Read` its input, e.g. `Read(./src/main.rs)`\n"),
        ("mcp__github", "agentlint: error: `mcp__github` is not an MCP tool name: write `mcp__<server>__<tool>`\n"),
        (
            "WebFetch(not a url)",
            "agentlint: error: `not a url` is not a URL or a host name: write e.g. `WebFetch(https://example.com/page)`\n",
        ),
        (
            "Bash(ls\u{1b}[2J)x",
            "agentlint: error: `Bash(ls\\u{1b}[2J)x` is not a tool call: write `Tool` or `Tool(input)`\n",
        ),
    ];
    for (call, message) in cases {
        let out = run(&["can", call, "fixtures/effective/can/agentlint.yaml"]);
        assert_eq!((out.code, out.stdout.as_str(), out.stderr.as_str()), (2, "", message), "{call:?}");
    }
    // The rule form names the host a call goes to.
    let out =
        run(&["can", "WebFetch(domain:example.com)", "fixtures/effective/can/agentlint.yaml", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
}

/// The README's worked examples of effective sessions are what the binary prints: each `sh`
/// block followed by an output block is run (`…` standing for the user and managed settings
/// of the fixture repository) and its output compared.
#[test]
fn readme_examples_are_what_the_binary_prints() {
    let readme = std::fs::read_to_string(Path::new(common::root()).join("README.md")).unwrap();
    let start = readme.find("\n## The effective session\n").expect("README has the section");
    let end = readme[start + 1..].find("\n## ").map_or(readme.len(), |e| start + 1 + e);
    let mut blocks = Vec::new();
    let mut rest = &readme[start..end];
    while let Some(open) = rest.find("\n```") {
        let after = &rest[open + 4..];
        let (lang, body) = after.split_once('\n').unwrap();
        let close = body.find("\n```\n").unwrap();
        blocks.push((lang.to_owned(), body[..close].to_owned()));
        rest = &body[close + 4..];
    }
    let mut ran = 0;
    for pair in blocks.windows(2) {
        let [(lang, command), (output_lang, expected)] = pair else { unreachable!() };
        if lang != "sh" || !output_lang.is_empty() {
            continue;
        }
        let command = command.replace("\\\n", " ").replace('…', &layers(&[]).join(" "));
        let words = shlex::split(&command).expect("a shell command");
        assert_eq!(words[0], "agentlint", "{command}");
        let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
        let out = run(&args);
        let printed = format!("{}{}", out.stdout, out.stderr);
        assert_eq!(printed.trim_end(), expected.trim_end(), "README example `{command}` is out of date");
        ran += 1;
    }
    assert_eq!(ran, 8, "the README's examples of effective sessions");
}

/// Managed locks: only managed permission rules (the deployment config's denies still add),
/// only managed hooks and domains, and no bypass mode, in both formats and in `can`.
#[test]
fn managed_locks_hold() {
    let config = "fixtures/effective/locked/agentlint.yaml";
    let managed = ["--managed-settings", "fixtures/effective/locked/managed-settings.json"];
    let mut args = vec!["effective", config];
    args.extend(managed);
    insta::assert_snapshot!("effective-locked-human", run(&args).to_string());
    args.extend(["--format", "json"]);
    let out = run(&args);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let status = |option: &str, value: &str| {
        let entry = v["values"].as_array().unwrap().iter().find(|e| e["option"] == option && e["value"] == value);
        entry.map(|e| e["status"].as_str().unwrap().to_owned()).unwrap_or_default()
    };
    assert_eq!(status("allowed_tools", "Bash(make test)"), "applies");
    assert_eq!(status("allowed_tools", "Bash(make *)"), "ignored");
    assert_eq!(status("allowed_tools", "Bash(*)"), "ignored");
    assert_eq!(status("disallowed_tools", "Bash(rm:*)"), "applies");
    assert_eq!(status("disallowed_tools", "Read(./.env)"), "ignored");
    assert_eq!(status("sandbox.network.allowed_domains", "crates.io"), "applies");
    assert_eq!(status("sandbox.network.allowed_domains", "github.com"), "ignored");
    assert_eq!(status("permission_mode", "bypass_permissions"), "ignored");
    assert_eq!(v["permission_mode"]["value"], "default");
    let locks: Vec<&str> = v["locks"].as_array().unwrap().iter().map(|l| l["setting"].as_str().unwrap()).collect();
    assert_eq!(locks.len(), 4, "{locks:?}");
    let can = |call: &str, extra: &[&str]| {
        let mut args = vec!["can", call, config, "--format", "json"];
        args.extend(managed);
        args.extend_from_slice(extra);
        let out = run(&args);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        (out.code, v["decided_by"]["rule"].as_str().unwrap_or(v["decided_by"]["kind"].as_str().unwrap()).to_owned())
    };
    assert_eq!(can("Bash(make test)", &[]), (0, "Bash(make test)".into()));
    assert_eq!(can("Bash(rm -rf build)", &[]), (1, "Bash(rm:*)".into()));
    // The project's `Bash(*)` does not apply even in a trusted folder; the sandbox approves.
    assert_eq!(can("Bash(make build)", &["--trusted"]), (0, "builtin".into()));
    assert_eq!(can("WebFetch(https://example.com/)", &["--trusted"]), (3, "mode".into()));
    assert_eq!(can("WebFetch(https://docs.rs/x)", &[]), (0, "WebFetch(domain:docs.rs)".into()));
}

/// `settings` written as JSON text, as `--settings` takes it, is a layer at command-line
/// precedence whose values are located at the text.
#[test]
fn settings_as_json_text_is_a_layer() {
    let config = "permission_mode: dont_ask\nsetting_sources: []\nsettings: '{\"permissions\": {\"deny\": [\"Bash(rm:*)\"]}, \"env\": {\"TOKEN_NAME\": \"hidden-value\"}}'\n";
    let repo = repository(&[("agentlint.yaml", config)]);
    let out = run_in(repo.path(), &["effective", "agentlint.yaml", "--format", "json"], "/home/tester");
    assert_eq!(out.code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["layers"][1]["role"], "inline-settings", "{}", out.stdout);
    assert_eq!(v["layers"][1]["origin"], "command-line");
    let deny = v["values"].as_array().unwrap().iter().find(|e| e["value"] == "Bash(rm:*)").unwrap();
    assert_eq!((deny["source"]["line"].as_u64(), deny["source"]["column"].as_u64()), (Some(3), Some(11)));
    assert!(!out.stdout.contains("hidden-value"), "{}", out.stdout);
    let human = run_in(repo.path(), &["effective", "agentlint.yaml"], "/home/tester");
    assert!(human.stdout.contains("TOKEN_NAME") && !human.stdout.contains("hidden-value"), "{human}");
    let out = run_in(repo.path(), &["can", "Bash(rm -rf x)", "agentlint.yaml"], "/home/tester");
    assert_eq!(out.code, 1, "{out}");
    // Text that is not a JSON object is listed as not loaded.
    let repo = repository(&[("agentlint.yaml", "settings: '{not json'\n")]);
    let out = run_in(repo.path(), &["effective", "agentlint.yaml", "--format", "json"], "/home/tester");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v["skipped"].as_array().unwrap().iter().any(|s| s["what"] == "`settings` JSON text"), "{}", out.stdout);
}
