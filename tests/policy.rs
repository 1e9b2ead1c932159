//! Policy as code through the real binary: the built-in packs, a team's pack with a custom
//! CEL rule, rejected packs and project configurations (at their own lines, exit 2),
//! suppression comments and `ignore` entries, and the generated schemas.
//!
//! Fixtures are in `fixtures/policy/`; the opt-in rule AL109 has its fixtures in
//! `fixtures/rules/AL109-non-reading-tool-grant/` and runs under the `review` pack here.

mod common;

use std::path::Path;

use common::{agentlint, agentlint_stdin, check_generated};

fn findings(json: &str) -> Vec<(String, String, usize, bool)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON output parses");
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap() as usize,
                f.get("suppressed").is_some(),
            )
        })
        .collect()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(common::root()).join(relative)).unwrap()
}

// --- the built-in packs --------------------------------------------------------------

#[test]
fn policies_lists_the_built_in_packs() {
    let human = agentlint(&["policies"]);
    assert_eq!(human.code, 0);
    insta::assert_snapshot!("policies-human", human.to_string());
    let json = agentlint(&["policies", "--format", "json"]);
    insta::assert_snapshot!("policies-json", json.stdout);
}

#[test]
fn policy_show_prints_each_resolved_pack() {
    for name in ["production", "ci", "review", "baseline"] {
        let run = agentlint(&["policy", "show", name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        insta::assert_snapshot!(format!("show-{name}"), run.to_string());
    }
}

/// `policy show` prints a pack that loads without `extends` and gives the same settings.
#[test]
fn resolved_packs_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ci", "review", "baseline"] {
        let shown = agentlint(&["policy", "show", name]);
        let path = dir.path().join(format!("{name}-resolved.yaml"));
        std::fs::write(&path, &shown.stdout).unwrap();
        let path = path.to_string_lossy().into_owned();
        let original = agentlint(&["rules", "--policy", name]);
        let reloaded = agentlint(&["rules", "--policy", &path]);
        assert_eq!(reloaded.code, 0, "{name}: {}", reloaded);
        assert_eq!(reloaded.stdout, original.stdout, "{name}");
    }
}

#[test]
fn production_is_the_default_and_leaves_opt_in_rules_off() {
    let default = agentlint(&["rules"]);
    let production = agentlint(&["rules", "--policy", "production"]);
    assert_eq!(default.stdout, production.stdout);
    let al109 = default.stdout.lines().find(|l| l.starts_with("AL109")).unwrap();
    assert!(al109.contains("  off  "), "{al109}");
    for file in ["fixtures/hardened.yaml", "fixtures/hardened-single.yaml"] {
        let run = agentlint(&["check", "--policy", "production", file]);
        assert_eq!((run.code, run.stdout.as_str()), (0, "no problems in 1 file\n"), "{file}");
    }
    // The AL109 fixture's grant is not reported without the review pack.
    let run =
        agentlint(&["check", "--format", "json", "fixtures/rules/AL109-non-reading-tool-grant/fail-webfetch.yaml"]);
    assert_eq!(findings(&run.stdout), vec![]);
}

