//! `agentlint check` through the real binary: structural findings (AL001–AL004),
//! inputs (files, stdin, binary, huge), exit codes, output options, redaction.

mod common;

use common::{agentlint, agentlint_stdin};

/// Every file in fixtures/structural: exact human and JSON output. Every finding is the
/// fixture's structural rule, or a rule that judges a dropped value as unusable, beside it on
/// the same span (an invalid `permission_mode` is no mode: AL101 with AL004).
#[test]
fn structural_fixtures() {
    let dir = std::path::Path::new(common::root()).join("fixtures/structural");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 10);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = format!("fixtures/structural/{name}");
        let human = agentlint(&["check", "--color", "never", &file]);
        let json = agentlint(&["check", "--format", "json", &file]);
        assert_eq!(human.code, 1, "{file}");
        let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        let expected_rule = name[..5].to_uppercase();
        let findings = report["findings"].as_array().unwrap();
        let structural: Vec<&serde_json::Value> =
            findings.iter().filter(|f| f["rule"] == expected_rule.as_str()).collect();
        assert!(!structural.is_empty(), "{file}: no {expected_rule} finding");
        for f in findings.iter().filter(|f| f["rule"] != expected_rule.as_str()) {
            assert!(structural.iter().any(|s| s["span"] == f["span"]), "{file}: {f} is not beside a {expected_rule}");
        }
        insta::assert_snapshot!(format!("{name}-human"), human.to_string());
        insta::assert_snapshot!(format!("{name}-json"), json.stdout);
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path.to_string_lossy().into_owned())
}

/// Strips the temporary directory from output so it can be compared exactly.
fn scrub(run: &common::Run, dir: &tempfile::TempDir) -> String {
    run.to_string().replace(&dir.path().to_string_lossy().into_owned(), "[TMP]")
}

#[test]
fn binary_file_is_a_syntax_error_at_the_nul_byte() {
    let (dir, path) = temp_file("agent.yaml", b"permission_mode: plan\nmax\0turns: 3\n");
    let run = agentlint(&["check", "--color", "never", &path]);
    insta::assert_snapshot!(scrub(&run, &dir), @r"
    exit: 1
    ----- stdout -----
    AL001(syntax-error)

      × file contains a NUL byte (binary file?)
      │ [TMP]/agent.yaml:2:4

    1 error in 1 file
    ----- stderr -----
    ");
}

#[test]
fn invalid_utf8_is_a_syntax_error_at_the_bad_byte() {
    let (dir, path) = temp_file("agent.json", b"{\"model\": \"caf\xe9\"}\n");
    let run = agentlint(&["check", "--format", "json", &path]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "AL001");
    assert_eq!(f["message"], "file is not valid UTF-8 (invalid byte at offset 14)");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(1), Some(15)));
    assert_eq!(run.code, 1);
    drop(dir);
}

#[test]
fn oversized_file_is_reported_not_read() {
    let mut big = b"permission_mode: plan\nsystem_prompt: |\n".to_vec();
    big.extend(std::iter::repeat_n(b"  lorem ipsum dolor sit amet\n".as_slice(), 400_000).flatten());
    let (dir, path) = temp_file("big.yaml", &big);
    let run = agentlint(&["check", "--format", "json", &path]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "AL001");
    assert_eq!(v["findings"][0]["message"], "file is larger than 10485760 bytes (10 MiB), the most agentlint reads");
    assert_eq!(run.code, 1);
    drop(dir);
}

#[test]
fn deep_nesting_is_reported_not_a_crash() {
    let deep: String = (0..200).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
    let (dir, path) = temp_file("deep.yaml", deep.as_bytes());
    let run = agentlint(&["check", "--format", "json", &path]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "AL001");
    assert_eq!(v["findings"][0]["message"], "nesting is deeper than 128 levels");
    assert_eq!(v["findings"][0]["line"], 129);
    let json_deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let (dir2, path2) = temp_file("deep.json", json_deep.as_bytes());
    let run2 = agentlint(&["check", "--format", "json", &path2]);
    let v2: serde_json::Value = serde_json::from_str(&run2.stdout).unwrap();
    assert_eq!(v2["findings"][0]["message"], "nesting is deeper than 128 levels");
    assert_eq!(v2["findings"][0]["column"], 129);
    drop((dir, dir2));
}

#[test]
fn stdin_with_a_filename() {
    let json = br#"{"permission_mode": "plan", "max_turns": "many"}"#;
    let run = agentlint_stdin(&["check", "--format", "json", "--stdin-filename", "agents/ci.json", "-"], Some(json));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let invalid: Vec<_> = v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "AL004").collect();
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0]["file"], "agents/ci.json");
    assert_eq!(invalid[0]["pointer"], "/max_turns");
    assert_eq!((invalid[0]["line"].as_u64(), invalid[0]["column"].as_u64()), (Some(1), Some(42)));
    // Without --stdin-filename the input is read as YAML (a superset of JSON) and named <stdin>.
    let run = agentlint_stdin(&["check", "--format", "json", "-"], Some(b"permission_mode: [plan"));
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["findings"][0]["file"], "<stdin>");
    assert_eq!(v["findings"][0]["rule"], "AL001");
}

