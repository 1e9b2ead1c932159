//! What linter users expect at the command line, through the real binary: `-f` /
//! `--output-format`, the `concise` and `gitlab` formats, `--select` / `--ignore` /
//! `--extend-select`, `--statistics`, `--exit-zero`, `--no-config` / `--isolated`, colour from
//! the environment, completions, the man page, `--version --verbose`, `rules --format json`.

mod common;

use std::process::{Command, Stdio};

use common::{Run, agentlint, agentlint_in};

const SEVERAL: &str = "fixtures/cli/several-rules.yaml";

/// Runs the binary in the repository root with exactly these colour variables set.
fn agentlint_env(args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentlint"));
    cmd.args(args).current_dir(common::root()).stdin(Stdio::null());
    for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR"] {
        cmd.env_remove(name);
    }
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let out = cmd.output().expect("binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn output_format_is_an_alias_of_format_and_f_its_short_form() {
    let dir = tempfile::tempdir().unwrap();
    let file = std::path::Path::new(common::root()).join(SEVERAL);
    let file = file.to_str().unwrap();
    let long = agentlint_in(dir.path(), &["check", "--format", "json", file]);
    assert!(long.stdout.starts_with("{\n  \"version\": 1,"), "{}", long.stdout);
    let spellings: [&[&str]; 2] = [&["check", "--output-format", "json", file], &["check", "-f", "json", "--", file]];
    for args in spellings {
        let run = agentlint_in(dir.path(), args);
        assert_eq!((run.code, &run.stdout, &run.stderr), (long.code, &long.stdout, &long.stderr), "{args:?}");
    }
    let run = agentlint_in(dir.path(), &["check", "--output-format=concise", file]);
    assert!(run.stdout.contains(": AL101 "), "{}", run.stdout);
    // Nothing was written to a file named after the format.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    assert_eq!(agentlint(&["rules", "--output-format", "json"]).stdout, agentlint(&["rules", "-f", "json"]).stdout);
}

#[test]
fn concise_is_one_line_per_finding() {
    let run = agentlint(&["check", "--format", "concise", SEVERAL]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("concise", run.to_string());
    let quiet = agentlint(&["check", "-f", "concise", "-q", SEVERAL]);
    let (findings, summary) = run.stdout.trim_end().rsplit_once('\n').unwrap();
    assert_eq!(summary, "2 errors, 4 warnings in 1 file");
    assert_eq!(quiet.stdout, format!("{findings}\n"));
    assert_eq!(quiet.stderr, "");
}

#[test]
fn gitlab_code_quality_report() {
    let run = agentlint(&["check", "--format", "gitlab", SEVERAL, "fixtures/cli/non-ascii-columns.yaml"]);
    assert_eq!(run.code, 1);
    let issues: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON array");
    let issues = issues.as_array().unwrap();
    let mut fingerprints = std::collections::BTreeSet::new();
    for issue in issues {
        let keys: Vec<&str> = issue.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["description", "check_name", "fingerprint", "severity", "location"]);
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()), "fingerprints are unique");
    }
    insta::assert_snapshot!("gitlab", run.to_string());
    // Nothing found: an empty array, which GitLab reads as "no issues".
    assert_eq!(agentlint(&["check", "-f", "gitlab", "fixtures/hardened.yaml"]).stdout, "[]\n");
}

#[test]
fn columns_count_characters_in_every_format() {
    let file = "fixtures/cli/non-ascii-columns.yaml";
    let human = agentlint(&["check", "--color", "never", file]);
    insta::assert_snapshot!("non-ascii-columns-human", human.to_string());
    assert!(human.stdout.contains(&format!("[{file}:4:31]")), "{}", human.stdout);
    let json: serde_json::Value = serde_json::from_str(&agentlint(&["check", "-f", "json", file]).stdout).unwrap();
    let f = &json["findings"][0];
    assert_eq!((f["rule"].as_str(), f["line"].as_u64(), f["column"].as_u64()), (Some("AL404"), Some(4), Some(31)));
    assert_eq!(
        agentlint(&["check", "-f", "concise", "-q", file]).stdout,
        format!("{file}:4:31: AL404 `add_dir[1]` is `/`, which is the whole filesystem\n")
    );
}

