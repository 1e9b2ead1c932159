//! Every real-world Claude Code config in ../shared/corpus runs through `agentlint check`
//! without a panic and without exit code 2. They are not deployment configs, so they
//! produce findings; the point is robustness.

mod common;

use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<PathBuf> {
    let root = Path::new(common::root()).join("../shared/corpus");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn corpus_never_crashes() {
    let files = corpus_files();
    if files.is_empty() {
        common::skip_or_fail("../shared/corpus was not found next to the repository");
        return;
    }
    assert!(files.len() >= 250, "expected the whole corpus, found {}", files.len());
    let args: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    for format in ["json", "human"] {
        let mut argv = vec!["check", "--format", format, "--color", "never"];
        argv.extend(args.iter().map(String::as_str));
        let run = common::agentlint(&argv);
        assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("internal error"), "{}", run.stderr);
        if format == "json" {
            let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON report");
            assert_eq!(report["summary"]["files"].as_u64(), Some(files.len() as u64));
            // The broken folder holds files that are not valid JSON: each is one AL001.
            for f in report["findings"].as_array().unwrap() {
                let file = f["file"].as_str().unwrap();
                if file.contains("/broken/") {
                    assert_eq!(f["rule"], "AL001", "{f}");
                }
            }
        }
    }
}

/// Credentials the corpus README says were replaced by synthetic values must never be
/// printed in full by any output format.
#[test]
fn corpus_credentials_are_never_printed() {
    let files = corpus_files();
    if files.is_empty() {
        common::skip_or_fail("../shared/corpus was not found next to the repository");
        return;
    }
    let args: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut secrets = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for m in agentlint::secrets::scan(&text) {
            secrets.push(text[m.start..m.end].to_owned());
        }
    }
    assert!(!secrets.is_empty(), "the corpus holds synthetic credentials");
    for format in ["json", "human"] {
        let mut argv = vec!["check", "--format", format, "--color", "never"];
        argv.extend(args.iter().map(String::as_str));
        let run = common::agentlint(&argv);
        for secret in &secrets {
            assert!(!run.stdout.contains(secret.as_str()), "{format} output leaks a credential");
        }
    }
}