#[test]
fn unreadable_path_is_exit_2() {
    let run = agentlint(&["check", "fixtures/does-not-exist.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.starts_with("agentlint: error: cannot read `fixtures/does-not-exist.yaml`: "), "{}", run.stderr);
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(agentlint(&["check", "--format", "xml", "fixtures/hardened.yaml"]).code, 2);
    assert_eq!(agentlint(&["check", "--fail-on", "sometimes", "fixtures/hardened.yaml"]).code, 2);
    assert_eq!(agentlint(&["frobnicate"]).code, 2);
}

#[test]
fn fail_on_sets_the_threshold() {
    // One warning-level finding (AL003) only.
    let file = "fixtures/structural/al003-unknown-key.yaml";
    assert_eq!(agentlint(&["check", file]).code, 1, "default --fail-on is warning");
    assert_eq!(agentlint(&["check", "--fail-on", "error", file]).code, 0);
    assert_eq!(agentlint(&["check", "--fail-on", "note", file]).code, 1);
    assert_eq!(agentlint(&["check", "--fail-on", "error", "fixtures/structural/al004-empty.yaml"]).code, 1);
}

#[test]
fn quiet_prints_findings_only() {
    let run = agentlint(&["check", "-q", "--color", "never", "fixtures/hardened.yaml"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""));
    let run = agentlint(&["check", "--quiet", "--format", "json", "fixtures/structural/al004-empty.yaml"]);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.starts_with("{\n  \"version\": 1,"));
}

#[test]
fn json_summary_goes_to_stderr() {
    let run = agentlint(&["check", "--format", "json", "fixtures/structural/al003-unknown-key.yaml"]);
    assert_eq!(run.stderr, "2 warnings in 1 file\n");
}

#[test]
fn colour_follows_the_flag() {
    let file = "fixtures/structural/al004-empty.yaml";
    assert!(agentlint(&["check", "--color", "always", file]).stdout.contains("\u{1b}["));
    assert!(!agentlint(&["check", "--color", "never", file]).stdout.contains("\u{1b}["));
    // Not a terminal: `auto` means no colour.
    assert!(!agentlint(&["check", file]).stdout.contains("\u{1b}["));
}

#[test]
fn several_files_are_reported_in_order_with_one_summary() {
    let run = agentlint(&[
        "check",
        "--color",
        "never",
        "fixtures/hardened.yaml",
        "fixtures/structural/al004-empty.yaml",
        "fixtures/structural/al003-unknown-key.yaml",
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.ends_with("1 error, 2 warnings in 3 files\n"), "{}", run.stdout);
    let empty = run.stdout.find("al004-empty.yaml").unwrap();
    let unknown = run.stdout.find("al003-unknown-key.yaml").unwrap();
    assert!(empty < unknown);
}

/// A syntax error on a line that holds a credential: the snippet shows it masked.
#[test]
fn snippets_never_show_a_credential() {
    let key = format!("sk-ant-api03-{}AA", "Zx9".repeat(31));
    let text = format!("permission_mode: plan\nenv: {{GITHUB_TOKEN: {key}, [\n");
    let (dir, path) = temp_file("leak.yaml", text.as_bytes());
    for format in ["human", "json"] {
        let run = agentlint(&["check", "--color", "never", "--format", format, &path]);
        assert_eq!(run.code, 1);
        assert!(!run.stdout.contains(&key) && !run.stderr.contains(&key), "{format}: {}", run.stdout);
        assert!(!run.stdout.contains(&key[20..60]), "{format}: the middle of the key leaked");
    }
    drop(dir);
}

#[test]
fn anchors_aliases_and_merge_keys_resolve_to_the_anchored_text() {
    let run = agentlint(&["check", "--format", "json", "fixtures/anchors-and-merge.yaml"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let al101 = v["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "AL101").expect("AL101");
    // Pointer and line both name where the value is written: under the anchor, as for `defaults:`.
    assert_eq!(al101["pointer"], "/x-base/permission_mode");
    assert_eq!(al101["line"], 3);
    assert_eq!(
        v["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "AL003").count(),
        0,
        "x- keys are allowed"
    );
    assert_eq!(al101["agent"], "ci");
}

/// One text shared by several agents through an anchor is one problem: reported once, naming
/// the agents, as a plain `defaults:` value is (fixtures/rules/AL404-…/fail-defaults-merge-key.yaml
/// covers `defaults: {<<: *anchor}`).
#[test]
fn a_value_every_agent_merges_from_one_anchor_is_reported_once() {
    let yaml = b"x-base: &base\n  permission_mode: bypass_permissions\nagents:\n  a:\n    <<: *base\n  b:\n    <<: *base\n  c:\n    permission_mode: bypass_permissions\n";
    let run = agentlint_stdin(
        &["check", "--format", "json", "--select", "AL101", "--stdin-filename", "x.yaml", "-"],
        Some(yaml),
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(&str, &serde_json::Value, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["message"].as_str().unwrap(), &f["agent"], f["line"].as_u64().unwrap()))
        .collect();
    let shared =
        "agents `a`, `b`: `permission_mode` is `bypass_permissions`: every tool call is approved without a check";
    let own = "agent `c`: `permission_mode` is `bypass_permissions`: every tool call is approved without a check";
    assert_eq!(found, [(shared, &serde_json::Value::Null, 2), (own, &serde_json::json!("c"), 9)]);
}

#[test]
fn explain_renders_a_rule() {
    let run = agentlint(&["explain", "AL101"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("AL101 permission-mode-not-restrictive\ndefault severity: error\n"));
    assert!(run.stdout.contains("\nHOW TO FIX\n"));
    assert_eq!(agentlint(&["explain", "permission-mode-not-restrictive"]).stdout, run.stdout);
    assert_eq!(agentlint(&["explain", "al101"]).stdout, run.stdout);
}

#[test]
fn explain_unknown_rule_suggests_close_ids() {
    let run = agentlint(&["explain", "AL1O1"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("agentlint: error: unknown rule `AL1O1`; did you mean AL101"), "{}", run.stderr);
}
