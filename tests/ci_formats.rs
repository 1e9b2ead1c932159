//! The CI formats (`--format sarif`, `--format github`) and `--output FILE`, through
//! the real binary. SARIF is validated against the official OASIS 2.1.0 schema
//! (committed at tests/data/, so the test never needs the network).

mod common;

use std::path::Path;

use agentlint::report::{Suppression, SuppressionKind, sarif};
use agentlint::rules::REGISTRY;
use common::{agentlint, agentlint_in};
use serde_json::{Value, json};

const FILES: &[&str] = &["fixtures/tree/agents/ci.yaml", "fixtures/ci/review.agent.yaml"];

fn validator() -> jsonschema::Validator {
    let path = Path::new(common::root()).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft4::options().should_validate_formats(true).build(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) {
    let log: Value = serde_json::from_str(text).expect("SARIF output is JSON");
    let errors: Vec<String> =
        validator().iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
}

/// Checks the parts that change whenever the catalogue or version does, then replaces
/// them with placeholders so the snapshot shows the shape and the results exactly.
fn normalize_sarif(text: &str) -> Value {
    let mut log: Value = serde_json::from_str(text).unwrap();
    let run = &mut log["runs"][0];
    let driver = &mut run["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    driver["version"] = json!("[VERSION]");
    driver["semanticVersion"] = json!("[VERSION]");

    let rules = driver["rules"].as_array().unwrap().clone();
    assert_eq!(rules.len(), REGISTRY.len(), "the driver lists the whole catalogue");
    for (rule, entry) in rules.iter().zip(REGISTRY) {
        let m = entry.meta;
        assert_eq!(rule["id"], m.id);
        assert_eq!(rule["name"], m.name);
        assert_eq!(rule["shortDescription"]["text"], m.summary);
        assert_eq!(rule["help"]["text"], m.docs, "{}", m.id);
        assert_eq!(rule["help"]["markdown"], m.docs, "{}", m.id);
        assert_eq!(rule["defaultConfiguration"]["level"], m.severity.as_str());
        let full = rule["fullDescription"]["text"].as_str().unwrap();
        assert!(!full.is_empty() && m.docs.contains(full), "{}: fullDescription comes from the docs", m.id);
    }
    let mut used = Vec::new();
    for result in run["results"].as_array_mut().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "ruleIndex points at the rule");
        result["ruleIndex"] = json!("[index of ruleId]");
        if !used.contains(&index) {
            used.push(index);
        }
    }
    used.sort();
    // Only the rules the results use, with their documentation (checked above) elided.
    let shown: Vec<Value> = used
        .iter()
        .map(|&i| {
            let mut rule = rules[i].clone();
            let docs = format!("[docs of {}]", rule["id"].as_str().unwrap());
            rule["help"] = json!({ "text": docs, "markdown": docs });
            rule
        })
        .collect();
    run["tool"]["driver"]["rules"] =
        json!({ "[used by the results]": shown, "[others]": "checked against the registry" });

    let base = &mut run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    let uri = base.as_str().unwrap();
    assert!(uri.starts_with("file:///") && uri.ends_with('/'), "{uri}");
    *base = json!("file:///[WORKING DIRECTORY]/");
    log
}

#[test]
fn sarif_output() {
    let run = agentlint(&[&["check", "--format", "sarif"], FILES].concat());
    assert_eq!((run.code, run.stderr.as_str()), (1, "2 errors, 1 warning in 2 files\n"));
    assert_valid_sarif(&run.stdout);
    let log = normalize_sarif(&run.stdout);
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&log).unwrap());
}

#[test]
fn sarif_is_valid_for_every_kind_of_input() {
    // Every rule's fixtures at once: each rule's locations, related locations and messages.
    let mut rule_fixtures = Vec::new();
    for dir in std::fs::read_dir(Path::new(common::root()).join("fixtures/rules")).unwrap() {
        let dir = dir.unwrap();
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let name = file.unwrap().file_name().to_string_lossy().into_owned();
            rule_fixtures.push(format!("fixtures/rules/{}/{name}", dir.file_name().to_string_lossy()));
        }
    }
    rule_fixtures.sort();
    let cases: Vec<Vec<&str>> = vec![
        vec!["check", "--format", "sarif", "fixtures/tree"],
        vec!["check", "--format", "sarif", "fixtures/hardened.yaml"],
        [&["check", "--format", "sarif"][..], &rule_fixtures.iter().map(String::as_str).collect::<Vec<_>>()].concat(),
    ];
    for args in &cases {
        let run = agentlint(args);
        assert!(run.code == 0 || run.code == 1, "{args:?}: {run}");
        assert_valid_sarif(&run.stdout);
    }
    // Standard input, and every structural fixture (syntax errors at odd places).
    let run = common::agentlint_stdin(&["check", "--format", "sarif", "-"], Some(b"permission_mode: [\n"));
    assert_valid_sarif(&run.stdout);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%3Cstdin%3E"
    );
    let structural = Path::new(common::root()).join("fixtures/structural");
    if structural.is_dir() {
        let run = agentlint(&["check", "--format", "sarif", "fixtures/structural/"]);
        assert_valid_sarif(&run.stdout);
        for entry in std::fs::read_dir(structural).unwrap() {
            let file = format!("fixtures/structural/{}", entry.unwrap().file_name().to_string_lossy());
            assert_valid_sarif(&agentlint(&["check", "--format", "sarif", &file]).stdout);
        }
    }
}

