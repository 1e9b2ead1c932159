//! The real-world corpus in ../shared/corpus, checked by kind: every file is laid out at the
//! path it has in its repository (`SOURCES.tsv`), so a directory check finds it and gives it
//! its kind and scope by name, as in a real checkout. The count of findings by rule, per
//! corpus folder, is a snapshot: any change in precision shows in review.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The corpus laid out as repositories: `<tmp>/<folder>/<NNN>/<path in the repository>`.
/// `sdk-options` files keep their own names, so `.agentlint.yaml` gives them their kind.
fn corpus_tree() -> Option<tempfile::TempDir> {
    let corpus = Path::new(common::root()).join("../shared/corpus");
    let sources = std::fs::read_to_string(corpus.join("SOURCES.tsv"))
        .expect("../shared/corpus/SOURCES.tsv: these tests need the corpus next to the repository");
    let dir = tempfile::tempdir().unwrap();
    for line in sources.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (local, path) = (cols[0], cols[2]);
        let (folder, file) = local.split_once('/').unwrap();
        let number = file.split('.').next().unwrap();
        let target: PathBuf = dir.path().join(folder).join(number).join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join(local), &target).unwrap();
    }
    std::fs::write(dir.path().join(".agentlint.yaml"), "kinds:\n  \"sdk-options/**/*.yaml\": deployment\n").unwrap();
    Some(dir)
}

fn check(dir: &Path, format: &str) -> common::Run {
    let run = common::agentlint_in(dir, &["check", ".", "--format", format, "--color", "never"]);
    assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("internal error"), "{}", run.stderr);
    run
}

#[test]
#[cfg_attr(not(ci), ignore = "needs ../shared/corpus next to the repository; runs under CI=true (.ci/run)")]
fn corpus_by_kind() {
    let Some(dir) = corpus_tree() else { return };
    let run = check(dir.path(), "json");
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON report");
    assert_eq!(report["summary"]["files"], 252, "every corpus file is found by its name");
    let findings = report["findings"].as_array().unwrap();

    // Which kinds each rule runs on, from the catalogue.
    let rules = common::agentlint(&["rules", "--format", "json"]);
    let catalogue: serde_json::Value = serde_json::from_str(&rules.stdout).unwrap();
    let kinds_of: BTreeMap<String, Vec<String>> = catalogue
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let kinds = r["kinds"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_owned()).collect();
            (r["id"].as_str().unwrap().to_owned(), kinds)
        })
        .collect();

    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for f in findings {
        let file = f["file"].as_str().unwrap();
        let folder = file.split('/').next().unwrap().to_owned();
        let rule = f["rule"].as_str().unwrap();
        let kind = f["kind"].as_str().unwrap();
        // No deployment-only finding on a Claude Code file: every rule runs only where it applies.
        assert!(kinds_of[rule].iter().any(|k| k == kind), "{rule} on a {kind} file: {f}");
        let expected_kind = match folder.as_str() {
            "sdk-options" => "deployment",
            "mcp" => "mcp",
            _ => "settings",
        };
        assert_eq!(kind, expected_kind, "{file}");
        if folder == "broken" {
            assert_eq!(rule, "AL001", "{f}");
        }
        *counts.entry(folder).or_default().entry(rule.to_owned()).or_default() += 1;
    }
    let mut table = String::new();
    for (folder, rules) in &counts {
        table.push_str(&format!("{folder}:\n"));
        for (rule, n) in rules {
            table.push_str(&format!("  {rule}: {n}\n"));
        }
    }
    insta::assert_snapshot!("corpus-findings-by-rule", table);

    // The risks the corpus is known to hold are all found.
    let count = |rule: &str, needle: &str| {
        findings.iter().filter(|f| f["rule"] == rule && f["message"].as_str().unwrap().contains(needle)).count()
    };
    let settings_count = |rule: &str, needle: &str| {
        findings
            .iter()
            .filter(|f| f["file"].as_str().unwrap().starts_with("settings/"))
            .filter(|f| f["rule"] == rule && f["message"].as_str().unwrap().contains(needle))
            .count()
    };
    assert_eq!(settings_count("AL101", "`permissions.defaultMode` is `bypassPermissions`"), 3);
    assert_eq!(count("AL104", "entry `Bash` ") + count("AL104", "entry `Bash(*)` "), 5);
    assert_eq!(count("AL104", "entry `WebFetch` ") + count("AL104", "entry `WebFetch(domain:*)` "), 9);
    let skip_prompt = findings
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("skipDangerousModePermissionPrompt"))
        .count();
    assert_eq!(skip_prompt, 6);
}

/// The synthetic credentials of the corpus (`REDACTIONS.tsv`: file, JSON path, kind), as the
/// secret part of each value: a URL's password, a JWT inside a rule, otherwise the whole value.
fn corpus_secrets() -> Vec<String> {
    let corpus = Path::new(common::root()).join("../shared/corpus");
    let table = std::fs::read_to_string(corpus.join("REDACTIONS.tsv")).unwrap();
    // `$.a.b[2]`, `$.a["b-c"].d`
    let step = regex::Regex::new(r#"\.([A-Za-z0-9_]+)|\["([^"]+)"\]|\[(\d+)\]"#).unwrap();
    let jwt = regex::Regex::new(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+").unwrap();
    let mut out = Vec::new();
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let text = std::fs::read_to_string(corpus.join(cols[0])).unwrap();
        let mut value: &serde_json::Value = &serde_json::from_str(&text).unwrap();
        for c in step.captures_iter(cols[1].trim_start_matches('$')) {
            value = match (c.get(1).or(c.get(2)), c.get(3)) {
                (Some(key), _) => &value[key.as_str()],
                (None, Some(i)) => &value[i.as_str().parse::<usize>().unwrap()],
                (None, None) => unreachable!("the pattern has three alternatives"),
            };
        }
        let value = value.as_str().unwrap_or_else(|| panic!("{line}: not a string"));
        let secret = match cols[2] {
            "url-password" => value.split_once("://").unwrap().1.split('@').next().unwrap().split_once(':').unwrap().1,
            "jwt" => jwt.find(value).unwrap().as_str(),
            _ => value,
        };
        out.push(secret.to_owned());
    }
    out
}

/// No credential from the corpus reaches any output format, in full or in part: no 8
/// characters of a secret beyond the prefix and the last 4 that a redaction may show.
#[test]
#[cfg_attr(not(ci), ignore = "needs ../shared/corpus next to the repository; runs under CI=true (.ci/run)")]
fn corpus_credentials_are_never_printed_by_kind() {
    let Some(dir) = corpus_tree() else { return };
    let secrets = corpus_secrets();
    assert_eq!(secrets.len(), 11, "REDACTIONS.tsv lists the corpus's synthetic credentials");
    for format in ["human", "json", "sarif", "github"] {
        let run = check(dir.path(), format);
        for secret in &secrets {
            let chars: Vec<char> = secret.chars().collect();
            let hidden = &chars[chars.len().min(12).min(chars.len() / 3)..chars.len().saturating_sub(4)];
            for window in hidden.windows(8) {
                let piece: String = window.iter().collect();
                assert!(!run.stdout.contains(&piece), "{format} output shows part of a credential: {piece}");
                assert!(!run.stderr.contains(&piece), "{format} errors show part of a credential: {piece}");
            }
        }
    }
}
