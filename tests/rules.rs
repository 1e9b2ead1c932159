//! Every rule's fixtures, through the real binary.
//!
//! `fixtures/rules/<ID>-<name>/` holds `fail*.yaml|json` (each must produce findings of
//! that rule and of no other rule) and `pass*.yaml|json` (each must produce no finding
//! at all): deployment configs. Claude Code files are fixtures as small trees, in directories
//! `fail-*/` and `pass-*/` checked as a directory (`.claude/settings.json`, `.mcp.json`,
//! `.claude/agents/*.md`, …), so each file's kind comes from its name as in a real repository.
//! Failing fixtures are snapshotted in human and JSON form.

mod common;

use common::agentlint;

use std::path::{Path, PathBuf};

/// Fixture files of every rule directory whose name starts with `prefix`, sorted.
/// Opt-in rules (`registry::OPT_IN`) do not run under the default policy; tests/policy.rs
/// checks their fixtures under the pack that turns them on.
fn fixtures(prefix: &str) -> Vec<PathBuf> {
    let base = Path::new(common::root()).join("fixtures/rules");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&base).unwrap() {
        let dir = dir.unwrap().path();
        let id = dir.file_name().unwrap().to_string_lossy().split('-').next().unwrap().to_owned();
        if agentlint::rules::registry::OPT_IN.contains(&id.as_str()) {
            continue;
        }
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let ext_ok = [".yaml", ".yml", ".json"].iter().any(|e| name.ends_with(e)) || file.is_dir();
            if name.starts_with(prefix) && ext_ok {
                out.push(file);
            }
        }
    }
    out.sort();
    out
}

/// `AL104` from `fixtures/rules/AL104-broad-tool-grant/fail.yaml`.
fn rule_id(path: &Path) -> String {
    let dir = path.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
    dir.split('-').next().unwrap().to_owned()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(common::root()).unwrap().to_string_lossy().replace('\\', "/")
}

/// `AL104-fail-wildcard.yaml` from `fixtures/rules/AL104-broad-tool-grant/fail-wildcard.yaml`
/// (the extension keeps `fail.yaml` and `fail.json` apart).
fn snapshot_name(path: &Path) -> String {
    format!("{}-{}", rule_id(path), path.file_name().unwrap().to_string_lossy())
}

fn files_checked(json: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON output parses");
    v["summary"]["files"].as_u64().unwrap()
}

fn rules_in(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON output parses");
    v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn failing_fixtures() {
    for path in fixtures("fail") {
        let path = path.as_path();
        let id = rule_id(path);
        let file = relative(path);
        let human = agentlint(&["check", "--color", "never", &file]);
        let json = agentlint(&["check", "--format", "json", &file]);
        let rules = rules_in(&json.stdout);
        assert!(rules.contains(&id), "{file}: expected a finding of {id}, got {rules:?}");
        // Other findings only beside this rule's: AL004 on a value the rule judges unusable.
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        let findings = v["findings"].as_array().unwrap();
        let own: Vec<&serde_json::Value> = findings.iter().filter(|f| f["rule"] == id.as_str()).collect();
        for f in findings.iter().filter(|f| f["rule"] != id.as_str()) {
            let beside = ["AL003", "AL004", "AL008"].contains(&f["rule"].as_str().unwrap())
                && own.iter().any(|o| o["file"] == f["file"] && o["span"] == f["span"]);
            assert!(beside, "{file}: a finding of another rule: {f}");
        }
        assert_eq!(human.code, 1, "{file}: exit code");
        let name = snapshot_name(path);
        insta::assert_snapshot!(format!("{name}-human"), human.to_string());
        insta::assert_snapshot!(format!("{name}-json"), json.stdout);
    }
}

#[test]
fn passing_fixtures() {
    for path in fixtures("pass") {
        let file = relative(&path);
        let json = agentlint(&["check", "--format", "json", &file]);
        assert_eq!(rules_in(&json.stdout), Vec::<String>::new(), "{file} must pass every rule");
        assert_eq!(json.code, 0, "{file}");
        assert!(files_checked(&json.stdout) > 0, "{file}: no file was checked");
    }
}

#[test]
fn hardened_examples_pass_every_rule() {
    for file in ["fixtures/hardened.yaml", "fixtures/hardened-single.yaml"] {
        let run = agentlint(&["check", "--color", "never", file]);
        assert_eq!(run.stdout, "no problems in 1 file\n", "{file}");
        assert_eq!(run.code, 0, "{file}");
    }
}

#[test]
fn every_rule_has_fixtures() {
    for entry in agentlint::rules::REGISTRY {
        let id = entry.meta.id;
        if ["AL001", "AL002", "AL003", "AL004", "AL005", "AL006", "AL007", "AL008"].contains(&id) {
            continue; // structural and suppression findings have their own tests
        }
        if id == "AL009" {
            continue; // it asks git about the file: tests/kinds.rs runs it in a repository of its own
        }
        if id == "AL010" {
            continue; // a policy pack's failing test: tests/effective.rs runs packs with tests
        }
        if agentlint::rules::registry::OPT_IN.contains(&id) {
            continue; // off under the default policy: tests/policy.rs runs them under their pack
        }
        let dir = std::path::Path::new(common::root()).join(format!("fixtures/rules/{id}-{}", entry.meta.name));
        // A deployment-config fixture, or a tree of Claude Code files for rules of those kinds only.
        let has = |prefix: &str| {
            std::fs::read_dir(&dir).is_ok_and(|entries| {
                entries.filter_map(Result::ok).any(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name == format!("{prefix}.yaml") || (name.starts_with(&format!("{prefix}-")) && e.path().is_dir())
                })
            })
        };
        assert!(has("fail"), "{id}: missing {}/fail.yaml or a fail-*/ tree", dir.display());
        assert!(has("pass"), "{id}: missing {}/pass.yaml or a pass-*/ tree", dir.display());
    }
}