#[test]
fn ci_pack_requires_dont_ask() {
    let run = agentlint(&["check", "--color", "never", "--policy", "ci", "fixtures/hardened.yaml"]);
    insta::assert_snapshot!("ci-hardened", run.to_string());
    let run = agentlint(&["check", "--policy", "ci", "fixtures/hardened-single.yaml"]);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn review_pack_runs_al109_fixtures() {
    let dir = "fixtures/rules/AL109-non-reading-tool-grant";
    for stem in ["fail", "fail-webfetch"] {
        let file = format!("{dir}/{stem}.yaml");
        let human = agentlint(&["check", "--color", "never", "--policy", "review", &file]);
        let json = agentlint(&["check", "--format", "json", "--policy", "review", &file]);
        assert_eq!(human.code, 1, "{file}");
        let found = findings(&json.stdout);
        assert!(!found.is_empty() && found.iter().all(|f| f.0 == "AL109"), "{file}: {found:?}");
        insta::assert_snapshot!(format!("review-AL109-{stem}-human"), human.to_string());
        insta::assert_snapshot!(format!("review-AL109-{stem}-json"), json.stdout);
    }
    let pass = agentlint(&["check", "--policy", "review", &format!("{dir}/pass.yaml")]);
    assert_eq!((pass.code, pass.stdout.as_str()), (0, "no problems in 1 file\n"));
    // The hardened pipeline agent is not a review agent: wrong mode, and it runs tests.
    let run = agentlint(&["check", "--color", "never", "--policy", "review", "fixtures/hardened-single.yaml"]);
    insta::assert_snapshot!("review-hardened-single", run.to_string());
}

#[test]
fn baseline_pack_reports_only_what_is_never_acceptable() {
    let run = agentlint(&["check", "--color", "never", "--policy", "baseline", "fixtures/policy/legacy.yaml"]);
    insta::assert_snapshot!("baseline-legacy", run.to_string());
    let production = agentlint(&["check", "--format", "json", "fixtures/policy/legacy.yaml"]);
    let rules: std::collections::BTreeSet<String> = findings(&production.stdout).into_iter().map(|f| f.0).collect();
    assert!(rules.len() > 5, "production reports much more: {rules:?}");
}

#[test]
fn rules_shows_the_severities_of_a_policy() {
    let run = agentlint(&["rules", "--policy", "baseline"]);
    assert_eq!(run.code, 0);
    let on: Vec<&str> =
        run.stdout.lines().filter(|l| !l.contains("  off  ")).map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(
        on,
        [
            "AL001", "AL002", "AL003", "AL004", "AL008", "AL010", "AL101", "AL102", "AL301", "AL302", "AL503", "AL701",
            "AL704"
        ]
    );
    let al104 = run.stdout.lines().find(|l| l.starts_with("AL104")).unwrap();
    assert!(
        al104.starts_with("AL104  broad-tool-grant  ")
            && al104.contains(
                "  off      deployment, settings, command, skill, elixir, python, typescript, shell, workflow  "
            )
            && al104.ends_with(
                "An `allowed_tools` entry grants every shell command, every URL, every tool or every MCP server"
            ),
        "{al104}"
    );
    let json = agentlint(&["rules", "--policy", "review", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let level = |id: &str| {
        let rule = list.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(rule["enabled"], rule["severity"].is_string(), "{rule}");
        rule["severity"].as_str().unwrap_or("off").to_owned()
    };
    assert_eq!(level("AL101"), "error");
    assert_eq!(level("AL107"), "off");
    assert_eq!(level("AL109"), "error");
    // With a team pack, its custom rule is listed after the catalogue.
    let run = agentlint(&["rules", "--policy", "fixtures/policy/team.yaml"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.last().unwrap().starts_with("ACME001  budget-ceiling"), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("AL501") && l.contains("  off  ")));
    assert!(lines.iter().any(|l| l.starts_with("AL104") && l.contains("  error  ")));
}

// --- a team's own pack -----------------------------------------------------------------

#[test]
fn team_pack_raises_a_rule_turns_one_off_and_adds_a_cel_rule() {
    let file = "fixtures/policy/team-agents.yaml";
    let human = agentlint(&["check", "--color", "never", "--policy", "fixtures/policy/team.yaml", file]);
    insta::assert_snapshot!("team-human", human.to_string());
    let json = agentlint(&["check", "--format", "json", "--policy", "fixtures/policy/team.yaml", file]);
    insta::assert_snapshot!("team-json", json.stdout);
    assert_eq!(
        findings(&json.stdout),
        [
            ("AL201".to_owned(), "error".to_owned(), 30, false),
            ("ACME001".to_owned(), "error".to_owned(), 31, false),
            ("AL104".to_owned(), "error".to_owned(), 32, false),
        ]
    );
    // Under production the same file has AL104 as a warning and AL501, and no ACME001.
    let production = agentlint(&["check", "--format", "json", file]);
    let found = findings(&production.stdout);
    assert!(found.iter().any(|f| f.0 == "AL104" && f.1 == "warning"), "{found:?}");
    assert!(found.iter().any(|f| f.0 == "AL501"), "{found:?}");
    assert!(!found.iter().any(|f| f.0 == "ACME001" || f.0 == "AL201"), "{found:?}");
}

#[test]
fn worked_examples_of_the_documentation() {
    let run = agentlint(&[
        "check",
        "--color",
        "never",
        "--policy",
        "fixtures/policy/examples.yaml",
        "fixtures/policy/examples-agents.yaml",
    ]);
    insta::assert_snapshot!("examples", run.to_string());
}

#[test]
fn custom_rule_that_cannot_be_evaluated_is_a_finding() {
    let run = agentlint(&[
        "check",
        "--color",
        "never",
        "--policy",
        "fixtures/policy/eval-error.yaml",
        "fixtures/hardened-single.yaml",
    ]);
    insta::assert_snapshot!("eval-error", run.to_string());
}

// --- rejected policies -------------------------------------------------------------------

#[test]
fn bad_pack_is_rejected_at_its_own_lines() {
    let run = agentlint(&[
        "check",
        "--color",
        "never",
        "--policy",
        "fixtures/policy/bad-pack.yaml",
        "fixtures/hardened.yaml",
    ]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("bad-pack-human", run.to_string());
    let json = agentlint(&[
        "check",
        "--format",
        "json",
        "--policy",
        "fixtures/policy/bad-pack.yaml",
        "fixtures/hardened.yaml",
    ]);
    assert_eq!(json.code, 2);
    let lines: Vec<(String, usize)> = findings(&json.stdout).into_iter().map(|f| (f.0, f.2)).collect();
    let expected = [
        ("AL004", 3),  // extends: prod
        ("AL003", 4),  // rulez
        ("AL003", 6),  // unknown rule AL10
        ("AL004", 7),  // severity `fatal`
        ("AL003", 9),  // unknown parameter `maxx`
        ("AL004", 11), // bad value `dont-ask`
        ("AL004", 13), // custom id taken by a built-in
        ("AL004", 17), // CEL syntax error
        ("AL004", 20), // severity `critical`
        ("AL004", 22), // unknown variable `conf`
    ];
    assert_eq!(lines, expected.map(|(r, l)| (r.to_owned(), l)));
    // Nothing was checked: every finding is in the pack.
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(v["findings"].as_array().unwrap().iter().all(|f| f["file"] == "fixtures/policy/bad-pack.yaml"));
    // `policy show` rejects it the same way.
    let show = agentlint(&["policy", "show", "fixtures/policy/bad-pack.yaml"]);
    assert_eq!(show.code, 2);
    assert_eq!(show.stdout, run.stdout);
}

#[test]
fn extends_cycle_is_rejected_at_the_extends_line() {
    let run =
        agentlint(&["check", "--color", "never", "--policy", "fixtures/policy/cycle-a.yaml", "fixtures/hardened.yaml"]);
    insta::assert_snapshot!("cycle", run.to_string());
}

#[test]
fn bad_project_configuration_is_rejected_at_its_own_lines() {
    let run = agentlint(&["check", "--color", "never", "fixtures/policy/bad-project/agent.yaml"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!("bad-project", run.to_string());
}

#[test]
fn unknown_policies_and_missing_files_are_usage_errors() {
    let run = agentlint(&["check", "--policy", "prod", "fixtures/hardened.yaml"]);
    insta::assert_snapshot!("unknown-policy", run.to_string());
    let run = agentlint(&["check", "--policy", "./missing.yaml", "fixtures/hardened.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "agentlint: error: cannot read policy `./missing.yaml`: no such file\n");
    let run = agentlint(&["check", "--config", "missing/.agentlint.yaml", "fixtures/hardened.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "agentlint: error: cannot read configuration `missing/.agentlint.yaml`: no such file\n");
    let run = agentlint(&["policy", "show", "strict"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "agentlint: error: unknown policy `strict`; the built-in policies are production, ci, review, baseline\n"
    );
}

// --- suppressions --------------------------------------------------------------------------

#[test]
fn suppression_comments_with_and_without_reason_and_unused() {
    let file = "fixtures/policy/suppress/comments.yaml";
    let human = agentlint(&["check", "--color", "never", file]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("suppress-comments-human", human.to_string());
    let json = agentlint(&["check", "--format", "json", file]);
    insta::assert_snapshot!("suppress-comments-json", json.stdout);
    assert_eq!(
        findings(&json.stdout),
        [
            ("AL104".to_owned(), "warning".to_owned(), 10, true),
            ("AL007".to_owned(), "note".to_owned(), 16, false),
            ("AL501".to_owned(), "warning".to_owned(), 20, false),
            ("AL006".to_owned(), "warning".to_owned(), 20, false),
        ]
    );
}

#[test]
fn suppressed_findings_do_not_count_toward_the_exit_code() {
    let file = "fixtures/policy/suppress/all-suppressed.yaml";
    let run = agentlint(&["check", "--quiet", file]);
    assert_eq!(run.code, 0, "{run}");
    let json = agentlint(&["check", "--format", "json", file]);
    assert_eq!(json.code, 0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["summary"], serde_json::json!({"files": 1, "errors": 0, "warnings": 0, "notes": 0, "suppressed": 3}));
    let reasons: Vec<&str> =
        v["findings"].as_array().unwrap().iter().map(|f| f["suppressed"]["reason"].as_str().unwrap()).collect();
    assert_eq!(
        reasons,
        [
            "sandboxed job without network or credentials",
            "sandboxed job without network or credentials",
            "rm is harmless on the read-only root"
        ]
    );
    // Under a policy that turns AL104 off, its suppression is not reported as unused.
    let baseline = agentlint(&["check", "--format", "json", "--policy", "baseline", file]);
    assert_eq!(findings(&baseline.stdout), vec![]);
    assert_eq!(baseline.code, 0);
}

#[test]
fn ignore_entry_of_the_project_configuration_silences_a_json_finding() {
    let file = "fixtures/policy/project/agents/deploy.json";
    let human = agentlint(&["check", "--color", "never", file]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("project-json-human", human.to_string());
    let json = agentlint(&["check", "--format", "json", file]);
    insta::assert_snapshot!("project-json-json", json.stdout);
    // The directory check reads the configuration's `include` and gives the same report.
    let dir = agentlint(&["check", "--format", "json", "fixtures/policy/project"]);
    assert_eq!(dir.stdout, json.stdout);
    // Standard input is checked with the configuration found from `--stdin-filename`.
    let stdin =
        agentlint_stdin(&["check", "--format", "json", "--stdin-filename", file, "-"], Some(read(file).as_bytes()));
    assert_eq!(stdin.stdout, json.stdout);
}

#[test]
fn config_and_policy_options_override_discovery() {
    // `--config` applies the project configuration (ci pack, AL104 at error) to any file.
    let run = agentlint(&[
        "check",
        "--format",
        "json",
        "--config",
        "fixtures/policy/project/.agentlint.yaml",
        "fixtures/rules/AL104-broad-tool-grant/fail.yaml",
    ]);
    let found: Vec<(String, String)> = findings(&run.stdout).into_iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(found, [("AL104".to_owned(), "error".to_owned())]);
    // `--policy` replaces the configuration's `policy: ci`; its `rules` and `ignore` still apply.
    let run = agentlint(&["rules", "--config", "fixtures/policy/project/.agentlint.yaml", "--policy", "review"]);
    let line = |id: &str| run.stdout.lines().find(|l| l.starts_with(id)).unwrap().to_owned();
    assert!(line("AL104").contains("  error  "), "{}", line("AL104"));
    assert!(line("AL109").contains("  error  "), "{}", line("AL109"));
}

// --- schemas -------------------------------------------------------------------------------

#[test]
fn config_and_policy_schemas_are_fresh() {
    use agentlint::policy::schema;
    check_generated("schemas/agentlint-config.schema.json", &schema::to_pretty_string(&schema::config_schema()));
    check_generated("schemas/agentlint-policy.schema.json", &schema::to_pretty_string(&schema::policy_schema()));
}

fn validator(relative: &str) -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&read(relative)).unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

fn yaml(relative: &str) -> serde_json::Value {
    yaml_serde::from_str(&read(relative)).unwrap()
}

/// The committed schemas accept what agentlint accepts and reject what it rejects, as an
/// editor would use them.
#[test]
fn schemas_agree_with_the_loader() {
    let packs = validator("schemas/agentlint-policy.schema.json");
    for file in [
        "policies/production.yaml",
        "policies/ci.yaml",
        "policies/review.yaml",
        "policies/baseline.yaml",
        "fixtures/policy/team.yaml",
        "fixtures/policy/examples.yaml",
    ] {
        let errors: Vec<String> = packs.iter_errors(&yaml(file)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    assert!(!packs.is_valid(&yaml("fixtures/policy/bad-pack.yaml")));
    let configs = validator("schemas/agentlint-config.schema.json");
    let good = yaml("fixtures/policy/project/.agentlint.yaml");
    assert!(configs.is_valid(&good), "{:?}", configs.iter_errors(&good).map(|e| e.to_string()).collect::<Vec<_>>());
    assert!(!configs.is_valid(&yaml("fixtures/policy/bad-project/.agentlint.yaml")));
}

// --- how settings layer over `extends` ---------------------------------------------------------

fn level_of(rules_stdout: &str, id: &str) -> String {
    let line = rules_stdout.lines().find(|l| l.starts_with(&format!("{id} "))).unwrap();
    line.split_whitespace().nth(2).unwrap().to_owned()
}

#[test]
fn settings_layer_over_what_a_pack_extends() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    // A mapping without `severity` turns a rule that the parent turned off back on, at its
    // default severity; a bare severity keeps the parent's parameters.
    let pack = write(
        "team.yaml",
        "extends: baseline\nrules:\n  AL201: {max: 50}\n  AL104: warning\n  AL109: {allowed: [Read]}\n",
    );
    let run = agentlint(&["rules", "--policy", &pack]);
    assert_eq!(run.code, 0, "{run}");
    for (id, level) in
        [("AL201", "error"), ("AL104", "warning"), ("AL109", "error"), ("AL103", "off"), ("AL101", "error")]
    {
        assert_eq!(level_of(&run.stdout, id), level, "{id}");
    }
    let child = write("child.yaml", "extends: ci\nrules:\n  permission-mode-not-restrictive: warning\n");
    let shown = agentlint(&["policy", "show", &child]);
    let al101 = shown.stdout.lines().find(|l| l.trim_start().starts_with("AL101")).unwrap();
    assert_eq!(al101, "  AL101: {severity: warning, allowed_modes: [\"dont_ask\"]}  # permission-mode-not-restrictive");
    // The same rule set twice (by id and by name) is an error at the second.
    let twice = write("twice.yaml", "rules:\n  AL104: error\n  broad-tool-grant: off\n");
    let run = agentlint(&["rules", "--policy", &twice]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("AL104 (broad-tool-grant) is already configured on line 2"), "{run}");
    assert!(run.stdout.contains("twice.yaml:3:3]"), "{run}");
}
