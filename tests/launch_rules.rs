//! The parameters of the launch rules, set by a policy pack: AL607 `allowed_flags`, AL608
//! `cli_version`; and `check` and `args` agreeing on a config the chosen release cannot start.

mod common;

use std::path::{Path, PathBuf};

use common::agentlint;

fn rules(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON output parses");
    v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect()
}

/// A pack extending `production` with these rule settings, in a temporary directory.
fn pack(dir: &Path, rules: &str) -> PathBuf {
    let path = dir.join("pack.yaml");
    std::fs::write(&path, format!("extends: production\nrules:\n{rules}")).unwrap();
    path
}

#[test]
fn al607_allowed_flags_lets_named_flags_pass() {
    let file = "fixtures/rules/AL607-extra-arg-widens-agent/fail-kinds.yaml";
    assert_eq!(rules(&agentlint(&["check", "--format", "json", file]).stdout), ["AL607", "AL607", "AL607"]);
    let dir = tempfile::tempdir().unwrap();
    // With or without dashes, by any of the flag's names.
    let pack = pack(dir.path(), "  AL607:\n    allowed_flags: [--debug-file, system-prompt-file]\n");
    let run = agentlint(&["check", "--format", "json", "--policy", pack.to_str().unwrap(), file]);
    assert_eq!(rules(&run.stdout), ["AL607"], "{}", run.stdout);
    assert!(run.stdout.contains("`--chrome`"), "{}", run.stdout);
}

#[test]
fn al608_cli_version_names_the_release_the_agents_run_on() {
    let file = "fixtures/args/refused/newer-cli.yaml";
    let baseline = agentlint(&["check", "--format", "json", file]);
    assert_eq!(rules(&baseline.stdout), Vec::<String>::new(), "{}", baseline.stdout);
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path(), "  AL608:\n    cli_version: 2.1.76\n");
    let pack = pack.to_str().unwrap();
    let oldest = agentlint(&["check", "--color", "never", "--policy", pack, file]);
    assert_eq!(oldest.code, 1, "{oldest}");
    insta::assert_snapshot!("al608-cli-version-2.1.76", oldest.to_string());
    // `args` under the same policy is blocked by the check, before any encoding.
    let args = agentlint(&["args", "--policy", pack, "--cli-version", "2.1.76", file]);
    assert_eq!((args.code, args.stdout.as_str()), (1, ""), "{args}");
    assert!(args.stderr.contains("AL608(option-unknown-to-cli)"), "{args}");
}

#[test]
fn al608_rejects_an_unsupported_cli_version() {
    let dir = tempfile::tempdir().unwrap();
    for (version, message) in [
        ("2.1.70", "agentlint supports CLI 2.1.76 and later"),
        ("newest", "`newest` is not a version (expected MAJOR.MINOR.PATCH, e.g. `2.1.332`)"),
    ] {
        let pack = pack(dir.path(), &format!("  AL608:\n    cli_version: \"{version}\"\n"));
        let run = agentlint(&[
            "check",
            "--format",
            "json",
            "--policy",
            pack.to_str().unwrap(),
            "fixtures/hardened-single.yaml",
        ]);
        assert_eq!(run.code, 2, "{run}");
        assert!(run.stdout.contains(message), "{run}");
    }
}