/// Suppressed findings (comment and config) are results with `suppressions`; the schema accepts them.
#[test]
fn sarif_suppressions_are_valid() {
    let text = std::fs::read(Path::new(common::root()).join("fixtures/ci/review.agent.yaml")).unwrap();
    let mut report = agentlint::Linter::default().check_bytes("fixtures/ci/review.agent.yaml", text);
    assert_eq!(report.findings.len(), 2);
    report.findings[0].suppressed =
        Some(Suppression { kind: SuppressionKind::Comment, reason: "typo kept on purpose".into() });
    report.findings[1].suppressed = Some(Suppression { kind: SuppressionKind::Config, reason: "migrating".into() });
    let out = sarif::render_with_base(&[report], Some(Path::new(common::root())));
    assert_valid_sarif(&out);
    let log: Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&Value> = log["runs"][0]["results"].as_array().unwrap().iter().map(|r| &r["suppressions"]).collect();
    assert_eq!(
        kinds,
        [
            &json!([{ "kind": "inSource", "justification": "typo kept on purpose" }]),
            &json!([{ "kind": "external", "justification": "migrating" }])
        ]
    );
}

#[test]
fn github_output() {
    let run = agentlint(&[&["check", "--format", "github"], FILES].concat());
    insta::assert_snapshot!(run.to_string(), @r"
    exit: 1
    ----- stdout -----
    ::error file=fixtures/tree/agents/ci.yaml,line=2,col=18,endLine=2,endColumn=36,title=AL101 permission-mode-not-restrictive::`permission_mode` is `bypass_permissions`: every tool call is approved without a check%0Ahelp: set `permission_mode` to one of `plan`, `dont_ask`, `accept_edits`: `dont_ask` for unattended pipelines, `plan` for read-only review, `accept_edits` when a person supervises edits
    ::warning file=fixtures/ci/review.agent.yaml,line=14,col=1,endLine=14,endColumn=9,title=AL003 unknown-key::unknown key `max_turn`%0Ahelp: did you mean `max_turns`?
    ::error file=fixtures/ci/review.agent.yaml,line=19,col=1,endLine=19,endColumn=9,title=AL002 duplicate-key::`maxTurns` and `max_turns` both set `max_turns`%0Ahelp: keep one `max_turns` key and delete the other
    ----- stderr -----
    2 errors, 1 warning in 2 files
    ");
}

#[test]
fn github_output_without_findings_is_empty() {
    let run = agentlint(&["check", "--format", "github", "fixtures/hardened.yaml"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", "no problems in 1 file\n"));
}

#[test]
fn output_file_gets_the_report_and_stderr_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["sarif", "github", "json", "human"] {
        let file = dir.path().join(format!("report.{format}"));
        let file_arg = file.to_string_lossy().into_owned();
        let run =
            agentlint(&[&["check", "--format", format, "--color", "always", "--output", &file_arg], FILES].concat());
        assert_eq!((run.code, run.stdout.as_str()), (1, ""), "{format}");
        assert_eq!(run.stderr, "2 errors, 1 warning in 2 files\n", "{format}");
        let written = std::fs::read_to_string(&file).unwrap();
        let to_stdout = agentlint(&[&["check", "--format", format, "--color", "always"], FILES].concat());
        if format == "human" {
            // The summary line ends the file too; `--color always` is honoured in files as on terminals.
            assert_eq!(written, to_stdout.stdout, "{format}");
            assert!(written.ends_with("2 errors, 1 warning in 2 files\n"));
        } else {
            assert_eq!(written, to_stdout.stdout, "{format}");
        }
    }
    // `--quiet` drops the summary, and a report to a file keeps standard output empty.
    let file = dir.path().join("quiet.sarif");
    let run = agentlint(&["check", "-q", "--format", "sarif", "-o", &file.to_string_lossy(), FILES[0]]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (1, "", ""));
    assert_valid_sarif(&std::fs::read_to_string(&file).unwrap());
}

#[test]
fn output_file_that_cannot_be_written_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("missing/report.sarif");
    let run = agentlint_in(dir.path(), &["check", "--format", "sarif", "--output", "missing/report.sarif", "-"]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.starts_with("agentlint: error: cannot write `missing/report.sarif`: "), "{run}");
    assert!(!target.exists());
}

/// A literal key appears in no format, masked or truncated forms only.
#[test]
fn credentials_are_never_printed() {
    let key = format!("sk-ant-api03-{}AA", "Zq7".repeat(31));
    let clean = std::fs::read_to_string(Path::new(common::root()).join("fixtures/hardened-single.yaml")).unwrap();
    assert!(clean.contains("api_key: ${ANTHROPIC_API_KEY}\n"));
    let leaky = clean
        .replace("api_key: ${ANTHROPIC_API_KEY}\n", &format!("api_key: {key}\nenv:\n  ANTHROPIC_API_KEY: {key}\n"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("leaky.agent.yaml"), leaky).unwrap();
    for format in ["sarif", "github", "json", "human"] {
        let run = agentlint_in(dir.path(), &["check", "--format", format, "--color", "never", "."]);
        assert_eq!(run.code, 1, "{format}: {run}");
        assert!(!run.stdout.is_empty(), "{format}");
        for part in [&key[..], &key[13..60], &key[40..100]] {
            assert!(!run.stdout.contains(part) && !run.stderr.contains(part), "{format} leaks the key:\n{run}");
        }
        if format == "sarif" {
            assert_valid_sarif(&run.stdout);
        }
    }
}
