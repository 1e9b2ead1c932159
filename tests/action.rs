//! The GitHub Action (`action.yml`) and its documentation.
//!
//! - Without tools: the inputs are the documented ones with their defaults; inputs reach the
//!   shell only through `env:` (never `${{ … }}` inside a script, which would let an input
//!   inject code); every action it uses is pinned to a commit; the README's workflow example
//!   passes only inputs the action has, and the README's input table lists them all.
//! - With actionlint and shellcheck (paths in `AGENTLINT_ACTIONLINT` and
//!   `AGENTLINT_SHELLCHECK`; `.ci/run` installs both; ignored outside CI, failing when they are
//!   missing under CI): actionlint accepts the README's workflow using the action from the
//!   repository (`uses: ./`, so it checks the inputs against `action.yml`), and shellcheck
//!   accepts every script of the action.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn action() -> Value {
    let text = std::fs::read_to_string(Path::new(common::root()).join("action.yml")).unwrap();
    yaml_serde::from_str(&text).expect("action.yml is YAML")
}

fn readme() -> String {
    std::fs::read_to_string(Path::new(common::root()).join("README.md")).unwrap()
}

/// The README's workflow example for the Action: the first YAML block after its heading.
fn readme_workflow() -> String {
    let readme = readme();
    let section = &readme[readme.find("\n### GitHub Action\n").expect("README has a GitHub Action section")..];
    let start = section.find("```yaml\n").unwrap() + "```yaml\n".len();
    section[start..start + section[start..].find("```").unwrap()].to_owned()
}

fn steps() -> Vec<Value> {
    action()["runs"]["steps"].as_array().unwrap().clone()
}

#[test]
fn inputs_and_defaults() {
    let action = action();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs: Vec<(String, String)> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, input)| (name.clone(), input["default"].as_str().unwrap_or("(none)").to_owned()))
        .collect();
    let expected = [
        ("paths", "."),
        ("policy", ""),
        ("fail-on", "warning"),
        ("version", ""),
        ("sarif-file", "agentlint.sarif"),
        ("upload", "true"),
        ("category", "agentlint"),
        ("cache", "true"),
    ];
    assert_eq!(inputs, expected.map(|(n, d)| (n.to_owned(), d.to_owned())));
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(input["description"].as_str().is_some_and(|d| !d.is_empty()), "{name} has a description");
    }
    let outputs: Vec<&String> = action["outputs"].as_object().unwrap().keys().collect();
    assert_eq!(outputs, ["exit-code", "sarif-file"]);
}

#[test]
fn scripts_take_inputs_from_the_environment_and_actions_are_pinned() {
    for step in steps() {
        let name = step["name"].as_str().unwrap();
        if let Some(script) = step["run"].as_str() {
            assert!(!script.contains("${{"), "{name}: expressions in a script can inject code; pass them in `env:`");
            assert_eq!(step["shell"], "bash", "{name}");
        }
        if let Some(uses) = step["uses"].as_str() {
            let (_, reference) = uses.split_once('@').unwrap();
            assert!(
                reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit()),
                "{name}: `{uses}` is not pinned to a commit"
            );
        }
    }
}

#[test]
fn readme_documents_the_action() {
    let readme = readme();
    for name in action()["inputs"].as_object().unwrap().keys() {
        assert!(readme.contains(&format!("\n| `{name}` |")), "README's input table lacks `{name}`");
    }
    let workflow: Value = yaml_serde::from_str(&readme_workflow()).expect("the README's workflow is YAML");
    let steps = workflow["jobs"]["agentlint"]["steps"].as_array().unwrap();
    let step =
        steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("agentlint/agentlint@"))).unwrap();
    let inputs = action()["inputs"].clone();
    for key in step["with"].as_object().unwrap().keys() {
        assert!(inputs.get(key).is_some(), "the README passes `{key}`, which action.yml does not define");
    }
    assert_eq!(workflow["jobs"]["agentlint"]["permissions"]["security-events"], "write");
}

#[test]
#[cfg_attr(not(ci), ignore = "needs actionlint in AGENTLINT_ACTIONLINT; runs under CI=true (.ci/run)")]
fn actionlint_accepts_the_readme_workflow() {
    let actionlint = common::external_tool("AGENTLINT_ACTIONLINT", "the actionlint executable");
    let dir = tempfile::tempdir().unwrap();
    // actionlint finds the repository root (and so `uses: ./`) by its `.git`.
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::copy(Path::new(common::root()).join("action.yml"), dir.path().join("action.yml")).unwrap();
    let workflow = regex::Regex::new(r"uses: agentlint/agentlint@[0-9a-f]{40}")
        .unwrap()
        .replace(&readme_workflow(), "uses: ./")
        .into_owned();
    assert!(workflow.contains("uses: ./"));
    let check = |text: &str| {
        std::fs::write(dir.path().join(".github/workflows/agentlint.yml"), text).unwrap();
        Command::new(&actionlint)
            .args(["-no-color", "-shellcheck=", "-pyflakes=", ".github/workflows/agentlint.yml"])
            .current_dir(dir.path())
            .output()
            .expect("actionlint runs")
    };
    let out = check(&workflow);
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "actionlint:\n{shown}");
    // The same check fails on an input the action does not have, so it reads action.yml.
    let out = check(&workflow.replace("fail-on: warning", "fail-on: warning\n          fail_on: error"));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && shown.contains(r#"input "fail_on" is not defined"#), "{shown}");
}

#[test]
#[cfg_attr(not(ci), ignore = "needs shellcheck in AGENTLINT_SHELLCHECK; runs under CI=true (.ci/run)")]
fn shellcheck_accepts_the_action_scripts() {
    let shellcheck = common::external_tool("AGENTLINT_SHELLCHECK", "the shellcheck executable");
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for step in steps() {
        let Some(script) = step["run"].as_str() else { continue };
        let name = step["name"].as_str().unwrap();
        let path = dir.path().join(format!("step{checked}.sh"));
        std::fs::write(&path, script).unwrap();
        let out = Command::new(&shellcheck).args(["--shell=bash", "--severity=style"]).arg(&path).output().unwrap();
        assert!(out.status.success(), "{name}:\n{}", String::from_utf8_lossy(&out.stdout));
        checked += 1;
    }
    assert_eq!(checked, 4);
    // The same check rejects an unquoted expansion, so it does look at the scripts.
    let path = dir.path().join("bad.sh");
    std::fs::write(&path, "rm -rf $ROOT/bin\n").unwrap();
    let out = Command::new(&shellcheck).args(["--shell=bash", "--severity=style"]).arg(&path).output().unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stdout).contains("SC2086"));
}
