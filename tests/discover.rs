//! `agentlint check DIR`: which files a directory scan checks, in which order, with
//! which paths; `fixtures/tree/` mixes deployment configs with YAML that is not one.

mod common;

use std::path::{Path, PathBuf};

use common::{agentlint, agentlint_in};

fn tree_root() -> PathBuf {
    Path::new(common::root()).join("fixtures/tree")
}

/// Copies a directory recursively (the fixture tree into a scratch directory).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The fixture tree in a scratch directory (not a git repository), plus files that a scan
/// must skip: a gitignored config and one inside `.git`.
fn scratch_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&tree_root(), dir.path());
    let failing = std::fs::read_to_string(tree_root().join("agents/ci.yaml")).unwrap();
    write(dir.path(), "local/dev.agent.yaml", &failing);
    write(dir.path(), ".git/agents/leftover.yaml", &failing);
    dir
}

/// `(file, rule)` of every finding, in output order, and the number of files checked.
fn findings(json: &str) -> (Vec<(String, String)>, u64) {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON output parses");
    let list = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap().to_owned(), f["rule"].as_str().unwrap().to_owned()))
        .collect();
    (list, v["summary"]["files"].as_u64().unwrap())
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(f, r)| (f.to_string(), r.to_string())).collect()
}

#[test]
fn default_patterns_pick_the_deployment_configs_of_the_fixture_tree() {
    let root = tree_root();
    let found: Vec<String> = agentlint::discover::discover(&root, &[], &[])
        .unwrap()
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(found, ["agentlint.yaml", "agents/ci.yaml", "agents/nightly/triage.yml", "services/review.agent.json"]);
}

#[test]
fn checking_the_fixture_tree() {
    let run = agentlint(&["check", "--color", "never", "fixtures/tree"]);
    insta::assert_snapshot!("tree-human", run.to_string());
}

#[test]
fn no_path_means_the_working_directory_and_skips_gitignored_files_and_dot_git() {
    let dir = scratch_tree();
    let expected = pairs(&[
        ("agents/ci.yaml", "AL101"),
        ("agents/nightly/triage.yml", "AL101"),
        ("services/review.agent.json", "AL101"),
    ]);
    for args in [&["check", "--format", "json"][..], &["check", "--format", "json", "."]] {
        let run = agentlint_in(dir.path(), args);
        assert_eq!(findings(&run.stdout), (expected.clone(), 4), "{args:?}\n{run}");
        assert_eq!(run.code, 1);
        assert_eq!(run.stderr, "3 errors in 4 files\n");
    }
    let run = agentlint_in(dir.path(), &["check", "--format", "json", "./agents"]);
    assert_eq!(findings(&run.stdout), (expected[..2].to_vec(), 2), "{run}");
}

#[test]
fn files_named_explicitly_are_always_checked() {
    let dir = scratch_tree();
    // Neither name matches the default patterns, and `local/` is gitignored.
    let run = agentlint_in(dir.path(), &["check", "--format", "json", "services/notes.yaml", "local/dev.agent.yaml"]);
    let (list, files) = findings(&run.stdout);
    assert_eq!(files, 2);
    assert!(list.contains(&("services/notes.yaml".into(), "AL101".into())), "{run}");
    assert!(list.contains(&("local/dev.agent.yaml".into(), "AL101".into())), "{run}");
    let first_other = list.iter().position(|(f, _)| f == "local/dev.agent.yaml").unwrap();
    assert!(list[..first_other].iter().all(|(f, _)| f == "services/notes.yaml"), "argument order: {list:?}");
}

#[test]
fn a_directory_without_configs_is_noted_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty/docker-compose.yml", "services: {}\n");
    write(dir.path(), "empty/README.md", "nothing to see\n");
    let run = agentlint_in(dir.path(), &["check", "empty"]);
    insta::assert_snapshot!(run.to_string(), @r"
    exit: 0
    ----- stdout -----
    no problems in 0 files
    ----- stderr -----
    agentlint: note: nothing to check in `empty` (looked for Claude Code files, source files and scripts that start sessions, and deployment configs: agentlint.{yaml,yml,json}, *.agent.{yaml,yml,json}, **/agents/**/*.{yaml,yml,json})
    ");
    let quiet = agentlint_in(dir.path(), &["check", "--quiet", "empty"]);
    assert_eq!((quiet.code, quiet.stdout.as_str(), quiet.stderr.as_str()), (0, "", ""));
}

#[test]
fn many_files_are_reported_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string(Path::new(common::root()).join("fixtures/hardened-single.yaml")).unwrap();
    let failing = std::fs::read_to_string(tree_root().join("agents/ci.yaml")).unwrap();
    // Created in reverse order, in two nested folders, so neither creation nor directory order helps.
    for i in (0..40).rev() {
        let text = if i % 3 == 0 { &failing } else { &clean };
        write(dir.path(), &format!("agents/{}/agent-{i:02}.yaml", if i % 2 == 0 { "even" } else { "odd" }), text);
    }
    let run = agentlint_in(dir.path(), &["check", "--format", "json"]);
    let (list, files) = findings(&run.stdout);
    assert_eq!(files, 40);
    let mut expected: Vec<String> = (0..40)
        .filter(|i| i % 3 == 0)
        .map(|i| format!("agents/{}/agent-{i:02}.yaml", if i % 2 == 0 { "even" } else { "odd" }))
        .collect();
    expected.sort();
    assert_eq!(list.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(), expected);
    assert!(list.iter().all(|(_, r)| r == "AL101"), "{list:?}");
    // The same run again gives byte-identical output.
    assert_eq!(agentlint_in(dir.path(), &["check", "--format", "json"]).stdout, run.stdout);
}