#[test]
fn select_ignore_and_extend_select() {
    let concise = |extra: &[&str]| {
        let mut args = vec!["check", "-f", "concise", "-q", SEVERAL];
        args.extend_from_slice(extra);
        agentlint(&args)
    };
    let all = concise(&[]);
    let runs = [
        ("--select AL1", concise(&["--select", "AL1"])),
        ("--select AL101,unrestricted-network", concise(&["--select", "AL101,unrestricted-network"])),
        ("--select al403 --select AL101", concise(&["--select", "al403", "--select", "AL101"])),
        ("--ignore AL104,AL403", concise(&["--ignore", "AL104,AL403"])),
        ("--select AL1 --ignore broad-tool-grant", concise(&["--select", "AL1", "--ignore", "broad-tool-grant"])),
        ("--ignore AL1 --extend-select AL104", concise(&["--ignore", "AL1", "--extend-select", "AL104"])),
        ("--extend-select AL109", concise(&["--extend-select", "AL109"])),
        ("--select ALL --ignore ALL", concise(&["--select", "ALL", "--ignore", "ALL"])),
    ];
    let mut shown = format!("(no selection)\n{}", all.stdout);
    for (args, run) in &runs {
        shown.push_str(&format!("\n{args}: exit {}\n{}", run.code, run.stdout));
    }
    insta::assert_snapshot!("select", shown);
    // The second and third spellings select the same rules.
    assert_eq!(runs[1].1.stdout, runs[2].1.stdout);
    // Ignoring everything leaves nothing that fails.
    assert_eq!((runs[7].1.code, runs[7].1.stdout.as_str()), (0, ""));
}

#[test]
fn select_never_hides_a_syntax_error() {
    let run = agentlint_in_stdin(&["check", "-f", "concise", "--select", "AL104", "-"], b"permission_mode: [plan\n");
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("<stdin>:2:1: AL001 invalid YAML: "), "{}", run.stdout);
    let run = agentlint_in_stdin(&["check", "-f", "concise", "--ignore", "AL001", "-"], b"permission_mode: [plan\n");
    assert_eq!((run.code, run.stdout.as_str()), (0, "no problems in 1 file\n"));
}

fn agentlint_in_stdin(args: &[&str], input: &[u8]) -> Run {
    common::agentlint_stdin(args, Some(input))
}

#[test]
fn unknown_selectors_are_usage_errors() {
    let run = agentlint(&["check", "--select", "AL1O4", SEVERAL]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "agentlint: error: unknown rule selector `AL1O4`: not a rule id, name or id prefix; did you mean `AL104` (broad-tool-grant)? (`agentlint rules` lists them)\n"
    );
    assert_eq!(agentlint(&["check", "--ignore", "AL9", SEVERAL]).code, 2);
    assert_eq!(agentlint(&["check", "--extend-select", "no-such-rule", SEVERAL]).code, 2);
}

#[test]
fn statistics_count_findings_by_rule() {
    let human = agentlint(&["check", "--statistics", SEVERAL, "fixtures/cli/non-ascii-columns.yaml"]);
    assert_eq!(human.code, 1);
    let json = agentlint(&["check", "--statistics", "-f", "json", SEVERAL, "fixtures/cli/non-ascii-columns.yaml"]);
    assert_eq!(json.code, 1);
    insta::assert_snapshot!("statistics", format!("{human}\n=== --format json\n{json}"));
    let counts: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let total: u64 = counts.as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    let report: serde_json::Value = serde_json::from_str(
        &agentlint(&["check", "-f", "json", SEVERAL, "fixtures/cli/non-ascii-columns.yaml"]).stdout,
    )
    .unwrap();
    assert_eq!(total as usize, report["findings"].as_array().unwrap().len());
    let sarif = agentlint(&["check", "--statistics", "-f", "sarif", SEVERAL]);
    assert_eq!(sarif.code, 2);
    assert_eq!(
        sarif.stderr,
        "agentlint: error: `--statistics` prints a table or JSON: use it with `--format human`, `concise` or `json`\n"
    );
}

#[test]
fn exit_zero_reports_but_passes() {
    let failing = agentlint(&["check", "-f", "concise", SEVERAL]);
    let zero = agentlint(&["check", "-f", "concise", "--exit-zero", SEVERAL]);
    assert_eq!(failing.code, 1);
    assert_eq!((zero.code, &zero.stdout), (0, &failing.stdout));
    // Usage errors still fail.
    assert_eq!(agentlint(&["check", "--exit-zero", "fixtures/does-not-exist.yaml"]).code, 2);
    assert_eq!(agentlint(&["check", "--exit-zero", "--policy", "no-such-pack", SEVERAL]).code, 2);
}

#[test]
fn no_config_ignores_the_project_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("agents")).unwrap();
    std::fs::copy(std::path::Path::new(common::root()).join(SEVERAL), dir.path().join("agents/ci.yaml")).unwrap();
    std::fs::write(dir.path().join(".agentlint.yaml"), "rules:\n  AL104: off\n  AL403: off\n").unwrap();
    let with = agentlint_in(dir.path(), &["check", "-f", "concise", "-q"]);
    let without = agentlint_in(dir.path(), &["check", "-f", "concise", "-q", "--no-config"]);
    let isolated = agentlint_in(dir.path(), &["check", "-f", "concise", "-q", "--isolated"]);
    assert!(!with.stdout.contains("AL104") && !with.stdout.contains("AL403"), "{}", with.stdout);
    assert!(without.stdout.contains(" AL104 ") && without.stdout.contains(" AL403 "), "{}", without.stdout);
    assert_eq!(isolated.stdout, without.stdout);
    // A broken project configuration is not even read.
    std::fs::write(dir.path().join(".agentlint.yaml"), "rules: [\n").unwrap();
    assert_eq!(agentlint_in(dir.path(), &["check", "-q"]).code, 2);
    assert_eq!(agentlint_in(dir.path(), &["check", "-f", "concise", "-q", "--no-config"]).stdout, without.stdout);
    // `--config` and `--no-config` contradict each other.
    assert_eq!(agentlint_in(dir.path(), &["check", "--no-config", "--config", ".agentlint.yaml"]).code, 2);
}

#[test]
fn colour_follows_no_color_force_color_and_clicolor_force() {
    let file = "fixtures/structural/al004-empty.yaml";
    let coloured = |vars: &[(&str, &str)]| agentlint_env(&["check", file], vars).stdout.contains("\u{1b}[");
    // Standard output is a pipe here, so `auto` alone means no colour.
    assert!(!coloured(&[]));
    assert!(coloured(&[("FORCE_COLOR", "1")]));
    assert!(coloured(&[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins");
    assert!(!agentlint_env(&["check", "--color", "never", file], &[("FORCE_COLOR", "1")]).stdout.contains("\u{1b}["));
    assert!(agentlint_env(&["check", "--color", "always", file], &[("NO_COLOR", "1")]).stdout.contains("\u{1b}["));
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = agentlint(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for word in ["check", "explain", "output-format", "extend-select"] {
            assert!(run.stdout.contains(word), "{shell}: no `{word}`");
        }
        // Shells that complete option values offer the formats.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(run.stdout.contains("concise") && run.stdout.contains("gitlab"), "{shell}");
        }
    }
    insta::assert_snapshot!("completions-fish", agentlint(&["completions", "fish"]).stdout);
    assert_eq!(agentlint(&["completions", "tcsh"]).code, 2);
}

#[test]
fn man_pages() {
    let version = env!("CARGO_PKG_VERSION");
    let page = agentlint(&["man"]);
    assert_eq!(page.code, 0);
    assert!(page.stdout.contains(&format!(".TH agentlint 1  \"agentlint {version}\"")), "{}", page.stdout);
    for command in
        ["check", "rules", "explain", "schema", "args", "policies", "policy", "effective", "can", "completions", "man"]
    {
        assert!(page.stdout.contains(&format!("agentlint\\-{command}(1)")), "{command}");
    }
    let check = agentlint(&["man", "check"]);
    assert_eq!(check.code, 0);
    insta::assert_snapshot!("man-check", check.stdout.replace(version, "[VERSION]"));
    let run = agentlint(&["man", "lint"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("agentlint: error: unknown command `lint`; the commands are check, rules,"));
}

#[test]
fn version_short_and_verbose() {
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(agentlint(&["--version"]).stdout, format!("agentlint {version}\n"));
    assert_eq!(agentlint(&["-V"]).stdout, format!("agentlint {version}\n"));
    let verbose = agentlint(&["--version", "--verbose"]);
    assert_eq!(verbose.code, 0);
    assert_eq!(agentlint(&["-Vv"]).stdout, verbose.stdout);
    let commit = match (env!("AGENTLINT_COMMIT"), env!("AGENTLINT_COMMIT_DATE")) {
        ("", _) => "unknown (built without git metadata)".to_owned(),
        (commit, date) => {
            assert!(commit.len() >= 7 && commit.bytes().all(|b| b.is_ascii_hexdigit()), "{commit}");
            format!("{commit} ({date})")
        }
    };
    assert_eq!(
        verbose.stdout,
        format!(
            "agentlint {version}\ncommit: {commit}\nclaude-cli-baseline: 2.1.332\nclaude-cli-oldest-supported: 2.1.76\njson-report-version: 1\nsarif-version: 2.1.0\n"
        )
    );
    // `-v` means nothing without `--version`.
    let run = agentlint(&["-v", "rules"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--version"), "{}", run.stderr);
}

#[test]
fn rules_json_fields() {
    let run = agentlint(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), agentlint::rules::REGISTRY.len());
    let pick = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap().clone();
    insta::assert_snapshot!("rules-json", serde_json::to_string_pretty(&[pick("AL101"), pick("AL109")]).unwrap());
    // Under a pack that lowers AL101 and turns AL109 on, `severity` and `enabled` follow it;
    // `default_severity` does not.
    let review: serde_json::Value =
        serde_json::from_str(&agentlint(&["rules", "-f", "json", "--policy", "review"]).stdout).unwrap();
    let al109 = review.as_array().unwrap().iter().find(|r| r["id"] == "AL109").unwrap();
    assert_eq!(
        (&al109["enabled"], &al109["severity"], &al109["default_severity"]),
        (&true.into(), &"error".into(), &"error".into())
    );
}
